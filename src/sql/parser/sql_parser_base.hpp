#pragma once
// Base class of the generated SqlParser (grammar option superClass).
//
// The ANTLR 4.9 runtime walks from a context to its parent with dynamic_cast
// on every rule entry and exit. Every parent in a tree built by this parser
// is a ParserRuleContext, so a static cast is exact; later runtime versions
// made the same change. Parse listeners are never used here: with any
// attached, the runtime's own versions run.
#include "antlr4-runtime.h"

namespace sqlwarden::sql {

class SqlParserBase : public antlr4::Parser {
 public:
  explicit SqlParserBase(antlr4::TokenStream* input) : antlr4::Parser(input) {}

  void enterRule(antlr4::ParserRuleContext* localctx, size_t state, size_t rule_index) override;
  /// Not virtual in the runtime: this one hides Parser::exitRule for the
  /// generated code, which is its only caller.
  void exitRule();
  void enterOuterAlt(antlr4::ParserRuleContext* localctx, size_t alt) override;
  /// Terminal nodes come from the context arena (SqlTerminalNode).
  antlr4::Token* consume() override;
  void enterRecursionRule(antlr4::ParserRuleContext* localctx, size_t state, size_t rule_index,
                          int precedence) override;
  void pushNewRecursionContext(antlr4::ParserRuleContext* localctx, size_t state,
                               size_t rule_index) override;

  /// Hides Recognizer::getInterpreter (a dynamic_cast on every prediction)
  /// for the generated code, which only asks for the ParserATNSimulator the
  /// parser holds.
  template <class T>
  T* getInterpreter() const {
    return static_cast<T*>(_interpreter);
  }
};

}  // namespace sqlwarden::sql
