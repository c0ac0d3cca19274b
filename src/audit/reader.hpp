#pragma once
// Read-only queries for the CLI: statement listings with filters, sessions,
// and a session's transcript with its recorded result rows.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/json_codec.hpp"
#include "audit/records.hpp"
#include "audit/sqlite.hpp"

namespace sqlwarden::audit {

/// Which statements to list. Empty strings and nullopt mean "any".
struct StatementFilter {
  std::string user;
  std::optional<Decision> decision;
  std::optional<Micros> since;  ///< at or after
  std::optional<Micros> until;  ///< before
  std::string table;            ///< substring of a named table (or of the SQL), any case
  int64_t after_id = 0;         ///< only ids above this (for --follow)
  size_t limit = 0;             ///< the newest `limit` matches; 0: all
};

/// A session for listings: the record and how many statements it has.
struct SessionSummary {
  SessionRecord session;
  int64_t statements = 0;
};

class AuditReader {
 public:
  /// Opens the file read-only; it must exist and be at the current schema.
  static Result<std::unique_ptr<AuditReader>> open(const std::string& path);

  /// Matching statements, oldest first, with their outcomes (no result rows).
  Result<std::vector<StatementEntry>> statements(const StatementFilter& filter);
  /// Every session, oldest first.
  Result<std::vector<SessionSummary>> sessions();
  /// One session (by id or a unique prefix of it) with every statement,
  /// outcome and recorded result row.
  Result<Transcript> transcript(std::string_view session_id);

 private:
  explicit AuditReader(Connection db) : db_(std::move(db)), json_(db_) {}
  Result<std::vector<StatementEntry>> readStatements(Statement& stmt, bool with_rows);

  Connection db_;
  JsonCodec json_;
};

}  // namespace sqlwarden::audit
