#pragma once
// The SQL front end's entry point: text in, our own AST (or a Diagnostic) out.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sql/ast.hpp"

namespace sqlwarden::sql {

/// Limits that keep hostile input from exhausting the stack or the CPU.
struct ParseLimits {
  /// Deepest nesting of parentheses, brackets, CASE and prefix operators
  /// accepted; deeper input is a clean `sql-too-deep` error.
  uint32_t max_depth = 1000;
};

/// One statement of a script: its source range and either its AST or why it
/// could not be parsed. Statements are independent: one bad statement does not
/// stop the others from being parsed.
struct StatementResult {
  Span span;  ///< byte range of the statement text, without the `;`
  /// The statement's fingerprint hash (fingerprint.hpp: constants, spacing,
  /// comments and the case of unquoted words do not change it); 0 when the
  /// statement could not be split off.
  uint64_t fingerprint = 0;
  std::optional<Statement> statement;
  std::optional<Diagnostic> error;
  bool ok() const { return statement.has_value(); }
};

/// A statement with its constants taken out (Parser::templateConstants):
/// what the gateway decides once for every value of them.
struct ConstantTemplate {
  /// The statement with each constant taken out replaced by `$1`, `$2`, ...
  /// (in order); comments, spacing and everything else as written.
  std::string text;
  /// The constants' own text, as written: `constants[0]` was `$1`.
  std::vector<std::string> constants;
  /// The statement's fingerprint (as StatementResult::fingerprint).
  uint64_t fingerprint = 0;
};

/// A parameter `$n` in a text: bytes [begin, end), and n.
struct ParameterSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t number = 0;
};

/// A reusable parser. Keep one per thread and use it only on the thread that
/// created it: it owns ANTLR's lexer and parser objects and uses the DFA
/// prediction caches of its thread (shared by all Parsers of that thread;
/// see src/sql/parser/fast_atn.hpp). The first parse on a thread is cold.
class Parser {
 public:
  explicit Parser(ParseLimits limits = {});
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  /// Splits `sql` into statements at top-level semicolons (by token, so
  /// semicolons in strings, comments, dollar quotes, parentheses and BEGIN
  /// ATOMIC bodies do not split) and parses each. Empty statements are skipped.
  /// Spans refer to `sql`.
  std::vector<StatementResult> parseScript(std::string_view sql);

  /// Parses exactly one statement (a trailing `;` is allowed). More than one
  /// statement, or none, is an error.
  Result<Statement> parseStatement(std::string_view sql);

  /// Runs only the lexer over `sql` and returns the number of tokens, hidden
  /// ones included. For benchmarks that report the lexer's share of the time.
  size_t lexOnly(std::string_view sql);

  /// The fingerprint hash of `sql` taken as one statement (as
  /// StatementResult::fingerprint), from its tokens alone.
  uint64_t fingerprintText(std::string_view sql);

  /// `sql` with its constants as parameters, when it is exactly one query
  /// or data change (it starts with SELECT, INSERT, UPDATE, DELETE, WITH,
  /// VALUES or `(`) that has no parameter of its own and at least one
  /// constant that can be taken out. A constant is taken out only where a parameter
  /// means the same as the constant: after an operator, `(`, `[`, `,`,
  /// AND, OR, NOT, BETWEEN, LIKE, ILIKE, WHEN, THEN or ELSE, SELECT (not
  /// after LIMIT or OFFSET: the row cap reads a LIMIT's constant). Inside ORDER BY, GROUP BY and DISTINCT ON lists (and anything
  /// nested in them) only after an operator: `ORDER BY 1` names a column
  /// where `ORDER BY $1` sorts by a constant. Only numbers and plain (or
  /// N'') strings: never a dollar-quoted string (code, not a value), nor
  /// E'', U&'', B'' or X'' strings, whose text the parser checks (a
  /// parameter would skip the check). Lexical errors: nullopt.
  std::optional<ConstantTemplate> templateConstants(std::string_view sql);

  /// Every parameter `$n` of `sql`, in order (numbers beyond 2^31: skipped).
  std::vector<ParameterSpan> parameterSpans(std::string_view sql);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Convenience for one-off calls; builds a Parser each time.
Result<Statement> parseStatement(std::string_view sql);

}  // namespace sqlwarden::sql
