#pragma once
// Test hook: the tokens of the generated ANTLR lexer and of the hand-written
// scanner, in a form tests can compare without seeing ANTLR types.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sqlwarden::sql::detail {

struct TokenInfo {
  size_t type = 0;
  size_t channel = 0;
  size_t start = 0;
  size_t stop = 0;
  size_t line = 0;
  size_t column = 0;
  bool operator==(const TokenInfo&) const = default;
};

/// Tokens from grammar/SqlLexer.g4's generated lexer (the specification).
std::vector<TokenInfo> tokensFromGrammar(std::string_view text);

/// Tokens from the scanner the parser uses (scanner.hpp).
std::vector<TokenInfo> tokensFromScanner(std::string_view text);

/// The token type's symbolic name, for messages.
std::string tokenName(size_t type);

}  // namespace sqlwarden::sql::detail
