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

/// The fingerprint of a statement held as a syntax tree (for statements
/// built or rewritten in memory): the printed SQL with literals as `?`.
Fingerprint fingerprint(const Statement& stmt);

// The fingerprint the gateway, approvals and `sqlwarden parse` use is taken
// from a statement's tokens as the parser reads them
// (StatementResult::fingerprint, Parser::fingerprintText): a 64-bit FNV-1a
// over the visible tokens joined by single spaces, with constants (numbers,
// strings) as `?`, unquoted words lower-cased, quoted names, operators and
// dollar-quoted bodies as written. It costs a pass over tokens the parser
// already has, where printing the tree costs about as much as a tenth of
// parsing it. Stable across releases: stored approvals rely on it.
inline constexpr uint64_t kFingerprintBasis = 14695981039346656037ULL;
inline constexpr uint64_t fingerprintStep(uint64_t hash, char c) {
  return (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
}
/// 16 lower-case hex digits of a fingerprint hash.
std::string fingerprintHex(uint64_t hash);

}  // namespace sqlwarden::sql
