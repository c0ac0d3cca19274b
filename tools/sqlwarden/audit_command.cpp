#include "audit_command.hpp"

#include <pwd.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "audit/approvals.hpp"
#include "audit/prune.hpp"
#include "audit/reader.hpp"
#include "audit/signing.hpp"
#include "audit/time_format.hpp"
#include "audit/verify.hpp"
#include "audit_output.hpp"
#include "parse_command.hpp"

namespace sqlwarden::tools {

namespace {

const std::vector<std::string> kFormats = {"table", "json", "csv"};

ListFormat listFormat(const std::string& name) {
  if (name == "json") return ListFormat::Json;
  if (name == "csv") return ListFormat::Csv;
  return ListFormat::Table;
}

/// Colour only when writing to a terminal, and not when NO_COLOR is set.
Palette paletteFor(std::ostream& out) {
  return Palette{&out == &std::cout && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR")};
}

int fail(std::ostream& err, const std::string& command, const Diagnostic& d, int code) {
  err << "sqlwarden " << command << ": " << d.message << '\n';
  return code;
}

std::optional<audit::Micros> timeOption(const std::string& text, const std::string& option,
                                        std::ostream& err) {
  std::optional<audit::Micros> t = audit::parseTime(text, audit::nowMicros());
  if (!t) {
    err << "sqlwarden audit: " << option << " " << text
        << ": expected a date (2024-05-01), a time (2024-05-01T12:00:00Z) or an age (7d, 12h)\n";
  }
  return t;
}

volatile std::sig_atomic_t g_stop_following = 0;

int runList(const AuditCommands& c, std::ostream& out, std::ostream& err) {
  const auto& o = c.list;
  if (o.db.empty()) {
    err << "sqlwarden audit: the audit file is required (sqlwarden audit DB, see --help)\n";
    return kExitUsage;
  }
  audit::StatementFilter filter;
  filter.user = o.user;
  filter.table = o.table;
  filter.limit = o.limit;
  if (!o.decision.empty()) filter.decision = audit::parseDecision(o.decision);
  if (!o.since.empty() && !(filter.since = timeOption(o.since, "--since", err))) return kExitUsage;
  if (!o.until.empty() && !(filter.until = timeOption(o.until, "--until", err))) return kExitUsage;

  Result<std::unique_ptr<audit::AuditReader>> reader = audit::AuditReader::open(o.db);
  if (!reader) return fail(err, "audit", reader.error(), kExitUsage);
  const ListFormat format = listFormat(o.format);
  const Palette palette = paletteFor(out);
  bool header = true;
  // --follow: poll for records with higher ids until interrupted.
  if (o.follow) {
    std::signal(SIGINT, [](int) { g_stop_following = 1; });
    std::signal(SIGTERM, [](int) { g_stop_following = 1; });
  }
  for (;;) {
    Result<std::vector<audit::StatementEntry>> rows = (*reader)->statements(filter);
    if (!rows) return fail(err, "audit", rows.error(), kExitUsage);
    if (!rows->empty() || header) {
      printStatements(out, *rows, format, header, palette);
      out.flush();
      header = false;
    }
    if (!rows->empty()) filter.after_id = rows->back().id;
    filter.limit = 0;
    if (!o.follow) return kExitOk;
    for (int i = 0; i < 5 && !g_stop_following; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (g_stop_following) return kExitOk;
  }
}

int runVerify(const AuditCommands& c, std::ostream& out, std::ostream& err) {
  std::optional<audit::VerifyKey> key;
  if (!c.verify.key.empty()) {
    Result<audit::VerifyKey> loaded = audit::VerifyKey::loadPem(c.verify.key);
    if (!loaded) return fail(err, "audit verify", loaded.error(), kExitUsage);
    key.emplace(std::move(*loaded));
  }
  Result<audit::VerifyReport> report = audit::verifyAuditFile(c.verify.db, key ? &*key : nullptr);
  if (!report) return fail(err, "audit verify", report.error(), kExitUsage);
  printVerifyReport(out, c.verify.db, *report, paletteFor(out));
  return report->ok() ? kExitOk : kExitInputErrors;
}

int runPrune(const AuditCommands& c, std::ostream& out, std::ostream& err) {
  std::optional<audit::Micros> before = timeOption(c.prune.before, "--before", err);
  if (!before) return kExitUsage;
  std::optional<audit::SigningKey> key;
  if (!c.prune.key.empty()) {
    Result<audit::SigningKey> loaded = audit::SigningKey::loadPem(c.prune.key);
    if (!loaded) return fail(err, "audit prune", loaded.error(), kExitUsage);
    key.emplace(std::move(*loaded));
  }
  Result<audit::PruneReport> report =
      audit::pruneAuditFile(c.prune.db, *before, key ? &*key : nullptr);
  if (!report) return fail(err, "audit prune", report.error(), kExitUsage);
  out << c.prune.db << ": removed " << report->removed
      << (report->removed == 1 ? " record" : " records") << "; records up to chain position "
      << report->pruned_pos << " are pruned; checkpoint " << report->checkpoint.id << " written ("
      << (key ? "signed" : "unsigned: pass --key to sign it") << ")\n";
  return kExitOk;
}

int runSessions(const AuditCommands& c, std::ostream& out, std::ostream& err) {
  if (c.sessions.db.empty()) {
    err << "sqlwarden sessions: the audit file is required (sqlwarden sessions DB, see --help)\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<audit::AuditReader>> reader = audit::AuditReader::open(c.sessions.db);
  if (!reader) return fail(err, "sessions", reader.error(), kExitUsage);
  Result<std::vector<audit::SessionSummary>> sessions = (*reader)->sessions();
  if (!sessions) return fail(err, "sessions", sessions.error(), kExitUsage);
  printSessions(out, *sessions, listFormat(c.sessions.format), paletteFor(out));
  return kExitOk;
}

int runShow(const AuditCommands& c, std::ostream& out, std::ostream& err) {
  Result<std::unique_ptr<audit::AuditReader>> reader = audit::AuditReader::open(c.show.db);
  if (!reader) return fail(err, "sessions show", reader.error(), kExitUsage);
  Result<audit::Transcript> transcript = (*reader)->transcript(c.show.id);
  if (!transcript) return fail(err, "sessions show", transcript.error(), kExitInputErrors);
  printTranscript(out, *transcript, paletteFor(out));
  return kExitOk;
}

/// The approver: --as, else the login name of the user running the command.
std::string approverName(const std::string& as) {
  if (!as.empty()) return as;
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  return "";
}

int runApprovals(const AuditCommands& c, std::ostream& out, std::ostream& err) {
  const auto& o = c.approvals;
  if (o.db.empty() || !(*c.list_cmd || *c.approve_cmd || *c.deny_cmd)) {
    err << "sqlwarden approvals: expected DB list|approve ID|deny ID (see --help)\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<audit::ApprovalBook>> book =
      audit::ApprovalBook::open(o.db, audit::Connection::Mode::ReadWrite);
  if (!book) return fail(err, "approvals", book.error(), kExitUsage);
  if (*c.list_cmd) {
    Result<std::vector<audit::ApprovalRecord>> list = (*book)->list(o.pending);
    if (!list) return fail(err, "approvals", list.error(), kExitUsage);
    printApprovals(out, *list, listFormat(o.format), paletteFor(out));
    return kExitOk;
  }
  const bool approve = c.approve_cmd->parsed();
  const std::string approver = approverName(o.as);
  Result<audit::ApprovalRecord> decided = approve ? (*book)->approve(o.id, approver, o.reason)
                                                  : (*book)->deny(o.id, approver, o.reason);
  if (!decided)
    return fail(err, approve ? "approvals approve" : "approvals deny", decided.error(),
                kExitInputErrors);
  out << "approval request " << decided->id << " " << audit::approvalStateName(decided->state)
      << " by " << decided->decided_by << ": " << decided->identity << " may "
      << (approve ? "run it once until " + audit::formatTime(decided->expires_at) : "not run it")
      << '\n';
  return kExitOk;
}

void addFormat(CLI::App* cmd, std::string& format) {
  cmd->add_option("--format", format, "Output format: aligned table, JSON lines or CSV")
      ->check(CLI::IsMember(kFormats))
      ->capture_default_str();
}

}  // namespace

std::unique_ptr<AuditCommands> addAuditCommands(CLI::App& app) {
  auto c = std::make_unique<AuditCommands>();

  c->audit_cmd = app.add_subcommand(
      "audit", "List recorded statements; verify or prune the audit file (docs/audit.md)");
  c->audit_cmd->require_subcommand(0, 1);
  c->audit_cmd->add_option("db", c->list.db, "The audit file (SQLite)");
  c->audit_cmd->add_option("--user", c->list.user, "Only statements of this user");
  c->audit_cmd->add_option("--decision", c->list.decision, "Only this decision")
      ->check(CLI::IsMember({"allow", "deny", "approval"}));
  c->audit_cmd->add_option(
      "--since", c->list.since,
      "From this time on (2024-05-01, 2024-05-01T12:00:00Z, or an age: 7d, 2h)");
  c->audit_cmd->add_option("--until", c->list.until, "Before this time (same forms as --since)");
  c->audit_cmd->add_option("--table", c->list.table,
                           "Only statements naming a table that contains this text (any case)");
  c->audit_cmd->add_option("--limit", c->list.limit, "Only the newest N statements");
  addFormat(c->audit_cmd, c->list.format);
  c->audit_cmd->add_flag("--follow,-f", c->list.follow,
                         "Keep printing new statements as they are recorded (Ctrl-C stops)");

  c->verify_cmd = c->audit_cmd->add_subcommand(
      "verify", "Check the hash chain, the checkpoints and their signatures");
  c->verify_cmd->add_option("db", c->verify.db, "The audit file")->required();
  c->verify_cmd->add_option("--key", c->verify.key,
                            "Ed25519 public key (PEM) that must have signed every checkpoint");

  c->prune_cmd = c->audit_cmd->add_subcommand(
      "prune", "Remove records older than a date, keeping the rest verifiable");
  c->prune_cmd->add_option("db", c->prune.db, "The audit file")->required();
  c->prune_cmd->add_option("--before", c->prune.before, "Remove records before this time")
      ->required();
  c->prune_cmd->add_option("--key", c->prune.key,
                           "Ed25519 private key (PEM) to sign the prune's checkpoint");

  c->sessions_cmd = app.add_subcommand("sessions", "List recorded sessions, or replay one");
  c->sessions_cmd->require_subcommand(0, 1);
  c->sessions_cmd->add_option("db", c->sessions.db, "The audit file");
  addFormat(c->sessions_cmd, c->sessions.format);
  c->show_cmd = c->sessions_cmd->add_subcommand(
      "show", "Replay a session: statements, what was forwarded, decisions, result rows");
  c->show_cmd->add_option("db", c->show.db, "The audit file")->required();
  c->show_cmd->add_option("id", c->show.id, "Session id, or a unique prefix of it")->required();

  c->approvals_cmd =
      app.add_subcommand("approvals", "List, approve or deny statements waiting for approval");
  c->approvals_cmd->require_subcommand(0, 1);
  c->approvals_cmd->add_option("db", c->approvals.db, "The audit file");
  c->list_cmd = c->approvals_cmd->add_subcommand("list", "List approval requests, newest first");
  c->list_cmd->add_flag("--pending", c->approvals.pending, "Only those waiting for a decision");
  addFormat(c->list_cmd, c->approvals.format);
  for (bool approve : {true, false}) {
    CLI::App* cmd = c->approvals_cmd->add_subcommand(
        approve ? "approve" : "deny",
        approve ? "Approve a pending request: its identity may run the statement once"
                : "Deny a pending request");
    cmd->add_option("id", c->approvals.id, "The request id")->required();
    cmd->add_option("--reason", c->approvals.reason, "Why (recorded with the decision)");
    cmd->add_option("--as", c->approvals.as,
                    "Approver name to record (default: the login name running this command)");
    (approve ? c->approve_cmd : c->deny_cmd) = cmd;
  }
  return c;
}

std::optional<int> runAuditCommands(const AuditCommands& c, std::ostream& out, std::ostream& err) {
  if (*c.verify_cmd) return runVerify(c, out, err);
  if (*c.prune_cmd) return runPrune(c, out, err);
  if (*c.audit_cmd) return runList(c, out, err);
  if (*c.show_cmd) return runShow(c, out, err);
  if (*c.sessions_cmd) return runSessions(c, out, err);
  if (*c.approvals_cmd) return runApprovals(c, out, err);
  return std::nullopt;
}

}  // namespace sqlwarden::tools
