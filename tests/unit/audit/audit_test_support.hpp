#pragma once
// Helpers for the audit store's tests: a scratch directory, sample records,
// raw SQL access for tampering, and an "attacker" who recomputes the chain.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "audit/audit_store.hpp"
#include "audit/chain.hpp"
#include "audit/schema.hpp"
#include "audit/sqlite.hpp"
#include "audit/verify.hpp"

namespace sqlwarden::audit::testing {

/// A fresh directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sqlwarden-audit-XXXXXX");
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline SessionRecord sampleSession(std::string user = "alice") {
  SessionRecord s;
  s.user = std::move(user);
  s.groups = {"analysts", "eu"};
  s.claims_json = R"({"tenant":"t1"})";
  s.auth_method = "scram-sha-256";
  s.client_address = "10.0.0.7:51234";
  s.tls_version = "TLSv1.3";
  s.application_name = "psql";
  s.database = "shop";
  return s;
}

inline StatementRecord sampleStatement(const std::string& session, std::string sql,
                                       Decision d = Decision::Allow, Micros at = 0) {
  StatementRecord r;
  r.session_id = session;
  r.at = at;
  r.sql_received = std::move(sql);
  r.fingerprint = "fp:" + r.sql_received;
  r.decision = d;
  r.rules_fired = {"readers (policies/readers.rules:3)"};
  r.reason = d == Decision::Deny ? "no access to public.secrets" : "";
  r.sql_forwarded = d == Decision::Allow ? r.sql_received : "";
  r.tables = {"public.users"};
  return r;
}

/// Opens the file for raw SQL, as someone with write access could.
inline Connection rawConnection(const std::string& path) {
  Result<Connection> db =
      Connection::open(path, Connection::Mode::Create, std::chrono::milliseconds(5000));
  REQUIRE(db.ok());
  return std::move(db).value();
}

inline void execSql(const std::string& path, const std::string& sql) {
  Connection db = rawConnection(path);
  Status s = db.exec(sql);
  INFO(sql);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
}

inline int64_t queryInt(const std::string& path, const std::string& sql) {
  Connection db = rawConnection(path);
  Result<int64_t> v = db.queryInt(sql);
  REQUIRE(v.ok());
  return *v;
}

/// What someone with write access but no signing key can do after editing:
/// renumber every chained record 1..n in its current order, recompute every
/// prev_hash and hash, and fix the chain head. Unsigned checkpoints cannot
/// stop this; signed ones can.
inline void recomputeChain(const std::string& path) {
  Connection db = rawConnection(path);
  REQUIRE(db.exec("BEGIN IMMEDIATE").ok());
  struct Link {
    int64_t pos;
    const ChainedTable* table;
    int64_t rowid;
    std::vector<Value> values;
  };
  std::vector<Link> links;
  for (const ChainedTable& t : chainedTables()) {
    std::string sql = "SELECT chain_pos, rowid";
    for (std::string_view c : t.columns) sql += ", " + std::string(c);
    sql += " FROM " + std::string(t.table);
    Result<Statement> stmt = db.prepare(sql);
    REQUIRE(stmt.ok());
    while (*stmt->step()) {
      Link l{stmt->integer(0), &t, stmt->integer(1), {}};
      for (size_t i = 0; i < t.columns.size(); ++i) l.values.push_back(stmt->value(2 + int(i)));
      links.push_back(std::move(l));
    }
  }
  std::sort(links.begin(), links.end(), [](const Link& a, const Link& b) { return a.pos < b.pos; });
  Result<ChainHead> head = readChainHead(db);
  REQUIRE(head.ok());
  std::string prev = head->pruned_hash;
  int64_t pos = head->pruned_pos;
  for (const Link& l : links) {
    if (l.pos <= head->pruned_pos) continue;
    const std::string hash = chainHash(l.table->kind, l.values, prev);
    Result<Statement> up =
        db.prepare("UPDATE " + std::string(l.table->table) +
                   " SET chain_pos = ?, prev_hash = ?, hash = ? WHERE rowid = ?");
    REQUIRE(up.ok());
    // Negative first: positions are UNIQUE and may collide while renumbering.
    up->bind(1, -(++pos)).bind(2, Blob{prev}).bind(3, Blob{hash}).bind(4, l.rowid);
    REQUIRE(up->run().ok());
    prev = hash;
  }
  for (const ChainedTable& t : chainedTables()) {
    REQUIRE(db.exec("UPDATE " + std::string(t.table) +
                    " SET chain_pos = -chain_pos WHERE chain_pos < 0")
                .ok());
  }
  head->pos = pos;
  head->hash = prev;
  REQUIRE(writeChainHead(db, *head).ok());
  REQUIRE(db.exec("COMMIT").ok());
}

/// Verifies the file without a key; every problem fails the test.
inline void requireVerified(const std::string& path) {
  Result<VerifyReport> report = verifyAuditFile(path);
  REQUIRE(report.ok());
  for (const VerifyProblem& p : report->problems) {
    FAIL_CHECK("position " << p.chain_pos << ": " << p.record << ": " << p.message);
  }
}

/// Opens a strict store on `path`, failing the test if it cannot.
inline std::unique_ptr<AuditStore> openStore(const std::string& path, StoreOptions options = {}) {
  Result<std::unique_ptr<AuditStore>> store = AuditStore::open(path, options);
  REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().message));
  return std::move(store).value();
}

}  // namespace sqlwarden::audit::testing
