#pragma once
// What the gateway tells the audit trail (src/audit, docs/audit.md): a
// session started, a statement was decided, what came of it, the session
// ended; and the approval requests a policy asks for. Sessions talk to this
// interface; AuditRecorder is the SQLite store behind it, NullRecorder
// records nothing.
//
// Calls may block (strict durability waits for the commit): sessions call
// them from a thread pool, never from an io_context thread.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
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
  /// True when statement() only queues the record (durability fast):
  /// sessions then call it inline instead of hopping to the thread pool and
  /// back for every statement. It still blocks while the store's queue is
  /// full (back-pressure), as complete() does.
  virtual bool queues() const { return false; }
  /// Records the session; returns its id.
  virtual Result<std::string> beginSession(const SessionInfo& info) = 0;
  /// Records a decided statement before it is forwarded. An error means the
  /// statement must not run (unless the gateway was configured otherwise).
  virtual Result<audit::StatementRef> statement(const std::string& session_id, const std::string& sql_received,
                                                const rewrite::Decision& decision) = 0;
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
  Result<audit::StatementRef> statement(const std::string&, const std::string&, const rewrite::Decision&) override {
    return audit::StatementRef{};
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
  bool queues() const override;
  Result<std::string> beginSession(const SessionInfo& info) override;
  Result<audit::StatementRef> statement(const std::string& session_id, const std::string& sql_received,
                                        const rewrite::Decision& decision) override;
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
