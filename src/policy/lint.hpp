#pragma once
// The lint checks of the `.rules` language: warnings (W0xx, documented in
// docs/rules.md) about rules that are legal but probably not what the author
// meant. Run by compilePolicies after a successful parse; not a stage of its
// own, so nothing outside src/policy needs this header.
#include <string>
#include <vector>

#include "policy/compile.hpp"

namespace sqlwarden::policy {

/// A use of `claim("name")` inside a filter, at its place in the file.
struct ClaimUse {
  std::string name;
  Span span;  ///< file offsets of the call
};

/// The `claim("...")` calls of `fragment`. Calls of the identity functions
/// with the wrong arguments (`claim(x)`, `user(1)`) are reported to `errors`
/// as E008 with file spans.
std::vector<ClaimUse> claimUses(const ast::SqlFragment& fragment, std::vector<Diagnostic>* errors);

/// Appends the lint warnings of a compiled policy set to `out`.
void lintPolicies(const Policy& policy, std::vector<PolicyDiagnostic>& out);

}  // namespace sqlwarden::policy
