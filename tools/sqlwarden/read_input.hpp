#pragma once
#include <optional>
#include <string>

namespace sqlwarden::tools {

/// Reads all of `path` ("-" is standard input). On failure returns nullopt
/// and sets `error` to the system's reason (EISDIR for a directory).
std::optional<std::string> readInput(const std::string& path, std::string& error);

}  // namespace sqlwarden::tools
