#pragma once
// What the audit store records: plain structs in, plain structs out. The
// gateway fills the *Record structs; queries give back the *Entry structs.
// Times are microseconds since the Unix epoch, UTC (time_format.hpp prints them).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlwarden::audit {

/// Microseconds since 1970-01-01T00:00:00Z.
using Micros = int64_t;

/// The current time as Micros.
Micros nowMicros();

/// One client connection, as authenticated.
struct SessionRecord {
  std::string id;  ///< assigned by AuditStore::beginSession; ignored on input
  std::string user;
  std::vector<std::string> groups;
  std::string claims_json = "{}";  ///< the claims the policy used, as a JSON object
  std::string auth_method;         ///< "scram-sha-256", "jwt", "cert", ...
  std::string client_address;      ///< "10.0.0.7:51234"
  std::string tls_version;         ///< "TLSv1.3"; empty without TLS
  std::string application_name;
  std::string database;
  Micros started_at = 0;  ///< 0: the store uses the current time
  // Filled in by queries once the session has ended:
  std::optional<Micros> ended_at;
  std::string end_reason;
};

/// What the policy engine decided about a statement.
enum class Decision {
  Allow,     ///< forwarded (possibly rewritten)
  Deny,      ///< refused; never reached the database
  Approval,  ///< sent to a human (see approvals.hpp)
};

std::string_view decisionName(Decision d);  ///< "allow", "deny", "approval"
std::optional<Decision> parseDecision(std::string_view name);

/// A statement as decided, recorded before it is forwarded.
struct StatementRecord {
  std::string session_id;
  int64_t seq = 0;  ///< 1, 2, ... within the session; assigned by the store
  Micros at = 0;    ///< 0: the store uses the current time
  std::string sql_received;
  std::string fingerprint;
  Decision decision = Decision::Allow;
  std::vector<std::string> rules_fired;  ///< "policy name (file:line)", in firing order
  std::string reason;                    ///< why, for a deny or an approval
  std::string sql_forwarded;             ///< empty when nothing was forwarded
  std::vector<std::string> tables;       ///< tables the statement names, for `audit --table`
};

/// Identifies a recorded statement: what appendStatement returns and
/// completeStatement takes.
struct StatementRef {
  std::string session_id;
  int64_t seq = 0;
};

/// Caps on recorded result rows, per statement.
struct ResultLimits {
  size_t max_rows = 100;
  size_t max_bytes = 64 * 1024;  ///< sum of the cell values' sizes
};

using Row = std::vector<std::optional<std::string>>;  ///< nullopt is SQL NULL

/// The rows a client received for one statement (already masked), capped.
struct ResultCapture {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  bool truncated = false;  ///< rows were left out because of the caps
  size_t bytes = 0;        ///< sum of the kept cells' sizes
};

/// Adds `row` to `capture` unless a cap is reached; then sets `truncated`
/// and returns false (the gateway can stop copying rows for this statement).
bool addResultRow(ResultCapture& capture, Row row, const ResultLimits& limits);

/// What happened once a forwarded statement finished (or failed).
struct StatementOutcome {
  Micros finished_at = 0;  ///< 0: the store uses the current time
  int64_t duration_us = 0;
  std::string command_tag;  ///< "SELECT 3", "UPDATE 1", ...
  int64_t rows = 0;         ///< returned or affected
  std::string error_sqlstate;
  std::string error_message;
  std::optional<ResultCapture> result;  ///< only when result recording is on
};

/// A statement record with everything known about it, as queries return it.
struct StatementEntry {
  int64_t id = 0;  ///< the statements table's row id (stable, increasing)
  std::string user;
  StatementRecord record;
  std::optional<StatementOutcome> outcome;
};

/// A session with all its statements, oldest first.
struct Transcript {
  SessionRecord session;
  std::vector<StatementEntry> statements;
};

/// The life of an approval request.
enum class ApprovalState {
  Pending,   ///< waiting for an approver
  Approved,  ///< may be consumed once before it expires
  Denied,
  Expired,  ///< its lifetime ended before it was decided or used
  Used,     ///< the approved statement ran; cannot be used again
};

std::string_view approvalStateName(ApprovalState s);  ///< "pending", ...
std::optional<ApprovalState> parseApprovalState(std::string_view name);

/// One approval request and where it stands.
struct ApprovalRecord {
  int64_t id = 0;
  std::string identity;  ///< who asked (the session's user)
  std::string fingerprint;
  std::string statement;  ///< the SQL as received
  Micros requested_at = 0;
  Micros expires_at = 0;
  ApprovalState state = ApprovalState::Pending;
  std::string decided_by;
  std::optional<Micros> decided_at;
  std::string reason;
  std::optional<Micros> used_at;
};

}  // namespace sqlwarden::audit
