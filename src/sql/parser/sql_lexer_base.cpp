#include "sql/parser/sql_lexer_base.hpp"

#include <string_view>

namespace sqlwarden::sql {

namespace {

bool isSpecialOpChar(char c) {
  switch (c) {
    case '~': case '!': case '@': case '#': case '%': case '^': case '&': case '|': case '`':
    case '?':
      return true;
    default:
      return false;
  }
}

}  // namespace

size_t operatorLength(std::string_view text) {
  if (text.size() >= 2 && (text.substr(0, 2) == "--" || text.substr(0, 2) == "/*")) return 0;
  // An embedded comment start ends the operator.
  size_t len = text.size();
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if ((text[i] == '-' && text[i + 1] == '-') || (text[i] == '/' && text[i + 1] == '*')) {
      len = i;
      break;
    }
  }
  // A multi-character operator cannot end in + or - unless it contains one of
  // the special characters: `a=-1` is `a = -1`.
  if (len > 1) {
    bool special = false;
    for (size_t i = 0; i < len; ++i) special |= isSpecialOpChar(text[i]);
    if (!special) {
      while (len > 1 && (text[len - 1] == '+' || text[len - 1] == '-')) --len;
    }
  }
  return len;
}

size_t SqlLexerBase::operatorType(std::string_view op, const OperatorTypes& types) {
  if (op.size() == 1) {
    switch (op[0]) {
      case '=': return types.eq;
      case '<': return types.lt;
      case '>': return types.gt;
      case '+': return types.plus;
      case '-': return types.minus;
      case '*': return types.star;
      case '/': return types.slash;
      case '%': return types.percent;
      case '^': return types.caret;
      default: return types.op;
    }
  }
  if (op == "<=") return types.le;
  if (op == ">=") return types.ge;
  if (op == "<>" || op == "!=") return types.neq;
  if (op == "=>") return types.equals_greater;
  return types.op;
}

void SqlLexerBase::finishOperator() {
  const OperatorTypes types = operatorTypes();
  const size_t start = tokenStartCharIndex;
  const size_t stop = _input->index();  // one past the match
  const std::string text = _input->getText(antlr4::misc::Interval(start, stop - 1));
  const size_t len = operatorLength(text);
  // Give back what follows the cut (or the comment's body). Operators never
  // contain a newline, so moving the column back is all the bookkeeping.
  const size_t keep = len == 0 ? 2 : len;
  if (keep < text.size()) {
    _input->seek(start + keep);
    auto* sim = getInterpreter<antlr4::atn::LexerATNSimulator>();
    sim->setCharPositionInLine(sim->getCharPositionInLine() -
                               static_cast<int>(text.size() - keep));
  }
  if (len == 0) {
    finishComment(text[0] == '/', types);
    return;
  }
  setType(operatorType(std::string_view(text).substr(0, len), types));
}

void SqlLexerBase::finishComment(bool block, const OperatorTypes& types) {
  auto* sim = getInterpreter<antlr4::atn::LexerATNSimulator>();
  if (!block) {
    while (true) {
      const size_t c = _input->LA(1);
      if (c == antlr4::Token::EOF || c == '\n' || c == '\r') break;
      sim->consume(_input);
    }
    setType(types.line_comment);
    setChannel(antlr4::Token::HIDDEN_CHANNEL);
    return;
  }
  // Block comments nest, as in PostgreSQL.
  int depth = 1;
  while (depth > 0) {
    const size_t c = _input->LA(1);
    if (c == antlr4::Token::EOF) {
      setType(types.unterminated_comment);
      return;
    }
    const size_t n = _input->LA(2);
    if (c == '/' && n == '*') {
      sim->consume(_input);
      sim->consume(_input);
      ++depth;
    } else if (c == '*' && n == '/') {
      sim->consume(_input);
      sim->consume(_input);
      --depth;
    } else {
      sim->consume(_input);
    }
  }
  setType(types.block_comment);
  setChannel(antlr4::Token::HIDDEN_CHANNEL);
}

void SqlLexerBase::finishDollarString() {
  const OperatorTypes types = operatorTypes();
  const size_t start = tokenStartCharIndex;
  const size_t stop = _input->index();
  const std::string tag = _input->getText(antlr4::misc::Interval(start, stop - 1));
  auto* sim = getInterpreter<antlr4::atn::LexerATNSimulator>();
  // Scan forward for the closing tag, consuming through the simulator so line
  // and column stay right for every token after this one.
  size_t matched = 0;
  while (true) {
    const size_t c = _input->LA(1);
    if (c == antlr4::Token::EOF) {
      setType(types.unterminated);
      return;
    }
    sim->consume(_input);
    if (c == static_cast<unsigned char>(tag[matched])) {
      ++matched;
      if (matched == tag.size()) return;
    } else {
      matched = (c == '$') ? 1 : 0;
    }
  }
}

}  // namespace sqlwarden::sql
