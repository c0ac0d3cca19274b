#pragma once
#include <cstdint>
#include <string_view>

namespace sqlwarden {

/// A half-open byte range [begin, end) into the text a node was parsed from.
///
/// Spans are facts about where a node came from, not part of what it means:
/// two nodes that differ only in their spans compare equal. That is what makes
/// "print, parse again, compare" a meaningful round-trip check.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;

  bool operator==(const Span&) const { return true; }
  bool valid() const { return end >= begin && (begin | end) != 0; }
};

/// A position a human reads: 1-based line and column (column counts bytes).
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
};

/// Computes the line and column of a byte offset in `text`.
LineCol lineColAt(std::string_view text, uint32_t offset);

/// The full source line that contains `offset`, without its line terminator.
std::string_view lineAt(std::string_view text, uint32_t offset);

}  // namespace sqlwarden
