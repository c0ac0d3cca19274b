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
//
// Shapes: a statement sent with its constants inlined (the simple protocol)
// is a new text every time. Its shape is the same statement with those
// constants as parameters (sql::Parser::templateConstants says which ones,
// and why only where a parameter means what the constant means). A shape
// seen twice is decided once, as the extended protocol would decide a Parse
// of it, and that decision serves every statement of that shape: the engine
// decides a parameterized statement for every value its parameters may
// take, so a decision it made without the values holds for these values.
// Only a shape whose decision is a plain allow of one SELECT, INSERT, UPDATE
// or DELETE is kept; the statement gets the shape's SQL with its own
// constants put back, byte for byte, and its own fingerprint. Anything
// else (a denial, an approval, a rewrite the engine could not make without
// the values) sends the statement down the ordinary path, and the shape is
// not tried again under these generations.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "rewrite/decision.hpp"
#include "sql/parser.hpp"

namespace sqlwarden::proxy {

class DecisionCache {
 public:
  /// At most `max_entries` texts and as many shapes, of at most `max_text`
  /// bytes each, and at most about `max_bytes` of memory for all of them
  /// together (texts, SQL, reasons): a client cannot make its session hold
  /// more than that, however many distinct statements it sends.
  explicit DecisionCache(size_t max_entries = 512, size_t max_text = 16384, size_t max_bytes = 1 << 20)
      : max_entries_(max_entries), max_text_(max_text), max_bytes_(max_bytes) {}

  /// The decisions cached for exactly `sql` under these generations, or
  /// null. A generation change empties the cache first. Shared, not
  /// copied: they stay valid for the holder whatever the cache does next.
  std::shared_ptr<const std::vector<rewrite::Decision>> find(const std::string& sql, uint64_t policy_generation,
                                                             uint64_t catalog_generation);

  /// Keeps `decisions` for `sql` when they may be cached (cacheable()) and
  /// the text was seen before: a text sent once (simple protocol with
  /// literals inlined) costs a hash, not a copy of its decisions.
  void store(const std::string& sql, uint64_t policy_generation, uint64_t catalog_generation,
             const std::vector<rewrite::Decision>& decisions);

  /// Whether decisions depend on nothing but the text (see above).
  static bool cacheable(const std::vector<rewrite::Decision>& decisions);

  /// Whether a text of this size could be kept at all (texts and shapes).
  bool fits(size_t text_size) const { return text_size <= max_text_; }

  /// A shape's decision (see above), with where its parameters are in the
  /// decision's SQL.
  struct Shape {
    /// The decision, but for its SQL and fingerprint (kept empty): those
    /// are each statement's own.
    rewrite::Decision decision;
    std::string sql;  ///< the decision's SQL, with the parameters
    std::vector<sql::ParameterSpan> params;
  };
  /// The shape cached for `shape_text` under these generations, or null.
  const Shape* findShape(const std::string& shape_text, uint64_t policy_generation,
                         uint64_t catalog_generation);
  /// Whether to decide `shape_text` now: seen before, and not refused.
  bool admitShape(const std::string& shape_text, uint64_t policy_generation, uint64_t catalog_generation);
  /// Keeps the shape's decisions when usable (one plain allow of a SELECT,
  /// INSERT, UPDATE or DELETE whose SQL has parameters $1..$constants only);
  /// otherwise remembers not to try the shape again. Returns what it kept.
  const Shape* storeShape(const std::string& shape_text, uint64_t policy_generation, uint64_t catalog_generation,
                          const std::vector<rewrite::Decision>& decisions, std::vector<sql::ParameterSpan> params,
                          size_t constants);
  /// The decisions for the statement `tpl` was taken from.
  static std::vector<rewrite::Decision> instantiate(const Shape& shape, const sql::ConstantTemplate& tpl);

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  size_t size() const { return entries_.size(); }
  size_t shapes() const { return shapes_.size(); }
  /// The memory the kept decisions account for (approximately).
  size_t bytes() const { return bytes_; }

 private:
  void checkGenerations(uint64_t policy_generation, uint64_t catalog_generation);
  /// Makes room for `cost` more bytes and one more entry of `map_size`:
  /// false when it can never fit; otherwise true, after starting over (both
  /// maps emptied) when the budget or the entry bound would be passed.
  bool makeRoom(size_t cost, size_t map_size);

  size_t max_entries_;
  size_t max_text_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  uint64_t policy_generation_ = 0;
  uint64_t catalog_generation_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const std::vector<rewrite::Decision>>> entries_;
  std::unordered_set<size_t> seen_;  // hashes of texts decided once, not cached yet
  std::unordered_map<std::string, Shape> shapes_;
  std::unordered_set<size_t> shapes_seen_;     // hashes of shapes met once
  std::unordered_set<size_t> shapes_refused_;  // hashes of shapes not to try again
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace sqlwarden::proxy
