#pragma once
// `sqlwarden parse`: a dry run of the SQL front end over a file. Nothing is
// executed or sent anywhere; it shows what sqlwarden understood.
#include <iosfwd>
#include <string>

namespace sqlwarden::tools {

/// Exit codes shared by every subcommand (documented in docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInputErrors = 1;  ///< the input had errors (bad SQL)
inline constexpr int kExitUsage = 2;        ///< bad arguments or unreadable input

enum class OutputFormat { Text, Json };

/// What `sqlwarden parse` was asked to do; main.cpp fills it from the command line.
struct ParseOptions {
  std::string input = "-";  ///< file name; "-" reads standard input
  OutputFormat format = OutputFormat::Text;
  bool print = false;  ///< print each statement back as SQL instead of its references
};

/// Runs `sqlwarden parse`: per-statement results go to `out`, one diagnostic
/// per failing statement goes to `err`. Returns kExitOk when every statement
/// parsed, kExitInputErrors when any failed, kExitUsage when the input could
/// not be read.
int runParseCommand(const ParseOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sqlwarden::tools
