#include "sql/fingerprint.hpp"

#include "sql/printer.hpp"

namespace sqlwarden::sql {

namespace {

// 64-bit FNV-1a (fingerprint.hpp): the same hash as the token fingerprint.
uint64_t fnv1a64(const std::string& s) {
  uint64_t hash = kFingerprintBasis;
  for (char c : s) hash = fingerprintStep(hash, c);
  return hash;
}

}  // namespace

std::string Fingerprint::hex() const { return fingerprintHex(hash); }

std::string fingerprintHex(uint64_t hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  uint64_t h = hash;
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[h & 0xf];
    h >>= 4;
  }
  return out;
}

Fingerprint fingerprint(const Statement& stmt) {
  PrintOptions options;
  options.normalize_literals = true;
  Fingerprint fp;
  // Printing from the AST is what makes spacing, keyword case and comments
  // irrelevant: none of them survive parsing.
  fp.normalized = toSql(stmt, options);
  fp.hash = fnv1a64(fp.normalized);
  return fp;
}

}  // namespace sqlwarden::sql
