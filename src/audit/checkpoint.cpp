#include "audit/checkpoint.hpp"

#include <array>

namespace sqlwarden::audit {

std::string checkpointMessage(const Checkpoint& cp) {
  const std::array<Value, 5> values = {cp.created_at, cp.head.pos, Blob{cp.head.hash},
                                       cp.head.pruned_pos, Blob{cp.head.pruned_hash}};
  return encodeRecord("checkpoint", values);
}

Result<Checkpoint> writeCheckpoint(Connection& db, const ChainHead& head, const SigningKey* key,
                                   Micros now) {
  Checkpoint cp;
  cp.created_at = now;
  cp.head = head;
  if (key) {
    Result<std::string> sig = key->sign(checkpointMessage(cp));
    if (!sig) return sig.error();
    cp.signature = std::move(*sig);
    cp.public_key = key->publicKeyRaw();
  }
  Result<Statement> stmt = db.prepare(
      "INSERT INTO checkpoints (created_at, head_pos, head_hash, pruned_pos, pruned_hash, "
      "public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind(1, cp.created_at).bind(2, head.pos).bind(3, Blob{head.hash});
  stmt->bind(4, head.pruned_pos).bind(5, Blob{head.pruned_hash});
  if (key) {
    stmt->bind(6, Blob{cp.public_key}).bind(7, Blob{cp.signature});
  } else {
    stmt->bindNull(6).bindNull(7);
  }
  if (Status s = stmt->run(); !s) return s.error();
  cp.id = db.lastInsertRowid();
  return cp;
}

Result<std::vector<Checkpoint>> readCheckpoints(Connection& db) {
  Result<Statement> stmt = db.prepare(
      "SELECT id, created_at, head_pos, head_hash, pruned_pos, pruned_hash, public_key, "
      "signature FROM checkpoints ORDER BY id");
  if (!stmt) return stmt.error();
  std::vector<Checkpoint> out;
  Status s = forEachRow(*stmt, [&] {
    Checkpoint cp;
    cp.id = stmt->integer(0);
    cp.created_at = stmt->integer(1);
    cp.head.pos = stmt->integer(2);
    cp.head.hash = stmt->bytes(3);
    cp.head.pruned_pos = stmt->integer(4);
    cp.head.pruned_hash = stmt->bytes(5);
    cp.public_key = stmt->bytes(6);
    cp.signature = stmt->bytes(7);
    out.push_back(std::move(cp));
  });
  if (!s) return s.error();
  return out;
}

}  // namespace sqlwarden::audit
