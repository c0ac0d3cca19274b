#include <doctest/doctest.h>

#include "proxy/decision_cache.hpp"

using sqlwarden::proxy::DecisionCache;
using sqlwarden::rewrite::Decision;
using sqlwarden::rewrite::Verdict;

namespace {
std::vector<Decision> one(const char* kind, Verdict v = Verdict::Allow, const char* sql = "SELECT 1") {
  Decision d;
  d.verdict = v;
  d.kind = kind;
  d.sql = sql;
  return {d};
}
}  // namespace

TEST_CASE("decision cache: a text is kept from its second decision and served until the generation changes") {
  DecisionCache c;
  const std::string q = "SELECT a FROM t WHERE id = $1";
  CHECK(c.find(q, 1, 1) == nullptr);
  c.store(q, 1, 1, one("SELECT", Verdict::Allow, "SELECT a FROM t WHERE id = $1 LIMIT 1000"));
  CHECK(c.find(q, 1, 1) == nullptr);  // seen once: not copied yet
  c.store(q, 1, 1, one("SELECT", Verdict::Allow, "SELECT a FROM t WHERE id = $1 LIMIT 1000"));
  const auto hit = c.find(q, 1, 1);
  REQUIRE(hit);
  CHECK(hit->at(0).sql == "SELECT a FROM t WHERE id = $1 LIMIT 1000");
  CHECK(c.find(q + " ", 1, 1) == nullptr);  // exact text only
  CHECK(c.find(q, 2, 1) == nullptr);        // policy reloaded
  CHECK(c.size() == 0);
  c.store(q, 2, 1, one("SELECT"));
  c.store(q, 2, 1, one("SELECT"));
  CHECK(c.find(q, 2, 1));
  CHECK(c.find(q, 2, 2) == nullptr);  // catalog refreshed
}

TEST_CASE("decision cache: denials, approvals and session-state statements are never kept") {
  for (const char* kind : {"PREPARE", "EXECUTE", "DECLARE CURSOR", "FETCH", "CLOSE", "DEALLOCATE", "DISCARD", "SET",
                           "RESET", "LISTEN", "COPY", "CREATE TABLE", "EXPLAIN"})
    CHECK_FALSE(DecisionCache::cacheable(one(kind)));
  CHECK_FALSE(DecisionCache::cacheable(one("SELECT", Verdict::Deny)));
  CHECK_FALSE(DecisionCache::cacheable(one("DELETE", Verdict::Approval)));
  CHECK_FALSE(DecisionCache::cacheable({}));
  auto two = one("SELECT");
  two.push_back(one("SET")[0]);
  CHECK_FALSE(DecisionCache::cacheable(two));
  for (const char* kind : {"SELECT", "INSERT", "UPDATE", "DELETE", "BEGIN", "COMMIT", "ROLLBACK"})
    CHECK(DecisionCache::cacheable(one(kind)));

  DecisionCache c;
  c.store("SELECT 1", 1, 1, one("SELECT", Verdict::Deny));
  c.store("SELECT 1", 1, 1, one("SELECT", Verdict::Deny));
  CHECK(c.find("SELECT 1", 1, 1) == nullptr);
}

TEST_CASE("decision cache: bounded; a full cache starts over") {
  DecisionCache c(4);
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 5; ++i) c.store("SELECT " + std::to_string(i), 1, 1, one("SELECT"));
  CHECK(c.size() <= 4);
  CHECK(c.find("SELECT 4", 1, 1));
}

TEST_CASE("decision cache: bounded in bytes too, texts and shapes together") {
  // Room for a few decisions whose SQL is 1 kB each, not for many.
  DecisionCache c(512, 16384, 8 * 1024);
  const std::string big(1000, 'x');
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 40; ++i)
      c.store("SELECT " + std::to_string(i), 1, 1, one("SELECT", Verdict::Allow, big.c_str()));
  CHECK(c.size() > 0);
  CHECK(c.size() < 8);
  CHECK(c.bytes() <= 8 * 1024);
  CHECK(c.find("SELECT 39", 1, 1));  // the newest is kept
  // A decision larger than the whole budget is never kept...
  const std::string huge(20000, 'y');
  c.store("SELECT huge", 1, 1, one("SELECT", Verdict::Allow, huge.c_str()));
  c.store("SELECT huge", 1, 1, one("SELECT", Verdict::Allow, huge.c_str()));
  CHECK(c.find("SELECT huge", 1, 1) == nullptr);
  CHECK(c.bytes() <= 8 * 1024);
  // ... nor a shape, which is then not decided again.
  const std::string shape = "SELECT a FROM t WHERE b = $1";
  c.admitShape(shape, 1, 1);
  REQUIRE(c.admitShape(shape, 1, 1));
  auto d = one("SELECT", Verdict::Allow, huge.c_str());
  CHECK(c.storeShape(shape, 1, 1, d, {}, 1) == nullptr);
  CHECK_FALSE(c.admitShape(shape, 1, 1));
  // Shapes count against the same budget.
  for (int i = 0; i < 40; ++i) {
    const std::string s = "SELECT a" + std::to_string(i) + " FROM t WHERE b = $1";
    c.storeShape(s, 1, 1, one("SELECT", Verdict::Allow, big.c_str()), {}, 1);
  }
  CHECK(c.shapes() > 0);
  CHECK(c.shapes() + c.size() < 8);
  CHECK(c.bytes() <= 8 * 1024);
}
