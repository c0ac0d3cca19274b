#pragma once
// JSON arrays of strings: written here (what json_array() would write, with
// the usual escapes) and read by SQLite's own json_each, so a plain
// `sqlite3` shell can query the same columns with SQLite's JSON functions.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/sqlite.hpp"

namespace sqlwarden::audit {

/// Appends `s` to `out` as a JSON string (quotes, the usual escapes, other
/// control characters as \u00XX; other bytes as they are, as json_array()
/// does).
void appendJsonString(std::string& out, std::string_view s);

/// Encodes JSON arrays, and decodes them with one connection's json_each.
/// Not thread-safe: one per connection user.
class JsonCodec {
 public:
  explicit JsonCodec(Connection& db) : db_(db) {}

  /// ["a","b",null] for {"a", "b", nullopt}.
  Result<std::string> array(const std::vector<std::optional<std::string>>& items);
  Result<std::string> array(const std::vector<std::string>& items);

  /// The elements of a JSON array; JSON null gives nullopt, other scalars
  /// their text. Not an array: an error.
  Result<std::vector<std::optional<std::string>>> values(std::string_view json);
  /// Like values(), with nulls as empty strings.
  Result<std::vector<std::string>> strings(std::string_view json);

 private:
  Connection& db_;
  std::optional<Statement> decoder_;
};

}  // namespace sqlwarden::audit
