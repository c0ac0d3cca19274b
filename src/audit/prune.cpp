#include "audit/prune.hpp"

#include "audit/chain.hpp"
#include "audit/schema.hpp"

namespace sqlwarden::audit {

namespace {

// The time column of each chained table.
std::string_view timeColumn(std::string_view table) {
  if (table == "sessions") return "started_at";
  if (table == "session_ends") return "ended_at";
  if (table == "statements") return "at";
  if (table == "statement_outcomes") return "finished_at";
  return "at";  // approval_events
}

}  // namespace

Result<PruneReport> pruneAuditFile(const std::string& path, Micros before, const SigningKey* key) {
  Result<Connection> db =
      openAuditFile(path, Connection::Mode::ReadWrite, std::chrono::milliseconds(5000));
  if (!db) return db.error();
  Result<WriteTransaction> tx = WriteTransaction::begin(*db);
  if (!tx) return tx.error();
  Result<ChainHead> head = readChainHead(*db);
  if (!head) return head.error();

  // The first position that must stay: the first record at or after the
  // cutoff, or the request of an approval that can still be used.
  int64_t keep_from = head->pos + 1;
  for (const ChainedTable& t : chainedTables()) {
    Result<Statement> stmt = db->prepare("SELECT min(chain_pos) FROM " + std::string(t.table) +
                                         " WHERE " + std::string(timeColumn(t.table)) + " >= ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, before);
    if (Result<bool> row = stmt->step(); !row) return row.error();
    if (!stmt->isNull(0)) keep_from = std::min(keep_from, stmt->integer(0));
  }
  Result<int64_t> live = db->queryInt(
      "SELECT coalesce(min(e.chain_pos), 0) FROM approval_events e JOIN approvals a "
      "ON a.id = e.approval_id WHERE a.state IN ('pending', 'approved')");
  if (!live) return live.error();
  if (*live > 0) keep_from = std::min(keep_from, *live);

  PruneReport report;
  const int64_t cut = keep_from - 1;
  if (cut <= head->pruned_pos) {
    report.pruned_pos = head->pruned_pos;
    Result<Checkpoint> cp = writeCheckpoint(*db, *head, key, nowMicros());
    if (!cp) return cp.error();
    report.checkpoint = std::move(*cp);
    if (Status s = tx->commit(); !s) return s.error();
    return report;
  }

  // The hash of the last record to go becomes the new starting point.
  std::string cut_hash;
  for (const ChainedTable& t : chainedTables()) {
    Result<Statement> stmt =
        db->prepare("SELECT hash FROM " + std::string(t.table) + " WHERE chain_pos = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, cut);
    Result<bool> row = stmt->step();
    if (!row) return row.error();
    if (*row) cut_hash = stmt->bytes(0);
  }
  if (cut_hash.empty()) {
    return auditError("audit-prune", "no record at chain position " + std::to_string(cut) +
                                         "; run `sqlwarden audit verify` first");
  }

  // Sessions stay while anything of theirs stays, so transcripts keep
  // their who and where; they sit before the pruned head and are not verified.
  struct Step {
    std::string_view sql;
    bool chained;  // counts towards `removed`
  };
  const Step steps[] = {
      {"DELETE FROM result_rows WHERE EXISTS (SELECT 1 FROM statement_outcomes o WHERE "
       "o.session_id = result_rows.session_id AND o.seq = result_rows.seq AND o.chain_pos <= ?1)",
       false},
      {"DELETE FROM statement_outcomes WHERE chain_pos <= ?1", true},
      {"DELETE FROM statements WHERE chain_pos <= ?1", true},
      {"DELETE FROM session_ends WHERE chain_pos <= ?1", true},
      // Requests whose whole history goes (never live ones, see keep_from).
      {"DELETE FROM approvals WHERE id IN "
       "(SELECT approval_id FROM approval_events WHERE chain_pos <= ?1) AND NOT EXISTS "
       "(SELECT 1 FROM approval_events e WHERE e.approval_id = approvals.id AND e.chain_pos > ?1)",
       false},
      {"DELETE FROM approval_events WHERE chain_pos <= ?1", true},
      {"DELETE FROM sessions WHERE chain_pos <= ?1 "
       "AND NOT EXISTS (SELECT 1 FROM statements s WHERE s.session_id = sessions.id) "
       "AND NOT EXISTS (SELECT 1 FROM statement_outcomes o WHERE o.session_id = sessions.id) "
       "AND NOT EXISTS (SELECT 1 FROM session_ends e WHERE e.session_id = sessions.id)",
       true},
  };
  for (const Step& step : steps) {
    Result<Statement> stmt = db->prepare(step.sql);
    if (!stmt) return stmt.error();
    stmt->bind(1, cut);
    if (Status s = stmt->run(); !s) return s.error();
    if (step.chained) report.removed += db->changes();
  }
  head->pruned_pos = cut;
  head->pruned_hash = cut_hash;
  if (Status s = writeChainHead(*db, *head); !s) return s.error();
  Result<Checkpoint> cp = writeCheckpoint(*db, *head, key, nowMicros());
  if (!cp) return cp.error();
  report.pruned_pos = cut;
  report.checkpoint = std::move(*cp);
  if (Status s = tx->commit(); !s) return s.error();
  return report;
}

}  // namespace sqlwarden::audit
