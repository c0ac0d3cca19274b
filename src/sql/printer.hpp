#pragma once
// Prints the AST back as SQL. This is what later stages use to emit rewritten
// statements, so it must be exact: the output parses back to an equal AST
// (tests/unit/sql/roundtrip_test.cpp checks this over the whole corpus), it
// adds parentheses wherever precedence needs them, quotes every identifier
// that would not read back as the same name, and writes literals so that no
// server setting (standard_conforming_strings, ...) changes their meaning.
#include <string>
#include <string_view>

#include "sql/ast.hpp"

namespace sqlwarden::sql {

struct PrintOptions {
  /// Replace every literal by `?` (and every opaque literal token too): the
  /// text statement fingerprints are computed from.
  bool normalize_literals = false;
};

std::string toSql(const Statement& stmt, const PrintOptions& options = {});
std::string toSql(const SelectStmt& stmt, const PrintOptions& options = {});
std::string toSql(const Expr& expr, const PrintOptions& options = {});
std::string toSql(const TypeName& type, const PrintOptions& options = {});
std::string toSql(const TableRef& ref, const PrintOptions& options = {});

/// `name` as an identifier: bare when it reads back unchanged (lower case,
/// not a keyword that needs quoting), otherwise double-quoted.
std::string quoteIdentifier(std::string_view name);

/// `s` as a string literal: '...' with quotes doubled, or E'...' when it
/// contains a backslash or a control character, so the meaning does not
/// depend on standard_conforming_strings.
std::string quoteLiteral(std::string_view s);

}  // namespace sqlwarden::sql
