#include "rewrite/engine.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <utility>

#include "common/span.hpp"
#include "rewrite/baseline.hpp"
#include "rewrite/masks.hpp"
#include "sql/fingerprint.hpp"
#include "sql/printer.hpp"
#include "sql/references.hpp"

namespace sqlwarden::rewrite {

const char* toString(Verdict v) {
  switch (v) {
    case Verdict::Allow: return "allow";
    case Verdict::Deny: return "deny";
    case Verdict::Approval: return "approval";
  }
  return "deny";
}

std::string FiredRule::str() const {
  if (file.empty()) return policy + "@baseline";
  const size_t slash = file.find_last_of('/');
  return policy + "@" + (slash == std::string::npos ? file : file.substr(slash + 1)) + ":" +
         std::to_string(line);
}

void denyAllIfAnyDenied(std::vector<Decision>& decisions) {
  const auto bad = std::find_if(decisions.begin(), decisions.end(),
                                [](const Decision& d) { return d.verdict == Verdict::Deny; });
  if (bad == decisions.end()) return;
  const std::string message = bad->message;
  for (Decision& d : decisions) {
    if (d.verdict == Verdict::Deny) continue;
    d.verdict = Verdict::Deny;
    d.sql.clear();
    d.reason = "another statement of the message was denied";
    d.sqlstate = "42501";
    d.message = message;
  }
}

namespace {

using policy::ast::StatementClass;
using sql::Expr;
using sql::SelectStmt;
using sql::Statement;
using sql::TableRef;

/// Thrown inside the engine to unwind a statement's walk at the first
/// denial; caught in Engine::decide and turned into a Decision. Never leaves
/// the engine.
struct Denial {
  std::string reason;
  std::optional<FiredRule> rule;
  std::string sqlstate = "42501";
};

const char* className(StatementClass c) {
  switch (c) {
    case StatementClass::Select: return "SELECT";
    case StatementClass::Insert: return "INSERT";
    case StatementClass::Update: return "UPDATE";
    case StatementClass::Delete: return "DELETE";
    case StatementClass::Merge: return "MERGE";
    case StatementClass::Copy: return "COPY";
    case StatementClass::Call: return "CALL";
    case StatementClass::Create: return "CREATE";
    case StatementClass::Alter: return "ALTER";
    case StatementClass::Drop: return "DROP";
    case StatementClass::Truncate: return "TRUNCATE";
    case StatementClass::Grant: return "GRANT";
    case StatementClass::Revoke: return "REVOKE";
    case StatementClass::Comment: return "COMMENT";
    case StatementClass::Ddl: return "DDL";
    case StatementClass::All: return "this statement";
  }
  return "this statement";
}

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

/// The class of a utility statement, from its command tag; nullopt for
/// statements no class names (only `allow all` allows them).
std::optional<StatementClass> utilityClass(std::string_view tag) {
  if (startsWith(tag, "CREATE") || tag == "SELECT INTO" || tag == "IMPORT FOREIGN SCHEMA")
    return StatementClass::Create;
  if (startsWith(tag, "ALTER") || tag == "REFRESH MATERIALIZED VIEW" || tag == "SECURITY LABEL" ||
      tag == "REINDEX" || tag == "CLUSTER" || tag == "VACUUM" || tag == "ANALYZE")
    return StatementClass::Alter;
  if (startsWith(tag, "DROP")) return StatementClass::Drop;
  if (tag == "TRUNCATE TABLE" || tag == "TRUNCATE") return StatementClass::Truncate;
  if (tag == "GRANT" || tag == "GRANT ROLE") return StatementClass::Grant;
  if (tag == "REVOKE" || tag == "REVOKE ROLE") return StatementClass::Revoke;
  if (tag == "COMMENT") return StatementClass::Comment;
  if (tag == "CALL") return StatementClass::Call;
  return std::nullopt;
}

bool isTableKind(sql::ObjectKind k) {
  using K = sql::ObjectKind;
  return k == K::Table || k == K::View || k == K::MaterializedView || k == K::ForeignTable ||
         k == K::Sequence || k == K::Index;
}

/// The text tokens of a utility statement, lower-cased.
std::vector<std::string> lowerTokens(const sql::UtilityStmt& u) {
  std::vector<std::string> out;
  for (const auto& piece : u.pieces) {
    if (const auto* s = std::get_if<std::string>(&piece.value)) {
      std::string t = *s;
      std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return std::tolower(ch); });
      out.push_back(std::move(t));
    } else {
      out.emplace_back("<expr>");
    }
  }
  return out;
}

/// The last token of a utility statement as a name, the way PostgreSQL
/// reads it: `"C1"` is `C1` (quotes removed, `""` undoubled), `C1` is `c1`.
std::string lastName(const sql::UtilityStmt& u) {
  for (auto it = u.pieces.rbegin(); it != u.pieces.rend(); ++it) {
    const auto* s = std::get_if<std::string>(&it->value);
    if (s == nullptr) return "";
    if (*s == ";") continue;
    if (s->size() >= 2 && s->front() == '"' && s->back() == '"') {
      std::string out;
      for (size_t i = 1; i + 1 < s->size(); ++i) {
        out += (*s)[i];
        if ((*s)[i] == '"') ++i;
      }
      return out;
    }
    std::string out = *s;
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return out;
  }
  return "";
}

/// A resolved table: where it lives and what the catalog knows of it.
struct Resolved {
  std::string schema;
  std::string name;
  const catalog::Table* table = nullptr;  ///< null for system relations
};

/// The rules of the identity's policies for one table, with its ancestors'
/// (a partition or inheritance child is protected like its parent).
struct Protection {
  policy::TableRules rules;
  std::vector<const policy::MaskRule*> masks;      ///< masks, by column index of the table
  std::vector<std::string> masked_columns;         ///< names of masked columns
  bool filtered() const { return !rules.filters.empty(); }
  bool masked() const { return !masked_columns.empty(); }
  bool any() const { return filtered() || masked(); }
};

}  // namespace

struct Engine::Impl {
  Engine& engine;
  sql::Parser parser;
  policy::PolicySet set;
  bool protected_identity = false;  ///< some mask or filter applies to it somewhere
  std::optional<uint32_t> row_limit;

  // Per statement.
  std::vector<FiredRule> fired;
  std::optional<std::pair<std::string, FiredRule>> approval;  ///< what needs approval, and the rule
  bool changed = false;
  /// CTE names in scope, innermost last.
  std::vector<std::vector<std::string>> cte_scopes;

  /// A protected table's subquery, by "schema.table|only": its AST, and its
  /// text up to the end of the WHERE (the filter in parentheses), so that a
  /// statement that needs no other change is spliced, not printed whole.
  struct CachedView {
    SelectStmt ast;
    std::string head;
    bool filtered = false;
  };
  std::unordered_map<std::string, CachedView> subquery_cache;
  /// Resolved protections, by "schema.table" (the identity and policy are
  /// fixed for the engine's life).
  std::unordered_map<std::string, Protection> protection_cache;

  // Output. A statement whose only changes are protected tables replaced and
  // a LIMIT appended is spliced: `edits` replace byte ranges of its text
  // (offsets relative to `base`). Any other change sets print_all and the
  // whole AST is printed instead.
  struct Edit {
    uint32_t begin = 0;
    uint32_t end = 0;
    std::string text;
  };
  /// A protected FROM item, replaced in the AST only when the statement must
  /// be printed (materialize()); a splice needs just its text.
  struct Replacement {
    TableRef* ref = nullptr;
    Span span;
    std::string key;                 ///< into subquery_cache
    std::string alias;               ///< ` AS name (cols)` text
    const catalog::Table* table = nullptr;
    sql::RangeVar range_var;         ///< as written (alias, TABLESAMPLE)
    const Protection* protection = nullptr;
    std::vector<Expr> pushed;        ///< conditions copied inside
    bool materialized = false;
  };
  std::vector<Replacement> replacements;
  std::vector<Edit> edits;
  bool print_all = false;
  uint32_t base = 0;

  explicit Impl(Engine& e) : engine(e) {
    set = e.policy_.policiesFor(e.identity_);
    for (const auto& m : e.policy_.maskRules()) protected_identity |= set.contains(m.origin.policy);
    for (const auto& f : e.policy_.filterRules()) protected_identity |= set.contains(f.origin.policy);
    row_limit = e.policy_.rowLimit(set);
  }

  const policy::Policy& policy() const { return engine.policy_; }

  /// FiredRules by (source, offset): working out a line number scans the file.
  std::unordered_map<uint64_t, FiredRule> rule_cache;

  const FiredRule& ruleOf(const policy::RuleOrigin& origin) {
    const uint64_t key = (uint64_t{origin.source} << 32) | origin.span.begin;
    auto it = rule_cache.find(key);
    if (it == rule_cache.end()) {
      const auto& src = *policy().sources()[origin.source];
      it = rule_cache
               .emplace(key, FiredRule{policy().policies()[origin.policy].name, src.name,
                                       lineColAt(src.text, origin.span.begin).line})
               .first;
    }
    return it->second;
  }

  void fire(const policy::RuleOrigin& origin) {
    const FiredRule& r = ruleOf(origin);
    if (std::find(fired.begin(), fired.end(), r) == fired.end()) fired.push_back(r);
  }

  [[noreturn]] void deny(std::string reason, std::optional<FiredRule> rule = std::nullopt) {
    throw Denial{std::move(reason), std::move(rule)};
  }

  [[noreturn]] void denyBy(const policy::RuleOrigin& origin, const std::optional<std::string>& message,
                           const std::string& fallback) {
    deny(message ? *message : fallback, ruleOf(origin));
  }

  // --- Resolution -------------------------------------------------------------

  bool isCte(const sql::QualifiedName& name) const {
    if (name.parts.size() != 1) return false;
    for (auto it = cte_scopes.rbegin(); it != cte_scopes.rend(); ++it)
      if (std::find(it->begin(), it->end(), name.parts[0]) != it->end()) return true;
    return false;
  }

  /// Where PostgreSQL finds `name`: pg_catalog first (so any unqualified
  /// `pg_*` relation is the system one), then the search_path.
  Resolved resolve(const sql::QualifiedName& name) const {
    const auto& parts = name.parts;
    if (parts.size() >= 2) {
      const std::string& schema = parts[parts.size() - 2];
      const std::string& rel = parts.back();
      return {schema, rel, engine.catalog_.find(schema, rel)};
    }
    const std::string& rel = parts.back();
    if (startsWith(rel, "pg_")) return {"pg_catalog", rel, nullptr};
    for (const std::string& schema : engine.session_.search_path)
      if (const catalog::Table* t = engine.catalog_.find(schema, rel)) return {schema, rel, t};
    // Not found: report it under the first schema of the path.
    return {engine.session_.search_path.empty() ? "public" : engine.session_.search_path[0], rel, nullptr};
  }

  bool isOtherRelation(const Resolved& r) const {
    for (const auto& [schema, name] : engine.catalog_.otherRelations())
      if (schema == r.schema && name == r.name) return true;
    return false;
  }

  /// Rules for `r` and its ancestors, cached.
  const Protection& protectionOf(const Resolved& r) {
    std::string key = r.schema + "." + r.name;
    auto it = protection_cache.find(key);
    if (it == protection_cache.end()) it = protection_cache.emplace(std::move(key), computeProtection(r)).first;
    return it->second;
  }

  Protection computeProtection(const Resolved& r) {
    Protection p;
    policy().rulesFor(set, r.schema, r.name, p.rules);
    if (r.table != nullptr) {
      // Ancestors, transitively (bounded: the catalog is finite and a cycle stops).
      std::vector<std::pair<std::string, std::string>> todo = r.table->parents;
      for (size_t i = 0; i < todo.size() && i < 64; ++i) {
        policy::TableRules more;
        policy().rulesFor(set, todo[i].first, todo[i].second, more);
        for (auto* m : more.masks) p.rules.masks.push_back(m);
        for (auto* f : more.filters) p.rules.filters.push_back(f);
        for (auto* d : more.denies) p.rules.denies.push_back(d);
        if (const catalog::Table* t = engine.catalog_.find(todo[i].first, todo[i].second))
          for (const auto& parent : t->parents) todo.push_back(parent);
      }
      // A rule reached through the table and an ancestor counts once.
      const auto dedupe = [](auto& v) {
        for (size_t i = 0; i < v.size(); ++i)
          for (size_t j = v.size(); j-- > i + 1;)
            if (v[j] == v[i]) v.erase(v.begin() + static_cast<std::ptrdiff_t>(j));
      };
      dedupe(p.rules.masks);
      dedupe(p.rules.filters);
      dedupe(p.rules.denies);
      if (!p.rules.masks.empty())
      for (const auto& column : r.table->columns) {
        const policy::MaskRule* chosen = nullptr;
        for (const policy::MaskRule* m : p.rules.masks)
          if (m->column.matches(column.name)) chosen = m;
        p.masks.push_back(chosen);
        if (chosen != nullptr) p.masked_columns.push_back(column.name);
      }
    }
    return p;
  }

  // --- Access checks -------------------------------------------------------------

  /// Checks that class `c` may touch `r` (deny rules, allows, approvals) and
  /// returns what protects it. `has_where` matters for `without where`.
  const Protection& checkTable(const Resolved& r, StatementClass c, bool has_where = true) {
    const auto display = [&] { return sql::quoteIdentifier(r.schema) + "." + sql::quoteIdentifier(r.name); };
    const Protection& p = protectionOf(r);
    for (const policy::DenyTableRule* d : p.rules.denies)
      denyBy(d->origin, d->message, "access to " + display() + " is not allowed");
    if (const char* why = baseline::deniedRelation(r.schema, r.name))
      deny(display() + " is not available: " + why);
    const bool system = baseline::isSystemSchema(r.schema);
    if (r.table == nullptr && !system) {
      if (isOtherRelation(r) && !protected_identity) {
        // A view for an identity without masks or filters: nothing to hide.
      } else if (isOtherRelation(r)) {
        deny(display() + " is a view or foreign table: what it reads cannot be checked against masks and row filters");
      } else {
        deny("unknown table " + display() + ": sqlwarden cannot tell what it holds");
      }
    }
    if (system && c == StatementClass::Select) {
      // Catalog reads are part of the baseline (drivers and psql need them).
    } else {
      const policy::AllowRule* allow = nullptr;
      for (const policy::AllowRule* a : p.rules.allows)
        if (a->classes & policy::classMask(c)) {
          allow = a;
          break;
        }
      if (allow == nullptr)
        deny(std::string(className(c)) + " on " + display() + " is not allowed");
      fire(allow->origin);
    }
    for (const policy::ApprovalRule* a : p.rules.approvals)
      if ((a->classes & policy::classMask(c)) && (!a->without_where || !has_where) && !approval)
        approval.emplace(std::string(className(c)) + " on " + display() +
                             (a->without_where && !has_where ? " without WHERE" : "") + " needs approval",
                         ruleOf(a->origin));
    if (system && p.any()) deny("masks and row filters on system catalog " + display() + " cannot be applied");
    if (p.any() && r.table == nullptr) deny("the columns of " + display() + " are not known");
    return p;
  }

  /// The rules that apply to every table (patterns `*.*`): used for
  /// statements that name no table.
  policy::TableRules anyTableRules() const {
    policy::TableRules rules;
    policy().rulesFor(set, "", "", rules);
    return rules;
  }

  /// A class allowed without a table: an allow of the class with no `on`.
  void checkClassWithoutTable(StatementClass c, bool has_where = true) {
    policy::TableRules rules = anyTableRules();
    const policy::AllowRule* allow = nullptr;
    for (const policy::AllowRule* a : rules.allows)
      if (a->classes & policy::classMask(c)) {
        allow = a;
        break;
      }
    if (allow == nullptr) deny(std::string(className(c)) + " is not allowed");
    fire(allow->origin);
    for (const policy::ApprovalRule* a : rules.approvals)
      if ((a->classes & policy::classMask(c)) && (!a->without_where || !has_where) && !approval)
        approval.emplace(std::string(className(c)) + " needs approval", ruleOf(a->origin));
  }

  void checkStatementDeny(StatementClass c) {
    if (const policy::DenyStatementRule* d = policy().statementDeny(set, c))
      denyBy(d->origin, d->message, std::string(className(c)) + " is not allowed");
  }

  void checkFunction(const sql::QualifiedName& name) {
    const std::string& fn = name.parts.back();
    const std::string schema = name.parts.size() >= 2 ? name.parts[name.parts.size() - 2] : "";
    for (const policy::DenyFunctionRule* d : policy().functionDenies(set, schema, fn))
      denyBy(d->origin, d->message, "function " + fn + " is not allowed");
    if (const char* why = baseline::deniedFunction(schema, fn))
      deny("function " + fn + " is not available: " + why);
    if (protected_identity) {
      if (!schema.empty() && schema != "pg_catalog")
        deny("function " + schema + "." + fn +
             " is not a built-in function: it could read protected tables out of the gateway's sight");
      if (schema.empty() && engine.catalog_.isFunction(fn))
        deny("function " + fn +
             " is user-defined: it could read protected tables out of the gateway's sight");
    }
  }

  // --- Walking ------------------------------------------------------------------

  void with(sql::WithClause& w) {
    cte_scopes.emplace_back();
    if (w.recursive)
      for (auto& cte : w.ctes) cte_scopes.back().push_back(cte.name);
    for (auto& cte : w.ctes) {
      if (cte.query) statement(*cte.query, /*nested=*/true);
      if (!w.recursive) cte_scopes.back().push_back(cte.name);
    }
  }

  void grouping(sql::GroupingElem& g) {
    for (auto& e : g.exprs) expr(e);
    for (auto& s : g.sets) grouping(s);
  }

  void window(sql::WindowDef& w) {
    for (auto& e : w.partition_by) expr(e);
    for (auto& o : w.order_by) expr(o.expr);
    if (w.frame) {
      expr(w.frame->start.offset);
      if (w.frame->end) expr(w.frame->end->offset);
    }
  }

  void expr(sql::ExprPtr& e) {
    if (e) expr(*e);
  }

  /// Functions are checked and subqueries walked; the rest only descended.
  void expr(Expr& e) {
    if (const auto* f = e.as<sql::SpecialFunc>(); f && isRoleFunction(f->kind)) {
      // The database role is the gateway's own login, which clients must not
      // learn: CURRENT_USER and friends answer with the verified identity.
      sql::TypeCast cast;
      Expr name;
      name.node = sql::Literal{sql::Literal::Kind::String, engine.identity_.user};
      cast.arg = std::move(name);
      sql::TypeName type;
      type.name.parts = {"pg_catalog", "name"};
      cast.type = std::move(type);
      e.node = std::move(cast);
      changed = true;
      print_all = true;
      return;
    }
    std::visit([&](auto& node) { walkExpr(node); }, e.node);
  }

  static bool isRoleFunction(sql::SpecialFunc::Kind k) {
    using K = sql::SpecialFunc::Kind;
    return k == K::CurrentUser || k == K::SessionUser || k == K::User || k == K::CurrentRole ||
           k == K::SystemUser;
  }

  void exprs(sql::ExprList& list) {
    for (auto& e : list) expr(e);
  }

  void walkExpr(sql::ColumnRef&) {}
  void walkExpr(sql::ParamRef&) {}
  void walkExpr(sql::Literal&) {}
  void walkExpr(sql::DefaultExpr&) {}
  void walkExpr(sql::FuncCall& f) {
    checkFunction(f.name);
    for (auto& a : f.args) expr(a.value);
    for (auto& o : f.order_by) expr(o.expr);
    expr(f.filter);
    if (f.over) window(*f.over);
  }
  void walkExpr(sql::SpecialFunc& f) {
    exprs(f.args);
    for (auto& o : f.order_by) expr(o.expr);
    expr(f.filter);
    if (f.over) window(*f.over);
    if (f.query) select(*f.query);
  }
  void walkExpr(sql::OpExpr& o) {
    if (protected_identity && o.op.size() >= 2 && o.op[o.op.size() - 2] != "pg_catalog")
      deny("operator " + o.op.back() + " is not a built-in operator");
    expr(o.left);
    expr(o.right);
  }
  void walkExpr(sql::BoolExpr& b) { exprs(b.args); }
  void walkExpr(sql::LikeExpr& l) {
    expr(l.arg);
    expr(l.pattern);
    expr(l.escape);
  }
  void walkExpr(sql::BetweenExpr& b) {
    expr(b.arg);
    expr(b.low);
    expr(b.high);
  }
  void walkExpr(sql::InExpr& in) {
    expr(in.arg);
    exprs(in.list);
    if (in.subquery) select(*in.subquery);
  }
  void walkExpr(sql::QuantifiedExpr& q) {
    expr(q.left);
    expr(q.right);
    if (q.subquery) select(*q.subquery);
  }
  void walkExpr(sql::IsExpr& i) {
    expr(i.arg);
    expr(i.other);
  }
  void walkExpr(sql::TypeCast& c) { expr(c.arg); }
  void walkExpr(sql::CollateExpr& c) { expr(c.arg); }
  void walkExpr(sql::AtTimeZone& a) {
    expr(a.arg);
    expr(a.zone);
  }
  void walkExpr(sql::CaseExpr& c) {
    expr(c.arg);
    for (auto& w : c.whens) {
      expr(w.condition);
      expr(w.result);
    }
    expr(c.else_result);
  }
  void walkExpr(sql::SubqueryExpr& s) {
    if (s.query) select(*s.query);
  }
  void walkExpr(sql::ArrayExpr& a) { exprs(a.elements); }
  void walkExpr(sql::RowExpr& r) { exprs(r.args); }
  void walkExpr(sql::Indirection& i) {
    expr(i.arg);
    for (auto& item : i.items) {
      expr(item.lower);
      expr(item.upper);
    }
  }
  void walkExpr(sql::OverlapsExpr& o) {
    expr(o.left);
    expr(o.right);
  }

  /// A FROM item. A protected table is replaced by its subquery; `replaced`
  /// (when given) collects (visible name, protection) of this query level.
  void tableRef(TableRef& ref, std::vector<std::pair<std::string, size_t>>* replaced = nullptr) {
    if (auto* rv = ref.as<sql::RangeVar>()) {
      if (rv->tablesample) {
        exprs(rv->tablesample->args);
        expr(rv->tablesample->repeatable);
      }
      if (isCte(rv->name)) return;
      const Resolved r = resolve(rv->name);
      const Protection& p = checkTable(r, StatementClass::Select);
      if (!p.any()) return;
      const std::string visible = rv->alias ? rv->alias->name : rv->name.last();
      Replacement rep;
      rep.ref = &ref;
      rep.span = ref.span;
      rep.key = r.schema + "." + r.name + (rv->only ? "|only" : "");
      rep.alias = sql::quoteIdentifier(visible);
      if (rv->alias && !rv->alias->columns.empty()) {
        rep.alias += " (";
        for (size_t i = 0; i < rv->alias->columns.size(); ++i)
          rep.alias += (i ? ", " : "") + sql::quoteIdentifier(rv->alias->columns[i]);
        rep.alias += ")";
      }
      if (rv->tablesample || !ref.span.valid() || ref.span.begin < base) print_all = true;
      cachedView(r, rv->only, p);
      rep.table = r.table;
      rep.range_var = *rv;
      rep.protection = &p;
      replacements.push_back(std::move(rep));
      changed = true;
      if (replaced != nullptr) replaced->emplace_back(visible, replacements.size() - 1);
      return;
    }
    if (auto* sub = ref.as<sql::RangeSubselect>()) {
      if (sub->query) select(*sub->query);
      return;
    }
    if (auto* fn = ref.as<sql::RangeFunction>()) {
      for (auto& item : fn->functions) expr(item.call);
      return;
    }
    if (auto* join = ref.as<sql::JoinExpr>()) {
      if (join->left) tableRef(*join->left, replaced);
      if (join->right) tableRef(*join->right, replaced);
      expr(join->on);
      return;
    }
    if (auto* xml = ref.as<sql::RangeXmlTable>()) {
      for (auto& ns : xml->namespaces) expr(ns.uri);
      expr(xml->row_expr);
      expr(xml->document);
      for (auto& c : xml->columns) {
        expr(c.path);
        expr(c.default_value);
      }
    }
  }

  /// The filters of `p` as one expression over the table's own columns,
  /// with the identity substituted and every call pinned to pg_catalog.
  std::optional<Expr> filterExpr(const Protection& p) {
    if (p.rules.filters.empty()) return std::nullopt;
    sql::BoolExpr conj;
    for (const policy::FilterRule* f : p.rules.filters) {
      fire(f->origin);
      if (f->condition == nullptr || !f->condition->expr) deny("row filter could not be compiled");
      Expr e = *f->condition->expr;
      substituteIdentity(e, engine.identity_);
      hardenExpr(e);
      conj.args.push_back(std::move(e));
    }
    if (conj.args.size() == 1) return std::move(conj.args[0]);
    Expr out;
    out.node = std::move(conj);
    return out;
  }

  /// The subquery standing for a protected table:
  /// `SELECT c1, mask(c2) AS c2, ... FROM [ONLY] s.t WHERE (filter) OFFSET 0`.
  const CachedView& cachedView(const Resolved& r, bool only, const Protection& p) {
    const std::string key = r.schema + "." + r.name + (only ? "|only" : "");
    auto cached = subquery_cache.find(key);
    if (cached == subquery_cache.end()) {
      std::string text = "SELECT ";
      const auto& cols = r.table->columns;
      for (size_t i = 0; i < cols.size(); ++i) {
        if (i > 0) text += ", ";
        const std::string q = sql::quoteIdentifier(cols[i].name);
        if (i < p.masks.size() && p.masks[i] != nullptr) {
          fire(p.masks[i]->origin);
          text += maskSql(*p.masks[i], cols[i]) + " AS " + q;
        } else {
          text += q;
        }
      }
      if (cols.empty()) deny("the columns of " + r.schema + "." + r.name + " are not known");
      text += " FROM ";
      if (only) text += "ONLY ";
      text += sql::quoteIdentifier(r.schema) + "." + sql::quoteIdentifier(r.name);
      Result<Statement> parsed = parser.parseStatement(text);
      if (!parsed.ok() || !parsed->as<SelectStmt>())
        deny("internal error: the masked view of " + r.schema + "." + r.name + " does not parse (" +
             (parsed.ok() ? std::string("not a query") : parsed.error().message) + ")");
      SelectStmt s = std::move(*parsed->as<SelectStmt>());
      // Masks written by users (mask_function) are pinned like filters.
      for (auto& t : s.targets) hardenExpr(t.value);
      CachedView view;
      view.head = sql::toSql(s);
      if (std::optional<Expr> f = filterExpr(p)) {
        view.head += " WHERE (" + sql::toSql(*f) + ")";
        view.filtered = true;
        s.where = std::move(*f);
        // OFFSET 0: PostgreSQL neither pulls this subquery up nor pushes
        // outer predicates into it, so nothing outside runs on rows the
        // filter rejects.
        Expr zero;
        zero.node = sql::Literal{sql::Literal::Kind::Integer, "0"};
        s.offset = std::move(zero);
      }
      view.ast = std::move(s);
      cached = subquery_cache.emplace(key, std::move(view)).first;
    } else {
      for (size_t i = 0; i < p.masks.size(); ++i)
        if (p.masks[i] != nullptr) fire(p.masks[i]->origin);
      for (const policy::FilterRule* f : p.rules.filters) fire(f->origin);
    }
    return cached->second;
  }

  /// Puts the subquery of `rep` into the AST, with the conditions pushed
  /// into it.
  void materialize(Replacement& rep) {
    if (rep.materialized) return;
    rep.materialized = true;
    const CachedView& view = subquery_cache.at(rep.key);
    sql::RangeSubselect sub;
    sub.query = view.ast;
    for (Expr& cond : rep.pushed) {
      sql::BoolExpr conj;
      conj.args.push_back(std::move(*sub.query->where));
      conj.args.push_back(std::move(cond));
      Expr w;
      w.node = std::move(conj);
      sub.query->where = std::move(w);
    }
    if (rep.range_var.tablesample) {
      // The sample belongs to the table inside.
      sub.query->from.front().as<sql::RangeVar>()->tablesample = rep.range_var.tablesample;
    }
    sub.alias = rep.range_var.alias ? *rep.range_var.alias : sql::Alias{rep.range_var.name.last(), {}};
    rep.ref->node = std::move(sub);
  }

  void materializeAll() {
    for (Replacement& rep : replacements) materialize(rep);
  }

  /// Copies `alias.col = constant` conjuncts of `where` into the filtered
  /// subqueries of `replaced`, so that an index on col is used despite the
  /// fence. Only equality on unmasked columns of simple types is copied:
  /// those comparisons are leak-proof in PostgreSQL, and the outer WHERE
  /// keeps them too, so the result is unchanged.
  void pushDown(SelectStmt& s, const std::vector<std::pair<std::string, size_t>>& replaced, size_t from_items) {
    if (!s.where || replaced.empty()) return;
    std::vector<const Expr*> conjuncts;
    if (const auto* b = s.where->as<sql::BoolExpr>(); b && b->op == sql::BoolExpr::Op::And) {
      for (const auto& a : b->args) conjuncts.push_back(&a);
    } else {
      conjuncts.push_back(s.where.get());
    }
    for (const Expr* c : conjuncts) {
      const auto* op = c->as<sql::OpExpr>();
      if (op == nullptr || op->op.size() != 1 || op->op[0] != "=" || !op->left || !op->right) continue;
      const Expr* col_side = op->left.get();
      const Expr* val_side = op->right.get();
      if (!col_side->as<sql::ColumnRef>()) std::swap(col_side, val_side);
      const auto* col = col_side->as<sql::ColumnRef>();
      if (col == nullptr || col->star) continue;
      const Expr* v = val_side;
      if (const auto* cast = v->as<sql::TypeCast>()) v = cast->arg.get();
      if (v == nullptr || (!v->as<sql::Literal>() && !v->as<sql::ParamRef>())) continue;
      if (const auto* lit = v->as<sql::Literal>(); lit && lit->kind == sql::Literal::Kind::Null) continue;
      for (const auto& [visible, index] : replaced) {
        Replacement& rep = replacements[index];
        const Protection& prot = *rep.protection;
        if (!prot.filtered() || (rep.range_var.alias && !rep.range_var.alias->columns.empty())) continue;
        std::string column;
        if (col->fields.size() == 2 && col->fields[0] == visible) column = col->fields[1];
        if (col->fields.size() == 1 && from_items == 1 && replaced.size() == 1) column = col->fields[0];
        if (column.empty()) continue;
        if (std::find(prot.masked_columns.begin(), prot.masked_columns.end(), column) != prot.masked_columns.end())
          continue;
        // Only simple built-in types, whose equality is leak-proof.
        const catalog::Column* c = rep.table == nullptr ? nullptr : rep.table->column(column);
        if (c == nullptr || c->category == catalog::TypeCategory::Other || c->category == catalog::TypeCategory::Boolean)
          continue;
        sql::OpExpr eq;
        eq.op = {"pg_catalog", "="};
        eq.explicit_syntax = true;
        Expr left;
        left.node = sql::ColumnRef{{column}, false};
        eq.left = std::move(left);
        eq.right = *val_side;
        Expr cond;
        cond.node = std::move(eq);
        rep.pushed.push_back(std::move(cond));
      }
    }
  }

  /// Checks and rewrites every table a query reads, recursively; at each
  /// level the FROM items come first so the pushdown knows what was replaced.
  void select(SelectStmt& s) {
    const bool scoped = static_cast<bool>(s.with);
    if (scoped) with(*s.with);
    if (s.into) deny("SELECT INTO creates a table; use CREATE TABLE ... AS if it is allowed");
    std::vector<std::pair<std::string, size_t>> replaced;  // visible name, index in replacements
    for (auto& ref : s.from) tableRef(ref, &replaced);
    pushDown(s, replaced, s.from.size());
    // The rest as select() does, without walking FROM again.
    for (auto& e : s.distinct_on) expr(e);
    for (auto& t : s.targets) expr(t.value);
    expr(s.where);
    for (auto& g : s.group_by) grouping(g);
    expr(s.having);
    for (auto& w : s.windows) window(w);
    for (auto& row : s.values)
      for (auto& e : row) expr(e);
    if (s.table) {
      TableRef ref;
      ref.node = std::move(*s.table);
      s.table.reset();
      s.kind = SelectStmt::Kind::Select;
      sql::ResTarget star;
      star.value.node = sql::ColumnRef{{}, true};
      s.targets.push_back(std::move(star));
      s.from.push_back(std::move(ref));
      print_all = true;  // the statement's shape changed
      tableRef(s.from.back(), &replaced);
    }
    if (s.left) select(*s.left);
    if (s.right) select(*s.right);
    for (auto& o : s.order_by) expr(o.expr);
    expr(s.limit_count);
    expr(s.offset);
    if (scoped) cte_scopes.pop_back();
  }

  // --- Statements ---------------------------------------------------------------

  /// Applies the identity's row limit to a top-level query.
  void limitRows(SelectStmt& s) {
    if (!row_limit) return;
    const std::string cap = std::to_string(*row_limit);
    if (s.limit_count) {
      if (const auto* lit = s.limit_count->as<sql::Literal>();
          lit && lit->kind == sql::Literal::Kind::Integer && lit->value.size() < 10 &&
          std::stoul(lit->value) <= *row_limit)
        return;
      // LEAST(n, cap): the smaller of what the client asked and the cap.
      sql::SpecialFunc least;
      least.kind = sql::SpecialFunc::Kind::Least;
      least.args.push_back(std::move(*s.limit_count));
      Expr c;
      c.node = sql::Literal{sql::Literal::Kind::Integer, cap};
      least.args.push_back(std::move(c));
      Expr e;
      e.node = std::move(least);
      s.limit_count = std::move(e);
      print_all = true;
    } else {
      if (s.limit_all || s.limit_style != SelectStmt::LimitStyle::Limit || !s.span.valid() || s.span.end < base) {
        print_all = true;
      } else {
        edits.push_back({s.span.end - base, s.span.end - base, " LIMIT " + cap});
      }
      if (s.limit_style == SelectStmt::LimitStyle::FetchWithTies) s.limit_style = SelectStmt::LimitStyle::Limit;
      Expr c;
      c.node = sql::Literal{sql::Literal::Kind::Integer, cap};
      s.limit_count = std::move(c);
      s.limit_all = false;
    }
    changed = true;
    for (uint32_t i : set.list()) {
      const policy::CompiledPolicy& p = engine.policy_.policies()[i];
      if (p.row_limit && *p.row_limit == *row_limit) {
        fire(p.origin);
        break;
      }
    }
  }

  /// Column references to `target` (by its visible name, or unqualified)
  /// that read a masked column, or the whole row.
  void denyMaskedReads(Statement& holder, const std::string& visible, const Protection& p,
                       const std::string& what) {
    if (!p.masked()) return;
    sql::forEachExpr(holder, [&](Expr& e) {
      const auto* c = e.as<sql::ColumnRef>();
      if (c == nullptr) {
        return;
      }
      if (c->star && (c->fields.empty() || c->fields.back() == visible))
        deny(what + " reads every column of a table with masked columns; name the columns");
      if (c->fields.size() == 1 && c->fields[0] == visible)
        deny(what + " reads whole rows of a table with masked columns");
      const std::string& col = c->fields.empty() ? std::string() : c->fields.back();
      const bool ours = c->fields.size() == 1 || (c->fields.size() >= 2 && c->fields[c->fields.size() - 2] == visible);
      if (ours && std::find(p.masked_columns.begin(), p.masked_columns.end(), col) != p.masked_columns.end())
        deny(what + " reads masked column " + col + "; masked values can only be read by SELECT");
    });
  }

  /// The filter conjoined to a write's WHERE, qualified by the target's name.
  void conjoinFilter(sql::ExprPtr& where, const Protection& p, const std::string& visible) {
    std::optional<Expr> f = filterExpr(p);
    if (!f) return;
    Statement holder;
    SelectStmt sel;
    sel.where = std::move(*f);
    holder.node = std::move(sel);
    sql::forEachExpr(holder, [&](Expr& e) {
      if (auto* c = e.as<sql::ColumnRef>(); c && c->fields.size() == 1 && !c->star)
        c->fields.insert(c->fields.begin(), visible);
    });
    Expr filter = std::move(*std::get<SelectStmt>(holder.node).where);
    if (where) {
      sql::BoolExpr conj;
      conj.args.push_back(std::move(*where));
      conj.args.push_back(std::move(filter));
      Expr w;
      w.node = std::move(conj);
      where = std::move(w);
    } else {
      where = std::move(filter);
    }
    changed = true;
    print_all = true;
  }

  /// Columns the filters of `p` mention (a write that sets one could move a
  /// row out of the filter).
  std::vector<std::string> filterColumns(const Protection& p) {
    std::vector<std::string> out;
    for (const policy::FilterRule* f : p.rules.filters) {
      if (f->condition == nullptr || !f->condition->expr) continue;
      Statement holder;
      SelectStmt sel;
      sel.where = *f->condition->expr;
      holder.node = std::move(sel);
      sql::forEachExpr(holder, [&](Expr& e) {
        if (const auto* c = e.as<sql::ColumnRef>(); c && !c->fields.empty()) out.push_back(c->fields.back());
      });
    }
    return out;
  }

  template <class Stmt>
  void returning(Stmt& s, const std::string& visible, const Protection& p) {
    if (s.returning.empty()) return;
    for (auto& t : s.returning) expr(t.value);
    if (!p.masked()) return;
    Statement holder;
    SelectStmt sel;
    sel.targets = s.returning;
    holder.node = std::move(sel);
    denyMaskedReads(holder, visible, p, "RETURNING");
  }

  void update(sql::UpdateStmt& s) {
    const bool scoped = static_cast<bool>(s.with);
    if (scoped) with(*s.with);
    if (isCte(s.relation.name)) deny("UPDATE of a WITH query name");
    const Resolved r = resolve(s.relation.name);
    const Protection& p = checkTable(r, StatementClass::Update, s.where || !s.current_of.empty());
    const std::string visible = s.relation.alias ? s.relation.alias->name : s.relation.name.last();
    if (p.any() && !s.current_of.empty()) deny("UPDATE ... WHERE CURRENT OF on a protected table");
    if (p.masked()) {
      Statement holder;
      SelectStmt sel;
      for (auto& set_clause : s.set) {
        sql::ResTarget t;
        t.value = set_clause.value;
        sel.targets.push_back(std::move(t));
      }
      sel.where = s.where;
      holder.node = std::move(sel);
      denyMaskedReads(holder, visible, p, "UPDATE");
    }
    if (p.filtered()) {
      const std::vector<std::string> cols = filterColumns(p);
      for (const auto& set_clause : s.set)
        for (const auto& c : set_clause.columns)
          if (std::find(cols.begin(), cols.end(), c.name) != cols.end())
            deny("UPDATE sets " + c.name + ", which the row filter of " + r.schema + "." + r.name +
                 " depends on: rows could move out of the filter");
    }
    for (auto& set_clause : s.set) expr(set_clause.value);
    for (auto& ref : s.from) tableRef(ref);
    expr(s.where);
    returning(s, visible, p);
    conjoinFilter(s.where, p, visible);
    if (scoped) cte_scopes.pop_back();
  }

  void remove(sql::DeleteStmt& s) {
    const bool scoped = static_cast<bool>(s.with);
    if (scoped) with(*s.with);
    if (isCte(s.relation.name)) deny("DELETE from a WITH query name");
    const Resolved r = resolve(s.relation.name);
    const Protection& p = checkTable(r, StatementClass::Delete, s.where || !s.current_of.empty());
    const std::string visible = s.relation.alias ? s.relation.alias->name : s.relation.name.last();
    if (p.any() && !s.current_of.empty()) deny("DELETE ... WHERE CURRENT OF on a protected table");
    if (p.masked()) {
      Statement holder;
      SelectStmt sel;
      sel.where = s.where;
      holder.node = std::move(sel);
      denyMaskedReads(holder, visible, p, "DELETE");
    }
    for (auto& ref : s.using_) tableRef(ref);
    expr(s.where);
    returning(s, visible, p);
    conjoinFilter(s.where, p, visible);
    if (scoped) cte_scopes.pop_back();
  }

  void insert(sql::InsertStmt& s) {
    const bool scoped = static_cast<bool>(s.with);
    if (scoped) with(*s.with);
    if (isCte(s.relation.name)) deny("INSERT into a WITH query name");
    const Resolved r = resolve(s.relation.name);
    const Protection& p = checkTable(r, StatementClass::Insert);
    const std::string visible = s.relation.alias ? s.relation.alias->name : s.relation.name.last();
    if (s.on_conflict && p.any() && s.on_conflict->action == sql::OnConflict::Action::Update)
      deny("INSERT ... ON CONFLICT DO UPDATE on a protected table could change rows the policy hides");
    if (s.on_conflict && p.masked()) {
      Statement holder;
      SelectStmt sel;
      for (auto& set_clause : s.on_conflict->set) {
        sql::ResTarget t;
        t.value = set_clause.value;
        sel.targets.push_back(std::move(t));
      }
      sel.where = s.on_conflict->where;
      holder.node = std::move(sel);
      denyMaskedReads(holder, visible, p, "ON CONFLICT");
    }
    if (s.source) select(*s.source);
    returning(s, visible, p);
    if (p.filtered()) checkInsertedRows(s, r, p);
    if (scoped) cte_scopes.pop_back();
  }

  /// INSERT into a filtered table: every new row must satisfy the filter,
  /// like a WITH CHECK option. The source becomes
  /// `SELECT * FROM (source) AS sqlwarden_new(cols) WHERE CASE WHEN filter
  /// THEN true ELSE <error> END`; the error is a failing cast of a fixed
  /// message, made to depend on the row so PostgreSQL cannot fold it early.
  void checkInsertedRows(sql::InsertStmt& s, const Resolved& r, const Protection& p) {
    if (!s.source) deny("INSERT ... DEFAULT VALUES into a table with a row filter cannot be checked");
    std::vector<std::string> cols;
    for (const auto& c : s.columns) {
      if (!c.indirection.empty()) deny("INSERT into parts of columns of a filtered table cannot be checked");
      cols.push_back(c.name);
    }
    if (cols.empty() && r.table != nullptr) {
      // No column list: the source fills the table's first columns, in
      // order. Name them, so the row check knows which value is which.
      size_t width = 0;
      const SelectStmt& src = *s.source;
      if (src.kind == SelectStmt::Kind::Values && !src.values.empty()) {
        width = src.values.front().size();
      } else if (src.kind == SelectStmt::Kind::Select &&
                 std::none_of(src.targets.begin(), src.targets.end(),
                              [](const sql::ResTarget& t) { return t.value.as<sql::ColumnRef>() && t.value.as<sql::ColumnRef>()->star; })) {
        width = src.targets.size();
      }
      if (width == 0 || width > r.table->columns.size())
        deny("INSERT into a table with a row filter needs a column list");
      for (size_t i = 0; i < width; ++i) {
        cols.push_back(r.table->columns[i].name);
        s.columns.push_back(sql::TargetColumn{r.table->columns[i].name, {}});
      }
    }
    if (cols.empty()) deny("INSERT into a table with a row filter needs a column list");
    for (const std::string& c : filterColumns(p))
      if (std::find(cols.begin(), cols.end(), c) == cols.end() && r.table && r.table->column(c))
        deny("INSERT into " + r.schema + "." + r.name + " must set " + c +
             ", which its row filter depends on");
    std::optional<Expr> f = filterExpr(p);
    std::string column_list;
    for (size_t i = 0; i < cols.size(); ++i) column_list += (i ? ", " : "") + sql::quoteIdentifier(cols[i]);
    materializeAll();  // the source is printed, and replaced: no pointer into it is used after this
    const std::string text =
        "SELECT * FROM (" + sql::toSql(*s.source) + ") AS sqlwarden_new (" + column_list +
        ") WHERE CASE WHEN " + sql::toSql(*f) +
        " THEN true ELSE pg_catalog.int4(pg_catalog.concat('sqlwarden: new row violates the row filter of " +
        r.schema + "." + r.name + "', pg_catalog.left(" + sql::quoteIdentifier(cols[0]) +
        "::pg_catalog.text, 0))) OPERATOR(pg_catalog.=) 0 END";
    Result<Statement> parsed = parser.parseStatement(text);
    if (!parsed.ok() || !parsed->as<SelectStmt>())
      deny("internal error: the row check of the INSERT does not parse");
    SelectStmt checked = std::move(*parsed->as<SelectStmt>());
    s.source = std::move(checked);
    changed = true;
    print_all = true;
  }

  void merge(sql::MergeStmt& s) {
    const bool scoped = static_cast<bool>(s.with);
    if (scoped) with(*s.with);
    const Resolved r = resolve(s.target.name);
    const Protection& p = checkTable(r, StatementClass::Merge);
    if (p.any()) deny("MERGE into a table with masks or a row filter is not supported; use UPDATE and INSERT");
    tableRef(s.source);
    expr(s.on);
    for (auto& w : s.whens) {
      expr(w.condition);
      for (auto& sc : w.set) expr(sc.value);
      exprs(w.insert_values);
    }
    if (scoped) cte_scopes.pop_back();
  }

  void copy(sql::CopyStmt& s) {
    if (s.target == sql::CopyStmt::Target::File || s.target == sql::CopyStmt::Target::Program)
      deny("COPY to or from a server file or program is not available");
    checkStatementDeny(StatementClass::Copy);
    if (s.query) {
      statementClassChecks(*s.query);
      // COPY (query) needs the copy class, like COPY table.
      checkClassWithoutTable(StatementClass::Copy);
      statement(*s.query, true);
      return;
    }
    if (!s.relation) deny("COPY without a table");
    const Resolved r = resolve(s.relation->name);
    const Protection& p = checkTable(r, StatementClass::Copy);
    if (!p.any()) return;
    if (s.is_from) {
      if (p.filtered()) deny("COPY FROM into a table with a row filter cannot be checked; use INSERT");
      return;  // writing into masked columns reveals nothing
    }
    if (s.where) deny("COPY ... WHERE");
    // COPY t (cols) TO STDOUT -> COPY (SELECT cols FROM <masked t>) TO STDOUT.
    std::string cols = "*";
    if (!s.columns.empty()) {
      cols.clear();
      for (size_t i = 0; i < s.columns.size(); ++i) cols += (i ? ", " : "") + sql::quoteIdentifier(s.columns[i]);
    }
    Result<Statement> parsed = parser.parseStatement("SELECT " + cols + " FROM " + sql::quoteIdentifier(r.schema) +
                                                     "." + sql::quoteIdentifier(r.name) + " AS " +
                                                     sql::quoteIdentifier(r.name));
    if (!parsed.ok()) deny("internal error: COPY rewrite does not parse");
    SelectStmt& sel = *parsed->as<SelectStmt>();
    Replacement rep;
    rep.ref = &sel.from.front();
    rep.key = r.schema + "." + r.name;
    rep.table = r.table;
    rep.range_var = *rep.ref->as<sql::RangeVar>();
    rep.protection = &p;
    cachedView(r, false, p);
    replacements.push_back(std::move(rep));
    materialize(replacements.back());  // before `sel` moves: the pointer is not used again
    s.query = std::move(*parsed);
    s.relation.reset();
    s.columns.clear();
    changed = true;
    print_all = true;
  }

  /// The deny-statement checks for the class of a (nested) statement.
  void statementClassChecks(const Statement& st) {
    if (st.as<SelectStmt>()) checkStatementDeny(StatementClass::Select);
    if (st.as<sql::InsertStmt>()) checkStatementDeny(StatementClass::Insert);
    if (st.as<sql::UpdateStmt>()) checkStatementDeny(StatementClass::Update);
    if (st.as<sql::DeleteStmt>()) checkStatementDeny(StatementClass::Delete);
    if (st.as<sql::MergeStmt>()) checkStatementDeny(StatementClass::Merge);
  }

  void utility(Statement& st, sql::UtilityStmt& u) {
    const std::string& tag = st.tag;
    // BEGIN/COMMIT come with most transactions: decided before any token work.
    if (baseline::isTransactionControl(tag)) return;
    const std::vector<std::string> tokens = lowerTokens(u);
    if (tag == "PREPARE TRANSACTION" || tag == "COMMIT PREPARED" || tag == "ROLLBACK PREPARED")
      deny(tag + " is not available through the gateway");
    if (tag == "SET" || tag == "RESET" || tag == "SHOW") {
      // SET [SESSION|LOCAL] name {TO|=} ...; RESET name; SHOW name.
      size_t i = 1;
      if (i + 1 < tokens.size() && tokens[i] == "session" && tokens[i + 1] == "authorization")
        deny("changing the role or session authorization is not available");
      if (tag == "SET" && i < tokens.size() && (tokens[i] == "session" || tokens[i] == "local")) ++i;
      std::string name = i < tokens.size() ? tokens[i] : "";
      if (name == "time" && i + 1 < tokens.size() && tokens[i + 1] == "zone") name = "time zone";
      if (name == "role" || name == "session") deny("changing the role or session authorization is not available");
      if (tag == "SHOW") {
        if (name == "session_authorization" || name == "role" || name == "all")
          deny("SHOW " + name + " would show the gateway's own database role");
        return;
      }
      if (tag == "SET" && (name == "transaction" || name == "constraints")) return;
      if (name == "search_path")
        deny("changing search_path is not available: it changes what table names mean");
      if (name.empty()) deny(tag + " of a setting the gateway cannot tell");
      if (name.find('.') != std::string::npos) deny("custom setting " + name + " is not available");
      if (!baseline::isHarmlessSetting(name))
        deny("setting " + name + " is not one of the session settings the gateway allows");
      return;
    }
    if (tag == "DISCARD") return;
    if (tag == "DEALLOCATE") {
      const std::string name = tokens.size() >= 2 ? lastName(u) : "";
      if (name == "all") engine.session_.prepared.clear();
      engine.session_.prepared.erase(name);
      return;
    }
    if (tag == "FETCH" || tag == "MOVE" || tag == "CLOSE CURSOR") {
      const std::string name = lastName(u);
      if (tag == "CLOSE CURSOR" && tokens.size() == 2 && tokens.back() == "all") {
        engine.session_.cursors.clear();
        return;
      }
      if (!engine.session_.cursors.count(name)) deny("cursor " + name + " was not declared through the gateway");
      if (tag == "CLOSE CURSOR") engine.session_.cursors.erase(name);
      return;
    }
    if (tag == "LISTEN" || tag == "UNLISTEN" || tag == "NOTIFY") {
      if (protected_identity)
        deny(tag + " is not available to identities with masks or row filters: notification payloads bypass them");
      checkClassWithoutTable(StatementClass::All);
      return;
    }
    if (tag == "DO") {
      if (protected_identity) deny("DO runs code the gateway cannot check");
      checkClassWithoutTable(StatementClass::All);
      return;
    }
    if (tag == "SET ROLE" || tag == "SET SESSION AUTHORIZATION" || tag == "RESET ROLE")
      deny("changing the role or session authorization is not available");
    if (tag == "LOAD") deny("LOAD is not available");
    std::optional<StatementClass> c = utilityClass(tag);
    if (!c) {
      if (protected_identity) deny(tag + " is not available to identities with masks or row filters");
      checkClassWithoutTable(StatementClass::All);
      return;
    }
    checkStatementDeny(*c);
    if (protected_identity && *c != StatementClass::Call)
      deny(std::string(className(*c)) +
           " is not available to identities with masks or row filters: new objects could read protected data");
    if (*c == StatementClass::Call) {
      for (const auto& o : u.objects)
        if (o.kind == sql::ObjectKind::Function || o.kind == sql::ObjectKind::Procedure) checkFunction(o.name);
      if (protected_identity) deny("CALL runs a procedure the gateway cannot check");
    }
    bool any_table = false;
    for (const auto& o : u.objects) {
      if (!isTableKind(o.kind)) continue;
      any_table = true;
      const Resolved r = resolve(o.name);
      const Protection& p = protectionOf(r);
      for (const policy::DenyTableRule* d : p.rules.denies)
        denyBy(d->origin, d->message, "access to " + r.schema + "." + r.name + " is not allowed");
      const policy::AllowRule* allow = nullptr;
      for (const policy::AllowRule* a : p.rules.allows)
        if (a->classes & policy::classMask(*c)) allow = a;
      if (allow == nullptr)
        deny(std::string(className(*c)) + " on " + r.schema + "." + r.name + " is not allowed");
      fire(allow->origin);
      for (const policy::ApprovalRule* a : p.rules.approvals)
        if ((a->classes & policy::classMask(*c)) && !approval)
          approval.emplace(std::string(className(*c)) + " needs approval", ruleOf(a->origin));
    }
    if (!any_table) checkClassWithoutTable(*c);
    // Embedded queries (CREATE TABLE AS, CREATE VIEW AS) are walked for their checks.
    for (auto& piece : u.pieces)
      if (auto* inner = std::get_if<sql::Box<Statement>>(&piece.value))
        if (*inner) statement(**inner, true);
  }

  /// Checks and rewrites one statement. `nested`: inside another (a CTE
  /// body, EXPLAIN, PREPARE, ...), so no row limit.
  void statement(Statement& st, bool nested) {
    if (auto* s = st.as<SelectStmt>()) {
      checkStatementDeny(StatementClass::Select);
      if (s->from.empty() && !s->table && s->kind == SelectStmt::Kind::Select) {
        // A query without tables still needs some policy that allows SELECT.
        bool any_select = false;
        for (const auto& a : policy().allowRules())
          if (set.contains(a.origin.policy) && (a.classes & policy::classMask(StatementClass::Select)))
            any_select = true;
        if (!any_select) deny("SELECT is not allowed");
      }
      select(*s);
      if (!nested) limitRows(*s);
      return;
    }
    if (auto* s = st.as<sql::InsertStmt>()) {
      checkStatementDeny(StatementClass::Insert);
      insert(*s);
      return;
    }
    if (auto* s = st.as<sql::UpdateStmt>()) {
      checkStatementDeny(StatementClass::Update);
      update(*s);
      return;
    }
    if (auto* s = st.as<sql::DeleteStmt>()) {
      checkStatementDeny(StatementClass::Delete);
      remove(*s);
      return;
    }
    if (auto* s = st.as<sql::MergeStmt>()) {
      checkStatementDeny(StatementClass::Merge);
      merge(*s);
      return;
    }
    if (auto* s = st.as<sql::ExplainStmt>()) {
      if (s->statement) statement(*s->statement, true);
      return;
    }
    if (auto* s = st.as<sql::PrepareStmt>()) {
      if (!s->statement) deny("PREPARE without a statement");
      statement(*s->statement, false);
      pending_prepared = s->name;
      return;
    }
    if (auto* s = st.as<sql::ExecuteStmt>()) {
      if (!engine.session_.prepared.count(s->name))
        deny("prepared statement " + s->name + " was not prepared through the gateway");
      exprs(s->params);
      return;
    }
    if (auto* s = st.as<sql::DeclareCursorStmt>()) {
      if (!s->query) deny("DECLARE without a query");
      statement(*s->query, false);
      pending_cursor = s->name;
      return;
    }
    if (auto* s = st.as<sql::CopyStmt>()) {
      copy(*s);
      return;
    }
    if (auto* s = st.as<sql::UtilityStmt>()) {
      utility(st, *s);
      return;
    }
    deny("statement kind is not supported");
  }

  std::optional<std::string> pending_prepared;
  std::optional<std::string> pending_cursor;

  /// The statement's text with the edits applied; the printed AST when the
  /// edits do not fit the text (overlap, or a span outside it).
  std::string splice(Statement& statement, std::string_view text) {
    std::vector<Edit> all = edits;
    for (const Replacement& rep : replacements) {
      const CachedView& view = subquery_cache.at(rep.key);
      std::string t = "(" + view.head;
      for (const Expr& cond : rep.pushed) t += " AND " + sql::toSql(cond);
      if (view.filtered) t += " OFFSET 0";
      t += ") AS " + rep.alias;
      all.push_back({rep.span.begin - base, rep.span.end - base, std::move(t)});
    }
    std::sort(all.begin(), all.end(), [](const Edit& a, const Edit& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::string out;
    uint32_t pos = 0;
    for (const Edit& e : all) {
      if (e.begin < pos || e.end < e.begin || e.end > text.size()) {
        materializeAll();
        return sql::toSql(statement);
      }
      out.append(text.substr(pos, e.begin - pos));
      out += e.text;
      pos = e.end;
    }
    out.append(text.substr(pos));
    return out;
  }
};

Engine::Engine(const policy::Policy& policy, const catalog::Catalog& catalog, policy::Identity identity)
    : policy_(policy), catalog_(catalog), identity_(std::move(identity)) {
  impl_ = std::make_unique<Impl>(*this);
}

Engine::~Engine() = default;

std::vector<Decision> Engine::decideScript(std::string_view sql) {
  std::vector<Decision> out;
  for (sql::StatementResult& r : impl_->parser.parseScript(sql)) {
    const std::string_view text = sql.substr(r.span.begin, r.span.end - r.span.begin);
    if (!r.ok()) {
      Decision d;
      d.verdict = Verdict::Deny;
      d.reason = "syntax error: " + r.error->message;
      d.sqlstate = "42601";
      d.message = r.error->message;
      out.push_back(std::move(d));
      continue;
    }
    out.push_back(decideWith(std::move(*r.statement), text, r.span.begin, r.fingerprint));
  }
  return out;
}

sql::Parser& Engine::parser() { return impl_->parser; }

Decision Engine::decide(sql::Statement statement, std::string_view text, uint32_t base) {
  const uint64_t fingerprint = impl_->parser.fingerprintText(text);
  return decideWith(std::move(statement), text, base, fingerprint);
}

Decision Engine::decideWith(sql::Statement statement, std::string_view text, uint32_t base, uint64_t fingerprint) {
  Impl& m = *impl_;
  m.fired.clear();
  m.approval.reset();
  m.changed = false;
  m.cte_scopes.clear();
  m.replacements.clear();
  m.edits.clear();
  m.print_all = false;
  m.base = base;
  m.pending_prepared.reset();
  m.pending_cursor.reset();

  Decision d;
  d.kind = statement.tag;
  d.fingerprint = sql::fingerprintHex(fingerprint);
  try {
    if (m.set.empty()) m.deny("no policy applies to user \"" + identity_.user + "\"");
    m.statement(statement, false);
  } catch (const Denial& denial) {
    d.verdict = Verdict::Deny;
    d.reason = denial.reason;
    d.sqlstate = denial.sqlstate;
    if (denial.rule) {
      d.rules = {*denial.rule};
      std::string file = denial.rule->file;
      if (const size_t slash = file.find_last_of('/'); slash != std::string::npos) file = file.substr(slash + 1);
      d.message = "permission denied by policy " + denial.rule->policy + " (" + file + ":" +
                  std::to_string(denial.rule->line) + "): " + denial.reason;
    } else {
      d.message = "permission denied by sqlwarden: " + denial.reason;
    }
    return d;
  }
  if (m.pending_prepared) session_.prepared.insert(*m.pending_prepared);
  if (m.pending_cursor) session_.cursors.insert(*m.pending_cursor);
  d.rules = m.fired;
  if (m.approval) {
    d.verdict = Verdict::Approval;
    d.reason = m.approval->first;
    d.rules.insert(d.rules.begin(), m.approval->second);
  } else {
    d.verdict = Verdict::Allow;
  }
  d.rewritten = m.changed;
  if (m.changed && m.print_all) m.materializeAll();
  d.sql = !m.changed ? std::string(text) : m.print_all ? sql::toSql(statement) : m.splice(statement, text);
  return d;
}

}  // namespace sqlwarden::rewrite
