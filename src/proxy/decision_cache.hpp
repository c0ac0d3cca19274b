#pragma once
// The engine's decisions for statement texts a session sent before, so that
// a client repeating a statement (extended protocol: the same Parse text for
// every execution; ORMs; dashboards) is not parsed and decided again.
//
// Safety (docs/gateway.md, "Performance"):
// - One cache per client session, whose identity never changes: a decision
//   made for one identity is never served to another.
// - Keyed by the exact statement text, byte for byte.
// - Valid for one policy generation and one catalog generation: a reload or
//   a catalog refresh empties it.
// - Only decisions that depend on nothing but the text, the identity, the
//   policy and the catalog are kept: every statement of the message allowed,
//   and each a SELECT, INSERT, UPDATE, DELETE or transaction control. PREPARE,
//   EXECUTE, DECLARE, FETCH, CLOSE, DEALLOCATE, DISCARD, SET, RESET, LISTEN
//   (which read or change the engine's session state), denials and
//   approvals (one-shot, filed in the audit store) are decided every time.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "rewrite/decision.hpp"

namespace sqlwarden::proxy {

class DecisionCache {
 public:
  /// At most `max_entries` texts of at most `max_text` bytes each.
  explicit DecisionCache(size_t max_entries = 512, size_t max_text = 16384)
      : max_entries_(max_entries), max_text_(max_text) {}

  /// The decisions cached for exactly `sql` under these generations, or
  /// null. A generation change empties the cache first.
  const std::vector<rewrite::Decision>* find(const std::string& sql, uint64_t policy_generation,
                                             uint64_t catalog_generation);

  /// Keeps `decisions` for `sql` when they may be cached (cacheable()) and
  /// the text was seen before: a text sent once (simple protocol with
  /// literals inlined) costs a hash, not a copy of its decisions.
  void store(const std::string& sql, uint64_t policy_generation, uint64_t catalog_generation,
             const std::vector<rewrite::Decision>& decisions);

  /// Whether decisions depend on nothing but the text (see above).
  static bool cacheable(const std::vector<rewrite::Decision>& decisions);

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  size_t size() const { return entries_.size(); }

 private:
  void checkGenerations(uint64_t policy_generation, uint64_t catalog_generation);

  size_t max_entries_;
  size_t max_text_;
  uint64_t policy_generation_ = 0;
  uint64_t catalog_generation_ = 0;
  std::unordered_map<std::string, std::vector<rewrite::Decision>> entries_;
  std::unordered_set<size_t> seen_;  // hashes of texts decided once, not cached yet
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace sqlwarden::proxy
