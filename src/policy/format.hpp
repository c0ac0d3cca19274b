#pragma once
// The canonical layout of a `.rules` file (`sqlwarden fmt`). The rules are
// documented in docs/rules.md, section "Formatting (sqlwarden fmt)".
#include <string>
#include <string_view>

#include "policy/parse.hpp"

namespace sqlwarden::policy {

/// Columns a statement may take before the `message` of a deny moves to a
/// continuation line.
inline constexpr size_t kFormatLineLimit = 100;

/// Returns `text` laid out canonically: one statement per line, two-space
/// indentation inside policies, single blanks between tokens, the SQL of
/// filters kept byte for byte, every `#` comment kept.
///
/// Precondition: `file` is what parsePolicyFile(text, ...) returned for this
/// very `text`, with no error diagnostic (statements that failed to parse are
/// not in the AST, so formatting a broken file would drop them). Comments are
/// not in the AST: they are recovered from the text around the statements'
/// spans. The result parses to the same content (policyContentSummary) and
/// formatting it again returns it unchanged. Never throws (but bad_alloc).
std::string formatPolicyFile(std::string_view text, const PolicyFile& file);

/// A dump of what `file` says, without positions or layout: one line per
/// statement, in file order within each kind. Two files mean the same exactly
/// when their summaries are equal; `sqlwarden fmt` checks its own output with
/// it, and the tests print it to show a difference.
std::string policyContentSummary(const PolicyFile& file);

}  // namespace sqlwarden::policy
