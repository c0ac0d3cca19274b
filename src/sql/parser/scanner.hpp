#pragma once
// A hand-written scanner producing exactly the tokens of grammar/SqlLexer.g4.
//
// Why: the ANTLR 4.9 C++ lexer costs about a thousand instructions per
// character (virtual calls and dynamic_casts per character and per token),
// more than PostgreSQL's whole parse of a statement. The grammar stays the
// specification: the token types come from the generated lexer's vocabulary
// (keywords included, so no keyword list is repeated here), and
// tests/unit/sql/scanner_test.cpp checks that both lexers produce the same
// tokens (type, channel, offsets) over the corpus and over random input.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "antlr4-runtime.h"

namespace sqlwarden::sql::detail {

class Scanner {
 public:
  Scanner();

  /// Lexes `text`, hidden tokens (whitespace, comments) included, into the
  /// first N entries of `pool` (reusing the token objects already there,
  /// adding more as needed) and returns N. Token text is read lazily from
  /// `text_source`, which must present `text` (a ByteCharStream) and outlive
  /// the tokens; every token of a pool must come from the same source.
  size_t scan(std::string_view text, antlr4::CharStream* text_source,
              std::vector<std::unique_ptr<antlr4::CommonToken>>& pool) const;

 private:
  /// Looks keywords up by string_view, without making a std::string.
  struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view w) const noexcept { return std::hash<std::string_view>{}(w); }
  };
  /// Keyword (lower case) -> token type, from the generated vocabulary.
  std::unordered_map<std::string, size_t, WordHash, std::equal_to<>> keywords_;
  size_t keywordType(std::string_view word) const;
};

}  // namespace sqlwarden::sql::detail
