#include "sql/parser/sql_parser_base.hpp"

#include <cstddef>
#include <memory>
#include <vector>

#include "sql/parser/sql_context_base.hpp"

namespace sqlwarden::sql {

namespace {

/// Bump allocator for parse-tree contexts, one per thread.
struct ContextArena {
  static constexpr size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<std::byte[]>> blocks;
  size_t block = 0;  // index of the block being filled
  size_t used = 0;   // bytes used in it

  void* allocate(size_t size) {
    size = (size + 15) & ~size_t{15};
    if (size > kBlock) {
      // Larger than a block: a block of its own, placed before the current
      // one so the current block keeps filling.
      blocks.insert(blocks.begin() + static_cast<long>(block), std::make_unique<std::byte[]>(size));
      return blocks[block++].get();
    }
    if (blocks.empty() || used + size > kBlock) {
      if (!blocks.empty()) ++block;
      if (block == blocks.size()) blocks.push_back(std::make_unique<std::byte[]>(kBlock));
      used = 0;
    }
    void* p = blocks[block].get() + used;
    used += size;
    return p;
  }

  void release() {
    // Keep one block for the next statement; give back the rest.
    if (blocks.size() > 1) blocks.resize(1);
    if (!blocks.empty() && blocks[0] == nullptr) blocks.clear();
    block = 0;
    used = 0;
  }
};

ContextArena& arena() {
  thread_local ContextArena instance;
  return instance;
}

}  // namespace

void* SqlContextBase::operator new(std::size_t size) { return arena().allocate(size); }

void* SqlTerminalNode::operator new(std::size_t size) { return arena().allocate(size); }

void SqlContextBase::releaseArena() { arena().release(); }

antlr4::Token* SqlParserBase::consume() {
  if (!_parseListeners.empty() || _errHandler->inErrorRecoveryMode(this)) return Parser::consume();
  antlr4::Token* token = _input->LT(1);
  if (token->getType() != antlr4::Token::EOF) _input->consume();
  if (_buildParseTrees) _ctx->addChild(_tracker.createInstance<SqlTerminalNode>(token));
  return token;
}

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
