#pragma once
#include <cstdint>
#include <string>

#include "sql/ast.hpp"

namespace sqlwarden::sql {

/// A statement's shape: literals replaced by `?`, identifiers kept. Two
/// statements that differ only in constants (or spacing, case of keywords,
/// comments) have the same fingerprint. Used for approvals and caches.
struct Fingerprint {
  std::string normalized;  ///< the normalized SQL text
  uint64_t hash = 0;       ///< 64-bit FNV-1a of `normalized`
  std::string hex() const;  ///< hash as 16 lower-case hex digits
};

Fingerprint fingerprint(const Statement& stmt);

}  // namespace sqlwarden::sql
