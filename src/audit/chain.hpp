#pragma once
// The hash chain. Every chained record (session start and end, statement,
// statement outcome, approval event) has a global chain position and
//
//     hash = SHA-256(encode(kind, content columns) || prev_hash)
//
// where prev_hash is the hash of the record at the position before it
// (32 zero bytes for the first). The encoding is over the values exactly as
// stored, so verify.cpp recomputes it from the file with the same code.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/sqlite.hpp"

namespace sqlwarden::audit {

inline constexpr size_t kHashSize = 32;

/// SHA-256 of `data` (32 raw bytes).
std::string sha256(std::string_view data);

/// Lowercase hex of raw bytes.
std::string toHex(std::string_view bytes);

/// The canonical encoding: the kind, then each value as a type tag and a
/// length-prefixed body (big-endian), so no two different records encode
/// the same way.
std::string encodeRecord(std::string_view kind, std::span<const Value> values);

/// SHA-256(encodeRecord(kind, values) || prev_hash).
std::string chainHash(std::string_view kind, std::span<const Value> values,
                      std::string_view prev_hash);

/// Digest of a statement's recorded result rows (their JSON texts, in order);
/// stored in statement_outcomes.result_digest, which the chain covers.
std::string resultDigest(std::span<const std::string> row_cells);

/// A table whose rows are links of the chain.
struct ChainedTable {
  std::string_view table;  ///< SQL table name
  std::string_view kind;   ///< hashed first, so equal columns in two tables differ
  std::span<const std::string_view> columns;  ///< content columns, in hash order
  std::string_view label;                     ///< SQL expression naming a row in reports
};

/// Every chained table, in no particular order.
std::span<const ChainedTable> chainedTables();
/// The table called `name`; it must be one of chainedTables().
const ChainedTable& chainedTable(std::string_view name);

/// The newest link (chain_head row). pos 0 means an empty chain.
struct ChainHead {
  int64_t pos = 0;
  std::string hash = std::string(kHashSize, '\0');
  int64_t pruned_pos = 0;
  std::string pruned_hash = std::string(kHashSize, '\0');
};

/// Reads the chain head. Call inside a WriteTransaction when appending:
/// another process may have appended since this one last looked.
Result<ChainHead> readChainHead(Connection& db);
/// Stores `head` (inside the same transaction as the records).
Status writeChainHead(Connection& db, const ChainHead& head);

/// Appends records to the chain on one connection, inside a transaction the
/// caller holds. Keeps one prepared INSERT per table.
class ChainAppender {
 public:
  explicit ChainAppender(Connection& db) : db_(db) {}

  /// Inserts `values` (the table's content columns, in order) as the link
  /// after `head`, and advances `head` to it.
  Status append(const ChainedTable& table, std::span<const Value> values, ChainHead& head);

  /// readChainHead and writeChainHead, with statements prepared once.
  Result<ChainHead> readHead();
  Status writeHead(const ChainHead& head);

 private:
  Connection& db_;
  std::map<std::string_view, Statement> inserts_;
  std::optional<Statement> read_head_, write_head_;
};

}  // namespace sqlwarden::audit
