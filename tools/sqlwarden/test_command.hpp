#pragma once
// `sqlwarden test`: runs golden dry-run test files (docs/testing.md) against
// the policies they name and reports each failure with a diff.
#include <ostream>
#include <string>
#include <vector>

namespace sqlwarden::tools {

struct TestOptions {
  std::vector<std::string> inputs;  ///< .test files or directories of them
  bool update = false;              ///< rewrite the expectations in place
};

/// Runs the tests; ends with the line `N passed, N failed`. Returns kExitOk
/// when all pass, kExitInputErrors on any failure (or format error),
/// kExitUsage when a file, its rules or its schema cannot be read.
int runTestCommand(const TestOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sqlwarden::tools
