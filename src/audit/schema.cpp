#include "audit/schema.hpp"

namespace sqlwarden::audit {

namespace {

// Version 1. Chained tables (see chain.hpp) end in chain_pos, prev_hash, hash;
// their other columns are hashed in the order chain.cpp lists them. Times are
// INTEGER microseconds since the epoch, UTC; the *_v views show them as text.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE chain_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  head_pos INTEGER NOT NULL,      -- chain position of the newest record
  head_hash BLOB NOT NULL,
  pruned_pos INTEGER NOT NULL,    -- records up to here were pruned
  pruned_hash BLOB NOT NULL       -- the hash of the last pruned record
);
INSERT INTO chain_head VALUES (1, 0, zeroblob(32), 0, zeroblob(32));

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user TEXT NOT NULL,
  groups TEXT NOT NULL,           -- JSON array of strings
  claims TEXT NOT NULL,           -- JSON object
  auth_method TEXT NOT NULL,
  client_address TEXT NOT NULL,
  tls_version TEXT NOT NULL,
  application_name TEXT NOT NULL,
  database TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  chain_pos INTEGER NOT NULL UNIQUE, prev_hash BLOB NOT NULL, hash BLOB NOT NULL
);

CREATE TABLE session_ends (
  session_id TEXT PRIMARY KEY,
  ended_at INTEGER NOT NULL,
  end_reason TEXT NOT NULL,
  chain_pos INTEGER NOT NULL UNIQUE, prev_hash BLOB NOT NULL, hash BLOB NOT NULL
);

CREATE TABLE statements (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  sql_received TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  decision TEXT NOT NULL,         -- allow, deny, approval
  rules TEXT NOT NULL,            -- JSON array of "policy (file:line)"
  reason TEXT NOT NULL,
  sql_forwarded TEXT NOT NULL,
  tables TEXT NOT NULL,           -- JSON array of table names
  chain_pos INTEGER NOT NULL UNIQUE, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,
  UNIQUE (session_id, seq)
);
CREATE INDEX statements_at ON statements(at);

CREATE TABLE statement_outcomes (
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  command_tag TEXT NOT NULL,
  rows INTEGER NOT NULL,
  error_sqlstate TEXT NOT NULL,
  error_message TEXT NOT NULL,
  result_columns TEXT,            -- JSON array; NULL when results were not recorded
  result_rows INTEGER NOT NULL,   -- rows kept in result_rows
  result_truncated INTEGER NOT NULL,
  result_digest BLOB NOT NULL,    -- SHA-256 over the kept rows (chain.cpp)
  chain_pos INTEGER NOT NULL UNIQUE, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,
  PRIMARY KEY (session_id, seq)
);

CREATE TABLE result_rows (
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  row_no INTEGER NOT NULL,        -- from 1
  cells TEXT NOT NULL,            -- JSON array, null for SQL NULL
  PRIMARY KEY (session_id, seq, row_no)
) WITHOUT ROWID;

-- The current state of each request: derived from approval_events (the
-- chained, append-only history) and checked against it by verify.
CREATE TABLE approvals (
  id INTEGER PRIMARY KEY,
  identity TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  statement TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  state TEXT NOT NULL,            -- pending, approved, denied, expired, used
  decided_by TEXT NOT NULL,
  decided_at INTEGER,
  reason TEXT NOT NULL,
  used_at INTEGER
);
CREATE INDEX approvals_lookup ON approvals(identity, fingerprint, state);

CREATE TABLE approval_events (
  id INTEGER PRIMARY KEY,
  approval_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  event TEXT NOT NULL,            -- requested, approved, denied, expired, used
  actor TEXT NOT NULL,            -- the requester, the approver, or the gateway
  identity TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  statement TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  chain_pos INTEGER NOT NULL UNIQUE, prev_hash BLOB NOT NULL, hash BLOB NOT NULL
);
CREATE INDEX approval_events_by_approval ON approval_events(approval_id);

CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  head_pos INTEGER NOT NULL,
  head_hash BLOB NOT NULL,
  pruned_pos INTEGER NOT NULL,
  pruned_hash BLOB NOT NULL,
  public_key BLOB,                -- raw Ed25519 key; NULL for an unsigned checkpoint
  signature BLOB
);

CREATE VIEW sessions_v AS
SELECT s.id, s.user, s.groups, s.claims, s.auth_method, s.client_address, s.tls_version,
       s.application_name, s.database,
       strftime('%Y-%m-%dT%H:%M:%fZ', s.started_at / 1000000.0, 'unixepoch') AS started,
       strftime('%Y-%m-%dT%H:%M:%fZ', e.ended_at / 1000000.0, 'unixepoch') AS ended,
       e.end_reason
FROM sessions s LEFT JOIN session_ends e ON e.session_id = s.id;

CREATE VIEW statements_v AS
SELECT st.id, st.session_id, st.seq, s.user,
       strftime('%Y-%m-%dT%H:%M:%fZ', st.at / 1000000.0, 'unixepoch') AS at,
       st.decision, st.sql_received, st.sql_forwarded, st.fingerprint, st.rules, st.reason,
       st.tables, o.duration_us, o.command_tag, o.rows, o.error_sqlstate, o.error_message
FROM statements st
LEFT JOIN sessions s ON s.id = st.session_id
LEFT JOIN statement_outcomes o ON o.session_id = st.session_id AND o.seq = st.seq;
)sql";

constexpr Migration kMigrations[] = {
    {1, kVersion1},
};

}  // namespace

std::span<const Migration> schemaMigrations() {
  return kMigrations;
}

Result<int> schemaVersion(Connection& db) {
  Result<int64_t> v = db.queryInt("PRAGMA user_version");
  if (!v) return v.error();
  return static_cast<int>(*v);
}

Status migrate(Connection& db, std::span<const Migration> migrations) {
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  for (const Migration& m : migrations) {
    // Read the version inside the write lock: another process may have
    // migrated between our look and our lock.
    Result<WriteTransaction> tx = WriteTransaction::begin(db);
    if (!tx) return tx.error();
    Result<int> current = schemaVersion(db);
    if (!current) return current.error();
    if (*current > newest) {
      return auditError("audit-schema-newer",
                        db.path() + " has schema version " + std::to_string(*current) +
                            "; this sqlwarden knows versions up to " + std::to_string(newest));
    }
    if (*current >= m.version) continue;
    if (*current != m.version - 1) {
      return auditError("audit-schema", "no migration from schema version " +
                                            std::to_string(*current) + " in " + db.path());
    }
    if (Status s = db.exec(m.sql); !s) return s.error();
    if (Status s = db.exec("PRAGMA user_version = " + std::to_string(m.version)); !s) {
      return s.error();
    }
    if (Status s = tx->commit(); !s) return s.error();
  }
  return Done{};
}

Result<Connection> openAuditFile(const std::string& path, Connection::Mode mode,
                                 std::chrono::milliseconds busy_timeout) {
  Result<Connection> db = Connection::open(path, mode, busy_timeout);
  if (!db) return db;
  if (mode == Connection::Mode::ReadOnly) {
    Result<int> v = schemaVersion(*db);
    if (!v) return v.error();
    if (*v != kSchemaVersion) {
      return auditError("audit-schema",
                        path + (*v == 0 ? " is not an audit file (no schema)"
                                        : " has schema version " + std::to_string(*v) +
                                              ", this sqlwarden reads version " +
                                              std::to_string(kSchemaVersion)));
    }
    return db;
  }
  // journal_mode cannot change inside a transaction, and WAL is a property of
  // the file: once set, every later connection uses it.
  {
    Result<Statement> wal = db->prepare("PRAGMA journal_mode=WAL");
    if (!wal) return wal.error();
    Result<bool> row = wal->step();
    if (!row) return row.error();
    if (!*row || wal->text(0) != "wal") {
      return auditError("audit-open", "cannot switch " + path + " to WAL mode");
    }
  }
  if (Status s = migrate(*db, schemaMigrations()); !s) return s.error();
  return db;
}

}  // namespace sqlwarden::audit
