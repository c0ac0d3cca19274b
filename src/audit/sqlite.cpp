#include "audit/sqlite.hpp"

#include <sqlite3.h>

#include <thread>

namespace sqlwarden::audit {

namespace {

Diagnostic sqliteError(sqlite3* db, std::string_view doing) {
  std::string message(doing);
  message += ": ";
  message += db ? sqlite3_errmsg(db) : "out of memory";
  const int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
  // Busy means another process held the write lock past the busy timeout.
  return auditError(code == SQLITE_BUSY || code == SQLITE_LOCKED ? "audit-busy" : "audit-sqlite",
                    std::move(message));
}

}  // namespace

Result<Connection> Connection::open(const std::string& path, Mode mode,
                                    std::chrono::milliseconds busy_timeout) {
  // SQLite keeps memory statistics behind one process-wide mutex taken on
  // every allocation; nothing here reads them. This must run before SQLite
  // initializes (it is refused harmlessly afterwards).
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  // A Connection is used by one thread at a time (the store's writer, or a
  // caller that serializes its calls): SQLite's own per-call mutex is waste.
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::ReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case Mode::ReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case Mode::Create:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Diagnostic d = auditError("audit-open", "cannot open audit file " + path + ": " +
                                                (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return d;
  }
  sqlite3_extended_result_codes(db, 0);
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  return Connection(db, path);
}

Connection::Connection(Connection&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)) {
  other.db_ = nullptr;
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = other.db_;
    path_ = std::move(other.path_);
    other.db_ = nullptr;
  }
  return *this;
}

Connection::~Connection() {
  sqlite3_close(db_);
}

Status Connection::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    return lastError("cannot run \"" + text.substr(0, 60) + "\"");
  }
  return Done{};
}

Result<Statement> Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return lastError("cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"");
  }
  return Statement(stmt, db_);
}

Result<int64_t> Connection::queryInt(std::string_view sql) {
  Result<Statement> stmt = prepare(sql);
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->step();
  if (!row) return row.error();
  return *row ? stmt->integer(0) : int64_t{0};
}

int64_t Connection::lastInsertRowid() const {
  return sqlite3_last_insert_rowid(db_);
}
int Connection::changes() const {
  return sqlite3_changes(db_);
}

Diagnostic Connection::lastError(std::string_view doing) const {
  return sqliteError(db_, std::string(doing) + " in " + path_);
}

Statement::Statement(Statement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    db_ = other.db_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

namespace {
void bindValue(sqlite3_stmt* stmt, int index, const Value& value, sqlite3_destructor_type copy) {
  // Bind errors (index out of range) are programmer errors and resurface at step().
  if (std::holds_alternative<std::monostate>(value)) {
    sqlite3_bind_null(stmt, index);
  } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
    sqlite3_bind_int64(stmt, index, *i);
  } else if (const std::string* s = std::get_if<std::string>(&value)) {
    sqlite3_bind_text64(stmt, index, s->data(), s->size(), copy, SQLITE_UTF8);
  } else {
    const std::string& b = std::get<Blob>(value).bytes;
    sqlite3_bind_blob64(stmt, index, b.data(), b.size(), copy);
  }
}
}  // namespace

Statement& Statement::bind(int index, const Value& value) {
  bindValue(stmt_, index, value, SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bindUncopied(int index, const Value& value) {
  bindValue(stmt_, index, value, SQLITE_STATIC);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Diagnostic d = sqliteError(
      db_, std::string("cannot run \"") + std::string(sqlite3_sql(stmt_)).substr(0, 60) + "\"");
  sqlite3_reset(stmt_);
  return d;
}

Status Statement::run() {
  Result<bool> r = step();
  reset();
  if (!r) return r.error();
  return Done{};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
}

int Statement::columnCount() const {
  return sqlite3_column_count(stmt_);
}
bool Statement::isNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::bytes(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  if (!p) return {};
  return std::string(static_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int64_t> Statement::optionalInteger(int column) const {
  if (isNull(column)) return std::nullopt;
  return integer(column);
}

Value Statement::value(int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_NULL:
      return std::monostate{};
    case SQLITE_INTEGER:
      return integer(column);
    case SQLITE_BLOB: {
      const void* p = sqlite3_column_blob(stmt_, column);
      const int n = sqlite3_column_bytes(stmt_, column);
      return Blob{p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : ""};
    }
    case SQLITE_FLOAT:  // never written by the store; kept as its text so it still hashes
    default:
      return text(column);
  }
}

Result<WriteTransaction> WriteTransaction::begin(Connection& db) {
  // The busy timeout waits for the lock; a few more attempts cover a timeout
  // that expired while another process ran a long transaction (a prune).
  Status s = db.exec("BEGIN IMMEDIATE");
  for (int attempt = 0; !s && s.error().code == "audit-busy" && attempt < 3; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    s = db.exec("BEGIN IMMEDIATE");
  }
  if (!s) return s.error();
  return WriteTransaction(db);
}

WriteTransaction::~WriteTransaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

Status WriteTransaction::commit() {
  Status s = db_->exec("COMMIT");
  if (s) db_ = nullptr;
  return s;
}

}  // namespace sqlwarden::audit
