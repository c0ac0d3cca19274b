#pragma once
// `sqlwarden audit prune --before DATE`: removes old records without
// breaking verification. Only a prefix of the chain can go: everything up to
// the last position before the first record at or after DATE (and before any
// approval that is still pending or approved). The chain head row then names
// the last pruned record and its hash, and a checkpoint (signed when a key is
// given) records that pruned head, so verify starts from it.
#include <string>

#include "audit/checkpoint.hpp"
#include "audit/records.hpp"
#include "audit/signing.hpp"

namespace sqlwarden::audit {

struct PruneReport {
  int64_t pruned_pos = 0;  ///< records up to this chain position are gone
  int64_t removed = 0;     ///< chained records removed by this prune
  Checkpoint checkpoint;   ///< the checkpoint written for it
};

/// Removes the records older than `before` from the file at `path`.
Result<PruneReport> pruneAuditFile(const std::string& path, Micros before,
                                   const SigningKey* key = nullptr);

}  // namespace sqlwarden::audit
