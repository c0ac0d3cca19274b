// collectReferences and the forEach* traversals on hand-built ASTs.
#include <doctest/doctest.h>

#include "ast_builders.hpp"
#include "sql/printer.hpp"
#include "sql/references.hpp"

namespace sqlwarden::sql::test {
namespace {

QualifiedName qn(std::vector<std::string> parts) {
  return QualifiedName{std::move(parts)};
}

/// WITH c AS (SELECT x FROM s.t1 WHERE f(y) > 0)
/// INSERT INTO t2 (a)
/// SELECT c.x, COALESCE(z, 1) FROM c JOIN t3 ON t3.id = c.id
///   WHERE EXISTS (SELECT 1 FROM t1 WHERE t1.k = c.k)
/// ON CONFLICT (a) DO UPDATE SET a = excluded.a RETURNING *
Statement insertSelect() {
  SelectStmt body = selectOf({target(col({"x"}))}, {table({"s", "t1"})});
  body.where = binop(">", call({"f"}, {col({"y"})}), num("0"));
  CommonTableExpr cte;
  cte.name = "c";
  cte.query = stmt(body);
  WithClause with;
  with.ctes = {cte};

  SpecialFunc coalesce;
  coalesce.kind = SpecialFunc::Kind::Coalesce;
  coalesce.args = {col({"z"}), num("1")};
  SelectStmt exists = selectOf({target(num("1"))}, {table({"t1"})});
  exists.where = binop("=", col({"t1", "k"}), col({"c", "k"}));
  SelectStmt source = selectOf({target(col({"c", "x"})), target(Expr{coalesce, {}})},
                               {join(JoinExpr::Type::Inner, table({"c"}), table({"t3"}),
                                     binop("=", col({"t3", "id"}), col({"c", "id"})))});
  source.where = subquery(exists, SubqueryExpr::Kind::Exists);

  InsertStmt ins;
  ins.with = with;
  ins.relation = relation({"t2"});
  ins.columns = {TargetColumn{"a", {}}};
  ins.source = source;
  OnConflict oc;
  oc.target = {IndexElem{col({"a"}), false, std::nullopt, std::nullopt}};
  oc.action = OnConflict::Action::Update;
  SetClause set;
  set.columns = {TargetColumn{"a", {}}};
  set.value = col({"excluded", "a"});
  oc.set = {set};
  ins.on_conflict = oc;
  ins.returning = {target(star())};
  return stmt(ins);
}

TEST_CASE("collectReferences lists tables, columns and functions in order of appearance") {
  const Statement s = insertSelect();
  const References refs = collectReferences(s);
  CHECK(refs.tables ==
        std::vector<QualifiedName>{qn({"s", "t1"}), qn({"t2"}), qn({"c"}), qn({"t3"}), qn({"t1"})});
  CHECK(refs.columns == std::vector<std::vector<std::string>>{{"x"},
                                                              {"y"},
                                                              {"c", "x"},
                                                              {"z"},
                                                              {"t3", "id"},
                                                              {"c", "id"},
                                                              {"t1", "k"},
                                                              {"c", "k"},
                                                              {"a"},
                                                              {"excluded", "a"}});
  CHECK(refs.functions == std::vector<QualifiedName>{qn({"f"}), qn({"coalesce"})});
  CHECK(refs.objects.empty());
}

TEST_CASE("collectReferences removes duplicates and sees into utility statements") {
  UtilityStmt view;
  view.objects = {ObjectRef{ObjectKind::View, qn({"v"})}, ObjectRef{ObjectKind::Role, qn({"r"})},
                  ObjectRef{ObjectKind::Table, qn({"base"})}};
  SelectStmt body =
      selectOf({target(col({"a"})), target(col({"a"}))}, {table({"base"}), table({"other"})});
  body.where = binop("=", call({"lower"}, {col({"a"})}), call({"lower"}, {str("X")}));
  view.pieces = {OpaquePiece{std::string("CREATE")}, OpaquePiece{std::string("VIEW")},
                 OpaquePiece{std::string("v")}, OpaquePiece{std::string("AS")},
                 OpaquePiece{Box<Statement>(stmt(body))}};
  const References refs = collectReferences(stmt(view));
  CHECK(refs.tables == std::vector<QualifiedName>{qn({"v"}), qn({"base"}), qn({"other"})});
  CHECK(refs.columns == std::vector<std::vector<std::string>>{{"a"}});
  CHECK(refs.functions == std::vector<QualifiedName>{qn({"lower"})});
  REQUIRE(refs.objects.size() == 3);
  CHECK(refs.objects[1].kind == ObjectKind::Role);
}

TEST_CASE("collectReferences names UPDATE, DELETE, MERGE, TABLE and COPY targets") {
  UpdateStmt up;
  up.relation = relation({"u"});
  up.from = {table({"f"})};
  CHECK(collectReferences(stmt(up)).tables == std::vector<QualifiedName>{qn({"u"}), qn({"f"})});

  DeleteStmt del;
  del.relation = relation({"d"});
  del.using_ = {table({"g"})};
  CHECK(collectReferences(stmt(del)).tables == std::vector<QualifiedName>{qn({"d"}), qn({"g"})});

  MergeStmt m;
  m.target = relation({"m"});
  m.source = table({"src"});
  m.on = col({"k"});
  CHECK(collectReferences(stmt(m)).tables == std::vector<QualifiedName>{qn({"m"}), qn({"src"})});

  SelectStmt t;
  t.kind = SelectStmt::Kind::Table;
  t.table = relation({"tt"});
  CopyStmt copy;
  copy.query = stmt(t);
  CHECK(collectReferences(stmt(copy)).tables == std::vector<QualifiedName>{qn({"tt"})});
  CopyStmt copy_table;
  copy_table.relation = relation({"ct"});
  CHECK(collectReferences(stmt(copy_table)).tables == std::vector<QualifiedName>{qn({"ct"})});

  ExplainStmt explain;
  explain.statement = stmt(up);
  CHECK(collectReferences(stmt(explain)).tables ==
        std::vector<QualifiedName>{qn({"u"}), qn({"f"})});
}

const char* kindName(const Expr& e) {
  static constexpr const char* kNames[] = {
      "ColumnRef", "ParamRef", "Literal",     "DefaultExpr", "FuncCall", "SpecialFunc",
      "OpExpr",    "BoolExpr", "LikeExpr",    "BetweenExpr", "InExpr",   "QuantifiedExpr",
      "IsExpr",    "TypeCast", "CollateExpr", "AtTimeZone",  "CaseExpr", "SubqueryExpr",
      "ArrayExpr", "RowExpr",  "Indirection", "OverlapsExpr"};
  return kNames[e.node.index()];
}

TEST_CASE("forEachExpr visits outermost first") {
  SelectStmt s = selectOf({target(binop("+", col({"a"}), call({"f"}, {col({"b"})})))});
  Statement st = stmt(s);
  std::vector<std::string> seen;
  forEachExpr(st, [&](Expr& e) { seen.push_back(kindName(e)); });
  CHECK(seen == std::vector<std::string>{"OpExpr", "ColumnRef", "FuncCall", "ColumnRef"});
}

TEST_CASE("forEachExpr reaches every clause and can replace nodes in place") {
  // Every literal becomes a parameter, wherever it sits.
  SelectStmt s = selectOf({target(num("1"))});
  RangeFunction fn;
  fn.functions.push_back(RangeFunction::Item{call({"generate_series"}, {num("2"), num("3")}), {}});
  fn.alias = Alias{"g", {}};
  RangeVar sampled = relation({"t"});
  sampled.tablesample = RangeVar::Sample{qn({"system"}), {num("4")}, num("5")};
  s.from = {join(JoinExpr::Type::Inner, TableRef{fn, {}}, TableRef{sampled, {}},
                 binop("=", col({"g"}), num("6")))};
  FuncCall rank;
  rank.name = qn({"sum"});
  rank.args = {arg(col({"x"}))};
  rank.filter = binop(">", col({"x"}), num("7"));
  WindowDef w;
  w.partition_by = {binop("%", col({"y"}), num("8"))};
  WindowFrame frame;
  frame.mode = WindowFrame::Mode::Rows;
  frame.start = FrameBound{FrameBound::Kind::Preceding, num("9")};
  w.frame = frame;
  rank.over = w;
  s.targets.push_back(target(Expr{rank, {}}));
  TypeName numeric = type(TypeName::Kind::Numeric);
  numeric.modifiers = {num("10"), num("2")};
  s.targets.push_back(target(cast(str("11"), numeric)));
  s.limit_count = num("12");
  Statement st = stmt(s);

  forEachExpr(st, [](Expr& e) {
    if (auto* lit = e.as<Literal>()) e.node = ParamRef{std::stoi(lit->value)};
  });
  // Type modifiers are part of the type and stay as written.
  CHECK(toSql(st) ==
        "SELECT $1, sum(x) FILTER (WHERE x > $7) OVER (PARTITION BY y % $8 ROWS $9 PRECEDING), "
        "$11::numeric(10, 2) FROM generate_series($2, $3) AS g JOIN t TABLESAMPLE system($4) "
        "REPEATABLE ($5) ON g = $6 LIMIT $12");
}

TEST_CASE("forEachExpr sees data-change clauses and embedded statements") {
  MergeStmt m;
  m.target = relation({"t"});
  m.source = table({"s"});
  m.on = col({"k"});
  MergeWhen upd;
  upd.condition = col({"c1"});
  upd.action = MergeWhen::Action::Update;
  SetClause set;
  set.columns = {
      TargetColumn{"arr", {IndirectionItem{IndirectionItem::Kind::Subscript, "", col({"i"}), {}}}}};
  set.value = col({"v"});
  upd.set = {set};
  MergeWhen ins;
  ins.matched = false;
  ins.action = MergeWhen::Action::Insert;
  ins.insert_values = {col({"w"})};
  m.whens = {upd, ins};

  UtilityStmt call_stmt;
  call_stmt.pieces = {OpaquePiece{std::string("CALL")},
                      OpaquePiece{Box<Expr>(call({"p"}, {col({"q"})}))}};
  ExecuteStmt exec;
  exec.name = "e";
  exec.params = {col({"r"})};
  CopyStmt copy;
  copy.relation = relation({"c"});
  copy.is_from = true;
  copy.where = col({"cw"});

  std::vector<std::vector<std::string>> columns;
  auto collect = [&](Statement st) {
    forEachExpr(st, [&](Expr& e) {
      if (auto* c = e.as<ColumnRef>()) columns.push_back(c->fields);
    });
  };
  collect(stmt(m));
  collect(stmt(call_stmt));
  collect(stmt(exec));
  collect(stmt(copy));
  CHECK(columns == std::vector<std::vector<std::string>>{
                       {"k"}, {"c1"}, {"i"}, {"v"}, {"w"}, {"q"}, {"r"}, {"cw"}});
}

TEST_CASE("forEachSelect visits every query, outermost first") {
  using Op = SelectStmt::SetOp;
  SelectStmt inner = selectOf({target(num("1"))});
  SelectStmt left = selectOf({target(subquery(inner))});
  SelectStmt right = selectOf({target(num("2"))});
  RangeSubselect sub;
  sub.query = selectOf({target(num("3"))});
  right.from = {TableRef{sub, {}}};
  SelectStmt top = setOp(Op::Union, left, right);
  CommonTableExpr cte;
  cte.name = "c";
  cte.query = stmt(selectOf({target(num("4"))}));
  WithClause with;
  with.ctes = {cte};
  top.with = with;
  Statement st = stmt(top);

  std::vector<std::string> order;
  forEachSelect(st, [&](SelectStmt& s) { order.push_back(toSql(s)); });
  CHECK(order == std::vector<std::string>{
                     "WITH c AS (SELECT 4) SELECT (SELECT 1) UNION SELECT 2 FROM (SELECT 3)",
                     "SELECT 4", "SELECT (SELECT 1)", "SELECT 1", "SELECT 2 FROM (SELECT 3)",
                     "SELECT 3"});
}

TEST_CASE("forEachRangeVar lets a rewrite rename tables") {
  Statement st = insertSelect();
  forEachRangeVar(st, [](RangeVar& r) {
    if (r.name.parts.size() == 1) r.name.parts.insert(r.name.parts.begin(), "app");
  });
  const References refs = collectReferences(st);
  CHECK(refs.tables == std::vector<QualifiedName>{qn({"s", "t1"}), qn({"app", "t2"}),
                                                  qn({"app", "c"}), qn({"app", "t3"}),
                                                  qn({"app", "t1"})});
}

}  // namespace
}  // namespace sqlwarden::sql::test
