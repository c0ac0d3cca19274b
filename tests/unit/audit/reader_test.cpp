// AuditReader: the filters behind `sqlwarden audit`, session listings and
// transcripts.
#include <doctest/doctest.h>

#include "audit/reader.hpp"
#include "audit_test_support.hpp"

namespace sqlwarden::audit {
namespace {

using testing::sampleSession;
using testing::sampleStatement;
using testing::TempDir;

// A filter with some fields set (designated initializers would warn under -Wextra).
template <class Set>
StatementFilter where(Set set) {
  StatementFilter f;
  set(f);
  return f;
}

struct Fixture {
  TempDir dir;
  std::string path = dir.file("audit.db");
  std::string alice, bob;
  std::unique_ptr<AuditReader> reader;

  Fixture() {
    {
      auto store = testing::openStore(path);
      alice = *store->beginSession(sampleSession("alice"));
      bob = *store->beginSession(sampleSession("bob"));
      auto add = [&](const std::string& sid, std::string sql, Decision d, Micros at,
                     std::vector<std::string> tables) {
        StatementRecord r = sampleStatement(sid, std::move(sql), d, at);
        r.tables = std::move(tables);
        REQUIRE(store->appendStatement(r).ok());
      };
      add(alice, "SELECT * FROM public.users", Decision::Allow, 1'000'000, {"public.users"});
      add(bob, "SELECT * FROM public.secrets", Decision::Deny, 2'000'000, {"public.secrets"});
      add(alice, "DELETE FROM public.orders", Decision::Approval, 3'000'000, {"public.orders"});
      add(bob, "SELECT 1", Decision::Allow, 4'000'000, {});
      REQUIRE(store->endSession(bob, "idle timeout", 5'000'000).ok());
    }
    Result<std::unique_ptr<AuditReader>> r = AuditReader::open(path);
    REQUIRE(r.ok());
    reader = std::move(r).value();
  }

  std::vector<std::string> sqlOf(const StatementFilter& f) {
    Result<std::vector<StatementEntry>> rows = reader->statements(f);
    REQUIRE(rows.ok());
    std::vector<std::string> out;
    for (const StatementEntry& e : *rows) out.push_back(e.record.sql_received);
    return out;
  }
};

TEST_CASE_FIXTURE(Fixture, "statements filter by user, decision, time, table") {
  CHECK(sqlOf({}).size() == 4);
  CHECK(sqlOf(where([&](StatementFilter& f) { f.user = "bob"; })) ==
        std::vector<std::string>{"SELECT * FROM public.secrets", "SELECT 1"});
  CHECK(sqlOf(where([&](StatementFilter& f) { f.decision = Decision::Deny; })) ==
        std::vector<std::string>{"SELECT * FROM public.secrets"});
  CHECK(sqlOf(where([&](StatementFilter& f) {
          f.since = 2'000'000;
          f.until = 4'000'000;
        })) ==
        std::vector<std::string>{"SELECT * FROM public.secrets", "DELETE FROM public.orders"});
  CHECK(sqlOf(where([&](StatementFilter& f) { f.table = "ORDERS"; })) ==
        std::vector<std::string>{"DELETE FROM public.orders"});
  CHECK(sqlOf(where([&](StatementFilter& f) {
          f.user = "alice";
          f.decision = Decision::Allow;
        })) == std::vector<std::string>{"SELECT * FROM public.users"});
  CHECK(sqlOf(where([&](StatementFilter& f) { f.user = "nobody"; })).empty());
}

TEST_CASE_FIXTURE(Fixture, "limit keeps the newest matches, after_id the later ones") {
  CHECK(sqlOf(where([&](StatementFilter& f) { f.limit = 2; })) ==
        std::vector<std::string>{"DELETE FROM public.orders", "SELECT 1"});
  Result<std::vector<StatementEntry>> all = reader->statements({});
  REQUIRE(all.ok());
  CHECK(sqlOf(where([&](StatementFilter& f) { f.after_id = (*all)[2].id; })) ==
        std::vector<std::string>{"SELECT 1"});
  CHECK((*all)[1].user == "bob");
  CHECK((*all)[1].record.reason == "no access to public.secrets");
}

TEST_CASE_FIXTURE(Fixture, "sessions list with their statement counts and ends") {
  Result<std::vector<SessionSummary>> sessions = reader->sessions();
  REQUIRE(sessions.ok());
  REQUIRE(sessions->size() == 2);
  for (const SessionSummary& s : *sessions) {
    CHECK(s.statements == 2);
    if (s.session.id == bob) {
      CHECK(s.session.ended_at == 5'000'000);
      CHECK(s.session.end_reason == "idle timeout");
    } else {
      CHECK_FALSE(s.session.ended_at.has_value());
    }
  }
}

TEST_CASE_FIXTURE(Fixture, "a transcript is found by id or unique prefix") {
  Result<Transcript> t = reader->transcript(alice);
  REQUIRE(t.ok());
  CHECK(t->session.user == "alice");
  REQUIRE(t->statements.size() == 2);
  CHECK(t->statements[0].record.seq == 1);
  CHECK(t->statements[1].record.decision == Decision::Approval);
  Result<Transcript> missing = reader->transcript("zzzz");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "audit-session-unknown");
  // The empty prefix matches both sessions.
  Result<Transcript> ambiguous = reader->transcript("");
  REQUIRE_FALSE(ambiguous.ok());
}

}  // namespace
}  // namespace sqlwarden::audit
