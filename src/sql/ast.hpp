#pragma once
// sqlwarden's own SQL syntax tree.
//
// Plain structs with named clause slots, in the spirit of DuckDB's parser
// nodes and PostgreSQL's raw parse tree. Every node is a value: copying clones
// it deeply, `==` compares structure (spans are ignored, see Span), and a
// rewrite can replace any child in place through a `Box<T>&` or a vector slot.
//
// Nothing here knows about ANTLR: the transformer (src/sql/parser/) builds
// these nodes and the printer (printer.cpp) turns them back into SQL.
//
// Names are stored as PostgreSQL resolves them: unquoted identifiers folded to
// lower case, quoted identifiers exactly as written (U&"..." decoded). The
// printer quotes whatever would not read back as the same name.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/span.hpp"

namespace sqlwarden::sql {

/// An owning pointer with value semantics: copy clones, == compares pointees.
/// May be empty (an absent optional clause); two empty boxes compare equal.
template <class T>
class Box {
 public:
  Box() = default;
  Box(T value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit by design
  Box(const Box& other) : p_(other.p_ ? std::make_unique<T>(*other.p_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) p_ = other.p_ ? std::make_unique<T>(*other.p_) : nullptr;
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;

  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() const { return *p_; }
  T* operator->() const { return p_.get(); }
  T* get() const { return p_.get(); }
  /// The underlying pointer, for rewrites that swap a child in place.
  std::unique_ptr<T>& ptr() { return p_; }

  bool operator==(const Box& other) const {
    if (!p_ || !other.p_) return !p_ && !other.p_;
    return *p_ == *other.p_;
  }

 private:
  std::unique_ptr<T> p_;
};

struct Expr;
struct SelectStmt;
struct Statement;
struct TableRef;

using ExprPtr = Box<Expr>;
using ExprList = std::vector<Expr>;

/// A possibly qualified name: `t`, `s.t`, `db.s.t`. Each part already folded.
struct QualifiedName {
  std::vector<std::string> parts;
  bool operator==(const QualifiedName&) const = default;
  const std::string& last() const { return parts.back(); }
};

// ---------------------------------------------------------------------------
// Types

/// A type name as written: `int`, `numeric(10,2)`, `timestamp(3) with time
/// zone`, `interval day to second`, `public.mytype[]`, `character varying(20)`.
struct TypeName {
  /// The SQL-standard spellings PostgreSQL has dedicated grammar for; they are
  /// printed in that spelling. `Generic` is any other (possibly qualified) name.
  enum class Kind {
    Generic,
    SmallInt, Integer, BigInt, Real, DoublePrecision, Numeric, Decimal, Float, Boolean,
    Bit, BitVarying, Char, Varchar, NChar, NCharVarying,
    Timestamp, TimestampTz, Time, TimeTz, Interval, Json,
  };
  Kind kind = Kind::Generic;
  QualifiedName name;           ///< only for Generic
  bool setof = false;           ///< `SETOF type` (function signatures)
  ExprList modifiers;           ///< `(10, 2)` or `(3)` precision for time types
  std::string interval_fields;  ///< `DAY TO SECOND`, upper case, single spaces
  std::vector<int64_t> array_bounds;  ///< one entry per `[]`; -1 when no bound given
  bool array_keyword = false;   ///< written `ARRAY` / `ARRAY[n]` rather than `[]`
  std::optional<QualifiedName> percent_type;  ///< `tab.col%TYPE` (name stored here)
  Span span;
  bool operator==(const TypeName&) const = default;
};

// ---------------------------------------------------------------------------
// Expressions

/// `a`, `t.a`, `s.t.a`, `*`, `t.*`.
struct ColumnRef {
  std::vector<std::string> fields;
  bool star = false;  ///< the reference ends in `*`
  bool operator==(const ColumnRef&) const = default;
};

/// `$1`.
struct ParamRef {
  int32_t number = 0;
  bool operator==(const ParamRef&) const = default;
};

/// A literal constant. `value` holds the decoded value for strings and the
/// source digits for numbers (`1_000` kept as written is not allowed: the
/// transformer stores digits without separators).
struct Literal {
  enum class Kind { Integer, Numeric, String, BitString, HexString, Boolean, Null };
  Kind kind = Kind::Null;
  std::string value;  ///< strings decoded; numbers as digits; "true"/"false"
  bool operator==(const Literal&) const = default;
};

/// `DEFAULT` where a value is expected (VALUES lists, UPDATE SET).
struct DefaultExpr {
  bool operator==(const DefaultExpr&) const = default;
};

struct SortBy;
struct WindowDef;

/// One argument of a function call; `name => value` when `name` is set.
struct FuncArg {
  std::optional<std::string> name;
  Box<Expr> value;
  bool operator==(const FuncArg&) const = default;
};

/// A frame bound inside a window specification.
struct FrameBound {
  enum class Kind { UnboundedPreceding, Preceding, CurrentRow, Following, UnboundedFollowing };
  Kind kind = Kind::CurrentRow;
  ExprPtr offset;  ///< for Preceding / Following
  bool operator==(const FrameBound&) const = default;
};

struct WindowFrame {
  enum class Mode { Range, Rows, Groups };
  enum class Exclusion { None, CurrentRow, Group, Ties, NoOthers };
  Mode mode = Mode::Range;
  FrameBound start;
  std::optional<FrameBound> end;  ///< set when written `BETWEEN start AND end`
  Exclusion exclusion = Exclusion::None;
  bool operator==(const WindowFrame&) const = default;
};

/// Function call, aggregate or window function:
/// `f(a, b => c)`, `count(*)`, `agg(DISTINCT x ORDER BY y) FILTER (WHERE p)`,
/// `pct(0.5) WITHIN GROUP (ORDER BY x)`, `rank() OVER w`.
struct FuncCall {
  QualifiedName name;
  std::vector<FuncArg> args;
  bool star = false;          ///< `f(*)`
  bool distinct = false;      ///< `f(DISTINCT ...)`
  bool all = false;           ///< `f(ALL ...)` (kept so it prints back)
  bool variadic = false;      ///< the last argument is `VARIADIC expr`
  std::vector<SortBy> order_by;  ///< inside the parentheses
  bool within_group = false;  ///< order_by is a WITHIN GROUP clause instead
  ExprPtr filter;             ///< FILTER (WHERE ...)
  Box<WindowDef> over;        ///< OVER (...) or OVER name
  bool operator==(const FuncCall&) const = default;
};

/// Functions with SQL-standard syntax of their own. Printed in that syntax,
/// so the output runs on every PostgreSQL version (11 to 16).
struct SpecialFunc {
  enum class Kind {
    CurrentDate, CurrentTime, CurrentTimestamp, LocalTime, LocalTimestamp,  // args: [precision]
    CurrentRole, CurrentUser, SessionUser, SystemUser, User, CurrentCatalog, CurrentSchema,
    Extract,     // EXTRACT(word FROM a0)
    Position,    // POSITION(a0 IN a1)
    Substring,   // SUBSTRING(a0 FROM a1 FOR a2) / SIMILAR form when word == "SIMILAR"
    Overlay,     // OVERLAY(a0 PLACING a1 FROM a2 FOR a3)
    Trim,        // TRIM(word a0 FROM a1...) word: BOTH/LEADING/TRAILING or ""
    Coalesce, NullIf, Greatest, Least,  // f(args)
    Grouping,    // GROUPING(args)
    Normalize,   // NORMALIZE(a0 [, word])
    CollationFor,  // COLLATION FOR (a0)
    Treat,       // TREAT(a0 AS type) -- type in `type`
    XmlConcat, XmlElement, XmlForest, XmlParse, XmlPi, XmlRoot, XmlSerialize, XmlExists,
    // SQL/JSON constructors (PostgreSQL 16). args: values (JSON_OBJECT and
    // JSON_OBJECTAGG: key, value, key, value, ...); arg_names: the FORMAT
    // clause written after each arg ("" when none); word: the trailing
    // clauses (ABSENT ON NULL, WITH UNIQUE KEYS, RETURNING type ...) as
    // written, single-spaced.
    JsonObject, JsonArray, JsonObjectAgg, JsonArrayAgg,
  };
  Kind kind = Kind::Coalesce;
  ExprList args;
  std::string word;                   ///< EXTRACT field, TRIM side, form, XML name...
  std::vector<std::string> arg_names;  ///< XML attribute / forest names (parallel to args, "" = none)
  Box<TypeName> type;                  ///< TREAT / XMLSERIALIZE target type
  std::vector<SortBy> order_by;  ///< JSON_ARRAYAGG(v ORDER BY ...)
  ExprPtr filter;                ///< JSON_ARRAYAGG / JSON_OBJECTAGG ... FILTER (WHERE ...)
  Box<WindowDef> over;           ///< JSON_ARRAYAGG / JSON_OBJECTAGG ... OVER (...)
  Box<SelectStmt> query;         ///< JSON_ARRAY(SELECT ...)
  bool operator==(const SpecialFunc&) const = default;
};

/// Binary or prefix operator: `a + b`, `-a`, `a OPERATOR(pg_catalog.=) b`.
struct OpExpr {
  std::vector<std::string> op;  ///< symbol, optionally schema-qualified
  bool explicit_syntax = false;  ///< written as OPERATOR(...)
  ExprPtr left;                  ///< empty for a prefix operator
  ExprPtr right;
  bool operator==(const OpExpr&) const = default;
};

/// AND / OR (flattened, two or more args) and NOT (one arg).
struct BoolExpr {
  enum class Op { And, Or, Not };
  Op op = Op::And;
  ExprList args;
  bool operator==(const BoolExpr&) const = default;
};

/// `a [NOT] LIKE|ILIKE|SIMILAR TO b [ESCAPE c]`.
struct LikeExpr {
  enum class Kind { Like, ILike, SimilarTo };
  Kind kind = Kind::Like;
  bool negated = false;
  ExprPtr arg, pattern, escape;
  bool operator==(const LikeExpr&) const = default;
};

/// `a [NOT] BETWEEN [SYMMETRIC] lo AND hi`.
struct BetweenExpr {
  bool negated = false;
  bool symmetric = false;
  ExprPtr arg, low, high;
  bool operator==(const BetweenExpr&) const = default;
};

/// `a [NOT] IN (list)` or `a [NOT] IN (subquery)`.
struct InExpr {
  bool negated = false;
  ExprPtr arg;
  ExprList list;           ///< when subquery is empty
  Box<SelectStmt> subquery;
  bool operator==(const InExpr&) const = default;
};

/// `a op ANY|ALL (array-expr)` or `a op ANY|ALL (subquery)`; SOME is ANY.
struct QuantifiedExpr {
  std::vector<std::string> op;
  bool explicit_syntax = false;
  bool all = false;
  ExprPtr left;
  ExprPtr right;           ///< array expression, when subquery is empty
  Box<SelectStmt> subquery;
  bool operator==(const QuantifiedExpr&) const = default;
};

/// `a IS [NOT] NULL | TRUE | FALSE | UNKNOWN | DOCUMENT | [form] NORMALIZED |
/// DISTINCT FROM b | JSON ...`. ISNULL / NOTNULL are stored as IS [NOT] NULL.
struct IsExpr {
  enum class Kind { Null, True, False, Unknown, Document, Normalized, DistinctFrom, Json };
  Kind kind = Kind::Null;
  bool negated = false;
  ExprPtr arg;
  ExprPtr other;     ///< DistinctFrom
  std::string word;  ///< NORMALIZED form (NFC...), JSON type (VALUE/OBJECT/ARRAY/SCALAR)
  bool operator==(const IsExpr&) const = default;
};

/// `a::t`, `CAST(a AS t)`, `t 'literal'`.
struct TypeCast {
  enum class Syntax { DoubleColon, Cast, Prefix };
  Syntax syntax = Syntax::DoubleColon;
  ExprPtr arg;
  Box<TypeName> type;  ///< boxed: TypeName is large and casts are not the common node
  bool operator==(const TypeCast&) const = default;
};

/// `a COLLATE name`.
struct CollateExpr {
  ExprPtr arg;
  QualifiedName collation;
  bool operator==(const CollateExpr&) const = default;
};

/// `a AT TIME ZONE z`.
struct AtTimeZone {
  ExprPtr arg, zone;
  bool operator==(const AtTimeZone&) const = default;
};

struct CaseWhen {
  Box<Expr> condition, result;
  bool operator==(const CaseWhen&) const = default;
};

/// `CASE [arg] WHEN ... THEN ... [ELSE ...] END`.
struct CaseExpr {
  ExprPtr arg;
  std::vector<CaseWhen> whens;
  ExprPtr else_result;
  bool operator==(const CaseExpr&) const = default;
};

/// `(SELECT ...)`, `EXISTS (SELECT ...)`, `ARRAY(SELECT ...)`.
struct SubqueryExpr {
  enum class Kind { Scalar, Exists, Array };
  Kind kind = Kind::Scalar;
  Box<SelectStmt> query;
  bool operator==(const SubqueryExpr&) const = default;
};

/// `ARRAY[a, b]`; nested brackets inside are ArrayExprs with `bare` set.
struct ArrayExpr {
  ExprList elements;
  bool bare = false;  ///< `[...]` inside an outer ARRAY[...]
  bool operator==(const ArrayExpr&) const = default;
};

/// `ROW(a, b)`, `ROW()` or `(a, b)`.
struct RowExpr {
  ExprList args;
  bool explicit_row = false;
  bool operator==(const RowExpr&) const = default;
};

/// One step of `expr[1]`, `expr[1:2]`, `expr[:]`, `(expr).field`, `(expr).*`.
struct IndirectionItem {
  enum class Kind { Field, Star, Subscript, Slice };
  Kind kind = Kind::Field;
  std::string field;
  ExprPtr lower, upper;  ///< Subscript uses lower; Slice may leave either empty
  bool operator==(const IndirectionItem&) const = default;
};

struct Indirection {
  ExprPtr arg;
  std::vector<IndirectionItem> items;
  bool operator==(const Indirection&) const = default;
};

/// `expr OVERLAPS expr` on two row constructors.
struct OverlapsExpr {
  ExprPtr left, right;
  bool operator==(const OverlapsExpr&) const = default;
};

/// Any expression. `node` holds the alternative; `span` where it was written.
struct Expr {
  using Node = std::variant<ColumnRef, ParamRef, Literal, DefaultExpr, FuncCall, SpecialFunc,
                            OpExpr, BoolExpr, LikeExpr, BetweenExpr, InExpr, QuantifiedExpr,
                            IsExpr, TypeCast, CollateExpr, AtTimeZone, CaseExpr, SubqueryExpr,
                            ArrayExpr, RowExpr, Indirection, OverlapsExpr>;
  Node node;
  Span span;

  template <class T>
  T* as() { return std::get_if<T>(&node); }
  template <class T>
  const T* as() const { return std::get_if<T>(&node); }
  bool operator==(const Expr&) const = default;
};

/// `expr [ASC|DESC|USING op] [NULLS FIRST|LAST]`.
struct SortBy {
  enum class Dir { Default, Asc, Desc, Using };
  enum class Nulls { Default, First, Last };
  Expr expr;
  Dir dir = Dir::Default;
  std::vector<std::string> using_op;
  Nulls nulls = Nulls::Default;
  bool operator==(const SortBy&) const = default;
};

/// A window: `w AS (...)` in WINDOW, `OVER (...)`, or `OVER w`.
struct WindowDef {
  std::string name;      ///< name being defined (WINDOW clause) or referenced (`OVER w`)
  bool name_only = false;  ///< `OVER w` without parentheses
  std::string ref_name;  ///< `(w ORDER BY ...)` builds on an existing window
  ExprList partition_by;
  std::vector<SortBy> order_by;
  std::optional<WindowFrame> frame;
  bool operator==(const WindowDef&) const = default;
};

// ---------------------------------------------------------------------------
// FROM items

/// `AS alias (col, ...)`.
struct Alias {
  std::string name;
  std::vector<std::string> columns;
  bool operator==(const Alias&) const = default;
};

/// A column definition list entry: `AS t(a int, b text)` after a function.
struct ColumnDef {
  std::string name;
  TypeName type;
  std::optional<QualifiedName> collation;
  bool operator==(const ColumnDef&) const = default;
};

/// A table, view or other relation named in FROM, INSERT INTO, UPDATE, ...
struct RangeVar {
  QualifiedName name;
  bool only = false;          ///< `ONLY t` (no inheritance children)
  bool inherit_star = false;  ///< `t *` (explicitly with children)
  std::optional<Alias> alias;
  struct Sample {
    QualifiedName method;
    ExprList args;
    ExprPtr repeatable;
    bool operator==(const Sample&) const = default;
  };
  std::optional<Sample> tablesample;
  Span span;
  bool operator==(const RangeVar&) const = default;
};

/// `[LATERAL] (SELECT ...) [AS] a(cols)`.
struct RangeSubselect {
  bool lateral = false;
  Box<SelectStmt> query;
  std::optional<Alias> alias;
  bool operator==(const RangeSubselect&) const = default;
};

/// `[LATERAL] f(...) [WITH ORDINALITY] [AS] a(cols)` and `ROWS FROM (f(), g())`.
struct RangeFunction {
  struct Item {
    Expr call;
    std::vector<ColumnDef> column_defs;  ///< `f() AS (a int)` inside ROWS FROM
    bool operator==(const Item&) const = default;
  };
  bool lateral = false;
  bool rows_from = false;
  bool ordinality = false;
  std::vector<Item> functions;
  std::optional<Alias> alias;
  std::vector<ColumnDef> column_defs;  ///< `AS a(x int, y text)` / `AS (x int)`
  bool operator==(const RangeFunction&) const = default;
};

/// `left [NATURAL] {INNER|LEFT|RIGHT|FULL|CROSS} JOIN right [ON e | USING (c) [AS a]]`.
struct JoinExpr {
  enum class Type { Inner, Left, Right, Full, Cross };
  Type type = Type::Inner;
  bool natural = false;
  bool explicit_inner = false;  ///< written `INNER JOIN` rather than `JOIN`
  bool explicit_outer = false;  ///< written `LEFT OUTER JOIN`
  Box<TableRef> left, right;
  ExprPtr on;
  std::vector<std::string> using_columns;
  std::optional<std::string> using_alias;
  std::optional<Alias> alias;  ///< `(a JOIN b ON ...) AS j`
  bool operator==(const JoinExpr&) const = default;
};

/// `[LATERAL] XMLTABLE([XMLNAMESPACES(...),] row PASSING doc COLUMNS ...) [AS] a(cols)`.
/// (BY REF / BY VALUE after PASSING are accepted and, as in PostgreSQL,
/// ignored.)
struct RangeXmlTable {
  struct Namespace {
    std::string name;  ///< "" for DEFAULT
    Expr uri;
    bool operator==(const Namespace&) const = default;
  };
  struct Column {
    enum class Nullability { Unspecified, NotNull, Null };
    std::string name;
    bool for_ordinality = false;
    std::optional<TypeName> type;
    ExprPtr path;
    ExprPtr default_value;
    Nullability nullability = Nullability::Unspecified;
    bool operator==(const Column&) const = default;
  };
  bool lateral = false;
  std::vector<Namespace> namespaces;
  Expr row_expr;
  Expr document;
  std::vector<Column> columns;
  std::optional<Alias> alias;
  bool operator==(const RangeXmlTable&) const = default;
};

struct TableRef {
  using Node = std::variant<RangeVar, RangeSubselect, RangeFunction, JoinExpr, RangeXmlTable>;
  Node node;
  Span span;
  template <class T>
  T* as() { return std::get_if<T>(&node); }
  template <class T>
  const T* as() const { return std::get_if<T>(&node); }
  bool operator==(const TableRef&) const = default;
};

// ---------------------------------------------------------------------------
// Queries

struct ResTarget {
  Expr value;  ///< `*` and `t.*` are ColumnRefs with star set
  std::optional<std::string> name;
  bool operator==(const ResTarget&) const = default;
};

struct CommonTableExpr {
  enum class Materialized { Default, Yes, No };
  std::string name;
  std::vector<std::string> columns;
  Materialized materialized = Materialized::Default;
  Box<Statement> query;  ///< SELECT, or INSERT/UPDATE/DELETE/MERGE (data-modifying CTE)
  struct Search {
    bool breadth_first = false;
    std::vector<std::string> columns;
    std::string set_column;
    bool operator==(const Search&) const = default;
  };
  struct Cycle {
    std::vector<std::string> columns;
    std::string set_column;
    ExprPtr mark_value, mark_default;  ///< both empty when `TO ... DEFAULT` omitted
    std::string path_column;
    bool operator==(const Cycle&) const = default;
  };
  std::optional<Search> search;
  std::optional<Cycle> cycle;
  bool operator==(const CommonTableExpr&) const = default;
};

struct WithClause {
  bool recursive = false;
  std::vector<CommonTableExpr> ctes;
  bool operator==(const WithClause&) const = default;
};

/// A GROUP BY item: an expression, `()`, ROLLUP, CUBE or GROUPING SETS.
struct GroupingElem {
  enum class Kind { Expr, Empty, Rollup, Cube, Sets };
  Kind kind = Kind::Expr;
  ExprList exprs;  ///< Expr (one), Rollup, Cube
  std::vector<GroupingElem> sets;  ///< Sets
  bool operator==(const GroupingElem&) const = default;
};

/// `FOR UPDATE|NO KEY UPDATE|SHARE|KEY SHARE [OF t, ...] [NOWAIT|SKIP LOCKED]`.
struct LockingClause {
  enum class Strength { Update, NoKeyUpdate, Share, KeyShare };
  enum class Wait { Block, NoWait, SkipLocked };
  Strength strength = Strength::Update;
  std::vector<QualifiedName> of;
  Wait wait = Wait::Block;
  bool operator==(const LockingClause&) const = default;
};

/// `SELECT ... INTO [TEMP|UNLOGGED] [TABLE] name`.
struct IntoClause {
  std::string persistence;  ///< "", "TEMPORARY", "TEMP", "UNLOGGED", "LOCAL TEMP", ...
  bool table_keyword = false;
  QualifiedName name;
  bool operator==(const IntoClause&) const = default;
};

/// A query: plain SELECT, VALUES, TABLE t, or a set operation; with the
/// clauses that may follow any of them (ORDER BY, LIMIT, OFFSET, FOR UPDATE).
struct SelectStmt {
  enum class Kind { Select, Values, Table, SetOp };
  enum class SetOp { Union, Intersect, Except };
  enum class LimitStyle { Limit, FetchFirst, FetchWithTies };

  Kind kind = Kind::Select;
  Box<WithClause> with;

  // Kind::Select
  bool distinct = false;
  bool all = false;       ///< `SELECT ALL` written out
  ExprList distinct_on;   ///< DISTINCT ON (...), implies distinct
  std::vector<ResTarget> targets;
  std::optional<IntoClause> into;
  std::vector<TableRef> from;
  ExprPtr where;
  bool group_distinct = false;  ///< GROUP BY DISTINCT
  std::vector<GroupingElem> group_by;
  ExprPtr having;
  std::vector<WindowDef> windows;

  // Kind::Values
  std::vector<ExprList> values;

  // Kind::Table
  std::optional<RangeVar> table;

  // Kind::SetOp
  SetOp op = SetOp::Union;
  bool set_all = false;
  bool set_distinct = false;  ///< `UNION DISTINCT` written out
  Box<SelectStmt> left, right;

  // Trailing clauses, any kind
  std::vector<SortBy> order_by;
  ExprPtr limit_count;
  bool limit_all = false;  ///< `LIMIT ALL`
  ExprPtr offset;
  LimitStyle limit_style = LimitStyle::Limit;
  std::vector<LockingClause> locking;

  Span span;
  bool operator==(const SelectStmt&) const = default;
};

// ---------------------------------------------------------------------------
// Data changes

/// A SET / INSERT target column with optional subscripts or fields: `a`, `a[1]`, `c.f`.
struct TargetColumn {
  std::string name;
  std::vector<IndirectionItem> indirection;
  bool operator==(const TargetColumn&) const = default;
};

/// `col = expr` or `(a, b) = (row or subquery)` in UPDATE / ON CONFLICT / MERGE.
struct SetClause {
  std::vector<TargetColumn> columns;
  bool multi = false;  ///< parenthesized column list
  Expr value;
  bool operator==(const SetClause&) const = default;
};

/// An index element in ON CONFLICT (...): column or (expression), with options.
struct IndexElem {
  Expr expr;
  bool parenthesized = false;
  std::optional<QualifiedName> collation;
  std::optional<QualifiedName> opclass;
  bool operator==(const IndexElem&) const = default;
};

struct OnConflict {
  enum class Action { Nothing, Update };
  std::vector<IndexElem> target;
  ExprPtr target_where;
  std::string constraint;  ///< ON CONSTRAINT name
  Action action = Action::Nothing;
  std::vector<SetClause> set;
  ExprPtr where;
  bool operator==(const OnConflict&) const = default;
};

enum class Overriding { None, SystemValue, UserValue };

struct InsertStmt {
  Box<WithClause> with;
  RangeVar relation;  ///< may carry `AS alias`
  std::vector<TargetColumn> columns;
  Overriding overriding = Overriding::None;
  Box<SelectStmt> source;  ///< empty means DEFAULT VALUES
  std::optional<OnConflict> on_conflict;
  std::vector<ResTarget> returning;
  Span span;
  bool operator==(const InsertStmt&) const = default;
};

struct UpdateStmt {
  Box<WithClause> with;
  RangeVar relation;
  std::vector<SetClause> set;
  std::vector<TableRef> from;
  ExprPtr where;
  std::string current_of;  ///< WHERE CURRENT OF cursor
  std::vector<ResTarget> returning;
  Span span;
  bool operator==(const UpdateStmt&) const = default;
};

struct DeleteStmt {
  Box<WithClause> with;
  RangeVar relation;
  std::vector<TableRef> using_;
  ExprPtr where;
  std::string current_of;
  std::vector<ResTarget> returning;
  Span span;
  bool operator==(const DeleteStmt&) const = default;
};

struct MergeWhen {
  enum class Action { Update, Delete, Insert, DoNothing };
  bool matched = true;
  ExprPtr condition;  ///< `AND cond`
  Action action = Action::DoNothing;
  std::vector<SetClause> set;              ///< Update
  std::vector<TargetColumn> insert_columns;  ///< Insert
  Overriding overriding = Overriding::None;
  ExprList insert_values;  ///< Insert; empty with default_values set
  bool default_values = false;
  bool operator==(const MergeWhen&) const = default;
};

struct MergeStmt {
  Box<WithClause> with;
  RangeVar target;
  TableRef source;
  Expr on;
  std::vector<MergeWhen> whens;
  Span span;
  bool operator==(const MergeStmt&) const = default;
};

// ---------------------------------------------------------------------------
// Statements that wrap other statements

/// A generic option `name [value]` of EXPLAIN / COPY (...).
struct GenericOption {
  std::string name;   ///< folded
  std::string value;  ///< source text of the value, "" when absent
  bool operator==(const GenericOption&) const = default;
};

/// `EXPLAIN [ANALYZE] [VERBOSE] stmt` / `EXPLAIN (opts) stmt`. The legacy
/// keyword form is stored as options and printed in the parenthesized form.
struct ExplainStmt {
  std::vector<GenericOption> options;
  Box<Statement> statement;
  bool operator==(const ExplainStmt&) const = default;
};

/// `PREPARE name [(types)] AS stmt`.
struct PrepareStmt {
  std::string name;
  std::vector<TypeName> param_types;
  Box<Statement> statement;
  bool operator==(const PrepareStmt&) const = default;
};

/// `EXECUTE name [(params)]`.
struct ExecuteStmt {
  std::string name;
  ExprList params;
  bool operator==(const ExecuteStmt&) const = default;
};

/// `DECLARE name [BINARY] [[NO] SCROLL] [INSENSITIVE] CURSOR [WITH[OUT] HOLD] FOR query`.
struct DeclareCursorStmt {
  std::string name;
  std::vector<std::string> options;  ///< upper-case words between name and FOR
  Box<Statement> query;
  bool operator==(const DeclareCursorStmt&) const = default;
};

/// `COPY table [(cols)] FROM|TO ...` or `COPY (query) TO ...`.
struct CopyStmt {
  enum class Target { Stdin, Stdout, File, Program };
  std::optional<RangeVar> relation;
  std::vector<std::string> columns;
  Box<Statement> query;
  bool is_from = false;
  Target target = Target::Stdout;
  std::string filename;  ///< File / Program
  bool binary = false;   ///< old `COPY BINARY t`
  std::vector<GenericOption> options;  ///< `WITH (FORMAT csv, ...)` or legacy words
  bool legacy_options = false;          ///< options written without parentheses
  ExprPtr where;  ///< COPY FROM ... WHERE
  bool operator==(const CopyStmt&) const = default;
};

// ---------------------------------------------------------------------------
// Everything else

/// What an object named by a statement is.
enum class ObjectKind {
  Table, View, MaterializedView, Index, Sequence, Schema, Function, Procedure, Aggregate,
  Trigger, EventTrigger, Role, Policy, Extension, Type, Domain, Database, Tablespace,
  Cursor, PreparedStatement, Channel, Setting, Collation, Conversion, Language, Operator,
  Rule, Statistics, Publication, Subscription, Server, ForeignTable, ForeignDataWrapper,
  TextSearch, AccessMethod, Cast, Transform, Savepoint, Column, Constraint, Other,
};

/// An object a statement names, e.g. the table of `CREATE INDEX ... ON t`.
struct ObjectRef {
  ObjectKind kind = ObjectKind::Other;
  QualifiedName name;
  bool operator==(const ObjectRef&) const = default;
};

/// A piece of an opaque statement: a token as written, or an embedded
/// statement or expression that later stages can see and rewrite.
struct OpaquePiece {
  std::variant<std::string, Box<Statement>, Box<Expr>> value;
  bool operator==(const OpaquePiece&) const = default;
};

/// A statement sqlwarden recognises but keeps opaque: its command tag, the
/// objects it names, and its tokens. DDL, transaction control, SET/SHOW, ...
struct UtilityStmt {
  std::vector<ObjectRef> objects;
  std::vector<OpaquePiece> pieces;
  bool operator==(const UtilityStmt&) const = default;
};

/// A statement's command tag as PostgreSQL reports it (SELECT, CREATE TABLE,
/// ALTER TABLE, BEGIN, ...) is in Statement::tag.
struct Statement {
  using Node = std::variant<SelectStmt, InsertStmt, UpdateStmt, DeleteStmt, MergeStmt,
                            ExplainStmt, PrepareStmt, ExecuteStmt, DeclareCursorStmt, CopyStmt,
                            UtilityStmt>;
  std::string tag;
  Node node;
  Span span;
  template <class T>
  T* as() { return std::get_if<T>(&node); }
  template <class T>
  const T* as() const { return std::get_if<T>(&node); }
  bool operator==(const Statement&) const = default;
};

}  // namespace sqlwarden::sql
