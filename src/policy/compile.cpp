#include "policy/compile.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "policy/error_handler.hpp"
#include "policy/lint.hpp"

namespace sqlwarden::policy {

namespace fs = std::filesystem;

namespace {

/// keep_first(n) / keep_last(n): n in [1, kMaxKeep].
constexpr uint32_t kMaxKeep = 100;
/// How deep includes may nest (a guard against runaway include chains).
constexpr size_t kMaxIncludeDepth = 64;

std::string lineOf(const SourceFile& file, Span span) {
  return std::to_string(lineColAt(file.text, span.begin).line);
}

/// `line 12`, or `other.rules:12` when the place is in another file.
std::string placeName(const Policy& policy, uint32_t here, const RuleOrigin& there) {
  const SourceFile& file = *policy.sources()[there.source];
  if (there.source == here) return "line " + lineOf(file, there.span);
  return file.name + ":" + lineOf(file, there.span);
}

bool sameMask(const MaskRule& a, const MaskRule& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == ast::MaskSpec::Kind::KeepFirst || a.kind == ast::MaskSpec::Kind::KeepLast)
    return a.count == b.count;
  if (a.kind == ast::MaskSpec::Kind::Function) return a.function == b.function;
  return true;
}

std::string columnPatternName(const MaskRule& m) {
  std::string out;
  if (m.table.schema.kind != NamePart::Kind::Any) out += m.table.schema.str() + ".";
  out += m.table.table.str() + "." + m.column.str();
  return out;
}

}  // namespace

std::optional<std::string> readPolicyFile(const std::string& path, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "Is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fs::exists(path, ec) ? "Permission denied" : "No such file or directory";
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "read error";
    return std::nullopt;
  }
  return text;
}

bool CompileResult::ok() const { return errorCount() == 0; }

size_t CompileResult::errorCount() const {
  return static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const auto& d) {
    return d.diagnostic.severity == Severity::Error;
  }));
}

size_t CompileResult::warningCount() const {
  return static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const auto& d) {
    return d.diagnostic.severity == Severity::Warning;
  }));
}

std::string CompileResult::format(const PolicyDiagnostic& d) const {
  if (d.source < policy.sources().size()) {
    const SourceFile& file = *policy.sources()[d.source];
    return formatDiagnostic(d.diagnostic, file.name, file.text);
  }
  return formatDiagnostic(d.diagnostic, "<unknown>", "");
}

/// Builds a Policy from sources: the compiler proper. A friend of Policy.
class PolicyBuilder {
 public:
  PolicyBuilder(Policy& policy, std::vector<PolicyDiagnostic>& diagnostics, const FileLoader& loader)
      : policy_(policy), diagnostics_(diagnostics), loader_(loader) {}

  void load(SourceInput input);
  void compile();

 private:
  void error(uint32_t source, std::string code, std::string message, Span span,
             std::vector<std::string> notes = {}) {
    Diagnostic d = Diagnostic::error(std::move(code), std::move(message), span);
    d.notes = std::move(notes);
    diagnostics_.push_back({std::move(d), source});
  }
  void loadFile(std::string name, std::string text, std::string key);
  static std::string canonicalKey(const std::string& path);

  void compileMaskFunctions();
  void compilePolicy(uint32_t source, const ast::Policy& node);
  void compileMask(uint32_t source, uint32_t policy, const ast::Mask& node);
  void checkMaskConflicts();

  Policy& policy_;
  std::vector<PolicyDiagnostic>& diagnostics_;
  const FileLoader& loader_;
  std::unordered_set<std::string> loaded_;  ///< canonical keys of every file read
  std::vector<std::string> stack_;           ///< canonical keys of the files being read
  std::vector<std::string> stack_names_;     ///< their names, for the cycle message
  std::unordered_map<std::string, uint32_t> policy_names_;
};

std::string PolicyBuilder::canonicalKey(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  if (ec) p = fs::absolute(fs::path(path), ec).lexically_normal();
  return p.string();
}

void PolicyBuilder::load(SourceInput input) {
  std::string key = canonicalKey(input.name);
  if (loaded_.count(key)) return;  // already read through an include
  loadFile(std::move(input.name), std::move(input.text), std::move(key));
}

void PolicyBuilder::loadFile(std::string name, std::string text, std::string key) {
  loaded_.insert(key);
  auto source = std::make_unique<SourceFile>();
  source->name = std::move(name);
  source->text = std::move(text);
  PolicyParseResult parsed = parsePolicyFile(source->text, source->name);
  source->ast = std::move(parsed.file);
  const auto index = static_cast<uint32_t>(policy_.sources_.size());
  for (auto& d : parsed.diagnostics) diagnostics_.push_back({std::move(d), index});
  const SourceFile& file = *source;
  policy_.sources_.push_back(std::move(source));

  stack_.push_back(key);
  stack_names_.push_back(file.name);
  for (const ast::Include& inc : file.ast.includes) {
    if (inc.path.value.empty()) continue;  // reported by the parser
    const fs::path resolved =
        (fs::path(file.name).parent_path() / fs::path(inc.path.value)).lexically_normal();
    const std::string included_name = resolved.string();
    const std::string included_key = canonicalKey(included_name);
    if (auto it = std::find(stack_.begin(), stack_.end(), included_key); it != stack_.end()) {
      std::string chain;
      for (auto n = stack_names_.begin() + (it - stack_.begin()); n != stack_names_.end(); ++n)
        chain += *n + " includes ";
      chain += included_name;
      error(index, "E006", "include cycle: " + chain, inc.path.span,
            {"a file may not include itself, directly or through other files"});
      continue;
    }
    if (loaded_.count(included_key)) continue;
    if (stack_.size() >= kMaxIncludeDepth) {
      error(index, "E007", "includes nest more than " + std::to_string(kMaxIncludeDepth) + " deep",
            inc.path.span);
      continue;
    }
    std::string reason;
    std::optional<std::string> text =
        loader_ ? loader_(included_name, reason) : readPolicyFile(included_name, reason);
    if (!text) {
      error(index, "E007", "cannot read included file \"" + included_name + "\": " + reason,
            inc.path.span,
            {"an include path is relative to the directory of the file that includes it"});
      continue;
    }
    loadFile(included_name, std::move(*text), included_key);
  }
  stack_.pop_back();
  stack_names_.pop_back();
}

void PolicyBuilder::compile() {
  const bool syntax_ok = std::none_of(diagnostics_.begin(), diagnostics_.end(), [](const auto& d) {
    return d.diagnostic.severity == Severity::Error;
  });
  if (syntax_ok) {
    compileMaskFunctions();
    for (uint32_t s = 0; s < policy_.sources_.size(); ++s)
      for (const ast::Policy& p : policy_.sources_[s]->ast.policies) compilePolicy(s, p);
    checkMaskConflicts();
    policy_.buildIndexes();
    lintPolicies(policy_, diagnostics_);
  }
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const PolicyDiagnostic& a, const PolicyDiagnostic& b) {
                     if (a.source != b.source) return a.source < b.source;
                     return a.diagnostic.span.begin < b.diagnostic.span.begin;
                   });
}

void PolicyBuilder::compileMaskFunctions() {
  for (uint32_t s = 0; s < policy_.sources_.size(); ++s) {
    for (const ast::MaskFunction& mf : policy_.sources_[s]->ast.mask_functions) {
      if (const MaskFunctionDef* earlier = policy_.maskFunction(mf.name.text)) {
        error(s, "E003", "duplicate mask_function \"" + mf.name.text + "\"", mf.name.span,
              {"it is first defined at " + placeName(policy_, s, earlier->origin)});
        continue;
      }
      auto def = std::make_unique<MaskFunctionDef>();
      def->name = mf.name.text;
      def->sql = &mf.sql;
      def->origin = RuleOrigin{s, mf.span, 0};
      policy_.mask_function_by_name_.emplace(def->name, def.get());
      policy_.mask_functions_.push_back(std::move(def));
    }
  }
}

void PolicyBuilder::compilePolicy(uint32_t source, const ast::Policy& node) {
  const auto index = static_cast<uint32_t>(policy_.policies_.size());
  CompiledPolicy compiled;
  compiled.name = node.name.text;
  compiled.origin = RuleOrigin{source, node.span, index};
  if (auto [it, inserted] = policy_names_.emplace(node.name.text, index); !inserted) {
    error(source, "E004", "duplicate policy name \"" + node.name.text + "\"", node.name.span,
          {"a policy of that name is defined at " +
           placeName(policy_, source, policy_.policies_[it->second].origin)});
  }
  policy_.policies_.push_back(std::move(compiled));

  auto origin = [&](Span span) { return RuleOrigin{source, span, index}; };
  auto tables = [](const std::vector<ast::Pattern>& patterns) {
    std::vector<std::pair<TablePattern, Span>> out;
    for (const auto& p : patterns) out.emplace_back(TablePattern::fromPattern(p), p.span);
    if (out.empty()) out.emplace_back(TablePattern::any(), Span{});
    return out;
  };

  for (const ast::PolicyStmt& statement : node.statements) {
    const auto& v = statement.get();
    if (const auto* s = boost::get<ast::AppliesTo>(&v)) {
      auto& matchers = policy_.policies_[index].matchers;
      matchers.insert(matchers.end(), s->matchers.begin(), s->matchers.end());
    } else if (const auto* s = boost::get<ast::Allow>(&v)) {
      for (const auto& [pattern, span] : tables(s->tables))
        policy_.allows_.push_back({origin(span.valid() ? span : s->span), classMask(s->classes), pattern});
    } else if (const auto* s = boost::get<ast::DenyStatement>(&v)) {
      std::optional<std::string> message;
      if (s->message) message = s->message->value;
      policy_.statement_denies_.push_back({origin(s->span), classMask(s->classes), message});
    } else if (const auto* s = boost::get<ast::DenyFunction>(&v)) {
      for (const auto& p : s->functions) {
        DenyFunctionRule rule;
        rule.origin = origin(p.span);
        if (p.parts.size() >= 2) {
          rule.schema = NamePart::fromPattern(p.parts[0]);
          rule.name = NamePart::fromPattern(p.parts[1]);
        } else if (!p.parts.empty()) {
          rule.name = NamePart::fromPattern(p.parts[0]);
        }
        if (s->message) rule.message = s->message->value;
        policy_.function_denies_.push_back(std::move(rule));
      }
    } else if (const auto* s = boost::get<ast::DenyTable>(&v)) {
      std::optional<std::string> message;
      if (s->message) message = s->message->value;
      for (const auto& p : s->tables)
        policy_.table_denies_.push_back({origin(p.span), TablePattern::fromPattern(p), message});
    } else if (const auto* s = boost::get<ast::Mask>(&v)) {
      compileMask(source, index, *s);
    } else if (const auto* s = boost::get<ast::Filter>(&v)) {
      std::vector<Diagnostic> errors;
      std::vector<std::string> claims;
      for (const ClaimUse& use : claimUses(s->condition, &errors))
        if (std::find(claims.begin(), claims.end(), use.name) == claims.end())
          claims.push_back(use.name);
      for (auto& d : errors) diagnostics_.push_back({std::move(d), source});
      for (const auto& [pattern, span] : tables(s->tables))
        policy_.filters_.push_back({origin(span), pattern, &s->condition, claims});
    } else if (const auto* s = boost::get<ast::RequireApproval>(&v)) {
      for (const auto& [pattern, span] : tables(s->tables))
        policy_.approvals_.push_back(
            {origin(span.valid() ? span : s->span), classMask(s->classes), pattern, s->without_where});
    } else if (const auto* s = boost::get<ast::LimitRows>(&v)) {
      auto& limit = policy_.policies_[index].row_limit;
      if (!limit || s->rows.value < *limit) limit = s->rows.value;
    }
  }
}

void PolicyBuilder::compileMask(uint32_t source, uint32_t policy, const ast::Mask& node) {
  MaskRule rule;
  rule.origin = RuleOrigin{source, node.span, policy};
  const auto& parts = node.column.parts;
  if (parts.size() == 3) {
    rule.table.schema = NamePart::fromPattern(parts[0]);
    rule.table.table = NamePart::fromPattern(parts[1]);
    rule.column = NamePart::fromPattern(parts[2]);
  } else if (parts.size() == 2) {
    rule.table.table = NamePart::fromPattern(parts[0]);
    rule.column = NamePart::fromPattern(parts[1]);
  }
  rule.kind = node.mask.kind;
  rule.count = node.mask.count;
  using Kind = ast::MaskSpec::Kind;
  if (rule.kind == Kind::KeepFirst || rule.kind == Kind::KeepLast) {
    if (rule.count < 1 || rule.count > kMaxKeep) {
      std::vector<std::string> notes;
      if (rule.count == 0) notes.push_back("to hide the whole value, use redact or null");
      error(source, "E002",
            std::string(ast::toString(rule.kind)) + "(" + std::to_string(rule.count) +
                ") is out of range: the count must be between 1 and " + std::to_string(kMaxKeep),
            node.mask.span, std::move(notes));
      return;
    }
  }
  if (rule.kind == Kind::Function) {
    rule.function = policy_.maskFunction(node.mask.function);
    if (!rule.function) {
      std::vector<std::string_view> candidates = parser::builtinMaskWords();
      for (const auto& mf : policy_.mask_functions_) candidates.push_back(mf->name);
      std::vector<std::string> notes;
      if (auto s = parser::closestWord(node.mask.function, candidates))
        notes.push_back(parser::didYouMean(*s));
      else
        notes.push_back(
            "masks are email, redact, hash, null, year, keep_first(n), keep_last(n) and the "
            "mask_functions defined in this file or a file it includes");
      error(source, "E001", "unknown mask \"" + node.mask.function + "\"", node.mask.span,
            std::move(notes));
      return;
    }
  }
  policy_.masks_.push_back(std::move(rule));
}

// Two masks that can apply to one column must be the same mask: every
// applicable mask applies, and a column cannot be masked two ways. Checked
// across all policies (whether two policies can apply to one identity is not
// knowable at compile time: groups and claims come from the token).
void PolicyBuilder::checkMaskConflicts() {
  const auto& masks = policy_.masks_;
  // Masks with an exact column name can only meet masks of the same name or
  // masks whose column part has a '*'.
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_column;
  std::vector<uint32_t> wildcard;
  for (uint32_t i = 0; i < masks.size(); ++i) {
    if (masks[i].column.kind == NamePart::Kind::Exact) by_column[masks[i].column.text].push_back(i);
    else wildcard.push_back(i);
  }
  auto conflict = [&](uint32_t earlier, uint32_t later) {
    const MaskRule& a = masks[earlier];
    const MaskRule& b = masks[later];
    if (sameMask(a, b)) return false;
    if (!(a.column.overlaps(b.column) && a.table.overlaps(b.table))) return false;
    const std::string here = columnPatternName(b);
    const std::string there = columnPatternName(a);
    std::string message = "mask " + b.maskName() + " on \"" + here + "\" conflicts with mask " +
                          a.maskName() + " on \"" + there + "\" (" +
                          placeName(policy_, b.origin.source, a.origin) + ")";
    std::vector<std::string> notes;
    if (here != there) notes.push_back("both patterns can match the same column");
    notes.push_back(
        "every mask that applies to a column is applied, so a column can have only one; use "
        "the same mask in both places");
    error(b.origin.source, "E005", std::move(message), b.origin.span, std::move(notes));
    return true;
  };
  auto check = [&](uint32_t later, const std::vector<uint32_t>& candidates) {
    for (uint32_t earlier : candidates) {
      if (earlier >= later) break;
      if (conflict(earlier, later)) return true;
    }
    return false;
  };
  for (uint32_t i = 0; i < masks.size(); ++i) {
    if (masks[i].column.kind == NamePart::Kind::Exact) {
      if (check(i, by_column[masks[i].column.text])) continue;
      check(i, wildcard);
    } else {
      // A wildcard column can meet any earlier mask.
      for (uint32_t earlier = 0; earlier < i; ++earlier)
        if (conflict(earlier, i)) break;
    }
  }
}

CompileResult compilePolicies(std::vector<SourceInput> files, const FileLoader& loader) {
  CompileResult result;
  PolicyBuilder builder(result.policy, result.diagnostics, loader);
  try {
    for (auto& f : files) builder.load(std::move(f));
    builder.compile();
  } catch (const std::exception& e) {
    result.diagnostics.push_back(
        {Diagnostic::error("rules-internal", std::string("internal error: ") + e.what(), Span{}), 0});
  }
  return result;
}

}  // namespace sqlwarden::policy
