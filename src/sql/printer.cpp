#include "sql/printer.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sql/keywords.hpp"

namespace sqlwarden::sql {

namespace {

/// How tightly an expression binds as printed, loosest first. Mirrors
/// PostgreSQL's precedence table (gram.y), which grammar/SqlParser.g4 follows.
/// `PrefixOp` (a prefix operator with a generic symbol, `@ a`) sits just below
/// the binary generic operators: PostgreSQL reduces `@ a || b` as `(@ a) || b`
/// while an ANTLR prefix alternative would swallow `a || b`, so such an
/// expression is parenthesized whenever a generic operator surrounds it.
enum class Prec : int {
  Or,
  And,
  Not,
  Is,          // IS ..., ISNULL, IS DISTINCT FROM (and OVERLAPS, to be safe)
  Comparison,  // = < > <= >= <> !=
  LikeIn,      // LIKE ILIKE SIMILAR BETWEEN IN
  PrefixOp,    // `op a` with a generic symbol
  OtherOp,     // `a op b` with any other symbol, OPERATOR(...), op ANY/ALL (...)
  AddSub,
  MulDiv,
  Exp,
  AtTimeZone,
  Collate,
  Unary,  // prefix + and -, and numeric literals written with a sign
  Cast,   // a::t
  Primary,
};

Prec next(Prec p) {
  return static_cast<Prec>(static_cast<int>(p) + 1);
}

bool isComparisonSymbol(std::string_view op) {
  return op == "=" || op == "<" || op == ">" || op == "<=" || op == ">=" || op == "<>" ||
         op == "!=";
}

/// The level of a binary operator symbol written without OPERATOR(...).
Prec symbolPrec(std::string_view op) {
  if (isComparisonSymbol(op)) return Prec::Comparison;
  if (op == "+" || op == "-") return Prec::AddSub;
  if (op == "*" || op == "/" || op == "%") return Prec::MulDiv;
  if (op == "^") return Prec::Exp;
  // LIKE / ILIKE (possibly NOT) in `a LIKE ANY (...)`.
  if (!op.empty() && ((op[0] >= 'A' && op[0] <= 'Z') || (op[0] >= 'a' && op[0] <= 'z'))) {
    return Prec::LikeIn;
  }
  return Prec::OtherOp;
}

bool isSimpleSymbol(const std::vector<std::string>& op, bool explicit_syntax) {
  return !explicit_syntax && op.size() == 1;
}

bool isNumeric(const Literal& lit) {
  return lit.kind == Literal::Kind::Integer || lit.kind == Literal::Kind::Numeric;
}

/// A numeric literal whose digits carry a sign (never made by the transformer,
/// which parses `-1` as a prefix operator, but a rewrite may build one).
bool isSignedNumber(const Literal& lit) {
  return isNumeric(lit) && !lit.value.empty() && (lit.value[0] == '-' || lit.value[0] == '+');
}

/// A prefix `+` / `-` written with the plain symbol.
bool isSignOp(const OpExpr& op) {
  return !op.left && isSimpleSymbol(op.op, op.explicit_syntax) &&
         (op.op[0] == "-" || op.op[0] == "+");
}

/// `-1`, `+2.5`: one constant for fingerprinting, as PostgreSQL's grammar
/// folds a sign into a numeric constant.
bool isSignedConstant(const OpExpr& op) {
  if (!isSignOp(op) || !op.right) return false;
  const auto* lit = op.right->as<Literal>();
  return lit != nullptr && isNumeric(*lit);
}

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}
bool isIdentChar(char c) {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$';
}

/// An EXTRACT field that reads back unchanged written bare (`epoch`,
/// `timezone_hour`); anything else is written as a string, which PostgreSQL
/// accepts there too.
bool isExtractField(std::string_view s) {
  if (s.empty() || !isIdentStart(s[0])) return false;
  if (!std::all_of(s.begin(), s.end(),
                   [](char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); })) {
    return false;
  }
  const auto category = keywordCategory(s);
  return !category || *category != KeywordCategory::Reserved;
}

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != prefix[i]) return false;
  }
  return true;
}

/// Whether an opaque token of a utility statement is a constant: a number or
/// a string in any of its quoted spellings. A dollar-quoted token is not: in
/// a utility statement it is code (a DO block, a function body), and two
/// different bodies must not share a fingerprint, or approving one would
/// approve the other.
bool isLiteralToken(std::string_view tok) {
  if (tok.empty()) return false;
  const char c = tok[0];
  if (c >= '0' && c <= '9') return true;
  if (c == '.' && tok.size() > 1 && tok[1] >= '0' && tok[1] <= '9') return true;
  if (c == '\'') return true;
  for (std::string_view prefix : {"E'", "B'", "X'", "N'", "U&'"}) {
    if (startsWithNoCase(tok, prefix)) return true;
  }
  return false;
}

/// An opaque token as a fingerprint shows it: constants become `?`, and
/// unquoted words are folded as PostgreSQL's lexer folds them (keywords upper
/// case, other names lower case) so that `alter role R` and `ALTER ROLE r`
/// share a fingerprint. Quoted names and operators stay as written.
std::string normalizedToken(std::string_view tok) {
  if (isLiteralToken(tok)) return "?";
  std::string folded = lowerAscii(tok);
  const bool word = !folded.empty() && isIdentStart(folded[0]) &&
                    std::all_of(folded.begin(), folded.end(), isIdentChar);
  if (!word) return std::string(tok);
  if (keywordCategory(folded)) {
    for (char& c : folded) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return folded;
}

/// Splits "VERSION NO VALUE|STANDALONE YES" at the first `|`.
std::pair<std::string_view, std::string_view> splitBar(std::string_view s) {
  const size_t bar = s.find('|');
  if (bar == std::string_view::npos) return {s, {}};
  return {s.substr(0, bar), s.substr(bar + 1)};
}

/// Splits "DOCUMENT PRESERVE WHITESPACE" after its first word.
std::pair<std::string_view, std::string_view> splitFirstWord(std::string_view s) {
  const size_t space = s.find(' ');
  if (space == std::string_view::npos) return {s, {}};
  return {s.substr(0, space), s.substr(space + 1)};
}

class Printer {
 public:
  explicit Printer(const PrintOptions& options) : options_(options) { out_.reserve(256); }

  std::string take() { return std::move(out_); }

  // --- Statements ----------------------------------------------------------

  void statement(const Statement& stmt) {
    std::visit([this](const auto& node) { print(node); }, stmt.node);
  }

  void select(const SelectStmt& s) {
    if (s.with) withClause(*s.with);
    switch (s.kind) {
      case SelectStmt::Kind::Select:
        simpleSelect(s);
        break;
      case SelectStmt::Kind::Values:
        values(s);
        break;
      case SelectStmt::Kind::Table:
        put("TABLE ");
        if (s.table) relationExpr(*s.table);
        break;
      case SelectStmt::Kind::SetOp:
        setOperation(s);
        break;
    }
    selectTail(s);
  }

  // --- Expressions -----------------------------------------------------------

  /// A complete expression in a slot that delimits it (a select list item,
  /// a function argument, between parentheses): never parenthesized itself.
  void expr(const Expr& e) {
    std::visit([this](const auto& node) { print(node); }, e.node);
  }

  void type(const TypeName& t) {
    // Type modifiers are part of the type, not values: `numeric(10,2)` keeps
    // its digits in a fingerprint.
    ++verbatim_;
    if (t.setof) put("SETOF ");
    if (t.percent_type) {
      qualifiedName(*t.percent_type);
      put("%TYPE");
    } else {
      baseType(t);
      if (t.kind == TypeName::Kind::Interval) {
        // Interval precision goes after the fields: `interval day to second(3)`.
        if (!t.interval_fields.empty()) {
          put(' ');
          put(intervalFieldsLower(t));
        }
        typeModifiers(t);
      }
    }
    arrayBounds(t);
    --verbatim_;
  }

  void tableRef(const TableRef& ref) {
    std::visit([this](const auto& node) { print(node); }, ref.node);
  }

 private:
  // --- Output helpers --------------------------------------------------------

  void put(std::string_view s) { out_ += s; }
  void put(char c) { out_ += c; }
  void ident(std::string_view name) {
    // The common case, a name that needs no quotes, without a temporary.
    if (!name.empty() && isIdentStart(name[0]) && std::all_of(name.begin(), name.end(), isIdentChar)) {
      const auto category = keywordCategory(name);
      if (!category || *category == KeywordCategory::Unreserved) {
        out_ += name;
        return;
      }
    }
    out_ += quoteIdentifier(name);
  }

  void qualifiedName(const QualifiedName& name) {
    for (size_t i = 0; i < name.parts.size(); ++i) {
      if (i > 0) put('.');
      ident(name.parts[i]);
    }
  }

  void identList(const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) put(", ");
      ident(names[i]);
    }
  }

  void exprList(const ExprList& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) put(", ");
      expr(list[i]);
    }
  }

  void exprOpt(const ExprPtr& e) {
    if (e) expr(*e);
  }

  bool normalizing() const { return options_.normalize_literals && verbatim_ == 0; }

  // --- Precedence ------------------------------------------------------------

  Prec precOf(const Expr& e) const {
    if (const auto* lit = e.as<Literal>()) {
      return (isSignedNumber(*lit) && !normalizing()) ? Prec::Unary : Prec::Primary;
    }
    if (const auto* op = e.as<OpExpr>()) return opPrec(*op);
    if (const auto* b = e.as<BoolExpr>()) {
      switch (b->op) {
        case BoolExpr::Op::Or:
          return Prec::Or;
        case BoolExpr::Op::And:
          return Prec::And;
        case BoolExpr::Op::Not:
          return Prec::Not;
      }
    }
    if (e.as<LikeExpr>() || e.as<BetweenExpr>() || e.as<InExpr>()) return Prec::LikeIn;
    if (e.as<QuantifiedExpr>()) return Prec::OtherOp;
    if (e.as<IsExpr>() || e.as<OverlapsExpr>()) return Prec::Is;
    if (const auto* c = e.as<TypeCast>()) {
      return c->syntax == TypeCast::Syntax::DoubleColon ? Prec::Cast : Prec::Primary;
    }
    if (e.as<CollateExpr>()) return Prec::Collate;
    if (e.as<AtTimeZone>()) return Prec::AtTimeZone;
    return Prec::Primary;
  }

  Prec opPrec(const OpExpr& op) const {
    if (!op.left) {
      if (isSignOp(op)) {
        return (normalizing() && isSignedConstant(op)) ? Prec::Primary : Prec::Unary;
      }
      return Prec::PrefixOp;
    }
    if (!isSimpleSymbol(op.op, op.explicit_syntax)) return Prec::OtherOp;
    const Prec p = symbolPrec(op.op[0]);
    return p == Prec::LikeIn ? Prec::OtherOp : p;
  }

  /// `a LIKE b ESCAPE c` as an operand is always parenthesized: the grammar's
  /// ESCAPE alternative takes a full expression before ESCAPE, so an earlier
  /// LIKE at the same level could otherwise claim this ESCAPE.
  static bool hasEscape(const Expr& e) {
    const auto* like = e.as<LikeExpr>();
    return like != nullptr && static_cast<bool>(like->escape);
  }

  /// Whether `child` needs parentheses where only expressions binding at
  /// least as tightly as `min` may appear unparenthesized.
  bool needsParens(const Expr& child, Prec min) const {
    return precOf(child) < min || hasEscape(child);
  }

  /// Prints `child` as an operand, parenthesized when it binds looser than `min`.
  void operand(const Expr& child, Prec min) {
    if (needsParens(child, min)) {
      put('(');
      expr(child);
      put(')');
    } else {
      expr(child);
    }
  }

  void operandOpt(const ExprPtr& child, Prec min) {
    if (child) operand(*child, min);
  }

  /// Whether `e` prints as a valid restricted expression (PostgreSQL's b_expr:
  /// BETWEEN's lower bound, POSITION's arguments) without outer parentheses.
  /// Only arithmetic, sign, cast and primaries qualify, and their unparenthesized
  /// operands must qualify too: b_expr has no COLLATE or AT TIME ZONE.
  bool restrictedSafe(const Expr& e) const {
    if (hasEscape(e)) return false;
    const Prec p = precOf(e);
    auto child_ok = [this](const ExprPtr& child, Prec min) {
      return !child || needsParens(*child, min) || restrictedSafe(*child);
    };
    switch (p) {
      case Prec::Primary:
        return true;
      case Prec::Cast:
        return child_ok(e.as<TypeCast>()->arg, Prec::Cast);
      case Prec::Unary: {
        const auto* op = e.as<OpExpr>();
        return op == nullptr || child_ok(op->right, Prec::Cast);
      }
      case Prec::AddSub:
      case Prec::MulDiv:
      case Prec::Exp: {
        const auto* op = e.as<OpExpr>();
        return child_ok(op->left, p) && child_ok(op->right, next(p));
      }
      default:
        return false;
    }
  }

  void restrictedOperand(const Expr& e) {
    if (restrictedSafe(e)) {
      expr(e);
    } else {
      put('(');
      expr(e);
      put(')');
    }
  }

  /// Where the grammar wants a c_expr (FETCH count, XMLEXISTS arguments).
  void primaryOperand(const Expr& e) { operand(e, Prec::Primary); }

  // --- Expression nodes ------------------------------------------------------

  void print(const ColumnRef& c) {
    for (size_t i = 0; i < c.fields.size(); ++i) {
      if (i > 0) put('.');
      ident(c.fields[i]);
    }
    if (c.star) put(c.fields.empty() ? "*" : ".*");
  }

  void print(const ParamRef& p) {
    put('$');
    put(std::to_string(p.number));
  }

  void print(const Literal& lit) {
    if (normalizing()) {
      put('?');
      return;
    }
    switch (lit.kind) {
      case Literal::Kind::Integer:
      case Literal::Kind::Numeric:
        put(lit.value);
        break;
      case Literal::Kind::String:
        put(quoteLiteral(lit.value));
        break;
      case Literal::Kind::BitString:
        put("B'");
        put(lit.value);
        put('\'');
        break;
      case Literal::Kind::HexString:
        put("X'");
        put(lit.value);
        put('\'');
        break;
      case Literal::Kind::Boolean:
        put(lowerAscii(lit.value) == "true" ? "TRUE" : "FALSE");
        break;
      case Literal::Kind::Null:
        put("NULL");
        break;
    }
  }

  void print(const DefaultExpr&) { put("DEFAULT"); }

  void funcArg(const FuncArg& arg) {
    if (arg.name) {
      ident(*arg.name);
      put(" => ");
    }
    exprOpt(arg.value);
  }

  void print(const FuncCall& f) {
    qualifiedName(f.name);
    put('(');
    if (f.star) {
      put('*');
    } else {
      if (f.distinct) put("DISTINCT ");
      if (f.all) put("ALL ");
      for (size_t i = 0; i < f.args.size(); ++i) {
        if (i > 0) put(", ");
        if (f.variadic && i + 1 == f.args.size()) put("VARIADIC ");
        funcArg(f.args[i]);
      }
      if (!f.order_by.empty() && !f.within_group) {
        if (!f.args.empty()) put(' ');
        put("ORDER BY ");
        sortList(f.order_by);
      }
    }
    put(')');
    if (!f.order_by.empty() && f.within_group) {
      put(" WITHIN GROUP (ORDER BY ");
      sortList(f.order_by);
      put(')');
    }
    filterAndOver(f.filter, f.over);
  }

  /// The FILTER and OVER clauses after an aggregate's parentheses.
  void filterAndOver(const ExprPtr& filter, const Box<WindowDef>& over) {
    if (filter) {
      put(" FILTER (WHERE ");
      expr(*filter);
      put(')');
    }
    if (over) {
      put(" OVER ");
      if (over->name_only) {
        ident(over->name.empty() ? over->ref_name : over->name);
      } else {
        windowSpec(*over);
      }
    }
  }

  /// `NAME(a, b)` for the special functions with plain argument lists.
  void plainCall(std::string_view name, const ExprList& args) {
    put(name);
    put('(');
    exprList(args);
    put(')');
  }

  /// An argument of SUBSTRING / OVERLAY / TRIM keyword forms: parenthesized
  /// when it could run into the keywords around it (IS DISTINCT FROM, SIMILAR,
  /// BETWEEN ... AND, ...).
  void keywordArg(const Expr& e) { operand(e, Prec::PrefixOp); }

  void print(const SpecialFunc& f) {
    using Kind = SpecialFunc::Kind;
    const ExprList& a = f.args;
    auto arg = [&](size_t i) {
      if (i < a.size()) keywordArg(a[i]);
    };
    switch (f.kind) {
      case Kind::CurrentDate:
        put("CURRENT_DATE");
        return;
      case Kind::CurrentTime:
        timeFunc("CURRENT_TIME", a);
        return;
      case Kind::CurrentTimestamp:
        timeFunc("CURRENT_TIMESTAMP", a);
        return;
      case Kind::LocalTime:
        timeFunc("LOCALTIME", a);
        return;
      case Kind::LocalTimestamp:
        timeFunc("LOCALTIMESTAMP", a);
        return;
      case Kind::CurrentRole:
        put("CURRENT_ROLE");
        return;
      case Kind::CurrentUser:
        put("CURRENT_USER");
        return;
      case Kind::SessionUser:
        put("SESSION_USER");
        return;
      case Kind::SystemUser:
        put("SYSTEM_USER");
        return;
      case Kind::User:
        put("USER");
        return;
      case Kind::CurrentCatalog:
        put("CURRENT_CATALOG");
        return;
      case Kind::CurrentSchema:
        put("CURRENT_SCHEMA");
        return;
      case Kind::Extract:
        put("EXTRACT(");
        put(isExtractField(f.word) ? f.word : quoteLiteral(f.word));
        put(" FROM ");
        if (!a.empty()) expr(a[0]);
        put(')');
        return;
      case Kind::Position:
        put("POSITION(");
        if (!a.empty()) restrictedOperand(a[0]);
        put(" IN ");
        if (a.size() > 1) restrictedOperand(a[1]);
        put(')');
        return;
      case Kind::Substring: {
        if (f.word == "ARGS") {
          plainCall("SUBSTRING", a);
          return;
        }
        // `word` names the keywords after the string, in order: "FROM",
        // "FOR", "FROM FOR", "FOR FROM", or "SIMILAR" (which ends in ESCAPE).
        std::string_view words = f.word;
        if (words.empty()) words = a.size() > 2 ? "FROM FOR" : "FROM";
        if (words == "SIMILAR") words = "SIMILAR ESCAPE";
        put("SUBSTRING(");
        arg(0);
        size_t i = 1;
        while (!words.empty()) {
          auto [word, rest] = splitFirstWord(words);
          put(' ');
          put(word);
          put(' ');
          arg(i++);
          words = rest;
        }
        put(')');
        return;
      }
      case Kind::Overlay:
        if (f.word == "ARGS") {
          plainCall("OVERLAY", a);
          return;
        }
        put("OVERLAY(");
        arg(0);
        put(" PLACING ");
        arg(1);
        put(" FROM ");
        arg(2);
        if (a.size() > 3) {
          put(" FOR ");
          arg(3);
        }
        put(')');
        return;
      case Kind::Trim: {
        put("TRIM(");
        if (!f.word.empty()) {
          put(f.word);
          put(' ');
        }
        size_t first_source = 0;
        const std::string_view from_form = f.arg_names.empty() ? "" : f.arg_names[0];
        if (from_form == "chars" && !a.empty()) {
          keywordArg(a[0]);
          put(" FROM ");
          first_source = 1;
        } else if (from_form == "from") {
          put("FROM ");
        }
        for (size_t i = first_source; i < a.size(); ++i) {
          if (i > first_source) put(", ");
          expr(a[i]);
        }
        put(')');
        return;
      }
      case Kind::Coalesce:
        plainCall("COALESCE", a);
        return;
      case Kind::NullIf:
        plainCall("NULLIF", a);
        return;
      case Kind::Greatest:
        plainCall("GREATEST", a);
        return;
      case Kind::Least:
        plainCall("LEAST", a);
        return;
      case Kind::Grouping:
        plainCall("GROUPING", a);
        return;
      case Kind::XmlConcat:
        plainCall("XMLCONCAT", a);
        return;
      case Kind::Normalize:
        put("NORMALIZE(");
        if (!a.empty()) expr(a[0]);
        if (!f.word.empty()) {
          put(", ");
          put(f.word);
        }
        put(')');
        return;
      case Kind::CollationFor:
        put("COLLATION FOR (");
        if (!a.empty()) expr(a[0]);
        put(')');
        return;
      case Kind::Treat:
        put("TREAT(");
        if (!a.empty()) expr(a[0]);
        put(" AS ");
        if (f.type) type(*f.type);
        put(')');
        return;
      case Kind::XmlElement: {
        put("XMLELEMENT(NAME ");
        ident(f.word);
        const size_t attrs = std::min(f.arg_names.size(), a.size());
        if (!f.arg_names.empty()) {
          put(", XMLATTRIBUTES(");
          namedArgs(a, f.arg_names, 0, attrs);
          put(')');
        }
        for (size_t i = attrs; i < a.size(); ++i) {
          put(", ");
          expr(a[i]);
        }
        put(')');
        return;
      }
      case Kind::XmlForest:
        put("XMLFOREST(");
        namedArgs(a, f.arg_names, 0, a.size());
        put(')');
        return;
      case Kind::XmlParse: {
        auto [form, whitespace] = splitFirstWord(f.word);
        put("XMLPARSE(");
        put(form);
        put(' ');
        if (!a.empty()) expr(a[0]);
        if (!whitespace.empty()) {
          put(' ');
          put(whitespace);
        }
        put(')');
        return;
      }
      case Kind::XmlPi:
        put("XMLPI(NAME ");
        ident(f.word);
        if (!a.empty()) {
          put(", ");
          expr(a[0]);
        }
        put(')');
        return;
      case Kind::XmlRoot: {
        auto [version, standalone] = splitBar(f.word);
        put("XMLROOT(");
        if (!a.empty()) expr(a[0]);
        put(", ");
        if (version.empty() || version == "VERSION") {
          put("VERSION ");
          if (a.size() > 1) expr(a[1]);
        } else {
          put(version);
        }
        if (!standalone.empty()) {
          put(", ");
          put(standalone);
        }
        put(')');
        return;
      }
      case Kind::XmlSerialize: {
        auto [form, indent] = splitFirstWord(f.word);
        put("XMLSERIALIZE(");
        put(form);
        put(' ');
        if (!a.empty()) expr(a[0]);
        put(" AS ");
        if (f.type) type(*f.type);
        if (!indent.empty()) {
          put(' ');
          put(indent);
        }
        put(')');
        return;
      }
      case Kind::XmlExists:
        put("XMLEXISTS(");
        if (!a.empty()) primaryOperand(a[0]);
        put(" PASSING ");
        if (a.size() > 1) primaryOperand(a[1]);
        put(')');
        return;
      case Kind::JsonObject:
        jsonConstructor("JSON_OBJECT", f, true);
        return;
      case Kind::JsonArray:
        jsonConstructor("JSON_ARRAY", f, false);
        return;
      case Kind::JsonObjectAgg:
        jsonConstructor("JSON_OBJECTAGG", f, true);
        return;
      case Kind::JsonArrayAgg:
        jsonConstructor("JSON_ARRAYAGG", f, false);
        return;
    }
  }

  /// `JSON_OBJECT(k : v FORMAT JSON, ... ABSENT ON NULL RETURNING jsonb)`:
  /// arguments (in key/value pairs for objects), each with the FORMAT clause
  /// kept in arg_names, then the trailing clauses kept in `word`.
  void jsonConstructor(std::string_view name, const SpecialFunc& f, bool pairs) {
    put(name);
    put('(');
    if (f.query) {
      // JSON_ARRAY(SELECT ...): the query without parentheses of its own.
      select(*f.query);
      if (!f.word.empty()) {
        put(' ');
        put(f.word);
      }
      put(')');
      return;
    }
    for (size_t i = 0; i < f.args.size(); ++i) {
      if (i > 0) put(pairs && i % 2 == 1 ? " : " : ", ");
      // A cast's type name could run into the clause words after it
      // (`x::timestamp WITH UNIQUE KEYS`): keep it parenthesized.
      if (f.args[i].as<TypeCast>() != nullptr) {
        primaryOperand(f.args[i]);
      } else {
        expr(f.args[i]);
      }
      if (i < f.arg_names.size() && !f.arg_names[i].empty()) {
        put(' ');
        put(f.arg_names[i]);
      }
    }
    if (!f.order_by.empty()) {
      put(" ORDER BY ");
      sortList(f.order_by);
    }
    if (!f.word.empty()) {
      if (!f.args.empty()) put(' ');
      put(f.word);
    }
    put(')');
    filterAndOver(f.filter, f.over);
  }

  void timeFunc(std::string_view name, const ExprList& args) {
    put(name);
    if (!args.empty()) {
      // The precision is syntax (the grammar takes only an integer there),
      // so it stays as written even in a fingerprint.
      ++verbatim_;
      put('(');
      expr(args[0]);
      put(')');
      --verbatim_;
    }
  }

  /// `a AS n, b` for XMLATTRIBUTES / XMLFOREST; "" means no AS.
  void namedArgs(const ExprList& args, const std::vector<std::string>& names, size_t begin,
                 size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (i > begin) put(", ");
      expr(args[i]);
      if (i < names.size() && !names[i].empty()) {
        put(" AS ");
        ident(names[i]);
      }
    }
  }

  void operatorName(const std::vector<std::string>& op, bool explicit_syntax) {
    if (isSimpleSymbol(op, explicit_syntax)) {
      put(op[0]);
      return;
    }
    put("OPERATOR(");
    for (size_t i = 0; i < op.size(); ++i) {
      if (i > 0) put('.');
      if (i + 1 < op.size()) {
        ident(op[i]);
      } else {
        put(op[i]);
      }
    }
    put(')');
  }

  void print(const OpExpr& op) {
    if (!op.left) {
      if (isSignOp(op)) {
        if (normalizing() && isSignedConstant(op)) {
          put('?');
          return;
        }
        // The operand never starts with a sign unparenthesized, so `--`
        // (a comment) cannot appear: `-(-1)`.
        put(op.op[0]);
        operandOpt(op.right, Prec::Cast);
        return;
      }
      operatorName(op.op, op.explicit_syntax);
      put(' ');
      operandOpt(op.right, Prec::AddSub);
      return;
    }
    const Prec p = opPrec(op);
    // Comparisons are non-associative; the others associate to the left.
    operandOpt(op.left, p == Prec::Comparison ? next(p) : p);
    put(' ');
    operatorName(op.op, op.explicit_syntax);
    put(' ');
    operandOpt(op.right, next(p));
  }

  void print(const BoolExpr& b) {
    switch (b.op) {
      case BoolExpr::Op::Not:
        put("NOT ");
        if (!b.args.empty()) operand(b.args[0], Prec::Not);
        return;
      case BoolExpr::Op::And:
      case BoolExpr::Op::Or: {
        const bool is_and = b.op == BoolExpr::Op::And;
        // Nested AND in AND (or OR in OR) keeps its parentheses, so the tree
        // reads back with the same shape.
        const Prec min = is_and ? Prec::Not : Prec::And;
        for (size_t i = 0; i < b.args.size(); ++i) {
          if (i > 0) put(is_and ? " AND " : " OR ");
          operand(b.args[i], min);
        }
        return;
      }
    }
  }

  void print(const LikeExpr& like) {
    operandOpt(like.arg, Prec::PrefixOp);
    if (like.negated) put(" NOT");
    switch (like.kind) {
      case LikeExpr::Kind::Like:
        put(" LIKE ");
        break;
      case LikeExpr::Kind::ILike:
        put(" ILIKE ");
        break;
      case LikeExpr::Kind::SimilarTo:
        put(" SIMILAR TO ");
        break;
    }
    operandOpt(like.pattern, Prec::PrefixOp);
    if (like.escape) {
      put(" ESCAPE ");
      operand(*like.escape, Prec::PrefixOp);
    }
  }

  void print(const BetweenExpr& b) {
    operandOpt(b.arg, Prec::PrefixOp);
    put(b.negated ? " NOT BETWEEN " : " BETWEEN ");
    if (b.symmetric) put("SYMMETRIC ");
    if (b.low) restrictedOperand(*b.low);
    put(" AND ");
    operandOpt(b.high, Prec::PrefixOp);
  }

  void print(const InExpr& in) {
    operandOpt(in.arg, Prec::PrefixOp);
    put(in.negated ? " NOT IN (" : " IN (");
    if (in.subquery) {
      select(*in.subquery);
    } else {
      exprList(in.list);
    }
    put(')');
  }

  void print(const QuantifiedExpr& q) {
    // The left operand must bind tighter than both the operator symbol
    // (PostgreSQL) and the ANY/ALL alternative, which the grammar places
    // just below + and -.
    const Prec sym = isSimpleSymbol(q.op, q.explicit_syntax) ? symbolPrec(q.op[0]) : Prec::OtherOp;
    operandOpt(q.left, std::max(Prec::AddSub, next(sym)));
    put(' ');
    operatorName(q.op, q.explicit_syntax);
    put(q.all ? " ALL (" : " ANY (");
    if (q.subquery) {
      select(*q.subquery);
    } else {
      exprOpt(q.right);
    }
    put(')');
  }

  void print(const IsExpr& is) {
    operandOpt(is.arg, Prec::Comparison);
    put(is.negated ? " IS NOT " : " IS ");
    switch (is.kind) {
      case IsExpr::Kind::Null:
        put("NULL");
        break;
      case IsExpr::Kind::True:
        put("TRUE");
        break;
      case IsExpr::Kind::False:
        put("FALSE");
        break;
      case IsExpr::Kind::Unknown:
        put("UNKNOWN");
        break;
      case IsExpr::Kind::Document:
        put("DOCUMENT");
        break;
      case IsExpr::Kind::Normalized:
        if (!is.word.empty()) {
          put(is.word);
          put(' ');
        }
        put("NORMALIZED");
        break;
      case IsExpr::Kind::DistinctFrom:
        put("DISTINCT FROM ");
        operandOpt(is.other, Prec::Comparison);
        break;
      case IsExpr::Kind::Json:
        put("JSON");
        if (!is.word.empty()) {
          put(' ');
          put(is.word);
        }
        break;
    }
  }

  /// Whether `t 'literal'` can be written for this type; the grammar has no
  /// prefix form for arrays, SETOF or %TYPE.
  static bool hasPrefixForm(const TypeName& t) {
    return !t.setof && t.array_bounds.empty() && !t.array_keyword && !t.percent_type;
  }

  void print(const TypeCast& c) {
    switch (c.syntax) {
      case TypeCast::Syntax::DoubleColon:
        operandOpt(c.arg, Prec::Cast);
        put("::");
        type(*c.type);
        return;
      case TypeCast::Syntax::Prefix:
        if (hasPrefixForm(*c.type) && c.arg && c.arg->as<Literal>() &&
            c.arg->as<Literal>()->kind == Literal::Kind::String) {
          prefixCast(c);
          return;
        }
        break;  // not expressible as `type 'literal'`: same meaning as CAST
      case TypeCast::Syntax::Cast:
        break;
    }
    put("CAST(");
    exprOpt(c.arg);
    put(" AS ");
    type(*c.type);
    put(')');
  }

  void prefixCast(const TypeCast& c) {
    ++verbatim_;
    const bool interval = c.type->kind == TypeName::Kind::Interval;
    baseType(*c.type);
    if (interval && c.type->interval_fields.empty()) typeModifiers(*c.type);
    --verbatim_;
    put(' ');
    expr(*c.arg);
    // `INTERVAL '1' DAY TO SECOND(3)`: the fields follow the literal.
    if (interval && !c.type->interval_fields.empty()) {
      ++verbatim_;
      put(' ');
      put(intervalFieldsLower(*c.type));
      typeModifiers(*c.type);
      --verbatim_;
    }
  }

  void print(const CollateExpr& c) {
    operandOpt(c.arg, Prec::Collate);
    put(" COLLATE ");
    qualifiedName(c.collation);
  }

  void print(const AtTimeZone& a) {
    operandOpt(a.arg, Prec::AtTimeZone);
    put(" AT TIME ZONE ");
    operandOpt(a.zone, Prec::Collate);
  }

  void print(const CaseExpr& c) {
    put("CASE");
    if (c.arg) {
      put(' ');
      expr(*c.arg);
    }
    for (const auto& when : c.whens) {
      put(" WHEN ");
      exprOpt(when.condition);
      put(" THEN ");
      exprOpt(when.result);
    }
    if (c.else_result) {
      put(" ELSE ");
      expr(*c.else_result);
    }
    put(" END");
  }

  void print(const SubqueryExpr& s) {
    switch (s.kind) {
      case SubqueryExpr::Kind::Scalar:
        put('(');
        break;
      case SubqueryExpr::Kind::Exists:
        put("EXISTS (");
        break;
      case SubqueryExpr::Kind::Array:
        put("ARRAY(");
        break;
    }
    if (s.query) select(*s.query);
    put(')');
  }

  void print(const ArrayExpr& a) {
    if (!a.bare) put("ARRAY");
    put('[');
    exprList(a.elements);
    put(']');
  }

  void print(const RowExpr& r) {
    // A one-element `(a)` would read back as a parenthesized expression.
    if (r.explicit_row || r.args.size() < 2) put("ROW");
    put('(');
    exprList(r.args);
    put(')');
  }

  void indirectionItem(const IndirectionItem& item) {
    switch (item.kind) {
      case IndirectionItem::Kind::Field:
        put('.');
        ident(item.field);
        break;
      case IndirectionItem::Kind::Star:
        put(".*");
        break;
      case IndirectionItem::Kind::Subscript:
        put('[');
        exprOpt(item.lower);
        put(']');
        break;
      case IndirectionItem::Kind::Slice:
        put('[');
        exprOpt(item.lower);
        put(':');
        exprOpt(item.upper);
        put(']');
        break;
    }
  }

  void print(const Indirection& ind) {
    bool bare = false;
    if (ind.arg) {
      const auto* sub = ind.arg->as<SubqueryExpr>();
      if (ind.arg->as<ParamRef>() || (sub && sub->kind == SubqueryExpr::Kind::Scalar)) {
        // `$1[1]` and `(SELECT ...)[1]` need no parentheses of their own.
        bare = true;
      } else if (const auto* col = ind.arg->as<ColumnRef>()) {
        // `a.f` would read back as a longer column name; `(a).f` is a field.
        const bool field_first =
            !ind.items.empty() && (ind.items[0].kind == IndirectionItem::Kind::Field ||
                                   ind.items[0].kind == IndirectionItem::Kind::Star);
        bare = !col->star && !field_first;
      }
    }
    if (bare) {
      expr(*ind.arg);
    } else {
      put('(');
      exprOpt(ind.arg);
      put(')');
    }
    for (const auto& item : ind.items) indirectionItem(item);
  }

  void print(const OverlapsExpr& o) {
    exprOpt(o.left);
    put(" OVERLAPS ");
    exprOpt(o.right);
  }

  // --- Ordering and windows --------------------------------------------------

  void sortBy(const SortBy& s) {
    expr(s.expr);
    switch (s.dir) {
      case SortBy::Dir::Default:
        break;
      case SortBy::Dir::Asc:
        put(" ASC");
        break;
      case SortBy::Dir::Desc:
        put(" DESC");
        break;
      case SortBy::Dir::Using:
        put(" USING ");
        operatorName(s.using_op, false);
        break;
    }
    switch (s.nulls) {
      case SortBy::Nulls::Default:
        break;
      case SortBy::Nulls::First:
        put(" NULLS FIRST");
        break;
      case SortBy::Nulls::Last:
        put(" NULLS LAST");
        break;
    }
  }

  void sortList(const std::vector<SortBy>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) put(", ");
      sortBy(list[i]);
    }
  }

  void frameBound(const FrameBound& b) {
    switch (b.kind) {
      case FrameBound::Kind::UnboundedPreceding:
        put("UNBOUNDED PRECEDING");
        break;
      case FrameBound::Kind::UnboundedFollowing:
        put("UNBOUNDED FOLLOWING");
        break;
      case FrameBound::Kind::CurrentRow:
        put("CURRENT ROW");
        break;
      case FrameBound::Kind::Preceding:
        operandOpt(b.offset, Prec::AddSub);
        put(" PRECEDING");
        break;
      case FrameBound::Kind::Following:
        operandOpt(b.offset, Prec::AddSub);
        put(" FOLLOWING");
        break;
    }
  }

  void windowFrame(const WindowFrame& f) {
    switch (f.mode) {
      case WindowFrame::Mode::Range:
        put("RANGE ");
        break;
      case WindowFrame::Mode::Rows:
        put("ROWS ");
        break;
      case WindowFrame::Mode::Groups:
        put("GROUPS ");
        break;
    }
    if (f.end) {
      put("BETWEEN ");
      frameBound(f.start);
      put(" AND ");
      frameBound(*f.end);
    } else {
      frameBound(f.start);
    }
    switch (f.exclusion) {
      case WindowFrame::Exclusion::None:
        break;
      case WindowFrame::Exclusion::CurrentRow:
        put(" EXCLUDE CURRENT ROW");
        break;
      case WindowFrame::Exclusion::Group:
        put(" EXCLUDE GROUP");
        break;
      case WindowFrame::Exclusion::Ties:
        put(" EXCLUDE TIES");
        break;
      case WindowFrame::Exclusion::NoOthers:
        put(" EXCLUDE NO OTHERS");
        break;
    }
  }

  /// `(w PARTITION BY ... ORDER BY ... frame)`.
  void windowSpec(const WindowDef& w) {
    put('(');
    const size_t start = out_.size();
    auto sep = [&] {
      if (out_.size() > start) put(' ');
    };
    if (!w.ref_name.empty()) ident(w.ref_name);
    if (!w.partition_by.empty()) {
      sep();
      put("PARTITION BY ");
      exprList(w.partition_by);
    }
    if (!w.order_by.empty()) {
      sep();
      put("ORDER BY ");
      sortList(w.order_by);
    }
    if (w.frame) {
      sep();
      windowFrame(*w.frame);
    }
    put(')');
  }

  // --- Types -----------------------------------------------------------------

  /// Lower case, as PostgreSQL's format_type writes type names.
  static std::string intervalFieldsLower(const TypeName& t) {
    return t.kind == TypeName::Kind::Interval ? lowerAscii(t.interval_fields) : std::string();
  }

  void typeModifiers(const TypeName& t) {
    if (t.modifiers.empty()) return;
    put('(');
    exprList(t.modifiers);
    put(')');
  }

  /// The type's name and, except for intervals, its modifiers.
  void baseType(const TypeName& t) {
    using Kind = TypeName::Kind;
    auto named = [&](std::string_view name) {
      put(name);
      typeModifiers(t);
    };
    switch (t.kind) {
      case Kind::Generic:
        qualifiedName(t.name);
        typeModifiers(t);
        return;
      case Kind::SmallInt:
        named("smallint");
        return;
      case Kind::Integer:
        named("integer");
        return;
      case Kind::BigInt:
        named("bigint");
        return;
      case Kind::Real:
        named("real");
        return;
      case Kind::DoublePrecision:
        named("double precision");
        return;
      case Kind::Numeric:
        named("numeric");
        return;
      case Kind::Decimal:
        named("decimal");
        return;
      case Kind::Float:
        named("float");
        return;
      case Kind::Boolean:
        named("boolean");
        return;
      case Kind::Bit:
        named("bit");
        return;
      case Kind::BitVarying:
        named("bit varying");
        return;
      case Kind::Char:
        named("character");
        return;
      case Kind::Varchar:
        named("character varying");
        return;
      case Kind::NChar:
        named("national character");
        return;
      case Kind::NCharVarying:
        named("national character varying");
        return;
      case Kind::Timestamp:
        named("timestamp");
        return;
      case Kind::TimestampTz:
        named("timestamp");
        put(" with time zone");
        return;
      case Kind::Time:
        named("time");
        return;
      case Kind::TimeTz:
        named("time");
        put(" with time zone");
        return;
      case Kind::Interval:
        put("interval");
        return;
      case Kind::Json:
        named("json");
        return;
    }
  }

  void arrayBounds(const TypeName& t) {
    if (t.array_keyword) {
      put(" ARRAY");
      if (!t.array_bounds.empty() && t.array_bounds[0] >= 0) {
        put('[');
        put(std::to_string(t.array_bounds[0]));
        put(']');
      }
      return;
    }
    for (int64_t bound : t.array_bounds) {
      put('[');
      if (bound >= 0) put(std::to_string(bound));
      put(']');
    }
  }

  // --- FROM items ------------------------------------------------------------

  void alias(const Alias& a) {
    put(" AS ");
    ident(a.name);
    if (!a.columns.empty()) {
      put('(');
      identList(a.columns);
      put(')');
    }
  }

  /// `[ONLY] name [*]`.
  void relationExpr(const RangeVar& r) {
    if (r.only) put("ONLY ");
    qualifiedName(r.name);
    if (r.inherit_star) put(" *");
  }

  /// `[ONLY] name [*] [AS alias]` of UPDATE / DELETE / MERGE: a name only.
  void relationWithAlias(const RangeVar& r) {
    relationExpr(r);
    if (r.alias) {
      put(" AS ");
      ident(r.alias->name);
    }
  }

  void print(const RangeVar& r) {
    relationExpr(r);
    if (r.alias) alias(*r.alias);
    if (r.tablesample) {
      put(" TABLESAMPLE ");
      qualifiedName(r.tablesample->method);
      put('(');
      exprList(r.tablesample->args);
      put(')');
      if (r.tablesample->repeatable) {
        put(" REPEATABLE (");
        expr(*r.tablesample->repeatable);
        put(')');
      }
    }
  }

  void print(const RangeSubselect& r) {
    if (r.lateral) put("LATERAL ");
    put('(');
    if (r.query) select(*r.query);
    put(')');
    if (r.alias) alias(*r.alias);
  }

  void columnDefs(const std::vector<ColumnDef>& defs) {
    put('(');
    for (size_t i = 0; i < defs.size(); ++i) {
      if (i > 0) put(", ");
      ident(defs[i].name);
      put(' ');
      type(defs[i].type);
      if (defs[i].collation) {
        put(" COLLATE ");
        qualifiedName(*defs[i].collation);
      }
    }
    put(')');
  }

  void print(const RangeFunction& r) {
    if (r.lateral) put("LATERAL ");
    if (r.rows_from || r.functions.size() != 1) {
      put("ROWS FROM (");
      for (size_t i = 0; i < r.functions.size(); ++i) {
        if (i > 0) put(", ");
        expr(r.functions[i].call);
        if (!r.functions[i].column_defs.empty()) {
          put(" AS ");
          columnDefs(r.functions[i].column_defs);
        }
      }
      put(')');
    } else {
      expr(r.functions[0].call);
    }
    if (r.ordinality) put(" WITH ORDINALITY");
    if (!r.column_defs.empty()) {
      put(" AS ");
      if (r.alias) ident(r.alias->name);
      columnDefs(r.column_defs);
    } else if (r.alias) {
      alias(*r.alias);
    }
  }

  void print(const RangeXmlTable& t) {
    if (t.lateral) put("LATERAL ");
    put("XMLTABLE(");
    if (!t.namespaces.empty()) {
      put("XMLNAMESPACES(");
      for (size_t i = 0; i < t.namespaces.size(); ++i) {
        if (i > 0) put(", ");
        if (t.namespaces[i].name.empty()) {
          put("DEFAULT ");
          operand(t.namespaces[i].uri);
        } else {
          operand(t.namespaces[i].uri);
          put(" AS ");
          ident(t.namespaces[i].name);
        }
      }
      put("), ");
    }
    operand(t.row_expr);
    put(" PASSING ");
    operand(t.document);
    put(" COLUMNS ");
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const auto& c = t.columns[i];
      if (i > 0) put(", ");
      ident(c.name);
      if (c.for_ordinality) {
        put(" FOR ORDINALITY");
        continue;
      }
      put(' ');
      type(*c.type);
      if (c.path) {
        put(" PATH ");
        operand(*c.path);
      }
      if (c.default_value) {
        put(" DEFAULT ");
        operand(*c.default_value);
      }
      if (c.nullability == RangeXmlTable::Column::Nullability::NotNull) put(" NOT NULL");
      if (c.nullability == RangeXmlTable::Column::Nullability::Null) put(" NULL");
    }
    put(')');
    if (t.alias) alias(*t.alias);
  }

  /// An expression where the grammar allows only a primary (XMLTABLE's
  /// arguments, options): parenthesized unless it is one already.
  void operand(const Expr& e) {
    const bool primary = e.as<ColumnRef>() || e.as<Literal>() || e.as<ParamRef>() ||
                         e.as<FuncCall>() || e.as<SubqueryExpr>() || e.as<ArrayExpr>() ||
                         e.as<RowExpr>() || e.as<CaseExpr>();
    if (primary && !(e.as<Literal>() && e.as<Literal>()->value.rfind('-', 0) == 0)) {
      expr(e);
    } else {
      put('(');
      expr(e);
      put(')');
    }
  }

  void print(const JoinExpr& j) {
    if (j.alias) put('(');
    if (j.left) tableRef(*j.left);
    put(' ');
    if (j.natural) put("NATURAL ");
    switch (j.type) {
      case JoinExpr::Type::Inner:
        if (j.explicit_inner) put("INNER ");
        break;
      case JoinExpr::Type::Left:
        put("LEFT ");
        break;
      case JoinExpr::Type::Right:
        put("RIGHT ");
        break;
      case JoinExpr::Type::Full:
        put("FULL ");
        break;
      case JoinExpr::Type::Cross:
        put("CROSS ");
        break;
    }
    if (j.explicit_outer && j.type != JoinExpr::Type::Inner && j.type != JoinExpr::Type::Cross) {
      put("OUTER ");
    }
    put("JOIN ");
    if (j.right) {
      const auto* nested = j.right->as<JoinExpr>();
      // Joins read left to right: a join on the right needs parentheses
      // (unless its alias already gave it some).
      if (nested != nullptr && !nested->alias) {
        put('(');
        tableRef(*j.right);
        put(')');
      } else {
        tableRef(*j.right);
      }
    }
    if (j.on) {
      put(" ON ");
      expr(*j.on);
    } else if (!j.using_columns.empty()) {
      put(" USING (");
      identList(j.using_columns);
      put(')');
      if (j.using_alias) {
        put(" AS ");
        ident(*j.using_alias);
      }
    }
    if (j.alias) {
      put(')');
      alias(*j.alias);
    }
  }

  void fromList(const std::vector<TableRef>& from) {
    for (size_t i = 0; i < from.size(); ++i) {
      if (i > 0) put(", ");
      tableRef(from[i]);
    }
  }

  // --- Queries ---------------------------------------------------------------

  void withClause(const WithClause& w) {
    put("WITH ");
    if (w.recursive) put("RECURSIVE ");
    for (size_t i = 0; i < w.ctes.size(); ++i) {
      if (i > 0) put(", ");
      cte(w.ctes[i]);
    }
    put(' ');
  }

  void cte(const CommonTableExpr& c) {
    ident(c.name);
    if (!c.columns.empty()) {
      put('(');
      identList(c.columns);
      put(')');
    }
    put(" AS ");
    switch (c.materialized) {
      case CommonTableExpr::Materialized::Default:
        break;
      case CommonTableExpr::Materialized::Yes:
        put("MATERIALIZED ");
        break;
      case CommonTableExpr::Materialized::No:
        put("NOT MATERIALIZED ");
        break;
    }
    put('(');
    if (c.query) statement(*c.query);
    put(')');
    if (c.search) {
      put(c.search->breadth_first ? " SEARCH BREADTH FIRST BY " : " SEARCH DEPTH FIRST BY ");
      identList(c.search->columns);
      put(" SET ");
      ident(c.search->set_column);
    }
    if (c.cycle) {
      put(" CYCLE ");
      identList(c.cycle->columns);
      put(" SET ");
      ident(c.cycle->set_column);
      if (c.cycle->mark_value || c.cycle->mark_default) {
        put(" TO ");
        exprOpt(c.cycle->mark_value);
        put(" DEFAULT ");
        exprOpt(c.cycle->mark_default);
      }
      put(" USING ");
      ident(c.cycle->path_column);
    }
  }

  void targetList(const std::vector<ResTarget>& targets) {
    for (size_t i = 0; i < targets.size(); ++i) {
      if (i > 0) put(", ");
      expr(targets[i].value);
      if (targets[i].name) {
        put(" AS ");
        ident(*targets[i].name);
      }
    }
  }

  void groupingElem(const GroupingElem& g) {
    switch (g.kind) {
      case GroupingElem::Kind::Expr:
        if (!g.exprs.empty()) {
          // A function named cube or rollup would read back as CUBE / ROLLUP.
          const auto* f = g.exprs[0].as<FuncCall>();
          const bool clash = f != nullptr && f->name.parts.size() == 1 &&
                             (f->name.parts[0] == "cube" || f->name.parts[0] == "rollup");
          if (clash) put('(');
          expr(g.exprs[0]);
          if (clash) put(')');
        }
        break;
      case GroupingElem::Kind::Empty:
        put("()");
        break;
      case GroupingElem::Kind::Rollup:
        plainCall("ROLLUP", g.exprs);
        break;
      case GroupingElem::Kind::Cube:
        plainCall("CUBE", g.exprs);
        break;
      case GroupingElem::Kind::Sets:
        put("GROUPING SETS (");
        for (size_t i = 0; i < g.sets.size(); ++i) {
          if (i > 0) put(", ");
          groupingElem(g.sets[i]);
        }
        put(')');
        break;
    }
  }

  void simpleSelect(const SelectStmt& s) {
    put("SELECT");
    if (s.distinct || !s.distinct_on.empty()) {
      put(" DISTINCT");
      if (!s.distinct_on.empty()) {
        put(" ON (");
        exprList(s.distinct_on);
        put(')');
      }
    } else if (s.all) {
      put(" ALL");
    }
    if (!s.targets.empty()) {
      put(' ');
      targetList(s.targets);
    }
    if (s.into) {
      put(" INTO ");
      if (!s.into->persistence.empty()) {
        put(s.into->persistence);
        put(' ');
      }
      if (s.into->table_keyword) put("TABLE ");
      qualifiedName(s.into->name);
    }
    if (!s.from.empty()) {
      put(" FROM ");
      fromList(s.from);
    }
    if (s.where) {
      put(" WHERE ");
      expr(*s.where);
    }
    if (!s.group_by.empty()) {
      put(" GROUP BY ");
      if (s.group_distinct) put("DISTINCT ");
      for (size_t i = 0; i < s.group_by.size(); ++i) {
        if (i > 0) put(", ");
        groupingElem(s.group_by[i]);
      }
    }
    if (s.having) {
      put(" HAVING ");
      expr(*s.having);
    }
    if (!s.windows.empty()) {
      put(" WINDOW ");
      for (size_t i = 0; i < s.windows.size(); ++i) {
        if (i > 0) put(", ");
        ident(s.windows[i].name);
        put(" AS ");
        windowSpec(s.windows[i]);
      }
    }
  }

  void values(const SelectStmt& s) {
    put("VALUES ");
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (i > 0) put(", ");
      put('(');
      exprList(s.values[i]);
      put(')');
    }
  }

  static int setOpPrec(SelectStmt::SetOp op) { return op == SelectStmt::SetOp::Intersect ? 2 : 1; }

  /// Whether a set-operation branch has clauses that only a parenthesized
  /// query may carry.
  static bool hasOwnClauses(const SelectStmt& s) {
    return static_cast<bool>(s.with) || !s.order_by.empty() || static_cast<bool>(s.limit_count) ||
           s.limit_all || static_cast<bool>(s.offset) ||
           s.limit_style != SelectStmt::LimitStyle::Limit || !s.locking.empty() ||
           s.into.has_value();
  }

  void setOpBranch(const SelectStmt& branch, const SelectStmt& parent, bool right) {
    bool parens = hasOwnClauses(branch);
    if (branch.kind == SelectStmt::Kind::SetOp) {
      const int child = setOpPrec(branch.op);
      const int mine = setOpPrec(parent.op);
      parens = parens || child < mine || (right && child == mine);
    }
    if (parens) put('(');
    select(branch);
    if (parens) put(')');
  }

  void setOperation(const SelectStmt& s) {
    if (s.left) setOpBranch(*s.left, s, false);
    switch (s.op) {
      case SelectStmt::SetOp::Union:
        put(" UNION ");
        break;
      case SelectStmt::SetOp::Intersect:
        put(" INTERSECT ");
        break;
      case SelectStmt::SetOp::Except:
        put(" EXCEPT ");
        break;
    }
    if (s.set_all) {
      put("ALL ");
    } else if (s.set_distinct) {
      put("DISTINCT ");
    }
    if (s.right) setOpBranch(*s.right, s, true);
  }

  /// FETCH FIRST takes a c_expr or a signed number.
  void fetchCount(const Expr& e) {
    if (const auto* op = e.as<OpExpr>(); op != nullptr && isSignedConstant(*op)) {
      expr(e);
      return;
    }
    if (const auto* lit = e.as<Literal>(); lit != nullptr && isNumeric(*lit)) {
      expr(e);
      return;
    }
    primaryOperand(e);
  }

  void selectTail(const SelectStmt& s) {
    if (!s.order_by.empty()) {
      put(" ORDER BY ");
      sortList(s.order_by);
    }
    if (s.limit_style == SelectStmt::LimitStyle::Limit) {
      if (s.limit_all) {
        put(" LIMIT ALL");
      } else if (s.limit_count) {
        put(" LIMIT ");
        expr(*s.limit_count);
      }
      if (s.offset) {
        put(" OFFSET ");
        expr(*s.offset);
      }
    } else {
      // The SQL-standard order: OFFSET comes before FETCH.
      if (s.offset) {
        put(" OFFSET ");
        expr(*s.offset);
        put(" ROWS");
      }
      put(" FETCH FIRST ");
      if (s.limit_count) {
        fetchCount(*s.limit_count);
        put(' ');
      }
      put(s.limit_style == SelectStmt::LimitStyle::FetchWithTies ? "ROWS WITH TIES" : "ROWS ONLY");
    }
    for (const auto& lock : s.locking) lockingClause(lock);
  }

  void lockingClause(const LockingClause& l) {
    switch (l.strength) {
      case LockingClause::Strength::Update:
        put(" FOR UPDATE");
        break;
      case LockingClause::Strength::NoKeyUpdate:
        put(" FOR NO KEY UPDATE");
        break;
      case LockingClause::Strength::Share:
        put(" FOR SHARE");
        break;
      case LockingClause::Strength::KeyShare:
        put(" FOR KEY SHARE");
        break;
    }
    if (!l.of.empty()) {
      put(" OF ");
      for (size_t i = 0; i < l.of.size(); ++i) {
        if (i > 0) put(", ");
        qualifiedName(l.of[i]);
      }
    }
    switch (l.wait) {
      case LockingClause::Wait::Block:
        break;
      case LockingClause::Wait::NoWait:
        put(" NOWAIT");
        break;
      case LockingClause::Wait::SkipLocked:
        put(" SKIP LOCKED");
        break;
    }
  }

  // --- Data changes ----------------------------------------------------------

  void targetColumn(const TargetColumn& c) {
    ident(c.name);
    for (const auto& item : c.indirection) indirectionItem(item);
  }

  void targetColumns(const std::vector<TargetColumn>& cols) {
    for (size_t i = 0; i < cols.size(); ++i) {
      if (i > 0) put(", ");
      targetColumn(cols[i]);
    }
  }

  void setClauses(const std::vector<SetClause>& set) {
    for (size_t i = 0; i < set.size(); ++i) {
      if (i > 0) put(", ");
      if (set[i].multi) {
        put('(');
        targetColumns(set[i].columns);
        put(')');
      } else if (!set[i].columns.empty()) {
        targetColumn(set[i].columns[0]);
      }
      put(" = ");
      expr(set[i].value);
    }
  }

  void returning(const std::vector<ResTarget>& targets) {
    if (targets.empty()) return;
    put(" RETURNING ");
    targetList(targets);
  }

  void overriding(Overriding o) {
    switch (o) {
      case Overriding::None:
        break;
      case Overriding::SystemValue:
        put(" OVERRIDING SYSTEM VALUE");
        break;
      case Overriding::UserValue:
        put(" OVERRIDING USER VALUE");
        break;
    }
  }

  void indexElem(const IndexElem& e) {
    const auto* col = e.expr.as<ColumnRef>();
    const bool bare_column = col != nullptr && col->fields.size() == 1 && !col->star;
    const bool bare_call = e.expr.as<FuncCall>() != nullptr || e.expr.as<SpecialFunc>() != nullptr;
    if (!e.parenthesized && (bare_column || bare_call)) {
      expr(e.expr);
    } else {
      put('(');
      expr(e.expr);
      put(')');
    }
    if (e.collation) {
      put(" COLLATE ");
      qualifiedName(*e.collation);
    }
    if (e.opclass) {
      put(' ');
      qualifiedName(*e.opclass);
    }
  }

  void onConflict(const OnConflict& c) {
    put(" ON CONFLICT");
    if (!c.target.empty()) {
      put(" (");
      for (size_t i = 0; i < c.target.size(); ++i) {
        if (i > 0) put(", ");
        indexElem(c.target[i]);
      }
      put(')');
      if (c.target_where) {
        put(" WHERE ");
        expr(*c.target_where);
      }
    } else if (!c.constraint.empty()) {
      put(" ON CONSTRAINT ");
      ident(c.constraint);
    }
    if (c.action == OnConflict::Action::Nothing) {
      put(" DO NOTHING");
      return;
    }
    put(" DO UPDATE SET ");
    setClauses(c.set);
    if (c.where) {
      put(" WHERE ");
      expr(*c.where);
    }
  }

  void print(const SelectStmt& s) { select(s); }

  void print(const InsertStmt& s) {
    if (s.with) withClause(*s.with);
    put("INSERT INTO ");
    qualifiedName(s.relation.name);
    if (s.relation.alias) {
      put(" AS ");
      ident(s.relation.alias->name);
    }
    if (!s.columns.empty()) {
      put(" (");
      targetColumns(s.columns);
      put(')');
    }
    overriding(s.overriding);
    if (s.source) {
      put(' ');
      select(*s.source);
    } else {
      put(" DEFAULT VALUES");
    }
    if (s.on_conflict) onConflict(*s.on_conflict);
    returning(s.returning);
  }

  void whereOrCurrent(const ExprPtr& where, const std::string& current_of) {
    if (!current_of.empty()) {
      put(" WHERE CURRENT OF ");
      ident(current_of);
    } else if (where) {
      put(" WHERE ");
      expr(*where);
    }
  }

  void print(const UpdateStmt& s) {
    if (s.with) withClause(*s.with);
    put("UPDATE ");
    relationWithAlias(s.relation);
    put(" SET ");
    setClauses(s.set);
    if (!s.from.empty()) {
      put(" FROM ");
      fromList(s.from);
    }
    whereOrCurrent(s.where, s.current_of);
    returning(s.returning);
  }

  void print(const DeleteStmt& s) {
    if (s.with) withClause(*s.with);
    put("DELETE FROM ");
    relationWithAlias(s.relation);
    if (!s.using_.empty()) {
      put(" USING ");
      fromList(s.using_);
    }
    whereOrCurrent(s.where, s.current_of);
    returning(s.returning);
  }

  void print(const MergeStmt& s) {
    if (s.with) withClause(*s.with);
    put("MERGE INTO ");
    relationWithAlias(s.target);
    put(" USING ");
    // `USING a JOIN b ON x ON cond` is hard to read and easy to misparse.
    const auto* join = s.source.as<JoinExpr>();
    if (join != nullptr && !join->alias) {
      put('(');
      tableRef(s.source);
      put(')');
    } else {
      tableRef(s.source);
    }
    put(" ON ");
    expr(s.on);
    for (const auto& when : s.whens) mergeWhen(when);
  }

  void mergeWhen(const MergeWhen& w) {
    put(w.matched ? " WHEN MATCHED" : " WHEN NOT MATCHED");
    if (w.condition) {
      put(" AND ");
      expr(*w.condition);
    }
    put(" THEN ");
    switch (w.action) {
      case MergeWhen::Action::Update:
        put("UPDATE SET ");
        setClauses(w.set);
        break;
      case MergeWhen::Action::Delete:
        put("DELETE");
        break;
      case MergeWhen::Action::DoNothing:
        put("DO NOTHING");
        break;
      case MergeWhen::Action::Insert:
        put("INSERT");
        if (!w.insert_columns.empty()) {
          put(" (");
          targetColumns(w.insert_columns);
          put(')');
        }
        overriding(w.overriding);
        if (w.default_values) {
          put(" DEFAULT VALUES");
        } else {
          put(" VALUES (");
          exprList(w.insert_values);
          put(')');
        }
        break;
    }
  }

  // --- Statements wrapping statements ----------------------------------------

  /// An option name as given when it is a plain lower-case word.
  void optionName(const std::string& name, bool upper) {
    const bool plain = !name.empty() && isIdentStart(name[0]) &&
                       std::all_of(name.begin(), name.end(), isIdentChar);
    if (!plain) {
      ident(name);
    } else if (upper) {
      for (char c : name) put(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    } else {
      put(name);
    }
  }

  void genericOptions(const std::vector<GenericOption>& options, bool upper) {
    put('(');
    for (size_t i = 0; i < options.size(); ++i) {
      if (i > 0) put(", ");
      optionName(options[i].name, upper);
      if (!options[i].value.empty()) {
        put(' ');
        put(options[i].value);
      }
    }
    put(')');
  }

  void print(const ExplainStmt& s) {
    put("EXPLAIN ");
    if (!s.options.empty()) {
      genericOptions(s.options, false);
      put(' ');
    }
    if (s.statement) statement(*s.statement);
  }

  void print(const PrepareStmt& s) {
    put("PREPARE ");
    ident(s.name);
    if (!s.param_types.empty()) {
      put('(');
      for (size_t i = 0; i < s.param_types.size(); ++i) {
        if (i > 0) put(", ");
        type(s.param_types[i]);
      }
      put(')');
    }
    put(" AS ");
    if (s.statement) statement(*s.statement);
  }

  void print(const ExecuteStmt& s) {
    put("EXECUTE ");
    ident(s.name);
    if (!s.params.empty()) {
      put('(');
      exprList(s.params);
      put(')');
    }
  }

  void print(const DeclareCursorStmt& s) {
    put("DECLARE ");
    ident(s.name);
    // WITH / WITHOUT HOLD goes after CURSOR; every other option before it.
    std::string hold;
    for (size_t i = 0; i < s.options.size(); ++i) {
      const std::string& word = s.options[i];
      if (word == "WITH HOLD" || word == "WITHOUT HOLD") {
        hold = word;
      } else if ((word == "WITH" || word == "WITHOUT") && i + 1 < s.options.size() &&
                 s.options[i + 1] == "HOLD") {
        hold = word + " HOLD";
        ++i;
      } else {
        put(' ');
        put(word);
      }
    }
    put(" CURSOR");
    if (!hold.empty()) {
      put(' ');
      put(hold);
    }
    put(" FOR ");
    if (s.query) statement(*s.query);
  }

  void print(const CopyStmt& s) {
    put("COPY ");
    if (s.binary) put("BINARY ");
    if (s.relation) {
      qualifiedName(s.relation->name);
      if (!s.columns.empty()) {
        put(" (");
        identList(s.columns);
        put(')');
      }
    } else {
      put('(');
      if (s.query) statement(*s.query);
      put(')');
    }
    put(s.is_from ? " FROM " : " TO ");
    switch (s.target) {
      case CopyStmt::Target::Stdin:
        put("STDIN");
        break;
      case CopyStmt::Target::Stdout:
        put("STDOUT");
        break;
      case CopyStmt::Target::Program:
        put("PROGRAM ");
        put(quoteLiteral(s.filename));
        break;
      case CopyStmt::Target::File:
        put(quoteLiteral(s.filename));
        break;
    }
    if (!s.options.empty()) {
      put(' ');
      if (s.legacy_options) {
        for (size_t i = 0; i < s.options.size(); ++i) {
          if (i > 0) put(' ');
          put(s.options[i].name);
          if (!s.options[i].value.empty()) {
            put(' ');
            put(s.options[i].value);
          }
        }
      } else {
        genericOptions(s.options, true);
      }
    }
    if (s.where) {
      put(" WHERE ");
      expr(*s.where);
    }
  }

  void print(const UtilityStmt& s) {
    for (size_t i = 0; i < s.pieces.size(); ++i) {
      if (i > 0) put(' ');
      const auto& value = s.pieces[i].value;
      if (const auto* token = std::get_if<std::string>(&value)) {
        if (normalizing()) {
          put(normalizedToken(*token));
        } else {
          put(*token);
        }
      } else if (const auto* stmt = std::get_if<Box<Statement>>(&value)) {
        if (*stmt) statement(**stmt);
      } else if (const auto* e = std::get_if<Box<Expr>>(&value)) {
        if (*e) expr(**e);
      }
    }
  }

  const PrintOptions& options_;
  std::string out_;
  /// Nesting depth of parts printed as written even when normalizing.
  int verbatim_ = 0;
};

}  // namespace

std::string toSql(const Statement& stmt, const PrintOptions& options) {
  Printer p(options);
  p.statement(stmt);
  return p.take();
}

std::string toSql(const SelectStmt& stmt, const PrintOptions& options) {
  Printer p(options);
  p.select(stmt);
  return p.take();
}

std::string toSql(const Expr& expr, const PrintOptions& options) {
  Printer p(options);
  p.expr(expr);
  return p.take();
}

std::string toSql(const TypeName& type, const PrintOptions& options) {
  Printer p(options);
  p.type(type);
  return p.take();
}

std::string toSql(const TableRef& ref, const PrintOptions& options) {
  Printer p(options);
  p.tableRef(ref);
  return p.take();
}

std::string quoteIdentifier(std::string_view name) {
  bool bare =
      !name.empty() && isIdentStart(name[0]) && std::all_of(name.begin(), name.end(), isIdentChar);
  if (bare) {
    const auto category = keywordCategory(name);
    bare = !category || *category == KeywordCategory::Unreserved;
  }
  if (bare) return std::string(name);
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string quoteLiteral(std::string_view s) {
  const bool needs_escape = std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\\' || u < 0x20 || u == 0x7f;
  });
  std::string out;
  out.reserve(s.size() + 3);
  if (!needs_escape) {
    out += '\'';
    for (char c : s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    out += '\'';
    return out;
  }
  // E'...' reads the same whatever standard_conforming_strings says.
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "E'";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "''";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          // Always two hex digits, so a following digit is not taken in.
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '\'';
  return out;
}

}  // namespace sqlwarden::sql
