#pragma once
// The gateway's side of the audit file: one AuditStore per gateway process
// appends sessions, statements and outcomes through a single writer thread
// that commits them in groups (one transaction for whatever is queued).
//
//   Durability::Strict  appendStatement() returns once the statement's
//                       transaction has committed: forward the statement
//                       only after that.
//   Durability::Fast    appendStatement() returns once the record is queued.
//
// In both modes the queue is bounded and every call blocks while it is full
// (back-pressure), so nothing is ever dropped. Sessions, session ends and
// outcomes never wait for their commit: the queue is FIFO, so a session is
// committed before its first statement, and an outcome describes a
// statement that already ran (flush() waits for them when needed).
//
// When the writer commits: at once for a record somebody waits on (a strict
// statement, flush(), checkpoint()); otherwise once `commit_interval` has
// passed since the oldest queued record arrived, or sooner when `max_batch`
// records are queued. So records nobody waits on ride along with the next
// commit instead of each paying for one (and, with synchronous=FULL, for a
// sync of the file), and an idle writer is woken once per batch, not once
// per record.
//
// When the file cannot be written, the store fails for good: that call and
// every later one return the Diagnostic (failure() too), and the gateway
// refuses statements instead of running them unrecorded. In Fast mode the
// records still queued at that moment are lost; failure() says so.
//
// Thread-safe: any number of gateway threads may call it at once.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "audit/checkpoint.hpp"
#include "audit/records.hpp"
#include "audit/signing.hpp"
#include "audit/status.hpp"

namespace sqlwarden::audit {

enum class Durability {
  Strict,  ///< an append returns after its record committed (the default)
  Fast,    ///< an append returns once queued; commits happen behind it
};

struct StoreOptions {
  Durability durability = Durability::Strict;
  size_t queue_capacity = 8192;  ///< queued records; appends block beyond this
  size_t max_batch = 2048;       ///< records per transaction at most
  /// How long a record nobody waits on may stay queued before a commit.
  std::chrono::milliseconds commit_interval{10};
  std::chrono::milliseconds busy_timeout{5000};
  ResultLimits result_limits;  ///< applied to the rows completeStatement records
};

class AuditStore {
 public:
  /// Opens (creating if needed) and migrates the file, and starts the writer.
  static Result<std::unique_ptr<AuditStore>> open(const std::string& path,
                                                  StoreOptions options = {});
  /// Commits everything queued, then stops the writer.
  ~AuditStore();
  AuditStore(const AuditStore&) = delete;
  AuditStore& operator=(const AuditStore&) = delete;

  /// Records a new session and returns its id (16 hex digits, random).
  /// Queued: it commits with (or before) the session's first statement.
  Result<std::string> beginSession(SessionRecord session);
  /// Records how a session ended; `at` 0 means now. Queued, never waits.
  Status endSession(std::string_view session_id, std::string reason, Micros at = 0);
  /// Records a decided statement and returns its (session, seq). Strict: do
  /// not forward the statement before this returned a value.
  Result<StatementRef> appendStatement(StatementRecord statement);
  /// What appendStatements reports: the statements' refs, or why they were
  /// not recorded.
  using AppendDone = std::function<void(Result<std::vector<StatementRef>>)>;
  /// Records several decided statements (one message's) without blocking
  /// the caller on the commit. `done` is called once, with their refs in
  /// order: Strict, from the writer thread after their transaction
  /// committed; Fast, before this returns. On a failed store it is called
  /// with the error before this returns. Blocks only while the queue is
  /// full. Do not forward the statements before `done` said so.
  void appendStatements(std::vector<StatementRecord> statements, AppendDone done);
  /// Records what happened to a forwarded statement (and its result rows,
  /// capped by StoreOptions::result_limits). Queued, never waits.
  Status completeStatement(const StatementRef& ref, StatementOutcome outcome);
  /// Writes a checkpoint of the chain head after every record queued so far,
  /// signed when `key` is given. Always waits for the commit.
  Result<Checkpoint> checkpoint(const SigningKey* key);
  /// Waits until every record queued so far has committed.
  Status flush();

  /// Why the store stopped writing, if it did.
  std::optional<Diagnostic> failure() const;
  Durability durability() const;

 private:
  struct State;  // the queue and the writer thread (audit_store.cpp)
  explicit AuditStore(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace sqlwarden::audit
