#include "catalog/catalog.hpp"

#include <algorithm>

#include "sql/parser.hpp"

namespace sqlwarden::catalog {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// A name token as PostgreSQL resolves it.
std::string nameOf(std::string_view token) {
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < token.size(); ++i) {
      out += token[i];
      if (token[i] == '"') ++i;
    }
    return out;
  }
  return lower(token);
}

bool isOneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  const std::string w = lower(word);
  return std::find(words.begin(), words.end(), w) != words.end();
}

/// The text tokens of a utility statement (embedded expressions count as one
/// opaque token so element boundaries stay right).
std::vector<std::string> tokensOf(const sql::UtilityStmt& u) {
  std::vector<std::string> out;
  for (const auto& piece : u.pieces) {
    if (const auto* s = std::get_if<std::string>(&piece.value)) {
      out.push_back(*s);
    } else {
      out.push_back("<expr>");
    }
  }
  return out;
}

}  // namespace

const Column* Table::column(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

bool Catalog::isFunction(std::string_view name) const {
  for (const auto& f : functions_)
    if (f.second == name) return true;
  return false;
}

void Catalog::add(Table table) {
  index_.emplace(table.schema + std::string(1, '\0') + table.name, tables_.size());
  tables_.push_back(std::move(table));
}

const Table* Catalog::find(std::string_view schema, std::string_view name) const {
  std::string key;
  key.reserve(schema.size() + name.size() + 1);
  key.append(schema).push_back('\0');
  key.append(name);
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &tables_[it->second];
}

TypeCategory categoryOf(std::string_view type) {
  const std::string t = lower(type);
  const auto starts = [&](std::string_view p) { return t.rfind(p, 0) == 0; };
  if (t.find("[]") != std::string::npos) return TypeCategory::Other;
  if (starts("text") || starts("varchar") || starts("character") || starts("char") ||
      starts("citext") || starts("name") || starts("bpchar"))
    return TypeCategory::Text;
  if (starts("date") || starts("timestamp") || starts("timestamptz")) return TypeCategory::DateTime;
  if (starts("int") || starts("smallint") || starts("bigint") || starts("numeric") ||
      starts("decimal") || starts("real") || starts("double") || starts("float") ||
      starts("serial") || starts("bigserial") || starts("smallserial"))
    return TypeCategory::Numeric;
  if (starts("bool")) return TypeCategory::Boolean;
  return TypeCategory::Other;
}

CatalogResult loadCatalog(std::string_view sql) {
  CatalogResult result;
  sql::Parser parser;
  for (auto& r : parser.parseScript(sql)) {
    if (!r.ok()) {
      result.errors.push_back(*r.error);
      continue;
    }
    const sql::Statement& stmt = *r.statement;
    const auto* u = stmt.as<sql::UtilityStmt>();
    if (u == nullptr || u->objects.empty()) continue;
    const auto schemaAndName = [](const sql::QualifiedName& n) {
      return std::make_pair(n.parts.size() >= 2 ? n.parts[n.parts.size() - 2] : std::string("public"),
                            n.parts.back());
    };
    if (stmt.tag == "CREATE VIEW" || stmt.tag == "CREATE MATERIALIZED VIEW" ||
        stmt.tag == "CREATE FOREIGN TABLE") {
      auto [schema, name] = schemaAndName(u->objects.front().name);
      result.catalog.addOtherRelation(std::move(schema), std::move(name));
      continue;
    }
    if (stmt.tag == "CREATE FUNCTION" || stmt.tag == "CREATE PROCEDURE" ||
        stmt.tag == "CREATE AGGREGATE") {
      auto [schema, name] = schemaAndName(u->objects.front().name);
      result.catalog.addFunction(std::move(schema), std::move(name));
      continue;
    }
    if (stmt.tag != "CREATE TABLE") continue;

    Table table;
    const auto& parts = u->objects.front().name.parts;
    table.name = parts.back();
    table.schema = parts.size() >= 2 ? parts[parts.size() - 2] : "public";

    // The element list: the first top-level parenthesis after the name.
    const std::vector<std::string> tokens = tokensOf(*u);

    // Parents: `PARTITION OF name` and `INHERITS (name, ...)`. (Other tables
    // the statement names, such as REFERENCES targets, are not parents.)
    const auto readName = [&](size_t& k) {
      sql::QualifiedName n;
      n.parts.push_back(nameOf(tokens[k]));
      while (k + 2 < tokens.size() && tokens[k + 1] == ".") {
        k += 2;
        n.parts.push_back(nameOf(tokens[k]));
      }
      return schemaAndName(n);
    };
    for (size_t k = 0; k + 2 < tokens.size(); ++k) {
      if (lower(tokens[k]) == "partition" && lower(tokens[k + 1]) == "of") {
        k += 2;
        table.parents.push_back(readName(k));
      } else if (lower(tokens[k]) == "inherits" && tokens[k + 1] == "(") {
        for (k += 2; k < tokens.size() && tokens[k] != ")"; ++k) {
          if (tokens[k] == ",") continue;
          table.parents.push_back(readName(k));
        }
      }
    }
    size_t i = 0;
    while (i < tokens.size() && tokens[i] != "(") ++i;
    std::vector<std::vector<std::string>> elements(1);
    int depth = 0;
    for (++i; i < tokens.size(); ++i) {
      const std::string& t = tokens[i];
      if (t == "(") ++depth;
      if (t == ")" && depth-- == 0) break;
      if (t == "," && depth == 0) {
        elements.emplace_back();
        continue;
      }
      elements.back().push_back(t);
    }
    for (const auto& e : elements) {
      if (e.empty() || isOneOf(e[0], {"constraint", "primary", "unique", "check", "foreign",
                                      "exclude", "like"}))
        continue;
      Column c;
      c.name = nameOf(e[0]);
      for (size_t k = 1; k < e.size(); ++k) {
        if (isOneOf(e[k], {"not", "null", "default", "primary", "unique", "check", "references",
                           "generated", "collate", "constraint"}))
          break;
        const bool glued = e[k] == "(" || e[k] == ")" || e[k] == "," || e[k] == "[" ||
                           e[k] == "]" || (!c.type.empty() && (c.type.back() == '(' ||
                                                               c.type.back() == '['));
        if (!c.type.empty() && !glued) c.type += ' ';
        c.type += lower(e[k]);
      }
      c.category = categoryOf(c.type);
      table.columns.push_back(std::move(c));
    }
    // `PARTITION OF p` has no column list of its own (the parenthesis found
    // above, if any, is the FOR VALUES bound): the columns are the parent's.
    bool partition = false;
    for (size_t k = 0; k + 1 < tokens.size(); ++k)
      partition = partition || (lower(tokens[k]) == "partition" && lower(tokens[k + 1]) == "of");
    // `INHERITS (p)`: the parents' columns come first, then the table's own.
    if (!partition && !table.parents.empty()) {
      std::vector<Column> inherited;
      for (const auto& [schema, name] : table.parents)
        if (const Table* parent = result.catalog.find(schema, name))
          for (const Column& c : parent->columns)
            if (std::none_of(inherited.begin(), inherited.end(), [&](const Column& x) { return x.name == c.name; }))
              inherited.push_back(c);
      for (Column& c : table.columns)
        if (std::none_of(inherited.begin(), inherited.end(), [&](const Column& x) { return x.name == c.name; }))
          inherited.push_back(std::move(c));
      table.columns = std::move(inherited);
    }
    if (partition && !table.parents.empty()) {
      if (const Table* parent = result.catalog.find(table.parents[0].first, table.parents[0].second))
        table.columns = parent->columns;
      else
        table.columns.clear();
    }
    result.catalog.add(std::move(table));
  }
  return result;
}

}  // namespace sqlwarden::catalog
