#pragma once
// The SQL the engine writes into rewritten statements: masks, identity
// substitution in filters, and the hardening that pins every function and
// operator of that SQL to pg_catalog.
#include <string>

#include "catalog/catalog.hpp"
#include "policy/policy.hpp"
#include "sql/ast.hpp"

namespace sqlwarden::rewrite {

/// The SQL text of `rule`'s mask applied to `column` (referenced by its
/// quoted name). Built-in masks call only pg_catalog functions and keep the
/// column's declared type where the mask's result can have it (see
/// docs/rules.md, "Masks"). A mask_function's body has `{col}` replaced.
std::string maskSql(const policy::MaskRule& rule, const catalog::Column& column);

/// The type to CAST a masked value to: the declared type, with the serial
/// pseudo-types replaced by the integer types they stand for.
std::string castableType(const std::string& declared);

/// Replaces `claim("k")`, `user()` and `groups()` in `expr` by literals of the
/// identity's values: a string literal (quoted by the printer, never spliced
/// as text), NULL for a claim the identity lacks, and a text[] array for
/// groups().
void substituteIdentity(sql::Expr& expr, const policy::Identity& identity);

/// Schema-qualifies what `expr` calls so that nothing created on the
/// search_path can stand in for it: unqualified function names get
/// `pg_catalog.`, operators become `OPERATOR(pg_catalog.op)`.
void hardenExpr(sql::Expr& expr);

}  // namespace sqlwarden::rewrite
