// libFuzzer target for the .rules front end: parse, compile (includes refused),
// lint, format, and check that formatting keeps the policy's meaning. Any
// crash, sanitizer report or failed check is a finding.
//
// Build and run (needs clang and a g++ build in build/):
//   bash tools/fuzz/build.sh
//   build/fuzz/rules_fuzz -max_total_time=600 tools/fuzz/corpus
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "policy/compile.hpp"
#include "policy/format.hpp"
#include "policy/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto parsed = sqlwarden::policy::parsePolicyFile(text, "fuzz.rules");
  if (!parsed.ok()) return 0;

  const auto refuse = [](const std::string&, std::string& error) -> std::optional<std::string> {
    error = "includes are not read while fuzzing";
    return std::nullopt;
  };
  (void)sqlwarden::policy::compilePolicies({{"fuzz.rules", text}}, refuse);

  // Formatting must give a file that parses to the same policy.
  const std::string formatted = sqlwarden::policy::formatPolicyFile(text, parsed.file);
  const auto again = sqlwarden::policy::parsePolicyFile(formatted, "fuzz.rules");
  if (!again.ok() || sqlwarden::policy::policyContentSummary(again.file) !=
                         sqlwarden::policy::policyContentSummary(parsed.file)) {
    std::abort();
  }
  // And formatting is idempotent.
  if (sqlwarden::policy::formatPolicyFile(formatted, again.file) != formatted) std::abort();
  return 0;
}
