#pragma once
// Just enough JSON writing for `sqlwarden parse --format json`. The output is
// line-oriented and flat, so a string escaper is all it takes; a JSON library
// would be a dependency for nothing.
#include <string>
#include <string_view>

namespace sqlwarden::tools {

/// Appends `text` to `out` as a JSON string literal, quotes included.
/// Control characters are escaped, and bytes that are not valid UTF-8 become
/// U+FFFD: SQL files come in any encoding, the output must stay valid JSON.
void appendJsonString(std::string& out, std::string_view text);

/// `text` as a JSON string literal, quotes included.
std::string jsonString(std::string_view text);

}  // namespace sqlwarden::tools
