#pragma once
// `sqlwarden fmt`: lays `.rules` files out canonically (policy/format.hpp),
// prints the result, writes it back, or checks that files are already laid
// out that way (for CI).
#include <iosfwd>
#include <string>
#include <vector>

namespace sqlwarden::tools {

/// What `sqlwarden fmt` was asked to do; main.cpp fills it from the command line.
struct FmtOptions {
  /// Files to format; a directory stands for every `*.rules` file under it;
  /// "-" is standard input (not with `write`).
  std::vector<std::string> inputs;
  bool write = false;  ///< rewrite files whose layout changes, in place
  bool check = false;  ///< only list the files that are not formatted
};

/// Runs `sqlwarden fmt`. The formatted text (default), or the names of the
/// files that are not formatted (`check`), go to `out`; diagnostics and
/// errors go to `err`. Returns kExitOk when all went well (and, with `check`,
/// every file is formatted), kExitInputErrors when a file has syntax errors
/// or, with `check`, is not formatted, and kExitUsage for bad arguments or a
/// file that cannot be read or written.
int runFmtCommand(const FmtOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sqlwarden::tools
