#pragma once
// The catalog from the live database: tables and their columns, inheritance
// and partition parents, views and other relations, user functions, read
// through a gateway login to the upstream and cached for all sessions.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "common/result.hpp"
#include "proxy/upstream.hpp"

namespace sqlwarden::proxy {

/// The introspection queries, in the order catalogFromRows() expects their results.
std::vector<std::string> catalogQueries();

/// Builds a catalog from the rows of catalogQueries().
catalog::Catalog catalogFromRows(const std::vector<TextRows>& results);

/// One catalog shared by every session; replaced as a whole on refresh so
/// sessions keep the snapshot they hold. Thread-safe.
class CatalogCache {
 public:
  struct Snapshot {
    catalog::Catalog catalog;
    uint64_t generation = 0;
  };

  std::shared_ptr<const Snapshot> current() const;
  /// current()->generation without the lock: sessions ask on every statement.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  /// Installs a new catalog (a new generation).
  void install(catalog::Catalog catalog);
  /// True when a refresh may start now: at most one every `min_interval`,
  /// so a client naming unknown tables in a loop cannot hammer the upstream.
  bool claimRefresh(std::chrono::milliseconds min_interval);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_ = std::make_shared<Snapshot>();
  std::atomic<uint64_t> generation_{0};
  std::chrono::steady_clock::time_point last_refresh_{};
};

}  // namespace sqlwarden::proxy
