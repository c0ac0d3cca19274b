// Walks tests/golden/policy_errors/*.test (format: tests/unit/golden.hpp) and
// checks every diagnostic parsePolicyFile reports for each record, exactly as
// formatDiagnostic prints them with the file name `input.rules`, one after
// another in file order.
#include <doctest/doctest.h>

#include "../golden.hpp"
#include "common/diagnostic.hpp"
#include "policy/parse.hpp"

TEST_CASE("golden policy error messages (tests/golden/policy_errors)") {
  const size_t checked = sqlwarden::testing::checkGoldenDir(
      "policy_errors", [](const std::string& input) -> std::optional<std::string> {
        const auto result = sqlwarden::policy::parsePolicyFile(input, "input.rules");
        if (result.ok()) return std::nullopt;
        std::string out;
        for (const auto& diag : result.diagnostics)
          out += sqlwarden::formatDiagnostic(diag, "input.rules", input);
        return out;
      });
  CHECK(checked >= 30);
}
