#pragma once
// What tables and columns exist. For now read from a schema file of CREATE
// TABLE statements (`sqlwarden lint --schema`); the gateway will later read
// it from the live database.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/diagnostic.hpp"

namespace sqlwarden::catalog {

/// What a mask needs to know about a column's type.
enum class TypeCategory { Text, DateTime, Numeric, Boolean, Other };

struct Column {
  std::string name;  ///< as PostgreSQL resolves it (folded unless quoted)
  std::string type;  ///< the type as written, lower case, single-spaced
  TypeCategory category = TypeCategory::Other;
};

struct Table {
  std::string schema;  ///< `public` when the statement did not name one
  std::string name;
  std::vector<Column> columns;
  /// Tables this one inherits from or is a partition of (`INHERITS (p)`,
  /// `PARTITION OF p`), as (schema, name): their masks and filters protect
  /// this table too.
  std::vector<std::pair<std::string, std::string>> parents;
  const Column* column(std::string_view name) const;
};

class Catalog {
 public:
  const std::vector<Table>& tables() const { return tables_; }
  const Table* find(std::string_view schema, std::string_view name) const;
  void add(Table table);

  /// Relations that are not tables (views, materialized views, foreign
  /// tables): (schema, name). What they read is not known here.
  const std::vector<std::pair<std::string, std::string>>& otherRelations() const { return others_; }
  void addOtherRelation(std::string schema, std::string name) {
    others_.emplace_back(std::move(schema), std::move(name));
  }
  /// User-defined functions and procedures (schema, name): they can run any
  /// SQL out of the gateway's sight.
  const std::vector<std::pair<std::string, std::string>>& functions() const { return functions_; }
  void addFunction(std::string schema, std::string name) {
    functions_.emplace_back(std::move(schema), std::move(name));
  }
  bool isFunction(std::string_view name) const;

 private:
  std::vector<Table> tables_;
  /// schema NUL name -> index into tables_ (the first table of that name).
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::pair<std::string, std::string>> others_;
  std::vector<std::pair<std::string, std::string>> functions_;
};

struct CatalogResult {
  Catalog catalog;
  std::vector<Diagnostic> errors;  ///< syntax errors of the schema file
};

/// Reads the CREATE TABLE statements of `sql` with the SQL front end, and
/// notes the views, materialized views, foreign tables and functions that
/// CREATE statements define (other statements are skipped). A partition or
/// an inheriting table without its own column list gets its parent's columns.
CatalogResult loadCatalog(std::string_view sql);

/// The category of a type as written (`character varying(20)` is Text).
TypeCategory categoryOf(std::string_view type);

}  // namespace sqlwarden::catalog
