#include "sql/parser/sql_parser_base.hpp"

namespace sqlwarden::sql {

namespace {

antlr4::ParserRuleContext* parentOf(antlr4::ParserRuleContext* ctx) {
  return static_cast<antlr4::ParserRuleContext*>(ctx->parent);
}

}  // namespace

void SqlParserBase::enterRule(antlr4::ParserRuleContext* localctx, size_t state,
                              size_t rule_index) {
  if (!_parseListeners.empty()) return Parser::enterRule(localctx, state, rule_index);
  setState(state);
  _ctx = localctx;
  _ctx->start = _input->LT(1);
  // Most contexts get a few children: one allocation instead of growing
  // 1 -> 2 -> 4.
  _ctx->children.reserve(4);
  if (_buildParseTrees && _ctx->parent != nullptr) parentOf(_ctx)->addChild(_ctx);
}

void SqlParserBase::exitRule() {
  if (!_parseListeners.empty()) return Parser::exitRule();
  // After EOF was matched LT(-1) would not be the last token: use LT(1).
  _ctx->stop = _matchedEOF ? _input->LT(1) : _input->LT(-1);
  setState(_ctx->invokingState);
  _ctx = parentOf(_ctx);
}

void SqlParserBase::enterOuterAlt(antlr4::ParserRuleContext* localctx, size_t alt) {
  if (!_parseListeners.empty()) return Parser::enterOuterAlt(localctx, alt);
  localctx->setAltNumber(alt);
  // A left-recursive rule replaces the context it entered with the labeled
  // alternative's context: swap it in the parent's children.
  if (_buildParseTrees && _ctx != localctx && _ctx->parent != nullptr) {
    antlr4::ParserRuleContext* parent = parentOf(_ctx);
    parent->removeLastChild();
    parent->addChild(localctx);
  }
  localctx->children.reserve(4);
  _ctx = localctx;
}

void SqlParserBase::enterRecursionRule(antlr4::ParserRuleContext* localctx, size_t state,
                                       size_t rule_index, int precedence) {
  Parser::enterRecursionRule(localctx, state, rule_index, precedence);
  localctx->children.reserve(4);
}

void SqlParserBase::pushNewRecursionContext(antlr4::ParserRuleContext* localctx, size_t state,
                                            size_t rule_index) {
  localctx->children.reserve(4);
  Parser::pushNewRecursionContext(localctx, state, rule_index);
}

}  // namespace sqlwarden::sql
