#pragma once
// `sqlwarden audit verify`: recomputes the hash chain from the file and
// checks it against the chain head, the checkpoints and their signatures.
//
// What it can prove: without a key, that the records form an unbroken chain
// (an edit, a deletion, an insertion or a reorder that was not followed by
// recomputing every later hash is found). With the public key, also that no
// record up to the last signed checkpoint was changed, removed or added even
// by someone who recomputed hashes, and that nothing the checkpoint covers
// was cut off the end. Records after the last checkpoint can be rewritten or
// truncated undetectably by someone with write access: checkpoint often.
#include <cstdint>
#include <string>
#include <vector>

#include "audit/records.hpp"
#include "audit/signing.hpp"
#include "audit/sqlite.hpp"

namespace sqlwarden::audit {

enum class ProblemKind {
  Edited,         ///< a record's content no longer matches its hash
  Missing,        ///< chain positions with no record (deleted)
  Duplicate,      ///< two records claim one position (inserted)
  BrokenLink,     ///< a record does not follow the one before it (inserted, deleted, reordered)
  Truncated,      ///< records the head or a checkpoint vouches for are gone
  Rewritten,      ///< history a checkpoint covers no longer has the checkpointed hash
  BadSignature,   ///< a checkpoint's signature does not verify (or another key signed it)
  Unsigned,       ///< a key was given but a checkpoint is not signed
  StateMismatch,  ///< the approvals table disagrees with its chained events
};

std::string_view problemKindName(ProblemKind k);  ///< "edited", "missing", ...

struct VerifyProblem {
  ProblemKind kind;
  int64_t chain_pos = 0;  ///< where (0 when not about one position)
  std::string record;     ///< which record, e.g. "statement 12 (session 3fa0... seq 4)"
  std::string message;
};

struct VerifyReport {
  int64_t records = 0;     ///< chained records checked
  int64_t first_pos = 0;   ///< first position checked (after the pruned head)
  int64_t last_pos = 0;    ///< last position found
  int64_t pruned_pos = 0;  ///< records up to here were pruned
  int64_t checkpoints = 0;
  int64_t signatures_verified = 0;
  bool key_given = false;
  std::vector<VerifyProblem> problems;  ///< in chain order; the first is where it broke

  bool ok() const { return problems.empty(); }
};

/// Verifies the file at `path` (opened read-only). `key`, when given, must
/// have signed every checkpoint. An error only when the file cannot be read.
Result<VerifyReport> verifyAuditFile(const std::string& path, const VerifyKey* key = nullptr);

/// The same on an open connection.
Result<VerifyReport> verifyAudit(Connection& db, const VerifyKey* key);

}  // namespace sqlwarden::audit
