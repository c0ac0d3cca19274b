// The parser reads tokens from a hand-written scanner (src/sql/parser/
// scanner.hpp); grammar/SqlLexer.g4 is the specification. These cases check
// that both produce the same tokens: over the whole corpus, over tricky
// hand-picked inputs, and over random input built from the characters that
// matter to the lexer.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "corpus.hpp"
#include "sql/parser/lexer_check.hpp"

namespace {

using sqlwarden::sql::detail::TokenInfo;

std::string describe(const std::vector<TokenInfo>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    out += sqlwarden::sql::detail::tokenName(t.type) + "[" + std::to_string(t.start) + ".." +
           std::to_string(t.stop) + (t.channel ? ",hidden" : "") + "] ";
  }
  return out;
}

/// Checks one input; returns false (after reporting) on a difference.
bool sameTokens(const std::string& text) {
  const auto grammar = sqlwarden::sql::detail::tokensFromGrammar(text);
  const auto scanner = sqlwarden::sql::detail::tokensFromScanner(text);
  if (grammar == scanner) return true;
  FAIL_CHECK("lexers differ on: " << text << "\n  grammar: " << describe(grammar)
                                  << "\n  scanner: " << describe(scanner));
  return false;
}

}  // namespace

TEST_CASE("scanner: same tokens as the grammar's lexer on tricky input") {
  const char* inputs[] = {
      "SELECT 1", "select a.b, \"Mixed \"\"Case\"\"\" FROM t", "U&\"d\\0061t\\+000061\"",
      "U&'d!0061t' UESCAPE '!'", "E'a\\'b\\\\' e'x'", "'it''s'", "'a'\n  'b'", "'a'  'b'",
      "'a' -- c\n 'b'", "'a'\n-- c\n'b'", "$$body$$", "$fn$ a $$ b $fn$", "$1 + $23",
      "$", "$a", "$a$ unterminated", "1 1.5 .5 1. 1e10 1.5e-3 1e 1_000 0x1F 0o17 0b101 0x 1__0",
      "1..2", "a=-1", "a*-1", "a @- b", "a ~- b", "a+-b", "a--comment\nb", "a/*c*/b",
      "/* a /* nested */ b */ c", "/* open", "-- only", "a --", "x::int", "x := 1", "a:b",
      "'open", "E'open\\'", "\"open", "U&\"open", "U&'open", "N'x' n'y' B'01' X'1F' b'' x''",
      "\\ { } ¿", "héllo wörld", "select\tfrom\r\nwhere\f\v", "a<=b>=c<>d!=e=>f",
      "a||b->>'c'#>'{d}'", "@ - ~ ! ? # ` ^ & |", "*/", "-+", "1e+", "1.e5", ".e5", "a$b$c",
      "SELECT $tag$ x $tag $tag$", "''", "\"\"", "E''", "'a'\r\n'b'", "'a' \r\n 'b'",
  };
  for (const char* input : inputs) sameTokens(input);
}

TEST_CASE("scanner: same tokens as the grammar's lexer over the corpus") {
  std::string error;
  const auto corpus = sqlwarden::bench::loadCorpus(
      std::string(SQLWARDEN_SOURCE_DIR) + "/../shared/corpus/pg-regress/statements.jsonl", error);
  REQUIRE_MESSAGE(corpus.has_value(), error);
  size_t differing = 0;
  for (const auto& st : *corpus) {
    if (!sameTokens(st.sql) && ++differing >= 10) break;
  }
  CHECK(differing == 0);
}

TEST_CASE("scanner: same tokens as the grammar's lexer on random input") {
  // Characters and fragments that drive the lexer's decisions.
  const std::vector<std::string> pieces = {
      "a", "E", "e", "N", "n", "B", "b", "X", "x", "U", "u", "&", "'", "''", "\"", "\\", "$",
      "$$", "$t$", "1", "0", "_", ".", "e5", "+", "-", "*", "/", "--", "/*", "*/", "<", ">", "=",
      "!", "@", "#", "%", "^", "|", "`", "?", "~", ":", "::", ";", ",", "(", ")", "[", "]", " ",
      "\n", "\t", "\r", "select", "from", "é", "0x", "o", "{"};
  std::mt19937 rng(20261130);
  size_t differing = 0;
  for (int n = 0; n < 20000 && differing < 10; ++n) {
    std::string text;
    const int len = static_cast<int>(rng() % 12) + 1;
    for (int i = 0; i < len; ++i) text += pieces[rng() % pieces.size()];
    if (!sameTokens(text)) ++differing;
  }
  CHECK(differing == 0);
}
