// Fingerprints of parsed statements: what they ignore and what they keep.
#include <doctest/doctest.h>

#include <string>

#include "sql/fingerprint.hpp"
#include "sql/parser.hpp"

namespace sqlwarden::sql {
namespace {

Fingerprint fp(const std::string& text) {
  auto stmt = parseStatement(text);
  REQUIRE_MESSAGE(stmt.ok(), text);
  return fingerprint(*stmt);
}

TEST_CASE("fingerprints ignore constants, spacing, keyword case and comments") {
  const Fingerprint base = fp("SELECT a FROM t WHERE b = 1 AND c LIKE 'x%'");
  CHECK(base.normalized == "SELECT a FROM t WHERE b = ? AND c LIKE ?");
  CHECK(fp("select a\n  from t -- comment\n where b=42 and c like E'y\\\\%'").hash == base.hash);
  CHECK(fp("SELECT a -- why\nFROM t WHERE b = -7 AND c LIKE $$z$$").hash == base.hash);
  CHECK(fp("SELECT a FROM t WHERE b = 1.5e3 AND c LIKE 'x%';").hash == base.hash);
  CHECK(fp("SELECT a FROM t WHERE (b = 1) AND (c LIKE 'x%')").hash == base.hash);
}

TEST_CASE("fingerprints keep names, operators, parameters and structure") {
  const Fingerprint base = fp("SELECT a FROM t WHERE b = 1");
  CHECK(fp("SELECT a FROM u WHERE b = 1").hash != base.hash);
  CHECK(fp("SELECT a FROM t WHERE c = 1").hash != base.hash);
  CHECK(fp("SELECT a FROM t WHERE b < 1").hash != base.hash);
  CHECK(fp("SELECT a FROM t WHERE b = $1").hash != base.hash);
  CHECK(fp("SELECT a FROM t WHERE b = 1 OR true").hash != base.hash);
  CHECK(fp("SELECT \"A\" FROM t WHERE b = 1").hash != base.hash);
  // Type modifiers are part of the type, not constants.
  CHECK(fp("SELECT a::numeric(10, 2) FROM t").hash != fp("SELECT a::numeric(12, 2) FROM t").hash);
}

TEST_CASE("fingerprints of utility statements replace literal tokens") {
  CHECK(fp("ALTER ROLE r PASSWORD 'one'").hash == fp("alter role r password 'two'").hash);
  CHECK(fp("ALTER ROLE r PASSWORD 'one'").normalized == "ALTER ROLE r PASSWORD ?");
  CHECK(fp("ALTER ROLE r PASSWORD 'one'").hash != fp("ALTER ROLE s PASSWORD 'one'").hash);
  // Unquoted words fold as PostgreSQL folds them; quoted names keep their case.
  CHECK(fp("Create Table Foo (A Int)").normalized == "CREATE TABLE foo ( a INT )");
  CHECK(fp("CREATE TABLE \"Foo\" (a int)").hash != fp("CREATE TABLE foo (a int)").hash);
}

}  // namespace
}  // namespace sqlwarden::sql

TEST_CASE("fingerprint: different DO bodies do not share a fingerprint") {
  sqlwarden::sql::Parser parser;
  auto a = parser.parseStatement("DO $$ BEGIN PERFORM 1; END $$");
  auto b = parser.parseStatement("DO $$ BEGIN DROP TABLE users; END $$");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(sqlwarden::sql::fingerprint(*a).hash != sqlwarden::sql::fingerprint(*b).hash);
}

namespace sqlwarden::sql {
namespace {

uint64_t tokenFp(const std::string& text) {
  Parser parser;
  auto results = parser.parseScript(text);
  REQUIRE(results.size() == 1);
  REQUIRE_MESSAGE(results[0].ok(), text);
  CHECK(results[0].fingerprint == parser.fingerprintText(text));
  return results[0].fingerprint;
}

TEST_CASE("token fingerprints (what decisions and approvals use) ignore constants, spacing, case and comments") {
  const uint64_t base = tokenFp("SELECT a FROM t WHERE b = 1 AND c LIKE 'x%'");
  CHECK(tokenFp("select A  from T where B=42 and c like E'y\\\\%' -- note") == base);
  CHECK(tokenFp("SELECT a /* c */ FROM t WHERE b = 1.5e3 AND c LIKE 'x%';") == base);
  CHECK(tokenFp("SELECT a FROM t WHERE b = 1 AND c LIKE 'x%'") == base);
  // What a statement does is kept: names, quoting, operators, parameters, code.
  CHECK(tokenFp("SELECT a FROM u WHERE b = 1 AND c LIKE 'x%'") != base);
  CHECK(tokenFp("SELECT \"A\" FROM t WHERE b = 1 AND c LIKE 'x%'") != base);
  CHECK(tokenFp("SELECT a FROM t WHERE b > 1 AND c LIKE 'x%'") != base);
  CHECK(tokenFp("SELECT a FROM t WHERE b = $1") != tokenFp("SELECT a FROM t WHERE b = $2"));
  CHECK(tokenFp("DO $$ BEGIN PERFORM 1; END $$") != tokenFp("DO $$ BEGIN PERFORM 2; END $$"));
  CHECK(fingerprintHex(base).size() == 16);
}

}  // namespace
}  // namespace sqlwarden::sql
