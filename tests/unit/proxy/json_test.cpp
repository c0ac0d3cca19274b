#include <doctest/doctest.h>

#include <string>

#include "proxy/json.hpp"

using sqlwarden::proxy::JsonValue;
using sqlwarden::proxy::parseJson;

TEST_CASE("json: values, escapes and surrogate pairs") {
  auto r = parseJson(R"( {"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "o": {}} )");
  REQUIRE(r);
  const JsonValue& v = *r;
  REQUIRE(v.member("a"));
  REQUIRE(v.member("a")->items.size() == 5);
  CHECK(v.member("a")->items[1].number == -2500);
  CHECK(v.member("a")->items[1].text == "-2.5e3");
  CHECK(*v.member("a")->items[2].scalarText() == "true");
  CHECK(v.member("a")->items[4].kind == JsonValue::Kind::Null);
  CHECK(v.member("s")->text == "x\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(v.member("o")->kind == JsonValue::Kind::Object);
  CHECK(v.member("missing") == nullptr);
}

TEST_CASE("json: malformed input is an error, never a crash") {
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "\"\\x\"", "\"\\ud800\"", "01x", "nul", "[1] 2", "\"a\nb\"",
                          "{\"a\":}", "-", "1."}) {
    INFO(bad);
    CHECK_FALSE(parseJson(bad));
  }
  CHECK_FALSE(parseJson(std::string(100, '[') + std::string(100, ']')));  // depth cap
  CHECK(parseJson(std::string(50, '[') + std::string(50, ']')));
}
