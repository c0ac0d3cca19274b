#pragma once
// `sqlwarden rewrite`: what the gateway would do with some SQL for one
// identity — the decision, the reason and the SQL it would forward — with
// nothing executed. The engine lives in src/rewrite.
#include <ostream>
#include <string>
#include <vector>

#include "parse_command.hpp"

namespace sqlwarden::tools {

struct RewriteOptions {
  std::vector<std::string> rules;   ///< .rules files or directories
  std::string schema;               ///< CREATE TABLE statements
  std::string user;
  std::vector<std::string> groups;
  std::vector<std::string> claims;  ///< K=V
  std::string input = "-";          ///< SQL text, or "-" for standard input
  bool input_is_file = false;       ///< --file: `input` names a file
  OutputFormat format = OutputFormat::Text;
};

/// Runs `sqlwarden rewrite`. Exit kExitOk when every statement is allowed,
/// kExitInputErrors when any is denied or needs approval, kExitUsage on bad
/// arguments or configuration (unreadable or invalid rules or schema).
int runRewriteCommand(const RewriteOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sqlwarden::tools
