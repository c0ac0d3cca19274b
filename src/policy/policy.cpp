#include "policy/policy.hpp"

#include <algorithm>

namespace sqlwarden::policy {

namespace {

constexpr ClassMask bit(ast::StatementClass c) { return ClassMask{1} << static_cast<unsigned>(c); }

constexpr ClassMask kDdlClasses =
    bit(ast::StatementClass::Create) | bit(ast::StatementClass::Alter) |
    bit(ast::StatementClass::Drop) | bit(ast::StatementClass::Truncate) |
    bit(ast::StatementClass::Grant) | bit(ast::StatementClass::Revoke) |
    bit(ast::StatementClass::Comment);

constexpr ClassMask kAllClasses =
    kDdlClasses | bit(ast::StatementClass::Select) | bit(ast::StatementClass::Insert) |
    bit(ast::StatementClass::Update) | bit(ast::StatementClass::Delete) |
    bit(ast::StatementClass::Merge) | bit(ast::StatementClass::Copy) |
    bit(ast::StatementClass::Call);

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

ClassMask classMask(ast::StatementClass c) {
  switch (c) {
    case ast::StatementClass::Ddl: return kDdlClasses;
    case ast::StatementClass::All: return kAllClasses;
    default: return bit(c);
  }
}

ClassMask classMask(const std::vector<ast::ClassRef>& classes) {
  ClassMask mask = 0;
  for (const auto& c : classes) mask |= classMask(c.value);
  return mask;
}

// --- Patterns ---------------------------------------------------------------------

NamePart NamePart::fromPattern(std::string_view part) {
  if (part == "*") return NamePart{Kind::Any, {}};
  if (!part.empty() && part.back() == '*')
    return NamePart{Kind::Prefix, std::string(part.substr(0, part.size() - 1))};
  return NamePart{Kind::Exact, std::string(part)};
}

bool NamePart::matches(std::string_view name) const {
  switch (kind) {
    case Kind::Any: return true;
    case Kind::Prefix: return startsWith(name, text);
    case Kind::Exact: return name == text;
  }
  return false;
}

bool NamePart::covers(const NamePart& narrower) const {
  switch (kind) {
    case Kind::Any: return true;
    case Kind::Prefix: return narrower.kind != Kind::Any && startsWith(narrower.text, text);
    case Kind::Exact: return narrower.kind == Kind::Exact && narrower.text == text;
  }
  return false;
}

bool NamePart::overlaps(const NamePart& other) const {
  if (kind == Kind::Any || other.kind == Kind::Any) return true;
  if (kind == Kind::Exact && other.kind == Kind::Exact) return text == other.text;
  if (kind == Kind::Prefix && other.kind == Kind::Prefix)
    return startsWith(text, other.text) || startsWith(other.text, text);
  const NamePart& prefix = kind == Kind::Prefix ? *this : other;
  const NamePart& exact = kind == Kind::Prefix ? other : *this;
  return startsWith(exact.text, prefix.text);
}

std::string NamePart::str() const {
  switch (kind) {
    case Kind::Any: return "*";
    case Kind::Prefix: return text + "*";
    case Kind::Exact: return text;
  }
  return text;
}

TablePattern TablePattern::fromPattern(const ast::Pattern& pattern) {
  TablePattern p;
  if (pattern.parts.size() == 1) {
    p.table = NamePart::fromPattern(pattern.parts[0]);
  } else if (pattern.parts.size() >= 2) {
    p.schema = NamePart::fromPattern(pattern.parts[0]);
    p.table = NamePart::fromPattern(pattern.parts[1]);
  }
  return p;
}

std::string MaskRule::maskName() const {
  switch (kind) {
    case ast::MaskSpec::Kind::KeepFirst: return "keep_first(" + std::to_string(count) + ")";
    case ast::MaskSpec::Kind::KeepLast: return "keep_last(" + std::to_string(count) + ")";
    case ast::MaskSpec::Kind::Function: return function ? function->name : "?";
    default: return ast::toString(kind);
  }
}

// --- TableRules -------------------------------------------------------------------

void TableRules::clear() {
  allows.clear();
  denies.clear();
  masks.clear();
  filters.clear();
  approvals.clear();
}

std::vector<const MaskRule*> TableRules::masksFor(std::string_view column) const {
  std::vector<const MaskRule*> out;
  for (const MaskRule* m : masks)
    if (m->column.matches(column)) out.push_back(m);
  return out;
}

bool TableRules::allowsClass(ast::StatementClass c) const {
  const ClassMask wanted = classMask(c);
  return std::any_of(allows.begin(), allows.end(), [&](const AllowRule* a) {
    return (a->classes & wanted) == wanted;
  });
}

// --- Policy: indexes ----------------------------------------------------------------

void Policy::TableIndex::add(const TablePattern& pattern, TableRuleRef ref) {
  if (pattern.table.kind == NamePart::Kind::Exact) {
    if (pattern.schema.kind == NamePart::Kind::Exact) {
      exact[pattern.schema.text][pattern.table.text].push_back(ref);
      return;
    }
    if (pattern.schema.kind == NamePart::Kind::Any) {
      any_schema[pattern.table.text].push_back(ref);
      return;
    }
  }
  if (pattern.schema.kind == NamePart::Kind::Exact) {
    by_schema[pattern.schema.text].emplace_back(pattern, ref);
    return;
  }
  if (wildcard_by_policy.size() <= ref.policy) wildcard_by_policy.resize(ref.policy + 1);
  wildcard_by_policy[ref.policy].emplace_back(pattern, ref);
}

void Policy::buildIndexes() {
  for (uint32_t i = 0; i < policies_.size(); ++i) {
    for (const auto& m : policies_[i].matchers) {
      std::vector<uint32_t>* list = nullptr;
      switch (m.kind) {
        case ast::Matcher::Kind::User: list = &by_user_[m.value.value]; break;
        case ast::Matcher::Kind::Group: list = &by_group_[m.value.value]; break;
        case ast::Matcher::Kind::Claim:
          // A claim matcher with an empty value matches nobody (lint W002).
          if (m.claim_value.value.empty()) continue;
          list = &by_claim_[m.value.value][m.claim_value.value];
          break;
      }
      if (list->empty() || list->back() != i) list->push_back(i);
    }
  }
  using Kind = TableRuleRef::Kind;
  for (uint32_t i = 0; i < allows_.size(); ++i)
    tables_.add(allows_[i].table, {Kind::Allow, i, allows_[i].origin.policy});
  for (uint32_t i = 0; i < table_denies_.size(); ++i)
    tables_.add(table_denies_[i].table, {Kind::Deny, i, table_denies_[i].origin.policy});
  for (uint32_t i = 0; i < masks_.size(); ++i)
    tables_.add(masks_[i].table, {Kind::Mask, i, masks_[i].origin.policy});
  for (uint32_t i = 0; i < filters_.size(); ++i)
    tables_.add(filters_[i].table, {Kind::Filter, i, filters_[i].origin.policy});
  for (uint32_t i = 0; i < approvals_.size(); ++i)
    tables_.add(approvals_[i].table, {Kind::Approval, i, approvals_[i].origin.policy});

  for (uint32_t i = 0; i < function_denies_.size(); ++i) {
    if (function_denies_[i].name.kind == NamePart::Kind::Exact)
      functions_by_name_[function_denies_[i].name.text].push_back(i);
    else
      functions_wildcard_.push_back(i);
  }
  for (const auto& mf : mask_functions_) mask_function_by_name_.emplace(mf->name, mf.get());
  for (uint32_t i = 0; i < statement_denies_.size(); ++i) {
    CompiledPolicy& p = policies_[statement_denies_[i].origin.policy];
    p.denied_classes |= statement_denies_[i].classes;
    p.statement_denies.push_back(i);
  }
}

// --- Policy: queries ----------------------------------------------------------------

PolicySet Policy::policiesFor(const Identity& identity) const {
  PolicySet set;
  set.bits_.assign((policies_.size() + 63) / 64, 0);
  auto add = [&](const std::vector<uint32_t>& list) {
    for (uint32_t p : list) set.bits_[p / 64] |= uint64_t{1} << (p % 64);
  };
  if (auto it = by_user_.find(std::string_view(identity.user)); it != by_user_.end())
    add(it->second);
  for (const auto& group : identity.groups)
    if (auto it = by_group_.find(std::string_view(group)); it != by_group_.end()) add(it->second);
  for (const auto& [name, value] : identity.claims) {
    auto it = by_claim_.find(std::string_view(name));
    if (it == by_claim_.end()) continue;
    if (auto v = it->second.find(std::string_view(value)); v != it->second.end()) add(v->second);
  }
  for (uint32_t w = 0; w < set.bits_.size(); ++w) {
    for (uint64_t bits = set.bits_[w]; bits != 0; bits &= bits - 1)
      set.list_.push_back(w * 64 + static_cast<uint32_t>(__builtin_ctzll(bits)));
  }
  return set;
}

void Policy::addRef(const TableRuleRef& ref, TableRules& out) const {
  switch (ref.kind) {
    case TableRuleRef::Kind::Allow: out.allows.push_back(&allows_[ref.index]); break;
    case TableRuleRef::Kind::Deny: out.denies.push_back(&table_denies_[ref.index]); break;
    case TableRuleRef::Kind::Mask: out.masks.push_back(&masks_[ref.index]); break;
    case TableRuleRef::Kind::Filter: out.filters.push_back(&filters_[ref.index]); break;
    case TableRuleRef::Kind::Approval: out.approvals.push_back(&approvals_[ref.index]); break;
  }
}

void Policy::rulesFor(const PolicySet& set, std::string_view schema, std::string_view table,
                      TableRules& out) const {
  out.clear();
  if (set.empty()) return;
  auto take = [&](const std::vector<TableRuleRef>& refs) {
    for (const auto& ref : refs)
      if (set.contains(ref.policy)) addRef(ref, out);
  };
  if (auto s = tables_.exact.find(schema); s != tables_.exact.end())
    if (auto t = s->second.find(table); t != s->second.end()) take(t->second);
  if (auto t = tables_.any_schema.find(table); t != tables_.any_schema.end()) take(t->second);
  if (auto s = tables_.by_schema.find(schema); s != tables_.by_schema.end())
    for (const auto& [pattern, ref] : s->second)
      if (set.contains(ref.policy) && pattern.table.matches(table)) addRef(ref, out);
  for (uint32_t p : set.list()) {
    if (p >= tables_.wildcard_by_policy.size()) break;
    for (const auto& [pattern, ref] : tables_.wildcard_by_policy[p])
      if (pattern.matches(schema, table)) addRef(ref, out);
  }
}

TableRules Policy::rulesFor(const PolicySet& set, std::string_view schema,
                            std::string_view table) const {
  TableRules out;
  rulesFor(set, schema, table, out);
  return out;
}

std::vector<const DenyFunctionRule*> Policy::functionDenies(const PolicySet& set,
                                                            std::string_view schema,
                                                            std::string_view name) const {
  std::vector<const DenyFunctionRule*> out;
  auto consider = [&](uint32_t i) {
    const DenyFunctionRule& rule = function_denies_[i];
    if (set.contains(rule.origin.policy) && rule.schema.matches(schema) && rule.name.matches(name))
      out.push_back(&rule);
  };
  if (auto it = functions_by_name_.find(name); it != functions_by_name_.end())
    for (uint32_t i : it->second) consider(i);
  for (uint32_t i : functions_wildcard_) consider(i);
  return out;
}

const DenyStatementRule* Policy::statementDeny(const PolicySet& set, ast::StatementClass c) const {
  const ClassMask wanted = classMask(c);
  for (uint32_t p : set.list()) {
    if ((policies_[p].denied_classes & wanted) == 0) continue;
    for (uint32_t i : policies_[p].statement_denies)
      if ((statement_denies_[i].classes & wanted) != 0) return &statement_denies_[i];
  }
  return nullptr;
}

std::optional<uint32_t> Policy::rowLimit(const PolicySet& set) const {
  std::optional<uint32_t> limit;
  for (uint32_t p : set.list()) {
    const auto& l = policies_[p].row_limit;
    if (l && (!limit || *l < *limit)) limit = *l;
  }
  return limit;
}

const MaskFunctionDef* Policy::maskFunction(std::string_view name) const {
  auto it = mask_function_by_name_.find(name);
  return it == mask_function_by_name_.end() ? nullptr : it->second;
}

}  // namespace sqlwarden::policy
