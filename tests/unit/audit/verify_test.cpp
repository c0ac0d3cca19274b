// Tamper evidence: each kind of tampering is detected, with its position.
#include <doctest/doctest.h>

#include "audit/approvals.hpp"
#include "audit/prune.hpp"
#include "audit/verify.hpp"
#include "audit_test_support.hpp"

namespace sqlwarden::audit {
namespace {

using testing::execSql;
using testing::queryInt;
using testing::TempDir;

// A file with one session (position 1), statements 1..n at positions 2..n+1
// (statement seq k is at position k+1), each at time k seconds.
void writeStatements(const std::string& path, int n) {
  auto store = testing::openStore(path);
  SessionRecord s = testing::sampleSession();
  s.started_at = 1'000'000;
  const std::string sid = *store->beginSession(s);
  for (int k = 1; k <= n; ++k) {
    REQUIRE(store
                ->appendStatement(testing::sampleStatement(sid, "SELECT " + std::to_string(k),
                                                           Decision::Allow, k * 1'000'000))
                .ok());
  }
}

VerifyReport verify(const std::string& path, const VerifyKey* key = nullptr) {
  Result<VerifyReport> report = verifyAuditFile(path, key);
  REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error().message));
  return std::move(report).value();
}

// The first problem, which must exist, of kind `kind` at `pos`.
void requireFirstProblem(const VerifyReport& report, ProblemKind kind, int64_t pos) {
  REQUIRE_FALSE(report.ok());
  const VerifyProblem& p = report.problems.front();
  INFO(problemKindName(p.kind) << " at " << p.chain_pos << ": " << p.record << ": " << p.message);
  CHECK(p.kind == kind);
  CHECK(p.chain_pos == pos);
}

// Adds a forged statement "DROP TABLE x" copied from statement `from_seq`,
// with the chain position and prev_hash given as SQL expressions.
void forgeStatement(const std::string& path, int from_seq, const std::string& pos,
                    const std::string& prev_hash) {
  execSql(path,
          "INSERT INTO statements (session_id, seq, at, sql_received, fingerprint, decision, "
          "rules, reason, sql_forwarded, tables, chain_pos, prev_hash, hash) "
          "SELECT session_id, 99, at, 'DROP TABLE x', fingerprint, decision, rules, reason, "
          "sql_forwarded, tables, " +
              pos + ", " + prev_hash +
              ", hash FROM statements WHERE seq = " + std::to_string(from_seq));
}

SigningKey newKey() {
  Result<SigningKey> key = SigningKey::generate();
  REQUIRE(key.ok());
  return std::move(key).value();
}

VerifyKey publicOf(const SigningKey& key) {
  Result<VerifyKey> pub = VerifyKey::fromPem(key.publicKeyPem());
  REQUIRE(pub.ok());
  return std::move(pub).value();
}

void checkpoint(const std::string& path, const SigningKey* key) {
  auto store = testing::openStore(path);
  REQUIRE(store->checkpoint(key).ok());
}

TEST_CASE("an untouched file verifies") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 5);
  const VerifyReport report = verify(path);
  CHECK(report.ok());
  CHECK(report.records == 6);
  CHECK(report.first_pos == 1);
  CHECK(report.last_pos == 6);
}

TEST_CASE("an empty file verifies") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  testing::openStore(path);
  const VerifyReport report = verify(path);
  CHECK(report.ok());
  CHECK(report.records == 0);
}

TEST_CASE("an edited statement is found at its position") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 5);
  execSql(path, "UPDATE statements SET sql_received = 'SELECT 42' WHERE seq = 3");
  const VerifyReport report = verify(path);
  requireFirstProblem(report, ProblemKind::Edited, 4);
  CHECK(report.problems.front().record.find("seq 3") != std::string::npos);
  CHECK(report.problems.size() == 1);
}

TEST_CASE("a changed storage class counts as an edit") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 3);
  // The same bytes as a BLOB instead of TEXT.
  execSql(path, "UPDATE statements SET sql_received = CAST(sql_received AS BLOB) WHERE seq = 2");
  requireFirstProblem(verify(path), ProblemKind::Edited, 3);
}

TEST_CASE("an edited session is found") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 2);
  execSql(path, "UPDATE sessions SET user = 'mallory'");
  requireFirstProblem(verify(path), ProblemKind::Edited, 1);
}

TEST_CASE("a deleted statement is found as missing positions") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 5);
  execSql(path, "DELETE FROM statements WHERE seq = 2");
  const VerifyReport report = verify(path);
  requireFirstProblem(report, ProblemKind::Missing, 3);
  CHECK(report.problems.front().message.find("position 3") != std::string::npos);
}

TEST_CASE("a deletion hidden by renumbering breaks the link") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 5);
  execSql(path,
          "DELETE FROM statements WHERE seq = 2;"
          "UPDATE statements SET chain_pos = -(chain_pos - 1) WHERE chain_pos > 3;"
          "UPDATE statements SET chain_pos = -chain_pos WHERE chain_pos < 0;"
          "UPDATE chain_head SET head_pos = head_pos - 1");
  requireFirstProblem(verify(path), ProblemKind::BrokenLink, 3);
}

TEST_CASE("an inserted statement is found") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 3);
  SUBCASE("at a taken position") {
    execSql(path,
            "INSERT INTO session_ends (session_id, ended_at, end_reason, chain_pos, prev_hash, "
            "hash) SELECT session_id, at, 'x', 3, prev_hash, hash FROM statements WHERE seq = 2");
    const VerifyReport report = verify(path);
    REQUIRE_FALSE(report.ok());
    bool found = false;
    for (const VerifyProblem& p : report.problems)
      found |= p.kind == ProblemKind::Duplicate && p.chain_pos == 3;
    CHECK(found);
  }
  SUBCASE("at the end") {
    forgeStatement(path, 3, "5", "hash");
    requireFirstProblem(verify(path), ProblemKind::Edited, 5);
  }
  SUBCASE("in the middle, with later positions shifted") {
    execSql(path,
            "UPDATE statements SET chain_pos = -(chain_pos + 1) WHERE chain_pos >= 3;"
            "UPDATE statements SET chain_pos = -chain_pos WHERE chain_pos < 0;"
            "UPDATE chain_head SET head_pos = head_pos + 1");
    forgeStatement(path, 1, "3", "hash");
    requireFirstProblem(verify(path), ProblemKind::Edited, 3);
  }
}

TEST_CASE("reordered statements break the link where the order changed") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 5);
  execSql(path,
          "UPDATE statements SET chain_pos = -1 WHERE chain_pos = 3;"
          "UPDATE statements SET chain_pos = 3 WHERE chain_pos = 4;"
          "UPDATE statements SET chain_pos = 4 WHERE chain_pos = -1");
  requireFirstProblem(verify(path), ProblemKind::BrokenLink, 3);
}

TEST_CASE("records cut off the end are found against the chain head") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  writeStatements(path, 5);
  execSql(path, "DELETE FROM statements WHERE seq >= 4");
  const VerifyReport report = verify(path);
  requireFirstProblem(report, ProblemKind::Truncated, 5);
  CHECK(report.problems.front().message.find("head is at position 6") != std::string::npos);
}

TEST_CASE("edited result rows are found through the outcome's digest") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  {
    auto store = testing::openStore(path);
    const std::string sid = *store->beginSession(testing::sampleSession());
    const StatementRef ref =
        *store->appendStatement(testing::sampleStatement(sid, "SELECT email FROM users"));
    StatementOutcome out;
    out.result = ResultCapture{{"email"}, {{"a***@x.com"}, {"b***@y.com"}}};
    REQUIRE(store->completeStatement(ref, out).ok());
  }
  CHECK(verify(path).ok());
  SUBCASE("a cell changed") {
    execSql(path, "UPDATE result_rows SET cells = '[\"alice@x.com\"]' WHERE row_no = 1");
  }
  SUBCASE("a row deleted") {
    execSql(path, "DELETE FROM result_rows WHERE row_no = 2");
  }
  const VerifyReport report = verify(path);
  requireFirstProblem(report, ProblemKind::Edited, 3);
  CHECK(report.problems.front().message.find("result rows") != std::string::npos);
}

TEST_CASE("an edited approval event, and an approvals row that disagrees with its events") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  {
    Result<std::unique_ptr<ApprovalBook>> book = ApprovalBook::open(path);
    REQUIRE(book.ok());
    const int64_t id =
        (*book)->request({"bob", "fp", "DROP TABLE t", std::chrono::seconds(600)})->id;
    REQUIRE((*book)->approve(id, "carol", "", nowMicros()).ok());
    REQUIRE((*book)->request({"bob", "fp2", "TRUNCATE t", std::chrono::seconds(600)}).ok());
  }
  CHECK(verify(path).ok());
  SUBCASE("the approver's name in the event") {
    execSql(path, "UPDATE approval_events SET actor = 'bob' WHERE event = 'approved'");
    requireFirstProblem(verify(path), ProblemKind::Edited, 2);
  }
  SUBCASE("self-approval written straight into the approvals table") {
    execSql(path, "UPDATE approvals SET state = 'approved', decided_by = 'bob' WHERE id = 2");
    const VerifyReport report = verify(path);
    requireFirstProblem(report, ProblemKind::StateMismatch, 3);
    CHECK(report.problems.front().record == "approval 2");
  }
  SUBCASE("an approval row with no history") {
    execSql(path,
            "INSERT INTO approvals (identity, fingerprint, statement, requested_at, expires_at, "
            "state, decided_by, reason) VALUES ('bob', 'fp3', 'DROP DATABASE x', 0, "
            "9000000000000000, 'approved', 'carol', '')");
    const VerifyReport report = verify(path);
    REQUIRE_FALSE(report.ok());
    CHECK(report.problems.front().kind == ProblemKind::StateMismatch);
    CHECK(report.problems.front().record == "approval 3");
  }
}

TEST_CASE("signed checkpoints verify with the public key") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  const SigningKey key = newKey();
  const VerifyKey pub = publicOf(key);
  writeStatements(path, 3);
  checkpoint(path, &key);
  writeStatements(path, 2);
  checkpoint(path, &key);
  const VerifyReport report = verify(path, &pub);
  CHECK(report.ok());
  CHECK(report.checkpoints == 2);
  CHECK(report.signatures_verified == 2);
  CHECK(report.key_given);

  SUBCASE("another key's public half is refused") {
    const SigningKey other = newKey();
    const VerifyKey other_pub = publicOf(other);
    const VerifyReport r = verify(path, &other_pub);
    requireFirstProblem(r, ProblemKind::BadSignature, 4);
    CHECK(r.problems.front().message == "was signed by a different key");
  }
  SUBCASE("an edited checkpoint no longer verifies") {
    execSql(path, "UPDATE checkpoints SET head_pos = 2 WHERE id = 1");
    const VerifyReport r = verify(path, &pub);
    REQUIRE_FALSE(r.ok());
    CHECK(r.problems.front().kind == ProblemKind::BadSignature);
  }
  SUBCASE("an unsigned checkpoint is reported when a key is given") {
    checkpoint(path, nullptr);
    CHECK(verify(path).ok());
    const VerifyReport r = verify(path, &pub);
    REQUIRE_FALSE(r.ok());
    CHECK(r.problems.front().kind == ProblemKind::Unsigned);
  }
}

TEST_CASE("a rewritten history is caught by a signed checkpoint, not without one") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  const SigningKey key = newKey();
  const VerifyKey pub = publicOf(key);
  writeStatements(path, 5);  // positions 1-6
  checkpoint(path, &key);    // covers position 6
  writeStatements(path, 2);  // positions 7-9

  SUBCASE("edited before the checkpoint and the chain recomputed") {
    execSql(path, "UPDATE statements SET sql_received = 'SELECT harmless' WHERE chain_pos = 3");
    testing::recomputeChain(path);
    requireFirstProblem(verify(path, &pub), ProblemKind::Rewritten, 6);
  }
  SUBCASE("deleted before the checkpoint (truncation before it) and the chain recomputed") {
    execSql(path, "DELETE FROM statements WHERE chain_pos = 2");
    testing::recomputeChain(path);
    requireFirstProblem(verify(path, &pub), ProblemKind::Rewritten, 6);
  }
  SUBCASE("truncated after the checkpoint position, head fixed up") {
    execSql(path,
            "DELETE FROM statements WHERE chain_pos >= 5;"
            "DELETE FROM sessions WHERE chain_pos >= 5;"
            "UPDATE chain_head SET head_pos = 4, "
            "head_hash = (SELECT hash FROM statements WHERE chain_pos = 4)");
    const VerifyReport r = verify(path, &pub);
    requireFirstProblem(r, ProblemKind::Truncated, 5);
    CHECK(r.problems.front().record == "checkpoint 1");
  }
  SUBCASE("records after the last checkpoint can be rewritten undetected (documented limit)") {
    execSql(path, "UPDATE statements SET sql_received = 'SELECT harmless' WHERE chain_pos = 8");
    testing::recomputeChain(path);
    CHECK(verify(path, &pub).ok());
  }
}

TEST_CASE("prune removes old records and the rest still verifies") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  const SigningKey key = newKey();
  const VerifyKey pub = publicOf(key);
  writeStatements(path, 6);  // session at 1s, statements at 1..6 s, positions 1-7
  checkpoint(path, &key);

  Result<PruneReport> pruned = pruneAuditFile(path, 4'000'000, &key);
  REQUIRE_MESSAGE(pruned.ok(), (pruned.ok() ? "" : pruned.error().message));
  // Statements at 1, 2, 3 s (positions 2-4) and the session (position 1) are
  // before the cutoff; the session stays because its statements remain.
  CHECK(pruned->pruned_pos == 4);
  CHECK(pruned->removed == 3);
  CHECK(queryInt(path, "SELECT count(*) FROM statements") == 3);
  CHECK(queryInt(path, "SELECT count(*) FROM sessions") == 1);
  CHECK(queryInt(path, "SELECT pruned_pos FROM chain_head") == 4);

  VerifyReport report = verify(path, &pub);
  CHECK(report.ok());
  CHECK(report.first_pos == 5);
  CHECK(report.records == 3);
  CHECK(report.signatures_verified == 2);

  SUBCASE("pruning again at the same date changes nothing") {
    Result<PruneReport> again = pruneAuditFile(path, 4'000'000, &key);
    REQUIRE(again.ok());
    CHECK(again->removed == 0);
    CHECK(verify(path, &pub).ok());
  }
  SUBCASE("a pruned head moved by hand is caught") {
    execSql(path,
            "UPDATE chain_head SET pruned_pos = 5, "
            "pruned_hash = (SELECT hash FROM statements WHERE chain_pos = 5);"
            "DELETE FROM statements WHERE chain_pos = 5");
    const VerifyReport r = verify(path, &pub);
    REQUIRE_FALSE(r.ok());
    CHECK(r.problems.front().kind == ProblemKind::Rewritten);
  }
  SUBCASE("a deletion after the pruned head is still found") {
    execSql(path, "DELETE FROM statements WHERE chain_pos = 6");
    requireFirstProblem(verify(path, &pub), ProblemKind::Missing, 6);
  }
}

TEST_CASE("prune keeps approvals that can still be used") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  {
    Result<std::unique_ptr<ApprovalBook>> book = ApprovalBook::open(path);
    REQUIRE(book.ok());
    const int64_t done =
        (*book)->request({"bob", "a", "x", std::chrono::seconds(600)}, 1'000'000)->id;
    REQUIRE((*book)->deny(done, "carol", "", 2'000'000).ok());
    // Pending, with a long lifetime: its request event must survive.
    REQUIRE(
        (*book)->request({"bob", "b", "y", std::chrono::hours(24 * 365 * 100)}, 3'000'000).ok());
    const int64_t later =
        (*book)->request({"bob", "c", "z", std::chrono::seconds(600)}, 4'000'000)->id;
    REQUIRE((*book)->deny(later, "carol", "", 5'000'000).ok());
  }
  Result<PruneReport> pruned = pruneAuditFile(path, 10'000'000);
  REQUIRE(pruned.ok());
  CHECK(pruned->pruned_pos == 2);  // stops before the pending request (position 3)
  CHECK(queryInt(path, "SELECT count(*) FROM approvals") == 2);
  CHECK(verify(path).ok());
}

TEST_CASE("keys load from PEM files and bad keys are refused") {
  TempDir dir;
  const SigningKey key = newKey();
  CHECK(key.publicKeyRaw().size() == 32);
  CHECK(SigningKey::fromPem(key.privateKeyPem()).ok());
  CHECK(VerifyKey::fromPem(key.publicKeyPem())->raw() == key.publicKeyRaw());
  Result<SigningKey> not_private = SigningKey::fromPem(key.publicKeyPem());
  REQUIRE_FALSE(not_private.ok());
  CHECK(not_private.error().code == "audit-key");
  CHECK_FALSE(VerifyKey::fromPem("garbage").ok());
  Result<VerifyKey> missing = VerifyKey::loadPem(dir.file("missing.pem"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("missing.pem") != std::string::npos);
  const VerifyKey pub = publicOf(key);
  const std::string sig = *key.sign("message");
  CHECK(pub.verify("message", sig));
  CHECK_FALSE(pub.verify("massage", sig));
}

}  // namespace
}  // namespace sqlwarden::audit
