#include "audit/verify.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "audit/chain.hpp"
#include "audit/checkpoint.hpp"
#include "audit/schema.hpp"

namespace sqlwarden::audit {

namespace {

// One chained table read in chain order, for the k-way merge in verifyAudit.
struct Cursor {
  const ChainedTable* table;
  Statement stmt;
  bool has_row = false;

  Status advance() {
    Result<bool> row = stmt.step();
    if (!row) return row.error();
    has_row = *row;
    return Done{};
  }
  int64_t pos() const { return stmt.integer(0); }
};

// Columns: chain_pos, prev_hash, hash, label, content columns...
Result<Cursor> openCursor(Connection& db, const ChainedTable& t, int64_t after) {
  std::string sql = "SELECT chain_pos, prev_hash, hash, " + std::string(t.label);
  for (std::string_view c : t.columns) sql += ", " + std::string(c);
  sql += " FROM " + std::string(t.table) + " WHERE chain_pos > ? ORDER BY chain_pos";
  Result<Statement> stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  stmt->bind(1, after);
  Cursor c{&t, std::move(*stmt)};
  if (Status s = c.advance(); !s) return s.error();
  return c;
}

std::string rangeText(int64_t from, int64_t to) {
  return from == to ? "position " + std::to_string(from)
                    : "positions " + std::to_string(from) + "-" + std::to_string(to);
}

// Recomputes a statement outcome's result digest from result_rows.
Result<std::string> digestOfRows(Statement& rows, const std::string& session_id, int64_t seq) {
  rows.bind(1, session_id).bind(2, seq);
  std::vector<std::string> cells;
  for (;;) {
    Result<bool> row = rows.step();
    if (!row) return row.error();
    if (!*row) break;
    cells.push_back(rows.text(0));
  }
  rows.reset();
  return resultDigest(cells);
}

std::string_view stateOfEvent(std::string_view event) {
  if (event == "requested") return "pending";
  if (event == "approved") return "approved";
  if (event == "denied") return "denied";
  if (event == "expired") return "expired";
  if (event == "used") return "used";
  return "?";
}

Status checkApprovals(Connection& db, VerifyReport& report) {
  // Each approval's row must say what its newest chained event says; a row
  // with no events at all was never requested through the store.
  Result<Statement> stmt = db.prepare(R"sql(
    SELECT a.id, a.state, a.identity, a.fingerprint, e.event, e.identity, e.fingerprint, e.chain_pos
    FROM approvals a
    LEFT JOIN approval_events e ON e.chain_pos =
        (SELECT max(chain_pos) FROM approval_events WHERE approval_id = a.id)
    ORDER BY a.id)sql");
  if (!stmt) return stmt.error();
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::string record = "approval " + std::to_string(stmt->integer(0));
    if (stmt->isNull(4)) {
      report.problems.push_back({ProblemKind::StateMismatch, 0, record,
                                 "has no chained events: it was not requested through sqlwarden"});
      continue;
    }
    const std::string state = stmt->text(1);
    const std::string expected(stateOfEvent(stmt->text(4)));
    if (state != expected || stmt->text(2) != stmt->text(5) || stmt->text(3) != stmt->text(6)) {
      report.problems.push_back({ProblemKind::StateMismatch, stmt->integer(7), record,
                                 "the approvals table says '" + state + "' for " + stmt->text(2) +
                                     " but its last chained event says '" + expected + "' for " +
                                     stmt->text(5)});
    }
  }
  return Done{};
}

}  // namespace

std::string_view problemKindName(ProblemKind k) {
  switch (k) {
    case ProblemKind::Edited:
      return "edited";
    case ProblemKind::Missing:
      return "missing";
    case ProblemKind::Duplicate:
      return "duplicate";
    case ProblemKind::BrokenLink:
      return "broken-link";
    case ProblemKind::Truncated:
      return "truncated";
    case ProblemKind::Rewritten:
      return "rewritten";
    case ProblemKind::BadSignature:
      return "bad-signature";
    case ProblemKind::Unsigned:
      return "unsigned";
    case ProblemKind::StateMismatch:
      return "state-mismatch";
  }
  return "edited";
}

Result<VerifyReport> verifyAuditFile(const std::string& path, const VerifyKey* key) {
  Result<Connection> db =
      openAuditFile(path, Connection::Mode::ReadOnly, std::chrono::milliseconds(5000));
  if (!db) return db.error();
  return verifyAudit(*db, key);
}

Result<VerifyReport> verifyAudit(Connection& db, const VerifyKey* key) {
  // One read transaction: a gateway appending meanwhile does not move the
  // head under us.
  if (Status s = db.exec("BEGIN"); !s) return s.error();
  struct EndRead {
    Connection& db;
    ~EndRead() { (void)db.exec("COMMIT"); }
  } end_read{db};

  VerifyReport report;
  report.key_given = key != nullptr;
  Result<ChainHead> head = readChainHead(db);
  if (!head) return head.error();
  Result<std::vector<Checkpoint>> checkpoints = readCheckpoints(db);
  if (!checkpoints) return checkpoints.error();
  report.pruned_pos = head->pruned_pos;
  report.first_pos = head->pruned_pos + 1;
  report.checkpoints = static_cast<int64_t>(checkpoints->size());

  // Hashes found at the positions checkpoints vouch for.
  std::map<int64_t, std::optional<std::string>> at_checkpoint;
  for (const Checkpoint& cp : *checkpoints) at_checkpoint[cp.head.pos];

  std::vector<Cursor> cursors;
  for (const ChainedTable& t : chainedTables()) {
    Result<Cursor> c = openCursor(db, t, head->pruned_pos);
    if (!c) return c.error();
    cursors.push_back(std::move(*c));
  }
  Result<Statement> rows =
      db.prepare("SELECT cells FROM result_rows WHERE session_id = ? AND seq = ? ORDER BY row_no");
  if (!rows) return rows.error();

  int64_t expected = head->pruned_pos + 1;
  std::string prev = head->pruned_hash;
  for (;;) {
    Cursor* next = nullptr;
    for (Cursor& c : cursors) {
      if (c.has_row && (!next || c.pos() < next->pos())) next = &c;
    }
    if (!next) break;
    const Statement& s = next->stmt;
    const ChainedTable& t = *next->table;
    const int64_t pos = s.integer(0);
    const std::string prev_hash = s.bytes(1);
    const std::string hash = s.bytes(2);
    const std::string record = s.text(3);
    std::vector<Value> values;
    for (int i = 0; i < static_cast<int>(t.columns.size()); ++i) values.push_back(s.value(4 + i));
    ++report.records;

    if (pos < expected) {
      report.problems.push_back({ProblemKind::Duplicate, pos, record,
                                 "position " + std::to_string(pos) +
                                     " is taken by another record too (inserted record)"});
    } else {
      if (pos > expected) {
        report.problems.push_back(
            {ProblemKind::Missing, expected, record,
             "no record at chain " + rangeText(expected, pos - 1) + " (deleted records)"});
      } else if (prev_hash != prev) {
        report.problems.push_back(
            {ProblemKind::BrokenLink, pos, record,
             "does not follow the record before it (a record was inserted, deleted or "
             "reordered here)"});
      }
      if (chainHash(t.kind, values, prev_hash) != hash) {
        report.problems.push_back(
            {ProblemKind::Edited, pos, record, "its content does not match its hash (edited)"});
      } else if (t.table == "statement_outcomes") {
        // values: session_id, seq, ..., result_digest last.
        const auto* sid = std::get_if<std::string>(&values[0]);
        const auto* seq = std::get_if<int64_t>(&values[1]);
        const auto* digest = std::get_if<Blob>(&values.back());
        Result<std::string> d = digestOfRows(*rows, sid ? *sid : "", seq ? *seq : 0);
        if (!d) return d.error();
        if (!digest || *d != digest->bytes) {
          report.problems.push_back(
              {ProblemKind::Edited, pos, record, "its recorded result rows were edited"});
        }
      }
      auto cp = at_checkpoint.find(pos);
      if (cp != at_checkpoint.end()) cp->second = hash;
      prev = hash;
      expected = pos + 1;
      report.last_pos = pos;
    }
    if (Status st = next->advance(); !st) return st.error();
  }
  if (report.last_pos == 0) report.last_pos = head->pruned_pos;

  if (report.last_pos < head->pos) {
    report.problems.push_back({ProblemKind::Truncated, report.last_pos + 1, "chain end",
                               "the chain head is at position " + std::to_string(head->pos) +
                                   " but the records end at " + std::to_string(report.last_pos) +
                                   " (records cut off the end)"});
  } else if (report.last_pos > head->pos) {
    report.problems.push_back({ProblemKind::Duplicate, head->pos + 1, "chain end",
                               "records after the chain head (position " +
                                   std::to_string(head->pos) + ") were added outside sqlwarden"});
  } else if (report.last_pos > head->pruned_pos && prev != head->hash) {
    report.problems.push_back({ProblemKind::Rewritten, report.last_pos, "chain end",
                               "the last record's hash differs from the chain head's"});
  }

  bool pruned_head_vouched = head->pruned_pos == 0;
  for (const Checkpoint& cp : *checkpoints) {
    const std::string name = "checkpoint " + std::to_string(cp.id);
    if (key) {
      if (cp.signature.empty()) {
        report.problems.push_back({ProblemKind::Unsigned, cp.head.pos, name, "is not signed"});
      } else if (cp.public_key != key->raw() || !key->verify(checkpointMessage(cp), cp.signature)) {
        report.problems.push_back({ProblemKind::BadSignature, cp.head.pos, name,
                                   cp.public_key != key->raw()
                                       ? "was signed by a different key"
                                       : "has a signature that does not verify (edited)"});
      } else {
        ++report.signatures_verified;
      }
    }
    if (cp.head.pruned_pos == head->pruned_pos && cp.head.pruned_hash == head->pruned_hash) {
      pruned_head_vouched = true;
    }
    if (cp.head.pos < head->pruned_pos || cp.head.pos == 0) continue;  // pruned away
    if (cp.head.pos == head->pruned_pos) {
      if (cp.head.hash != head->pruned_hash) {
        report.problems.push_back({ProblemKind::Rewritten, cp.head.pos, name,
                                   "the pruned head no longer has the checkpointed hash"});
      }
    } else if (cp.head.pos > report.last_pos) {
      report.problems.push_back({ProblemKind::Truncated, report.last_pos + 1, name,
                                 "covers the chain up to position " + std::to_string(cp.head.pos) +
                                     " but the records end at " + std::to_string(report.last_pos) +
                                     " (records cut off after the checkpoint was written)"});
    } else if (at_checkpoint[cp.head.pos] != cp.head.hash) {
      report.problems.push_back(
          {ProblemKind::Rewritten, cp.head.pos, name,
           "position " + std::to_string(cp.head.pos) +
               " no longer has the checkpointed hash (history before it was rewritten)"});
    }
  }
  if (!pruned_head_vouched) {
    report.problems.push_back({ProblemKind::Rewritten, head->pruned_pos, "pruned head",
                               "records up to position " + std::to_string(head->pruned_pos) +
                                   " are marked pruned, but no checkpoint records that prune"});
  }

  if (Status s = checkApprovals(db, report); !s) return s.error();
  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [](const VerifyProblem& a, const VerifyProblem& b) {
                     // Positionless problems (0) go last.
                     const int64_t pa = a.chain_pos ? a.chain_pos : INT64_MAX;
                     const int64_t pb = b.chain_pos ? b.chain_pos : INT64_MAX;
                     return pa < pb;
                   });
  return report;
}

}  // namespace sqlwarden::audit
