// Expressions, constants, type names and names: parse tree -> AST.
#include <algorithm>
#include <cstdlib>
#include <functional>

#include "common/utf8.hpp"
#include "sql/parser/transform.hpp"

namespace sqlwarden::sql::detail {

namespace {

using antlr4::tree::TerminalNode;

bool isHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// The value of hex digit `c` (precondition: isHex(c)).
uint32_t hexValue(char c) {
  return static_cast<uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
}


/// The bodies of the quoted segments of a (possibly continued) literal:
/// `'a' \n 'b'` -> "a" + "b". `escapes` keeps backslash pairs intact so the
/// caller can decode them.
std::string quotedBody(std::string_view text, bool backslash_escapes) {
  std::string out;
  size_t i = text.find('\'');
  while (i != std::string_view::npos && i < text.size()) {
    ++i;  // opening quote
    while (i < text.size()) {
      const char c = text[i];
      if (backslash_escapes && c == '\\' && i + 1 < text.size()) {
        out += c;
        out += text[i + 1];
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          out += '\'';
          i += 2;
        } else {
          ++i;  // closing quote
          break;
        }
      } else {
        out += c;
        ++i;
      }
    }
    // Skip whitespace and comments to the next segment, if any.
    i = text.find('\'', i);
    if (i == std::string_view::npos) break;
    // Quotes inside a `--` comment between segments cannot occur: the lexer's
    // continuation rule only allows comments that end at a newline before the
    // next quote, and the comment text cannot hold a quote we would stop at
    // unless it is the next segment. Guard anyway by requiring what we skipped
    // to hold no comment quote.
  }
  return out;
}

}  // namespace

std::string foldIdentifier(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Span Transformer::span(antlr4::ParserRuleContext* ctx) const {
  if (ctx == nullptr || ctx->getStart() == nullptr) return {};
  const auto* stop = ctx->getStop() != nullptr ? ctx->getStop() : ctx->getStart();
  size_t end = stop->getStopIndex() + 1;
  if (stop->getType() == antlr4::Token::EOF || end < ctx->getStart()->getStartIndex())
    end = ctx->getStart()->getStartIndex();
  return Span{static_cast<uint32_t>(ctx->getStart()->getStartIndex()),
              static_cast<uint32_t>(end)};
}

Span Transformer::span(antlr4::tree::TerminalNode* node) const {
  auto* t = node->getSymbol();
  return Span{static_cast<uint32_t>(t->getStartIndex()),
              static_cast<uint32_t>(t->getStopIndex() + 1)};
}

void Transformer::fail(antlr4::ParserRuleContext* ctx, const std::string& message) const {
  fail(span(ctx), message);
}

void Transformer::fail(Span s, const std::string& message) const {
  throw TransformError{Diagnostic::error("sql-unsupported", message, s)};
}

std::string Transformer::sourceText(antlr4::ParserRuleContext* ctx) const {
  const Span s = span(ctx);
  if (s.end <= s.begin || s.end > source_.size()) return {};
  return std::string(source_.substr(s.begin, s.end - s.begin));
}

// ---------------------------------------------------------------------------
// Names

char Transformer::uescape(antlr4::tree::TerminalNode* escape_string) {
  if (escape_string == nullptr) return '\\';
  const std::string e = quotedBody(escape_string->getText(), false);
  if (e.size() != 1 || isHex(e[0]) || e[0] == '+' || e[0] == '\'' || e[0] == '"' ||
      e[0] == ' ' || e[0] == '\t' || e[0] == '\n' || e[0] == '\r')
    fail(span(escape_string), "invalid Unicode escape character");
  return e[0];
}

std::string Transformer::decodeUnicode(const std::string& raw, char esc,
                                       antlr4::ParserRuleContext* ctx, const char* malformed) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != esc) {
      out += raw[i];
      continue;
    }
    if (i + 1 < raw.size() && raw[i + 1] == esc) {
      out += esc;
      ++i;
      continue;
    }
    size_t digits = 4;
    size_t start = i + 1;
    if (start < raw.size() && raw[start] == '+') {
      digits = 6;
      ++start;
    }
    if (start + digits > raw.size()) fail(ctx, malformed);
    uint32_t cp = 0;
    for (size_t k = 0; k < digits; ++k) {
      const char h = raw[start + k];
      if (!isHex(h)) fail(ctx, malformed);
      cp = cp * 16 + hexValue(h);
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      fail(ctx, "invalid Unicode escape value");
    appendUtf8(out, cp);
    i = start + digits - 1;
  }
  return out;
}

std::string Transformer::name(antlr4::ParserRuleContext* ctx) {
  // A name rule holds either an identifier token (first child) or a keyword
  // rule, whose text is the keyword as written.
  if (!SqlContextBase::isTerminal(ctx->children.front())) return foldIdentifier(ctx->getText());
  auto* first = SqlContextBase::terminal(ctx->children.front());
  const size_t type = first->getSymbol()->getType();
  if (type == P::IDENT) return foldIdentifier(first->getText());
  if (type == P::QUOTED_IDENT) {
    const std::string text = first->getText();
    std::string out;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      out += text[i];
      if (text[i] == '"') ++i;  // "" -> "
    }
    return out;
  }
  // U&"..." [UESCAPE 'c']
  const std::string text = first->getText();
  const char esc =
      uescape(ctx->children.size() == 3 ? SqlContextBase::terminal(ctx->children[2]) : nullptr);
  std::string raw;
  for (size_t i = 3; i + 1 < text.size(); ++i) {
    raw += text[i];
    if (text[i] == '"') ++i;
  }
  const std::string out = decodeUnicode(raw, esc, ctx, "invalid Unicode escape value");
  if (out.empty()) fail(ctx, "zero-length delimited identifier");
  return out;
}

std::string Transformer::colId(P::ColIdContext* ctx) { return name(ctx); }

std::string Transformer::colLabel(P::ColLabelContext* ctx) { return name(ctx); }

std::string Transformer::typeFunctionName(P::TypeFunctionNameContext* ctx) { return name(ctx); }

QualifiedName Transformer::qualifiedName(P::QualifiedNameContext* ctx) {
  QualifiedName q;
  q.parts.push_back(colId(ctx->colId()));
  for (auto* l : ctx->colLabel()) q.parts.push_back(colLabel(l));
  return q;
}

QualifiedName Transformer::anyName(P::AnyNameContext* ctx) {
  QualifiedName q;
  q.parts.push_back(colId(ctx->colId()));
  for (auto* l : ctx->colLabel()) q.parts.push_back(colLabel(l));
  return q;
}

QualifiedName Transformer::funcName(P::FuncNameContext* ctx) {
  QualifiedName q;
  if (auto* t = ctx->typeFunctionName()) {
    q.parts.push_back(typeFunctionName(t));
    return q;
  }
  q.parts.push_back(colId(ctx->colId()));
  for (auto* l : ctx->colLabel()) q.parts.push_back(colLabel(l));
  return q;
}

std::vector<std::string> Transformer::nameList(P::NameListContext* ctx) {
  std::vector<std::string> out;
  for (auto* c : ctx->colId()) out.push_back(colId(c));
  return out;
}

// ---------------------------------------------------------------------------
// Constants

std::string Transformer::stringValue(P::SconstContext* ctx) {
  if (auto* t = ctx->STRING()) return quotedBody(t->getText(), false);
  if (auto* t = ctx->NATIONAL_STRING()) return quotedBody(t->getText(), false);
  if (auto* t = ctx->DOLLAR_STRING()) {
    const std::string text = t->getText();
    const size_t tag_end = text.find('$', 1);
    const size_t tag_len = tag_end + 1;
    return text.substr(tag_len, text.size() - 2 * tag_len);
  }
  if (auto* t = ctx->ESCAPE_STRING()) {
    const std::string body = quotedBody(t->getText(), true);
    std::string out;
    for (size_t i = 0; i < body.size(); ++i) {
      const char c = body[i];
      if (c != '\\' || i + 1 >= body.size()) {
        out += c;
        continue;
      }
      const char n = body[++i];
      switch (n) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'x': {
          uint32_t v = 0;
          size_t k = 0;
          while (k < 2 && i + 1 < body.size() && isHex(body[i + 1])) {
            v = v * 16 + hexValue(body[++i]);
            ++k;
          }
          if (k == 0) {
            out += 'x';
          } else {
            if (v == 0) fail(ctx, "invalid byte sequence: \\x00 in escape string");
            out += static_cast<char>(v);
          }
          break;
        }
        case 'u':
        case 'U': {
          const size_t digits = n == 'u' ? 4 : 8;
          if (i + digits >= body.size()) fail(ctx, "invalid Unicode escape");
          uint32_t cp = 0;
          for (size_t k = 0; k < digits; ++k) {
            const char h = body[i + 1 + k];
            if (!isHex(h)) fail(ctx, "invalid Unicode escape");
            cp = cp * 16 + hexValue(h);
          }
          i += digits;
          if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            fail(ctx, "invalid Unicode escape value");
          appendUtf8(out, cp);
          break;
        }
        default:
          if (n >= '0' && n <= '7') {
            uint32_t v = static_cast<uint32_t>(n - '0');
            size_t k = 1;
            while (k < 3 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7') {
              v = v * 8 + static_cast<uint32_t>(body[++i] - '0');
              ++k;
            }
            if ((v & 0xFF) == 0) fail(ctx, "invalid byte sequence: \\0 in escape string");
            out += static_cast<char>(v & 0xFF);
          } else {
            out += n;
          }
      }
    }
    return out;
  }
  // U&'...' [UESCAPE '...']
  const std::string raw = quotedBody(ctx->UNICODE_STRING()->getText().substr(2), false);
  return decodeUnicode(raw, uescape(ctx->STRING()), ctx, "invalid Unicode escape");
}

namespace {

/// Digits of an integer literal without `_`; 0x / 0o / 0b converted to
/// decimal so the output runs on servers older than PostgreSQL 16.
std::string integerDigits(const std::string& text) {
  std::string digits;
  for (char c : text)
    if (c != '_') digits += c;
  if (digits.size() > 2 && digits[0] == '0' &&
      (digits[1] == 'x' || digits[1] == 'X' || digits[1] == 'o' || digits[1] == 'O' ||
       digits[1] == 'b' || digits[1] == 'B')) {
    const int base = (digits[1] == 'x' || digits[1] == 'X') ? 16
                     : (digits[1] == 'o' || digits[1] == 'O') ? 8
                                                              : 2;
    // Arbitrary precision: repeated multiply-add on a decimal digit string.
    std::string dec = "0";
    for (size_t i = 2; i < digits.size(); ++i) {
      const char c = digits[i];
      const int v = (c >= '0' && c <= '9') ? c - '0' : (c | 0x20) - 'a' + 10;
      int carry = v;
      for (size_t k = dec.size(); k-- > 0;) {
        const int d = (dec[k] - '0') * base + carry;
        dec[k] = static_cast<char>('0' + d % 10);
        carry = d / 10;
      }
      while (carry > 0) {
        dec.insert(dec.begin(), static_cast<char>('0' + carry % 10));
        carry /= 10;
      }
    }
    size_t nz = dec.find_first_not_of('0');
    return nz == std::string::npos ? "0" : dec.substr(nz);
  }
  return digits;
}

std::string stripUnderscores(const std::string& text) {
  std::string out;
  for (char c : text)
    if (c != '_') out += c;
  return out;
}

Expr makeLiteral(Literal::Kind kind, std::string value, Span span) {
  return Expr{Literal{kind, std::move(value)}, span};
}

}  // namespace

Expr Transformer::constant(P::AexprConstContext* ctx) {
  const Span sp = span(ctx);
  if (auto* c = as<P::ConstIntegerContext>(ctx)) {
    return makeLiteral(Literal::Kind::Integer, integerDigits(c->INTEGER()->getText()), sp);
  }
  if (auto* c = as<P::ConstNumericContext>(ctx))
    return makeLiteral(Literal::Kind::Numeric, stripUnderscores(c->NUMERIC()->getText()), sp);
  if (auto* c = as<P::ConstStringContext>(ctx)) {
    if (c->sconst()->NATIONAL_STRING() != nullptr) {
      // N'...' is a string of type char (bpchar): keep the type explicit.
      TypeCast cast{TypeCast::Syntax::Prefix,
                    makeLiteral(Literal::Kind::String, stringValue(c->sconst()), sp), TypeName{}};
      cast.type->kind = TypeName::Kind::Char;
      return Expr{std::move(cast), sp};
    }
    return makeLiteral(Literal::Kind::String, stringValue(c->sconst()), sp);
  }
  if (auto* c = as<P::ConstBitsContext>(ctx))
    return makeLiteral(Literal::Kind::BitString, quotedBody(c->BIT_STRING()->getText(), false),
                       sp);
  if (auto* c = as<P::ConstHexContext>(ctx))
    return makeLiteral(Literal::Kind::HexString, quotedBody(c->HEX_STRING()->getText(), false),
                       sp);
  if (as<P::ConstTrueContext>(ctx)) return makeLiteral(Literal::Kind::Boolean, "true", sp);
  if (as<P::ConstFalseContext>(ctx))
    return makeLiteral(Literal::Kind::Boolean, "false", sp);
  if (as<P::ConstNullContext>(ctx)) return makeLiteral(Literal::Kind::Null, "", sp);

  TypeCast cast;
  cast.type = TypeName{};
  cast.syntax = TypeCast::Syntax::Prefix;
  if (auto* c = as<P::ConstTypedGenericContext>(ctx)) {
    cast.type->name = funcName(c->funcName());
    cast.type->span = span(c->funcName());
    cast.arg = makeLiteral(Literal::Kind::String, stringValue(c->sconst()), span(c->sconst()));
  } else if (auto* c = as<P::ConstTypedGenericModContext>(ctx)) {
    cast.type->name = funcName(c->funcName());
    for (auto& a : funcArgs(c->funcArgList())) {
      if (a.name) fail(c->funcArgList(), "type modifier cannot have parameter name");
      cast.type->modifiers.push_back(std::move(*a.value));
    }
    cast.arg = makeLiteral(Literal::Kind::String, stringValue(c->sconst()), span(c->sconst()));
  } else if (auto* c = as<P::ConstTypedContext>(ctx)) {
    cast.type = constTypeName(c->constTypeName());
    cast.arg = makeLiteral(Literal::Kind::String, stringValue(c->sconst()), span(c->sconst()));
  } else if (auto* c = as<P::ConstIntervalContext>(ctx)) {
    cast.type->kind = TypeName::Kind::Interval;
    if (c->intervalFields())
      cast.type->interval_fields = intervalFields(c->intervalFields(), cast.type->modifiers);
    cast.arg = makeLiteral(Literal::Kind::String, stringValue(c->sconst()), span(c->sconst()));
  } else if (auto* c = as<P::ConstIntervalPrecisionContext>(ctx)) {
    cast.type->kind = TypeName::Kind::Interval;
    cast.type->modifiers.push_back(makeLiteral(
        Literal::Kind::Integer, integerDigits(c->INTEGER()->getText()), span(c->INTEGER())));
    cast.arg = makeLiteral(Literal::Kind::String, stringValue(c->sconst()), span(c->sconst()));
  } else {
    fail(ctx, "unsupported constant");
  }
  return Expr{std::move(cast), sp};
}

// ---------------------------------------------------------------------------
// Types

std::string Transformer::intervalFields(P::IntervalFieldsContext* ctx, ExprList& modifiers) {
  std::string out;
  for (auto* child : ctx->children) {
    if (auto* sec = as<P::IntervalSecondContext>(child)) {
      if (!out.empty()) out += ' ';
      out += "SECOND";
      if (sec->INTEGER()) {
        modifiers.push_back(makeLiteral(Literal::Kind::Integer,
                                        integerDigits(sec->INTEGER()->getText()),
                                        span(sec->INTEGER())));
      }
    } else {
      if (!out.empty()) out += ' ';
      std::string word = child->getText();
      for (char& c : word)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      out += word;
    }
  }
  return out;
}

TypeName Transformer::constTypeName(P::ConstTypeNameContext* ctx) {
  TypeName t;
  t.span = span(ctx);
  auto intMod = [&](TerminalNode* n) {
    if (n == nullptr) return;
    t.modifiers.push_back(
        makeLiteral(Literal::Kind::Integer, integerDigits(n->getText()), span(n)));
  };
  if (auto* n = ctx->numericType()) {
    if (n->K_INT() || n->K_INTEGER()) t.kind = TypeName::Kind::Integer;
    else if (n->K_SMALLINT()) t.kind = TypeName::Kind::SmallInt;
    else if (n->K_BIGINT()) t.kind = TypeName::Kind::BigInt;
    else if (n->K_REAL()) t.kind = TypeName::Kind::Real;
    else if (n->K_BOOLEAN()) t.kind = TypeName::Kind::Boolean;
    else if (n->K_DOUBLE()) t.kind = TypeName::Kind::DoublePrecision;
    else if (n->K_FLOAT()) {
      t.kind = TypeName::Kind::Float;
      intMod(n->INTEGER());
    } else {
      t.kind = TypeName::Kind::Numeric;  // DECIMAL and DEC are NUMERIC in PostgreSQL
      if (n->exprList()) t.modifiers = exprList(n->exprList());
    }
  } else if (auto* b = ctx->bitType()) {
    t.kind = b->K_VARYING() ? TypeName::Kind::BitVarying : TypeName::Kind::Bit;
    if (b->exprList()) t.modifiers = exprList(b->exprList());
  } else if (auto* c = ctx->characterType()) {
    t.kind = (c->K_VARCHAR() || c->K_VARYING()) ? TypeName::Kind::Varchar : TypeName::Kind::Char;
    intMod(c->INTEGER());
  } else if (auto* d = ctx->datetimeType()) {
    const bool tz = d->K_WITH() != nullptr;
    if (d->K_TIMESTAMP()) t.kind = tz ? TypeName::Kind::TimestampTz : TypeName::Kind::Timestamp;
    else t.kind = tz ? TypeName::Kind::TimeTz : TypeName::Kind::Time;
    intMod(d->INTEGER());
  } else if (ctx->K_JSON()) {
    t.kind = TypeName::Kind::Json;
  } else {
    fail(ctx, "unsupported type name");
  }
  return t;
}

TypeName Transformer::simpleTypeName(P::SimpleTypeNameContext* ctx) {
  if (auto* c = ctx->constTypeName()) return constTypeName(c);
  TypeName t;
  t.span = span(ctx);
  if (ctx->K_INTERVAL()) {
    t.kind = TypeName::Kind::Interval;
    if (ctx->intervalFields()) t.interval_fields = intervalFields(ctx->intervalFields(), t.modifiers);
    if (ctx->INTEGER()) {
      t.modifiers.push_back(makeLiteral(Literal::Kind::Integer,
                                        integerDigits(ctx->INTEGER()->getText()),
                                        span(ctx->INTEGER())));
    }
    return t;
  }
  auto* g = ctx->genericType();
  t.name.parts.push_back(typeFunctionName(g->typeFunctionName()));
  for (auto* l : g->colLabel()) t.name.parts.push_back(colLabel(l));
  if (g->exprList()) t.modifiers = exprList(g->exprList());
  return t;
}

TypeName Transformer::typeName(P::TypeNameContext* ctx) {
  if (auto* c = as<P::TypePercentContext>(ctx)) {
    TypeName t;
    t.span = span(ctx);
    t.percent_type = qualifiedName(c->qualifiedName());
    return t;
  }
  if (auto* c = as<P::TypeWithBoundsContext>(ctx)) {
    TypeName t = simpleTypeName(c->simpleTypeName());
    t.span = span(ctx);
    t.setof = c->K_SETOF() != nullptr;
    auto* bounds = c->arrayBounds();
    for (size_t i = 0; i < bounds->children.size(); ++i) {
      auto* term = dynamic_cast<TerminalNode*>(bounds->children[i]);
      if (term == nullptr) continue;
      if (term->getSymbol()->getType() == P::LBRACKET) {
        auto* next = dynamic_cast<TerminalNode*>(bounds->children[i + 1]);
        if (next != nullptr && next->getSymbol()->getType() == P::INTEGER) {
          t.array_bounds.push_back(std::strtoll(next->getText().c_str(), nullptr, 10));
        } else {
          t.array_bounds.push_back(-1);
        }
      }
    }
    return t;
  }
  auto* c = as<P::TypeArrayKeywordContext>(ctx);
  TypeName t = simpleTypeName(c->simpleTypeName());
  t.span = span(ctx);
  t.setof = c->K_SETOF() != nullptr;
  t.array_keyword = true;
  t.array_bounds.push_back(c->INTEGER() ? std::strtoll(c->INTEGER()->getText().c_str(), nullptr, 10)
                                        : -1);
  return t;
}

// ---------------------------------------------------------------------------
// Operators

std::vector<std::string> Transformer::anyOperator(P::AnyOperatorContext* ctx) {
  std::vector<std::string> out;
  for (auto* c : ctx->colId()) out.push_back(colId(c));
  out.push_back(ctx->allOp()->getText() == "!=" ? "<>" : ctx->allOp()->getText());
  return out;
}

std::vector<std::string> Transformer::qualOp(P::QualOpContext* ctx, bool& explicit_syntax) {
  if (ctx->anyOperator()) {
    explicit_syntax = true;
    return anyOperator(ctx->anyOperator());
  }
  explicit_syntax = false;
  return {ctx->OPERATOR()->getText()};
}

Expr Transformer::binary(std::string op, Expr left, Expr right, Span sp) {
  if (op == "!=") op = "<>";
  OpExpr e;
  e.op.push_back(std::move(op));
  e.left = std::move(left);
  e.right = std::move(right);
  return Expr{std::move(e), sp};
}

// ---------------------------------------------------------------------------
// Expressions

namespace {

/// The operator token of a binary or unary alternative: the first terminal
/// child (the alternatives have exactly one).
TerminalNode* firstTerminal(antlr4::ParserRuleContext* ctx) {
  for (auto* c : ctx->children)
    if (SqlContextBase::isTerminal(c)) return SqlContextBase::terminal(c);
  return nullptr;
}

void flattenInto(BoolExpr::Op op, Expr e, ExprList& out) {
  if (auto* b = e.as<BoolExpr>(); b != nullptr && b->op == op) {
    for (auto& a : b->args) out.push_back(std::move(a));
  } else {
    out.push_back(std::move(e));
  }
}

}  // namespace

Expr Transformer::expr(P::AExprContext* ctx) {
  DepthGuard guard(*this, ctx);
  const Span sp = span(ctx);

  if (auto* c = as<P::ExprPrimaryContext>(ctx)) return cexpr(c->cExpr());

  // AND / OR chains are left-deep in the tree and can be long (ORM-generated
  // filters): walk the left spine iteratively instead of recursing.
  if (as<P::ExprAndContext>(ctx) || as<P::ExprOrContext>(ctx)) {
    const bool is_and = as<P::ExprAndContext>(ctx) != nullptr;
    std::vector<P::AExprContext*> rights;
    P::AExprContext* cur = ctx;
    while (true) {
      if (is_and) {
        auto* a = as<P::ExprAndContext>(cur);
        if (a == nullptr) break;
        rights.push_back(a->aExpr(1));
        cur = a->aExpr(0);
      } else {
        auto* o = as<P::ExprOrContext>(cur);
        if (o == nullptr) break;
        rights.push_back(o->aExpr(1));
        cur = o->aExpr(0);
      }
    }
    const auto op = is_and ? BoolExpr::Op::And : BoolExpr::Op::Or;
    BoolExpr b{op, {}};
    flattenInto(op, expr(cur), b.args);
    for (auto it = rights.rbegin(); it != rights.rend(); ++it) flattenInto(op, expr(*it), b.args);
    return Expr{std::move(b), sp};
  }
  if (auto* c = as<P::ExprNotContext>(ctx)) {
    ExprList args;
    args.push_back(expr(c->aExpr()));
    return Expr{BoolExpr{BoolExpr::Op::Not, std::move(args)}, sp};
  }
  if (auto* c = as<P::ExprCastContext>(ctx)) {
    return Expr{TypeCast{TypeCast::Syntax::DoubleColon, expr(c->aExpr()), typeName(c->typeName())},
                sp};
  }
  if (auto* c = as<P::ExprUnaryContext>(ctx)) {
    OpExpr e;
    e.op.push_back(firstTerminal(c)->getText());
    e.right = expr(c->aExpr());
    return Expr{std::move(e), sp};
  }
  if (auto* c = as<P::ExprCollateContext>(ctx)) {
    return Expr{CollateExpr{expr(c->aExpr()), anyName(c->anyName())}, sp};
  }
  if (auto* c = as<P::ExprAtTimeZoneContext>(ctx)) {
    return Expr{AtTimeZone{expr(c->aExpr(0)), expr(c->aExpr(1))}, sp};
  }
  if (auto* c = as<P::ExprBinaryContext>(ctx)) {
    if (auto* q = c->qualOp()) {
      OpExpr e;
      e.op = qualOp(q, e.explicit_syntax);
      e.left = expr(c->aExpr(0));
      e.right = expr(c->aExpr(1));
      return Expr{std::move(e), sp};
    }
    return binary(firstTerminal(c)->getText(), expr(c->aExpr(0)), expr(c->aExpr(1)), sp);
  }
  if (auto* c = as<P::ExprPrefixContext>(ctx)) {
    OpExpr e;
    e.op = qualOp(c->qualOp(), e.explicit_syntax);
    e.right = expr(c->aExpr());
    return Expr{std::move(e), sp};
  }
  if (auto* c = as<P::ExprQuantifiedContext>(ctx)) {
    QuantifiedExpr q;
    if (auto* op = c->qualOp()) {
      q.op = qualOp(op, q.explicit_syntax);
    } else if (c->K_LIKE() || c->K_ILIKE()) {
      // LIKE / NOT LIKE / ILIKE / NOT ILIKE are the operators ~~ !~~ ~~* !~~*.
      const bool neg = c->K_NOT() != nullptr;
      q.op.push_back(c->K_LIKE() ? (neg ? "!~~" : "~~") : (neg ? "!~~*" : "~~*"));
    } else {
      const std::string op = firstTerminal(c)->getText();
      q.op.push_back(op == "!=" ? "<>" : op);
    }
    auto* quant = c->quantified();
    q.all = quant->K_ALL() != nullptr;
    q.left = expr(c->aExpr());
    if (quant->selectWithParens()) {
      q.subquery = selectWithParens(quant->selectWithParens());
    } else {
      q.right = expr(quant->aExpr());
    }
    return Expr{std::move(q), sp};
  }
  if (auto* c = as<P::ExprEscapeContext>(ctx)) {
    fail(span(c->K_ESCAPE()), "syntax error at or near \"" + c->K_ESCAPE()->getText() + "\"");
  }
  if (auto* c = as<P::ExprLikeContext>(ctx)) {
    LikeExpr l;
    l.kind = c->K_ILIKE() ? LikeExpr::Kind::ILike : LikeExpr::Kind::Like;
    l.negated = c->K_NOT() != nullptr;
    l.arg = expr(c->aExpr(0));
    likePattern(c->aExpr(1), l);
    return Expr{std::move(l), sp};
  }
  if (auto* c = as<P::ExprSimilarContext>(ctx)) {
    LikeExpr l;
    l.kind = LikeExpr::Kind::SimilarTo;
    l.negated = c->K_NOT() != nullptr;
    l.arg = expr(c->aExpr(0));
    likePattern(c->aExpr(1), l);
    return Expr{std::move(l), sp};
  }
  if (auto* c = as<P::ExprBetweenContext>(ctx)) {
    BetweenExpr b;
    b.negated = c->K_NOT() != nullptr;
    b.symmetric = c->K_SYMMETRIC() != nullptr;
    b.arg = expr(c->aExpr(0));
    b.low = bexpr(c->bExpr());
    b.high = expr(c->aExpr(1));
    return Expr{std::move(b), sp};
  }
  if (auto* c = as<P::ExprInContext>(ctx)) {
    InExpr in;
    in.negated = c->K_NOT() != nullptr;
    in.arg = expr(c->aExpr());
    if (c->selectWithParens()) {
      in.subquery = selectWithParens(c->selectWithParens());
    } else {
      in.list = exprList(c->exprList());
    }
    return Expr{std::move(in), sp};
  }
  if (auto* c = as<P::ExprIsDistinctContext>(ctx)) {
    IsExpr is;
    is.kind = IsExpr::Kind::DistinctFrom;
    is.negated = c->K_NOT() != nullptr;
    is.arg = expr(c->aExpr(0));
    is.other = expr(c->aExpr(1));
    return Expr{std::move(is), sp};
  }
  if (auto* c = as<P::ExprIsContext>(ctx)) {
    IsExpr is;
    is.negated = c->K_NOT() != nullptr;
    is.kind = c->K_NULL()      ? IsExpr::Kind::Null
              : c->K_TRUE()    ? IsExpr::Kind::True
              : c->K_FALSE()   ? IsExpr::Kind::False
              : c->K_UNKNOWN() ? IsExpr::Kind::Unknown
                               : IsExpr::Kind::Document;
    is.arg = expr(c->aExpr());
    return Expr{std::move(is), sp};
  }
  if (auto* c = as<P::ExprIsNormalizedContext>(ctx)) {
    IsExpr is;
    is.kind = IsExpr::Kind::Normalized;
    is.negated = c->K_NOT() != nullptr;
    if (c->normalForm()) is.word = foldIdentifier(c->normalForm()->getText());
    for (char& ch : is.word)
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    is.arg = expr(c->aExpr());
    return Expr{std::move(is), sp};
  }
  if (auto* c = as<P::ExprIsJsonContext>(ctx)) {
    IsExpr is;
    is.kind = IsExpr::Kind::Json;
    is.negated = c->K_NOT() != nullptr;
    std::string word;
    if (c->K_VALUE()) word = "VALUE";
    else if (c->K_ARRAY()) word = "ARRAY";
    else if (c->K_OBJECT()) word = "OBJECT";
    else if (c->K_SCALAR()) word = "SCALAR";
    if (c->K_UNIQUE()) {
      if (!word.empty()) word += ' ';
      word += c->K_WITHOUT() ? "WITHOUT UNIQUE KEYS" : "WITH UNIQUE KEYS";
    }
    is.word = word;
    is.arg = expr(c->aExpr());
    return Expr{std::move(is), sp};
  }
  if (auto* c = as<P::ExprNullTestContext>(ctx)) {
    IsExpr is;
    is.kind = IsExpr::Kind::Null;
    is.negated = c->K_NOTNULL() != nullptr;
    is.arg = expr(c->aExpr());
    return Expr{std::move(is), sp};
  }
  fail(ctx, "unsupported expression");
}

void Transformer::likePattern(P::AExprContext* ctx, LikeExpr& like) {
  if (auto* e = as<P::ExprEscapeContext>(ctx)) {
    like.pattern = expr(e->aExpr(0));
    like.escape = expr(e->aExpr(1));
  } else {
    like.pattern = expr(ctx);
  }
}

Expr Transformer::bexpr(P::BExprContext* ctx) {
  DepthGuard guard(*this, ctx);
  const Span sp = span(ctx);
  if (auto* c = as<P::BPrimaryContext>(ctx)) return cexpr(c->cExpr());
  if (auto* c = as<P::BCastContext>(ctx))
    return Expr{TypeCast{TypeCast::Syntax::DoubleColon, bexpr(c->bExpr()), typeName(c->typeName())},
                sp};
  if (auto* c = as<P::BUnaryContext>(ctx)) {
    OpExpr e;
    e.op.push_back(firstTerminal(c)->getText());
    e.right = bexpr(c->bExpr());
    return Expr{std::move(e), sp};
  }
  if (auto* c = as<P::BBinaryContext>(ctx)) {
    if (auto* q = c->qualOp()) {
      OpExpr e;
      e.op = qualOp(q, e.explicit_syntax);
      e.left = bexpr(c->bExpr(0));
      e.right = bexpr(c->bExpr(1));
      return Expr{std::move(e), sp};
    }
    return binary(firstTerminal(c)->getText(), bexpr(c->bExpr(0)), bexpr(c->bExpr(1)), sp);
  }
  if (auto* c = as<P::BPrefixContext>(ctx)) {
    OpExpr e;
    e.op = qualOp(c->qualOp(), e.explicit_syntax);
    e.right = bexpr(c->bExpr());
    return Expr{std::move(e), sp};
  }
  if (auto* c = as<P::BIsDistinctContext>(ctx)) {
    IsExpr is;
    is.kind = IsExpr::Kind::DistinctFrom;
    is.negated = c->K_NOT() != nullptr;
    is.arg = bexpr(c->bExpr(0));
    is.other = bexpr(c->bExpr(1));
    return Expr{std::move(is), sp};
  }
  if (auto* c = as<P::BIsDocumentContext>(ctx)) {
    IsExpr is;
    is.kind = IsExpr::Kind::Document;
    is.negated = c->K_NOT() != nullptr;
    is.arg = bexpr(c->bExpr());
    return Expr{std::move(is), sp};
  }
  fail(ctx, "unsupported expression");
}

ExprList Transformer::exprList(P::ExprListContext* ctx) {
  ExprList out;
  out.reserve(ctx->aExpr().size());
  for (auto* e : ctx->aExpr()) out.push_back(expr(e));
  return out;
}

Expr Transformer::rowForOverlaps(P::RowForOverlapsContext* ctx) {
  RowExpr row;
  if (auto* r = ctx->explicitRow()) {
    row.explicit_row = true;
    if (r->exprList()) row.args = exprList(r->exprList());
  } else {
    row.args.push_back(expr(ctx->aExpr()));
    for (auto& e : exprList(ctx->exprList())) row.args.push_back(std::move(e));
  }
  return Expr{std::move(row), span(ctx)};
}

Expr Transformer::cexpr(P::CExprContext* ctx) {
  DepthGuard guard(*this, ctx);
  const Span sp = span(ctx);
  if (auto* c = as<P::CColumnContext>(ctx)) return columnRef(c);
  if (auto* c = as<P::CConstContext>(ctx)) return constant(c->aexprConst());
  if (auto* c = as<P::CFuncContext>(ctx)) return funcExpr(c->funcExpr());
  if (auto* c = as<P::CParensContext>(ctx)) {
    Expr first = expr(c->aExpr());
    if (c->exprList() == nullptr) {
      if (c->K_OVERLAPS()) fail(c, "wrong number of parameters on left side of OVERLAPS expression");
      // Parentheses are not kept: the printer adds them where needed. The
      // span widens to cover them.
      if (c->indirectionEl().empty()) {
        first.span = sp;
        return first;
      }
      return withIndirection(std::move(first), c->indirectionEl());
    }
    RowExpr row;
    row.args.push_back(std::move(first));
    for (auto& e : exprList(c->exprList())) row.args.push_back(std::move(e));
    Expr row_expr{std::move(row), sp};
    if (c->K_OVERLAPS()) {
      return Expr{OverlapsExpr{std::move(row_expr), rowForOverlaps(c->rowForOverlaps())}, sp};
    }
    if (!c->indirectionEl().empty()) fail(c->indirectionEl(0), "syntax error at or near \"" +
                                                                   c->indirectionEl(0)->getText() +
                                                                   "\"");
    return row_expr;
  }
  if (auto* c = as<P::CParamContext>(ctx)) {
    const std::string text = c->PARAM()->getText();
    const long n = std::strtol(text.c_str() + 1, nullptr, 10);
    if (n <= 0 || n > 65535) fail(c, "parameter number out of range: " + text);
    Expr p{ParamRef{static_cast<int32_t>(n)}, span(c->PARAM())};
    if (c->indirectionEl().empty()) return p;
    return withIndirection(std::move(p), c->indirectionEl());
  }
  if (auto* c = as<P::CSubqueryContext>(ctx)) {
    Expr q{SubqueryExpr{SubqueryExpr::Kind::Scalar, selectWithParens(c->selectWithParens())},
           span(c->selectWithParens())};
    if (c->indirectionEl().empty()) return q;
    return withIndirection(std::move(q), c->indirectionEl());
  }
  if (auto* c = as<P::CExistsContext>(ctx))
    return Expr{SubqueryExpr{SubqueryExpr::Kind::Exists, selectWithParens(c->selectWithParens())},
                sp};
  if (auto* c = as<P::CArraySubqueryContext>(ctx))
    return Expr{SubqueryExpr{SubqueryExpr::Kind::Array, selectWithParens(c->selectWithParens())},
                sp};
  if (auto* c = as<P::CArrayContext>(ctx)) return arrayBrackets(c->arrayBrackets(), false);
  if (auto* c = as<P::CGroupingContext>(ctx)) {
    SpecialFunc f;
    f.kind = SpecialFunc::Kind::Grouping;
    f.args = exprList(c->exprList());
    return Expr{std::move(f), sp};
  }
  if (auto* c = as<P::CRowContext>(ctx)) {
    RowExpr row;
    row.explicit_row = true;
    if (c->explicitRow()->exprList()) row.args = exprList(c->explicitRow()->exprList());
    Expr row_expr{std::move(row), span(c->explicitRow())};
    if (c->K_OVERLAPS())
      return Expr{OverlapsExpr{std::move(row_expr), rowForOverlaps(c->rowForOverlaps())}, sp};
    return row_expr;
  }
  if (auto* c = as<P::CCaseContext>(ctx)) return caseExpr(c->caseExpr());
  if (as<P::CDefaultContext>(ctx)) return Expr{DefaultExpr{}, sp};
  fail(ctx, "unsupported expression");
}

Expr Transformer::arrayBrackets(P::ArrayBracketsContext* ctx, bool bare) {
  DepthGuard guard(*this, ctx);
  ArrayExpr a;
  a.bare = bare;
  if (ctx->exprList()) {
    a.elements = exprList(ctx->exprList());
  } else {
    for (auto* inner : ctx->arrayBrackets()) a.elements.push_back(arrayBrackets(inner, true));
  }
  return Expr{std::move(a), span(ctx)};
}

Expr Transformer::caseExpr(P::CaseExprContext* ctx) {
  CaseExpr c;
  size_t next = 0;
  auto exprs = ctx->aExpr();
  // aExpr() lists the operand (if any) and the ELSE result (if any) in order.
  if (!exprs.empty() && exprs[0]->getStart()->getTokenIndex() <
                            ctx->caseWhen(0)->getStart()->getTokenIndex()) {
    c.arg = expr(exprs[0]);
    next = 1;
  }
  for (auto* w : ctx->caseWhen()) c.whens.push_back(CaseWhen{expr(w->aExpr(0)), expr(w->aExpr(1))});
  if (ctx->K_ELSE()) c.else_result = expr(exprs[next]);
  return Expr{std::move(c), span(ctx)};
}

IndirectionItem Transformer::indirectionItem(P::IndirectionElContext* ctx) {
  IndirectionItem item;
  if (auto* f = as<P::IndFieldContext>(ctx)) {
    item.kind = IndirectionItem::Kind::Field;
    item.field = colLabel(f->colLabel());
  } else if (as<P::IndStarContext>(ctx)) {
    item.kind = IndirectionItem::Kind::Star;
  } else if (auto* s = as<P::IndSubscriptContext>(ctx)) {
    item.kind = IndirectionItem::Kind::Subscript;
    item.lower = expr(s->aExpr());
  } else {
    auto* sl = as<P::IndSliceContext>(ctx);
    item.kind = IndirectionItem::Kind::Slice;
    if (sl->lower) item.lower = expr(sl->lower);
    if (sl->upper) item.upper = expr(sl->upper);
  }
  return item;
}

Expr Transformer::withIndirection(Expr base, const std::vector<P::IndirectionElContext*>& items) {
  Indirection ind;
  const Span sp{base.span.begin, items.empty() ? base.span.end : span(items.back()).end};
  ind.arg = std::move(base);
  for (auto* i : items) ind.items.push_back(indirectionItem(i));
  return Expr{std::move(ind), sp};
}

Expr Transformer::columnRef(P::CColumnContext* ctx) {
  ColumnRef ref;
  ref.fields.push_back(colId(ctx->colId()));
  auto items = ctx->indirectionEl();
  size_t i = 0;
  // Leading `.name` steps belong to the column reference (t.col, s.t.col);
  // `.*` ends it; anything after is indirection on the column's value.
  for (; i < items.size(); ++i) {
    if (auto* f = as<P::IndFieldContext>(items[i])) {
      ref.fields.push_back(colLabel(f->colLabel()));
    } else if (as<P::IndStarContext>(items[i])) {
      ref.star = true;
      ++i;
      break;
    } else {
      break;
    }
  }
  if (ref.fields.size() > 4) fail(ctx, "improper qualified name (too many dotted names): " +
                                           ctx->getText());
  const Span ref_span{span(ctx).begin, i == 0 ? span(ctx->colId()).end : span(items[i - 1]).end};
  Expr e{std::move(ref), ref_span};
  if (i == items.size()) {
    e.span = span(ctx);
    return e;
  }
  if (e.as<ColumnRef>()->star) fail(items[i], "syntax error at or near \"" + items[i]->getText() + "\"");
  return withIndirection(std::move(e), {items.begin() + static_cast<long>(i), items.end()});
}

// ---------------------------------------------------------------------------
// Function calls

FuncArg Transformer::funcArg(P::FuncArgExprContext* ctx) {
  FuncArg a;
  if (auto* n = ctx->typeFunctionName()) a.name = typeFunctionName(n);
  a.value = expr(ctx->aExpr());
  return a;
}

std::vector<FuncArg> Transformer::funcArgs(P::FuncArgListContext* ctx) {
  std::vector<FuncArg> out;
  for (auto* a : ctx->funcArgExpr()) out.push_back(funcArg(a));
  return out;
}

Expr Transformer::funcApplication(P::FuncApplicationContext* ctx, Span sp) {
  FuncCall f;
  f.name = funcName(ctx->funcName());
  if (ctx->STAR()) f.star = true;
  if (auto* l = ctx->funcArgList()) f.args = funcArgs(l);
  f.distinct = ctx->K_DISTINCT() != nullptr;
  f.all = ctx->K_ALL() != nullptr;
  if (ctx->K_VARIADIC()) {
    f.variadic = true;
    f.args.push_back(funcArg(ctx->funcArgExpr()));
  }
  if (auto* s = ctx->sortClause()) f.order_by = sortClause(s);
  return Expr{std::move(f), sp};
}

Expr Transformer::windowless(P::FuncExprWindowlessContext* ctx) {
  if (auto* a = ctx->funcApplication()) return funcApplication(a, span(ctx));
  return funcSpecial(ctx->funcExprSpecial());
}

Expr Transformer::funcExpr(P::FuncExprContext* ctx) {
  if (auto* s = as<P::FuncSpecialContext>(ctx)) return funcSpecial(s->funcExprSpecial());
  auto* c = as<P::FuncCallContext>(ctx);
  Expr e = funcApplication(c->funcApplication(), span(ctx));
  auto& f = std::get<FuncCall>(e.node);
  if (auto* w = c->withinGroupClause()) {
    if (!f.order_by.empty())
      fail(w, "cannot use multiple ORDER BY clauses with WITHIN GROUP");
    if (f.distinct) fail(w, "cannot use DISTINCT with WITHIN GROUP");
    if (f.variadic) fail(w, "cannot use VARIADIC with WITHIN GROUP");
    f.order_by = sortClause(w->sortClause());
    f.within_group = true;
  }
  if (auto* fl = c->filterClause()) f.filter = expr(fl->aExpr());
  if (auto* o = c->overClause()) {
    if (f.within_group) fail(o, "OVER is not supported for ordered-set aggregate " + f.name.last());
    f.over = overClause(o);
  }
  return e;
}

WindowDef Transformer::overClause(P::OverClauseContext* ctx) {
  if (ctx->colId()) {
    WindowDef w;
    w.name = colId(ctx->colId());
    w.name_only = true;
    return w;
  }
  return windowSpecification(ctx->windowSpecification());
}

std::string Transformer::tokensText(antlr4::tree::ParseTree* node) {
  std::string out;
  std::function<void(antlr4::tree::ParseTree*)> walk = [&](antlr4::tree::ParseTree* n) {
    if (auto* t = dynamic_cast<TerminalNode*>(n)) {
      if (!out.empty()) out += ' ';
      out += t->getText();
      return;
    }
    for (auto* ch : n->children) walk(ch);
  };
  walk(node);
  return out;
}

std::string Transformer::jsonClauses(std::initializer_list<antlr4::ParserRuleContext*> clauses) {
  std::string out;
  for (auto* c : clauses) {
    if (c == nullptr) continue;
    if (!out.empty()) out += ' ';
    out += tokensText(c);
  }
  return out;
}

void Transformer::jsonValue(P::JsonValueExprContext* ctx, SpecialFunc& f) {
  f.args.push_back(expr(ctx->aExpr()));
  f.arg_names.push_back(ctx->jsonFormat() ? tokensText(ctx->jsonFormat()) : "");
}

void Transformer::jsonKeyValue(P::JsonKeyValueContext* ctx, SpecialFunc& f) {
  jsonValue(ctx->jsonValueExpr(0), f);
  jsonValue(ctx->jsonValueExpr(1), f);
}

Expr Transformer::funcSpecial(P::FuncExprSpecialContext* ctx) {
  const Span sp = span(ctx);
  SpecialFunc f;
  using K = SpecialFunc::Kind;
  auto upper = [](std::string s) {
    for (char& ch : s)
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    return s;
  };
  if (auto* c = as<P::SpecCollationForContext>(ctx)) {
    f.kind = K::CollationFor;
    f.args.push_back(expr(c->aExpr()));
  } else if (auto* c = as<P::SpecNoArgsContext>(ctx)) {
    const size_t t = firstTerminal(c)->getSymbol()->getType();
    f.kind = t == P::K_CURRENT_DATE      ? K::CurrentDate
             : t == P::K_CURRENT_ROLE    ? K::CurrentRole
             : t == P::K_CURRENT_USER    ? K::CurrentUser
             : t == P::K_SESSION_USER    ? K::SessionUser
             : t == P::K_SYSTEM_USER     ? K::SystemUser
             : t == P::K_USER            ? K::User
             : t == P::K_CURRENT_CATALOG ? K::CurrentCatalog
                                         : K::CurrentSchema;
  } else if (auto* c = as<P::SpecTimeContext>(ctx)) {
    const size_t t = firstTerminal(c)->getSymbol()->getType();
    f.kind = t == P::K_CURRENT_TIME        ? K::CurrentTime
             : t == P::K_CURRENT_TIMESTAMP ? K::CurrentTimestamp
             : t == P::K_LOCALTIME         ? K::LocalTime
                                           : K::LocalTimestamp;
    if (c->INTEGER()) {
      f.args.push_back(makeLiteral(Literal::Kind::Integer, integerDigits(c->INTEGER()->getText()),
                                   span(c->INTEGER())));
    }
  } else if (auto* c = as<P::SpecCastContext>(ctx)) {
    return Expr{TypeCast{TypeCast::Syntax::Cast, expr(c->aExpr()), typeName(c->typeName())}, sp};
  } else if (auto* c = as<P::SpecTreatContext>(ctx)) {
    f.kind = K::Treat;
    f.args.push_back(expr(c->aExpr()));
    f.type = typeName(c->typeName());
  } else if (auto* c = as<P::SpecExtractContext>(ctx)) {
    f.kind = K::Extract;
    auto* field = c->extractField();
    f.word = field->sconst() ? stringValue(field->sconst()) : foldIdentifier(field->getText());
    if (field->colLabel()) f.word = colLabel(field->colLabel());
    f.args.push_back(expr(c->aExpr()));
  } else if (auto* c = as<P::SpecNormalizeContext>(ctx)) {
    f.kind = K::Normalize;
    f.args.push_back(expr(c->aExpr()));
    if (c->normalForm()) f.word = upper(c->normalForm()->getText());
  } else if (auto* c = as<P::SpecOverlayContext>(ctx)) {
    f.kind = K::Overlay;
    f.args = {};
    for (auto* e : c->aExpr()) f.args.push_back(expr(e));
  } else if (auto* c = as<P::SpecPositionContext>(ctx)) {
    f.kind = K::Position;
    f.args.push_back(bexpr(c->bExpr(0)));
    f.args.push_back(bexpr(c->bExpr(1)));
  } else if (auto* c = as<P::SpecSubstringFromContext>(ctx)) {
    f.kind = K::Substring;
    for (auto* e : c->aExpr()) f.args.push_back(expr(e));
    f.word = c->K_FOR() ? "FROM FOR" : "FROM";
  } else if (auto* c = as<P::SpecSubstringForContext>(ctx)) {
    f.kind = K::Substring;
    // SUBSTRING(a FOR b [FROM c]) is stored in FROM ... FOR order.
    f.args.push_back(expr(c->aExpr(0)));
    if (c->K_FROM()) {
      f.args.push_back(expr(c->aExpr(2)));
      f.args.push_back(expr(c->aExpr(1)));
      f.word = "FROM FOR";
    } else {
      f.args.push_back(expr(c->aExpr(1)));
      f.word = "FOR";
    }
  } else if (auto* c = as<P::SpecSubstringSimilarContext>(ctx)) {
    f.kind = K::Substring;
    for (auto* e : c->aExpr()) f.args.push_back(expr(e));
    f.word = "SIMILAR";
  } else if (auto* c = as<P::SpecPlainCallContext>(ctx)) {
    f.kind = c->K_SUBSTRING() ? K::Substring : K::Overlay;
    f.word = "ARGS";
    if (c->funcArgList()) {
      std::vector<FuncArg> args = funcArgs(c->funcArgList());
      if (std::any_of(args.begin(), args.end(), [](const FuncArg& a) { return a.name; })) {
        // Named arguments make this an ordinary function call.
        FuncCall call;
        call.name.parts.push_back(c->K_SUBSTRING() ? "substring" : "overlay");
        call.args = std::move(args);
        return Expr{std::move(call), sp};
      }
      for (auto& a : args) f.args.push_back(std::move(*a.value));
    }
  } else if (auto* c = as<P::SpecTrimContext>(ctx)) {
    f.kind = K::Trim;
    if (c->K_BOTH()) f.word = "BOTH";
    if (c->K_LEADING()) f.word = "LEADING";
    if (c->K_TRAILING()) f.word = "TRAILING";
    if (c->aExpr()) {
      f.arg_names = {"chars"};
      f.args.push_back(expr(c->aExpr()));
    } else if (c->K_FROM()) {
      f.arg_names = {"from"};
    }
    for (auto& e : exprList(c->exprList())) f.args.push_back(std::move(e));
  } else if (auto* c = as<P::SpecNullIfContext>(ctx)) {
    f.kind = K::NullIf;
    f.args.push_back(expr(c->aExpr(0)));
    f.args.push_back(expr(c->aExpr(1)));
  } else if (auto* c = as<P::SpecVariadicContext>(ctx)) {
    const size_t t = firstTerminal(c)->getSymbol()->getType();
    f.kind = t == P::K_COALESCE   ? K::Coalesce
             : t == P::K_GREATEST ? K::Greatest
             : t == P::K_LEAST    ? K::Least
                                  : K::XmlConcat;
    f.args = exprList(c->exprList());
  } else if (auto* c = as<P::SpecJsonObjectCallContext>(ctx)) {
    // json_object(text[]) and json_object(keys, values): the plain function.
    FuncCall call;
    call.name.parts.push_back("json_object");
    call.args = funcArgs(c->funcArgList());
    return Expr{std::move(call), sp};
  } else if (auto* c = as<P::SpecJsonObjectContext>(ctx)) {
    f.kind = K::JsonObject;
    for (auto* kv : c->jsonKeyValue()) jsonKeyValue(kv, f);
    f.word = jsonClauses({c->jsonNullClause(), c->jsonUniqueClause(), c->jsonReturning()});
  } else if (auto* c = as<P::SpecJsonArrayContext>(ctx)) {
    f.kind = K::JsonArray;
    for (auto* v : c->jsonValueExpr()) jsonValue(v, f);
    f.word = jsonClauses({c->jsonNullClause(), c->jsonReturning()});
  } else if (auto* c = as<P::SpecJsonObjectAggContext>(ctx)) {
    f.kind = K::JsonObjectAgg;
    jsonKeyValue(c->jsonKeyValue(), f);
    f.word = jsonClauses({c->jsonNullClause(), c->jsonUniqueClause(), c->jsonReturning()});
    if (c->filterClause()) f.filter = expr(c->filterClause()->aExpr());
    if (c->overClause()) f.over = overClause(c->overClause());
  } else if (auto* c = as<P::SpecJsonArrayAggContext>(ctx)) {
    f.kind = K::JsonArrayAgg;
    jsonValue(c->jsonValueExpr(), f);
    if (c->sortClause()) f.order_by = sortClause(c->sortClause());
    f.word = jsonClauses({c->jsonNullClause(), c->jsonReturning()});
    if (c->filterClause()) f.filter = expr(c->filterClause()->aExpr());
    if (c->overClause()) f.over = overClause(c->overClause());
  } else if (auto* c = as<P::SpecJsonArrayQueryContext>(ctx)) {
    f.kind = K::JsonArray;
    f.query = selectNoParens(c->selectNoParens());
    f.word = jsonClauses({c->jsonFormat(), c->jsonReturning()});
  } else if (auto* c = as<P::SpecXmlElementContext>(ctx)) {
    f.kind = K::XmlElement;
    f.word = colLabel(c->colLabel());
    if (auto* attrs = c->xmlAttributes()) {
      for (auto* a : attrs->xmlAttributeList()->xmlAttribute()) {
        f.args.push_back(expr(a->aExpr()));
        f.arg_names.push_back(a->colLabel() ? colLabel(a->colLabel()) : "");
      }
    }
    if (c->exprList())
      for (auto& e : exprList(c->exprList())) f.args.push_back(std::move(e));
  } else if (auto* c = as<P::SpecXmlForestContext>(ctx)) {
    f.kind = K::XmlForest;
    for (auto* a : c->xmlAttributeList()->xmlAttribute()) {
      f.args.push_back(expr(a->aExpr()));
      f.arg_names.push_back(a->colLabel() ? colLabel(a->colLabel()) : "");
    }
  } else if (auto* c = as<P::SpecXmlParseContext>(ctx)) {
    f.kind = K::XmlParse;
    f.word = c->K_DOCUMENT() ? "DOCUMENT" : "CONTENT";
    if (c->K_PRESERVE()) f.word += " PRESERVE WHITESPACE";
    if (c->K_STRIP()) f.word += " STRIP WHITESPACE";
    f.args.push_back(expr(c->aExpr()));
  } else if (auto* c = as<P::SpecXmlPiContext>(ctx)) {
    f.kind = K::XmlPi;
    f.word = colLabel(c->colLabel());
    if (c->aExpr()) f.args.push_back(expr(c->aExpr()));
  } else if (auto* c = as<P::SpecXmlRootContext>(ctx)) {
    f.kind = K::XmlRoot;
    auto exprs = c->aExpr();
    f.args.push_back(expr(exprs[0]));
    std::string version = "VERSION NO VALUE";
    if (exprs.size() > 1) {
      version = "VERSION";
      f.args.push_back(expr(exprs[1]));
    }
    std::string standalone;
    if (c->K_STANDALONE()) {
      standalone = c->K_YES() ? "STANDALONE YES"
                   : c->K_VALUE().size() > (exprs.size() > 1 ? 0u : 1u) ? "STANDALONE NO VALUE"
                                                                         : "STANDALONE NO";
    }
    f.word = version + "|" + standalone;
  } else if (auto* c = as<P::SpecXmlSerializeContext>(ctx)) {
    f.kind = K::XmlSerialize;
    f.word = c->K_DOCUMENT() ? "DOCUMENT" : "CONTENT";
    if (c->K_INDENT()) f.word += c->K_NO() ? " NO INDENT" : " INDENT";
    f.args.push_back(expr(c->aExpr()));
    f.type = typeName(c->typeName());
  } else if (auto* c = as<P::SpecXmlExistsContext>(ctx)) {
    f.kind = K::XmlExists;
    f.args.push_back(cexpr(c->cExpr(0)));
    f.args.push_back(cexpr(c->cExpr(1)));
  } else {
    fail(ctx, "unsupported function syntax");
  }
  return Expr{std::move(f), sp};
}

}  // namespace sqlwarden::sql::detail
