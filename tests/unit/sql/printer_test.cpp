// The printer on hand-built ASTs: exact output, parentheses where precedence
// needs them, quoting, literals, type names, and fingerprints.
// (Print-then-parse round trips over the corpus are in roundtrip_test.cpp.)
#include <doctest/doctest.h>

#include "ast_builders.hpp"
#include "sql/fingerprint.hpp"
#include "sql/printer.hpp"

namespace sqlwarden::sql::test {
namespace {

using K = TypeName::Kind;

std::string sql(const Expr& e) {
  return toSql(e);
}
std::string sql(const SelectStmt& s) {
  return toSql(s);
}
std::string sql(const Statement& s) {
  return toSql(s);
}
std::string sql(const TypeName& t) {
  return toSql(t);
}
std::string sql(const TableRef& t) {
  return toSql(t);
}

Expr a() {
  return col({"a"});
}
Expr b() {
  return col({"b"});
}
Expr c() {
  return col({"c"});
}

TEST_CASE("quoteIdentifier quotes exactly what would not read back unchanged") {
  CHECK(quoteIdentifier("abc") == "abc");
  CHECK(quoteIdentifier("_a1$") == "_a1$");
  CHECK(quoteIdentifier("Abc") == "\"Abc\"");
  CHECK(quoteIdentifier("1a") == "\"1a\"");
  CHECK(quoteIdentifier("$a") == "\"$a\"");
  CHECK(quoteIdentifier("a b") == "\"a b\"");
  CHECK(quoteIdentifier("a\"b") == "\"a\"\"b\"");
  CHECK(quoteIdentifier("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(quoteIdentifier("") == "\"\"");
  // Unreserved keywords are names like any other ...
  CHECK(quoteIdentifier("abort") == "abort");
  CHECK(quoteIdentifier("zone") == "zone");
  // ... every other category needs quotes somewhere.
  CHECK(quoteIdentifier("select") == "\"select\"");
  CHECK(quoteIdentifier("user") == "\"user\"");
  CHECK(quoteIdentifier("integer") == "\"integer\"");  // ColName
  CHECK(quoteIdentifier("left") == "\"left\"");        // TypeFuncName
}

TEST_CASE("quoteLiteral never depends on standard_conforming_strings") {
  CHECK(quoteLiteral("") == "''");
  CHECK(quoteLiteral("abc") == "'abc'");
  CHECK(quoteLiteral("it's") == "'it''s'");
  CHECK(quoteLiteral("a\\b") == "E'a\\\\b'");
  CHECK(quoteLiteral("l1\nl2") == "E'l1\\nl2'");
  CHECK(quoteLiteral("t\t'q'") == "E't\\t''q'''");
  CHECK(quoteLiteral("\r\b\f") == "E'\\r\\b\\f'");
  // Two hex digits always, so the following "1" is not read as part of it.
  CHECK(quoteLiteral(std::string("\x01") + "1") == "E'\\x011'");
  CHECK(quoteLiteral("\x7f") == "E'\\x7F'");
  CHECK(quoteLiteral("caf\xc3\xa9") == "'caf\xc3\xa9'");
}

TEST_CASE("literals") {
  CHECK(sql(num("42")) == "42");
  CHECK(sql(lit(Literal::Kind::Numeric, "1.5e10")) == "1.5e10");
  CHECK(sql(str("x")) == "'x'");
  CHECK(sql(lit(Literal::Kind::BitString, "0101")) == "B'0101'");
  CHECK(sql(lit(Literal::Kind::HexString, "1F")) == "X'1F'");
  CHECK(sql(lit(Literal::Kind::Boolean, "true")) == "TRUE");
  CHECK(sql(lit(Literal::Kind::Boolean, "false")) == "FALSE");
  CHECK(sql(null()) == "NULL");
  CHECK(sql(param(3)) == "$3");
  CHECK(sql(Expr{DefaultExpr{}, {}}) == "DEFAULT");
}

TEST_CASE("column references") {
  CHECK(sql(col({"t", "a"})) == "t.a");
  CHECK(sql(col({"S", "select", "a"})) == "\"S\".\"select\".a");
  CHECK(sql(star()) == "*");
  CHECK(sql(Expr{ColumnRef{{"t"}, true}, {}}) == "t.*");
}

TEST_CASE("binary operators associate to the left") {
  CHECK(sql(binop("-", a(), binop("-", b(), c()))) == "a - (b - c)");
  CHECK(sql(binop("-", binop("-", a(), b()), c())) == "a - b - c");
  CHECK(sql(binop("*", binop("+", a(), b()), c())) == "(a + b) * c");
  CHECK(sql(binop("+", a(), binop("*", b(), c()))) == "a + b * c");
  CHECK(sql(binop("/", a(), binop("*", b(), c()))) == "a / (b * c)");
  CHECK(sql(binop("^", a(), binop("^", b(), c()))) == "a ^ (b ^ c)");
  CHECK(sql(binop("^", binop("^", a(), b()), c())) == "a ^ b ^ c");
  CHECK(sql(binop("||", a(), binop("||", b(), c()))) == "a || (b || c)");
  CHECK(sql(binop("||", binop("+", a(), b()), c())) == "a + b || c");
  CHECK(sql(binop("+", binop("||", a(), b()), c())) == "(a || b) + c");
}

TEST_CASE("comparisons are non-associative") {
  CHECK(sql(binop("=", binop("=", a(), b()), c())) == "(a = b) = c");
  CHECK(sql(binop("<", a(), binop("<", b(), c()))) == "a < (b < c)");
  CHECK(sql(binop("=", binop("+", a(), b()), c())) == "a + b = c");
  CHECK(sql(binop("=", binop("||", a(), b()), c())) == "a || b = c");
}

TEST_CASE("explicit OPERATOR syntax") {
  OpExpr op;
  op.op = {"pg_catalog", "+"};
  op.explicit_syntax = true;
  op.left = a();
  op.right = binop("*", b(), c());
  CHECK(sql(Expr{op, {}}) == "a OPERATOR(pg_catalog.+) b * c");
  op.right = binop("||", b(), c());
  CHECK(sql(Expr{op, {}}) == "a OPERATOR(pg_catalog.+) (b || c)");
}

TEST_CASE("boolean operators") {
  CHECK(sql(andOf({orOf({a(), b()}), c()})) == "(a OR b) AND c");
  CHECK(sql(orOf({andOf({a(), b()}), c()})) == "a AND b OR c");
  CHECK(sql(andOf({a(), b(), c()})) == "a AND b AND c");
  CHECK(sql(andOf({andOf({a(), b()}), c()})) == "(a AND b) AND c");
  CHECK(sql(notOf(andOf({a(), b()}))) == "NOT (a AND b)");
  CHECK(sql(andOf({notOf(a()), b()})) == "NOT a AND b");
  CHECK(sql(notOf(binop("=", a(), b()))) == "NOT a = b");
  CHECK(sql(notOf(notOf(a()))) == "NOT NOT a");
  CHECK(sql(binop("=", notOf(a()), b())) == "(NOT a) = b");
}

TEST_CASE("unary minus never prints `--`, which starts a comment") {
  CHECK(sql(prefix("-", num("1"))) == "-1");
  CHECK(sql(prefix("-", prefix("-", num("1")))) == "-(-1)");
  CHECK(sql(prefix("-", num("-1"))) == "-(-1)");
  CHECK(sql(prefix("+", prefix("-", a()))) == "+(-a)");
  CHECK(sql(binop("-", a(), prefix("-", num("1")))) == "a - -1");
  CHECK(sql(binop("-", a(), num("-1"))) == "a - -1");
  CHECK(sql(binop("*", prefix("-", a()), b())) == "-a * b");
  CHECK(sql(prefix("-", binop("+", a(), b()))) == "-(a + b)");
  CHECK(sql(prefix("-", cast(a(), type(K::Integer)))) == "-a::integer");
  CHECK(sql(cast(prefix("-", num("1")), type(K::Integer))) == "(-1)::integer");
  CHECK(sql(cast(num("-1"), type(K::Integer))) == "(-1)::integer");
  CHECK(sql(binop("^", prefix("-", a()), b())) == "-a ^ b");
  CHECK(sql(prefix("-", binop("^", a(), b()))) == "-(a ^ b)");
}

TEST_CASE("prefix operators with other symbols") {
  CHECK(sql(prefix("@", a())) == "@ a");
  CHECK(sql(prefix("@", binop("+", a(), b()))) == "@ a + b");
  CHECK(sql(prefix("@", binop("||", a(), b()))) == "@ (a || b)");
  CHECK(sql(binop("||", prefix("@", a()), b())) == "(@ a) || b");
  CHECK(sql(binop("+", prefix("@", a()), b())) == "(@ a) + b");
  CHECK(sql(binop("=", prefix("@", a()), b())) == "@ a = b");
  CHECK(sql(prefix("@", prefix("-", a()))) == "@ -a");
  CHECK(sql(prefix("-", prefix("@", a()))) == "-(@ a)");
}

Expr like(Expr arg, Expr pattern, LikeExpr::Kind kind = LikeExpr::Kind::Like, bool negated = false,
          ExprPtr escape = {});

TEST_CASE("IS tests") {
  CHECK(sql(isNull(andOf({a(), b()}))) == "(a AND b) IS NULL");
  // IS binds looser than comparisons (PostgreSQL 9.5+).
  CHECK(sql(isNull(binop("=", a(), b()))) == "a = b IS NULL");
  CHECK(sql(isNull(like(a(), b()))) == "a LIKE b IS NULL");
  CHECK(sql(isNull(binop("+", a(), b()), true)) == "a + b IS NOT NULL");
  CHECK(sql(isNull(isNull(a()))) == "(a IS NULL) IS NULL");
  CHECK(sql(notOf(isNull(a()))) == "NOT a IS NULL");
  CHECK(sql(binop("=", isNull(a()), b())) == "(a IS NULL) = b");

  IsExpr is;
  is.arg = a();
  is.kind = IsExpr::Kind::DistinctFrom;
  is.other = binop("+", b(), c());
  CHECK(sql(Expr{is, {}}) == "a IS DISTINCT FROM b + c");
  is.negated = true;
  is.other = isNull(b());
  CHECK(sql(Expr{is, {}}) == "a IS NOT DISTINCT FROM (b IS NULL)");

  IsExpr other;
  other.arg = a();
  other.kind = IsExpr::Kind::Unknown;
  CHECK(sql(Expr{other, {}}) == "a IS UNKNOWN");
  other.kind = IsExpr::Kind::Document;
  other.negated = true;
  CHECK(sql(Expr{other, {}}) == "a IS NOT DOCUMENT");
  other.kind = IsExpr::Kind::Normalized;
  other.word = "NFKC";
  CHECK(sql(Expr{other, {}}) == "a IS NOT NFKC NORMALIZED");
  other.kind = IsExpr::Kind::Json;
  other.negated = false;
  other.word = "OBJECT";
  CHECK(sql(Expr{other, {}}) == "a IS JSON OBJECT");
  other.word = "";
  CHECK(sql(Expr{other, {}}) == "a IS JSON");
  other.kind = IsExpr::Kind::True;
  CHECK(sql(Expr{other, {}}) == "a IS TRUE");
}

Expr between(Expr arg, Expr low, Expr high, bool negated = false, bool symmetric = false) {
  BetweenExpr e;
  e.negated = negated;
  e.symmetric = symmetric;
  e.arg = std::move(arg);
  e.low = std::move(low);
  e.high = std::move(high);
  return Expr{std::move(e), {}};
}

Expr collate(Expr arg, std::vector<std::string> name) {
  CollateExpr e;
  e.arg = std::move(arg);
  e.collation.parts = std::move(name);
  return Expr{std::move(e), {}};
}

TEST_CASE("BETWEEN bounds") {
  CHECK(sql(between(a(), b(), c())) == "a BETWEEN b AND c");
  CHECK(sql(between(a(), b(), c(), true, true)) == "a NOT BETWEEN SYMMETRIC b AND c");
  // The lower bound is a restricted expression: arithmetic, casts, primaries.
  CHECK(sql(between(a(), binop("+", b(), num("1")), binop("*", c(), num("2")))) ==
        "a BETWEEN b + 1 AND c * 2");
  CHECK(sql(between(a(), prefix("-", num("1")), num("1"))) == "a BETWEEN -1 AND 1");
  CHECK(sql(between(a(), andOf({b(), c()}), c())) == "a BETWEEN (b AND c) AND c");
  CHECK(sql(between(a(), binop("=", b(), c()), c())) == "a BETWEEN (b = c) AND c");
  CHECK(sql(between(a(), binop("||", b(), c()), c())) == "a BETWEEN (b || c) AND c");
  CHECK(sql(between(a(), collate(b(), {"C"}), c())) == "a BETWEEN (b COLLATE \"C\") AND c");
  // ... and neither may anything printed inside it without parentheses.
  CHECK(sql(between(a(), binop("+", num("1"), collate(b(), {"C"})), c())) ==
        "a BETWEEN (1 + b COLLATE \"C\") AND c");
  CHECK(sql(between(a(), binop("+", num("1"), binop("||", b(), c())), c())) ==
        "a BETWEEN 1 + (b || c) AND c");
  // The upper bound may be anything tighter than BETWEEN itself.
  CHECK(sql(between(a(), b(), binop("||", b(), c()))) == "a BETWEEN b AND b || c");
  CHECK(sql(between(a(), b(), andOf({b(), c()}))) == "a BETWEEN b AND (b AND c)");
  CHECK(sql(between(a(), b(), binop("=", b(), c()))) == "a BETWEEN b AND (b = c)");
  CHECK(sql(between(between(a(), b(), c()), b(), c())) == "(a BETWEEN b AND c) BETWEEN b AND c");
  CHECK(sql(andOf({between(a(), b(), c()), a()})) == "a BETWEEN b AND c AND a");
}

Expr like(Expr arg, Expr pattern, LikeExpr::Kind kind, bool negated, ExprPtr escape) {
  LikeExpr e;
  e.kind = kind;
  e.negated = negated;
  e.arg = std::move(arg);
  e.pattern = std::move(pattern);
  e.escape = std::move(escape);
  return Expr{std::move(e), {}};
}

TEST_CASE("LIKE, ILIKE, SIMILAR TO") {
  CHECK(sql(like(a(), str("x%"))) == "a LIKE 'x%'");
  CHECK(sql(like(a(), str("x%"), LikeExpr::Kind::ILike, true)) == "a NOT ILIKE 'x%'");
  CHECK(sql(like(a(), str("x"), LikeExpr::Kind::SimilarTo, false, str("!"))) ==
        "a SIMILAR TO 'x' ESCAPE '!'");
  CHECK(sql(like(binop("||", a(), b()), binop("||", b(), str("%")))) == "a || b LIKE b || '%'");
  CHECK(sql(like(binop("=", a(), b()), c())) == "(a = b) LIKE c");
  CHECK(sql(like(like(a(), b()), c())) == "(a LIKE b) LIKE c");
  // An ESCAPE form as an operand is parenthesized, so that no earlier LIKE
  // can take its ESCAPE.
  CHECK(sql(andOf({like(a(), b()), like(c(), str("x"), LikeExpr::Kind::Like, false, str("#"))})) ==
        "a LIKE b AND (c LIKE 'x' ESCAPE '#')");
}

TEST_CASE("IN and quantified comparisons") {
  InExpr in;
  in.arg = binop("+", a(), b());
  in.list = {num("1"), num("2")};
  CHECK(sql(Expr{in, {}}) == "a + b IN (1, 2)");
  in.negated = true;
  in.arg = binop("=", a(), b());
  CHECK(sql(Expr{in, {}}) == "(a = b) NOT IN (1, 2)");
  in.negated = false;
  in.arg = a();
  in.subquery = selectOf({target(b())}, {table({"t"})});
  CHECK(sql(Expr{in, {}}) == "a IN (SELECT b FROM t)");

  QuantifiedExpr q;
  q.op = {"="};
  q.left = a();
  q.right = param(1);
  CHECK(sql(Expr{q, {}}) == "a = ANY ($1)");
  q.all = true;
  q.left = binop("+", a(), num("1"));
  CHECK(sql(Expr{q, {}}) == "a + 1 = ALL ($1)");
  q.left = binop("||", a(), b());
  CHECK(sql(Expr{q, {}}) == "(a || b) = ALL ($1)");
  q.all = false;
  q.op = {"*"};
  q.left = binop("+", a(), b());
  CHECK(sql(Expr{q, {}}) == "(a + b) * ANY ($1)");
  q.op = {"="};
  q.left = a();
  q.right = {};
  q.subquery = selectOf({target(b())}, {table({"t"})});
  CHECK(sql(Expr{q, {}}) == "a = ANY (SELECT b FROM t)");
  CHECK(sql(binop("+", Expr{q, {}}, num("1"))) == "(a = ANY (SELECT b FROM t)) + 1");
  CHECK(sql(andOf({Expr{q, {}}, b()})) == "a = ANY (SELECT b FROM t) AND b");
}

TEST_CASE("casts, COLLATE, AT TIME ZONE") {
  CHECK(sql(cast(a(), generic({"text"}))) == "a::text");
  CHECK(sql(cast(cast(a(), generic({"text"})), type(K::Integer))) == "a::text::integer");
  CHECK(sql(cast(binop("+", a(), b()), type(K::BigInt))) == "(a + b)::bigint");
  CHECK(sql(cast(call({"f"}, {a()}), generic({"text"}))) == "f(a)::text");
  CHECK(sql(cast(str("1"), type(K::Integer), TypeCast::Syntax::Cast)) == "CAST('1' AS integer)");
  CHECK(sql(cast(str("2020-01-01"), generic({"date"}), TypeCast::Syntax::Prefix)) ==
        "date '2020-01-01'");
  TypeName ts = type(K::TimestampTz);
  ts.modifiers = {num("3")};
  CHECK(sql(cast(str("now"), ts, TypeCast::Syntax::Prefix)) == "timestamp(3) with time zone 'now'");
  TypeName iv = type(K::Interval);
  iv.interval_fields = "DAY TO SECOND";
  iv.modifiers = {num("3")};
  CHECK(sql(cast(str("1 2:03:04"), iv, TypeCast::Syntax::Prefix)) ==
        "interval '1 2:03:04' day to second(3)");
  TypeName iv_precision = type(K::Interval);
  iv_precision.modifiers = {num("2")};
  CHECK(sql(cast(str("1 day"), iv_precision, TypeCast::Syntax::Prefix)) == "interval(2) '1 day'");
  // No prefix form exists for an array type: the same cast, spelled CAST.
  TypeName arr = type(K::Integer);
  arr.array_bounds = {-1};
  CHECK(sql(cast(str("{1}"), arr, TypeCast::Syntax::Prefix)) == "CAST('{1}' AS integer[])");

  CHECK(sql(collate(a(), {"C"})) == "a COLLATE \"C\"");
  CHECK(sql(collate(a(), {"pg_catalog", "default"})) == "a COLLATE pg_catalog.\"default\"");
  CHECK(sql(collate(binop("||", a(), b()), {"C"})) == "(a || b) COLLATE \"C\"");
  CHECK(sql(binop("||", a(), collate(b(), {"C"}))) == "a || b COLLATE \"C\"");
  CHECK(sql(cast(collate(a(), {"C"}), generic({"text"}))) == "(a COLLATE \"C\")::text");

  AtTimeZone at;
  at.arg = binop("+", a(), b());
  at.zone = str("UTC");
  CHECK(sql(Expr{at, {}}) == "(a + b) AT TIME ZONE 'UTC'");
  at.arg = a();
  at.zone = binop("||", b(), c());
  CHECK(sql(Expr{at, {}}) == "a AT TIME ZONE (b || c)");
  CHECK(sql(binop("+", Expr{at, {}}, c())) == "a AT TIME ZONE (b || c) + c");
}

TEST_CASE("type names") {
  CHECK(sql(type(K::SmallInt)) == "smallint");
  CHECK(sql(type(K::Integer)) == "integer");
  CHECK(sql(type(K::BigInt)) == "bigint");
  CHECK(sql(type(K::Real)) == "real");
  CHECK(sql(type(K::DoublePrecision)) == "double precision");
  CHECK(sql(type(K::Boolean)) == "boolean");
  CHECK(sql(type(K::Json)) == "json");
  CHECK(sql(type(K::Timestamp)) == "timestamp");
  CHECK(sql(type(K::TimestampTz)) == "timestamp with time zone");
  CHECK(sql(type(K::Time)) == "time");
  CHECK(sql(type(K::TimeTz)) == "time with time zone");
  CHECK(sql(type(K::Interval)) == "interval");
  CHECK(sql(type(K::Char)) == "character");
  CHECK(sql(type(K::Varchar)) == "character varying");
  CHECK(sql(type(K::Bit)) == "bit");

  auto with_mods = [](K kind, std::vector<Expr> mods) {
    TypeName t = type(kind);
    t.modifiers = std::move(mods);
    return sql(t);
  };
  CHECK(with_mods(K::Numeric, {num("10"), num("2")}) == "numeric(10, 2)");
  CHECK(with_mods(K::Decimal, {num("5")}) == "decimal(5)");
  CHECK(with_mods(K::Float, {num("53")}) == "float(53)");
  CHECK(with_mods(K::Varchar, {num("20")}) == "character varying(20)");
  CHECK(with_mods(K::Char, {num("1")}) == "character(1)");
  CHECK(with_mods(K::NChar, {num("2")}) == "national character(2)");
  CHECK(with_mods(K::NCharVarying, {num("3")}) == "national character varying(3)");
  CHECK(with_mods(K::BitVarying, {num("8")}) == "bit varying(8)");
  CHECK(with_mods(K::Timestamp, {num("3")}) == "timestamp(3)");
  CHECK(with_mods(K::TimestampTz, {num("3")}) == "timestamp(3) with time zone");
  CHECK(with_mods(K::TimeTz, {num("0")}) == "time(0) with time zone");
  CHECK(with_mods(K::Interval, {num("6")}) == "interval(6)");

  TypeName iv = type(K::Interval);
  iv.interval_fields = "DAY TO SECOND";
  CHECK(sql(iv) == "interval day to second");
  iv.modifiers = {num("3")};
  CHECK(sql(iv) == "interval day to second(3)");
  iv.interval_fields = "YEAR";
  iv.modifiers.clear();
  CHECK(sql(iv) == "interval year");

  TypeName g = generic({"public", "Money Type"});
  g.array_bounds = {-1, 3};
  CHECK(sql(g) == "public.\"Money Type\"[][3]");
  TypeName quoted = generic({"char"});
  CHECK(sql(quoted) == "\"char\"");
  TypeName mods = generic({"geometry"});
  mods.modifiers = {col({"point"}), num("4326")};
  CHECK(sql(mods) == "geometry(point, 4326)");

  TypeName arr = type(K::Integer);
  arr.array_keyword = true;
  CHECK(sql(arr) == "integer ARRAY");
  arr.array_bounds = {4};
  CHECK(sql(arr) == "integer ARRAY[4]");

  TypeName setof = generic({"text"});
  setof.setof = true;
  CHECK(sql(setof) == "SETOF text");

  TypeName pct;
  pct.percent_type = QualifiedName{{"t", "Col"}};
  CHECK(sql(pct) == "t.\"Col\"%TYPE");
}

TEST_CASE("CASE, subqueries, arrays, rows, indirection") {
  CaseExpr ce;
  ce.arg = a();
  ce.whens.push_back(CaseWhen{num("1"), str("one")});
  ce.whens.push_back(CaseWhen{num("2"), str("two")});
  ce.else_result = null();
  CHECK(sql(Expr{ce, {}}) == "CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE NULL END");
  CaseExpr searched;
  searched.whens.push_back(CaseWhen{orOf({a(), b()}), num("1")});
  CHECK(sql(Expr{searched, {}}) == "CASE WHEN a OR b THEN 1 END");

  SelectStmt one = selectOf({target(num("1"))});
  CHECK(sql(subquery(one)) == "(SELECT 1)");
  CHECK(sql(subquery(one, SubqueryExpr::Kind::Exists)) == "EXISTS (SELECT 1)");
  CHECK(sql(subquery(one, SubqueryExpr::Kind::Array)) == "ARRAY(SELECT 1)");
  CHECK(sql(notOf(subquery(one, SubqueryExpr::Kind::Exists))) == "NOT EXISTS (SELECT 1)");

  ArrayExpr inner1{{num("1"), num("2")}, true};
  ArrayExpr inner2{{num("3"), num("4")}, true};
  ArrayExpr outer{{Expr{inner1, {}}, Expr{inner2, {}}}, false};
  CHECK(sql(Expr{outer, {}}) == "ARRAY[[1, 2], [3, 4]]");
  CHECK(sql(Expr{ArrayExpr{}, {}}) == "ARRAY[]");

  CHECK(sql(Expr{RowExpr{{a(), b()}, false}, {}}) == "(a, b)");
  CHECK(sql(Expr{RowExpr{{a()}, true}, {}}) == "ROW(a)");
  CHECK(sql(Expr{RowExpr{{}, true}, {}}) == "ROW()");

  auto ind = [](Expr arg, std::vector<IndirectionItem> items) {
    Indirection i;
    i.arg = std::move(arg);
    i.items = std::move(items);
    return Expr{std::move(i), {}};
  };
  IndirectionItem field{IndirectionItem::Kind::Field, "f", {}, {}};
  IndirectionItem all{IndirectionItem::Kind::Star, "", {}, {}};
  IndirectionItem sub{IndirectionItem::Kind::Subscript, "", num("1"), {}};
  IndirectionItem slice{IndirectionItem::Kind::Slice, "", num("1"), {}};
  IndirectionItem open_slice{IndirectionItem::Kind::Slice, "", {}, {}};
  CHECK(sql(ind(a(), {sub, field})) == "a[1].f");
  CHECK(sql(ind(a(), {slice})) == "a[1:]");
  CHECK(sql(ind(a(), {open_slice})) == "a[:]");
  // `a.f` would be the column f of table a.
  CHECK(sql(ind(a(), {field})) == "(a).f");
  CHECK(sql(ind(col({"t", "a"}), {all})) == "(t.a).*");
  CHECK(sql(ind(param(1), {field})) == "$1.f");
  CHECK(sql(ind(call({"f"}, {a()}), {sub})) == "(f(a))[1]");
  CHECK(sql(ind(subquery(selectOf({target(a())})), {sub})) == "(SELECT a)[1]");
  CHECK(sql(ind(subquery(selectOf({target(a())}), SubqueryExpr::Kind::Array), {sub})) ==
        "(ARRAY(SELECT a))[1]");
  CHECK(sql(ind(Expr{RowExpr{{a(), b()}, true}, {}}, {field})) == "(ROW(a, b)).f");

  OverlapsExpr ov;
  ov.left = Expr{RowExpr{{a(), b()}, false}, {}};
  ov.right = Expr{RowExpr{{c(), param(1)}, true}, {}};
  CHECK(sql(Expr{ov, {}}) == "(a, b) OVERLAPS ROW(c, $1)");
  CHECK(sql(binop("=", Expr{ov, {}}, b())) == "((a, b) OVERLAPS ROW(c, $1)) = b");
}

TEST_CASE("function calls") {
  CHECK(sql(call({"now"})) == "now()");
  CHECK(sql(call({"pg_catalog", "lower"}, {a()})) == "pg_catalog.lower(a)");
  // Keywords that are not unreserved are quoted as function names too.
  CHECK(sql(call({"left"}, {a(), num("2")})) == "\"left\"(a, 2)");
  CHECK(sql(call({"coalesce"}, {a()})) == "\"coalesce\"(a)");

  FuncCall count;
  count.name.parts = {"count"};
  count.star = true;
  CHECK(sql(Expr{count, {}}) == "count(*)");

  FuncCall agg;
  agg.name.parts = {"string_agg"};
  agg.args = {arg(a()), arg(str(","))};
  agg.distinct = true;
  agg.order_by = {sortBy(a(), SortBy::Dir::Desc)};
  agg.filter = binop(">", b(), num("0"));
  CHECK(sql(Expr{agg, {}}) == "string_agg(DISTINCT a, ',' ORDER BY a DESC) FILTER (WHERE b > 0)");

  FuncCall all;
  all.name.parts = {"count"};
  all.all = true;
  all.args = {arg(a())};
  CHECK(sql(Expr{all, {}}) == "count(ALL a)");

  FuncCall pct;
  pct.name.parts = {"percentile_cont"};
  pct.args = {arg(lit(Literal::Kind::Numeric, "0.5"))};
  pct.order_by = {sortBy(a())};
  pct.within_group = true;
  CHECK(sql(Expr{pct, {}}) == "percentile_cont(0.5) WITHIN GROUP (ORDER BY a)");

  FuncCall var;
  var.name.parts = {"concat_ws"};
  var.args = {arg(str(",")), arg(param(1))};
  var.variadic = true;
  CHECK(sql(Expr{var, {}}) == "concat_ws(',', VARIADIC $1)");

  FuncCall named;
  named.name.parts = {"make_interval"};
  named.args = {FuncArg{"days", num("1")}, FuncArg{"Hours", num("2")}};
  CHECK(sql(Expr{named, {}}) == "make_interval(days => 1, \"Hours\" => 2)");

  FuncCall rank;
  rank.name.parts = {"rank"};
  WindowDef w;
  w.name = "w";
  w.name_only = true;
  rank.over = w;
  CHECK(sql(Expr{rank, {}}) == "rank() OVER w");

  WindowDef spec;
  spec.ref_name = "w";
  spec.partition_by = {a(), b()};
  spec.order_by = {sortBy(c(), SortBy::Dir::Asc)};
  WindowFrame frame;
  frame.mode = WindowFrame::Mode::Rows;
  frame.start = FrameBound{FrameBound::Kind::Preceding, num("3")};
  frame.end = FrameBound{FrameBound::Kind::UnboundedFollowing, {}};
  frame.exclusion = WindowFrame::Exclusion::Ties;
  spec.frame = frame;
  rank.over = spec;
  CHECK(sql(Expr{rank, {}}) ==
        "rank() OVER (w PARTITION BY a, b ORDER BY c ASC ROWS BETWEEN 3 PRECEDING AND "
        "UNBOUNDED FOLLOWING EXCLUDE TIES)");

  WindowDef empty;
  rank.over = empty;
  CHECK(sql(Expr{rank, {}}) == "rank() OVER ()");
  WindowDef range_only;
  WindowFrame current;
  current.start = FrameBound{FrameBound::Kind::CurrentRow, {}};
  range_only.frame = current;
  rank.over = range_only;
  CHECK(sql(Expr{rank, {}}) == "rank() OVER (RANGE CURRENT ROW)");
}

Expr special(SpecialFunc::Kind kind, std::vector<Expr> args = {}, std::string word = "",
             std::vector<std::string> names = {}) {
  SpecialFunc f;
  f.kind = kind;
  f.args = std::move(args);
  f.word = std::move(word);
  f.arg_names = std::move(names);
  return Expr{std::move(f), {}};
}

TEST_CASE("special functions") {
  using S = SpecialFunc::Kind;
  CHECK(sql(special(S::CurrentDate)) == "CURRENT_DATE");
  CHECK(sql(special(S::CurrentTimestamp)) == "CURRENT_TIMESTAMP");
  CHECK(sql(special(S::CurrentTime, {num("3")})) == "CURRENT_TIME(3)");
  CHECK(sql(special(S::LocalTimestamp, {num("0")})) == "LOCALTIMESTAMP(0)");
  CHECK(sql(special(S::SessionUser)) == "SESSION_USER");
  CHECK(sql(special(S::CurrentSchema)) == "CURRENT_SCHEMA");
  CHECK(sql(special(S::User)) == "USER");

  CHECK(sql(special(S::Extract, {a()}, "epoch")) == "EXTRACT(epoch FROM a)");
  CHECK(sql(special(S::Extract, {a()}, "Epoch")) == "EXTRACT('Epoch' FROM a)");
  CHECK(sql(special(S::Position, {str("x"), a()})) == "POSITION('x' IN a)");
  CHECK(sql(special(S::Position, {binop("||", a(), b()), c()})) == "POSITION((a || b) IN c)");

  CHECK(sql(special(S::Substring, {a(), num("2")}, "FROM")) == "SUBSTRING(a FROM 2)");
  CHECK(sql(special(S::Substring, {a(), num("2")}, "FOR")) == "SUBSTRING(a FOR 2)");
  CHECK(sql(special(S::Substring, {a(), num("2"), num("3")}, "FROM FOR")) ==
        "SUBSTRING(a FROM 2 FOR 3)");
  CHECK(sql(special(S::Substring, {a(), num("2"), num("3")}, "")) == "SUBSTRING(a FROM 2 FOR 3)");
  CHECK(sql(special(S::Substring, {a(), str("x"), str("#")}, "SIMILAR")) ==
        "SUBSTRING(a SIMILAR 'x' ESCAPE '#')");
  CHECK(sql(special(S::Substring, {a(), num("2"), num("3")}, "ARGS")) == "SUBSTRING(a, 2, 3)");

  CHECK(sql(special(S::Overlay, {a(), str("x"), num("2")})) == "OVERLAY(a PLACING 'x' FROM 2)");
  CHECK(sql(special(S::Overlay, {a(), str("x"), num("2"), num("1")})) ==
        "OVERLAY(a PLACING 'x' FROM 2 FOR 1)");
  CHECK(sql(special(S::Overlay, {a(), str("x"), num("2")}, "ARGS")) == "OVERLAY(a, 'x', 2)");

  CHECK(sql(special(S::Trim, {a()})) == "TRIM(a)");
  CHECK(sql(special(S::Trim, {a()}, "BOTH")) == "TRIM(BOTH a)");
  CHECK(sql(special(S::Trim, {str("x"), a()}, "LEADING", {"chars"})) == "TRIM(LEADING 'x' FROM a)");
  CHECK(sql(special(S::Trim, {a()}, "TRAILING", {"from"})) == "TRIM(TRAILING FROM a)");
  CHECK(sql(special(S::Trim, {str("x"), a(), b()}, "", {"chars"})) == "TRIM('x' FROM a, b)");

  CHECK(sql(special(S::Coalesce, {a(), num("0")})) == "COALESCE(a, 0)");
  CHECK(sql(special(S::NullIf, {a(), str("")})) == "NULLIF(a, '')");
  CHECK(sql(special(S::Greatest, {a(), b(), c()})) == "GREATEST(a, b, c)");
  CHECK(sql(special(S::Least, {a(), b()})) == "LEAST(a, b)");
  CHECK(sql(special(S::Grouping, {a(), b()})) == "GROUPING(a, b)");
  CHECK(sql(special(S::Normalize, {a()})) == "NORMALIZE(a)");
  CHECK(sql(special(S::Normalize, {a()}, "NFKD")) == "NORMALIZE(a, NFKD)");
  CHECK(sql(special(S::CollationFor, {a()})) == "COLLATION FOR (a)");

  Expr treat = special(S::Treat, {a()});
  std::get<SpecialFunc>(treat.node).type = generic({"text"});
  CHECK(sql(treat) == "TREAT(a AS text)");

  CHECK(sql(special(S::XmlConcat, {a(), b()})) == "XMLCONCAT(a, b)");
  CHECK(sql(special(S::XmlElement, {a(), b(), c()}, "Item", {"id", ""})) ==
        "XMLELEMENT(NAME \"Item\", XMLATTRIBUTES(a AS id, b), c)");
  CHECK(sql(special(S::XmlElement, {c()}, "x")) == "XMLELEMENT(NAME x, c)");
  CHECK(sql(special(S::XmlForest, {a(), b()}, "", {"x", ""})) == "XMLFOREST(a AS x, b)");
  CHECK(sql(special(S::XmlParse, {a()}, "DOCUMENT PRESERVE WHITESPACE")) ==
        "XMLPARSE(DOCUMENT a PRESERVE WHITESPACE)");
  CHECK(sql(special(S::XmlParse, {a()}, "CONTENT")) == "XMLPARSE(CONTENT a)");
  CHECK(sql(special(S::XmlPi, {}, "php")) == "XMLPI(NAME php)");
  CHECK(sql(special(S::XmlPi, {a()}, "php")) == "XMLPI(NAME php, a)");
  CHECK(sql(special(S::XmlRoot, {a(), str("1.0")}, "VERSION|STANDALONE YES")) ==
        "XMLROOT(a, VERSION '1.0', STANDALONE YES)");
  CHECK(sql(special(S::XmlRoot, {a()}, "VERSION NO VALUE|")) == "XMLROOT(a, VERSION NO VALUE)");
  Expr ser = special(S::XmlSerialize, {a()}, "CONTENT NO INDENT");
  std::get<SpecialFunc>(ser.node).type = generic({"text"});
  CHECK(sql(ser) == "XMLSERIALIZE(CONTENT a AS text NO INDENT)");
  CHECK(sql(special(S::XmlExists, {str("//x"), a()})) == "XMLEXISTS('//x' PASSING a)");
  CHECK(sql(special(S::XmlExists, {str("//x"), binop("||", a(), b())})) ==
        "XMLEXISTS('//x' PASSING (a || b))");
}

TEST_CASE("SELECT clauses in order") {
  SelectStmt s =
      selectOf({target(a(), "x"), target(Expr{ColumnRef{{"t"}, true}, {}})}, {table({"t"})});
  s.distinct_on = {a()};
  s.where = binop(">", b(), param(1));
  GroupingElem by_a;
  by_a.exprs = {a()};
  GroupingElem rollup;
  rollup.kind = GroupingElem::Kind::Rollup;
  rollup.exprs = {b(), c()};
  GroupingElem empty;
  empty.kind = GroupingElem::Kind::Empty;
  GroupingElem sets;
  sets.kind = GroupingElem::Kind::Sets;
  sets.sets = {by_a, empty};
  GroupingElem cube;
  cube.kind = GroupingElem::Kind::Cube;
  cube.exprs = {a()};
  s.group_by = {by_a, rollup, cube, sets};
  s.group_distinct = true;
  s.having = binop(">", call({"count"}, {a()}), num("1"));
  WindowDef w;
  w.name = "w";
  w.order_by = {sortBy(a())};
  s.windows = {w};
  SortBy nulls_last = sortBy(a(), SortBy::Dir::Desc);
  nulls_last.nulls = SortBy::Nulls::Last;
  SortBy using_op = sortBy(b(), SortBy::Dir::Using);
  using_op.using_op = {">"};
  s.order_by = {nulls_last, using_op};
  s.limit_count = num("10");
  s.offset = num("5");
  LockingClause lock;
  lock.strength = LockingClause::Strength::NoKeyUpdate;
  lock.of = {QualifiedName{{"t"}}};
  lock.wait = LockingClause::Wait::SkipLocked;
  s.locking = {lock};
  CHECK(sql(s) ==
        "SELECT DISTINCT ON (a) a AS x, t.* FROM t WHERE b > $1 GROUP BY DISTINCT a, "
        "ROLLUP(b, c), CUBE(a), GROUPING SETS (a, ()) HAVING count(a) > 1 WINDOW w AS (ORDER BY "
        "a) ORDER BY a DESC NULLS LAST, b USING > LIMIT 10 OFFSET 5 FOR NO KEY UPDATE OF t SKIP "
        "LOCKED");

  SelectStmt bare = selectOf({});
  bare.from = {table({"t"})};
  CHECK(sql(bare) == "SELECT FROM t");
  SelectStmt all = selectOf({target(a())});
  all.all = true;
  CHECK(sql(all) == "SELECT ALL a");
  SelectStmt distinct = selectOf({target(a())});
  distinct.distinct = true;
  CHECK(sql(distinct) == "SELECT DISTINCT a");

  SelectStmt limit_all = selectOf({target(a())});
  limit_all.limit_all = true;
  CHECK(sql(limit_all) == "SELECT a LIMIT ALL");

  SelectStmt into = selectOf({target(a())}, {table({"t"})});
  into.into = IntoClause{"TEMP", true, QualifiedName{{"n"}}};
  CHECK(sql(into) == "SELECT a INTO TEMP TABLE n FROM t");

  // A function named cube would read back as the CUBE grouping.
  SelectStmt cube_call = selectOf({target(a())}, {table({"t"})});
  GroupingElem call_elem;
  call_elem.exprs = {call({"cube"}, {a()})};
  cube_call.group_by = {call_elem};
  CHECK(sql(cube_call) == "SELECT a FROM t GROUP BY (cube(a))");
}

TEST_CASE("FETCH FIRST puts OFFSET first") {
  SelectStmt s = selectOf({target(a())}, {table({"t"})});
  s.limit_style = SelectStmt::LimitStyle::FetchFirst;
  s.limit_count = num("5");
  s.offset = num("10");
  CHECK(sql(s) == "SELECT a FROM t OFFSET 10 ROWS FETCH FIRST 5 ROWS ONLY");
  s.limit_style = SelectStmt::LimitStyle::FetchWithTies;
  s.offset = {};
  s.order_by = {sortBy(a())};
  CHECK(sql(s) == "SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS WITH TIES");
  s.limit_count = {};
  s.limit_style = SelectStmt::LimitStyle::FetchFirst;
  CHECK(sql(s) == "SELECT a FROM t ORDER BY a FETCH FIRST ROWS ONLY");
  // The count is a c_expr or a signed number.
  s.limit_count = binop("+", param(1), num("1"));
  CHECK(sql(s) == "SELECT a FROM t ORDER BY a FETCH FIRST ($1 + 1) ROWS ONLY");
  s.limit_count = prefix("-", num("1"));
  CHECK(sql(s) == "SELECT a FROM t ORDER BY a FETCH FIRST -1 ROWS ONLY");
}

TEST_CASE("VALUES and TABLE") {
  SelectStmt v;
  v.kind = SelectStmt::Kind::Values;
  v.values = {{num("1"), str("a")}, {num("2"), Expr{DefaultExpr{}, {}}}};
  CHECK(sql(v) == "VALUES (1, 'a'), (2, DEFAULT)");
  v.order_by = {sortBy(num("1"))};
  CHECK(sql(v) == "VALUES (1, 'a'), (2, DEFAULT) ORDER BY 1");

  SelectStmt t;
  t.kind = SelectStmt::Kind::Table;
  t.table = relation({"s", "t"});
  CHECK(sql(t) == "TABLE s.t");
  t.table->only = true;
  CHECK(sql(t) == "TABLE ONLY s.t");
  t.table->only = false;
  t.table->inherit_star = true;
  CHECK(sql(t) == "TABLE s.t *");
}

TEST_CASE("set operations") {
  SelectStmt s1 = selectOf({target(num("1"))});
  SelectStmt s2 = selectOf({target(num("2"))});
  SelectStmt s3 = selectOf({target(num("3"))});
  using Op = SelectStmt::SetOp;

  CHECK(sql(setOp(Op::Union, s1, s2)) == "SELECT 1 UNION SELECT 2");
  CHECK(sql(setOp(Op::Union, s1, s2, true)) == "SELECT 1 UNION ALL SELECT 2");
  SelectStmt distinct = setOp(Op::Except, s1, s2);
  distinct.set_distinct = true;
  CHECK(sql(distinct) == "SELECT 1 EXCEPT DISTINCT SELECT 2");
  CHECK(sql(setOp(Op::Union, setOp(Op::Union, s1, s2), s3)) ==
        "SELECT 1 UNION SELECT 2 UNION SELECT 3");
  CHECK(sql(setOp(Op::Union, s1, setOp(Op::Union, s2, s3))) ==
        "SELECT 1 UNION (SELECT 2 UNION SELECT 3)");
  CHECK(sql(setOp(Op::Except, s1, setOp(Op::Union, s2, s3))) ==
        "SELECT 1 EXCEPT (SELECT 2 UNION SELECT 3)");
  // INTERSECT binds tighter than UNION and EXCEPT.
  CHECK(sql(setOp(Op::Union, s1, setOp(Op::Intersect, s2, s3))) ==
        "SELECT 1 UNION SELECT 2 INTERSECT SELECT 3");
  CHECK(sql(setOp(Op::Intersect, setOp(Op::Union, s1, s2), s3)) ==
        "(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3");
  CHECK(sql(setOp(Op::Intersect, s1, setOp(Op::Intersect, s2, s3))) ==
        "SELECT 1 INTERSECT (SELECT 2 INTERSECT SELECT 3)");

  // Clauses of a branch need the branch parenthesized.
  SelectStmt limited = s1;
  limited.order_by = {sortBy(num("1"))};
  limited.limit_count = num("1");
  CHECK(sql(setOp(Op::Union, limited, s2)) == "(SELECT 1 ORDER BY 1 LIMIT 1) UNION SELECT 2");
  SelectStmt locked = s2;
  locked.locking = {LockingClause{}};
  CHECK(sql(setOp(Op::Union, s1, locked)) == "SELECT 1 UNION (SELECT 2 FOR UPDATE)");
  SelectStmt fetch = s2;
  fetch.limit_style = SelectStmt::LimitStyle::FetchFirst;
  CHECK(sql(setOp(Op::Union, s1, fetch)) == "SELECT 1 UNION (SELECT 2 FETCH FIRST ROWS ONLY)");

  // ... while the clauses of the whole operation follow it.
  SelectStmt whole = setOp(Op::Union, s1, s2);
  whole.order_by = {sortBy(num("1"), SortBy::Dir::Desc)};
  whole.limit_count = num("1");
  CHECK(sql(whole) == "SELECT 1 UNION SELECT 2 ORDER BY 1 DESC LIMIT 1");
  CHECK(sql(setOp(Op::Union, whole, s3)) ==
        "(SELECT 1 UNION SELECT 2 ORDER BY 1 DESC LIMIT 1) UNION SELECT 3");

  SelectStmt cte_branch = s2;
  WithClause with;
  with.ctes.push_back(CommonTableExpr{});
  with.ctes[0].name = "x";
  with.ctes[0].query = stmt(s3);
  cte_branch.with = with;
  CHECK(sql(setOp(Op::Union, s1, cte_branch)) == "SELECT 1 UNION (WITH x AS (SELECT 3) SELECT 2)");
}

TEST_CASE("WITH clauses") {
  SelectStmt body = selectOf({target(a())}, {table({"t"})});
  CommonTableExpr cte;
  cte.name = "Tree";
  cte.columns = {"a", "b"};
  cte.materialized = CommonTableExpr::Materialized::No;
  cte.query = stmt(body);
  CommonTableExpr::Search search;
  search.breadth_first = true;
  search.columns = {"a"};
  search.set_column = "ord";
  cte.search = search;
  CommonTableExpr::Cycle cycle;
  cycle.columns = {"a", "b"};
  cycle.set_column = "is_cycle";
  cycle.mark_value = str("Y");
  cycle.mark_default = str("N");
  cycle.path_column = "path";
  cte.cycle = cycle;

  CommonTableExpr second;
  second.name = "m";
  second.materialized = CommonTableExpr::Materialized::Yes;
  DeleteStmt del;
  del.relation = relation({"t"});
  del.returning = {target(star())};
  second.query = stmt(del);

  WithClause with;
  with.recursive = true;
  with.ctes = {cte, second};
  SelectStmt s = selectOf({target(star())}, {table({"Tree"})});
  s.with = with;
  CHECK(sql(s) ==
        "WITH RECURSIVE \"Tree\"(a, b) AS NOT MATERIALIZED (SELECT a FROM t) SEARCH BREADTH FIRST "
        "BY a SET ord CYCLE a, b SET is_cycle TO 'Y' DEFAULT 'N' USING path, m AS MATERIALIZED "
        "(DELETE FROM t RETURNING *) SELECT * FROM \"Tree\"");

  s.with->ctes[0].cycle->mark_value = {};
  s.with->ctes[0].cycle->mark_default = {};
  s.with->ctes[0].search = std::nullopt;
  s.with->ctes.pop_back();
  s.with->recursive = false;
  s.with->ctes[0].materialized = CommonTableExpr::Materialized::Default;
  CHECK(sql(s) ==
        "WITH \"Tree\"(a, b) AS (SELECT a FROM t) CYCLE a, b SET is_cycle USING path SELECT * FROM "
        "\"Tree\"");
}

TEST_CASE("FROM items") {
  RangeVar rv = relation({"public", "Users"});
  rv.alias = Alias{"u", {"x", "y"}};
  rv.tablesample = RangeVar::Sample{QualifiedName{{"bernoulli"}}, {num("10")}, num("42")};
  CHECK(sql(TableRef{rv, {}}) ==
        "public.\"Users\" AS u(x, y) TABLESAMPLE bernoulli(10) REPEATABLE (42)");
  RangeVar only = relation({"t"});
  only.only = true;
  CHECK(sql(TableRef{only, {}}) == "ONLY t");

  RangeSubselect sub;
  sub.lateral = true;
  sub.query = selectOf({target(a())});
  sub.alias = Alias{"s", {}};
  CHECK(sql(TableRef{sub, {}}) == "LATERAL (SELECT a) AS s");

  RangeFunction fn;
  fn.functions.push_back(RangeFunction::Item{call({"generate_series"}, {num("1"), num("3")}), {}});
  fn.ordinality = true;
  fn.alias = Alias{"g", {"n", "i"}};
  CHECK(sql(TableRef{fn, {}}) == "generate_series(1, 3) WITH ORDINALITY AS g(n, i)");

  RangeFunction defs;
  defs.functions.push_back(RangeFunction::Item{call({"json_to_record"}, {param(1)}), {}});
  defs.alias = Alias{"r", {}};
  ColumnDef text_col{"b", generic({"text"}), QualifiedName{{"C"}}};
  defs.column_defs = {ColumnDef{"a", type(K::Integer), std::nullopt}, text_col};
  CHECK(sql(TableRef{defs, {}}) == "json_to_record($1) AS r(a integer, b text COLLATE \"C\")");
  defs.alias = std::nullopt;
  CHECK(sql(TableRef{defs, {}}) == "json_to_record($1) AS (a integer, b text COLLATE \"C\")");

  RangeFunction rows;
  rows.lateral = true;
  rows.rows_from = true;
  rows.functions.push_back(
      RangeFunction::Item{call({"f"}), {ColumnDef{"x", type(K::Integer), std::nullopt}}});
  rows.functions.push_back(RangeFunction::Item{call({"g"}, {a()}), {}});
  rows.ordinality = true;
  rows.alias = Alias{"r", {}};
  CHECK(sql(TableRef{rows, {}}) ==
        "LATERAL ROWS FROM (f() AS (x integer), g(a)) WITH ORDINALITY AS r");
}

TEST_CASE("joins nest to the left; a join on the right is parenthesized") {
  using T = JoinExpr::Type;
  TableRef ab =
      join(T::Inner, table({"a"}), table({"b"}), binop("=", col({"a", "id"}), col({"b", "id"})));
  CHECK(sql(ab) == "a JOIN b ON a.id = b.id");

  TableRef abc = join(T::Left, ab, table({"c"}), col({"x"}));
  CHECK(sql(abc) == "a JOIN b ON a.id = b.id LEFT JOIN c ON x");

  TableRef right_nested = join(T::Full, table({"c"}), ab, col({"y"}));
  CHECK(sql(right_nested) == "c FULL JOIN (a JOIN b ON a.id = b.id) ON y");

  TableRef cross = join(T::Cross, table({"a"}), join(T::Cross, table({"b"}), table({"c"})));
  CHECK(sql(cross) == "a CROSS JOIN (b CROSS JOIN c)");

  JoinExpr using_join;
  using_join.type = T::Right;
  using_join.explicit_outer = true;
  using_join.left = table({"a"});
  using_join.right = table({"b"});
  using_join.using_columns = {"id", "Key"};
  using_join.using_alias = "u";
  CHECK(sql(TableRef{using_join, {}}) == "a RIGHT OUTER JOIN b USING (id, \"Key\") AS u");

  JoinExpr natural;
  natural.natural = true;
  natural.explicit_inner = true;
  natural.left = table({"a"});
  natural.right = table({"b"});
  CHECK(sql(TableRef{natural, {}}) == "a NATURAL INNER JOIN b");
  natural.type = T::Left;
  natural.explicit_inner = false;
  CHECK(sql(TableRef{natural, {}}) == "a NATURAL LEFT JOIN b");

  JoinExpr aliased = std::get<JoinExpr>(ab.node);
  aliased.alias = Alias{"j", {"p", "q"}};
  CHECK(sql(TableRef{aliased, {}}) == "(a JOIN b ON a.id = b.id) AS j(p, q)");
  // An aliased join already has its parentheses.
  TableRef outer = join(T::Inner, table({"c"}), TableRef{aliased, {}}, col({"z"}));
  CHECK(sql(outer) == "c JOIN (a JOIN b ON a.id = b.id) AS j(p, q) ON z");
  TableRef outer_left = join(T::Inner, TableRef{aliased, {}}, table({"c"}), col({"z"}));
  CHECK(sql(outer_left) == "(a JOIN b ON a.id = b.id) AS j(p, q) JOIN c ON z");

  SelectStmt s = selectOf({target(star())}, {abc, table({"d"})});
  CHECK(sql(s) == "SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN c ON x, d");
}

SetClause setOne(std::string column, Expr value) {
  SetClause s;
  s.columns = {TargetColumn{std::move(column), {}}};
  s.value = std::move(value);
  return s;
}

TEST_CASE("INSERT") {
  InsertStmt ins;
  ins.relation = relation({"s", "t"});
  ins.relation.alias = Alias{"x", {}};
  IndirectionItem sub{IndirectionItem::Kind::Subscript, "", num("1"), {}};
  ins.columns = {TargetColumn{"a", {}}, TargetColumn{"arr", {sub}}};
  ins.overriding = Overriding::SystemValue;
  SelectStmt v;
  v.kind = SelectStmt::Kind::Values;
  v.values = {{num("1"), num("2")}};
  ins.source = v;
  OnConflict oc;
  IndexElem by_column{col({"a"}), false, std::nullopt, std::nullopt};
  IndexElem by_expr{call({"lower"}, {b()}), false, QualifiedName{{"C"}},
                    QualifiedName{{"text_ops"}}};
  IndexElem by_paren{binop("+", a(), b()), true, std::nullopt, std::nullopt};
  oc.target = {by_column, by_expr, by_paren};
  oc.target_where = isNull(c(), true);
  oc.action = OnConflict::Action::Update;
  SetClause multi;
  multi.multi = true;
  multi.columns = {TargetColumn{"b", {}}, TargetColumn{"c", {}}};
  multi.value = Expr{RowExpr{{col({"excluded", "b"}), Expr{DefaultExpr{}, {}}}, false}, {}};
  oc.set = {setOne("a", col({"excluded", "a"})), multi};
  oc.where = binop("<>", col({"x", "a"}), num("0"));
  ins.on_conflict = oc;
  ins.returning = {target(a(), "id")};
  CHECK(sql(stmt(ins)) ==
        "INSERT INTO s.t AS x (a, arr[1]) OVERRIDING SYSTEM VALUE VALUES (1, 2) ON CONFLICT (a, "
        "lower(b) COLLATE \"C\" text_ops, (a + b)) WHERE c IS NOT NULL DO UPDATE SET a = "
        "excluded.a, (b, c) = (excluded.b, DEFAULT) WHERE x.a <> 0 RETURNING a AS id");

  InsertStmt defaults;
  defaults.relation = relation({"t"});
  OnConflict nothing;
  nothing.constraint = "t_pkey";
  defaults.on_conflict = nothing;
  CHECK(sql(stmt(defaults)) ==
        "INSERT INTO t DEFAULT VALUES ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING");
  defaults.on_conflict = OnConflict{};
  defaults.overriding = Overriding::UserValue;
  defaults.source = selectOf({target(num("1"))});
  CHECK(sql(stmt(defaults)) ==
        "INSERT INTO t OVERRIDING USER VALUE SELECT 1 ON CONFLICT DO NOTHING");
}

TEST_CASE("UPDATE and DELETE") {
  UpdateStmt up;
  up.relation = relation({"t"});
  up.relation.only = true;
  up.relation.alias = Alias{"x", {}};
  SetClause multi;
  multi.multi = true;
  multi.columns = {TargetColumn{"b", {}}, TargetColumn{"c", {}}};
  multi.value = subquery(selectOf({target(num("1")), target(num("2"))}));
  up.set = {setOne("a", binop("+", a(), num("1"))), multi};
  up.from = {table({"u"})};
  up.where = binop("=", col({"x", "id"}), col({"u", "id"}));
  up.returning = {target(star())};
  CHECK(sql(stmt(up)) ==
        "UPDATE ONLY t AS x SET a = a + 1, (b, c) = (SELECT 1, 2) FROM u WHERE x.id = u.id "
        "RETURNING *");
  up.current_of = "cur";
  up.from.clear();
  up.returning.clear();
  CHECK(sql(stmt(up)) ==
        "UPDATE ONLY t AS x SET a = a + 1, (b, c) = (SELECT 1, 2) WHERE CURRENT OF cur");

  DeleteStmt del;
  del.relation = relation({"t"});
  del.relation.inherit_star = true;
  del.relation.alias = Alias{"d", {}};
  del.using_ = {table({"u"}), table({"v"})};
  del.where = andOf({binop("=", col({"d", "id"}), col({"u", "id"})), b()});
  del.returning = {target(col({"d", "id"}))};
  CHECK(sql(stmt(del)) == "DELETE FROM t * AS d USING u, v WHERE d.id = u.id AND b RETURNING d.id");
}

TEST_CASE("MERGE") {
  MergeStmt m;
  m.target = relation({"t"});
  m.target.alias = Alias{"t0", {}};
  m.source = join(JoinExpr::Type::Inner, table({"a"}), table({"b"}), col({"x"}));
  m.on = binop("=", col({"t0", "id"}), col({"a", "id"}));
  MergeWhen upd;
  upd.matched = true;
  upd.condition = binop(">", col({"a", "v"}), num("0"));
  upd.action = MergeWhen::Action::Update;
  upd.set = {setOne("v", col({"a", "v"}))};
  MergeWhen del;
  del.action = MergeWhen::Action::Delete;
  MergeWhen ins;
  ins.matched = false;
  ins.action = MergeWhen::Action::Insert;
  ins.insert_columns = {TargetColumn{"id", {}}, TargetColumn{"v", {}}};
  ins.overriding = Overriding::UserValue;
  ins.insert_values = {col({"a", "id"}), Expr{DefaultExpr{}, {}}};
  MergeWhen def;
  def.matched = false;
  def.action = MergeWhen::Action::Insert;
  def.default_values = true;
  MergeWhen nothing;
  nothing.matched = false;
  nothing.action = MergeWhen::Action::DoNothing;
  m.whens = {upd, del, ins, def, nothing};
  CHECK(sql(stmt(m)) ==
        "MERGE INTO t AS t0 USING (a JOIN b ON x) ON t0.id = a.id WHEN MATCHED AND a.v > 0 THEN "
        "UPDATE SET v = a.v WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT (id, v) "
        "OVERRIDING USER VALUE VALUES (a.id, DEFAULT) WHEN NOT MATCHED THEN INSERT DEFAULT VALUES "
        "WHEN NOT MATCHED THEN DO NOTHING");
}

TEST_CASE("EXPLAIN, PREPARE, EXECUTE, DECLARE") {
  Statement query = stmt(selectOf({target(a())}, {table({"t"})}));

  ExplainStmt plain;
  plain.statement = query;
  CHECK(sql(stmt(plain)) == "EXPLAIN SELECT a FROM t");
  ExplainStmt opts;
  opts.statement = query;
  opts.options = {GenericOption{"analyze", ""}, GenericOption{"format", "json"},
                  GenericOption{"costs", "false"}};
  CHECK(sql(stmt(opts)) == "EXPLAIN (analyze, format json, costs false) SELECT a FROM t");

  PrepareStmt prep;
  prep.name = "q1";
  TypeName text_array = generic({"text"});
  text_array.array_bounds = {-1};
  prep.param_types = {type(K::Integer), text_array};
  prep.statement = query;
  CHECK(sql(stmt(prep)) == "PREPARE q1(integer, text[]) AS SELECT a FROM t");
  prep.param_types.clear();
  CHECK(sql(stmt(prep)) == "PREPARE q1 AS SELECT a FROM t");

  ExecuteStmt exec;
  exec.name = "Q1";
  CHECK(sql(stmt(exec)) == "EXECUTE \"Q1\"");
  exec.params = {num("1"), str("x")};
  CHECK(sql(stmt(exec)) == "EXECUTE \"Q1\"(1, 'x')");

  DeclareCursorStmt decl;
  decl.name = "c";
  decl.options = {"BINARY", "NO SCROLL", "WITH HOLD"};
  decl.query = query;
  CHECK(sql(stmt(decl)) == "DECLARE c BINARY NO SCROLL CURSOR WITH HOLD FOR SELECT a FROM t");
  decl.options = {"WITHOUT", "HOLD"};
  CHECK(sql(stmt(decl)) == "DECLARE c CURSOR WITHOUT HOLD FOR SELECT a FROM t");
  decl.options.clear();
  CHECK(sql(stmt(decl)) == "DECLARE c CURSOR FOR SELECT a FROM t");
}

TEST_CASE("COPY") {
  CopyStmt from;
  from.relation = relation({"s", "t"});
  from.columns = {"a", "B"};
  from.is_from = true;
  from.target = CopyStmt::Target::Stdin;
  from.options = {GenericOption{"format", "csv"}, GenericOption{"header", ""},
                  GenericOption{"delimiter", "';'"}};
  from.where = binop(">", a(), num("0"));
  CHECK(sql(stmt(from)) ==
        "COPY s.t (a, \"B\") FROM STDIN (FORMAT csv, HEADER, DELIMITER ';') WHERE a > 0");

  CopyStmt legacy;
  legacy.relation = relation({"t"});
  legacy.binary = false;
  legacy.is_from = true;
  legacy.target = CopyStmt::Target::File;
  legacy.filename = "/tmp/it's.csv";
  legacy.legacy_options = true;
  legacy.options = {GenericOption{"CSV", ""}, GenericOption{"DELIMITER", "','"},
                    GenericOption{"FORCE QUOTE", "a, b"}};
  CHECK(sql(stmt(legacy)) == "COPY t FROM '/tmp/it''s.csv' CSV DELIMITER ',' FORCE QUOTE a, b");

  CopyStmt to;
  to.query = stmt(selectOf({target(a())}, {table({"t"})}));
  to.target = CopyStmt::Target::Program;
  to.filename = "gzip > /tmp/x.gz";
  CHECK(sql(stmt(to)) == "COPY (SELECT a FROM t) TO PROGRAM 'gzip > /tmp/x.gz'");

  CopyStmt binary;
  binary.relation = relation({"t"});
  binary.binary = true;
  CHECK(sql(stmt(binary)) == "COPY BINARY t TO STDOUT");
}

UtilityStmt utility(std::vector<OpaquePiece> pieces) {
  UtilityStmt u;
  u.pieces = std::move(pieces);
  return u;
}

OpaquePiece token(std::string s) {
  return OpaquePiece{std::move(s)};
}

TEST_CASE("utility statements print their pieces") {
  UtilityStmt view =
      utility({token("CREATE"), token("VIEW"), token("v"), token("AS"),
               OpaquePiece{Box<Statement>(stmt(selectOf({target(a())}, {table({"t"})})))}});
  CHECK(sql(stmt(view)) == "CREATE VIEW v AS SELECT a FROM t");

  UtilityStmt check =
      utility({token("ALTER"), token("TABLE"), token("t"), token("ADD"), token("CHECK"), token("("),
               OpaquePiece{Box<Expr>(binop(">", a(), num("0")))}, token(")")});
  CHECK(sql(stmt(check)) == "ALTER TABLE t ADD CHECK ( a > 0 )");
  CHECK(toSql(stmt(check), PrintOptions{true}) == "ALTER TABLE t ADD CHECK ( a > ? )");

  UtilityStmt set = utility({token("SET"), token("work_mem"), token("="), token("'64MB'")});
  CHECK(sql(stmt(set)) == "SET work_mem = '64MB'");
  CHECK(toSql(stmt(set), PrintOptions{true}) == "SET work_mem = ?");

  UtilityStmt literals =
      utility({token("X"), token("42"), token(".5"), token("e'a'"), token("B'1'"), token("x'F'"),
               token("N'n'"), token("U&'u'"), token("$$body$$"), token("$q$b$q$"), token("$1"),
               token("E"), token("name")});
  // Fingerprints also fold unquoted words as PostgreSQL does: keywords to
  // upper case, other names to lower case; quoted names stay as written.
  // Dollar-quoted bodies are code in utility statements and stay as written.
  CHECK(toSql(stmt(literals), PrintOptions{true}) == "x ? ? ? ? ? ? ? $$body$$ $q$b$q$ $1 e NAME");
  UtilityStmt mixed = utility({token("Grant"), token("select"), token("ON"), token("My_Table"),
                               token("TO"), token("\"Bob\""), token(";")});
  CHECK(toSql(stmt(mixed), PrintOptions{true}) == "GRANT SELECT ON my_table TO \"Bob\" ;");
  CHECK(sql(stmt(mixed)) == "Grant select ON My_Table TO \"Bob\" ;");
}

TEST_CASE("normalized printing replaces constants, not syntax") {
  PrintOptions normalize{true};
  SelectStmt s = selectOf(
      {target(str("x")), target(cast(str("1 day"), type(K::Interval), TypeCast::Syntax::Prefix))},
      {table({"t"})});
  TypeName numeric = type(K::Numeric);
  numeric.modifiers = {num("10"), num("2")};
  InExpr in;
  in.arg = a();
  in.list = {num("1"), prefix("-", num("2")), null()};
  s.where =
      andOf({Expr{in, {}}, binop("=", cast(b(), numeric), lit(Literal::Kind::Boolean, "true")),
             binop("=", c(), prefix("-", a()))});
  s.limit_count = num("10");
  s.targets.push_back(target(special(SpecialFunc::Kind::CurrentTime, {num("3")})));
  CHECK(toSql(s, normalize) ==
        "SELECT ?, interval ?, CURRENT_TIME(3) FROM t WHERE a IN (?, ?, ?) AND b::numeric(10, 2) = "
        "? AND c = -a LIMIT ?");
}

Statement selectWhere(Expr where) {
  SelectStmt s = selectOf({target(a())}, {table({"t"})});
  s.where = std::move(where);
  return stmt(s);
}

TEST_CASE("fingerprints ignore constants and keep the shape") {
  const Fingerprint f1 = fingerprint(selectWhere(binop("=", b(), num("1"))));
  const Fingerprint f2 = fingerprint(selectWhere(binop("=", b(), num("9999"))));
  const Fingerprint f3 = fingerprint(selectWhere(binop("=", b(), prefix("-", num("5")))));
  const Fingerprint f4 = fingerprint(selectWhere(binop("=", b(), str("text"))));
  CHECK(f1.normalized == "SELECT a FROM t WHERE b = ?");
  CHECK(f1.hash == f2.hash);
  CHECK(f1.hash == f3.hash);
  CHECK(f1.hash == f4.hash);
  CHECK(f1.hex() == f2.hex());

  const Fingerprint other_column = fingerprint(selectWhere(binop("=", c(), num("1"))));
  const Fingerprint other_op = fingerprint(selectWhere(binop("<", b(), num("1"))));
  const Fingerprint param_instead = fingerprint(selectWhere(binop("=", b(), param(1))));
  CHECK(other_column.hash != f1.hash);
  CHECK(other_op.hash != f1.hash);
  CHECK(param_instead.hash != f1.hash);

  CHECK(f1.hex().size() == 16);
  CHECK(f1.hex().find_first_not_of("0123456789abcdef") == std::string::npos);

  // Published FNV-1a 64 test vectors: "" and "a".
  const Fingerprint empty = fingerprint(stmt(UtilityStmt{}));
  CHECK(empty.normalized.empty());
  CHECK(empty.hash == 0xcbf29ce484222325ULL);
  CHECK(empty.hex() == "cbf29ce484222325");
  const Fingerprint one = fingerprint(stmt(utility({token("a")})));
  CHECK(one.hex() == "af63dc4c8601ec8c");
}

}  // namespace
}  // namespace sqlwarden::sql::test
