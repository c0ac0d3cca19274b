#include "rewrite/masks.hpp"

#include <algorithm>

#include "sql/printer.hpp"
#include "sql/references.hpp"

namespace sqlwarden::rewrite {

namespace {

using catalog::TypeCategory;
using Kind = policy::ast::MaskSpec::Kind;

/// Runs `fn` on every expression inside `expr` (subqueries included),
/// outermost first, through the walker of src/sql/references.
void forEachInside(sql::Expr& expr, const std::function<void(sql::Expr&)>& fn) {
  sql::Statement holder;
  sql::SelectStmt select;
  select.where = std::move(expr);
  holder.node = std::move(select);
  sql::forEachExpr(holder, fn);
  expr = std::move(*std::get<sql::SelectStmt>(holder.node).where);
}

sql::Expr stringLiteral(std::string value) {
  sql::Expr e;
  e.node = sql::Literal{sql::Literal::Kind::String, std::move(value)};
  return e;
}

/// `CASE WHEN c IS NULL THEN NULL ELSE CAST(body AS type) END`: masks of
/// text keep NULL as NULL and the column's type.
std::string nullSafeCast(const std::string& c, const std::string& body, const std::string& type) {
  return "CASE WHEN " + c + " IS NULL THEN NULL ELSE CAST(" + body + " AS " + type + ") END";
}

}  // namespace

std::string castableType(const std::string& declared) {
  if (declared == "serial" || declared == "serial4") return "integer";
  if (declared == "bigserial" || declared == "serial8") return "bigint";
  if (declared == "smallserial" || declared == "serial2") return "smallint";
  return declared.empty() ? std::string("text") : declared;
}

std::string maskSql(const policy::MaskRule& rule, const catalog::Column& column) {
  const std::string c = sql::quoteIdentifier(column.name);
  const std::string type = castableType(column.type);
  const bool text = column.category == TypeCategory::Text;
  // Masks that work on characters read the value as text; for a text column
  // the result is cast back to its type, for others it stays text.
  const std::string as_text = c + "::pg_catalog.text";
  const auto textResult = [&](const std::string& body) {
    return text ? nullSafeCast(c, body, type) : "CASE WHEN " + c + " IS NULL THEN NULL ELSE " + body + " END";
  };
  const std::string n = std::to_string(rule.count);
  switch (rule.kind) {
    case Kind::Email:
      return textResult("pg_catalog.concat(pg_catalog.left(" + as_text + ", 1), '***@', pg_catalog.split_part(" +
                        as_text + ", '@', 2))");
    case Kind::Redact:
      return text ? nullSafeCast(c, "'[redacted]'", type) : "CAST(NULL AS " + type + ")";
    case Kind::Hash:
      return "pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(" + as_text +
             ", 'UTF8')), 'hex')";
    case Kind::Null:
      return "CAST(NULL AS " + type + ")";
    case Kind::KeepFirst:
    case Kind::KeepLast: {
      const std::string keep = std::string(rule.kind == Kind::KeepFirst ? "pg_catalog.left(" : "pg_catalog.right(") +
                               as_text + ", " + n + ")";
      const std::string stars = "pg_catalog.repeat('*', GREATEST(pg_catalog.length(" + as_text +
                                ") OPERATOR(pg_catalog.-) " + n + ", 0))";
      return textResult(rule.kind == Kind::KeepFirst ? "pg_catalog.concat(" + keep + ", " + stars + ")"
                                                     : "pg_catalog.concat(" + stars + ", " + keep + ")");
    }
    case Kind::Year:
      if (column.category != TypeCategory::DateTime) return "CAST(NULL AS " + type + ")";
      return "CAST(pg_catalog.date_trunc('year', " + c + ") AS " + type + ")";
    case Kind::Function: {
      std::string body = rule.function != nullptr ? rule.function->sql->text : "NULL";
      for (size_t at = body.find("{col}"); at != std::string::npos; at = body.find("{col}", at + c.size()))
        body.replace(at, 5, c);
      return "(" + body + ")";
    }
  }
  return "CAST(NULL AS " + type + ")";
}

void substituteIdentity(sql::Expr& expr, const policy::Identity& identity) {
  forEachInside(expr, [&](sql::Expr& e) {
    auto* call = e.as<sql::FuncCall>();
    if (call == nullptr || call->name.parts.size() != 1) return;
    const std::string& name = call->name.parts[0];
    if (name == "claim" && call->args.size() == 1 && call->args[0].value) {
      const auto* lit = call->args[0].value->as<sql::Literal>();
      const auto* col = call->args[0].value->as<sql::ColumnRef>();  // claim("k") parses as a column
      std::string key = lit ? lit->value : (col && col->fields.size() == 1 ? col->fields[0] : "");
      auto it = identity.claims.find(key);
      if (it == identity.claims.end()) {
        e.node = sql::Literal{sql::Literal::Kind::Null, ""};
      } else {
        e.node = sql::Literal{sql::Literal::Kind::String, it->second};
      }
    } else if (name == policy::ast::kUserCallName && call->args.empty()) {
      e.node = sql::Literal{sql::Literal::Kind::String, identity.user};
    } else if (name == "groups" && call->args.empty()) {
      sql::ArrayExpr array;
      for (const auto& g : identity.groups) array.elements.push_back(stringLiteral(g));
      sql::TypeName text_array;
      text_array.name.parts = {"pg_catalog", "text"};
      text_array.array_bounds = {-1};
      sql::Expr inner;
      inner.node = std::move(array);
      sql::TypeCast cast;
      cast.arg = std::move(inner);
      cast.type = std::move(text_array);
      e.node = std::move(cast);
    }
  });
}

void hardenExpr(sql::Expr& expr) {
  forEachInside(expr, [](sql::Expr& e) {
    if (auto* call = e.as<sql::FuncCall>()) {
      if (call->name.parts.size() == 1) call->name.parts.insert(call->name.parts.begin(), "pg_catalog");
    } else if (auto* op = e.as<sql::OpExpr>()) {
      if (op->op.size() == 1) {
        op->op.insert(op->op.begin(), "pg_catalog");
        op->explicit_syntax = true;
      }
    } else if (auto* q = e.as<sql::QuantifiedExpr>()) {
      if (q->op.size() == 1) {
        q->op.insert(q->op.begin(), "pg_catalog");
        q->explicit_syntax = true;
      }
    }
  });
}

}  // namespace sqlwarden::rewrite
