#pragma once
// Rule declarations of the `.rules` grammar (Boost.Spirit X3), following
// Boost's rexpr example: the definitions are in grammar_def.hpp and only
// grammar.cpp includes them. The X3 grammar is parsed one statement at a time:
// parse.cpp drives the loop, recovers after errors and checks what X3 cannot
// (versions, pattern shapes, the SQL inside rules).
#include <boost/spirit/home/x3.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/diagnostic.hpp"
#include "policy/ast.hpp"

namespace sqlwarden::policy {
namespace parser {
namespace x3 = boost::spirit::x3;

struct top_item_class;
struct policy_stmt_class;

/// One top-level statement: `version`, `include`, `mask_function`, or the
/// head of a policy (`policy NAME {`; its body is parsed statement by
/// statement with policy_stmt).
using top_item_type = x3::rule<top_item_class, ast::TopItem>;
/// One statement inside a policy body.
using policy_stmt_type = x3::rule<policy_stmt_class, ast::PolicyStmt>;

BOOST_SPIRIT_DECLARE(top_item_type, policy_stmt_type)

}  // namespace parser

/// What parsing one statement produced.
struct StepResult {
  bool ok = false;
  uint32_t end = 0;  ///< just past the statement (past its `;` or `{`) when ok
  std::optional<Diagnostic> error;  ///< set when !ok
};

/// Parses the top-level statement that starts at byte `pos` of `text`
/// (blanks and comments before it are skipped). Never throws.
StepResult parseTopItem(std::string_view text, uint32_t pos, ast::TopItem& out);

/// Parses the policy body statement that starts at byte `pos`. Never throws.
StepResult parsePolicyStmt(std::string_view text, uint32_t pos, ast::PolicyStmt& out);

}  // namespace sqlwarden::policy
