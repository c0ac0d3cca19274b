#include "policy/schema_check.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "policy/error_handler.hpp"

namespace sqlwarden::policy {

namespace {

using catalog::Catalog;
using catalog::Table;
using catalog::TypeCategory;

bool exact(const NamePart& p) { return p.kind == NamePart::Kind::Exact; }

/// The tables of the schema a pattern matches.
std::vector<const Table*> matching(const Catalog& catalog, const TablePattern& pattern) {
  std::vector<const Table*> out;
  for (const Table& t : catalog.tables())
    if (pattern.matches(t.schema, t.name)) out.push_back(&t);
  return out;
}

/// System schemas are not in a user's schema file; rules about them are
/// not checked.
bool systemSchema(const TablePattern& p) {
  return exact(p.schema) && (p.schema.text == "pg_catalog" || p.schema.text == "information_schema");
}

void addHint(Diagnostic& d, std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  if (auto s = parser::closestWord(word, views)) d.notes.push_back("did you mean \"" + std::string(*s) + "\"?");
}

/// E009 when an exact table pattern names no table of the schema.
bool checkTable(const Catalog& catalog, const TablePattern& p, const RuleOrigin& origin,
                std::vector<PolicyDiagnostic>& out) {
  if (!exact(p.table) || systemSchema(p) || !matching(catalog, p).empty()) return true;
  const std::string name = (exact(p.schema) ? p.schema.text + "." : std::string()) + p.table.text;
  Diagnostic d = Diagnostic::error("E009", "unknown table \"" + name + "\" (not in the schema)",
                                   origin.span);
  std::vector<std::string> names;
  for (const Table& t : catalog.tables()) names.push_back(exact(p.schema) ? t.schema + "." + t.name : t.name);
  addHint(d, name, names);
  out.push_back({std::move(d), origin.source});
  return false;
}

/// The type a built-in mask needs, or Other when any type will do.
TypeCategory neededCategory(ast::MaskSpec::Kind kind) {
  using K = ast::MaskSpec::Kind;
  switch (kind) {
    case K::Email:
    case K::Redact:
    case K::KeepFirst:
    case K::KeepLast: return TypeCategory::Text;
    case K::Year: return TypeCategory::DateTime;
    default: return TypeCategory::Other;
  }
}

}  // namespace

void checkAgainstSchema(const Policy& policy, const Catalog& catalog,
                        std::vector<PolicyDiagnostic>& out) {
  const size_t first = out.size();
  for (const MaskRule& m : policy.maskRules()) {
    if (!checkTable(catalog, m.table, m.origin, out) || systemSchema(m.table)) continue;
    const std::vector<const Table*> tables = matching(catalog, m.table);
    bool column_found = false;
    for (const Table* t : tables) {
      for (const auto& c : t->columns) {
        if (!m.column.matches(c.name)) continue;
        column_found = true;
        const TypeCategory needed = neededCategory(m.kind);
        if (needed != TypeCategory::Other && c.category != needed) {
          out.push_back({Diagnostic::error(
                             "E011", "mask " + m.maskName() + " cannot apply to " + t->schema +
                                         "." + t->name + "." + c.name + " of type " +
                                         (c.type.empty() ? std::string("unknown") : c.type),
                             m.origin.span),
                         m.origin.source});
          out.back().diagnostic.notes.push_back(
              needed == TypeCategory::Text ? "this mask works on text columns"
                                           : "this mask works on date and timestamp columns");
        }
      }
    }
    // An exact column on an exact table must exist there.
    if (!column_found && exact(m.column) && exact(m.table.table) && !tables.empty()) {
      Diagnostic d = Diagnostic::error(
          "E010", "unknown column \"" + m.column.text + "\" in table " + tables.front()->schema +
                      "." + tables.front()->name,
          m.origin.span);
      std::vector<std::string> names;
      for (const auto& c : tables.front()->columns) names.push_back(c.name);
      addHint(d, m.column.text, names);
      out.push_back({std::move(d), m.origin.source});
    }
  }
  for (const FilterRule& f : policy.filterRules()) checkTable(catalog, f.table, f.origin, out);
  for (const AllowRule& a : policy.allowRules()) {
    const bool everything = a.table.schema.kind == NamePart::Kind::Any &&
                            a.table.table.kind == NamePart::Kind::Any;
    if (everything || systemSchema(a.table) || !matching(catalog, a.table).empty()) continue;
    Diagnostic d{Severity::Warning, "W006",
                 "allow pattern " + a.table.schema.str() + "." + a.table.table.str() +
                     " matches no table of the schema",
                 a.origin.span,
                 {}};
    if (exact(a.table.table)) {
      std::vector<std::string> names;
      for (const Table& t : catalog.tables()) names.push_back(t.name);
      addHint(d, a.table.table.text, names);
    }
    out.push_back({std::move(d), a.origin.source});
  }
  // In file order, like the compiler's own diagnostics.
  std::stable_sort(out.begin() + static_cast<long>(first), out.end(),
                   [](const PolicyDiagnostic& x, const PolicyDiagnostic& y) {
                     return x.source != y.source ? x.source < y.source
                                                 : x.diagnostic.span.begin < y.diagnostic.span.begin;
                   });
}

}  // namespace sqlwarden::policy
