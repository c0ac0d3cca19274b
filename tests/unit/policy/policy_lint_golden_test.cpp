// Walks tests/golden/policy_lint/*.test (format: tests/unit/golden.hpp): every
// diagnostic compilePolicies reports for each record — errors and lint
// warnings — exactly as formatDiagnostic prints them with the file name
// `input.rules`, in file order.
#include <doctest/doctest.h>

#include "../golden.hpp"
#include "policy/compile.hpp"

TEST_CASE("policy lint: golden and checker messages (tests/golden/policy_lint)") {
  const size_t checked = sqlwarden::testing::checkGoldenDir(
      "policy_lint", [](const std::string& input) -> std::optional<std::string> {
        const auto result = sqlwarden::policy::compilePolicies({{"input.rules", input}});
        if (result.diagnostics.empty()) return std::nullopt;
        std::string out;
        for (const auto& d : result.diagnostics) out += result.format(d);
        return out;
      });
  CHECK(checked >= 25);
}
