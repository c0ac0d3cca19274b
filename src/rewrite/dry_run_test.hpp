#pragma once
// Golden dry-run tests of a policy (`sqlwarden test`, format in
// docs/testing.md): each record gives an identity, one statement and the
// expected decision, optionally with the SQL the gateway would forward (or,
// for a denial, the message the client would see).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "common/diagnostic.hpp"
#include "policy/policy.hpp"
#include "rewrite/decision.hpp"

namespace sqlwarden::rewrite {

struct DryRunCase {
  std::string name;
  uint32_t line = 0;  ///< 1-based line of its `test` line
  policy::Identity identity;
  std::string sql;
  std::string expected_decision;             ///< allow / deny / approval
  std::optional<std::string> expected_text;  ///< forwarded SQL, or the denial message
  /// Byte range of the expectation (the lines after `----`) in the file,
  /// which --update replaces.
  size_t expect_begin = 0;
  size_t expect_end = 0;
};

struct DryRunFile {
  std::vector<std::string> rules;  ///< as written after `rules`, relative to the file
  std::string schema;              ///< as written after `schema`; may be empty
  std::vector<DryRunCase> cases;
  std::vector<Diagnostic> errors;  ///< format errors, with spans into the file
};

/// Reads a test file. Never throws; format errors are collected.
DryRunFile parseDryRunFile(std::string_view text);

/// The decision word and the text a case compares: the forwarded SQL for
/// allow and approval, the client message for deny.
struct DryRunOutcome {
  std::string decision;
  std::string text;
};

/// Runs one case with a fresh engine (cases are independent).
DryRunOutcome runDryRunCase(const DryRunCase& c, const policy::Policy& policy, const catalog::Catalog& catalog);

/// Whether `outcome` meets the case's expectation; when not, `diff` gets a
/// unified-style listing of expected (-) and actual (+) lines.
bool compareDryRun(const DryRunCase& c, const DryRunOutcome& outcome, std::string& diff);

/// `text` with every case's expectation replaced by its outcome (parallel
/// to file.cases), for `sqlwarden test --update`.
std::string updateDryRunFile(std::string_view text, const DryRunFile& file,
                             const std::vector<DryRunOutcome>& outcomes);

}  // namespace sqlwarden::rewrite
