#pragma once
// The `.rules` grammar (Boost.Spirit X3). Included by grammar.cpp only: the
// whole grammar is one translation unit, because compiling it is expensive.
//
// Conventions:
// - `a > b` is an expectation point: once a statement's keyword matched, a
//   failure further on is an error (X3 throws expectation_failure naming the
//   rule or literal it expected; error_handler.hpp turns that into words).
// - Rule names are the words error_handler.hpp understands ("table pattern").
// - Structs with several members are filled by attribute propagation
//   (ast_adapted.hpp); one-member structs and leaves by semantic actions.
// - Byte offsets come from the context (text_begin_tag): every leaf node gets
//   its span from with_span[...], statements get theirs in parse.cpp.
// - No x3::space/alpha/digit: they assert on bytes >= 0x80 (UTF-8 in
//   comments and strings). Character sets below are explicit.
#include <boost/spirit/home/x3.hpp>

#include <charconv>
#include <type_traits>

#include "policy/ast.hpp"
#include "policy/ast_adapted.hpp"
#include "policy/grammar.hpp"

// A semantic action does not change what a parser expects: let error
// messages name the parser it is attached to (X3 would print a type name).
namespace boost::spirit::x3 {
template <class Subject, class Action>
struct get_info<action<Subject, Action>> {
  using result_type = std::string;
  std::string operator()(action<Subject, Action> const& p) const { return what(p.subject); }
};
}  // namespace boost::spirit::x3

namespace sqlwarden::policy::parser {
namespace x3 = boost::spirit::x3;

/// Context tag holding the first byte of the text (`const char*`).
struct text_begin_tag;

template <class Context>
uint32_t offsetIn(Context const& ctx, const char* it) {
  return static_cast<uint32_t>(it - x3::get<text_begin_tag>(ctx));
}

// --- with_span[p]: sets the enclosing rule's value's span to what p matched ---

template <class Subject>
struct with_span_directive : x3::unary_parser<Subject, with_span_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, with_span_directive<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr with_span_directive(Subject const& subject) : base_type(subject) {}

  template <class Iterator, class Context, class RContext, class Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& ctx, RContext& rctx,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    Iterator const begin = first;
    if (!this->subject.parse(first, last, ctx, rctx, attr)) return false;
    if constexpr (std::is_base_of_v<ast::Tagged, std::remove_cv_t<RContext>>)
      rctx.span = Span{offsetIn(ctx, begin), offsetIn(ctx, first)};
    return true;
  }
};

struct with_span_gen {
  template <class Subject>
  constexpr with_span_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
      Subject const& subject) const {
    return {x3::as_parser(subject)};
  }
};
constexpr with_span_gen with_span{};

// --- Hand-written leaf parsers -----------------------------------------------

/// `"..."` on one line; `\"` and `\\` are the only escapes. An unterminated
/// string or an unknown escape is an error at once (throws).
struct string_lit_parser : x3::parser<string_lit_parser> {
  using attribute_type = ast::StringLit;
  static bool const has_attribute = true;

  template <class Iterator, class Context, class RContext, class Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& ctx, RContext&,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    if (first == last || *first != '"') return false;
    ast::StringLit lit;
    Iterator it = first;
    ++it;
    for (;;) {
      if (it == last || *it == '\n' || *it == '\r')
        throw x3::expectation_failure<Iterator>(first, "unterminated string");
      if (*it == '"') break;
      if (*it == '\\') {
        Iterator const escape = it;
        ++it;
        if (it == last || (*it != '"' && *it != '\\'))
          throw x3::expectation_failure<Iterator>(escape, "invalid escape");
      }
      lit.value += *it;
      ++it;
    }
    ++it;
    lit.span = Span{offsetIn(ctx, first), offsetIn(ctx, it)};
    first = it;
    x3::traits::move_to(std::move(lit), attr);
    return true;
  }
};

/// The SQL of a filter: raw text up to the `;` (or `}`) that ends the
/// statement, outside SQL quotes and comments. `;` inside parentheses cannot
/// be valid in an expression, so it ends the fragment too: an unbalanced `(`
/// is then the SQL parser's error, not a runaway to the end of the file.
/// `#` starts a `.rules` comment here as everywhere (PostgreSQL's `#`
/// operator is not available in rules); parse.cpp blanks comments out before
/// the SQL front end sees the text.
struct sql_fragment_parser : x3::parser<sql_fragment_parser> {
  using attribute_type = ast::SqlFragment;
  static bool const has_attribute = true;

  template <class Iterator, class Context, class RContext, class Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& ctx, RContext&,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    Iterator it = first;
    std::vector<std::pair<std::ptrdiff_t, std::ptrdiff_t>> comments;  // (offset, length)
    Iterator end = first;  // just past the last character that is not blank or a comment
    while (it != last && *it != ';' && *it != '}') {
      const char c = *it;
      if (c == '#') {
        Iterator const comment = it;
        while (it != last && *it != '\n') ++it;
        comments.emplace_back(comment - first, it - comment);
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++it;
        continue;
      }
      if (c == '\'' || c == '"') {
        // E'...' strings take backslash escapes.
        bool backslash = false;
        if (c == '\'' && it != first) {
          Iterator prev = it;
          --prev;
          if (*prev == 'E' || *prev == 'e') {
            backslash = true;
            if (prev != first) {
              Iterator before = prev;
              --before;
              const char b = *before;
              if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                  b == '_')
                backslash = false;
            }
          }
        }
        Iterator const open = it;
        ++it;
        for (;;) {
          if (it == last)
            throw x3::expectation_failure<Iterator>(
                open, c == '\'' ? "unterminated SQL string" : "unterminated SQL identifier");
          if (backslash && *it == '\\') {
            ++it;
            if (it != last) ++it;
            continue;
          }
          if (*it == c) {
            ++it;
            if (it != last && *it == c) {  // doubled quote
              ++it;
              continue;
            }
            break;
          }
          ++it;
        }
        end = it;
        continue;
      }
      if (c == '-' && std::next(it) != last && *std::next(it) == '-') {
        while (it != last && *it != '\n') ++it;
        continue;
      }
      if (c == '/' && std::next(it) != last && *std::next(it) == '*') {
        Iterator const open = it;
        int depth = 0;
        while (it != last) {
          if (*it == '/' && std::next(it) != last && *std::next(it) == '*') {
            ++depth;
            it += 2;
          } else if (*it == '*' && std::next(it) != last && *std::next(it) == '/') {
            it += 2;
            if (--depth == 0) break;
          } else {
            ++it;
          }
        }
        if (depth != 0) throw x3::expectation_failure<Iterator>(open, "unterminated SQL comment");
        continue;
      }
      if (c == '$') {
        // $tag$ ... $tag$ (the tag may be empty); $1 is a parameter.
        Iterator tag_end = std::next(it);
        while (tag_end != last && ((*tag_end >= 'a' && *tag_end <= 'z') ||
                                   (*tag_end >= 'A' && *tag_end <= 'Z') || *tag_end == '_' ||
                                   (tag_end != std::next(it) && *tag_end >= '0' && *tag_end <= '9')))
          ++tag_end;
        if (tag_end != last && *tag_end == '$') {
          const std::string tag(it, std::next(tag_end));
          Iterator const open = it;
          it = std::next(tag_end);
          const std::string_view rest(&*it, static_cast<size_t>(last - it));
          const size_t close = rest.find(tag);
          if (close == std::string_view::npos)
            throw x3::expectation_failure<Iterator>(open, "unterminated dollar quote");
          it += static_cast<std::ptrdiff_t>(close + tag.size());
          end = it;
          continue;
        }
      }
      ++it;
      end = it;
    }
    if (end == first) return false;
    ast::SqlFragment fragment;
    fragment.text.assign(first, end);
    for (auto const& [offset, length] : comments) {
      if (offset >= static_cast<std::ptrdiff_t>(fragment.text.size())) break;
      const auto n = std::min<std::ptrdiff_t>(length, static_cast<std::ptrdiff_t>(fragment.text.size()) - offset);
      fragment.text.replace(static_cast<size_t>(offset), static_cast<size_t>(n), static_cast<size_t>(n), ' ');
    }
    fragment.span = Span{offsetIn(ctx, first), offsetIn(ctx, end)};
    first = end;
    x3::traits::move_to(std::move(fragment), attr);
    return true;
  }
};

// --- Keywords and symbol tables ------------------------------------------------

auto const word_char = x3::char_("A-Za-z0-9_");

struct keyword_class;
/// A keyword: the word, not followed by a letter, digit or `_`. `name` is
/// what an error message calls it (the word in single quotes).
inline auto kw(char const* word, char const* name) {
  return x3::rule<keyword_class>{name} = x3::lexeme[x3::lit(word) >> !word_char];
}
#define SQLWARDEN_KW(word) ::sqlwarden::policy::parser::kw(word, "'" word "'")

struct statement_class_symbols : x3::symbols<ast::StatementClass> {
  statement_class_symbols() {
    using C = ast::StatementClass;
    add("select", C::Select)("insert", C::Insert)("update", C::Update)("delete", C::Delete)(
        "merge", C::Merge)("copy", C::Copy)("call", C::Call)("ddl", C::Ddl)("create", C::Create)(
        "alter", C::Alter)("drop", C::Drop)("truncate", C::Truncate)("grant", C::Grant)(
        "revoke", C::Revoke)("comment", C::Comment)("all", C::All);
  }
};

struct builtin_mask_symbols : x3::symbols<ast::MaskSpec::Kind> {
  builtin_mask_symbols() {
    using K = ast::MaskSpec::Kind;
    add("email", K::Email)("redact", K::Redact)("hash", K::Hash)("null", K::Null)("year", K::Year);
  }
};

// --- Semantic actions --------------------------------------------------------

template <class Member>
auto assign(Member member) {
  return [member](auto& ctx) { x3::_val(ctx).*member = std::move(x3::_attr(ctx)); };
}
template <class Member, class Value>
auto assign_value(Member member, Value value) {
  return [member, value](auto& ctx) { x3::_val(ctx).*member = value; };
}

auto const set_name = [](auto& ctx) {
  auto const& range = x3::_attr(ctx);
  x3::_val(ctx).text.assign(range.begin(), range.end());
};

auto const set_number = [](auto& ctx) {
  auto const& range = x3::_attr(ctx);
  uint32_t value = 0;
  const auto [ptr, ec] = std::from_chars(range.begin(), range.end(), value);
  if (ec != std::errc() || ptr != range.end())
    throw x3::expectation_failure<const char*>(range.begin(), "number too large");
  x3::_val(ctx).value = value;
};

auto const set_pattern = [](auto& ctx) {
  auto const& range = x3::_attr(ctx);
  auto& parts = x3::_val(ctx).parts;
  parts.clear();
  std::string part;
  for (char c : range) {
    if (c == '.') {
      parts.push_back(std::move(part));
      part.clear();
    } else {
      part += c;
    }
  }
  parts.push_back(std::move(part));
};

auto const set_count = [](auto& ctx) { x3::_val(ctx).count = x3::_attr(ctx).value; };
auto const set_function = [](auto& ctx) {
  x3::_val(ctx).kind = ast::MaskSpec::Kind::Function;
  x3::_val(ctx).function = std::move(x3::_attr(ctx));
};

// --- Rules -----------------------------------------------------------------------

x3::rule<class name_class, ast::Name> const name = "name";
x3::rule<class number_class, ast::Number> const number = "number";
x3::rule<class string_class, ast::StringLit> const string = "string";
x3::rule<class pattern_part_class> const pattern_part = "name or '*'";
x3::rule<class table_pattern_class, ast::Pattern> const table_pattern = "table pattern";
x3::rule<class column_pattern_class, ast::Pattern> const column_pattern = "column pattern";
x3::rule<class function_pattern_class, ast::Pattern> const function_pattern = "function pattern";
x3::rule<class table_list_class, std::vector<ast::Pattern>> const table_list = "table pattern";
x3::rule<class function_list_class, std::vector<ast::Pattern>> const function_list =
    "function pattern";
x3::rule<class class_ref_class, ast::ClassRef> const class_ref = "statement class";
x3::rule<class class_list_class, std::vector<ast::ClassRef>> const class_list = "statement class";
x3::rule<class matcher_class, ast::Matcher> const matcher = "matcher";
x3::rule<class matcher_list_class, std::vector<ast::Matcher>> const matcher_list = "matcher";
x3::rule<class mask_spec_class, ast::MaskSpec> const mask_spec = "mask";
x3::rule<class sql_expression_class, ast::SqlFragment> const sql_expression = "SQL expression";

x3::rule<class applies_to_class, ast::AppliesTo> const applies_to = "applies to";
x3::rule<class allow_class, ast::Allow> const allow = "allow";
x3::rule<class deny_class, ast::PolicyStmt> const deny = "deny";
x3::rule<class deny_target_class, ast::PolicyStmt> const deny_target = "deny target";
x3::rule<class deny_statement_class, ast::DenyStatement> const deny_statement = "deny statement";
x3::rule<class deny_function_class, ast::DenyFunction> const deny_function = "deny function";
x3::rule<class deny_table_class, ast::DenyTable> const deny_table = "deny table";
x3::rule<class mask_class, ast::Mask> const mask = "mask clause";
x3::rule<class filter_class, ast::Filter> const filter = "filter";
x3::rule<class require_approval_class, ast::RequireApproval> const require_approval =
    "require approval";
x3::rule<class limit_rows_class, ast::LimitRows> const limit_rows = "limit rows";
policy_stmt_type const policy_stmt = "policy statement";

x3::rule<class version_class, ast::Version> const version = "version";
x3::rule<class include_class, ast::Include> const include = "include";
x3::rule<class mask_function_class, ast::MaskFunction> const mask_function = "mask_function";
x3::rule<class policy_head_class, ast::Policy> const policy_head = "policy";
top_item_type const top_item = "statement";

statement_class_symbols const statement_class_word;
builtin_mask_symbols const builtin_mask_word;

auto const identifier = x3::lexeme[x3::char_("A-Za-z_") >> *word_char];

auto const name_def = with_span[x3::raw[identifier][set_name]];
auto const number_def = with_span[x3::raw[x3::lexeme[+x3::char_("0-9")]][set_number]];
auto const string_def = string_lit_parser{};

// A part of a dotted pattern: `name`, `name*` (prefix) or `*`. Patterns are
// one lexeme: no blanks around the dots.
auto const pattern_part_def = x3::lexeme[(x3::char_("A-Za-z_") >> *word_char >> -x3::lit('*')) |
                                         x3::lit('*')];
auto const pattern_body = x3::raw[x3::lexeme[pattern_part >> *('.' > pattern_part)]][set_pattern];
auto const table_pattern_def = with_span[pattern_body];
auto const column_pattern_def = with_span[pattern_body];
auto const function_pattern_def = with_span[pattern_body];
auto const table_list_def = table_pattern > *(',' > table_pattern);
auto const function_list_def = function_pattern > *(',' > function_pattern);

auto const class_ref_def = with_span[x3::lexeme[statement_class_word >> !word_char]
                                                [assign(&ast::ClassRef::value)]];
auto const class_list_def = class_ref > *(',' > class_ref);

using MatcherKind = ast::Matcher::Kind;
auto const matcher_def = with_span[
    (SQLWARDEN_KW("user")[assign_value(&ast::Matcher::kind, MatcherKind::User)] >
     string[assign(&ast::Matcher::value)]) |
    (SQLWARDEN_KW("group")[assign_value(&ast::Matcher::kind, MatcherKind::Group)] >
     string[assign(&ast::Matcher::value)]) |
    (SQLWARDEN_KW("claim")[assign_value(&ast::Matcher::kind, MatcherKind::Claim)] >
     string[assign(&ast::Matcher::value)] > '=' > string[assign(&ast::Matcher::claim_value)])];
auto const matcher_list_def = matcher > *(',' > matcher);

using MaskKind = ast::MaskSpec::Kind;
auto const mask_spec_def = with_span[
    x3::lexeme[builtin_mask_word >> !word_char][assign(&ast::MaskSpec::kind)] |
    (SQLWARDEN_KW("keep_first")[assign_value(&ast::MaskSpec::kind, MaskKind::KeepFirst)] > '(' >
     number[set_count] > ')') |
    (SQLWARDEN_KW("keep_last")[assign_value(&ast::MaskSpec::kind, MaskKind::KeepLast)] > '(' >
     number[set_count] > ')') |
    (x3::rule<class mask_function_name_class, std::string>{"name"} = identifier)[set_function]];

auto const sql_expression_def = sql_fragment_parser{};

// --- Policy body statements ---

auto const applies_to_def = SQLWARDEN_KW("applies") > SQLWARDEN_KW("to") >
                            matcher_list[assign(&ast::AppliesTo::matchers)] > ';';
auto const allow_def =
    SQLWARDEN_KW("allow") > class_list > -(SQLWARDEN_KW("on") > table_list) > ';';
auto const deny_def = SQLWARDEN_KW("deny") > deny_target;
auto const deny_target_def = deny_statement | deny_function | deny_table;
auto const deny_message = -(SQLWARDEN_KW("message") > string);
auto const deny_statement_def = SQLWARDEN_KW("statement") > class_list > deny_message > ';';
auto const deny_function_def = SQLWARDEN_KW("function") > function_list > deny_message > ';';
auto const deny_table_def = SQLWARDEN_KW("table") > table_list > deny_message > ';';
auto const mask_def =
    SQLWARDEN_KW("mask") > column_pattern > SQLWARDEN_KW("with") > mask_spec > ';';
auto const filter_def =
    SQLWARDEN_KW("filter") > table_list > SQLWARDEN_KW("where") > sql_expression > ';';
auto const require_approval_def =
    SQLWARDEN_KW("require") > SQLWARDEN_KW("approval") > SQLWARDEN_KW("for") > class_list >
    -(SQLWARDEN_KW("on") > table_list) >
    x3::matches[SQLWARDEN_KW("without") > SQLWARDEN_KW("where")] > ';';
auto const limit_rows_def = SQLWARDEN_KW("limit") > SQLWARDEN_KW("rows") >
                            number[assign(&ast::LimitRows::rows)] > ';';
auto const policy_stmt_def =
    applies_to | allow | deny | mask | filter | require_approval | limit_rows;

// --- Top-level statements ---

auto const version_def = SQLWARDEN_KW("version") > number[assign(&ast::Version::number)] > ';';
auto const include_def = SQLWARDEN_KW("include") > string[assign(&ast::Include::path)] > ';';
auto const mask_function_def = SQLWARDEN_KW("mask_function") > name > '=' > string > ';';
auto const policy_head_def = SQLWARDEN_KW("policy") > name[assign(&ast::Policy::name)] > '{';
auto const top_item_def = version | include | mask_function | policy_head;

BOOST_SPIRIT_DEFINE(name, number, string, pattern_part, table_pattern, column_pattern,
                    function_pattern, table_list, function_list, class_ref, class_list, matcher,
                    matcher_list, mask_spec, sql_expression)
BOOST_SPIRIT_DEFINE(applies_to, allow, deny, deny_target, deny_statement, deny_function,
                    deny_table, mask, filter, require_approval, limit_rows, policy_stmt)
BOOST_SPIRIT_DEFINE(version, include, mask_function, policy_head, top_item)

/// Blanks between tokens: whitespace and `#` comments to the end of the line.
auto const skipper = x3::char_(" \t\r\n\f\v") | ('#' >> *~x3::char_('\n'));

}  // namespace sqlwarden::policy::parser
