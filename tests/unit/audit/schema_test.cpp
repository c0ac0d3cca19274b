// The audit file's schema version and migrations.
#include <doctest/doctest.h>

#include "audit/schema.hpp"
#include "audit_test_support.hpp"

namespace sqlwarden::audit {
namespace {

using testing::TempDir;

Result<Connection> openFile(const std::string& path, Connection::Mode mode) {
  return openAuditFile(path, mode, std::chrono::milliseconds(1000));
}

TEST_CASE("a new audit file is created at the current version, in WAL mode") {
  TempDir dir;
  const std::string path = dir.file("a.db");
  Result<Connection> db = openFile(path, Connection::Mode::Create);
  REQUIRE(db.ok());
  CHECK(*schemaVersion(*db) == kSchemaVersion);
  {
    Result<Statement> mode = db->prepare("PRAGMA journal_mode");
    REQUIRE(mode.ok());
    REQUIRE(*mode->step());
    CHECK(mode->text(0) == "wal");
  }  // an unfinished statement would keep the INSERT below from committing
  // Opening again migrates nothing and keeps the data.
  REQUIRE(db->exec("INSERT INTO checkpoints (created_at, head_pos, head_hash, pruned_pos, "
                   "pruned_hash) VALUES (1, 0, x'00', 0, x'00')")
              .ok());
  Result<Connection> again = openFile(path, Connection::Mode::ReadWrite);
  REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
  CHECK(*again->queryInt("SELECT count(*) FROM checkpoints") == 1);
}

TEST_CASE("an older file is upgraded in place, one migration per version") {
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    Result<Connection> db = openFile(path, Connection::Mode::Create);
    REQUIRE(db.ok());
    REQUIRE(db->exec("INSERT INTO approvals (identity, fingerprint, statement, requested_at, "
                     "expires_at, state, decided_by, reason) "
                     "VALUES ('bob', 'fp', 'DROP TABLE t', 1, 2, 'pending', '', '')")
                .ok());
  }
  // A version 2 as a future gateway would ship it: list + one more step.
  std::vector<Migration> migrations(schemaMigrations().begin(), schemaMigrations().end());
  migrations.push_back({2,
                        "ALTER TABLE approvals ADD COLUMN ticket TEXT NOT NULL DEFAULT '';"
                        "CREATE INDEX approvals_ticket ON approvals(ticket);"});
  Result<Connection> db =
      Connection::open(path, Connection::Mode::ReadWrite, std::chrono::milliseconds(1000));
  REQUIRE(db.ok());
  CHECK(*schemaVersion(*db) == 1);
  REQUIRE(migrate(*db, migrations).ok());
  CHECK(*schemaVersion(*db) == 2);
  CHECK(*db->queryInt("SELECT count(*) FROM approvals WHERE ticket = '' AND identity = 'bob'") ==
        1);
  // Migrating again is a no-op.
  REQUIRE(migrate(*db, migrations).ok());
  CHECK(*schemaVersion(*db) == 2);
}

TEST_CASE("an empty SQLite file (version 0) gets the whole schema") {
  TempDir dir;
  const std::string path = dir.file("empty.db");
  testing::execSql(path, "CREATE TABLE unrelated (x)");  // creates the file at version 0
  Result<Connection> db = openFile(path, Connection::Mode::ReadWrite);
  REQUIRE(db.ok());
  CHECK(*schemaVersion(*db) == kSchemaVersion);
  CHECK(*db->queryInt("SELECT head_pos FROM chain_head") == 0);
}

TEST_CASE("a file from a newer sqlwarden is refused, not written") {
  TempDir dir;
  const std::string path = dir.file("new.db");
  REQUIRE(openFile(path, Connection::Mode::Create).ok());
  testing::execSql(path, "PRAGMA user_version = 99");
  Result<Connection> db = openFile(path, Connection::Mode::ReadWrite);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code == "audit-schema-newer");
  CHECK(db.error().message.find("schema version 99") != std::string::npos);
  Result<Connection> ro = openFile(path, Connection::Mode::ReadOnly);
  REQUIRE_FALSE(ro.ok());
  CHECK(ro.error().code == "audit-schema");
}

TEST_CASE("read-only and read-write opens do not create files") {
  TempDir dir;
  Result<Connection> rw = openFile(dir.file("missing.db"), Connection::Mode::ReadWrite);
  REQUIRE_FALSE(rw.ok());
  CHECK(rw.error().code == "audit-open");
  Result<Connection> ro = openFile(dir.file("missing.db"), Connection::Mode::ReadOnly);
  REQUIRE_FALSE(ro.ok());
  CHECK_FALSE(std::filesystem::exists(dir.file("missing.db")));
  // An existing SQLite file without the schema is not an audit file.
  testing::execSql(dir.file("other.db"), "CREATE TABLE t (x)");
  Result<Connection> other = openFile(dir.file("other.db"), Connection::Mode::ReadOnly);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().message.find("not an audit file") != std::string::npos);
}

TEST_CASE("a directory is not an audit file") {
  TempDir dir;
  std::filesystem::create_directory(dir.file("d"));
  Result<Connection> db = openFile(dir.file("d"), Connection::Mode::Create);
  REQUIRE_FALSE(db.ok());
}

}  // namespace
}  // namespace sqlwarden::audit
