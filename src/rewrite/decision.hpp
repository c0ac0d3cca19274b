#pragma once
// What the rewrite engine says about one statement: run it (as rewritten),
// refuse it, or hold it for a human. A rejection is a value, not an error.
#include <cstdint>
#include <string>
#include <vector>

namespace sqlwarden::rewrite {

enum class Verdict { Allow, Deny, Approval };

/// "allow", "deny", "approval".
const char* toString(Verdict v);

/// A rule that took part in a decision: which policy, where it is written.
struct FiredRule {
  std::string policy;  ///< policy name; "sqlwarden" for the built-in baseline
  std::string file;    ///< file name as given to the compiler; empty for built-ins
  uint32_t line = 0;
  /// `policy@file:line`, or `sqlwarden@baseline` for built-ins.
  std::string str() const;
  bool operator==(const FiredRule&) const = default;
};

/// The decision for one statement.
struct Decision {
  Verdict verdict = Verdict::Deny;
  std::string kind;  ///< the statement's command tag (SELECT, UPDATE, ...); "" when unparseable
  /// The SQL to forward: the statement's own text, byte for byte, when the
  /// policy changes nothing; otherwise the printed rewrite. Empty on deny.
  std::string sql;
  bool rewritten = false;
  /// Why: for a deny, what is refused ("DROP is not allowed"); for an
  /// approval, what needs one; empty for a plain allow.
  std::string reason;
  std::vector<FiredRule> rules;
  std::string fingerprint;  ///< 16 hex digits (sql::Fingerprint::hex)
  /// The PostgreSQL error to send a client on deny: SQLSTATE (42501, or
  /// 42601 for a syntax error) and the whole message.
  std::string sqlstate;
  std::string message;

  bool allowed() const { return verdict == Verdict::Allow; }
};

}  // namespace sqlwarden::rewrite
