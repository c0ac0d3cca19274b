#include "proxy/decision_cache.hpp"

#include <functional>
#include <utility>

#include "sql/fingerprint.hpp"

namespace sqlwarden::proxy {

namespace {

// Command tags whose decision reads nothing of the engine's session state
// (search_path is fixed; prepared statements and cursors are only consulted
// by EXECUTE, FETCH, CLOSE, ...) and changes none of it.
bool stateless(std::string_view kind) {
  return kind == "SELECT" || kind == "INSERT" || kind == "UPDATE" || kind == "DELETE" || kind == "BEGIN" ||
         kind == "START TRANSACTION" || kind == "COMMIT" || kind == "ROLLBACK";
}

/// About what keeping `decisions` under a key of `key_size` bytes costs.
size_t footprint(size_t key_size, const rewrite::Decision& d) {
  size_t n = 2 * key_size + 256;  // the key (and its hash node), the Decision itself
  n += d.sql.size() + d.reason.size() + d.message.size() + d.kind.size() + d.fingerprint.size() + d.sqlstate.size();
  for (const auto& r : d.rules) n += r.policy.size() + r.file.size() + 64;
  return n;
}

}  // namespace

bool DecisionCache::makeRoom(size_t cost, size_t map_size) {
  if (cost > max_bytes_) return false;
  if (map_size >= max_entries_ || bytes_ + cost > max_bytes_) {
    // A client cycling through many statements starts over.
    entries_.clear();
    shapes_.clear();
    bytes_ = 0;
  }
  bytes_ += cost;
  return true;
}

bool DecisionCache::cacheable(const std::vector<rewrite::Decision>& decisions) {
  if (decisions.empty()) return false;
  for (const auto& d : decisions)
    if (!d.allowed() || !stateless(d.kind)) return false;
  return true;
}

void DecisionCache::checkGenerations(uint64_t policy_generation, uint64_t catalog_generation) {
  if (policy_generation == policy_generation_ && catalog_generation == catalog_generation_) return;
  entries_.clear();
  seen_.clear();
  shapes_.clear();
  bytes_ = 0;
  shapes_seen_.clear();
  shapes_refused_.clear();
  policy_generation_ = policy_generation;
  catalog_generation_ = catalog_generation;
}

std::shared_ptr<const std::vector<rewrite::Decision>> DecisionCache::find(const std::string& sql,
                                                                          uint64_t policy_generation,
                                                                          uint64_t catalog_generation) {
  checkGenerations(policy_generation, catalog_generation);
  if (!entries_.empty()) {
    if (auto it = entries_.find(sql); it != entries_.end()) {
      ++hits_;
      return it->second;
    }
  }
  ++misses_;
  return nullptr;
}

void DecisionCache::store(const std::string& sql, uint64_t policy_generation, uint64_t catalog_generation,
                          const std::vector<rewrite::Decision>& decisions) {
  if (sql.size() > max_text_ || !cacheable(decisions)) return;
  checkGenerations(policy_generation, catalog_generation);
  // Admission on the second sighting (by hash; a collision only admits early).
  if (seen_.insert(std::hash<std::string>{}(sql)).second) {
    if (seen_.size() > 4 * max_entries_) seen_.clear();
    return;
  }
  size_t cost = 0;
  for (const auto& d : decisions) cost += footprint(sql.size(), d);
  if (entries_.count(sql) || !makeRoom(cost, entries_.size())) return;
  entries_.emplace(sql, std::make_shared<const std::vector<rewrite::Decision>>(decisions));
}

const DecisionCache::Shape* DecisionCache::findShape(const std::string& shape_text, uint64_t policy_generation,
                                                    uint64_t catalog_generation) {
  checkGenerations(policy_generation, catalog_generation);
  if (shapes_.empty()) return nullptr;
  auto it = shapes_.find(shape_text);
  if (it == shapes_.end()) return nullptr;
  ++hits_;
  return &it->second;
}

bool DecisionCache::admitShape(const std::string& shape_text, uint64_t policy_generation,
                               uint64_t catalog_generation) {
  if (shape_text.size() > max_text_) return false;
  checkGenerations(policy_generation, catalog_generation);
  const size_t h = std::hash<std::string>{}(shape_text);
  if (shapes_refused_.count(h)) return false;
  // Admission on the second sighting: a statement of a shape sent once is
  // decided once, not twice.
  if (shapes_seen_.insert(h).second) {
    if (shapes_seen_.size() > 4 * max_entries_) shapes_seen_.clear();
    return false;
  }
  return true;
}

const DecisionCache::Shape* DecisionCache::storeShape(const std::string& shape_text, uint64_t policy_generation,
                                                     uint64_t catalog_generation,
                                                     const std::vector<rewrite::Decision>& decisions,
                                                     std::vector<sql::ParameterSpan> params, size_t constants) {
  checkGenerations(policy_generation, catalog_generation);
  bool usable = decisions.size() == 1 && decisions[0].allowed();
  if (usable) {
    const std::string& kind = decisions[0].kind;
    usable = kind == "SELECT" || kind == "INSERT" || kind == "UPDATE" || kind == "DELETE";
  }
  for (const auto& p : params) usable = usable && p.number >= 1 && p.number <= constants;
  if (!usable) {
    if (shapes_refused_.size() > 4 * max_entries_) shapes_refused_.clear();
    shapes_refused_.insert(std::hash<std::string>{}(shape_text));
    return nullptr;
  }
  if (auto it = shapes_.find(shape_text); it != shapes_.end()) return &it->second;
  const size_t cost = footprint(shape_text.size(), decisions[0]) + params.size() * sizeof(sql::ParameterSpan);
  if (!makeRoom(cost, shapes_.size())) {  // larger than the whole budget: never kept, so never tried again
    shapes_refused_.insert(std::hash<std::string>{}(shape_text));
    return nullptr;
  }
  Shape shape{decisions[0], {}, std::move(params)};
  shape.sql = std::exchange(shape.decision.sql, {});
  shape.decision.fingerprint.clear();
  return &shapes_.emplace(shape_text, std::move(shape)).first->second;
}

std::vector<rewrite::Decision> DecisionCache::instantiate(const Shape& shape, const sql::ConstantTemplate& tpl) {
  std::vector<rewrite::Decision> out(1, shape.decision);
  rewrite::Decision& d = out[0];
  const std::string& from = shape.sql;
  std::string sql;
  sql.reserve(from.size() + 16);
  size_t copied = 0;
  for (const auto& p : shape.params) {
    sql.append(from, copied, p.begin - copied);
    sql += tpl.constants[p.number - 1];
    copied = p.end;
  }
  sql.append(from, copied, std::string::npos);
  d.sql = std::move(sql);
  d.fingerprint = sql::fingerprintHex(tpl.fingerprint);
  return out;
}

}  // namespace sqlwarden::proxy
