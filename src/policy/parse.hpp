#pragma once
// The entry point of the `.rules` language: text in, policy AST and
// diagnostics out.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.hpp"
#include "policy/ast.hpp"

namespace sqlwarden::policy {

/// What one `.rules` file says, statement by statement, with positions.
/// Nothing here is checked against other files or a schema yet: included
/// files are not read, mask_function names are not resolved.
struct PolicyFile {
  std::string file_name;
  std::optional<ast::Version> version;  ///< the `version N;` statement
  std::vector<ast::Include> includes;
  std::vector<ast::MaskFunction> mask_functions;
  std::vector<ast::Policy> policies;
};

/// The outcome of parsing a file. Unlike Result<T> it carries every
/// diagnostic, and the statements that did parse even when others did not
/// (what a linter or formatter wants); use it as a policy only when ok().
struct PolicyParseResult {
  PolicyFile file;
  std::vector<Diagnostic> diagnostics;  ///< in file order
  bool ok() const;
};

/// Parses a whole `.rules` file. Syntax errors are collected, not fatal: after
/// one the parser resumes at the next `;`, at the `}` that closes the policy,
/// or at a line that starts a new statement, so one run reports every error.
/// The SQL inside rules (filter conditions, mask_function bodies) is parsed by
/// the SQL front end; its errors are reported at their place in `text`.
/// Spans are byte offsets into `text`. `file_name` is only recorded.
/// Never throws (but for std::bad_alloc from the caller's own allocations).
PolicyParseResult parsePolicyFile(std::string_view text, std::string_view file_name);

}  // namespace sqlwarden::policy
