#pragma once
// PostgreSQL's regression statements as the corpus file holds them: one JSON
// object per line (file, index, kind, sql, line, optional psql_vars, multi,
// ended_by). Used by corpus_report and by the round-trip test.
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlwarden::bench {

struct CorpusStatement {
  std::string file;
  int64_t index = 0;
  std::string kind;
  std::string sql;
  int64_t line = 0;
  /// Uses psql variables: meaningless without psql's substitution, so left
  /// out of every measurement.
  bool has_psql_vars = false;
};

/// Parses one corpus line; on failure returns nullopt and sets `error`.
std::optional<CorpusStatement> parseCorpusLine(std::string_view line, std::string& error);

/// Reads a whole corpus file (blank lines skipped).
std::optional<std::vector<CorpusStatement>> loadCorpus(const std::string& path,
                                                       std::string& error);

}  // namespace sqlwarden::bench
