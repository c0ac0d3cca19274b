// The rewrite engine's decisions and rewrites, case by case. End-to-end
// behaviour against PostgreSQL is tests/attack; these pin the details.
#include <doctest/doctest.h>

#include "catalog/catalog.hpp"
#include "policy/compile.hpp"
#include "rewrite/engine.hpp"
#include "sql/parser.hpp"

namespace {

using sqlwarden::rewrite::Decision;
using sqlwarden::rewrite::Verdict;

constexpr const char* kSchema = R"(
CREATE TABLE public.users (id bigint PRIMARY KEY, tenant_id int, name text, email text, ssn varchar(11), born date);
CREATE TABLE public.orders (id bigint PRIMARY KEY, tenant_id int, note text);
CREATE TABLE public.orders_2024 PARTITION OF public.orders FOR VALUES FROM (1) TO (100);
CREATE TABLE public.products (id int, name text);
CREATE VIEW public.v AS SELECT 1;
CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
)";

constexpr const char* kRules = R"(version 1;
policy agents {
  applies to group "agents";
  allow select on public.*;
  allow insert, update on public.orders;
  deny function pg_sleep message "no sleeping";
  mask public.users.email with email;
  mask public.users.ssn with keep_last(4);
  mask public.users.born with year;
  filter public.users, public.orders where tenant_id = claim("tenant_id");
  require approval for update without where;
  limit rows 100;
}
policy group_filter {
  applies to group "by-group";
  allow select on public.products;
  filter public.products where name = any(groups()) and name <> user();
}
policy admins {
  applies to group "admins";
  allow all;
  require approval for drop;
}
)";

struct Fixture {
  sqlwarden::policy::CompileResult compiled;
  sqlwarden::catalog::CatalogResult schema;
  Fixture()
      : compiled(sqlwarden::policy::compilePolicies({{"test.rules", kRules}})),
        schema(sqlwarden::catalog::loadCatalog(kSchema)) {
    REQUIRE(compiled.ok());
    REQUIRE(schema.errors.empty());
  }
  std::vector<Decision> run(const std::string& sql, sqlwarden::policy::Identity id) {
    sqlwarden::rewrite::Engine engine(compiled.policy, schema.catalog, std::move(id));
    return engine.decideScript(sql);
  }
  Decision one(const std::string& sql, const std::string& tenant = "7") {
    auto d = run(sql, {"agent", {"agents"}, {{"tenant_id", tenant}}});
    REQUIRE(d.size() == 1);
    return d[0];
  }
};

std::string verdictOf(const Decision& d) { return sqlwarden::rewrite::toString(d.verdict); }

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("rewrite: a protected table becomes a masked, filtered subquery under the name used") {
  Fixture f;
  Decision d = f.one("SELECT u.email FROM users AS u WHERE u.id = 3");
  REQUIRE(verdictOf(d) == std::string("allow"));
  CHECK(d.rewritten);
  CHECK(contains(d.sql, "FROM public.users WHERE (tenant_id OPERATOR(pg_catalog.=) '7')"));
  CHECK(contains(d.sql, "AND id OPERATOR(pg_catalog.=) 3 OFFSET 0) AS u WHERE u.id = 3 LIMIT 100"));
  CHECK(contains(d.sql, "CAST(pg_catalog.date_trunc('year', born) AS date) AS born"));
  CHECK(sqlwarden::sql::parseStatement(d.sql).ok());
}

TEST_CASE("rewrite: claim values are quoted literals, never SQL text") {
  Fixture f;
  Decision d = f.one("SELECT id FROM orders", "7' OR '1'='1");
  REQUIRE(verdictOf(d) == std::string("allow"));
  CHECK(contains(d.sql, "tenant_id OPERATOR(pg_catalog.=) '7'' OR ''1''=''1'"));
  Decision backslash = f.one("SELECT id FROM orders", "a\\' OR true --");
  CHECK(contains(backslash.sql, "E'a\\\\'' OR true --'"));
}

TEST_CASE("rewrite: a missing claim is NULL, so the filter hides every row") {
  Fixture f;
  auto d = f.run("SELECT id FROM orders", {"agent", {"agents"}, {}});
  REQUIRE(d.size() == 1);
  CHECK(contains(d[0].sql, "WHERE (tenant_id OPERATOR(pg_catalog.=) NULL)"));
}

TEST_CASE("rewrite: groups() and user() become literals") {
  Fixture f;
  auto d = f.run("SELECT * FROM products", {"o'neil", {"by-group", "x"}, {}});
  REQUIRE(d.size() == 1);
  REQUIRE(verdictOf(d[0]) == std::string("allow"));
  CHECK(contains(d[0].sql, "ARRAY['by-group', 'x']::pg_catalog.text[]"));
  CHECK(contains(d[0].sql, "'o''neil'"));
}

TEST_CASE("rewrite: statements the policy does not change are forwarded byte for byte") {
  Fixture f;
  auto d = f.run("select  name FROM products /* hi */ LIMIT 5", {"a", {"admins"}, {}});
  REQUIRE(d.size() == 1);
  CHECK_FALSE(d[0].rewritten);
  CHECK(d[0].sql == "select  name FROM products /* hi */ LIMIT 5");
}

TEST_CASE("rewrite: CTE names shadow tables, and the table inside the CTE is protected") {
  Fixture f;
  Decision d = f.one("WITH users AS (SELECT * FROM public.users) SELECT email FROM users");
  REQUIRE(verdictOf(d) == std::string("allow"));
  CHECK(contains(d.sql, "WITH users AS (SELECT * FROM (SELECT id, tenant_id"));
  CHECK(contains(d.sql, ") AS users) SELECT email FROM users LIMIT 100"));
}

TEST_CASE("rewrite: ONLY is kept, and a partition of a filtered table is filtered too") {
  Fixture f;
  CHECK(contains(f.one("SELECT * FROM ONLY orders").sql, "FROM ONLY public.orders WHERE"));
  CHECK(contains(f.one("SELECT * FROM orders_2024").sql, "FROM public.orders_2024 WHERE (tenant_id"));
}

TEST_CASE("rewrite: unknown tables, views and user functions are denied for protected identities") {
  Fixture f;
  CHECK(contains(f.one("SELECT * FROM nosuch").message, "unknown table public.nosuch"));
  CHECK(contains(f.one("SELECT * FROM v").message, "is a view"));
  CHECK(contains(f.one("SELECT f()").message, "user-defined"));
  CHECK(contains(f.one("SELECT public.f()").message, "not a built-in function"));
  CHECK(verdictOf(f.one("SELECT lower('x')")) == std::string("allow"));
}

TEST_CASE("rewrite: a policy deny names the policy, file and line") {
  Fixture f;
  Decision d = f.one("SELECT pg_sleep(1)");
  CHECK(verdictOf(d) == std::string("deny"));
  CHECK(d.sqlstate == "42501");
  CHECK(d.message == "permission denied by policy agents (test.rules:6): no sleeping");
  REQUIRE(d.rules.size() == 1);
  CHECK(d.rules[0].str() == "agents@test.rules:6");
}

TEST_CASE("rewrite: a syntax error is a deny with the error as reason") {
  Fixture f;
  Decision d = f.one("SELEC 1");
  CHECK(verdictOf(d) == std::string("deny"));
  CHECK(d.sqlstate == "42601");
  CHECK(contains(d.reason, "syntax error"));
}

TEST_CASE("rewrite: one denied statement denies the whole message") {
  Fixture f;
  auto d = f.run("SELECT 1; SELECT pg_sleep(1); SELECT 2", {"a", {"agents"}, {{"tenant_id", "7"}}});
  REQUIRE(d.size() == 3);
  CHECK(verdictOf(d[0]) == std::string("allow"));
  sqlwarden::rewrite::denyAllIfAnyDenied(d);
  for (const auto& x : d) CHECK(verdictOf(x) == std::string("deny"));
  CHECK(d[0].reason == "another statement of the message was denied");
  CHECK(d[0].message == d[1].message);
}

TEST_CASE("rewrite: writes get the filter conjoined and may not move rows out of it") {
  Fixture f;
  Decision upd = f.one("UPDATE orders SET note = 'x' WHERE id = 1");
  REQUIRE(verdictOf(upd) == std::string("allow"));
  CHECK(contains(upd.sql, "WHERE id = 1 AND orders.tenant_id OPERATOR(pg_catalog.=) '7'"));
  CHECK(contains(f.one("UPDATE orders SET tenant_id = 8 WHERE id = 1").message, "rows could move out of the filter"));
  Decision all = f.one("UPDATE orders SET note = 'x'");
  CHECK(verdictOf(all) == std::string("approval"));
  CHECK(all.reason == "UPDATE on public.orders without WHERE needs approval");
  Decision ins = f.one("INSERT INTO orders (id, tenant_id, note) VALUES (1, 7, 'a')");
  REQUIRE(verdictOf(ins) == std::string("allow"));
  CHECK(contains(ins.sql, "AS sqlwarden_new(id, tenant_id, note) WHERE CASE WHEN tenant_id OPERATOR(pg_catalog.=) '7' THEN TRUE"));
  CHECK(contains(f.one("INSERT INTO orders (id, note) VALUES (1, 'a')").message, "must set tenant_id"));
}

TEST_CASE("rewrite: the row cap is applied, and tightened where the client asked for more") {
  Fixture f;
  CHECK(f.one("SELECT name FROM products").sql == "SELECT name FROM products LIMIT 100");
  CHECK(f.one("SELECT name FROM products LIMIT 5").sql == "SELECT name FROM products LIMIT 5");
  CHECK(f.one("SELECT name FROM products LIMIT 5000").sql == "SELECT name FROM products LIMIT LEAST(5000, 100)");
  CHECK(f.one("SELECT name FROM products LIMIT ALL").sql == "SELECT name FROM products LIMIT 100");
}

TEST_CASE("rewrite: session state: PREPARE and DECLARE bodies are checked; only those run later") {
  Fixture f;
  sqlwarden::rewrite::Engine engine(f.compiled.policy, f.schema.catalog, {"a", {"agents"}, {{"tenant_id", "7"}}});
  auto p = engine.decideScript("PREPARE q AS SELECT email FROM users WHERE id = $1");
  REQUIRE(p.size() == 1);
  CHECK(verdictOf(p[0]) == std::string("allow"));
  CHECK(contains(p[0].sql, "PREPARE q AS SELECT email FROM (SELECT"));
  CHECK(verdictOf(engine.decideScript("EXECUTE q(1)")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("EXECUTE other(1)")[0]) == std::string("deny"));
  CHECK(verdictOf(engine.decideScript("FETCH ALL FROM c")[0]) == std::string("deny"));
  CHECK(verdictOf(engine.decideScript("DECLARE c CURSOR FOR SELECT ssn FROM users")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("FETCH ALL FROM c")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("CLOSE c")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("FETCH ALL FROM c")[0]) == std::string("deny"));
}

TEST_CASE("rewrite: settings: harmless ones pass, search_path and roles are refused") {
  Fixture f;
  CHECK(verdictOf(f.one("SET application_name = 'x'")) == std::string("allow"));
  CHECK(verdictOf(f.one("SET TIME ZONE 'UTC'")) == std::string("allow"));
  CHECK(verdictOf(f.one("SHOW search_path")) == std::string("allow"));
  CHECK(verdictOf(f.one("BEGIN")) == std::string("allow"));
  CHECK(contains(f.one("SET search_path = evil").message, "search_path"));
  CHECK(contains(f.one("SET LOCAL search_path = evil").message, "search_path"));
  CHECK(contains(f.one("SET ROLE postgres").message, "role"));
  CHECK(contains(f.one("SET SESSION AUTHORIZATION postgres").message, "session authorization"));
  CHECK(contains(f.one("SET standard_conforming_strings = off").message, "standard_conforming_strings"));
}

TEST_CASE("rewrite: an identity no policy applies to may do nothing") {
  Fixture f;
  auto d = f.run("SELECT 1", {"nobody", {"interns"}, {}});
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "permission denied by sqlwarden: no policy applies to user \"nobody\"");
}

TEST_CASE("rewrite: DDL follows allows and approvals for identities without masks") {
  Fixture f;
  auto drop = f.run("DROP TABLE products", {"dba", {"admins"}, {}});
  CHECK(verdictOf(drop[0]) == std::string("approval"));
  auto create = f.run("CREATE TABLE t (a int)", {"dba", {"admins"}, {}});
  CHECK(verdictOf(create[0]) == std::string("allow"));
  CHECK(contains(f.one("CREATE TABLE t (a int)").message, "not available to identities with masks"));
}

TEST_CASE("rewrite: the gateway's database role is never shown; quoted cursor names resolve") {
  Fixture f;
  Decision d = f.one("SELECT current_user, session_user, name FROM products");
  REQUIRE(verdictOf(d) == std::string("allow"));
  CHECK(d.sql == "SELECT 'agent'::pg_catalog.name, 'agent'::pg_catalog.name, name FROM products LIMIT 100");
  CHECK(contains(f.one("SHOW session_authorization").message, "database role"));
  sqlwarden::rewrite::Engine engine(f.compiled.policy, f.schema.catalog, {"a", {"agents"}, {{"tenant_id", "7"}}});
  CHECK(verdictOf(engine.decideScript("DECLARE \"C1\" CURSOR FOR SELECT name FROM products")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("FETCH 10 FROM \"C1\"")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("FETCH 10 FROM c1")[0]) == std::string("deny"));
  CHECK(verdictOf(engine.decideScript("CLOSE \"C1\"")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("PREPARE \"Q\" AS SELECT 1")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("EXECUTE \"Q\"")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("DEALLOCATE \"Q\"")[0]) == std::string("allow"));
  CHECK(verdictOf(engine.decideScript("EXECUTE \"Q\"")[0]) == std::string("deny"));
}

TEST_CASE("rewrite: INSERT without a column list into a filtered table names the columns it fills") {
  Fixture f;
  Decision d = f.one("INSERT INTO orders VALUES (1, 7, 'a')");
  REQUIRE(verdictOf(d) == std::string("allow"));
  CHECK(contains(d.sql, "INSERT INTO orders (id, tenant_id, note) SELECT * FROM (VALUES (1, 7, 'a')) AS sqlwarden_new(id, tenant_id, note)"));
  CHECK(contains(f.one("INSERT INTO orders VALUES (1)").message, "must set tenant_id"));
  CHECK(contains(f.one("INSERT INTO orders SELECT * FROM orders").message, "needs a column list"));
}
