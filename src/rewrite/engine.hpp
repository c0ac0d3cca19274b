#pragma once
// The rewrite engine: one identity, a compiled policy, a catalog, and
// statements in; a Decision per statement out.
//
// How it keeps its promises (docs/rewrite.md has the whole story):
// - every occurrence of a table with masks or row filters, wherever the
//   statement reads it, is replaced by a subquery over that table that exposes
//   the same columns with masks applied and only the rows the filters let
//   through, under the name the statement used; so `*`, aliases, whole-row
//   references, functions and predicates all see masked values;
// - the subquery of a filtered table ends in OFFSET 0, which PostgreSQL
//   treats as an optimisation fence: outer predicates are not pushed below
//   the filter, so a failing cast cannot print another tenant's value. The
//   engine itself copies leak-proof equality predicates on plain columns
//   inside, so a primary-key lookup still uses its index;
// - anything it cannot resolve or prove safe is denied, with a reason.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "policy/policy.hpp"
#include "rewrite/decision.hpp"
#include "sql/ast.hpp"
#include "sql/parser.hpp"

namespace sqlwarden::rewrite {

/// What a session has done that later statements depend on.
struct SessionState {
  /// Schemas searched for unqualified table names, after pg_catalog.
  /// `SET search_path` is denied, so this stays as configured.
  std::vector<std::string> search_path{"public"};
  std::set<std::string> prepared;  ///< PREPAREd through the engine (bodies checked)
  std::set<std::string> cursors;   ///< DECLAREd through the engine (queries checked)
};

/// Decides statements for one identity. Not thread-safe: one per session (it
/// keeps a parser, the session state and a cache of table subqueries).
/// `policy` and `catalog` must outlive it.
class Engine {
 public:
  Engine(const policy::Policy& policy, const catalog::Catalog& catalog, policy::Identity identity);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Decides every statement of `sql` (split at top-level semicolons). An
  /// unparseable statement is a deny with the syntax error as reason. The
  /// caller refuses the whole message when any statement is not allowed.
  std::vector<Decision> decideScript(std::string_view sql);

  /// Decides one parsed statement; `text` is its source text (forwarded
  /// unchanged when the policy changes nothing, and edited in place when the
  /// changes allow it) and `base` the offset of `text` in what was parsed
  /// (the statement's spans count from there).
  Decision decide(sql::Statement statement, std::string_view text, uint32_t base = 0);

  SessionState& session() { return session_; }
  const policy::Identity& identity() const { return identity_; }
  /// The engine's parser (same thread rule as the engine).
  sql::Parser& parser();

 private:
  Decision decideWith(sql::Statement statement, std::string_view text, uint32_t base, uint64_t fingerprint);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  const policy::Policy& policy_;
  const catalog::Catalog& catalog_;
  policy::Identity identity_;
  SessionState session_;
};

/// Denies every statement of `decisions` when any one is not allowed (the
/// rule for a multi-statement message: nothing of it runs). The statements
/// that were fine get the reason "another statement of the message was
/// denied".
void denyAllIfAnyDenied(std::vector<Decision>& decisions);

}  // namespace sqlwarden::rewrite
