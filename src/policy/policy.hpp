#pragma once
// The compiled policy: every rule of a set of `.rules` files, checked and
// indexed so that later stages (src/rewrite) ask "what applies to this
// identity and this table" without scanning the rules. Built by
// compilePolicies (compile.hpp); read-only afterwards, so one Policy can be
// shared by every session.
//
// How rules combine is documented in docs/rules.md ("How policies combine").
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "policy/ast.hpp"
#include "policy/parse.hpp"

namespace sqlwarden::policy {

/// The verified identity of a session: who is asking.
struct Identity {
  std::string user;
  std::vector<std::string> groups;
  std::map<std::string, std::string, std::less<>> claims;  ///< token claims, name -> value
};

// --- Statement classes ----------------------------------------------------------

/// A set of statement classes, one bit per concrete class. `ddl` and `all`
/// are not bits of their own: they expand to the classes they stand for.
using ClassMask = uint32_t;

/// The classes `c` stands for: one bit, or several for `ddl` and `all`.
ClassMask classMask(ast::StatementClass c);
ClassMask classMask(const std::vector<ast::ClassRef>& classes);

// --- Patterns -------------------------------------------------------------------

/// One part of a dotted pattern: an exact name, a prefix (`pg_*`) or `*`.
struct NamePart {
  enum class Kind { Exact, Prefix, Any };
  Kind kind = Kind::Any;
  std::string text;  ///< the name, or the prefix without its '*'; empty for Any

  static NamePart fromPattern(std::string_view part);
  bool matches(std::string_view name) const;
  /// True when this part matches every name `narrower` matches.
  bool covers(const NamePart& narrower) const;
  /// Some name is matched by both.
  bool overlaps(const NamePart& other) const;
  std::string str() const;
};

/// A table pattern: `schema.table`, `schema.*`, `*.table`, or `table` (any
/// schema). A rule without `on` has the pattern `*.*`.
struct TablePattern {
  NamePart schema;
  NamePart table;

  static TablePattern fromPattern(const ast::Pattern& pattern);  ///< 1 or 2 parts
  static TablePattern any() { return {}; }
  bool matches(std::string_view schema_name, std::string_view table_name) const {
    return schema.matches(schema_name) && table.matches(table_name);
  }
  bool covers(const TablePattern& narrower) const {
    return schema.covers(narrower.schema) && table.covers(narrower.table);
  }
  bool overlaps(const TablePattern& other) const {
    return schema.overlaps(other.schema) && table.overlaps(other.table);
  }
};

// --- Rules ----------------------------------------------------------------------

/// Where a rule was written: which source file (index into Policy::sources()),
/// its span there, and the policy it belongs to (index into Policy::policies()).
struct RuleOrigin {
  uint32_t source = 0;
  Span span;
  uint32_t policy = 0;
};

/// `allow CLASSES on PATTERN` — one rule per table pattern of the statement.
struct AllowRule {
  RuleOrigin origin;
  ClassMask classes = 0;
  TablePattern table;  ///< `*.*` when the statement has no `on`
};

/// `deny statement CLASSES`.
struct DenyStatementRule {
  RuleOrigin origin;
  ClassMask classes = 0;
  std::optional<std::string> message;
};

/// `deny function PATTERN` — one rule per pattern. A one-part pattern has
/// schema `*`.
struct DenyFunctionRule {
  RuleOrigin origin;
  NamePart schema;
  NamePart name;
  std::optional<std::string> message;
};

/// `deny table PATTERN` — one rule per pattern.
struct DenyTableRule {
  RuleOrigin origin;
  TablePattern table;
  std::optional<std::string> message;
};

/// A named mask of the policy set: `mask_function NAME = "SQL";`.
struct MaskFunctionDef {
  std::string name;
  const ast::SqlFragment* sql = nullptr;  ///< body, `{col}` in its text; owned by the Policy
  RuleOrigin origin;                      ///< origin.policy is meaningless here
};

/// `mask COLUMN with MASK`.
struct MaskRule {
  RuleOrigin origin;
  TablePattern table;  ///< `table.column` and `*.column` have schema `*`
  NamePart column;
  ast::MaskSpec::Kind kind = ast::MaskSpec::Kind::Redact;
  uint32_t count = 0;                         ///< keep_first / keep_last
  const MaskFunctionDef* function = nullptr;  ///< Kind::Function
  /// `email`, `keep_last(4)`, or the mask_function's name.
  std::string maskName() const;
};

/// `filter TABLES where SQL` — one rule per table pattern.
struct FilterRule {
  RuleOrigin origin;
  TablePattern table;
  const ast::SqlFragment* condition = nullptr;  ///< owned by the Policy
  std::vector<std::string> claims;              ///< claim("name") names it uses
};

/// `require approval for CLASSES [on TABLES] [without where]`.
struct ApprovalRule {
  RuleOrigin origin;
  ClassMask classes = 0;
  TablePattern table;
  bool without_where = false;
};

/// One `policy NAME { ... }` after checking.
struct CompiledPolicy {
  std::string name;
  RuleOrigin origin;  ///< span of the whole policy
  std::vector<ast::Matcher> matchers;  ///< all `applies to` alternatives
  std::optional<uint32_t> row_limit;   ///< the smallest `limit rows` of the policy
  ClassMask denied_classes = 0;        ///< union of its `deny statement` classes
  std::vector<uint32_t> statement_denies;  ///< its DenyStatementRules, in order
};

// --- Queries --------------------------------------------------------------------

/// The policies that apply to one identity: a bit set over Policy::policies().
class PolicySet {
 public:
  bool contains(uint32_t policy) const {
    return policy / 64 < bits_.size() && (bits_[policy / 64] >> (policy % 64)) & 1;
  }
  bool empty() const { return list_.empty(); }
  /// Policy indices in increasing order.
  const std::vector<uint32_t>& list() const { return list_; }

 private:
  friend class Policy;
  std::vector<uint64_t> bits_;
  std::vector<uint32_t> list_;
};

/// The rules of a PolicySet that apply to one table. Pointers into the Policy.
struct TableRules {
  std::vector<const AllowRule*> allows;
  std::vector<const DenyTableRule*> denies;
  std::vector<const MaskRule*> masks;
  std::vector<const FilterRule*> filters;
  std::vector<const ApprovalRule*> approvals;

  void clear();
  /// The masks whose column part matches `column`.
  std::vector<const MaskRule*> masksFor(std::string_view column) const;
  /// Whether an allow covers statement class `c` (a deny may still refuse it).
  bool allowsClass(ast::StatementClass c) const;
};

/// A source file of the policy set, as read and parsed.
struct SourceFile {
  std::string name;  ///< as given, or for an included file the resolved path
  std::string text;
  PolicyFile ast;
};

/// The compiled policy set. Use it only when its CompileResult is ok().
class Policy {
 public:
  Policy() = default;
  Policy(Policy&&) noexcept = default;
  Policy& operator=(Policy&&) noexcept = default;

  /// The policies that apply to `identity`: any `applies to` alternative
  /// matches. Hash lookups by user, group and claim; no scan of policies.
  PolicySet policiesFor(const Identity& identity) const;

  /// The allows, table denies, masks, filters and approvals of the policies
  /// in `set` that apply to `schema.table`. Exact patterns are found through
  /// hash maps; only patterns with a `*` are matched one by one.
  TableRules rulesFor(const PolicySet& set, std::string_view schema, std::string_view table) const;
  /// The same, into `out` (cleared first), reusing its storage.
  void rulesFor(const PolicySet& set, std::string_view schema, std::string_view table,
                TableRules& out) const;

  /// The function denies of `set` that match `schema.name` (schema may be
  /// empty for an unqualified call: then only patterns without a schema, or
  /// with `*`, match).
  std::vector<const DenyFunctionRule*> functionDenies(const PolicySet& set, std::string_view schema,
                                                      std::string_view name) const;

  /// The first `deny statement` of `set` that denies class `c`, or null.
  const DenyStatementRule* statementDeny(const PolicySet& set, ast::StatementClass c) const;

  /// The smallest `limit rows` of the policies in `set`.
  std::optional<uint32_t> rowLimit(const PolicySet& set) const;

  const MaskFunctionDef* maskFunction(std::string_view name) const;

  const std::vector<CompiledPolicy>& policies() const { return policies_; }
  const std::vector<std::unique_ptr<SourceFile>>& sources() const { return sources_; }
  const std::vector<AllowRule>& allowRules() const { return allows_; }
  const std::vector<DenyStatementRule>& statementDenyRules() const { return statement_denies_; }
  const std::vector<DenyFunctionRule>& functionDenyRules() const { return function_denies_; }
  const std::vector<DenyTableRule>& tableDenyRules() const { return table_denies_; }
  const std::vector<MaskRule>& maskRules() const { return masks_; }
  const std::vector<FilterRule>& filterRules() const { return filters_; }
  const std::vector<ApprovalRule>& approvalRules() const { return approvals_; }

 private:
  friend class PolicyBuilder;

  /// An entry of the table index: which rule, of which kind, of which policy.
  struct TableRuleRef {
    enum class Kind : uint8_t { Allow, Deny, Mask, Filter, Approval };
    Kind kind;
    uint32_t index;
    uint32_t policy;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  /// Rules by how their pattern names tables: both parts exact; schema `*`
  /// and table exact; schema exact and table a pattern (checked with
  /// matches()); everything else, per policy, so a lookup only looks at the
  /// wildcard rules of the policies that apply.
  struct TableIndex {
    StringMap<StringMap<std::vector<TableRuleRef>>> exact;
    StringMap<std::vector<TableRuleRef>> any_schema;
    StringMap<std::vector<std::pair<TablePattern, TableRuleRef>>> by_schema;
    std::vector<std::vector<std::pair<TablePattern, TableRuleRef>>> wildcard_by_policy;
    void add(const TablePattern& pattern, TableRuleRef ref);
  };

  void buildIndexes();
  void addRef(const TableRuleRef& ref, TableRules& out) const;

  std::vector<std::unique_ptr<SourceFile>> sources_;
  std::vector<CompiledPolicy> policies_;
  std::vector<std::unique_ptr<MaskFunctionDef>> mask_functions_;
  std::vector<AllowRule> allows_;
  std::vector<DenyStatementRule> statement_denies_;
  std::vector<DenyFunctionRule> function_denies_;
  std::vector<DenyTableRule> table_denies_;
  std::vector<MaskRule> masks_;
  std::vector<FilterRule> filters_;
  std::vector<ApprovalRule> approvals_;

  // Indexes, built once by buildIndexes().
  StringMap<std::vector<uint32_t>> by_user_;
  StringMap<std::vector<uint32_t>> by_group_;
  StringMap<StringMap<std::vector<uint32_t>>> by_claim_;  ///< claim name -> value -> policies
  TableIndex tables_;
  StringMap<std::vector<uint32_t>> functions_by_name_;  ///< exact function names
  std::vector<uint32_t> functions_wildcard_;
  StringMap<const MaskFunctionDef*> mask_function_by_name_;
};

}  // namespace sqlwarden::policy
