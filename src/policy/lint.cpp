#include "policy/lint.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "sql/references.hpp"

namespace sqlwarden::policy {

// --- Identity functions in filters ------------------------------------------------

std::vector<ClaimUse> claimUses(const ast::SqlFragment& fragment, std::vector<Diagnostic>* errors) {
  std::vector<ClaimUse> uses;
  if (!fragment.expr) return uses;
  // The walker wants a statement; a copy of the expression keeps the AST const.
  sql::SelectStmt select;
  select.where = fragment.expr;
  sql::Statement statement;
  statement.node = std::move(select);
  const size_t prefix = ast::kSqlWrapperPrefix.size();
  auto fileSpan = [&](const Span& s) {
    return Span{fragment.fileOffset(s.begin), fragment.fileOffset(s.end)};
  };
  sql::forEachExpr(statement, [&](sql::Expr& e) {
    const auto* call = e.as<sql::FuncCall>();
    if (!call || call->name.parts.size() != 1) return;
    const std::string& name = call->name.parts[0];
    const bool plain = !call->star && !call->distinct && !call->variadic && call->order_by.empty() &&
                       !call->filter && !call->over;
    if (name == "claim") {
      // The name is written in quotes: claim("tenant_id") as in the rules
      // language's strings (SQL reads it as a quoted identifier), or
      // claim('tenant_id') as a SQL string.
      std::optional<std::string> claim;
      if (plain && call->args.size() == 1 && !call->args[0].name && call->args[0].value) {
        const sql::Expr& arg = *call->args[0].value;
        if (const auto* literal = arg.as<sql::Literal>();
            literal && literal->kind == sql::Literal::Kind::String)
          claim = literal->value;
        const auto* column = arg.as<sql::ColumnRef>();
        const size_t at = arg.span.begin - std::min<size_t>(arg.span.begin, prefix);
        if (column && !column->star && column->fields.size() == 1 && at < fragment.text.size() &&
            fragment.text[at] == '"')
          claim = column->fields[0];
      }
      if (claim && !claim->empty()) {
        uses.push_back({*claim, fileSpan(e.span)});
      } else if (errors) {
        Diagnostic d = Diagnostic::error(
            "E008", "claim() takes one argument: the claim's name in quotes", fileSpan(e.span));
        d.notes.push_back("write claim(\"tenant_id\"); the value is substituted as a quoted literal");
        errors->push_back(std::move(d));
      }
    } else if (name == "groups" || name == "user" || name == ast::kUserCallName) {
      if ((!plain || !call->args.empty()) && errors)
        errors->push_back(Diagnostic::error("E008", name + "() takes no arguments", fileSpan(e.span)));
    }
  });
  return uses;
}

// --- Lint -------------------------------------------------------------------------

namespace {

/// Column names whose values are few enough to enumerate: a hash of them is
/// as good as the value.
/// `prefix`: `name` is the prefix of a pattern like `is_*`.
bool fewDistinctValues(std::string name, bool prefix) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::vector<std::string_view> exact = {
      "status", "state", "gender", "sex", "country", "country_code", "region", "role",
      "type", "kind", "level", "tier", "active", "enabled", "deleted", "verified", "flag",
      "marital_status", "ethnicity", "race", "religion", "blood_type", "age", "birth_year",
      "zip", "zipcode", "zip_code", "postal_code", "nationality", "language", "currency"};
  static const std::vector<std::string_view> prefixes = {"is_", "has_", "can_"};
  static const std::vector<std::string_view> suffixes = {"_flag", "_status", "_type", "_yn",
                                                         "_bool", "_gender", "_country", "_state"};
  if (std::find(exact.begin(), exact.end(), name) != exact.end()) return true;
  for (auto p : prefixes)
    if (name.size() + (prefix ? 1 : 0) > p.size() && name.compare(0, p.size(), p) == 0) return true;
  if (prefix) return false;  // `x_*` says nothing about how the name ends
  for (auto s : suffixes)
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) return true;
  return false;
}

/// One thing a rule statement covers, for the duplicate/shadow checks: a set
/// of classes on a pattern.
struct Item {
  ClassMask classes = 0;
  TablePattern pattern;
  std::string text;  ///< as written, or "every table"
  Span span;
  bool without_where = false;            ///< approvals
  std::string mask;                      ///< masks: the mask's name
  NamePart column;                       ///< masks
  const sql::ExprPtr* condition = nullptr;  ///< filters
};

class PolicyLinter {
 public:
  PolicyLinter(const Policy& policy, uint32_t source, const ast::Policy& node,
               std::vector<PolicyDiagnostic>& out)
      : policy_(policy), source_(source), file_(*policy.sources()[source]), node_(node), out_(out) {}

  void run();

 private:
  void warn(std::string code, std::string message, Span span, std::vector<std::string> notes = {}) {
    Diagnostic d{Severity::Warning, std::move(code), std::move(message), span, std::move(notes)};
    out_.push_back({std::move(d), source_});
  }
  /// A note is advice that is not a hazard: it does not fail `lint --strict`.
  void note(std::string code, std::string message, Span span, std::vector<std::string> notes = {}) {
    Diagnostic d{Severity::Note, std::move(code), std::move(message), span, std::move(notes)};
    out_.push_back({std::move(d), source_});
  }
  std::string line(Span span) const { return std::to_string(lineColAt(file_.text, span.begin).line); }

  /// Warns (W001) when `item` adds nothing to an earlier item of `earlier`;
  /// `covers(a, b)` says whether a makes b redundant besides the pattern.
  template <class Covers>
  void shadow(std::vector<Item>& earlier, Item item, std::string_view what, Covers covers);

  void appliesTo();
  void tableItems(const std::vector<ast::Pattern>& patterns, Span statement, ClassMask classes,
                  std::vector<Item>& into);

  const Policy& policy_;
  uint32_t source_;
  const SourceFile& file_;
  const ast::Policy& node_;
  std::vector<PolicyDiagnostic>& out_;
};

/// `"public.*"`, or `every table` unquoted.
std::string quoted(const std::string& text) {
  return text == "every table" ? text : "\"" + text + "\"";
}

template <class Covers>
void PolicyLinter::shadow(std::vector<Item>& earlier, Item item, std::string_view what,
                          Covers covers) {
  for (const Item& e : earlier) {
    if (!covers(e, item) || !e.pattern.covers(item.pattern)) continue;
    const bool same = e.text == item.text && e.classes == item.classes;
    if (same)
      warn("W001", "duplicate rule: line " + line(e.span) + " already has this " + std::string(what) +
                       " on " + quoted(item.text),
           item.span, {"remove one of the two"});
    else
      warn("W001", "this " + std::string(what) + " on " + quoted(item.text) + " is shadowed by the " +
                       std::string(what) +
                       (e.text == item.text ? " on line " + line(e.span)
                                            : " on " + quoted(e.text) + " (line " + line(e.span) + ")"),
           item.span, {"the earlier rule already covers it; remove this one or narrow the other"});
    return;
  }
  earlier.push_back(std::move(item));
}

void PolicyLinter::tableItems(const std::vector<ast::Pattern>& patterns, Span statement,
                              ClassMask classes, std::vector<Item>& into) {
  if (patterns.empty()) {
    Item item;
    item.classes = classes;
    item.text = "every table";
    item.span = statement;
    into.push_back(std::move(item));
    return;
  }
  for (const auto& p : patterns) {
    Item item;
    item.classes = classes;
    item.pattern = TablePattern::fromPattern(p);
    item.text = p.str();
    item.span = p.span;
    into.push_back(std::move(item));
  }
}

void PolicyLinter::appliesTo() {
  std::vector<const ast::Matcher*> matchers;
  for (const auto& statement : node_.statements)
    if (const auto* s = boost::get<ast::AppliesTo>(&statement.get()))
      for (const auto& m : s->matchers) matchers.push_back(&m);
  if (matchers.empty()) {
    warn("W002", "policy \"" + node_.name.text + "\" applies to nobody", node_.name.span,
         {"it has no applies to statement, so its rules never apply; add applies to user \"...\", "
          "group \"...\" or claim \"...\" = \"...\""});
    return;
  }
  const bool anyone = std::any_of(matchers.begin(), matchers.end(), [](const ast::Matcher* m) {
    return m->kind != ast::Matcher::Kind::Claim || !m->claim_value.value.empty();
  });
  for (size_t i = 0; i < matchers.size(); ++i) {
    const ast::Matcher& m = *matchers[i];
    if (m.kind == ast::Matcher::Kind::Claim && m.claim_value.value.empty()) {
      std::vector<std::string> notes = {"a claim matcher needs the value the claim must have"};
      if (!anyone) notes.push_back("policy \"" + node_.name.text + "\" applies to nobody");
      warn("W002", "claim matcher \"" + m.value.value + "\" = \"\" matches nobody", m.span,
           std::move(notes));
      continue;
    }
    for (size_t j = 0; j < i; ++j) {
      const ast::Matcher& e = *matchers[j];
      if (e.kind == m.kind && e.value.value == m.value.value &&
          e.claim_value.value == m.claim_value.value) {
        warn("W001", "duplicate matcher: line " + line(e.span) + " already has it", m.span,
             {"remove one of the two"});
        break;
      }
    }
  }
}

void PolicyLinter::run() {
  appliesTo();

  std::vector<Item> allows, deny_tables, deny_functions, masks, filters, approvals;
  std::vector<std::pair<ClassMask, Span>> deny_classes;  // each class of each deny statement
  std::optional<ast::LimitRows> limit;

  const auto any = [](const Item&, const Item&) { return true; };
  const auto superset = [](const Item& a, const Item& b) { return (a.classes & b.classes) == b.classes; };

  for (const auto& statement : node_.statements) {
    const auto& v = statement.get();
    if (const auto* s = boost::get<ast::Allow>(&v)) {
      std::vector<Item> items;
      tableItems(s->tables, s->span, classMask(s->classes), items);
      for (auto& item : items) {
        // Shown as the statement's text when it has no `on`.
        if (s->tables.empty()) item.text = "every table";
        shadow(allows, std::move(item), "allow", superset);
      }
    } else if (const auto* s = boost::get<ast::DenyStatement>(&v)) {
      for (const auto& c : s->classes) {
        const ClassMask mask = classMask(c.value);
        bool reported = false;
        for (const auto& [earlier, span] : deny_classes) {
          if ((earlier & mask) != mask) continue;
          warn("W001", "duplicate rule: class \"" + std::string(ast::toString(c.value)) +
                           "\" is already denied on line " + line(span),
               c.span, {"remove one of the two"});
          reported = true;
          break;
        }
        if (!reported) deny_classes.emplace_back(mask, c.span);
      }
    } else if (const auto* s = boost::get<ast::DenyFunction>(&v)) {
      std::vector<Item> items;
      tableItems(s->functions, s->span, 0, items);
      for (auto& item : items) shadow(deny_functions, std::move(item), "deny function", any);
    } else if (const auto* s = boost::get<ast::DenyTable>(&v)) {
      std::vector<Item> items;
      tableItems(s->tables, s->span, 0, items);
      for (auto& item : items) shadow(deny_tables, std::move(item), "deny table", any);
    } else if (const auto* s = boost::get<ast::Mask>(&v)) {
      Item item;
      const auto& parts = s->column.parts;
      if (parts.size() == 3) {
        item.pattern.schema = NamePart::fromPattern(parts[0]);
        item.pattern.table = NamePart::fromPattern(parts[1]);
      } else if (parts.size() == 2) {
        item.pattern.table = NamePart::fromPattern(parts[0]);
      }
      item.column = parts.empty() ? NamePart{} : NamePart::fromPattern(parts.back());
      item.text = s->column.str();
      item.span = s->span;
      item.mask = ast::toString(s->mask.kind);
      if (s->mask.kind == ast::MaskSpec::Kind::Function) item.mask = s->mask.function;
      if (s->mask.kind == ast::MaskSpec::Kind::KeepFirst || s->mask.kind == ast::MaskSpec::Kind::KeepLast)
        item.mask += "(" + std::to_string(s->mask.count) + ")";
      if (s->mask.kind == ast::MaskSpec::Kind::Hash && item.column.kind != NamePart::Kind::Any &&
          fewDistinctValues(item.column.text, item.column.kind == NamePart::Kind::Prefix)) {
        warn("W004",
             "hash mask on \"" + item.text + "\": a column like \"" + item.column.str() +
                 "\" has few distinct values, so its hashes are easy to reverse",
             s->mask.span,
             {"anyone can hash every likely value and compare; use a keyed mask (a mask_function "
              "with hmac() and a secret key) or redact"});
      }
      shadow(masks, std::move(item), "mask", [](const Item& a, const Item& b) {
        // A different mask is a conflict (E005), not a shadow.
        return a.mask == b.mask && a.column.covers(b.column);
      });
    } else if (const auto* s = boost::get<ast::Filter>(&v)) {
      std::vector<Item> items;
      tableItems(s->tables, s->span, 0, items);
      for (auto& item : items) {
        item.condition = &s->condition.expr;
        shadow(filters, std::move(item), "filter", [](const Item& a, const Item& b) {
          return a.condition && b.condition && *a.condition == *b.condition;
        });
      }
    } else if (const auto* s = boost::get<ast::RequireApproval>(&v)) {
      std::vector<Item> items;
      tableItems(s->tables, s->span, classMask(s->classes), items);
      for (auto& item : items) {
        item.without_where = s->without_where;
        shadow(approvals, std::move(item), "require approval", [&](const Item& a, const Item& b) {
          return superset(a, b) && (!a.without_where || b.without_where);
        });
      }
    } else if (const auto* s = boost::get<ast::LimitRows>(&v)) {
      if (limit) {
        const uint32_t applies = std::min(limit->rows.value, s->rows.value);
        warn("W001", "policy \"" + node_.name.text + "\" limits rows twice (line " +
                         line(limit->span) + ")",
             s->span, {"the smaller limit, " + std::to_string(applies) + ", applies; keep one"});
      } else {
        limit = *s;
      }
    }
  }

  // W003: allows a deny of the same policy makes unreachable (a deny wins
  // wherever it is written).
  for (const auto& statement : node_.statements) {
    const auto* s = boost::get<ast::Allow>(&statement.get());
    if (!s) continue;
    bool all_classes_denied = true;
    for (const auto& c : s->classes) {
      const ClassMask mask = classMask(c.value);
      const auto deny = std::find_if(deny_classes.begin(), deny_classes.end(),
                                     [&](const auto& d) { return (d.first & mask) == mask; });
      // Several denies together may cover `all`; name the first that overlaps.
      ClassMask union_mask = 0;
      for (const auto& d : deny_classes) union_mask |= d.first;
      if ((union_mask & mask) != mask) {
        all_classes_denied = false;
        continue;
      }
      const Span deny_span = deny != deny_classes.end() ? deny->second : deny_classes.front().second;
      warn("W003",
           "allow of \"" + std::string(ast::toString(c.value)) + "\" is unreachable: deny statement on line " +
               line(deny_span) + " denies it",
           c.span, {"a deny wins over every allow; remove the allow or the deny"});
    }
    if (all_classes_denied) continue;
    std::vector<Item> items;
    tableItems(s->tables, s->span, 0, items);
    for (const Item& item : items) {
      for (const Item& d : deny_tables) {
        if (!d.pattern.covers(item.pattern)) continue;
        warn("W003",
             "allow on " + quoted(item.text) + " is unreachable: deny table \"" + d.text + "\" on line " +
                 line(d.span) + " denies it",
             item.span, {"a deny wins over every allow; remove the allow or the deny"});
        break;
      }
    }
  }

  // N001: claims a filter needs that some `applies to` alternative does not
  // guarantee. A note, not a warning: a missing claim is NULL and the filter
  // then hides every row, so the policy fails closed; what is at stake is
  // usability, not safety (docs/rules.md, "Notes").
  std::vector<const ast::Matcher*> matchers;
  for (const auto& statement : node_.statements)
    if (const auto* s = boost::get<ast::AppliesTo>(&statement.get()))
      for (const auto& m : s->matchers) matchers.push_back(&m);
  if (matchers.empty()) return;
  for (const auto& statement : node_.statements) {
    const auto* s = boost::get<ast::Filter>(&statement.get());
    if (!s) continue;
    std::vector<std::string> seen;
    for (const ClaimUse& use : claimUses(s->condition, nullptr)) {
      if (std::find(seen.begin(), seen.end(), use.name) != seen.end()) continue;
      seen.push_back(use.name);
      const auto missing = std::find_if(matchers.begin(), matchers.end(), [&](const ast::Matcher* m) {
        return m->kind != ast::Matcher::Kind::Claim || m->value.value != use.name ||
               m->claim_value.value.empty();
      });
      if (missing == matchers.end()) continue;
      const ast::Matcher& m = **missing;
      const char* kind = m.kind == ast::Matcher::Kind::User    ? "user"
                         : m.kind == ast::Matcher::Kind::Group ? "group"
                                                               : "claim";
      note("N001",
           "filter uses claim \"" + use.name + "\", which not every identity of policy \"" +
               node_.name.text + "\" is guaranteed to have",
           use.span,
           {std::string("the matcher ") + kind + " \"" + m.value.value + "\" (line " + line(m.span) +
                ") does not require it; where the claim is missing it is NULL and the filter hides "
                "every row",
            "match on the claim (claim \"" + use.name + "\" = \"...\") or make sure every token carries it"});
    }
  }
}

}  // namespace

void lintPolicies(const Policy& policy, std::vector<PolicyDiagnostic>& out) {
  for (uint32_t s = 0; s < policy.sources().size(); ++s)
    for (const ast::Policy& node : policy.sources()[s]->ast.policies)
      PolicyLinter(policy, s, node, out).run();
}

}  // namespace sqlwarden::policy
