#pragma once
// Terse constructors for hand-built ASTs in the sql unit tests, so that a
// test reads close to the SQL it describes.
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "sql/ast.hpp"

namespace sqlwarden::sql::test {

inline Expr col(std::initializer_list<std::string> fields) {
  return Expr{ColumnRef{fields, false}, {}};
}

inline Expr star() {
  return Expr{ColumnRef{{}, true}, {}};
}

inline Expr param(int32_t n) {
  return Expr{ParamRef{n}, {}};
}

inline Expr lit(Literal::Kind kind, std::string value) {
  return Expr{Literal{kind, std::move(value)}, {}};
}
inline Expr num(std::string digits) {
  return lit(Literal::Kind::Integer, std::move(digits));
}
inline Expr str(std::string s) {
  return lit(Literal::Kind::String, std::move(s));
}
inline Expr null() {
  return lit(Literal::Kind::Null, "");
}

inline Expr binop(std::string op, Expr left, Expr right) {
  OpExpr e;
  e.op = {std::move(op)};
  e.left = std::move(left);
  e.right = std::move(right);
  return Expr{std::move(e), {}};
}

inline Expr prefix(std::string op, Expr operand) {
  OpExpr e;
  e.op = {std::move(op)};
  e.right = std::move(operand);
  return Expr{std::move(e), {}};
}

inline Expr boolean(BoolExpr::Op op, std::vector<Expr> args) {
  return Expr{BoolExpr{op, std::move(args)}, {}};
}
inline Expr andOf(std::vector<Expr> args) {
  return boolean(BoolExpr::Op::And, std::move(args));
}
inline Expr orOf(std::vector<Expr> args) {
  return boolean(BoolExpr::Op::Or, std::move(args));
}
inline Expr notOf(Expr arg) {
  return boolean(BoolExpr::Op::Not, {std::move(arg)});
}

inline Expr isNull(Expr arg, bool negated = false) {
  IsExpr e;
  e.kind = IsExpr::Kind::Null;
  e.negated = negated;
  e.arg = std::move(arg);
  return Expr{std::move(e), {}};
}

inline FuncArg arg(Expr value) {
  return FuncArg{std::nullopt, std::move(value)};
}

inline Expr call(std::vector<std::string> name, std::vector<Expr> args = {}) {
  FuncCall f;
  f.name.parts = std::move(name);
  for (auto& a : args) f.args.push_back(arg(std::move(a)));
  return Expr{std::move(f), {}};
}

inline TypeName type(TypeName::Kind kind) {
  TypeName t;
  t.kind = kind;
  return t;
}

inline TypeName generic(std::vector<std::string> name) {
  TypeName t;
  t.name.parts = std::move(name);
  return t;
}

inline Expr cast(Expr arg, TypeName t, TypeCast::Syntax syntax = TypeCast::Syntax::DoubleColon) {
  TypeCast c;
  c.syntax = syntax;
  c.arg = std::move(arg);
  c.type = std::move(t);
  return Expr{std::move(c), {}};
}

inline ResTarget target(Expr value, std::optional<std::string> name = std::nullopt) {
  return ResTarget{std::move(value), std::move(name)};
}

inline RangeVar relation(std::vector<std::string> name) {
  RangeVar r;
  r.name.parts = std::move(name);
  return r;
}

inline TableRef table(std::vector<std::string> name) {
  return TableRef{relation(std::move(name)), {}};
}

inline TableRef join(JoinExpr::Type type, TableRef left, TableRef right, ExprPtr on = {}) {
  JoinExpr j;
  j.type = type;
  j.left = std::move(left);
  j.right = std::move(right);
  j.on = std::move(on);
  return TableRef{std::move(j), {}};
}

/// `SELECT targets [FROM from]`.
inline SelectStmt selectOf(std::vector<ResTarget> targets, std::vector<TableRef> from = {}) {
  SelectStmt s;
  s.targets = std::move(targets);
  s.from = std::move(from);
  return s;
}

inline SelectStmt setOp(SelectStmt::SetOp op, SelectStmt left, SelectStmt right, bool all = false) {
  SelectStmt s;
  s.kind = SelectStmt::Kind::SetOp;
  s.op = op;
  s.set_all = all;
  s.left = std::move(left);
  s.right = std::move(right);
  return s;
}

inline Expr subquery(SelectStmt query, SubqueryExpr::Kind kind = SubqueryExpr::Kind::Scalar) {
  return Expr{SubqueryExpr{kind, std::move(query)}, {}};
}

inline SortBy sortBy(Expr e, SortBy::Dir dir = SortBy::Dir::Default) {
  SortBy s;
  s.expr = std::move(e);
  s.dir = dir;
  return s;
}

inline Statement stmt(Statement::Node node) {
  Statement s;
  s.node = std::move(node);
  return s;
}

}  // namespace sqlwarden::sql::test
