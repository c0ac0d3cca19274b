// Every statement of PostgreSQL's regression corpus that parses gets a
// decision under examples/policies/ai-agents.rules without a crash, and every
// allowed rewrite parses again (issue 4, acceptance 2).
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "catalog/catalog.hpp"
#include "corpus.hpp"
#include "policy/compile.hpp"
#include "rewrite/engine.hpp"
#include "sql/parser.hpp"

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("rewrite: every parseable corpus statement gets a decision; allowed rewrites re-parse") {
  const std::string root = SQLWARDEN_SOURCE_DIR;
  std::string error;
  const auto corpus = sqlwarden::bench::loadCorpus(root + "/../shared/corpus/pg-regress/statements.jsonl", error);
  REQUIRE_MESSAGE(corpus.has_value(), error);

  const std::string rules_path = root + "/examples/policies/ai-agents.rules";
  auto compiled = sqlwarden::policy::compilePolicies({{rules_path, readFile(rules_path)}});
  REQUIRE(compiled.ok());
  auto schema = sqlwarden::catalog::loadCatalog(readFile(root + "/examples/schema.sql"));
  REQUIRE(schema.errors.empty());
  const sqlwarden::policy::Identity agent{"agent-1", {"ai-agents"}, {{"tenant_id", "7"}}};

  sqlwarden::sql::Parser parser;
  std::map<std::string, size_t> verdicts;
  size_t decided = 0, rewritten = 0, reparse_failures = 0;
  for (const auto& st : *corpus) {
    if (st.has_psql_vars) continue;
    if (!parser.parseStatement(st.sql).ok()) continue;
    // A fresh engine per statement: the corpus's PREPAREs and cursors are
    // unrelated to each other.
    sqlwarden::rewrite::Engine engine(compiled.policy, schema.catalog, agent);
    for (const auto& d : engine.decideScript(st.sql)) {
      ++decided;
      ++verdicts[sqlwarden::rewrite::toString(d.verdict)];
      if (d.verdict == sqlwarden::rewrite::Verdict::Deny) {
        CHECK_MESSAGE(!d.message.empty(), st.file << ":" << st.line);
        continue;
      }
      rewritten += d.rewritten;
      if (!parser.parseStatement(d.sql).ok()) {
        ++reparse_failures;
        if (reparse_failures <= 10) MESSAGE(st.file << ":" << st.line << ": " << st.sql << "\n  -> " << d.sql);
      }
    }
  }
  MESSAGE("decided " << decided << ": " << verdicts["allow"] << " allowed (" << rewritten << " rewritten), "
                     << verdicts["deny"] << " denied, " << verdicts["approval"] << " need approval");
  CHECK(decided > 6000);
  CHECK(reparse_failures == 0);
}
