#pragma once
// The audit file's schema and its migrations. The version lives in SQLite's
// `PRAGMA user_version`; each migration takes the file from version N-1 to N
// inside one IMMEDIATE transaction, so gateways sharing a file upgrade it once.
//
// Adding version 2: append {2, "..."} to the list in schema.cpp and bump
// kSchemaVersion. Never edit a migration that has shipped.
#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "audit/sqlite.hpp"

namespace sqlwarden::audit {

/// The version this build writes and understands.
inline constexpr int kSchemaVersion = 1;

/// One step: the SQL that turns version `version - 1` into `version`.
struct Migration {
  int version;
  std::string_view sql;
};

/// The shipped migrations, oldest first (version 1 creates everything).
std::span<const Migration> schemaMigrations();

/// The file's `user_version` (0 for a new, empty file).
Result<int> schemaVersion(Connection& db);

/// Applies every migration newer than the file's version, in order. A file
/// newer than the last migration is refused: an older gateway must not write
/// records a newer one cannot verify.
Status migrate(Connection& db, std::span<const Migration> migrations);

/// Opens an audit file ready to use: busy timeout, WAL mode and, unless
/// read-only, migrated to kSchemaVersion. A read-only open requires the file
/// to be at kSchemaVersion already.
Result<Connection> openAuditFile(const std::string& path, Connection::Mode mode,
                                 std::chrono::milliseconds busy_timeout);

}  // namespace sqlwarden::audit
