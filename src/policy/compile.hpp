#pragma once
// The checker/compiler of the `.rules` language: parsed files in, a checked
// and indexed Policy (policy.hpp) plus every error and lint warning out.
//
// Steps: read and parse each file and, recursively, the files it includes;
// stop there if any file has a syntax error. Otherwise resolve mask names,
// check counts and duplicate names, build the rules and their indexes, check
// that no two masks can apply to one column, and run the lint checks
// (lint.hpp). Error codes E0xx and warning codes W0xx are documented in
// docs/rules.md.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostic.hpp"
#include "policy/policy.hpp"

namespace sqlwarden::policy {

/// A diagnostic and the file it is about (index into Policy::sources()).
struct PolicyDiagnostic {
  Diagnostic diagnostic;
  uint32_t source = 0;
};

/// A file to compile: its name (used in messages, and to resolve the paths
/// of its `include` statements) and its text.
struct SourceInput {
  std::string name;
  std::string text;
};

/// Reads the file an `include` names. Returns nullopt and sets `error` (a
/// short reason such as "No such file or directory") when it cannot.
using FileLoader =
    std::function<std::optional<std::string>(const std::string& path, std::string& error)>;

/// Reads a file from disk (the default FileLoader).
std::optional<std::string> readPolicyFile(const std::string& path, std::string& error);

struct CompileResult {
  /// The compiled policies. Complete only when ok(); after a syntax error
  /// it holds the sources but no rules.
  Policy policy;
  /// Errors and warnings, by file (in the order files were read) and position.
  std::vector<PolicyDiagnostic> diagnostics;

  bool ok() const;  ///< no diagnostic of severity Error
  size_t errorCount() const;
  size_t warningCount() const;
  /// formatDiagnostic() of `d` with its file's name and text.
  std::string format(const PolicyDiagnostic& d) const;
};

/// Compiles `files` and everything they include into one Policy. An include
/// path is relative to the directory of the including file; a file reached
/// twice (by two includes, or as a root and an include) is read once.
/// Never throws on bad input (but for std::bad_alloc).
CompileResult compilePolicies(std::vector<SourceInput> files, const FileLoader& loader = {});

}  // namespace sqlwarden::policy
