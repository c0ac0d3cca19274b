#pragma once
// Loading what the engine needs from files given on the command line: the
// policy set (files or directories of .rules files) and the catalog (a
// schema file of CREATE TABLE statements). Shared by `rewrite` and `test`.
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "policy/compile.hpp"

namespace sqlwarden::tools {

/// `paths` expanded: a directory stands for the files with `extension`
/// (".rules", ".test") under it, recursively and sorted. A path that does
/// not exist is reported to `err` (prefixed by `command`) and gives nullopt.
std::optional<std::vector<std::string>> expandPaths(const std::vector<std::string>& paths,
                                                    std::string_view extension, const std::string& command,
                                                    std::ostream& err);

/// Compiles the policy set; prints its errors to `err` and returns nullopt
/// when there are any (warnings are not printed: that is lint's job).
std::optional<policy::CompileResult> loadPolicySet(const std::vector<std::string>& paths,
                                                   const std::string& command, std::ostream& err);

/// Reads a schema file into a catalog; nullopt (errors printed) on failure.
std::optional<catalog::Catalog> loadSchemaFile(const std::string& path, const std::string& command,
                                               std::ostream& err);

}  // namespace sqlwarden::tools
