#pragma once
// A thin RAII layer over the SQLite C API: connections, prepared statements
// and IMMEDIATE transactions, with SQLite's errors turned into Diagnostics.
// sqlite3.h is not included here, so users of the store do not see it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "audit/status.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sqlwarden::audit {

/// Bytes stored as a BLOB (hashes, signatures, keys).
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

/// One SQLite value, with the storage class it has in the file. The hash
/// chain encodes these, so a TEXT '5' and an INTEGER 5 hash differently.
using Value = std::variant<std::monostate, int64_t, std::string, Blob>;

class Statement;

/// An open database file. Move-only; closes on destruction.
class Connection {
 public:
  enum class Mode {
    ReadOnly,   ///< verification: never writes, not even a migration
    ReadWrite,  ///< the file must exist (CLI commands)
    Create,     ///< created when missing (the gateway)
  };

  /// Opens `path` with a busy timeout (other processes may hold the write lock).
  static Result<Connection> open(const std::string& path, Mode mode,
                                 std::chrono::milliseconds busy_timeout);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Runs one or more statements that return no rows.
  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  /// The first column of the first row of `sql` as an integer (0 when no row).
  Result<int64_t> queryInt(std::string_view sql);

  int64_t lastInsertRowid() const;
  int changes() const;
  const std::string& path() const { return path_; }

  /// A Diagnostic from SQLite's last error on this connection.
  Diagnostic lastError(std::string_view doing) const;

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// A prepared statement. Parameters are 1-based, columns 0-based, as in SQLite.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, const Value& value);
  /// Binds without copying: `value` must stay alive and unchanged until
  /// the statement is reset (run() resets it).
  Statement& bindUncopied(int index, const Value& value);
  Statement& bind(int index, int64_t value) { return bind(index, Value(value)); }
  Statement& bind(int index, std::string_view value) {
    return bind(index, Value(std::string(value)));
  }
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bindNull(int index) { return bind(index, Value()); }
  Statement& bind(int index, const std::optional<int64_t>& value) {
    return value ? bind(index, *value) : bindNull(index);
  }

  /// Advances: true when a row is ready, false when done.
  Result<bool> step();
  /// Runs a statement that returns no rows.
  Status run();
  /// Makes the statement ready to run again (bindings are kept).
  void reset();

  int columnCount() const;
  bool isNull(int column) const;
  int64_t integer(int column) const;
  std::string text(int column) const;
  /// The column's bytes whatever its storage class (for hashes and keys).
  std::string bytes(int column) const;
  Value value(int column) const;
  std::optional<int64_t> optionalInteger(int column) const;

 private:
  friend class Connection;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

/// Steps `stmt` to the end, calling `on_row()` at each row; `on_row` may
/// return void or a Status, whose error stops the walk and is returned.
template <class OnRow>
Status forEachRow(Statement& stmt, OnRow on_row) {
  for (;;) {
    Result<bool> row = stmt.step();
    if (!row) return row.error();
    if (!*row) return Done{};
    if constexpr (std::is_void_v<decltype(on_row())>) {
      on_row();
    } else {
      if (Status s = on_row(); !s) {
        stmt.reset();
        return s;
      }
    }
  }
}

/// A write transaction taken with BEGIN IMMEDIATE: the write lock is held
/// from the start, so two processes racing on the same rows are serialised
/// (the loser waits up to the busy timeout) instead of failing at COMMIT.
/// Rolls back on destruction unless commit() succeeded.
class WriteTransaction {
 public:
  static Result<WriteTransaction> begin(Connection& db);
  WriteTransaction(WriteTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  WriteTransaction& operator=(WriteTransaction&&) = delete;
  ~WriteTransaction();
  Status commit();

 private:
  explicit WriteTransaction(Connection& db) : db_(&db) {}
  Connection* db_;
};

}  // namespace sqlwarden::audit
