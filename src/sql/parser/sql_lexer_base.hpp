#pragma once
// Base class of the generated SqlLexer: the two lexical rules of PostgreSQL
// that a lexer grammar cannot say (see grammar/SqlLexer.g4).
// Included only by generated code and the transformer.
#include <string>
#include <string_view>

#include "antlr4-runtime.h"

namespace sqlwarden::sql {

/// PostgreSQL's cut of a run of operator characters (scan.l, rule
/// {operator}): the length of the operator at the start of `run`. 0 means
/// the run starts a comment (`--` or `/*`).
size_t operatorLength(std::string_view run);

class SqlLexerBase : public antlr4::Lexer {
 public:
  explicit SqlLexerBase(antlr4::CharStream* input) : antlr4::Lexer(input) {}

  /// Token types of the generated lexer, supplied by the subclass (the base
  /// cannot include the generated header).
  struct OperatorTypes {
    size_t eq, neq, lt, gt, le, ge, plus, minus, star, slash, percent, caret, equals_greater,
        op, unterminated, line_comment, block_comment, unterminated_comment;
  };

 protected:
  /// Called after a run of operator characters was matched. A run that
  /// starts a comment becomes the comment. Otherwise cuts it where
  /// PostgreSQL does (scan.l, rule {operator}): before an embedded `--` or
  /// `/*`, and dropping trailing `+`/`-` unless the operator contains one of
  /// `~ ! @ # % ^ & | \` ?`; then assigns the token type of the result.
  void finishOperator();

  /// Called after `$tag$` was matched: consumes input through the matching
  /// `$tag$`. When there is none, the token becomes UNTERMINATED_DOLLAR
  /// (reported by the parser as an unterminated dollar-quoted string).
  void finishDollarString();


  virtual OperatorTypes operatorTypes() const = 0;

 public:
  /// The token type of operator `op` (already cut by operatorLength).
  static size_t operatorType(std::string_view op, const OperatorTypes& types);

 private:
  /// Consumes a comment whose first two characters (`--` or `/*`) are
  /// already consumed, and types the token.
  void finishComment(bool block, const OperatorTypes& types);
};

}  // namespace sqlwarden::sql
