#pragma once
// Approval requests for statements a policy sends to a human. Every change
// of state is an approval event appended to the hash chain; the approvals
// table holds the current state for quick lookups.
//
//   pending --approve--> approved --consume--> used
//      |                    |
//      +--deny--> denied    +--(lifetime over)--> expired
//      +--(lifetime over)--> expired
//
// Each operation is one IMMEDIATE transaction, so several gateway processes
// and the CLI can share one file: of two processes consuming the same
// approval, exactly one gets it. Expiry is applied lazily: every operation
// first marks requests whose lifetime has ended as expired.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/chain.hpp"
#include "audit/records.hpp"
#include "audit/sqlite.hpp"

namespace sqlwarden::audit {

/// What the gateway sends when a policy requires approval.
struct ApprovalRequest {
  std::string identity;                 ///< the user asking; may not approve it
  std::string fingerprint;              ///< the statement's fingerprint (sql/fingerprint.hpp)
  std::string statement;                ///< the SQL as received, for the approver to read
  std::chrono::seconds lifetime{3600};  ///< from the request until it expires
};

class ApprovalBook {
 public:
  /// Opens the audit file (Create for the gateway, ReadWrite for the CLI).
  static Result<std::unique_ptr<ApprovalBook>> open(
      const std::string& path, Connection::Mode mode = Connection::Mode::Create,
      std::chrono::milliseconds busy_timeout = std::chrono::milliseconds(5000));

  /// Records a pending request and returns it with its id.
  Result<ApprovalRecord> request(const ApprovalRequest& request, Micros now = nowMicros());
  /// Requests, newest first; only pending ones when `pending_only`.
  Result<std::vector<ApprovalRecord>> list(bool pending_only, Micros now = nowMicros());
  /// One request; the gateway polls this while it holds a client.
  Result<ApprovalRecord> get(int64_t id, Micros now = nowMicros());

  /// Approves a pending request. Refused (audit-approval-*) when the request
  /// is unknown, no longer pending (expired included), or `approver` is the
  /// identity that asked.
  Result<ApprovalRecord> approve(int64_t id, std::string_view approver, std::string_view reason,
                                 Micros now = nowMicros());
  /// Denies a pending request; same refusals as approve().
  Result<ApprovalRecord> deny(int64_t id, std::string_view approver, std::string_view reason,
                              Micros now = nowMicros());

  /// Uses the oldest approved, unexpired approval of `identity` for
  /// `fingerprint`, once: it becomes `used`. Returns nullopt when there is none.
  Result<std::optional<ApprovalRecord>> consume(std::string_view identity,
                                                std::string_view fingerprint,
                                                Micros now = nowMicros());

  /// Marks every pending or approved request past its lifetime as expired;
  /// returns how many.
  Result<int> expireDue(Micros now = nowMicros());

 private:
  explicit ApprovalBook(Connection db) : db_(std::move(db)), appender_(db_) {}
  Result<ApprovalRecord> decide(int64_t id, ApprovalState to, std::string_view approver,
                                std::string_view reason, Micros now);
  Result<int> expireLocked(Micros now, ChainHead& head);
  Result<std::optional<ApprovalRecord>> load(int64_t id);
  Status appendEvent(const ApprovalRecord& a, std::string_view event, std::string_view actor,
                     Micros at, std::string_view reason, ChainHead& head);
  Status store(const ApprovalRecord& a);

  std::mutex mutex_;  // one operation at a time on the connection
  Connection db_;
  ChainAppender appender_;
};

}  // namespace sqlwarden::audit
