#include "proxy/decision_cache.hpp"

#include <functional>

namespace sqlwarden::proxy {

namespace {

// Command tags whose decision reads nothing of the engine's session state
// (search_path is fixed; prepared statements and cursors are only consulted
// by EXECUTE, FETCH, CLOSE, ...) and changes none of it.
bool stateless(std::string_view kind) {
  return kind == "SELECT" || kind == "INSERT" || kind == "UPDATE" || kind == "DELETE" || kind == "BEGIN" ||
         kind == "START TRANSACTION" || kind == "COMMIT" || kind == "ROLLBACK";
}

}  // namespace

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
  policy_generation_ = policy_generation;
  catalog_generation_ = catalog_generation;
}

const std::vector<rewrite::Decision>* DecisionCache::find(const std::string& sql, uint64_t policy_generation,
                                                          uint64_t catalog_generation) {
  checkGenerations(policy_generation, catalog_generation);
  if (!entries_.empty()) {
    if (auto it = entries_.find(sql); it != entries_.end()) {
      ++hits_;
      return &it->second;
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
  if (entries_.size() >= max_entries_) entries_.clear();  // a client cycling through many texts starts over
  entries_.emplace(sql, decisions);
}

}  // namespace sqlwarden::proxy
