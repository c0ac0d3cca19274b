#include "proxy/catalog_loader.hpp"

#include <map>

namespace sqlwarden::proxy {

std::vector<std::string> catalogQueries() {
  // System schemas are the engine's baseline's business, not the catalog's.
  const std::string user_schemas =
      "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
      "AND n.nspname NOT LIKE 'pg\\_temp\\_%'";
  return {
      // Relations and their columns.
      "SELECT n.nspname, c.relname, c.relkind::text, a.attname, format_type(a.atttypid, a.atttypmod) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
      "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND " + user_schemas +
          " ORDER BY n.nspname, c.relname, a.attnum",
      // Inheritance and partitions: child, parent.
      "SELECT cn.nspname, c.relname, pn.nspname, p.relname FROM pg_inherits i "
      "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace "
      "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace "
      "ORDER BY 1, 2, i.inhseqno",
      // User functions and procedures.
      "SELECT DISTINCT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
      "WHERE " + user_schemas + " ORDER BY 1, 2",
  };
}

catalog::Catalog catalogFromRows(const std::vector<TextRows>& results) {
  catalog::Catalog cat;
  std::map<std::pair<std::string, std::string>, catalog::Table> tables;
  std::vector<std::pair<std::string, std::string>> order;
  auto text = [](const std::optional<std::string>& v) { return v ? *v : std::string(); };
  if (!results.empty()) {
    for (const auto& row : results[0]) {
      if (row.size() < 5) continue;
      const std::string schema = text(row[0]), name = text(row[1]), kind = text(row[2]);
      if (kind == "r" || kind == "p") {
        auto key = std::make_pair(schema, name);
        auto [it, fresh] = tables.try_emplace(key);
        if (fresh) {
          it->second.schema = schema;
          it->second.name = name;
          order.push_back(key);
        }
        if (row[3]) {
          catalog::Column col;
          col.name = *row[3];
          col.type = text(row[4]);
          col.category = catalog::categoryOf(col.type);
          it->second.columns.push_back(std::move(col));
        }
      } else {
        const auto& others = cat.otherRelations();
        if (others.empty() || others.back() != std::make_pair(schema, name)) cat.addOtherRelation(schema, name);
      }
    }
  }
  if (results.size() > 1) {
    for (const auto& row : results[1]) {
      if (row.size() < 4) continue;
      auto it = tables.find({text(row[0]), text(row[1])});
      if (it != tables.end()) it->second.parents.emplace_back(text(row[2]), text(row[3]));
    }
  }
  for (const auto& key : order) cat.add(std::move(tables[key]));
  if (results.size() > 2) {
    for (const auto& row : results[2])
      if (row.size() >= 2) cat.addFunction(text(row[0]), text(row[1]));
  }
  return cat;
}

std::shared_ptr<const CatalogCache::Snapshot> CatalogCache::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void CatalogCache::install(catalog::Catalog catalog) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<Snapshot>();
  next->catalog = std::move(catalog);
  next->generation = current_->generation + 1;
  current_ = std::move(next);
  generation_.store(current_->generation, std::memory_order_release);
}

bool CatalogCache::claimRefresh(std::chrono::milliseconds min_interval) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (last_refresh_ != std::chrono::steady_clock::time_point{} && now - last_refresh_ < min_interval) return false;
  last_refresh_ = now;
  return true;
}

}  // namespace sqlwarden::proxy
