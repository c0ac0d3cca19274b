#include "audit/chain.hpp"

#include <openssl/evp.h>

#include <array>
#include <cassert>

namespace sqlwarden::audit {

namespace {

using namespace std::string_view_literals;

constexpr std::array kSessionColumns = {
    "id"sv,          "user"sv,           "groups"sv,      "claims"sv,
    "auth_method"sv, "client_address"sv, "tls_version"sv, "application_name"sv,
    "database"sv,    "started_at"sv};
constexpr std::array kSessionEndColumns = {"session_id"sv, "ended_at"sv, "end_reason"sv};
constexpr std::array kStatementColumns = {
    "session_id"sv, "seq"sv,   "at"sv,     "sql_received"sv,  "fingerprint"sv,
    "decision"sv,   "rules"sv, "reason"sv, "sql_forwarded"sv, "tables"sv};
constexpr std::array kOutcomeColumns = {
    "session_id"sv,     "seq"sv,         "finished_at"sv,      "duration_us"sv,
    "command_tag"sv,    "rows"sv,        "error_sqlstate"sv,   "error_message"sv,
    "result_columns"sv, "result_rows"sv, "result_truncated"sv, "result_digest"sv};
constexpr std::array kApprovalEventColumns = {"approval_id"sv, "at"sv,         "event"sv,
                                              "actor"sv,       "identity"sv,   "fingerprint"sv,
                                              "statement"sv,   "expires_at"sv, "reason"sv};

const ChainedTable kTables[] = {
    {"sessions", "session", kSessionColumns, "'session ' || id"},
    {"session_ends", "session-end", kSessionEndColumns, "'end of session ' || session_id"},
    {"statements", "statement", kStatementColumns,
     "'statement ' || id || ' (session ' || session_id || ' seq ' || seq || ')'"},
    {"statement_outcomes", "outcome", kOutcomeColumns,
     "'outcome of session ' || session_id || ' seq ' || seq"},
    {"approval_events", "approval-event", kApprovalEventColumns,
     "'approval ' || approval_id || ' event ' || id || ' (' || event || ')'"},
};

void appendU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

void appendBytes(std::string& out, char tag, std::string_view bytes) {
  out.push_back(tag);
  appendU64(out, bytes.size());
  out.append(bytes);
}

void appendValue(std::string& out, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    out.push_back('N');
  } else if (const int64_t* i = std::get_if<int64_t>(&v)) {
    out.push_back('I');
    appendU64(out, static_cast<uint64_t>(*i));
  } else if (const std::string* s = std::get_if<std::string>(&v)) {
    appendBytes(out, 'T', *s);
  } else {
    appendBytes(out, 'B', std::get<Blob>(v).bytes);
  }
}

}  // namespace

std::string sha256(std::string_view data) {
  // Fetched once: EVP_sha256() looks the implementation up (under a lock)
  // on every use.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::string out(kHashSize, '\0');
  unsigned int size = 0;
  // EVP_Digest with SHA-256 cannot fail short of memory exhaustion.
  EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &size,
             md ? md : EVP_sha256(), nullptr);
  return out;
}

std::string toHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string encodeRecord(std::string_view kind, std::span<const Value> values) {
  std::string out = "sqlwarden-audit-v1";
  appendBytes(out, 'K', kind);
  appendU64(out, values.size());
  for (const Value& v : values) appendValue(out, v);
  return out;
}

std::string chainHash(std::string_view kind, std::span<const Value> values,
                      std::string_view prev_hash) {
  std::string data = encodeRecord(kind, values);
  data.append(prev_hash);
  return sha256(data);
}

std::string resultDigest(std::span<const std::string> row_cells) {
  std::string data = "sqlwarden-result-rows-v1";
  appendU64(data, row_cells.size());
  for (const std::string& row : row_cells) appendBytes(data, 'T', row);
  return sha256(data);
}

std::span<const ChainedTable> chainedTables() {
  return kTables;
}

const ChainedTable& chainedTable(std::string_view name) {
  for (const ChainedTable& t : kTables) {
    if (t.table == name) return t;
  }
  assert(false && "not a chained table");
  return kTables[0];
}

namespace {

constexpr std::string_view kReadHead =
    "SELECT head_pos, head_hash, pruned_pos, pruned_hash FROM chain_head WHERE id = 1";
constexpr std::string_view kWriteHead =
    "UPDATE chain_head SET head_pos = ?, head_hash = ?, pruned_pos = ?, pruned_hash = ? "
    "WHERE id = 1";

Result<ChainHead> readHeadWith(Connection& db, Statement& stmt) {
  Result<bool> row = stmt.step();
  if (!row) return row.error();
  if (!*row) {
    stmt.reset();
    return auditError("audit-chain", "the chain head is missing in " + db.path());
  }
  ChainHead head;
  head.pos = stmt.integer(0);
  head.hash = stmt.bytes(1);
  head.pruned_pos = stmt.integer(2);
  head.pruned_hash = stmt.bytes(3);
  stmt.reset();
  return head;
}

Status writeHeadWith(Statement& stmt, const ChainHead& head) {
  stmt.bind(1, head.pos).bind(2, Blob{head.hash}).bind(3, head.pruned_pos);
  stmt.bind(4, Blob{head.pruned_hash});
  return stmt.run();
}

}  // namespace

Result<ChainHead> readChainHead(Connection& db) {
  Result<Statement> stmt = db.prepare(kReadHead);
  if (!stmt) return stmt.error();
  return readHeadWith(db, *stmt);
}

Status writeChainHead(Connection& db, const ChainHead& head) {
  Result<Statement> stmt = db.prepare(kWriteHead);
  if (!stmt) return stmt.error();
  return writeHeadWith(*stmt, head);
}

Result<ChainHead> ChainAppender::readHead() {
  if (!read_head_) {
    Result<Statement> stmt = db_.prepare(kReadHead);
    if (!stmt) return stmt.error();
    read_head_.emplace(std::move(*stmt));
  }
  return readHeadWith(db_, *read_head_);
}

Status ChainAppender::writeHead(const ChainHead& head) {
  if (!write_head_) {
    Result<Statement> stmt = db_.prepare(kWriteHead);
    if (!stmt) return stmt.error();
    write_head_.emplace(std::move(*stmt));
  }
  return writeHeadWith(*write_head_, head);
}

Status ChainAppender::append(const ChainedTable& table, std::span<const Value> values,
                             ChainHead& head) {
  assert(values.size() == table.columns.size());
  auto it = inserts_.find(table.table);
  if (it == inserts_.end()) {
    std::string sql = "INSERT INTO " + std::string(table.table) + " (";
    for (std::string_view c : table.columns) sql += std::string(c) + ", ";
    sql += "chain_pos, prev_hash, hash) VALUES (";
    for (size_t i = 0; i < table.columns.size() + 3; ++i) sql += i ? ", ?" : "?";
    sql += ")";
    Result<Statement> stmt = db_.prepare(sql);
    if (!stmt) return stmt.error();
    it = inserts_.emplace(table.table, std::move(*stmt)).first;
  }
  Statement& insert = it->second;
  // Bound without copies: everything bound lives until run() returns.
  int index = 1;
  for (const Value& v : values) insert.bindUncopied(index++, v);
  Value prev = Blob{std::move(head.hash)};
  Value hash = Blob{chainHash(table.kind, values, std::get<Blob>(prev).bytes)};
  insert.bind(index++, head.pos + 1);
  insert.bindUncopied(index++, prev);
  insert.bindUncopied(index++, hash);
  Status s = insert.run();
  if (!s) {
    head.hash = std::move(std::get<Blob>(prev).bytes);
    return s;
  }
  head.pos += 1;
  head.hash = std::move(std::get<Blob>(hash).bytes);
  return Done{};
}

}  // namespace sqlwarden::audit
