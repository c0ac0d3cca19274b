// AuditStore: every record kind round-trips, strict and fast durability,
// group commit from many threads, back-pressure, and failure reporting.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "audit/audit_store.hpp"
#include "audit/reader.hpp"
#include "audit/verify.hpp"
#include "audit_test_support.hpp"

namespace sqlwarden::audit {
namespace {

using testing::openStore;
using testing::requireVerified;
using testing::sampleSession;
using testing::sampleStatement;
using testing::TempDir;

std::unique_ptr<AuditReader> openReader(const std::string& path) {
  Result<std::unique_ptr<AuditReader>> r = AuditReader::open(path);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return std::move(r).value();
}

TEST_CASE("sessions, statements, outcomes and result rows round-trip") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  std::string sid;
  {
    auto store = openStore(path);
    SessionRecord session = sampleSession();
    session.started_at = 1'000'000;
    Result<std::string> id = store->beginSession(session);
    REQUIRE(id.ok());
    sid = *id;
    CHECK(sid.size() == 16);

    Result<StatementRef> allowed = store->appendStatement(
        sampleStatement(sid, "SELECT id, email FROM users", Decision::Allow, 2'000'000));
    REQUIRE(allowed.ok());
    CHECK(allowed->seq == 1);
    StatementOutcome out;
    out.duration_us = 812;
    out.command_tag = "SELECT 2";
    out.rows = 2;
    out.result = ResultCapture{{"id", "email"}, {{"1", "a***@x.com"}, {"2", std::nullopt}}};
    REQUIRE(store->completeStatement(*allowed, out).ok());

    Result<StatementRef> denied = store->appendStatement(
        sampleStatement(sid, "SELECT * FROM secrets", Decision::Deny, 3'000'000));
    REQUIRE(denied.ok());
    CHECK(denied->seq == 2);

    Result<StatementRef> failed =
        store->appendStatement(sampleStatement(sid, "SELECT 1/0", Decision::Allow, 4'000'000));
    REQUIRE(failed.ok());
    StatementOutcome err;
    err.error_sqlstate = "22012";
    err.error_message = "division by zero";
    REQUIRE(store->completeStatement(*failed, err).ok());
    REQUIRE(store->endSession(sid, "client closed the connection", 5'000'000).ok());
  }
  auto reader = openReader(path);
  Result<std::vector<SessionSummary>> sessions = reader->sessions();
  REQUIRE(sessions.ok());
  REQUIRE(sessions->size() == 1);
  const SessionRecord& s = (*sessions)[0].session;
  CHECK(s.id == sid);
  CHECK(s.user == "alice");
  CHECK(s.groups == std::vector<std::string>{"analysts", "eu"});
  CHECK(s.claims_json == R"({"tenant":"t1"})");
  CHECK(s.auth_method == "scram-sha-256");
  CHECK(s.client_address == "10.0.0.7:51234");
  CHECK(s.tls_version == "TLSv1.3");
  CHECK(s.application_name == "psql");
  CHECK(s.database == "shop");
  CHECK(s.started_at == 1'000'000);
  CHECK(s.ended_at == 5'000'000);
  CHECK(s.end_reason == "client closed the connection");
  CHECK((*sessions)[0].statements == 3);

  Result<Transcript> t = reader->transcript(sid.substr(0, 6));
  REQUIRE(t.ok());
  REQUIRE(t->statements.size() == 3);
  const StatementEntry& first = t->statements[0];
  CHECK(first.user == "alice");
  CHECK(first.record.seq == 1);
  CHECK(first.record.at == 2'000'000);
  CHECK(first.record.sql_received == "SELECT id, email FROM users");
  CHECK(first.record.sql_forwarded == "SELECT id, email FROM users");
  CHECK(first.record.fingerprint == "fp:SELECT id, email FROM users");
  CHECK(first.record.rules_fired == std::vector<std::string>{"readers (policies/readers.rules:3)"});
  CHECK(first.record.tables == std::vector<std::string>{"public.users"});
  REQUIRE(first.outcome.has_value());
  CHECK(first.outcome->duration_us == 812);
  CHECK(first.outcome->command_tag == "SELECT 2");
  CHECK(first.outcome->rows == 2);
  REQUIRE(first.outcome->result.has_value());
  CHECK(first.outcome->result->columns == std::vector<std::string>{"id", "email"});
  REQUIRE(first.outcome->result->rows.size() == 2);
  CHECK(first.outcome->result->rows[0] == Row{"1", "a***@x.com"});
  CHECK(first.outcome->result->rows[1] == Row{"2", std::nullopt});
  CHECK_FALSE(first.outcome->result->truncated);

  const StatementEntry& deny = t->statements[1];
  CHECK(deny.record.decision == Decision::Deny);
  CHECK(deny.record.reason == "no access to public.secrets");
  CHECK(deny.record.sql_forwarded.empty());
  CHECK_FALSE(deny.outcome.has_value());

  const StatementEntry& error = t->statements[2];
  REQUIRE(error.outcome.has_value());
  CHECK(error.outcome->error_sqlstate == "22012");
  CHECK(error.outcome->error_message == "division by zero");
  CHECK_FALSE(error.outcome->result.has_value());
  requireVerified(path);
}

TEST_CASE("result rows are capped by rows and by bytes, with a truncation marker") {
  ResultLimits limits{3, 10};
  ResultCapture by_rows;
  for (int i = 0; i < 5; ++i) addResultRow(by_rows, {std::to_string(i)}, limits);
  CHECK(by_rows.rows.size() == 3);
  CHECK(by_rows.truncated);

  ResultCapture by_bytes;
  CHECK(addResultRow(by_bytes, {"12345"}, limits));
  CHECK(addResultRow(by_bytes, {"1234", std::nullopt}, limits));
  CHECK_FALSE(addResultRow(by_bytes, {"12"}, limits));
  CHECK(by_bytes.rows.size() == 2);
  CHECK(by_bytes.truncated);
  CHECK_FALSE(addResultRow(by_bytes, {}, limits));  // stays truncated

  // The store applies its own limits to what the gateway hands it.
  TempDir dir;
  const std::string path = dir.file("audit.db");
  StoreOptions options;
  options.result_limits = {2, 1000};
  std::string sid;
  {
    auto store = openStore(path, options);
    sid = *store->beginSession(sampleSession());
    StatementRef ref = *store->appendStatement(sampleStatement(sid, "SELECT n FROM t"));
    StatementOutcome out;
    out.result = ResultCapture{{"n"}, {{"1"}, {"2"}, {"3"}, {"4"}}};
    REQUIRE(store->completeStatement(ref, out).ok());
  }
  Result<Transcript> t = openReader(path)->transcript(sid);
  REQUIRE(t.ok());
  const ResultCapture& kept = *t->statements[0].outcome->result;
  CHECK(kept.rows.size() == 2);
  CHECK(kept.truncated);
  requireVerified(path);
}

TEST_CASE("strict: a statement's record is committed when appendStatement returns") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  auto store = openStore(path);
  const std::string sid = *store->beginSession(sampleSession());
  for (int i = 1; i <= 5; ++i) {
    Result<StatementRef> ref =
        store->appendStatement(sampleStatement(sid, "SELECT " + std::to_string(i)));
    REQUIRE(ref.ok());
    // Another connection (another process, as far as SQLite knows) sees it.
    CHECK(testing::queryInt(path, "SELECT count(*) FROM statements") == i);
  }
  CHECK(store->durability() == Durability::Strict);
}

TEST_CASE("appending to a session that was not begun is an error") {
  TempDir dir;
  auto store = openStore(dir.file("audit.db"));
  Result<StatementRef> ref = store->appendStatement(sampleStatement("nosuchsession", "SELECT 1"));
  REQUIRE_FALSE(ref.ok());
  CHECK(ref.error().code == "audit-session");
  const std::string sid = *store->beginSession(sampleSession());
  REQUIRE(store->endSession(sid, "done").ok());
  CHECK_FALSE(store->appendStatement(sampleStatement(sid, "SELECT 1")).ok());
  CHECK_FALSE(store->endSession(sid, "twice").ok());
}

// Many gateway threads at once: the writer commits them in groups, sequence
// numbers stay per session, and the chain stays whole.
void runConcurrentAppends(Durability durability, size_t queue_capacity) {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  {
    StoreOptions options;
    options.durability = durability;
    options.queue_capacity = queue_capacity;
    auto store = openStore(path, options);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        Result<std::string> sid = store->beginSession(sampleSession("user" + std::to_string(t)));
        if (!sid) {
          ++failures;
          return;
        }
        for (int i = 0; i < kPerThread; ++i) {
          Result<StatementRef> ref =
              store->appendStatement(sampleStatement(*sid, "SELECT " + std::to_string(i)));
          if (!ref || ref->seq != i + 1) ++failures;
          if (ref &&
              !store->completeStatement(*ref, StatementOutcome{0, 5, "SELECT 1", 1, "", "", {}}))
            ++failures;
        }
        if (!store->endSession(*sid, "done")) ++failures;
      });
    }
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    CHECK_FALSE(store->failure().has_value());
  }  // the destructor commits what is queued
  CHECK(testing::queryInt(path, "SELECT count(*) FROM statements") == kThreads * kPerThread);
  CHECK(testing::queryInt(path, "SELECT count(*) FROM statement_outcomes") ==
        kThreads * kPerThread);
  CHECK(testing::queryInt(path, "SELECT count(*) FROM session_ends") == kThreads);
  CHECK(
      testing::queryInt(path, "SELECT count(DISTINCT session_id || '/' || seq) FROM statements") ==
      kThreads * kPerThread);
  requireVerified(path);
}

TEST_CASE("strict: concurrent appends are group-committed and all recorded") {
  runConcurrentAppends(Durability::Strict, 8192);
}

TEST_CASE("fast: appends return before the commit and nothing is dropped") {
  runConcurrentAppends(Durability::Fast, 8192);
}

TEST_CASE("fast: a full queue blocks appenders (back-pressure) instead of dropping") {
  runConcurrentAppends(Durability::Fast, 1);
}

TEST_CASE("fast: flush waits for the queued records") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  StoreOptions options;
  options.durability = Durability::Fast;
  auto store = openStore(path, options);
  const std::string sid = *store->beginSession(sampleSession());
  for (int i = 0; i < 100; ++i)
    CHECK(store->appendStatement(sampleStatement(sid, "SELECT 1")).ok());
  REQUIRE(store->flush().ok());
  CHECK(testing::queryInt(path, "SELECT count(*) FROM statements") == 100);
}

TEST_CASE("a store that cannot write reports it on that call and every later one") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  StoreOptions options;
  options.busy_timeout = std::chrono::milliseconds(50);
  auto store = openStore(path, options);
  const std::string sid = *store->beginSession(sampleSession());

  // Another process holds the write lock for longer than the busy timeout.
  Connection blocker = testing::rawConnection(path);
  REQUIRE(blocker.exec("BEGIN IMMEDIATE").ok());
  Result<StatementRef> ref = store->appendStatement(sampleStatement(sid, "SELECT 1"));
  REQUIRE_FALSE(ref.ok());
  CHECK(ref.error().code == "audit-busy");
  REQUIRE(blocker.exec("ROLLBACK").ok());

  // Sticky: the gateway refuses statements until the store is reopened.
  REQUIRE(store->failure().has_value());
  CHECK_FALSE(store->appendStatement(sampleStatement(sid, "SELECT 2")).ok());
  CHECK_FALSE(store->flush().ok());
  CHECK(testing::queryInt(path, "SELECT count(*) FROM statements") == 0);
}

TEST_CASE("a store cannot be opened on a path it cannot create") {
  Result<std::unique_ptr<AuditStore>> store = AuditStore::open("/nonexistent-dir/x/audit.db");
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == "audit-open");
}

TEST_CASE("two stores (two gateways) share one file and one chain") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  {
    auto a = openStore(path);
    auto b = openStore(path);
    const std::string sa = *a->beginSession(sampleSession("a"));
    const std::string sb = *b->beginSession(sampleSession("b"));
    std::thread ta([&] {
      for (int i = 0; i < 100; ++i) CHECK(a->appendStatement(sampleStatement(sa, "SELECT 1")).ok());
    });
    std::thread tb([&] {
      for (int i = 0; i < 100; ++i) CHECK(b->appendStatement(sampleStatement(sb, "SELECT 2")).ok());
    });
    ta.join();
    tb.join();
  }
  CHECK(testing::queryInt(path, "SELECT count(*) FROM statements") == 200);
  CHECK(testing::queryInt(path, "SELECT head_pos FROM chain_head") == 202);
  requireVerified(path);
}

}  // namespace
}  // namespace sqlwarden::audit
