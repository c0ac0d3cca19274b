#pragma once
// `sqlwarden audit`, `sqlwarden sessions` and `sqlwarden approvals`: the
// command line over the audit store (src/audit, docs/audit.md).
//
//   sqlwarden audit DB [--user U] [--decision D] [--since T] [--until T]
//                      [--table T] [--limit N] [--format table|json|csv] [--follow]
//   sqlwarden audit verify DB [--key PUBLIC.pem]
//   sqlwarden audit prune DB --before T [--key PRIVATE.pem]
//   sqlwarden sessions DB [--format table|json|csv]
//   sqlwarden sessions show DB ID
//   sqlwarden approvals DB list [--pending] [--format table|json|csv]
//   sqlwarden approvals DB approve ID [--reason R] [--as NAME]
//   sqlwarden approvals DB deny ID [--reason R] [--as NAME]
//
// main.cpp registers them with addAuditCommands() before parsing and hands
// over to runAuditCommands() after.
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace sqlwarden::tools {

/// Everything the three commands were asked, filled in by CLI11.
struct AuditCommands {
  struct {
    std::string db, user, decision, since, until, table, format = "table";
    size_t limit = 0;
    bool follow = false;
  } list;
  struct {
    std::string db, key;
  } verify;
  struct {
    std::string db, before, key;
  } prune;
  struct {
    std::string db, format = "table";
  } sessions;
  struct {
    std::string db, id;
  } show;
  struct {
    std::string db, format = "table", reason, as;
    bool pending = false;
    int64_t id = 0;
  } approvals;

  CLI::App* audit_cmd = nullptr;
  CLI::App* verify_cmd = nullptr;
  CLI::App* prune_cmd = nullptr;
  CLI::App* sessions_cmd = nullptr;
  CLI::App* show_cmd = nullptr;
  CLI::App* approvals_cmd = nullptr;
  CLI::App* list_cmd = nullptr;
  CLI::App* approve_cmd = nullptr;
  CLI::App* deny_cmd = nullptr;
};

/// Adds `audit`, `sessions` and `approvals` to `app`. The returned object
/// receives the parsed arguments: keep it alive until runAuditCommands().
std::unique_ptr<AuditCommands> addAuditCommands(CLI::App& app);

/// Runs whichever of the three commands was given; nullopt when none was.
/// Results go to `out`, errors to `err`. Exit codes (docs/cli.md): kExitOk;
/// kExitInputErrors when verify finds a problem or an approval is refused;
/// kExitUsage for bad arguments or a file that cannot be opened.
std::optional<int> runAuditCommands(const AuditCommands& commands, std::ostream& out,
                                    std::ostream& err);

}  // namespace sqlwarden::tools
