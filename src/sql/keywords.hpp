#pragma once
#include <optional>
#include <string_view>

namespace sqlwarden::sql {

/// PostgreSQL 16's keyword categories (src/include/parser/kwlist.h).
enum class KeywordCategory {
  Unreserved,    ///< usable as any name
  ColName,       ///< usable as a column name, not as a function or type name
  TypeFuncName,  ///< usable as a function or type name, not as a column name
  Reserved,      ///< usable only quoted (or as a label after AS)
};

/// The category of `word` (lower case), or nullopt when it is not a keyword.
std::optional<KeywordCategory> keywordCategory(std::string_view word);

}  // namespace sqlwarden::sql
