#include "sql/parser/lexer_check.hpp"

#include "SqlLexer.h"
#include "sql/parser/fast_atn.hpp"
#include "sql/parser/scanner.hpp"

namespace sqlwarden::sql::detail {

namespace {

TokenInfo info(const antlr4::Token& t) {
  return TokenInfo{t.getType(),      t.getChannel(), t.getStartIndex(),
                   t.getStopIndex(), t.getLine(),    t.getCharPositionInLine()};
}

}  // namespace

std::vector<TokenInfo> tokensFromGrammar(std::string_view text) {
  ByteCharStream input;
  input.load(text);
  gen::SqlLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<TokenInfo> out;
  for (const auto& t : lexer.getAllTokens()) out.push_back(info(*t));
  return out;
}

std::vector<TokenInfo> tokensFromScanner(std::string_view text) {
  static const Scanner scanner;
  ByteCharStream input;
  input.load(text);
  std::vector<TokenInfo> out;
  std::vector<std::unique_ptr<antlr4::CommonToken>> pool;
  const size_t n = scanner.scan(text, &input, pool);
  for (size_t i = 0; i < n; ++i) out.push_back(info(*pool[i]));
  return out;
}

std::string tokenName(size_t type) {
  antlr4::ANTLRInputStream empty("");
  gen::SqlLexer lexer(&empty);
  return lexer.getVocabulary().getSymbolicName(type);
}

}  // namespace sqlwarden::sql::detail
