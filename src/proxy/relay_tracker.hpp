#pragma once
// Which upstream answers belong to what the client sent, so the relay can
// hide the traces of a denial and the audit trail can record outcomes.
//
// A denied statement is not answered by the gateway itself: the gateway
// sends the upstream a statement that fails (a DO block raising 42501), so
// the upstream aborts the client's transaction block exactly as a real error
// would, and every answer stays in protocol order. The relay then drops the
// ParseComplete/BindComplete of that injected statement and replaces its
// ErrorResponse with the denial's own. See docs/gateway.md, "Denials".
//
// Answers are grouped in batches: everything up to a Sync or a Query, which
// the upstream closes with one ReadyForQuery
// (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY).
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "audit/records.hpp"
#include "pgwire/bytes.hpp"

namespace sqlwarden::proxy {

/// The SQL the gateway sends upstream in place of a denied statement.
inline constexpr const char* kDenialStatement =
    "DO $sqlwarden$BEGIN RAISE EXCEPTION USING ERRCODE = '42501', "
    "MESSAGE = 'statement denied by sqlwarden'; END$sqlwarden$";

class RelayTracker {
 public:
  /// A statement whose outcome the audit trail waits for.
  struct Pending {
    audit::StatementRef ref;
    std::chrono::steady_clock::time_point started;
  };
  /// What the relay does with one upstream message.
  struct Verdict {
    enum class Action { Relay, Drop, Replace } action = Action::Relay;
    const pgwire::Bytes* replacement = nullptr;  ///< for Replace: the frame to send instead
    std::optional<Pending> completed;           ///< for CommandComplete/ErrorResponse: whose outcome it is
  };

  RelayTracker() { batches_.emplace_back(); }

  // --- What the client side forwarded, in order ---
  void parse() { ++open().parses; }
  void bind() { ++open().binds; }
  /// An Execute (or a statement of a Query) whose outcome is awaited.
  void awaitOutcome(Pending p) { open().awaiting.push_back(std::move(p)); }
  /// The injected Parse/Bind/Execute of a denied Parse; `error` is the
  /// ErrorResponse frame the client gets instead of the upstream's.
  void extendedDenial(pgwire::Bytes error);
  /// The injected Query of a denied simple query (or FunctionCall); closes the batch.
  void simpleDenial(pgwire::Bytes error);
  /// A Sync or a Query went upstream: the batch ends.
  void close() { batches_.emplace_back(); }

  // --- What the upstream answered ---
  /// Decides about one upstream message of type `type` ('1', '2', 'E', 'C', 'Z', ...).
  Verdict onUpstream(uint8_t type);

  /// Batches waiting for their ReadyForQuery (the open one included).
  size_t depth() const { return batches_.size(); }

 private:
  struct Injection {
    int parse_index = -1;  // which ParseComplete of the batch is the injected one; -1: none
    int bind_index = -1;
    bool armed = false;  // the injected statement started: its error is the denial's
    bool done = false;
    pgwire::Bytes error;
  };
  struct Batch {
    int parses = 0, binds = 0;            // forwarded by the client side
    int parses_seen = 0, binds_seen = 0;  // answered by the upstream
    std::optional<Injection> injection;
    std::deque<Pending> awaiting;
  };
  Batch& open() { return batches_.back(); }

  std::deque<Batch> batches_;  // front: the oldest unanswered; back: the open one
};

}  // namespace sqlwarden::proxy
