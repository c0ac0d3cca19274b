// Statement shapes (decision_cache.hpp, "Shapes"; sql::Parser::templateConstants):
// a statement sent with its constants inlined gets the decision made for the
// same statement with those constants as parameters. The property that makes
// that safe: a shape never allows what the engine denies when it sees the
// constants; in fact, over these corpora, the statement is forwarded byte for
// byte as the engine would forward it. Checked here over PostgreSQL's
// regression corpus and over the attack and benign corpora (tests/attack),
// for both identities.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "catalog/catalog.hpp"
#include "corpus.hpp"
#include "policy/compile.hpp"
#include "proxy/decision_cache.hpp"
#include "rewrite/engine.hpp"
#include "sql/parser.hpp"

using sqlwarden::proxy::DecisionCache;
using sqlwarden::sql::Parser;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string templateOf(const char* sql) {
  Parser parser;
  auto tpl = parser.templateConstants(sql);
  return tpl ? tpl->text : std::string("(none)");
}

/// The statements of an attack-corpus file, as run_corpus.py reads them.
std::vector<std::pair<bool, std::string>> attackCases(const std::string& path) {
  std::vector<std::pair<bool, std::string>> out;  // (writer identity, message)
  std::istringstream in(readFile(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("category ", 0) == 0) continue;
    bool writer = false;
    if (line.rfind("[writer] ", 0) == 0) {
      writer = true;
      line = line.substr(9);
    }
    if (auto expect = line.find("#=>"); expect != std::string::npos) line.resize(expect);
    out.emplace_back(writer, line);
  }
  return out;
}

}  // namespace

TEST_CASE("shapes: which constants become parameters") {
  CHECK(templateOf("SELECT abalance FROM pgbench_accounts WHERE aid = 42;") ==
        "SELECT abalance FROM pgbench_accounts WHERE aid = $1;");
  CHECK(templateOf("select a from t where b in (1, 'x', N'y') and c between 2 and 3.5 limit 10") ==
        "select a from t where b in ($1, $2, $3) and c between $4 and $5 limit 10");
  // Strings whose text the parser checks stay (E'\u0000' is an error).
  CHECK(templateOf("SELECT a FROM t WHERE b = E'\\n' AND c = B'01' AND d = X'1f' AND e = 1") ==
        "SELECT a FROM t WHERE b = E'\\n' AND c = B'01' AND d = X'1f' AND e = $1");
  CHECK(templateOf("INSERT INTO t (a, b) VALUES (1, -2) /* 3 */ -- 4") ==
        "INSERT INTO t (a, b) VALUES ($1, -$2) /* 3 */ -- 4");
  // Column positions stay: ORDER BY 1 names a column, ORDER BY $1 does not.
  CHECK(templateOf("SELECT a, b FROM t WHERE x = 1 ORDER BY 2, 1 LIMIT 5") ==
        "SELECT a, b FROM t WHERE x = $1 ORDER BY 2, 1 LIMIT 5");
  CHECK(templateOf("SELECT a FROM t GROUP BY GROUPING SETS ((1), (2)) HAVING count(*) > 3") ==
        "SELECT a FROM t GROUP BY GROUPING SETS ((1), (2)) HAVING count(*) > $1");
  CHECK(templateOf("SELECT DISTINCT ON (1) a, 2 FROM t WHERE b = 3") ==
        "SELECT DISTINCT ON (1) a, 2 FROM t WHERE b = $1");
  // Typed literals keep their constants. (A type modifier does not, and its
  // shape does not parse: the shape is refused, and the statement decided
  // as it is.)
  CHECK(templateOf("SELECT DATE '2020-01-01', interval '1 day' FROM t") == "(none)");
  CHECK(templateOf("SELECT x::numeric(10, 2) FROM t") == "SELECT x::numeric($1, $2) FROM t");
  // Not templated at all: no constant, several statements, a parameter of
  // its own, statements that are not queries or data changes, dollar quotes.
  CHECK(templateOf("SELECT a FROM t") == "(none)");
  CHECK(templateOf("SELECT 1; SELECT 2") == "(none)");
  CHECK(templateOf("SELECT $1 + 2") == "(none)");
  CHECK(templateOf("SET statement_timeout = 5") == "(none)");
  CHECK(templateOf("PREPARE p AS SELECT 1") == "(none)");
  CHECK(templateOf("COPY t TO '/tmp/x'") == "(none)");
  CHECK(templateOf("SELECT $$ 1 $$") == "(none)");
  CHECK(templateOf("SELECT 'unterminated") == "(none)");
}

TEST_CASE("shapes: the decision serves the statement with its own constants and fingerprint") {
  const std::string root = SQLWARDEN_SOURCE_DIR;
  const std::string rules_path = root + "/examples/policies/ai-agents.rules";
  auto compiled = sqlwarden::policy::compilePolicies({{rules_path, readFile(rules_path)}});
  REQUIRE(compiled.ok());
  auto schema = sqlwarden::catalog::loadCatalog(readFile(root + "/examples/schema.sql"));
  REQUIRE(schema.errors.empty());
  sqlwarden::rewrite::Engine engine(compiled.policy, schema.catalog, {"agent-1", {"ai-agents"}, {{"tenant_id", "7"}}});

  const std::string sql = "SELECT id, email FROM users WHERE id = 5 AND name <> 'x'";
  auto tpl = engine.parser().templateConstants(sql);
  REQUIRE(tpl);
  DecisionCache cache;
  CHECK_FALSE(cache.admitShape(tpl->text, 1, 1));  // first sighting
  CHECK(cache.admitShape(tpl->text, 1, 1));
  auto shaped = engine.decideScript(tpl->text);
  REQUIRE(shaped.size() == 1);
  const auto* shape = cache.storeShape(tpl->text, 1, 1, shaped, engine.parser().parameterSpans(shaped[0].sql),
                                       tpl->constants.size());
  REQUIRE(shape);
  auto served = DecisionCache::instantiate(*shape, *tpl);
  auto direct = engine.decideScript(sql);
  REQUIRE(served.size() == 1);
  CHECK(served[0].allowed());
  CHECK(served[0].rewritten);  // masked and filtered
  CHECK(served[0].fingerprint == direct[0].fingerprint);
  CHECK(served[0].sql.find("$1") == std::string::npos);
  CHECK(served[0].sql.find("= 5") != std::string::npos);
  CHECK(served[0].sql.find("'x'") != std::string::npos);
  CHECK(cache.findShape(tpl->text, 1, 1) == shape);
  CHECK(cache.findShape(tpl->text, 2, 1) == nullptr);  // policy reloaded

  // A denied shape is not kept, and not tried again.
  auto denied = engine.parser().templateConstants("DELETE FROM users WHERE id = 1");
  REQUIRE(denied);
  cache.admitShape(denied->text, 2, 1);
  CHECK(cache.admitShape(denied->text, 2, 1));
  auto refused = engine.decideScript(denied->text);
  CHECK(cache.storeShape(denied->text, 2, 1, refused, {}, denied->constants.size()) == nullptr);
  CHECK_FALSE(cache.admitShape(denied->text, 2, 1));
}

TEST_CASE("shapes: never allow what the engine denies with the constants in view (all corpora)") {
  const std::string root = SQLWARDEN_SOURCE_DIR;
  std::string error;
  const auto corpus = sqlwarden::bench::loadCorpus(root + "/../shared/corpus/pg-regress/statements.jsonl", error);
  REQUIRE_MESSAGE(corpus.has_value(), error);
  const std::string agent_rules = root + "/examples/policies/ai-agents.rules";
  const std::string writer_rules = root + "/tests/attack/writer.rules";
  auto agent_policy = sqlwarden::policy::compilePolicies({{agent_rules, readFile(agent_rules)}});
  auto writer_policy = sqlwarden::policy::compilePolicies({{writer_rules, readFile(writer_rules)}});
  REQUIRE(agent_policy.ok());
  REQUIRE(writer_policy.ok());
  auto schema = sqlwarden::catalog::loadCatalog(readFile(root + "/examples/schema.sql"));
  REQUIRE(schema.errors.empty());
  const sqlwarden::policy::Identity agent{"agent-1", {"ai-agents"}, {{"tenant_id", "7"}}};
  const sqlwarden::policy::Identity writer{"agent-1", {"writers"}, {{"tenant_id", "7"}}};

  std::vector<std::pair<bool, std::string>> cases;
  for (const auto& st : *corpus)
    if (!st.has_psql_vars) cases.emplace_back(false, st.sql);
  for (const char* file : {"/tests/attack/attacks.txt", "/tests/attack/benign.txt"})
    for (auto& c : attackCases(root + file)) cases.push_back(std::move(c));

  Parser parser;
  size_t templated = 0, served = 0, same_text = 0;
  for (const auto& [as_writer, sql] : cases) {
    auto tpl = parser.templateConstants(sql);
    if (!tpl) continue;
    ++templated;
    const auto& policy = as_writer ? writer_policy.policy : agent_policy.policy;
    const auto& identity = as_writer ? writer : agent;
    // Fresh engines: the corpus's statements are unrelated to each other.
    sqlwarden::rewrite::Engine shape_engine(policy, schema.catalog, identity);
    auto shaped = shape_engine.decideScript(tpl->text);
    std::vector<sqlwarden::sql::ParameterSpan> params;
    if (shaped.size() == 1) params = parser.parameterSpans(shaped[0].sql);
    DecisionCache cache;
    const auto* shape = cache.storeShape(tpl->text, 1, 1, shaped, std::move(params), tpl->constants.size());
    if (!shape) continue;
    ++served;
    auto from_shape = DecisionCache::instantiate(*shape, *tpl);
    sqlwarden::rewrite::Engine engine(policy, schema.catalog, identity);
    auto direct = engine.decideScript(sql);
    REQUIRE(direct.size() == 1);
    CHECK_MESSAGE(direct[0].allowed(), "a shape allowed what the engine denies: " << sql << "\n  shape: " << tpl->text
                                                                                   << "\n  engine: " << direct[0].reason);
    CHECK_MESSAGE(from_shape[0].fingerprint == direct[0].fingerprint, sql);
    CHECK_MESSAGE(parser.parseStatement(from_shape[0].sql).ok(), sql << "\n  -> " << from_shape[0].sql);
    // Not only allowed: forwarded exactly as the engine would forward it.
    CHECK_MESSAGE(from_shape[0].sql == direct[0].sql,
                  sql << "\n  shape:  " << from_shape[0].sql << "\n  engine: " << direct[0].sql);
    CHECK(from_shape[0].rewritten == direct[0].rewritten);
    CHECK(from_shape[0].rules == direct[0].rules);
    same_text += !direct[0].rewritten;
  }
  MESSAGE(cases.size() << " statements, " << templated << " with constants to take out, " << served
                       << " served from their shape (" << same_text << " of them forwarded unchanged)");
  CHECK(served > 500);
}
