#include "test_command.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "parse_command.hpp"
#include "policy_input.hpp"
#include "read_input.hpp"
#include "rewrite/dry_run_test.hpp"

namespace sqlwarden::tools {

namespace fs = std::filesystem;

int runTestCommand(const TestOptions& options, std::ostream& out, std::ostream& err) {
  std::optional<std::vector<std::string>> files = expandPaths(options.inputs, ".test", "test", err);
  if (!files) return kExitUsage;
  if (files->empty()) {
    err << "sqlwarden test: no .test files given\n";
    return kExitUsage;
  }
  size_t passed = 0;
  size_t failed = 0;
  for (const std::string& path : *files) {
    std::string reason;
    std::optional<std::string> text = readInput(path, reason);
    if (!text) {
      err << "sqlwarden test: cannot read " << path << ": " << reason << '\n';
      return kExitUsage;
    }
    rewrite::DryRunFile file = rewrite::parseDryRunFile(*text);
    for (const Diagnostic& d : file.errors) out << formatDiagnostic(d, path, *text);
    failed += file.errors.size();
    if (file.rules.empty()) {
      err << "sqlwarden test: " << path << " names no rules (add a line `rules FILE...`)\n";
      return kExitUsage;
    }
    const fs::path dir = fs::path(path).parent_path();
    std::vector<std::string> rules;
    for (const std::string& r : file.rules) rules.push_back((dir / r).lexically_normal().string());
    std::optional<policy::CompileResult> compiled = loadPolicySet(rules, "test", err);
    if (!compiled) return kExitUsage;
    std::optional<catalog::Catalog> catalog =
        loadSchemaFile(file.schema.empty() ? std::string() : (dir / file.schema).lexically_normal().string(),
                       "test", err);
    if (!catalog) return kExitUsage;

    std::vector<rewrite::DryRunOutcome> outcomes;
    for (const rewrite::DryRunCase& c : file.cases) {
      outcomes.push_back(rewrite::runDryRunCase(c, compiled->policy, *catalog));
      std::string diff;
      if (rewrite::compareDryRun(c, outcomes.back(), diff)) {
        ++passed;
        continue;
      }
      ++failed;
      out << path << ':' << c.line << ": test \"" << c.name << "\" failed\n" << diff;
    }
    if (options.update && file.errors.empty()) {
      const std::string updated = rewrite::updateDryRunFile(*text, file, outcomes);
      if (updated != *text) {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f << updated;
        if (!f) {
          err << "sqlwarden test: cannot write " << path << '\n';
          return kExitUsage;
        }
        out << "updated " << path << '\n';
      }
    }
  }
  out << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitInputErrors;
}

}  // namespace sqlwarden::tools
