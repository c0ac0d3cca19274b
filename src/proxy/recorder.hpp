#pragma once
// What the gateway tells the audit trail (src/audit, docs/audit.md): a
// session started, a statement was decided, what came of it, the session
// ended; and the approval requests a policy asks for. Sessions talk to this
// interface; AuditRecorder is the SQLite store behind it, NullRecorder
// records nothing.
//
// statements() never waits for a commit: it reports through a callback,
// which strict durability calls from the store's writer thread. The other
// calls only queue, except the approval ones, which read and write the
// approval book at once: sessions call those from a thread pool, never from
// an io_context thread. Anything that queues blocks while the store's queue
// is full (back-pressure).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/records.hpp"
#include "common/result.hpp"
#include "policy/policy.hpp"
#include "rewrite/decision.hpp"

namespace sqlwarden::proxy {

/// One authenticated client connection, as the audit trail sees it.
struct SessionInfo {
  policy::Identity identity;
  std::string auth_method;  ///< "scram-sha-256" or "jwt"
  std::string client_address;
  std::string tls_version;
  std::string application_name;
  std::string database;
};

class Recorder {
 public:
  virtual ~Recorder() = default;
  /// False for NullRecorder: sessions skip the calls (and the thread hop).
  virtual bool enabled() const = 0;
  /// True when statements() always calls `done` before it returns
  /// (durability fast, or nothing recorded): sessions then skip the
  /// asynchronous wait.
  virtual bool synchronous() const { return true; }
  /// Waits until everything recorded so far is written and every pending
  /// statements() callback has been called.
  virtual void flush() {}
  /// Records the session; returns its id.
  virtual Result<std::string> beginSession(const SessionInfo& info) = 0;
  /// What statements() reports: the records' refs, in order, or nothing
  /// when they could not be recorded.
  using StatementsDone = std::function<void(std::optional<std::vector<audit::StatementRef>>)>;
  /// Records one message's decided statements before they are forwarded;
  /// `sql_received[i]` is what the client sent for `decisions[i]` (read
  /// before this returns). `done`
  /// is called once: before this returns (durability fast, no store, a
  /// failed store) or later from another thread (strict: after the commit).
  /// Nothing means the statements must not run (unless the gateway was
  /// configured otherwise).
  virtual void statements(const std::string& session_id, const std::vector<std::string_view>& sql_received,
                          const std::vector<rewrite::Decision>& decisions, StatementsDone done) = 0;
  virtual void complete(const audit::StatementRef& ref, audit::StatementOutcome outcome) = 0;
  virtual void endSession(const std::string& session_id, const std::string& reason) = 0;

  /// Approvals: uses an approved request of `user` for `fingerprint` if
  /// there is one (true), or files a new request that expires after
  /// `lifetime` and returns its id (false, id).
  struct ApprovalAnswer {
    bool approved = false;
    int64_t request_id = 0;
  };
  virtual Result<ApprovalAnswer> approval(const std::string& user, const std::string& fingerprint,
                                          const std::string& sql, std::chrono::seconds lifetime) = 0;
  /// Approvals (hold mode): where request `id` stands, polled while the
  /// client waits.
  virtual Result<audit::ApprovalRecord> approvalState(int64_t id) = 0;
  /// Approvals (hold mode): uses the approval just granted; false when it
  /// is no longer there to use (expired, or used by another session).
  virtual Result<bool> useApproval(const std::string& user, const std::string& fingerprint) = 0;
};

/// Records nothing; approvals cannot be granted without a store.
class NullRecorder final : public Recorder {
 public:
  bool enabled() const override { return false; }
  Result<std::string> beginSession(const SessionInfo&) override { return std::string(); }
  void statements(const std::string&, const std::vector<std::string_view>& sql, const std::vector<rewrite::Decision>&,
                  StatementsDone done) override {
    done(std::vector<audit::StatementRef>(sql.size()));
  }
  void complete(const audit::StatementRef&, audit::StatementOutcome) override {}
  void endSession(const std::string&, const std::string&) override {}
  Result<ApprovalAnswer> approval(const std::string&, const std::string&, const std::string&,
                                  std::chrono::seconds) override;
  Result<audit::ApprovalRecord> approvalState(int64_t) override;
  Result<bool> useApproval(const std::string&, const std::string&) override;
};

/// The SQLite audit store. Thread-safe.
class AuditRecorder final : public Recorder {
 public:
  /// Opens (creating) the store and the approval book on `path`.
  static Result<std::unique_ptr<AuditRecorder>> open(const std::string& path, bool strict,
                                                      const audit::ResultLimits& result_limits = {});
  ~AuditRecorder() override;

  bool enabled() const override { return true; }
  bool synchronous() const override;
  void flush() override;
  Result<std::string> beginSession(const SessionInfo& info) override;
  void statements(const std::string& session_id, const std::vector<std::string_view>& sql_received,
                  const std::vector<rewrite::Decision>& decisions, StatementsDone done) override;
  void complete(const audit::StatementRef& ref, audit::StatementOutcome outcome) override;
  void endSession(const std::string& session_id, const std::string& reason) override;
  Result<ApprovalAnswer> approval(const std::string& user, const std::string& fingerprint, const std::string& sql,
                                  std::chrono::seconds lifetime) override;
  Result<audit::ApprovalRecord> approvalState(int64_t id) override;
  Result<bool> useApproval(const std::string& user, const std::string& fingerprint) override;

 private:
  struct Impl;
  explicit AuditRecorder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqlwarden::proxy
