#pragma once
// Checkpoints: the chain head (and the pruned head) at a moment, signed with
// Ed25519 when a key is configured. A checkpoint pins history: rewriting any
// record at or before its position, or removing records after the last
// pruned one up to it, no longer matches the signed hash.
#include <optional>
#include <string>
#include <vector>

#include "audit/chain.hpp"
#include "audit/records.hpp"
#include "audit/signing.hpp"

namespace sqlwarden::audit {

struct Checkpoint {
  int64_t id = 0;
  Micros created_at = 0;
  ChainHead head;          ///< head and pruned head when it was written
  std::string public_key;  ///< raw Ed25519 key; empty when unsigned
  std::string signature;   ///< empty when unsigned
};

/// The bytes a checkpoint's signature covers.
std::string checkpointMessage(const Checkpoint& cp);

/// Writes a checkpoint of `head` (signed when `key` is given). Call inside the
/// WriteTransaction that read `head`, so no record can slip in between.
Result<Checkpoint> writeCheckpoint(Connection& db, const ChainHead& head, const SigningKey* key,
                                   Micros now);

/// Every checkpoint, oldest first.
Result<std::vector<Checkpoint>> readCheckpoints(Connection& db);

}  // namespace sqlwarden::audit
