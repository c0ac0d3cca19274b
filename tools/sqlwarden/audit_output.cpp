#include "audit_output.hpp"

#include <algorithm>
#include <ostream>

#include "audit/time_format.hpp"
#include "json_escape.hpp"

namespace sqlwarden::tools {

namespace {

using audit::Decision;
using audit::formatTime;

/// "2024-05-01 12:00:00": the table view drops the microseconds.
std::string shortTime(audit::Micros t) {
  std::string s = formatTime(t).substr(0, 19);
  s[10] = ' ';
  return s;
}

/// One line, at most `width` bytes (cut on a UTF-8 boundary, marked with "…").
std::string oneLine(std::string_view text, size_t width) {
  std::string s;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !s.empty();
      continue;
    }
    if (space) s += ' ';
    space = false;
    s += c;
  }
  if (s.size() <= width) return s;
  size_t cut = width - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "\u2026";
}

/// Display width: counts UTF-8 characters, not bytes.
size_t displayWidth(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

/// Aligned columns; `paint` colours a cell after it was padded.
struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;

  template <class Paint>
  void print(std::ostream& out, bool header, const Palette& palette, Paint paint) const {
    std::vector<size_t> width(headers.size());
    for (size_t c = 0; c < headers.size(); ++c) width[c] = header ? displayWidth(headers[c]) : 0;
    for (const auto& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], displayWidth(row[c]));
    }
    auto line = [&](const std::vector<std::string>& cells, bool is_header) {
      std::string text;
      for (size_t c = 0; c < cells.size(); ++c) {
        std::string cell = cells[c];
        // The last column is not padded: no trailing blanks.
        if (c + 1 < cells.size()) cell += std::string(width[c] - displayWidth(cell), ' ');
        text += is_header ? palette.bold(cell) : paint(c, cell);
        if (c + 1 < cells.size()) text += "  ";
      }
      // An empty last column leaves blanks behind: no trailing whitespace.
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out << text << '\n';
    };
    if (header) line(headers, true);
    for (const auto& row : rows) line(row, false);
  }
};

std::string csvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void printCsv(std::ostream& out, const Table& table, bool header) {
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) text += (c ? "," : "") + csvField(cells[c]);
    out << text << "\r\n";  // RFC 4180
  };
  if (header) line(table.headers);
  for (const auto& row : table.rows) line(row);
}

std::string jsonArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    appendJsonString(out, items[i]);
  }
  return out + "]";
}

/// A flat JSON object built field by field, in order.
class JsonLine {
 public:
  JsonLine& str(std::string_view key, std::string_view value) {
    keyOf(key);
    appendJsonString(text_, value);
    return *this;
  }
  JsonLine& num(std::string_view key, int64_t value) {
    keyOf(key);
    text_ += std::to_string(value);
    return *this;
  }
  JsonLine& raw(std::string_view key, std::string_view json) {
    keyOf(key);
    text_ += json;
    return *this;
  }
  JsonLine& null(std::string_view key) { return raw(key, "null"); }
  std::string done() { return text_ + "}\n"; }

 private:
  void keyOf(std::string_view key) {
    text_ += text_.size() > 1 ? "," : "";
    appendJsonString(text_, key);
    text_ += ':';
  }
  std::string text_ = "{";
};

std::string decisionCell(Decision d, const std::string& cell, const Palette& p) {
  switch (d) {
    case Decision::Allow:
      return p.green(cell);
    case Decision::Deny:
      return p.red(cell);
    case Decision::Approval:
      return p.yellow(cell);
  }
  return cell;
}

/// "1 record", "2 records".
std::string counted(int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string psqlRowCount(size_t n) {
  return n == 1 ? "(1 row)" : "(" + std::to_string(n) + " rows)";
}

/// psql's aligned format: centred headers, left-aligned values, " | " between.
void printPsqlTable(std::ostream& out, const audit::ResultCapture& result) {
  const size_t columns = result.columns.size();
  std::vector<size_t> width(columns);
  for (size_t c = 0; c < columns; ++c) width[c] = displayWidth(result.columns[c]);
  for (const audit::Row& row : result.rows) {
    for (size_t c = 0; c < columns && c < row.size(); ++c) {
      width[c] = std::max(width[c], displayWidth(row[c].value_or("")));
    }
  }
  std::string head, rule;
  for (size_t c = 0; c < columns; ++c) {
    const size_t pad = width[c] - displayWidth(result.columns[c]);
    head += (c ? "|" : "") + std::string(" ") + std::string(pad / 2, ' ') + result.columns[c] +
            std::string(pad - pad / 2, ' ') + (c + 1 < columns ? " " : "");
    rule += (c ? "+" : "") + std::string(width[c] + 2, '-');
  }
  out << head << '\n' << rule << '\n';
  for (const audit::Row& row : result.rows) {
    std::string line;
    for (size_t c = 0; c < columns; ++c) {
      const std::string cell = c < row.size() ? row[c].value_or("") : "";
      line += (c ? "| " : " ") + cell;
      if (c + 1 < columns) line += std::string(width[c] - displayWidth(cell) + 1, ' ');
    }
    out << line << '\n';
  }
  out << psqlRowCount(result.rows.size());
  if (result.truncated) out << " -- more rows were returned but not recorded";
  out << '\n';
}

}  // namespace

std::string Palette::paint(const std::string& text, const char* ansi) const {
  if (!enabled || text.empty()) return text;
  return std::string("\x1b[") + ansi + "m" + text + "\x1b[0m";
}

void printStatements(std::ostream& out, const std::vector<audit::StatementEntry>& rows,
                     ListFormat format, bool header, const Palette& palette) {
  if (format == ListFormat::Json) {
    for (const audit::StatementEntry& e : rows) {
      const audit::StatementRecord& r = e.record;
      JsonLine line;
      line.num("id", e.id).str("session", r.session_id).num("seq", r.seq);
      line.str("time", formatTime(r.at)).str("user", e.user);
      line.str("decision", audit::decisionName(r.decision)).str("sql", r.sql_received);
      line.str("forwarded", r.sql_forwarded).str("fingerprint", r.fingerprint);
      line.raw("rules", jsonArray(r.rules_fired)).str("reason", r.reason);
      line.raw("tables", jsonArray(r.tables));
      if (e.outcome) {
        line.num("duration_us", e.outcome->duration_us).str("command_tag", e.outcome->command_tag);
        line.num("rows", e.outcome->rows).str("error_sqlstate", e.outcome->error_sqlstate);
        line.str("error_message", e.outcome->error_message);
      } else {
        line.null("duration_us").null("command_tag").null("rows");
        line.null("error_sqlstate").null("error_message");
      }
      out << line.done();
    }
    return;
  }
  Table table;
  if (format == ListFormat::Csv) {
    table.headers = {"id",          "session",     "seq",       "time",           "user",
                     "decision",    "sql",         "forwarded", "rules",          "reason",
                     "duration_us", "command_tag", "rows",      "error_sqlstate", "error_message"};
    for (const audit::StatementEntry& e : rows) {
      const audit::StatementRecord& r = e.record;
      const auto& o = e.outcome;
      table.rows.push_back({std::to_string(e.id), r.session_id, std::to_string(r.seq),
                            formatTime(r.at), e.user, std::string(audit::decisionName(r.decision)),
                            r.sql_received, r.sql_forwarded, join(r.rules_fired, "; "), r.reason,
                            o ? std::to_string(o->duration_us) : "", o ? o->command_tag : "",
                            o ? std::to_string(o->rows) : "", o ? o->error_sqlstate : "",
                            o ? o->error_message : ""});
    }
    printCsv(out, table, header);
    return;
  }
  table.headers = {"ID", "TIME", "USER", "DECISION", "RESULT", "SQL"};
  std::vector<Decision> decisions;
  for (const audit::StatementEntry& e : rows) {
    const audit::StatementRecord& r = e.record;
    std::string result;
    if (e.outcome) {
      result = e.outcome->error_sqlstate.empty() ? e.outcome->command_tag
                                                 : "ERROR " + e.outcome->error_sqlstate;
    }
    std::string sql = oneLine(r.sql_received, 80);
    if (r.decision != Decision::Allow && !r.reason.empty()) sql += "  -- " + oneLine(r.reason, 60);
    table.rows.push_back({std::to_string(e.id), shortTime(r.at), e.user,
                          std::string(audit::decisionName(r.decision)), result, sql});
    decisions.push_back(r.decision);
  }
  size_t row = 0;
  table.print(out, header, palette, [&](size_t column, const std::string& cell) {
    const Decision d = decisions[row];
    if (column + 1 == table.headers.size()) ++row;
    if (column == 3) return decisionCell(d, cell, palette);
    if (column == 1) return palette.dim(cell);
    return cell;
  });
}

void printSessions(std::ostream& out, const std::vector<audit::SessionSummary>& sessions,
                   ListFormat format, const Palette& palette) {
  Table table;
  table.headers = {"ID",      "USER",  "DATABASE",   "APPLICATION", "CLIENT",
                   "STARTED", "ENDED", "STATEMENTS", "END REASON"};
  for (const audit::SessionSummary& s : sessions) {
    const audit::SessionRecord& r = s.session;
    if (format == ListFormat::Json) {
      JsonLine line;
      line.str("id", r.id).str("user", r.user).raw("groups", jsonArray(r.groups));
      line.str("claims", r.claims_json).str("auth_method", r.auth_method);
      line.str("client_address", r.client_address).str("tls_version", r.tls_version);
      line.str("application_name", r.application_name).str("database", r.database);
      line.str("started", formatTime(r.started_at));
      if (r.ended_at) {
        line.str("ended", formatTime(*r.ended_at));
      } else {
        line.null("ended");
      }
      line.str("end_reason", r.end_reason).num("statements", s.statements);
      out << line.done();
      continue;
    }
    table.rows.push_back(
        {r.id, r.user, r.database, r.application_name, r.client_address,
         format == ListFormat::Csv ? formatTime(r.started_at) : shortTime(r.started_at),
         r.ended_at ? (format == ListFormat::Csv ? formatTime(*r.ended_at) : shortTime(*r.ended_at))
                    : "",
         std::to_string(s.statements), r.end_reason});
  }
  if (format == ListFormat::Csv) printCsv(out, table, true);
  if (format == ListFormat::Table) {
    table.print(out, true, palette, [](size_t, const std::string& cell) { return cell; });
  }
}

void printApprovals(std::ostream& out, const std::vector<audit::ApprovalRecord>& approvals,
                    ListFormat format, const Palette& palette) {
  Table table;
  table.headers = {"ID", "STATE", "IDENTITY", "REQUESTED", "EXPIRES", "DECIDED BY", "STATEMENT"};
  for (const audit::ApprovalRecord& a : approvals) {
    if (format == ListFormat::Json) {
      JsonLine line;
      line.num("id", a.id).str("state", audit::approvalStateName(a.state));
      line.str("identity", a.identity).str("fingerprint", a.fingerprint);
      line.str("statement", a.statement).str("requested", formatTime(a.requested_at));
      line.str("expires", formatTime(a.expires_at)).str("decided_by", a.decided_by);
      if (a.decided_at) {
        line.str("decided", formatTime(*a.decided_at));
      } else {
        line.null("decided");
      }
      line.str("reason", a.reason);
      out << line.done();
      continue;
    }
    const bool csv = format == ListFormat::Csv;
    table.rows.push_back({std::to_string(a.id), std::string(audit::approvalStateName(a.state)),
                          a.identity, csv ? formatTime(a.requested_at) : shortTime(a.requested_at),
                          csv ? formatTime(a.expires_at) : shortTime(a.expires_at), a.decided_by,
                          csv ? a.statement : oneLine(a.statement, 80)});
  }
  if (format == ListFormat::Csv) printCsv(out, table, true);
  if (format != ListFormat::Table) return;
  table.print(out, true, palette, [&](size_t column, const std::string& cell) {
    if (column != 1) return cell;
    if (cell.starts_with("approved")) return palette.green(cell);
    if (cell.starts_with("denied")) return palette.red(cell);
    if (cell.starts_with("pending")) return palette.yellow(cell);
    return palette.dim(cell);
  });
}

void printTranscript(std::ostream& out, const audit::Transcript& t, const Palette& palette) {
  const audit::SessionRecord& s = t.session;
  std::vector<std::string> via;
  for (const std::string* part :
       {&s.application_name, &s.client_address, &s.tls_version, &s.auth_method}) {
    if (!part->empty()) via.push_back(*part);
  }
  out << palette.bold("-- session " + s.id + ": " + s.user + "@" + s.database) << " ("
      << join(via, ", ") << ")\n";
  out << "-- groups: " << (s.groups.empty() ? "(none)" : join(s.groups, ", "))
      << "; claims: " << s.claims_json << '\n';
  out << "-- started " << formatTime(s.started_at);
  if (s.ended_at) {
    out << ", ended " << formatTime(*s.ended_at);
    if (!s.end_reason.empty()) out << " (" << s.end_reason << ")";
  } else {
    out << ", not ended";
  }
  out << "\n";

  for (const audit::StatementEntry& e : t.statements) {
    const audit::StatementRecord& r = e.record;
    out << '\n'
        << palette.dim("-- [" + std::to_string(r.seq) + "] " + formatTime(r.at) + " ")
        << decisionCell(r.decision, std::string(audit::decisionName(r.decision)), palette);
    if (e.outcome) {
      char ms[32];
      std::snprintf(ms, sizeof ms, "%.3f ms", static_cast<double>(e.outcome->duration_us) / 1000.0);
      out << palette.dim(std::string(", ") + ms);
    }
    if (!r.rules_fired.empty()) out << palette.dim(", rules: " + join(r.rules_fired, "; "));
    out << '\n';
    out << s.user << "=> " << r.sql_received << '\n';
    if (!r.sql_forwarded.empty() && r.sql_forwarded != r.sql_received) {
      out << palette.dim("-- forwarded as: ") << r.sql_forwarded << '\n';
    }
    if (r.decision == Decision::Deny) {
      out << palette.red("ERROR:") << "  denied by sqlwarden" << (r.reason.empty() ? "" : ": ")
          << r.reason << '\n';
      continue;
    }
    if (r.decision == Decision::Approval) {
      out << palette.yellow("NOTICE:") << "  sent for approval" << (r.reason.empty() ? "" : ": ")
          << r.reason << '\n';
    }
    if (!e.outcome) continue;
    const audit::StatementOutcome& o = *e.outcome;
    if (!o.error_sqlstate.empty() || !o.error_message.empty()) {
      out << palette.red("ERROR:") << "  " << o.error_message;
      if (!o.error_sqlstate.empty()) out << " (SQLSTATE " << o.error_sqlstate << ")";
      out << '\n';
    } else if (o.result) {
      printPsqlTable(out, *o.result);
    } else if (!o.command_tag.empty()) {
      out << o.command_tag << '\n';
    }
  }
}

void printVerifyReport(std::ostream& out, const std::string& file,
                       const audit::VerifyReport& report, const Palette& palette) {
  std::string range = report.records == 0
                          ? "no records"
                          : counted(report.records, "record") + " (chain positions " +
                                std::to_string(report.first_pos) + "-" +
                                std::to_string(report.last_pos) + ")";
  if (report.pruned_pos > 0) range += ", pruned up to " + std::to_string(report.pruned_pos);
  std::string signatures = report.key_given
                               ? counted(report.signatures_verified, "signature") + " verified"
                               : "signatures not checked (no --key)";
  if (report.ok()) {
    out << file << ": " << palette.green("OK") << ": " << range << ", "
        << counted(report.checkpoints, "checkpoint") << ", " << signatures << '\n';
    return;
  }
  const audit::VerifyProblem& first = report.problems.front();
  out << file << ": " << palette.red("FAILED") << ": " << report.problems.size()
      << (report.problems.size() == 1 ? " problem" : " problems")
      << ", the first at chain position " << first.chain_pos << " (" << range << ", "
      << counted(report.checkpoints, "checkpoint") << ", " << signatures << ")\n";
  for (const audit::VerifyProblem& p : report.problems) {
    out << "  position " << p.chain_pos << ": "
        << palette.red(std::string(audit::problemKindName(p.kind))) << ": " << p.record << ": "
        << p.message << '\n';
  }
}

}  // namespace sqlwarden::tools
