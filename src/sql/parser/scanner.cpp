#include "sql/parser/scanner.hpp"

#include "SqlLexer.h"

namespace sqlwarden::sql::detail {

namespace {

using gen::SqlLexer;

bool isOpChar(unsigned char c) {
  switch (c) {
    case '+': case '-': case '*': case '/': case '<': case '>': case '=': case '~': case '!':
    case '@': case '#': case '%': case '^': case '&': case '|': case '`': case '?':
      return true;
    default:
      return false;
  }
}

bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(unsigned char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool isIdentCont(unsigned char c) { return isIdentStart(c) || isDigit(c) || c == '$'; }
bool isSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

const SqlLexerBase::OperatorTypes kOperatorTypes{
    SqlLexer::EQ,      SqlLexer::NEQ,   SqlLexer::LT,
    SqlLexer::GT,      SqlLexer::LE,    SqlLexer::GE,
    SqlLexer::PLUS,    SqlLexer::MINUS, SqlLexer::STAR,
    SqlLexer::SLASH,   SqlLexer::PERCENT, SqlLexer::CARET,
    SqlLexer::EQUALS_GREATER, SqlLexer::OPERATOR, SqlLexer::UNTERMINATED_DOLLAR_STRING,
    SqlLexer::LINE_COMMENT, SqlLexer::BLOCK_COMMENT, SqlLexer::UNTERMINATED_BLOCK_COMMENT};

/// Cursor over the text; every function returns the end of what it matched
/// (npos when it does not match), never moving on failure.
class Lex {
 public:
  explicit Lex(std::string_view t) : t_(t) {}
  static constexpr size_t npos = std::string_view::npos;

  unsigned char at(size_t i) const { return i < t_.size() ? static_cast<unsigned char>(t_[i]) : 0; }
  bool has(size_t i) const { return i < t_.size(); }
  size_t size() const { return t_.size(); }

  /// DIGITS: [0-9]+ ('_' [0-9]+)*
  size_t digits(size_t i) const {
    if (!isDigit(at(i))) return npos;
    while (isDigit(at(i))) ++i;
    while (at(i) == '_' && isDigit(at(i + 1))) {
      ++i;
      while (isDigit(at(i))) ++i;
    }
    return i;
  }

  /// EXPONENT: [eE] [+-]? DIGITS
  size_t exponent(size_t i) const {
    if (at(i) != 'e' && at(i) != 'E') return npos;
    size_t j = i + 1;
    if (at(j) == '+' || at(j) == '-') ++j;
    return digits(j);
  }

  /// '0' [xX] '_'? HEX+ ('_' HEX+)* and the octal / binary forms.
  size_t radixInteger(size_t i) const {
    if (at(i) != '0') return npos;
    const unsigned char x = at(i + 1);
    bool (*ok)(unsigned char) = nullptr;
    if (x == 'x' || x == 'X') ok = isHexDigit;
    else if (x == 'o' || x == 'O') ok = [](unsigned char c) { return c >= '0' && c <= '7'; };
    else if (x == 'b' || x == 'B') ok = [](unsigned char c) { return c == '0' || c == '1'; };
    else return npos;
    size_t j = i + 2;
    if (at(j) == '_') ++j;
    if (!ok(at(j))) return npos;
    while (ok(at(j))) ++j;
    while (at(j) == '_' && ok(at(j + 1))) {
      ++j;
      while (ok(at(j))) ++j;
    }
    return j;
  }

  /// A quoted run starting at quote character `q`, a doubled `q` standing for
  /// itself: SQUOTED, EQUOTED (with `backslash`) or a quoted identifier.
  size_t quoted(size_t i, bool backslash, unsigned char q = '\'') const {
    if (at(i) != q) return npos;
    size_t j = i + 1;
    while (has(j)) {
      const unsigned char c = at(j);
      if (backslash && c == '\\') {
        if (!has(j + 1)) return npos;
        j += 2;
      } else if (c == q) {
        if (at(j + 1) == q) {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        ++j;
      }
    }
    return npos;
  }

  /// STRING_CONT: [ \t\f\r]* '\r'? '\n' ( [ \t\f\r\n] | '--' ~[\r\n]* '\r'? '\n' )*
  /// followed by a quote (the continued segment must follow to count).
  size_t continuation(size_t i) const {
    size_t j = i;
    while (at(j) == ' ' || at(j) == '\t' || at(j) == '\f' || at(j) == '\r') ++j;
    // The run above may have eaten a '\r' that belongs to "\r\n": fine, since
    // '\r' is also allowed on its own before '\n'.
    if (at(j) != '\n') return npos;
    ++j;
    while (has(j)) {
      const unsigned char c = at(j);
      if (c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n') {
        ++j;
      } else if (c == '-' && at(j + 1) == '-') {
        size_t k = j + 2;
        while (has(k) && at(k) != '\r' && at(k) != '\n') ++k;
        if (at(k) == '\r') ++k;
        if (at(k) != '\n') break;  // a comment must end in a newline here
        j = k + 1;
      } else {
        break;
      }
    }
    return at(j) == '\'' ? j : npos;
  }

  /// A quoted literal with continuations, starting at the first quote.
  size_t literal(size_t i, bool backslash) const {
    size_t end = quoted(i, backslash);
    if (end == npos) return npos;
    while (true) {
      const size_t next = continuation(end);
      if (next == npos) return end;
      const size_t seg = quoted(next, backslash);
      if (seg == npos) return end;
      end = seg;
    }
  }

  /// '"' ( ~'"' | '""' )* '"' starting at the quote.
  size_t quotedIdent(size_t i) const { return quoted(i, false, '"'); }

  /// The unterminated E'...' form: ( ~['\\] | '' | \\ any )* \\? EOF.
  size_t unterminatedEscape(size_t i) const {
    size_t j = i + 1;
    while (has(j)) {
      const unsigned char c = at(j);
      if (c == '\\') {
        j += has(j + 1) ? 2 : 1;
      } else if (c == '\'') {
        if (at(j + 1) != '\'') return npos;
        j += 2;
      } else {
        ++j;
      }
    }
    return j;
  }

  /// End of the unterminated forms (they run to the end of input) when the
  /// text from `i` (at a quote) is ( ~q | q q )* EOF.
  size_t unterminated(size_t i, unsigned char q) const {
    size_t j = i + 1;
    while (has(j)) {
      if (at(j) == q) {
        if (at(j + 1) != q) return npos;
        j += 2;
      } else {
        ++j;
      }
    }
    return j;
  }

 private:
  std::string_view t_;
};

}  // namespace

Scanner::Scanner() {
  // The keyword tokens are the K_<WORD> symbols of the generated lexer.
  antlr4::ANTLRInputStream empty("");
  SqlLexer lexer(&empty);
  const antlr4::dfa::Vocabulary& vocabulary = lexer.getVocabulary();
  for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
    const std::string name = vocabulary.getSymbolicName(type);
    if (name.size() > 2 && name.compare(0, 2, "K_") == 0) {
      std::string word = name.substr(2);
      for (char& c : word) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      keywords_.emplace(std::move(word), type);
    }
  }
}

size_t Scanner::keywordType(std::string_view word) const {
  if (word.size() > 32) return SqlLexer::IDENT;
  char buf[32] = {};
  for (size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (static_cast<unsigned char>(c) >= 0x80) return SqlLexer::IDENT;
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const auto it = keywords_.find(std::string_view(buf, word.size()));
  if (it == keywords_.end()) return SqlLexer::IDENT;
  return it->second;
}

size_t Scanner::scan(std::string_view text, antlr4::CharStream* source,
                     std::vector<std::unique_ptr<antlr4::CommonToken>>& pool) const {
  size_t count = 0;
  const Lex lx(text);
  constexpr size_t npos = Lex::npos;
  size_t line = 1, column = 0;
  size_t i = 0;

  auto emit = [&](size_t type, size_t end, size_t channel = antlr4::Token::DEFAULT_CHANNEL) {
    if (count == pool.size()) {
      pool.push_back(std::make_unique<antlr4::CommonToken>(
          std::pair<antlr4::TokenSource*, antlr4::CharStream*>{nullptr, source}, type, channel, i,
          end - 1));
    }
    antlr4::CommonToken& token = *pool[count];
    token.setType(type);
    token.setChannel(channel);
    token.setStartIndex(i);
    token.setStopIndex(end - 1);
    token.setLine(line);
    token.setCharPositionInLine(column);
    token.setTokenIndex(count);
    ++count;
    for (size_t k = i; k < end; ++k) {
      if (text[k] == '\n') {
        ++line;
        column = 0;
      } else {
        ++column;
      }
    }
    i = end;
  };

  while (i < text.size()) {
    const unsigned char c = lx.at(i);

    if (isSpace(c)) {
      size_t j = i + 1;
      while (isSpace(lx.at(j))) ++j;
      emit(SqlLexer::WHITESPACE, j, antlr4::Token::HIDDEN_CHANNEL);
      continue;
    }

    // Literals with a one-letter prefix, before identifiers.
    if ((c == 'e' || c == 'E') && lx.at(i + 1) == '\'') {
      if (size_t j = lx.literal(i + 1, true); j != npos) {
        emit(SqlLexer::ESCAPE_STRING, j);
        continue;
      }
    }
    if ((c == 'n' || c == 'N' || c == 'b' || c == 'B' || c == 'x' || c == 'X') &&
        lx.at(i + 1) == '\'') {
      if (size_t j = lx.literal(i + 1, false); j != npos) {
        size_t type = SqlLexer::HEX_STRING;
        if (c == 'n' || c == 'N') type = SqlLexer::NATIONAL_STRING;
        if (c == 'b' || c == 'B') type = SqlLexer::BIT_STRING;
        emit(type, j);
        continue;
      }
    }
    if ((c == 'u' || c == 'U') && lx.at(i + 1) == '&') {
      if (lx.at(i + 2) == '\'') {
        if (size_t j = lx.literal(i + 2, false); j != npos) {
          emit(SqlLexer::UNICODE_STRING, j);
          continue;
        }
      } else if (lx.at(i + 2) == '"') {
        if (size_t j = lx.quotedIdent(i + 2); j != npos) {
          emit(SqlLexer::UNICODE_QUOTED_IDENT, j);
          continue;
        }
        if (size_t j = lx.unterminated(i + 2, '"'); j != npos) {
          emit(SqlLexer::UNTERMINATED_QUOTED_IDENT, j);
          continue;
        }
      }
    }
    // The unterminated forms of prefixed strings (E/N/B/X only).
    if ((c == 'e' || c == 'E' || c == 'n' || c == 'N' || c == 'b' || c == 'B' || c == 'x' ||
         c == 'X') &&
        lx.at(i + 1) == '\'') {
      const bool escapes = c == 'e' || c == 'E';
      if (size_t j = escapes ? lx.unterminatedEscape(i + 1) : lx.unterminated(i + 1, '\'');
          j != npos) {
        emit(SqlLexer::UNTERMINATED_STRING, j);
        continue;
      }
    }

    if (isIdentStart(c)) {
      size_t j = i + 1;
      while (isIdentCont(lx.at(j))) ++j;
      emit(keywordType(text.substr(i, j - i)), j);
      continue;
    }

    if (isDigit(c)) {
      // Longest of INTEGER (decimal or radix) and NUMERIC, as ANTLR picks.
      size_t best = lx.digits(i);
      size_t type = SqlLexer::INTEGER;
      if (size_t r = lx.radixInteger(i); r != npos && r > best) best = r;
      const size_t d = lx.digits(i);
      if (lx.at(d) == '.') {
        size_t j = d + 1;
        if (size_t f = lx.digits(j); f != npos) j = f;
        if (size_t e = lx.exponent(j); e != npos) j = e;
        if (j > best) {
          best = j;
          type = SqlLexer::NUMERIC;
        }
      } else if (size_t e = lx.exponent(d); e != npos && e > best) {
        best = e;
        type = SqlLexer::NUMERIC;
      }
      emit(type, best);
      continue;
    }

    switch (c) {
      case '(': emit(SqlLexer::LPAREN, i + 1); continue;
      case ')': emit(SqlLexer::RPAREN, i + 1); continue;
      case '[': emit(SqlLexer::LBRACKET, i + 1); continue;
      case ']': emit(SqlLexer::RBRACKET, i + 1); continue;
      case ',': emit(SqlLexer::COMMA, i + 1); continue;
      case ';': emit(SqlLexer::SEMI, i + 1); continue;
      case '.': {
        if (size_t f = lx.digits(i + 1); f != npos) {
          size_t j = f;
          if (size_t e = lx.exponent(j); e != npos) j = e;
          emit(SqlLexer::NUMERIC, j);
        } else {
          emit(SqlLexer::DOT, i + 1);
        }
        continue;
      }
      case ':':
        if (lx.at(i + 1) == ':') emit(SqlLexer::TYPECAST, i + 2);
        else if (lx.at(i + 1) == '=') emit(SqlLexer::COLON_EQUALS, i + 2);
        else emit(SqlLexer::COLON, i + 1);
        continue;
      case '\'': {
        if (size_t j = lx.literal(i, false); j != npos) {
          emit(SqlLexer::STRING, j);
        } else {
          emit(SqlLexer::UNTERMINATED_STRING, lx.unterminated(i, '\''));
        }
        continue;
      }
      case '"': {
        if (size_t j = lx.quotedIdent(i); j != npos) {
          emit(SqlLexer::QUOTED_IDENT, j);
        } else {
          emit(SqlLexer::UNTERMINATED_QUOTED_IDENT, lx.unterminated(i, '"'));
        }
        continue;
      }
      case '$': {
        if (isDigit(lx.at(i + 1))) {
          size_t j = i + 1;
          while (isDigit(lx.at(j))) ++j;
          emit(SqlLexer::PARAM, j);
          continue;
        }
        // $tag$ ... $tag$
        size_t j = i + 1;
        if (lx.has(j) && isIdentStart(lx.at(j))) {
          while (lx.has(j) && (isIdentStart(lx.at(j)) || isDigit(lx.at(j)))) ++j;
        }
        if (lx.at(j) != '$') {
          emit(SqlLexer::ERROR_CHAR, i + 1);
          continue;
        }
        const std::string_view tag = text.substr(i, j + 1 - i);
        const size_t close = text.find(tag, j + 1);
        if (close == std::string_view::npos) {
          emit(SqlLexer::UNTERMINATED_DOLLAR_STRING, text.size());
        } else {
          emit(SqlLexer::DOLLAR_STRING, close + tag.size());
        }
        continue;
      }
      default: break;
    }

    if (isOpChar(c)) {
      size_t j = i + 1;
      while (isOpChar(lx.at(j))) ++j;
      const std::string_view run = text.substr(i, j - i);
      const size_t len = operatorLength(run);
      if (len > 0) {
        emit(SqlLexerBase::operatorType(run.substr(0, len), kOperatorTypes), i + len);
        continue;
      }
      if (run[0] == '-') {  // -- comment to the end of the line
        size_t k = i + 2;
        while (lx.has(k) && lx.at(k) != '\n' && lx.at(k) != '\r') ++k;
        emit(SqlLexer::LINE_COMMENT, k, antlr4::Token::HIDDEN_CHANNEL);
        continue;
      }
      // /* comment */, nesting
      size_t k = i + 2;
      int depth = 1;
      while (depth > 0 && lx.has(k)) {
        if (lx.at(k) == '/' && lx.at(k + 1) == '*') {
          depth++;
          k += 2;
        } else if (lx.at(k) == '*' && lx.at(k + 1) == '/') {
          depth--;
          k += 2;
        } else {
          ++k;
        }
      }
      if (depth > 0) {
        emit(SqlLexer::UNTERMINATED_BLOCK_COMMENT, text.size());
      } else {
        emit(SqlLexer::BLOCK_COMMENT, k, antlr4::Token::HIDDEN_CHANNEL);
      }
      continue;
    }

    emit(SqlLexer::ERROR_CHAR, i + 1);
  }
  return count;
}

}  // namespace sqlwarden::sql::detail
