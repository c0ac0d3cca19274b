#pragma once
// What tables and columns exist. For now read from a schema file of CREATE
// TABLE statements (`sqlwarden lint --schema`); the gateway will later read
// it from the live database.
#include <optional>
#include <string>
#include <string_view>
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
  const Column* column(std::string_view name) const;
};

class Catalog {
 public:
  const std::vector<Table>& tables() const { return tables_; }
  const Table* find(std::string_view schema, std::string_view name) const;
  void add(Table table) { tables_.push_back(std::move(table)); }

 private:
  std::vector<Table> tables_;
};

struct CatalogResult {
  Catalog catalog;
  std::vector<Diagnostic> errors;  ///< syntax errors of the schema file
};

/// Reads the CREATE TABLE statements of `sql` (other statements are
/// skipped) with the SQL front end.
CatalogResult loadCatalog(std::string_view sql);

/// The category of a type as written (`character varying(20)` is Text).
TypeCategory categoryOf(std::string_view type);

}  // namespace sqlwarden::catalog
