// Hostile and random input: the parser must answer every input with a
// statement or a Diagnostic, never crash or hang; whatever it accepts must
// print back to SQL that parses to the same AST.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "sql/parser.hpp"
#include "sql/printer.hpp"

TEST_CASE("robustness: random token soup parses or fails cleanly, and round-trips") {
  const std::vector<std::string> pieces = {
      "SELECT", "FROM", "WHERE", "t", "a", "b", "1", "'x'", ",", "(", ")", "[", "]", "+", "-",
      "*", "=", "<", "AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "ESCAPE", "BETWEEN",
      "CASE", "WHEN", "THEN", "ELSE", "END", "JOIN", "ON", "USING", "GROUP", "BY", "ORDER",
      "LIMIT", "UNION", "ALL", "WITH", "AS", "INSERT", "INTO", "VALUES", "UPDATE", "SET",
      "DELETE", "CREATE", "TABLE", "DROP", "::", "int", "ARRAY", "ROW", "EXISTS", "ANY", ".",
      ";", "$1", "OVER", "PARTITION", "FILTER", "||", "@", "COLLATE", "AT", "TIME", "ZONE"};
  std::mt19937 rng(42);
  sqlwarden::sql::Parser parser;
  size_t accepted = 0, mismatched = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string sql;
    const int len = static_cast<int>(rng() % 16) + 1;
    for (int i = 0; i < len; ++i) {
      sql += pieces[rng() % pieces.size()];
      sql += ' ';
    }
    for (const auto& result : parser.parseScript(sql)) {
      CHECK((result.ok() || result.error.has_value()));
      if (!result.ok()) continue;
      ++accepted;
      const std::string printed = sqlwarden::sql::toSql(*result.statement);
      auto again = parser.parseStatement(printed);
      if (!again.ok() || !(*again == *result.statement)) {
        if (++mismatched <= 5) FAIL_CHECK("round trip failed for: " << sql << "\n  printed: " << printed);
      }
    }
  }
  MESSAGE(accepted << " random statements accepted");
  CHECK(mismatched == 0);
}

TEST_CASE("robustness: bytes that are not SQL at all fail cleanly") {
  std::mt19937 rng(7);
  sqlwarden::sql::Parser parser;
  for (int n = 0; n < 5000; ++n) {
    std::string sql;
    const int len = static_cast<int>(rng() % 40);
    for (int i = 0; i < len; ++i) sql += static_cast<char>(rng() % 256);
    for (const auto& result : parser.parseScript(sql)) CHECK((result.ok() || result.error));
  }
}
