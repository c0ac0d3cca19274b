#pragma once
// The audit store's error values: every fallible call returns a Result, and
// calls with nothing to return give back `Status` (Result<Done>).
#include <string>

#include "common/result.hpp"

namespace sqlwarden::audit {

/// The value of a call that succeeded with nothing to return.
struct Done {};
using Status = Result<Done>;

/// A Diagnostic for the audit store. Codes start with "audit-" and are listed
/// in docs/audit.md; there is no source span, the file is the subject.
inline Diagnostic auditError(std::string code, std::string message) {
  return Diagnostic::error(std::move(code), std::move(message), Span{});
}

}  // namespace sqlwarden::audit
