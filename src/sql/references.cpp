#include "sql/references.hpp"

#include <string_view>
#include <unordered_set>
#include <utility>
#include <variant>

namespace sqlwarden::sql {

namespace {

/// Walks every node of a statement in the order it is written, calling the
/// callbacks that are set. An expression's callback runs before its children
/// are visited, and the children visited are those of whatever the node holds
/// after the callback returned, so a callback may replace the node in place.
///
/// Type names are not descended into: their modifiers (`numeric(10, 2)`,
/// `geometry(point, 4326)`) are part of the type, not values of the query.
class Walker {
 public:
  std::function<void(Expr&)> on_expr;
  std::function<void(SelectStmt&)> on_select;
  std::function<void(RangeVar&)> on_range_var;
  std::function<void(UtilityStmt&)> on_utility;

  void statement(Statement& stmt) {
    std::visit([this](auto& node) { walk(node); }, stmt.node);
  }

 private:
  void expr(Expr& e) {
    if (on_expr) on_expr(e);
    std::visit([this](auto& node) { walk(node); }, e.node);
  }

  void expr(ExprPtr& e) {
    if (e) expr(*e);
  }

  void exprs(ExprList& list) {
    for (auto& e : list) expr(e);
  }

  void select(SelectStmt& s) {
    if (on_select) on_select(s);
    if (s.with) with(*s.with);
    exprs(s.distinct_on);
    targets(s.targets);
    for (auto& ref : s.from) tableRef(ref);
    expr(s.where);
    for (auto& g : s.group_by) grouping(g);
    expr(s.having);
    for (auto& w : s.windows) window(w);
    for (auto& row : s.values) exprs(row);
    if (s.table) rangeVar(*s.table);
    if (s.left) select(*s.left);
    if (s.right) select(*s.right);
    sorts(s.order_by);
    expr(s.limit_count);
    expr(s.offset);
  }

  void select(Box<SelectStmt>& s) {
    if (s) select(*s);
  }

  void statement(Box<Statement>& s) {
    if (s) statement(*s);
  }

  // --- Expression nodes ------------------------------------------------------

  void walk(ColumnRef&) {}
  void walk(ParamRef&) {}
  void walk(Literal&) {}
  void walk(DefaultExpr&) {}

  void walk(FuncCall& f) {
    for (auto& arg : f.args) expr(arg.value);
    sorts(f.order_by);
    expr(f.filter);
    if (f.over) window(*f.over);
  }

  void walk(SpecialFunc& f) {
    exprs(f.args);
    sorts(f.order_by);
    expr(f.filter);
    if (f.over) window(*f.over);
    select(f.query);
  }

  void walk(OpExpr& op) {
    expr(op.left);
    expr(op.right);
  }

  void walk(BoolExpr& b) { exprs(b.args); }

  void walk(LikeExpr& like) {
    expr(like.arg);
    expr(like.pattern);
    expr(like.escape);
  }

  void walk(BetweenExpr& b) {
    expr(b.arg);
    expr(b.low);
    expr(b.high);
  }

  void walk(InExpr& in) {
    expr(in.arg);
    exprs(in.list);
    select(in.subquery);
  }

  void walk(QuantifiedExpr& q) {
    expr(q.left);
    expr(q.right);
    select(q.subquery);
  }

  void walk(IsExpr& is) {
    expr(is.arg);
    expr(is.other);
  }

  void walk(TypeCast& c) { expr(c.arg); }
  void walk(CollateExpr& c) { expr(c.arg); }

  void walk(AtTimeZone& a) {
    expr(a.arg);
    expr(a.zone);
  }

  void walk(CaseExpr& c) {
    expr(c.arg);
    for (auto& when : c.whens) {
      expr(when.condition);
      expr(when.result);
    }
    expr(c.else_result);
  }

  void walk(SubqueryExpr& s) { select(s.query); }
  void walk(ArrayExpr& a) { exprs(a.elements); }
  void walk(RowExpr& r) { exprs(r.args); }

  void indirection(std::vector<IndirectionItem>& items) {
    for (auto& item : items) {
      expr(item.lower);
      expr(item.upper);
    }
  }

  void walk(Indirection& ind) {
    expr(ind.arg);
    indirection(ind.items);
  }

  void walk(OverlapsExpr& o) {
    expr(o.left);
    expr(o.right);
  }

  // --- Clauses ---------------------------------------------------------------

  void sorts(std::vector<SortBy>& list) {
    for (auto& s : list) expr(s.expr);
  }

  void frameBound(FrameBound& b) { expr(b.offset); }

  void window(WindowDef& w) {
    exprs(w.partition_by);
    sorts(w.order_by);
    if (w.frame) {
      frameBound(w.frame->start);
      if (w.frame->end) frameBound(*w.frame->end);
    }
  }

  void grouping(GroupingElem& g) {
    exprs(g.exprs);
    for (auto& set : g.sets) grouping(set);
  }

  void targets(std::vector<ResTarget>& list) {
    for (auto& t : list) expr(t.value);
  }

  void with(WithClause& w) {
    for (auto& cte : w.ctes) {
      statement(cte.query);
      if (cte.cycle) {
        expr(cte.cycle->mark_value);
        expr(cte.cycle->mark_default);
      }
    }
  }

  void with(Box<WithClause>& w) {
    if (w) with(*w);
  }

  void rangeVar(RangeVar& r) {
    if (on_range_var) on_range_var(r);
    if (r.tablesample) {
      exprs(r.tablesample->args);
      expr(r.tablesample->repeatable);
    }
  }

  void tableRef(TableRef& ref) {
    std::visit([this](auto& node) { walk(node); }, ref.node);
  }

  void walk(RangeVar& r) { rangeVar(r); }
  void walk(RangeSubselect& r) { select(r.query); }

  void walk(RangeFunction& r) {
    for (auto& item : r.functions) expr(item.call);
  }

  void walk(RangeXmlTable& t) {
    for (auto& ns : t.namespaces) expr(ns.uri);
    expr(t.row_expr);
    expr(t.document);
    for (auto& c : t.columns) {
      expr(c.path);
      expr(c.default_value);
    }
  }

  void walk(JoinExpr& j) {
    if (j.left) tableRef(*j.left);
    if (j.right) tableRef(*j.right);
    expr(j.on);
  }

  void targetColumns(std::vector<TargetColumn>& cols) {
    for (auto& c : cols) indirection(c.indirection);
  }

  void setClauses(std::vector<SetClause>& set) {
    for (auto& s : set) {
      targetColumns(s.columns);
      expr(s.value);
    }
  }

  // --- Statements ------------------------------------------------------------

  void walk(SelectStmt& s) { select(s); }

  void walk(InsertStmt& s) {
    with(s.with);
    rangeVar(s.relation);
    targetColumns(s.columns);
    select(s.source);
    if (s.on_conflict) {
      for (auto& elem : s.on_conflict->target) expr(elem.expr);
      expr(s.on_conflict->target_where);
      setClauses(s.on_conflict->set);
      expr(s.on_conflict->where);
    }
    targets(s.returning);
  }

  void walk(UpdateStmt& s) {
    with(s.with);
    rangeVar(s.relation);
    setClauses(s.set);
    for (auto& ref : s.from) tableRef(ref);
    expr(s.where);
    targets(s.returning);
  }

  void walk(DeleteStmt& s) {
    with(s.with);
    rangeVar(s.relation);
    for (auto& ref : s.using_) tableRef(ref);
    expr(s.where);
    targets(s.returning);
  }

  void walk(MergeStmt& s) {
    with(s.with);
    rangeVar(s.target);
    tableRef(s.source);
    expr(s.on);
    for (auto& when : s.whens) {
      expr(when.condition);
      setClauses(when.set);
      targetColumns(when.insert_columns);
      exprs(when.insert_values);
    }
  }

  void walk(ExplainStmt& s) { statement(s.statement); }
  void walk(PrepareStmt& s) { statement(s.statement); }
  void walk(ExecuteStmt& s) { exprs(s.params); }
  void walk(DeclareCursorStmt& s) { statement(s.query); }

  void walk(CopyStmt& s) {
    if (s.relation) rangeVar(*s.relation);
    statement(s.query);
    expr(s.where);
  }

  void walk(UtilityStmt& s) {
    if (on_utility) on_utility(s);
    for (auto& piece : s.pieces) {
      if (auto* stmt = std::get_if<Box<Statement>>(&piece.value)) {
        statement(*stmt);
      } else if (auto* e = std::get_if<Box<Expr>>(&piece.value)) {
        expr(*e);
      }
    }
  }
};

/// The lower-case SQL name of a special function, as References lists it.
std::string_view specialFuncName(SpecialFunc::Kind kind) {
  using Kind = SpecialFunc::Kind;
  switch (kind) {
    case Kind::CurrentDate:
      return "current_date";
    case Kind::CurrentTime:
      return "current_time";
    case Kind::CurrentTimestamp:
      return "current_timestamp";
    case Kind::LocalTime:
      return "localtime";
    case Kind::LocalTimestamp:
      return "localtimestamp";
    case Kind::CurrentRole:
      return "current_role";
    case Kind::CurrentUser:
      return "current_user";
    case Kind::SessionUser:
      return "session_user";
    case Kind::SystemUser:
      return "system_user";
    case Kind::User:
      return "user";
    case Kind::CurrentCatalog:
      return "current_catalog";
    case Kind::CurrentSchema:
      return "current_schema";
    case Kind::Extract:
      return "extract";
    case Kind::Position:
      return "position";
    case Kind::Substring:
      return "substring";
    case Kind::Overlay:
      return "overlay";
    case Kind::Trim:
      return "trim";
    case Kind::Coalesce:
      return "coalesce";
    case Kind::NullIf:
      return "nullif";
    case Kind::Greatest:
      return "greatest";
    case Kind::Least:
      return "least";
    case Kind::Grouping:
      return "grouping";
    case Kind::Normalize:
      return "normalize";
    case Kind::CollationFor:
      return "collation for";
    case Kind::Treat:
      return "treat";
    case Kind::XmlConcat:
      return "xmlconcat";
    case Kind::XmlElement:
      return "xmlelement";
    case Kind::XmlForest:
      return "xmlforest";
    case Kind::XmlParse:
      return "xmlparse";
    case Kind::XmlPi:
      return "xmlpi";
    case Kind::XmlRoot:
      return "xmlroot";
    case Kind::XmlSerialize:
      return "xmlserialize";
    case Kind::XmlExists:
      return "xmlexists";
    case Kind::JsonObject:
      return "json_object";
    case Kind::JsonArray:
      return "json_array";
    case Kind::JsonObjectAgg:
      return "json_objectagg";
    case Kind::JsonArrayAgg:
      return "json_arrayagg";
  }
  return "";
}

/// A list of names in order of first appearance, without duplicates.
template <class T>
class UniqueList {
 public:
  explicit UniqueList(std::vector<T>& out) : out_(out) {}

  void add(const std::vector<std::string>& parts, T value) {
    // Parts joined by NUL, which no name contains, identify the name.
    std::string key;
    for (const auto& part : parts) {
      key += part;
      key += '\0';
    }
    if (seen_.insert(std::move(key)).second) out_.push_back(std::move(value));
  }

 private:
  std::vector<T>& out_;
  std::unordered_set<std::string> seen_;
};

bool namesTable(ObjectKind kind) {
  return kind == ObjectKind::Table || kind == ObjectKind::View ||
         kind == ObjectKind::MaterializedView || kind == ObjectKind::ForeignTable;
}

}  // namespace

References collectReferences(const Statement& stmt) {
  References refs;
  UniqueList<QualifiedName> tables(refs.tables);
  UniqueList<std::vector<std::string>> columns(refs.columns);
  UniqueList<QualifiedName> functions(refs.functions);

  Walker walker;
  walker.on_range_var = [&](RangeVar& r) { tables.add(r.name.parts, r.name); };
  walker.on_utility = [&](UtilityStmt& u) {
    for (const auto& object : u.objects) {
      refs.objects.push_back(object);
      if (namesTable(object.kind)) tables.add(object.name.parts, object.name);
    }
  };
  walker.on_expr = [&](Expr& e) {
    if (const auto* col = e.as<ColumnRef>()) {
      if (!col->star) columns.add(col->fields, col->fields);
    } else if (const auto* call = e.as<FuncCall>()) {
      functions.add(call->name.parts, call->name);
    } else if (const auto* special = e.as<SpecialFunc>()) {
      QualifiedName name{{std::string(specialFuncName(special->kind))}};
      functions.add(name.parts, name);
    }
  };
  // The walker takes mutable nodes so that rewrites can use it; the callbacks
  // above only read, so walking the const statement is safe.
  walker.statement(const_cast<Statement&>(stmt));
  return refs;
}

void forEachExpr(Statement& stmt, const std::function<void(Expr&)>& fn) {
  Walker walker;
  walker.on_expr = fn;
  walker.statement(stmt);
}

void forEachSelect(Statement& stmt, const std::function<void(SelectStmt&)>& fn) {
  Walker walker;
  walker.on_select = fn;
  walker.statement(stmt);
}

void forEachRangeVar(Statement& stmt, const std::function<void(RangeVar&)>& fn) {
  Walker walker;
  walker.on_range_var = fn;
  walker.statement(stmt);
}

}  // namespace sqlwarden::sql
