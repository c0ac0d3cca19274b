#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/span.hpp"

namespace sqlwarden {

enum class Severity { Error, Warning, Note };

/// The one error type of every stage: a code, a message, where it happened.
struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;     ///< stable, documented identifier, e.g. "sql-syntax"
  std::string message;  ///< one line, no trailing period, like PostgreSQL's
  Span span;            ///< byte range in the source the diagnostic is about
  std::vector<std::string> notes;

  static Diagnostic error(std::string code, std::string message, Span span) {
    return Diagnostic{Severity::Error, std::move(code), std::move(message), span, {}};
  }
};

/// Renders `diag` as a compiler would:
///
///     file:line:col: error: message
///       source line
///              ^
///
/// `source` must be the text the span refers to; `file` is printed as given.
std::string formatDiagnostic(const Diagnostic& diag, std::string_view file,
                             std::string_view source);

}  // namespace sqlwarden
