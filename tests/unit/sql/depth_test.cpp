// Hostile nesting must come back as a clean `sql-too-deep` error, never a
// stack overflow; ordinary deep-ish and long inputs must still parse.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "sql/parser.hpp"

namespace {

using sqlwarden::sql::Parser;

std::string repeated(std::string_view piece, size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (size_t i = 0; i < count; ++i) out += piece;
  return out;
}

constexpr size_t kHostile = 100'000;

void checkTooDeep(const std::string& sql) {
  Parser parser;
  const auto result = parser.parseStatement(sql);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == "sql-too-deep");
  CHECK(result.error().message.find("too deeply nested") != std::string::npos);
  CHECK(result.error().span.begin <= sql.size());
}

}  // namespace

TEST_CASE("depth: 100000 nested parentheses are a clean error") {
  const std::string sql = "SELECT " + repeated("(", kHostile) + "1" + repeated(")", kHostile);
  checkTooDeep(sql);

  // The script path splits statements before parsing them; it must hold too.
  Parser parser;
  const auto results = parser.parseScript(sql);
  REQUIRE(results.size() == 1);
  REQUIRE_FALSE(results[0].ok());
  REQUIRE(results[0].error.has_value());
  CHECK(results[0].error->code == "sql-too-deep");
}

TEST_CASE("depth: 100000 NOTs are a clean error") {
  checkTooDeep("SELECT " + repeated("NOT ", kHostile) + "TRUE");
}

TEST_CASE("depth: 100000 nested ARRAY constructors are a clean error") {
  checkTooDeep("SELECT " + repeated("ARRAY[", kHostile) + "1" + repeated("]", kHostile));
}

TEST_CASE("depth: 100000 unary minus signs are a clean error") {
  // Spaced out: `--` would start a comment.
  checkTooDeep("SELECT " + repeated("- ", kHostile) + "1");
}

TEST_CASE("depth: 100000 nested CASE expressions are a clean error") {
  checkTooDeep("SELECT " + repeated("CASE WHEN TRUE THEN ", kHostile) + "1" +
               repeated(" END", kHostile));
}

TEST_CASE("depth: 500 nested parentheses parse") {
  Parser parser;
  const auto result =
      parser.parseStatement("SELECT " + repeated("(", 500) + "1" + repeated(")", 500));
  CHECK(result.ok());
}

TEST_CASE("depth: a lower max_depth is honoured") {
  Parser parser(sqlwarden::sql::ParseLimits{50});
  const auto result =
      parser.parseStatement("SELECT " + repeated("(", 60) + "1" + repeated(")", 60));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == "sql-too-deep");
}

TEST_CASE("depth: a 10000-term sum parses or fails cleanly") {
  // Left-associative chains nest in the tree without nesting in the text;
  // either outcome is acceptable as long as it is a value, not a crash.
  Parser parser;
  const auto result = parser.parseStatement("SELECT a" + repeated(" + a", 9'999) + " FROM t");
  if (!result.ok()) {
    CHECK_FALSE(result.error().message.empty());
    CHECK_FALSE(result.error().code.empty());
  }
}

TEST_CASE("depth: a 10000-element IN list parses") {
  std::string list;
  for (int i = 0; i < 10'000; ++i) list += (i ? ", " : "") + std::to_string(i);
  Parser parser;
  const auto result = parser.parseStatement("SELECT * FROM t WHERE a IN (" + list + ")");
  REQUIRE(result.ok());

  const auto* select = result->as<sqlwarden::sql::SelectStmt>();
  REQUIRE(select != nullptr);
  REQUIRE(select->where);
  const auto* in = select->where->as<sqlwarden::sql::InExpr>();
  REQUIRE(in != nullptr);
  CHECK(in->list.size() == 10'000);
}
