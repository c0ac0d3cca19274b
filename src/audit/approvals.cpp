#include "audit/approvals.hpp"

#include <array>

#include "audit/schema.hpp"
#include "audit/time_format.hpp"

namespace sqlwarden::audit {

namespace {

constexpr std::string_view kColumns =
    "id, identity, fingerprint, statement, requested_at, expires_at, state, decided_by, "
    "decided_at, reason, used_at";

ApprovalRecord readApproval(const Statement& s) {
  ApprovalRecord a;
  a.id = s.integer(0);
  a.identity = s.text(1);
  a.fingerprint = s.text(2);
  a.statement = s.text(3);
  a.requested_at = s.integer(4);
  a.expires_at = s.integer(5);
  a.state = parseApprovalState(s.text(6)).value_or(ApprovalState::Pending);
  a.decided_by = s.text(7);
  a.decided_at = s.optionalInteger(8);
  a.reason = s.text(9);
  a.used_at = s.optionalInteger(10);
  return a;
}

Result<std::vector<ApprovalRecord>> readApprovals(Statement& stmt) {
  std::vector<ApprovalRecord> out;
  if (Status s = forEachRow(stmt, [&] { out.push_back(readApproval(stmt)); }); !s) return s.error();
  return out;
}

// The transaction of one approval operation: lock, read the head, expire
// what is due, ..., write the head, commit.
class ChainTransaction {
 public:
  static Result<ChainTransaction> begin(Connection& db) {
    Result<WriteTransaction> tx = WriteTransaction::begin(db);
    if (!tx) return tx.error();
    Result<ChainHead> head = readChainHead(db);
    if (!head) return head.error();
    return ChainTransaction(db, std::move(*tx), std::move(*head));
  }
  ChainHead& head() { return head_; }
  Status commit() {
    if (head_.pos != start_pos_) {
      if (Status s = writeChainHead(db_, head_); !s) return s;
    }
    return tx_.commit();
  }

 private:
  ChainTransaction(Connection& db, WriteTransaction tx, ChainHead head)
      : db_(db), tx_(std::move(tx)), head_(std::move(head)), start_pos_(head_.pos) {}
  Connection& db_;
  WriteTransaction tx_;
  ChainHead head_;
  int64_t start_pos_;
};

}  // namespace

Result<std::unique_ptr<ApprovalBook>> ApprovalBook::open(const std::string& path,
                                                         Connection::Mode mode,
                                                         std::chrono::milliseconds busy_timeout) {
  Result<Connection> db = openAuditFile(path, mode, busy_timeout);
  if (!db) return db.error();
  return std::unique_ptr<ApprovalBook>(new ApprovalBook(std::move(*db)));
}

Status ApprovalBook::appendEvent(const ApprovalRecord& a, std::string_view event,
                                 std::string_view actor, Micros at, std::string_view reason,
                                 ChainHead& head) {
  const std::array<Value, 9> values = {
      a.id,          at,          std::string(event), std::string(actor), a.identity,
      a.fingerprint, a.statement, a.expires_at,       std::string(reason)};
  return appender_.append(chainedTable("approval_events"), values, head);
}

Status ApprovalBook::store(const ApprovalRecord& a) {
  Result<Statement> stmt = db_.prepare(
      "UPDATE approvals SET state = ?, decided_by = ?, decided_at = ?, reason = ?, used_at = ? "
      "WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind(1, approvalStateName(a.state)).bind(2, a.decided_by).bind(3, a.decided_at);
  stmt->bind(4, a.reason).bind(5, a.used_at).bind(6, a.id);
  return stmt->run();
}

Result<std::optional<ApprovalRecord>> ApprovalBook::load(int64_t id) {
  Result<Statement> stmt =
      db_.prepare("SELECT " + std::string(kColumns) + " FROM approvals WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind(1, id);
  Result<bool> row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<ApprovalRecord>();
  return std::optional<ApprovalRecord>(readApproval(*stmt));
}

Result<int> ApprovalBook::expireLocked(Micros now, ChainHead& head) {
  Result<Statement> due = db_.prepare(
      "SELECT " + std::string(kColumns) +
      " FROM approvals WHERE state IN ('pending', 'approved') AND expires_at <= ? ORDER BY id");
  if (!due) return due.error();
  due->bind(1, now);
  Result<std::vector<ApprovalRecord>> expired = readApprovals(*due);
  if (!expired) return expired.error();
  for (ApprovalRecord& a : *expired) {
    a.state = ApprovalState::Expired;
    // The event carries the moment the lifetime ended, not when it was noticed.
    if (Status s = appendEvent(a, "expired", "sqlwarden", a.expires_at, "", head); !s) {
      return s.error();
    }
    if (Status s = store(a); !s) return s.error();
  }
  return static_cast<int>(expired->size());
}

Result<ApprovalRecord> ApprovalBook::request(const ApprovalRequest& request, Micros now) {
  std::lock_guard lock(mutex_);
  Result<ChainTransaction> tx = ChainTransaction::begin(db_);
  if (!tx) return tx.error();
  if (Result<int> n = expireLocked(now, tx->head()); !n) return n.error();
  ApprovalRecord a;
  a.identity = request.identity;
  a.fingerprint = request.fingerprint;
  a.statement = request.statement;
  a.requested_at = now;
  a.expires_at =
      now + std::chrono::duration_cast<std::chrono::microseconds>(request.lifetime).count();
  Result<Statement> insert = db_.prepare(
      "INSERT INTO approvals (identity, fingerprint, statement, requested_at, expires_at, state, "
      "decided_by, reason) VALUES (?, ?, ?, ?, ?, 'pending', '', '')");
  if (!insert) return insert.error();
  insert->bind(1, a.identity).bind(2, a.fingerprint).bind(3, a.statement);
  insert->bind(4, a.requested_at).bind(5, a.expires_at);
  if (Status s = insert->run(); !s) return s.error();
  a.id = db_.lastInsertRowid();
  if (Status s = appendEvent(a, "requested", a.identity, now, "", tx->head()); !s) {
    return s.error();
  }
  if (Status s = tx->commit(); !s) return s.error();
  return a;
}

Result<std::vector<ApprovalRecord>> ApprovalBook::list(bool pending_only, Micros now) {
  std::lock_guard lock(mutex_);
  Result<ChainTransaction> tx = ChainTransaction::begin(db_);
  if (!tx) return tx.error();
  if (Result<int> n = expireLocked(now, tx->head()); !n) return n.error();
  Result<Statement> stmt =
      db_.prepare("SELECT " + std::string(kColumns) + " FROM approvals" +
                  (pending_only ? " WHERE state = 'pending'" : "") + " ORDER BY id DESC");
  if (!stmt) return stmt.error();
  Result<std::vector<ApprovalRecord>> out = readApprovals(*stmt);
  if (!out) return out;
  if (Status s = tx->commit(); !s) return s.error();
  return out;
}

Result<ApprovalRecord> ApprovalBook::get(int64_t id, Micros now) {
  std::lock_guard lock(mutex_);
  Result<ChainTransaction> tx = ChainTransaction::begin(db_);
  if (!tx) return tx.error();
  if (Result<int> n = expireLocked(now, tx->head()); !n) return n.error();
  Result<std::optional<ApprovalRecord>> a = load(id);
  if (!a) return a.error();
  if (Status s = tx->commit(); !s) return s.error();
  if (!*a) return auditError("audit-approval-unknown", "no approval request " + std::to_string(id));
  return std::move(**a);
}

Result<ApprovalRecord> ApprovalBook::approve(int64_t id, std::string_view approver,
                                             std::string_view reason, Micros now) {
  return decide(id, ApprovalState::Approved, approver, reason, now);
}

Result<ApprovalRecord> ApprovalBook::deny(int64_t id, std::string_view approver,
                                          std::string_view reason, Micros now) {
  return decide(id, ApprovalState::Denied, approver, reason, now);
}

Result<ApprovalRecord> ApprovalBook::decide(int64_t id, ApprovalState to, std::string_view approver,
                                            std::string_view reason, Micros now) {
  std::lock_guard lock(mutex_);
  if (approver.empty()) {
    return auditError("audit-approval-approver", "an approver name is required");
  }
  Result<ChainTransaction> tx = ChainTransaction::begin(db_);
  if (!tx) return tx.error();
  if (Result<int> n = expireLocked(now, tx->head()); !n) return n.error();
  Result<std::optional<ApprovalRecord>> loaded = load(id);
  if (!loaded) return loaded.error();
  // Expiries found above are committed even when this decision is refused.
  auto refuse = [&](std::string code, std::string message) -> Result<ApprovalRecord> {
    if (Status s = tx->commit(); !s) return s.error();
    return auditError(std::move(code), std::move(message));
  };
  const std::string name = "approval request " + std::to_string(id);
  if (!*loaded) return refuse("audit-approval-unknown", "no " + name);
  ApprovalRecord a = std::move(**loaded);
  if (a.state == ApprovalState::Expired) {
    return refuse("audit-approval-expired", name + " expired at " + formatTime(a.expires_at));
  }
  if (a.state != ApprovalState::Pending) {
    return refuse("audit-approval-state",
                  name + " is already " + std::string(approvalStateName(a.state)));
  }
  if (approver == a.identity) {
    return refuse("audit-approval-self",
                  std::string(approver) + " cannot decide their own " + name);
  }
  a.state = to;
  a.decided_by = approver;
  a.decided_at = now;
  a.reason = reason;
  const std::string_view event = to == ApprovalState::Approved ? "approved" : "denied";
  if (Status s = appendEvent(a, event, approver, now, reason, tx->head()); !s) return s.error();
  if (Status s = store(a); !s) return s.error();
  if (Status s = tx->commit(); !s) return s.error();
  return a;
}

Result<std::optional<ApprovalRecord>> ApprovalBook::consume(std::string_view identity,
                                                            std::string_view fingerprint,
                                                            Micros now) {
  std::lock_guard lock(mutex_);
  Result<ChainTransaction> tx = ChainTransaction::begin(db_);
  if (!tx) return tx.error();
  if (Result<int> n = expireLocked(now, tx->head()); !n) return n.error();
  Result<Statement> find =
      db_.prepare("SELECT " + std::string(kColumns) +
                  " FROM approvals WHERE identity = ? AND fingerprint = ? AND state = 'approved' "
                  "ORDER BY id LIMIT 1");
  if (!find) return find.error();
  find->bind(1, identity).bind(2, fingerprint);
  Result<bool> row = find->step();
  if (!row) return row.error();
  std::optional<ApprovalRecord> found;
  if (*row) {
    ApprovalRecord a = readApproval(*find);
    find->reset();
    a.state = ApprovalState::Used;
    a.used_at = now;
    if (Status s = appendEvent(a, "used", identity, now, "", tx->head()); !s) return s.error();
    if (Status s = store(a); !s) return s.error();
    found = std::move(a);
  }
  if (Status s = tx->commit(); !s) return s.error();
  return found;
}

Result<int> ApprovalBook::expireDue(Micros now) {
  std::lock_guard lock(mutex_);
  Result<ChainTransaction> tx = ChainTransaction::begin(db_);
  if (!tx) return tx.error();
  Result<int> n = expireLocked(now, tx->head());
  if (!n) return n;
  if (Status s = tx->commit(); !s) return s.error();
  return n;
}

}  // namespace sqlwarden::audit
