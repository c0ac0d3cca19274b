#pragma once
// What a statement refers to, as written (no resolution against a catalog:
// that is src/rewrite's job). Used by `sqlwarden parse` and by tests.
#include <functional>
#include <string>
#include <vector>

#include "sql/ast.hpp"

namespace sqlwarden::sql {

struct References {
  /// Relations named anywhere (FROM, JOIN, INSERT/UPDATE/DELETE/MERGE targets,
  /// TABLE t, COPY t, subqueries, CTE bodies, objects of utility statements of
  /// kind Table/View/MaterializedView/ForeignTable), in order of first
  /// appearance, without duplicates. CTE names referenced in FROM are
  /// included as written; callers that resolve names decide what they are.
  std::vector<QualifiedName> tables;
  /// Column references (`a`, `t.a`), in order, without duplicates; stars excluded.
  std::vector<std::vector<std::string>> columns;
  /// Functions called (FuncCall names, plus special SQL functions under their
  /// lower-case SQL name, e.g. "coalesce", "extract"), without duplicates.
  std::vector<QualifiedName> functions;
  /// Every object a utility statement names (ObjectRef), as stored.
  std::vector<ObjectRef> objects;
};

References collectReferences(const Statement& stmt);

/// Calls `fn` for every expression in the statement, outermost first, with a
/// mutable reference so a rewrite can replace the node in place. Descends into
/// subqueries, CTEs, FROM items, and embedded statements of utility statements.
void forEachExpr(Statement& stmt, const std::function<void(Expr&)>& fn);

/// Calls `fn` for every SelectStmt (the statement itself if it is one, every
/// subquery, CTE body, set-operation branch, ...), outermost first.
void forEachSelect(Statement& stmt, const std::function<void(SelectStmt&)>& fn);

/// Calls `fn` for every RangeVar (table reference) in the statement.
void forEachRangeVar(Statement& stmt, const std::function<void(RangeVar&)>& fn);

}  // namespace sqlwarden::sql
