#include "audit/reader.hpp"

#include <algorithm>

#include "audit/schema.hpp"

namespace sqlwarden::audit {

namespace {

constexpr std::string_view kStatementQuery = R"sql(
SELECT st.id, coalesce(s.user, ''), st.session_id, st.seq, st.at, st.sql_received,
       st.fingerprint, st.decision, st.rules, st.reason, st.sql_forwarded, st.tables,
       o.seq IS NOT NULL, o.finished_at, o.duration_us, o.command_tag, o.rows,
       o.error_sqlstate, o.error_message, o.result_columns, o.result_truncated
FROM statements st
LEFT JOIN sessions s ON s.id = st.session_id
LEFT JOIN statement_outcomes o ON o.session_id = st.session_id AND o.seq = st.seq
)sql";

constexpr std::string_view kSessionQuery = R"sql(
SELECT s.id, s.user, s.groups, s.claims, s.auth_method, s.client_address, s.tls_version,
       s.application_name, s.database, s.started_at, e.ended_at, coalesce(e.end_reason, ''),
       (SELECT count(*) FROM statements st WHERE st.session_id = s.id)
FROM sessions s LEFT JOIN session_ends e ON e.session_id = s.id
)sql";

}  // namespace

Result<std::unique_ptr<AuditReader>> AuditReader::open(const std::string& path) {
  Result<Connection> db =
      openAuditFile(path, Connection::Mode::ReadOnly, std::chrono::milliseconds(5000));
  if (!db) return db.error();
  return std::unique_ptr<AuditReader>(new AuditReader(std::move(*db)));
}

Result<std::vector<StatementEntry>> AuditReader::readStatements(Statement& stmt, bool with_rows) {
  std::vector<StatementEntry> out;
  for (;;) {
    Result<bool> row = stmt.step();
    if (!row) return row.error();
    if (!*row) break;
    StatementEntry e;
    e.id = stmt.integer(0);
    e.user = stmt.text(1);
    StatementRecord& r = e.record;
    r.session_id = stmt.text(2);
    r.seq = stmt.integer(3);
    r.at = stmt.integer(4);
    r.sql_received = stmt.text(5);
    r.fingerprint = stmt.text(6);
    r.decision = parseDecision(stmt.text(7)).value_or(Decision::Deny);
    Result<std::vector<std::string>> rules = json_.strings(stmt.text(8));
    if (!rules) return rules.error();
    r.rules_fired = std::move(*rules);
    r.reason = stmt.text(9);
    r.sql_forwarded = stmt.text(10);
    Result<std::vector<std::string>> tables = json_.strings(stmt.text(11));
    if (!tables) return tables.error();
    r.tables = std::move(*tables);
    if (stmt.integer(12)) {
      StatementOutcome o;
      o.finished_at = stmt.integer(13);
      o.duration_us = stmt.integer(14);
      o.command_tag = stmt.text(15);
      o.rows = stmt.integer(16);
      o.error_sqlstate = stmt.text(17);
      o.error_message = stmt.text(18);
      if (!stmt.isNull(19)) {
        ResultCapture capture;
        Result<std::vector<std::string>> columns = json_.strings(stmt.text(19));
        if (!columns) return columns.error();
        capture.columns = std::move(*columns);
        capture.truncated = stmt.integer(20) != 0;
        o.result = std::move(capture);
      }
      e.outcome = std::move(o);
    }
    out.push_back(std::move(e));
  }
  stmt.reset();
  if (!with_rows) return out;
  Result<Statement> rows =
      db_.prepare("SELECT cells FROM result_rows WHERE session_id = ? AND seq = ? ORDER BY row_no");
  if (!rows) return rows.error();
  for (StatementEntry& e : out) {
    if (!e.outcome || !e.outcome->result) continue;
    rows->bind(1, e.record.session_id).bind(2, e.record.seq);
    for (;;) {
      Result<bool> row = rows->step();
      if (!row) return row.error();
      if (!*row) break;
      Result<std::vector<std::optional<std::string>>> cells = json_.values(rows->text(0));
      if (!cells) return cells.error();
      e.outcome->result->rows.push_back(std::move(*cells));
    }
    rows->reset();
  }
  return out;
}

Result<std::vector<StatementEntry>> AuditReader::statements(const StatementFilter& f) {
  std::string sql(kStatementQuery);
  sql += R"sql(WHERE (?1 = '' OR s.user = ?1) AND (?2 = '' OR st.decision = ?2)
  AND (?3 IS NULL OR st.at >= ?3) AND (?4 IS NULL OR st.at < ?4)
  AND (?5 = '' OR instr(lower(st.tables), lower(?5)) > 0
               OR instr(lower(st.sql_received), lower(?5)) > 0)
  AND st.id > ?6
ORDER BY st.id DESC LIMIT ?7)sql";
  Result<Statement> stmt = db_.prepare(sql);
  if (!stmt) return stmt.error();
  stmt->bind(1, f.user);
  stmt->bind(2, f.decision ? decisionName(*f.decision) : std::string_view());
  stmt->bind(3, f.since).bind(4, f.until).bind(5, f.table).bind(6, f.after_id);
  stmt->bind(7, f.limit ? static_cast<int64_t>(f.limit) : int64_t{-1});
  Result<std::vector<StatementEntry>> out = readStatements(*stmt, false);
  if (out) std::reverse(out->begin(), out->end());
  return out;
}

Result<std::vector<SessionSummary>> AuditReader::sessions() {
  Result<Statement> stmt = db_.prepare(std::string(kSessionQuery) + " ORDER BY s.started_at");
  if (!stmt) return stmt.error();
  std::vector<SessionSummary> out;
  Status status = forEachRow(*stmt, [&]() -> Status {
    SessionSummary summary;
    SessionRecord& s = summary.session;
    s.id = stmt->text(0);
    s.user = stmt->text(1);
    Result<std::vector<std::string>> groups = json_.strings(stmt->text(2));
    if (!groups) return groups.error();
    s.groups = std::move(*groups);
    s.claims_json = stmt->text(3);
    s.auth_method = stmt->text(4);
    s.client_address = stmt->text(5);
    s.tls_version = stmt->text(6);
    s.application_name = stmt->text(7);
    s.database = stmt->text(8);
    s.started_at = stmt->integer(9);
    s.ended_at = stmt->optionalInteger(10);
    s.end_reason = stmt->text(11);
    summary.statements = stmt->integer(12);
    out.push_back(std::move(summary));
    return Done{};
  });
  if (!status) return status.error();
  return out;
}

Result<Transcript> AuditReader::transcript(std::string_view session_id) {
  Result<std::vector<SessionSummary>> all = sessions();
  if (!all) return all.error();
  std::vector<SessionSummary*> matches;
  for (SessionSummary& s : *all) {
    if (s.session.id == session_id) {
      matches = {&s};
      break;
    }
    if (!session_id.empty() && s.session.id.starts_with(session_id)) matches.push_back(&s);
  }
  if (matches.empty()) {
    return auditError("audit-session-unknown", "no session " + std::string(session_id));
  }
  if (matches.size() > 1) {
    return auditError("audit-session-ambiguous", "session id prefix " + std::string(session_id) +
                                                     " matches " + std::to_string(matches.size()) +
                                                     " sessions");
  }
  Transcript t;
  t.session = std::move(matches.front()->session);
  Result<Statement> stmt =
      db_.prepare(std::string(kStatementQuery) + " WHERE st.session_id = ? ORDER BY st.seq");
  if (!stmt) return stmt.error();
  stmt->bind(1, t.session.id);
  Result<std::vector<StatementEntry>> statements = readStatements(*stmt, true);
  if (!statements) return statements.error();
  t.statements = std::move(*statements);
  return t;
}

}  // namespace sqlwarden::audit
