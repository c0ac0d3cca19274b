// Throughput of the audit store alone (issue 6, acceptance 3: "records per
// second for the store alone in each durability mode"). Not a test: timings
// are not pass/fail material on a shared machine.
//
// A "statement" here is what the gateway records per statement: one
// appendStatement and one completeStatement, two chained records. Each mode
// runs with 1 and with 8 appending threads (8 = pgbench's client count), and
// is reported as statements/s and as a ratio to two in-run baselines on the
// same disk:
//   plain-batched  one plain INSERT per statement into a table of the same
//                  shape, 1,000 per transaction, no hashing: about the most
//                  any SQLite store can do;
//   plain-per-row  the same with one transaction per statement and
//                  synchronous=FULL: what strict durability costs without
//                  group commit.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using sqlwarden::audit::AuditStore;
using sqlwarden::audit::Decision;
using sqlwarden::audit::Durability;

sqlwarden::audit::StatementRecord statementFor(const std::string& session, int i) {
  sqlwarden::audit::StatementRecord r;
  r.session_id = session;
  r.sql_received = "SELECT abalance FROM pgbench_accounts WHERE aid = " + std::to_string(i);
  r.fingerprint = "5f2c1a9e0b7d4e13";
  r.decision = Decision::Allow;
  r.rules_fired = {"bench (bench.rules:3)"};
  r.sql_forwarded = r.sql_received;
  r.tables = {"public.pgbench_accounts"};
  return r;
}

std::string scratchFile(const std::string& dir, const std::string& name) {
  const std::string path = dir + "/" + name;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

/// Statements per second through an AuditStore with `threads` appenders.
double runStore(const std::string& dir, Durability durability, int threads, int statements) {
  const std::string path = scratchFile(dir, "audit_bench.db");
  sqlwarden::audit::StoreOptions options;
  options.durability = durability;
  auto opened = AuditStore::open(path, options);
  if (!opened) {
    std::fprintf(stderr, "audit_bench: %s\n", opened.error().message.c_str());
    std::exit(1);
  }
  std::unique_ptr<AuditStore> store = std::move(opened).value();
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::string sid = *store->beginSession({});
      for (int i = t; i < statements; i += threads) {
        auto ref = store->appendStatement(statementFor(sid, i));
        sqlwarden::audit::StatementOutcome out;
        out.duration_us = 120;
        out.command_tag = "SELECT 1";
        out.rows = 1;
        if (!ref || !store->completeStatement(*ref, std::move(out))) {
          std::fprintf(stderr, "audit_bench: append failed\n");
          std::exit(1);
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  if (!store->flush()) std::exit(1);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  store.reset();
  return statements / seconds;
}

/// Statements per second for plain INSERTs, `per_txn` per transaction.
double runPlain(const std::string& dir, int per_txn, bool full_sync, int statements) {
  const std::string path = scratchFile(dir, "audit_bench_plain.db");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  sqlite3_exec(db, full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", nullptr,
               nullptr, nullptr);
  sqlite3_exec(db,
               "CREATE TABLE s (id INTEGER PRIMARY KEY, session_id TEXT, seq INTEGER, at INTEGER, "
               "sql_received TEXT, fingerprint TEXT, decision TEXT, rules TEXT, reason TEXT, "
               "sql_forwarded TEXT, tables TEXT);"
               "CREATE TABLE o (session_id TEXT, seq INTEGER, duration_us INTEGER, "
               "command_tag TEXT, rows INTEGER, PRIMARY KEY (session_id, seq))",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_stmt* out = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO s VALUES (NULL, 'abc', ?, ?, ?, ?, 'allow', ?, '', ?, ?)", -1,
                     &ins, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO o VALUES ('abc', ?, 120, 'SELECT 1', 1)", -1, &out, nullptr);
  const auto start = Clock::now();
  for (int i = 0; i < statements; ++i) {
    if (i % per_txn == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    const auto r = statementFor("abc", i);
    sqlite3_bind_int(ins, 1, i);
    sqlite3_bind_int64(ins, 2, i);
    sqlite3_bind_text(ins, 3, r.sql_received.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 4, r.fingerprint.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 5, "[\"bench (bench.rules:3)\"]", -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, r.sql_forwarded.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 7, "[\"public.pgbench_accounts\"]", -1, SQLITE_STATIC);
    sqlite3_step(ins);
    sqlite3_reset(ins);
    sqlite3_bind_int(out, 1, i);
    sqlite3_step(out);
    sqlite3_reset(out);
    if (i % per_txn == per_txn - 1 || i == statements - 1) {
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(ins);
  sqlite3_finalize(out);
  sqlite3_close(db);
  return statements / seconds;
}

/// fdatasync latency of a 4 KiB append in `dir`, in µs: {p10, median,
/// p90}. A strict statement waits at least one such sync (its group's
/// commit), so this bounds what strict durability can cost.
std::array<double, 3> syncLatency(const std::string& dir, int samples) {
  const std::string path = scratchFile(dir, "audit_bench_sync.probe");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    std::perror("audit_bench: open");
    std::exit(1);
  }
  const std::vector<char> page(4096, 'x');
  std::vector<double> us;
  for (int i = 0; i < samples; ++i) {
    if (::write(fd, page.data(), page.size()) != static_cast<ssize_t>(page.size())) std::exit(1);
    const auto start = Clock::now();
    if (::fdatasync(fd) != 0) std::exit(1);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  ::close(fd);
  std::filesystem::remove(path);
  std::sort(us.begin(), us.end());
  return {us[us.size() / 10], us[us.size() / 2], us[us.size() * 9 / 10]};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Throughput of the audit store (records per second per durability mode)",
               "audit_bench"};
  int statements = 20000;
  int per_row_statements = 500;
  std::string dir = std::filesystem::temp_directory_path().string();
  app.add_option("--statements", statements, "Statements per run")->capture_default_str();
  app.add_option("--per-row-statements", per_row_statements,
                 "Statements for the one-transaction-each baseline (it is slow)")
      ->capture_default_str();
  app.add_option("--dir", dir, "Directory for the scratch files (use the disk the gateway uses)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const auto sync = syncLatency(dir, 300);
  const double batched = runPlain(dir, 1000, false, statements);
  const double per_row = runPlain(dir, 1, true, per_row_statements);
  std::printf("directory: %s, %d statements per run (2 chained records each)\n\n", dir.c_str(),
              statements);
  std::printf("fdatasync of a 4 KiB append: median %.0f us (p10 %.0f, p90 %.0f), the least a strict\n"
              "statement waits for its commit\n\n",
              sync[1], sync[0], sync[2]);
  std::printf("%-28s %12s %16s %16s\n", "run", "stmts/s", "vs plain-batched", "vs plain-per-row");
  std::printf("%-28s %12.0f %16s %16s\n", "plain-batched (baseline)", batched, "1.00", "");
  std::printf("%-28s %12.0f %16s %16s\n", "plain-per-row (baseline)", per_row, "", "1.00");
  struct Run {
    const char* name;
    Durability durability;
    int threads;
  };
  for (const Run& run :
       {Run{"strict, 1 thread", Durability::Strict, 1},
        Run{"strict, 8 threads", Durability::Strict, 8}, Run{"fast, 1 thread", Durability::Fast, 1},
        Run{"fast, 8 threads", Durability::Fast, 8}}) {
    const double rate = runStore(dir, run.durability, run.threads, statements);
    std::printf("%-28s %12.0f %16.2f %16.2f\n", run.name, rate, rate / batched, rate / per_row);
  }
  for (const char* name : {"audit_bench.db", "audit_bench_plain.db"}) scratchFile(dir, name);
  return 0;
}
