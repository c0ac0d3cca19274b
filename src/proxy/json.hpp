#pragma once
// A small JSON reader for the two JSON documents the gateway reads: JWT
// headers/payloads and JWKS files (RFC 8259). Not a general-purpose library:
// it parses into a tree of values and nothing else.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace sqlwarden::proxy {

/// One JSON value. Objects keep the last value of a repeated key.
struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string text;  ///< String: the decoded text; Number: the literal as written
  std::vector<JsonValue> items;
  std::map<std::string, JsonValue, std::less<>> members;

  /// The member `name` of an object, or nullptr (also when this is no object).
  const JsonValue* member(std::string_view name) const;
  bool isString() const { return kind == Kind::String; }
  bool isNumber() const { return kind == Kind::Number; }
  /// Strings as themselves, numbers and booleans as written; nullopt otherwise.
  std::optional<std::string> scalarText() const;
};

/// Parses `text` as one JSON value (surrounding whitespace allowed). Depth is
/// capped at 64 so hostile input cannot exhaust the stack.
Result<JsonValue> parseJson(std::string_view text);

}  // namespace sqlwarden::proxy
