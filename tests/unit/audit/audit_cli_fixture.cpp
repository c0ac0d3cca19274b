// Writes a small audit file for tests/cli/audit_cli_test.sh, through the
// store's own API (the CLI has no command that records statements):
//
//   audit_cli_fixture DIR   ->  DIR/audit.db, DIR/key.pem, DIR/pub.pem
//
// Two sessions (alice: allowed with result rows, denied, sent for approval,
// failed; bob: one statement, ended), two pending approval requests, one
// signed checkpoint. Prints alice's session id.
#include <cstdio>
#include <fstream>
#include <string>

#include "audit/approvals.hpp"
#include "audit/audit_store.hpp"

using namespace sqlwarden::audit;
using sqlwarden::Result;

namespace {

constexpr Micros kMay1 = 1714564800000000;  // 2024-05-01T12:00:00Z
constexpr Micros kSecond = 1000000;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "audit_cli_fixture: %s\n", what.c_str());
  std::exit(1);
}

template <class T>
T check(Result<T> r) {
  if (!r) die(r.error().message);
  return std::move(r).value();
}

StatementRecord statement(const std::string& sid, std::string sql, Decision d, Micros at,
                          std::string reason = "") {
  StatementRecord r;
  r.session_id = sid;
  r.at = at;
  r.sql_received = std::move(sql);
  r.fingerprint = "fp-" + std::to_string(at);
  r.decision = d;
  r.rules_fired = {"analysts (policies/analysts.rules:4)"};
  r.reason = std::move(reason);
  if (d == Decision::Allow) r.sql_forwarded = r.sql_received;
  r.tables = {"public.users"};
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) die("usage: audit_cli_fixture DIR");
  const std::string dir = argv[1];
  SigningKey key = check(SigningKey::generate());
  std::ofstream(dir + "/key.pem") << key.privateKeyPem();
  std::ofstream(dir + "/pub.pem") << key.publicKeyPem();

  std::string alice;
  {
    auto store = check(AuditStore::open(dir + "/audit.db"));
    SessionRecord s;
    s.user = "alice";
    s.groups = {"analysts"};
    s.claims_json = R"({"tenant":"t1"})";
    s.auth_method = "scram-sha-256";
    s.client_address = "10.0.0.7:51234";
    s.tls_version = "TLSv1.3";
    s.application_name = "psql";
    s.database = "shop";
    s.started_at = kMay1;
    alice = check(store->beginSession(s));

    StatementRecord select = statement(alice, "SELECT id, email FROM users ORDER BY id",
                                       Decision::Allow, kMay1 + kSecond);
    select.sql_forwarded = "SELECT id, mask_email(email) AS email FROM users ORDER BY id";
    StatementRef ref = check(store->appendStatement(select));
    StatementOutcome out;
    out.finished_at = kMay1 + kSecond + 1250;
    out.duration_us = 1250;
    out.command_tag = "SELECT 2";
    out.rows = 2;
    out.result = ResultCapture{{"id", "email"}, {{"1", "a***@example.com"}, {"2", std::nullopt}}};
    check(store->completeStatement(ref, out));

    check(store->appendStatement(statement(alice, "SELECT * FROM secrets", Decision::Deny,
                                           kMay1 + 2 * kSecond, "table public.secrets is denied")));
    check(store->appendStatement(statement(alice, "DELETE FROM orders", Decision::Approval,
                                           kMay1 + 3 * kSecond, "delete without where")));
    StatementRef bad = check(store->appendStatement(
        statement(alice, "SELECT 1/0", Decision::Allow, kMay1 + 4 * kSecond)));
    StatementOutcome err;
    err.finished_at = kMay1 + 4 * kSecond + 300;
    err.duration_us = 300;
    err.error_sqlstate = "22012";
    err.error_message = "division by zero";
    check(store->completeStatement(bad, err));

    s.user = "bob";
    s.application_name = "dbeaver";
    s.started_at = kMay1 + 10 * kSecond;
    const std::string bob = check(store->beginSession(s));
    StatementRef upd = check(store->appendStatement(statement(
        bob, "UPDATE users SET name = 'x' WHERE id = 1", Decision::Allow, kMay1 + 11 * kSecond)));
    StatementOutcome updated;
    updated.finished_at = kMay1 + 11 * kSecond + 900;
    updated.duration_us = 900;
    updated.command_tag = "UPDATE 1";
    updated.rows = 1;
    check(store->completeStatement(upd, updated));
    check(store->endSession(bob, "client closed the connection", kMay1 + 12 * kSecond));
    check(store->checkpoint(&key));
  }
  auto book = check(ApprovalBook::open(dir + "/audit.db"));
  const Micros now = nowMicros();
  check(book->request({"alice", "fp-delete", "DELETE FROM orders", std::chrono::hours(1)}, now));
  check(book->request({"bob", "fp-truncate", "TRUNCATE audit_log", std::chrono::hours(1)}, now));
  std::printf("%s\n", alice.c_str());
  return 0;
}
