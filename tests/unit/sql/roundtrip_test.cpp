// Round trip over PostgreSQL's regression statements: every statement that
// parses prints back to SQL that parses to an equal AST, and printing that
// again gives the same text. The printer emits what the gateway forwards, so
// a mismatch here is a statement whose meaning a rewrite could change.
#include <doctest/doctest.h>

#include <string>

#include "corpus.hpp"
#include "sql/parser.hpp"
#include "sql/printer.hpp"

namespace {

const std::string kCorpus =
    std::string(SQLWARDEN_SOURCE_DIR) + "/../shared/corpus/pg-regress/statements.jsonl";

}  // namespace

TEST_CASE("round trip: every corpus statement that parses prints back to an equal AST") {
  std::string error;
  const auto corpus = sqlwarden::bench::loadCorpus(kCorpus, error);
  REQUIRE_MESSAGE(corpus.has_value(), error);

  sqlwarden::sql::Parser parser;
  size_t parsed = 0, failures = 0;
  for (const auto& st : *corpus) {
    if (st.has_psql_vars) continue;
    for (const auto& result : parser.parseScript(st.sql)) {
      if (!result.ok()) continue;
      ++parsed;
      const std::string printed = sqlwarden::sql::toSql(*result.statement);
      auto again = parser.parseStatement(printed);
      std::string problem;
      if (!again.ok()) {
        problem = "printed SQL does not parse: " + again.error().message;
      } else if (!(*again == *result.statement)) {
        problem = "printed SQL parses to a different AST: " + sqlwarden::sql::toSql(*again);
      } else if (sqlwarden::sql::toSql(*again) != printed) {
        problem = "printing is not stable: " + sqlwarden::sql::toSql(*again);
      }
      if (!problem.empty()) {
        ++failures;
        if (failures <= 20) {
          FAIL_CHECK(st.file << ":" << st.line << ": " << problem << "\n  input:   " << st.sql
                             << "\n  printed: " << printed);
        }
      }
    }
  }
  MESSAGE(parsed << " statements round-tripped, " << failures << " failed");
  CHECK(failures == 0);
  // The corpus holds about 6,900 statements; far fewer means it was not read.
  CHECK(parsed > 6000);
}
