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

void SqlLexerBase::finishOperator() {
  const OperatorTypes types = operatorTypes();
  const size_t start = tokenStartCharIndex;
  const size_t stop = _input->index();  // one past the match
  std::string text = _input->getText(antlr4::misc::Interval(start, stop - 1));

  if (text.size() >= 2 && (text.compare(0, 2, "--") == 0 || text.compare(0, 2, "/*") == 0)) {
    const bool block = text[0] == '/';
    _input->seek(start + 2);
    auto* sim = getInterpreter<antlr4::atn::LexerATNSimulator>();
    sim->setCharPositionInLine(sim->getCharPositionInLine() - static_cast<int>(text.size() - 2));
    finishComment(block, types);
    return;
  }
  // An embedded comment start ends the operator (scan.l: "--" or "/*").
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
  if (len == 0) len = 1;  // cannot happen for a matched run; keep progress regardless
  if (len < text.size()) {
    // Give back the characters after the cut. Operators never contain a
    // newline, so moving the column back is all the position bookkeeping.
    _input->seek(start + len);
    auto* sim = getInterpreter<antlr4::atn::LexerATNSimulator>();
    sim->setCharPositionInLine(sim->getCharPositionInLine() -
                               static_cast<int>(text.size() - len));
    text.resize(len);
  }

  const std::string_view op(text);
  size_t type = types.op;
  if (op.size() == 1) {
    switch (op[0]) {
      case '=': type = types.eq; break;
      case '<': type = types.lt; break;
      case '>': type = types.gt; break;
      case '+': type = types.plus; break;
      case '-': type = types.minus; break;
      case '*': type = types.star; break;
      case '/': type = types.slash; break;
      case '%': type = types.percent; break;
      case '^': type = types.caret; break;
      default: break;
    }
  } else if (op == "<=") {
    type = types.le;
  } else if (op == ">=") {
    type = types.ge;
  } else if (op == "<>" || op == "!=") {
    type = types.neq;
  } else if (op == "=>") {
    type = types.equals_greater;
  }
  setType(type);
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
