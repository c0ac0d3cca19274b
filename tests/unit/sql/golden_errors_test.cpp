// Walks tests/golden/sql_errors/*.test (format: tests/unit/golden.hpp) and
// checks the diagnostic of the first failing statement of each record,
// exactly as `sqlwarden parse` prints it with the file name `input.sql`.
#include <doctest/doctest.h>

#include <algorithm>

#include "../golden.hpp"
#include "common/diagnostic.hpp"
#include "sql/parser.hpp"

TEST_CASE("golden SQL error messages (tests/golden/sql_errors)") {
  sqlwarden::sql::Parser parser;
  const size_t checked = sqlwarden::testing::checkGoldenDir(
      "sql_errors", [&](const std::string& input) -> std::optional<std::string> {
        const auto results = parser.parseScript(input);
        const auto failed =
            std::find_if(results.begin(), results.end(), [](const auto& r) { return !r.ok(); });
        if (failed == results.end()) return std::nullopt;
        if (!failed->error) return std::string("(failed without a diagnostic)\n");
        return sqlwarden::formatDiagnostic(*failed->error, "input.sql", input);
      });
  CHECK(checked >= 20);
}
