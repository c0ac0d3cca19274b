#pragma once
// `sqlwarden lint`: compiles `.rules` files (and what they include) and
// reports every error and lint warning, as text or as one JSON object per
// line for CI annotations. The checks live in src/policy (compile.hpp).
#include <iosfwd>
#include <string>
#include <vector>

#include "parse_command.hpp"

namespace sqlwarden::tools {

/// What `sqlwarden lint` was asked to do; main.cpp fills it from the command line.
struct LintOptions {
  std::vector<std::string> inputs;  ///< .rules files, compiled together as one policy set
  bool strict = false;              ///< warnings fail the run too
  std::string schema;               ///< CREATE TABLE statements to check names and types against
  OutputFormat format = OutputFormat::Text;
};

/// Runs `sqlwarden lint`. Diagnostics go to `out` (text: formatDiagnostic
/// each; JSON: one object per line with file, line, column, severity, code
/// and message); problems with the run itself (unreadable file) go to `err`.
/// Returns kExitOk when clean, kExitInputErrors when there is an error (or,
/// with `strict`, a warning), kExitUsage when a file cannot be read.
int runLintCommand(const LintOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sqlwarden::tools
