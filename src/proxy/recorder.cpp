#include "proxy/recorder.hpp"

#include <mutex>

#include "audit/approvals.hpp"
#include "audit/audit_store.hpp"
#include "audit/json_codec.hpp"

namespace sqlwarden::proxy {

namespace {
Diagnostic noApprovals() {
  return Diagnostic::error("approval-unavailable",
                           "approvals need an audit store (audit { file ...; } in the gateway config)", Span{});
}
}  // namespace

Result<Recorder::ApprovalAnswer> NullRecorder::approval(const std::string&, const std::string&, const std::string&,
                                                        std::chrono::seconds) {
  return noApprovals();
}
Result<audit::ApprovalRecord> NullRecorder::approvalState(int64_t) { return noApprovals(); }
Result<bool> NullRecorder::useApproval(const std::string&, const std::string&) { return noApprovals(); }

struct AuditRecorder::Impl {
  std::unique_ptr<audit::AuditStore> store;
  std::unique_ptr<audit::ApprovalBook> book;
  std::mutex book_mutex;  // ApprovalBook has one connection
  bool strict = true;
};

AuditRecorder::AuditRecorder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AuditRecorder::~AuditRecorder() = default;

Result<std::unique_ptr<AuditRecorder>> AuditRecorder::open(const std::string& path, bool strict,
                                                          const audit::ResultLimits& result_limits) {
  audit::StoreOptions options;
  options.durability = strict ? audit::Durability::Strict : audit::Durability::Fast;
  options.result_limits = result_limits;
  auto store = audit::AuditStore::open(path, options);
  if (!store) return store.error();
  auto book = audit::ApprovalBook::open(path);
  if (!book) return book.error();
  auto impl = std::make_unique<Impl>();
  impl->store = std::move(store.value());
  impl->book = std::move(book.value());
  impl->strict = strict;
  return std::unique_ptr<AuditRecorder>(new AuditRecorder(std::move(impl)));
}

Result<std::string> AuditRecorder::beginSession(const SessionInfo& info) {
  audit::SessionRecord r;
  r.user = info.identity.user;
  r.groups = info.identity.groups;
  std::string claims = "{";
  for (const auto& [k, v] : info.identity.claims) {
    if (claims.size() > 1) claims += ',';
    audit::appendJsonString(claims, k);
    claims += ':';
    audit::appendJsonString(claims, v);
  }
  r.claims_json = claims + "}";
  r.auth_method = info.auth_method;
  r.client_address = info.client_address;
  r.tls_version = info.tls_version;
  r.application_name = info.application_name;
  r.database = info.database;
  return impl_->store->beginSession(std::move(r));
}

void AuditRecorder::statements(const std::string& session_id, const std::vector<std::string_view>& sql_received,
                               const std::vector<rewrite::Decision>& decisions, StatementsDone done) {
  std::vector<audit::StatementRecord> records;
  records.reserve(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) {
    const rewrite::Decision& d = decisions[i];
    audit::StatementRecord& r = records.emplace_back();
    r.session_id = session_id;
    r.sql_received = sql_received[i];
    r.fingerprint = d.fingerprint;
    r.decision = d.verdict == rewrite::Verdict::Allow  ? audit::Decision::Allow
                 : d.verdict == rewrite::Verdict::Deny ? audit::Decision::Deny
                                                       : audit::Decision::Approval;
    for (const auto& rule : d.rules) r.rules_fired.push_back(rule.str());
    r.reason = d.reason;
    if (d.allowed()) r.sql_forwarded = d.sql;
  }
  impl_->store->appendStatements(std::move(records),
                                 [done = std::move(done)](Result<std::vector<audit::StatementRef>> refs) {
                                   if (refs) done(std::move(*refs));
                                   else done(std::nullopt);
                                 });
}

bool AuditRecorder::synchronous() const { return !impl_->strict; }

void AuditRecorder::flush() { (void)impl_->store->flush(); }

void AuditRecorder::complete(const audit::StatementRef& ref, audit::StatementOutcome outcome) {
  (void)impl_->store->completeStatement(ref, std::move(outcome));
}

void AuditRecorder::endSession(const std::string& session_id, const std::string& reason) {
  (void)impl_->store->endSession(session_id, reason);
}

Result<Recorder::ApprovalAnswer> AuditRecorder::approval(const std::string& user, const std::string& fingerprint,
                                                         const std::string& sql, std::chrono::seconds lifetime) {
  std::lock_guard lock(impl_->book_mutex);
  auto used = impl_->book->consume(user, fingerprint);
  if (!used) return used.error();
  if (*used) return ApprovalAnswer{true, (*used)->id};
  audit::ApprovalRequest req;
  req.identity = user;
  req.fingerprint = fingerprint;
  req.statement = sql;
  req.lifetime = lifetime;
  auto filed = impl_->book->request(req);
  if (!filed) return filed.error();
  return ApprovalAnswer{false, filed->id};
}

}  // namespace sqlwarden::proxy

namespace sqlwarden::proxy {

Result<audit::ApprovalRecord> AuditRecorder::approvalState(int64_t id) {
  std::lock_guard lock(impl_->book_mutex);
  return impl_->book->get(id);
}

Result<bool> AuditRecorder::useApproval(const std::string& user, const std::string& fingerprint) {
  std::lock_guard lock(impl_->book_mutex);
  auto used = impl_->book->consume(user, fingerprint);
  if (!used) return used.error();
  return used->has_value();
}

}  // namespace sqlwarden::proxy
