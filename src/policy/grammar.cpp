// The one translation unit that instantiates the `.rules` X3 grammar, and the
// entry points parse.cpp calls: one statement at a time, X3's exceptions
// turned into Diagnostics here so none crosses the API.
#include "policy/grammar_def.hpp"

#include <exception>

#include "policy/error_handler.hpp"

namespace sqlwarden::policy {
namespace {

template <class Rule, class Attribute>
StepResult parseOne(Rule const& rule, std::string_view text, uint32_t pos, Attribute& out,
                    bool in_policy) {
  namespace x3 = boost::spirit::x3;
  const char* const begin = text.data();
  const char* const last = begin + text.size();
  const char* first = begin + pos;
  const uint32_t statement_begin = parser::skipBlank(text, pos);
  StepResult result;
  try {
    auto const with_begin = x3::with<parser::text_begin_tag>(static_cast<const char*>(begin))[rule];
    if (x3::phrase_parse(first, last, with_begin, parser::skipper, out,
                         x3::skip_flag::dont_post_skip)) {
      result.ok = true;
      result.end = static_cast<uint32_t>(first - begin);
    } else {
      result.error = parser::unknownStatementDiagnostic(text, statement_begin, in_policy);
    }
  } catch (x3::expectation_failure<const char*> const& failure) {
    const auto where = static_cast<uint32_t>(failure.where() - begin);
    result.error = parser::expectationDiagnostic(text, statement_begin, where, failure.which());
  } catch (std::exception const& e) {
    // Nothing from X3 but expectation_failure is expected; bad_alloc, say.
    result.error = Diagnostic::error("rules-internal", std::string("internal error: ") + e.what(),
                                     Span{statement_begin, statement_begin});
  }
  return result;
}

}  // namespace

StepResult parseTopItem(std::string_view text, uint32_t pos, ast::TopItem& out) {
  return parseOne(parser::top_item, text, pos, out, false);
}

StepResult parsePolicyStmt(std::string_view text, uint32_t pos, ast::PolicyStmt& out) {
  return parseOne(parser::policy_stmt, text, pos, out, true);
}

}  // namespace sqlwarden::policy
