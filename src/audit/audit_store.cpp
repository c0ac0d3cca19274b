#include "audit/audit_store.hpp"

#include <openssl/rand.h>

#include <array>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "audit/chain.hpp"
#include "audit/json_codec.hpp"
#include "audit/schema.hpp"

namespace sqlwarden::audit {

namespace {

struct SessionEndJob {
  std::string session_id;
  Micros at;
  std::string reason;
};
struct OutcomeJob {
  StatementRef ref;
  StatementOutcome outcome;
};
struct CheckpointJob {
  const SigningKey* key;
  Checkpoint* out;  // owned by the waiting caller
};
struct FlushJob {};
/// Tells a caller of appendStatements that its statements (queued just
/// before this job) committed.
struct NotifyJob {
  AuditStore::AppendDone done;
  std::vector<StatementRef> refs;
};

using Work = std::variant<SessionRecord, SessionEndJob, StatementRecord, OutcomeJob, CheckpointJob,
                          FlushJob, NotifyJob>;
struct Job {
  Work work;
  bool urgent;  ///< somebody waits for its commit: commit without gathering more
};

Result<std::string> randomId() {
  std::array<unsigned char, 8> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return auditError("audit-random", "no random bytes for a session id");
  }
  return toHex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace

struct AuditStore::State {
  State(Connection connection, StoreOptions opts)
      : options(opts), db(std::move(connection)), json(db), appender(db) {}

  const StoreOptions options;

  // Writer thread only.
  Connection db;
  JsonCodec json;
  ChainAppender appender;
  std::optional<Statement> insert_row;

  // Shared, under `mutex`.
  mutable std::mutex mutex;
  std::condition_variable work;      // the writer waits for jobs
  std::condition_variable not_full;  // appenders wait for room
  std::condition_variable done;      // blocking appenders wait for their commit
  std::deque<Job> queue;
  uint64_t enqueued = 0;   // tickets handed out
  uint64_t taken = 0;      // tickets the writer has taken
  uint64_t committed = 0;  // tickets whose transaction committed
  size_t urgent = 0;       // queued jobs somebody waits on
  size_t sync_waiters = 0;  // callers blocked on `done`
  // What the writer is doing, so that appenders wake it only when it would
  // act on what they queued (a futex wake per record costs more than the
  // record).
  enum class Writer { Busy, Idle, Gathering } writer_state = Writer::Busy;
  std::optional<Diagnostic> failure;
  bool stopping = false;
  std::map<std::string, int64_t, std::less<>> next_seq;  // open sessions

  std::thread writer;

  /// Queued records that make the writer commit without waiting out the
  /// commit interval.
  size_t batchThreshold() const {
    return std::max<size_t>(1, std::min(options.max_batch, options.queue_capacity / 2));
  }
  /// Queues `job` (waiting for room); returns its ticket. Caller holds `lock`.
  Result<uint64_t> push(std::unique_lock<std::mutex>& lock, Work job, bool is_urgent);
  /// Queues `job`; waits for its commit when `wait`.
  Status enqueue(Work job, bool wait);
  void run();
  Status writeBatch(std::vector<Job>& batch);
  Status write(SessionRecord& s, ChainHead& head);
  Status write(SessionEndJob& e, ChainHead& head);
  Status write(StatementRecord& s, ChainHead& head);
  Status write(OutcomeJob& o, ChainHead& head);
  Status write(CheckpointJob& c, ChainHead& head);
  Status write(FlushJob&, ChainHead&) { return Done{}; }
  Status write(NotifyJob&, ChainHead&) { return Done{}; }
};

Result<uint64_t> AuditStore::State::push(std::unique_lock<std::mutex>& lock, Work job,
                                         bool is_urgent) {
  not_full.wait(lock, [&] { return queue.size() < options.queue_capacity || failure; });
  if (failure) return *failure;
  const uint64_t ticket = ++enqueued;
  queue.push_back(Job{std::move(job), is_urgent});
  if (is_urgent) ++urgent;
  if (writer_state == Writer::Idle ||
      (writer_state == Writer::Gathering && (urgent > 0 || queue.size() >= batchThreshold()))) {
    work.notify_one();
  }
  return ticket;
}

Status AuditStore::State::enqueue(Work job, bool wait) {
  std::unique_lock lock(mutex);
  Result<uint64_t> ticket = push(lock, std::move(job), wait);
  if (!ticket) return ticket.error();
  if (!wait) return Done{};
  ++sync_waiters;
  done.wait(lock, [&] { return committed >= *ticket || failure; });
  --sync_waiters;
  if (committed >= *ticket) return Done{};
  return *failure;
}

void AuditStore::State::run() {
  for (;;) {
    std::vector<Job> batch;
    uint64_t last_ticket = 0;
    bool failed = false;
    {
      std::unique_lock lock(mutex);
      writer_state = Writer::Idle;
      work.wait(lock, [&] { return !queue.empty() || stopping; });
      // Nobody waits for what is queued: gather more for one commit.
      if (!stopping && urgent == 0 && queue.size() < batchThreshold()) {
        writer_state = Writer::Gathering;
        work.wait_for(lock, options.commit_interval, [&] {
          return stopping || urgent > 0 || queue.size() >= batchThreshold();
        });
      }
      writer_state = Writer::Busy;
      if (queue.empty()) return;  // stopping, with everything committed
      const size_t n = std::min(queue.size(), options.max_batch);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        if (queue.front().urgent) --urgent;
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      taken += n;
      last_ticket = taken;
      failed = failure.has_value();
      not_full.notify_all();
    }
    // A failed store writes nothing more: the chain must not get records
    // that arrived after ones it lost.
    Status s = failed ? Status(Done{}) : writeBatch(batch);
    std::optional<Diagnostic> error;
    {
      std::lock_guard lock(mutex);
      if (failed || !s) {
        if (!failure) failure = s.error();
        error = failure;
      }
    }
    // Callbacks first, outside the lock (one may queue more), and before
    // `committed` moves: a flush() that returns has seen them all called.
    for (Job& job : batch) {
      if (NotifyJob* n = std::get_if<NotifyJob>(&job.work)) {
        if (error) n->done(*error);
        else n->done(std::move(n->refs));
      }
    }
    std::lock_guard lock(mutex);
    if (!error) committed = last_ticket;
    if (sync_waiters > 0) done.notify_all();
    not_full.notify_all();
  }
}

Status AuditStore::State::writeBatch(std::vector<Job>& batch) {
  Result<WriteTransaction> tx = WriteTransaction::begin(db);
  if (!tx) return tx.error();
  Result<ChainHead> head = appender.readHead();
  if (!head) return head.error();
  for (Job& job : batch) {
    Status s = std::visit([&](auto& j) { return write(j, *head); }, job.work);
    if (!s) return s;
  }
  if (Status s = appender.writeHead(*head); !s) return s;
  return tx->commit();
}

Status AuditStore::State::write(SessionRecord& s, ChainHead& head) {
  Result<std::string> groups = json.array(s.groups);
  if (!groups) return groups.error();
  const std::array<Value, 10> values = {
      s.id,          s.user,           std::move(*groups), s.claims_json,
      s.auth_method, s.client_address, s.tls_version,      s.application_name,
      s.database,    s.started_at};
  return appender.append(chainedTable("sessions"), values, head);
}

Status AuditStore::State::write(SessionEndJob& e, ChainHead& head) {
  const std::array<Value, 3> values = {e.session_id, e.at, e.reason};
  return appender.append(chainedTable("session_ends"), values, head);
}

Status AuditStore::State::write(StatementRecord& s, ChainHead& head) {
  Result<std::string> rules = json.array(s.rules_fired);
  if (!rules) return rules.error();
  Result<std::string> tables = json.array(s.tables);
  if (!tables) return tables.error();
  // Moved, not copied: the record is not used again.
  const std::array<Value, 10> values = {std::move(s.session_id),
                                        s.seq,
                                        s.at,
                                        std::move(s.sql_received),
                                        std::move(s.fingerprint),
                                        std::string(decisionName(s.decision)),
                                        std::move(*rules),
                                        std::move(s.reason),
                                        std::move(s.sql_forwarded),
                                        std::move(*tables)};
  return appender.append(chainedTable("statements"), values, head);
}

Status AuditStore::State::write(OutcomeJob& o, ChainHead& head) {
  const StatementOutcome& out = o.outcome;
  Value columns;  // NULL: results were not recorded
  std::vector<std::string> rows;
  bool truncated = false;
  if (out.result) {
    Result<std::string> c = json.array(out.result->columns);
    if (!c) return c.error();
    columns = std::move(*c);
    truncated = out.result->truncated;
    if (!insert_row) {
      Result<Statement> stmt = db.prepare(
          "INSERT INTO result_rows (session_id, seq, row_no, cells) VALUES (?, ?, ?, ?)");
      if (!stmt) return stmt.error();
      insert_row.emplace(std::move(*stmt));
    }
    for (const Row& row : out.result->rows) {
      Result<std::string> cells = json.array(row);
      if (!cells) return cells.error();
      insert_row->bind(1, o.ref.session_id).bind(2, o.ref.seq);
      insert_row->bind(3, static_cast<int64_t>(rows.size() + 1)).bind(4, *cells);
      if (Status s = insert_row->run(); !s) return s;
      rows.push_back(std::move(*cells));
    }
  }
  const std::array<Value, 12> values = {o.ref.session_id,
                                        o.ref.seq,
                                        out.finished_at,
                                        out.duration_us,
                                        out.command_tag,
                                        out.rows,
                                        out.error_sqlstate,
                                        out.error_message,
                                        std::move(columns),
                                        static_cast<int64_t>(rows.size()),
                                        int64_t{truncated ? 1 : 0},
                                        Blob{resultDigest(rows)}};
  return appender.append(chainedTable("statement_outcomes"), values, head);
}

Status AuditStore::State::write(CheckpointJob& c, ChainHead& head) {
  // The head row is written at the end of the batch; the checkpoint must
  // describe the head as it is at this point of the batch.
  Result<Checkpoint> cp = writeCheckpoint(db, head, c.key, nowMicros());
  if (!cp) return cp.error();
  *c.out = std::move(*cp);
  return Done{};
}

AuditStore::AuditStore(std::unique_ptr<State> state) : state_(std::move(state)) {}

AuditStore::~AuditStore() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->work.notify_all();
  if (state_->writer.joinable()) state_->writer.join();
}

Result<std::unique_ptr<AuditStore>> AuditStore::open(const std::string& path,
                                                     StoreOptions options) {
  if (options.queue_capacity == 0) options.queue_capacity = 1;
  if (options.max_batch == 0) options.max_batch = 1;
  Result<Connection> db = openAuditFile(path, Connection::Mode::Create, options.busy_timeout);
  if (!db) return db.error();
  // WAL with synchronous=FULL syncs at every commit (survives power loss);
  // NORMAL syncs at checkpoints only (survives a killed process).
  const char* sync = options.durability == Durability::Strict ? "PRAGMA synchronous=FULL"
                                                              : "PRAGMA synchronous=NORMAL";
  if (Status s = db->exec(sync); !s) return s.error();
  auto state = std::make_unique<State>(std::move(*db), options);
  State* raw = state.get();
  std::unique_ptr<AuditStore> store(new AuditStore(std::move(state)));
  raw->writer = std::thread([raw] { raw->run(); });
  return store;
}

Result<std::string> AuditStore::beginSession(SessionRecord session) {
  Result<std::string> id = randomId();
  if (!id) return id;
  session.id = *id;
  if (session.started_at == 0) session.started_at = nowMicros();
  {
    std::lock_guard lock(state_->mutex);
    if (state_->failure) return *state_->failure;
    state_->next_seq[*id] = 1;
  }
  // Never waits: the queue is FIFO, so the session commits no later than its
  // first statement, which is what a strict caller waits for.
  if (Status s = state_->enqueue(std::move(session), false); !s) return s.error();
  return id;
}

Status AuditStore::endSession(std::string_view session_id, std::string reason, Micros at) {
  {
    std::lock_guard lock(state_->mutex);
    auto it = state_->next_seq.find(session_id);
    if (it == state_->next_seq.end()) {
      return auditError("audit-session", "no open session " + std::string(session_id));
    }
    state_->next_seq.erase(it);
  }
  SessionEndJob job{std::string(session_id), at ? at : nowMicros(), std::move(reason)};
  return state_->enqueue(std::move(job), false);
}

Result<StatementRef> AuditStore::appendStatement(StatementRecord statement) {
  {
    std::lock_guard lock(state_->mutex);
    auto it = state_->next_seq.find(statement.session_id);
    if (it == state_->next_seq.end()) {
      return auditError("audit-session", "no open session " + statement.session_id);
    }
    statement.seq = it->second++;
  }
  if (statement.at == 0) statement.at = nowMicros();
  StatementRef ref{statement.session_id, statement.seq};
  const bool wait = state_->options.durability == Durability::Strict;
  if (Status s = state_->enqueue(std::move(statement), wait); !s) return s.error();
  return ref;
}

void AuditStore::appendStatements(std::vector<StatementRecord> statements, AppendDone done) {
  const Micros now = nowMicros();
  const bool strict = state_->options.durability == Durability::Strict;
  std::vector<StatementRef> refs;
  refs.reserve(statements.size());
  std::unique_lock lock(state_->mutex);
  if (state_->failure) {
    Diagnostic d = *state_->failure;
    lock.unlock();
    done(d);
    return;
  }
  for (StatementRecord& statement : statements) {
    auto it = state_->next_seq.find(statement.session_id);
    if (it == state_->next_seq.end()) {
      lock.unlock();
      done(auditError("audit-session", "no open session " + statement.session_id));
      return;
    }
    statement.seq = it->second++;
    if (statement.at == 0) statement.at = now;
    refs.push_back(StatementRef{statement.session_id, statement.seq});
  }
  for (StatementRecord& statement : statements) {
    Result<uint64_t> ticket = state_->push(lock, std::move(statement), false);
    if (!ticket) {
      lock.unlock();
      done(ticket.error());
      return;
    }
  }
  if (strict) {
    // After the statements, so its commit is theirs (the queue is FIFO).
    Result<uint64_t> ticket = state_->push(lock, NotifyJob{done, std::move(refs)}, true);
    if (!ticket) {
      lock.unlock();
      done(ticket.error());
    }
    return;
  }
  lock.unlock();
  done(std::move(refs));
}

Status AuditStore::completeStatement(const StatementRef& ref, StatementOutcome outcome) {
  if (outcome.finished_at == 0) outcome.finished_at = nowMicros();
  if (outcome.result) {
    // Cap again here: the gateway may have collected with laxer limits.
    ResultCapture capped;
    capped.columns = std::move(outcome.result->columns);
    for (Row& row : outcome.result->rows) {
      if (!addResultRow(capped, std::move(row), state_->options.result_limits)) break;
    }
    // After the rows: a capture the gateway already cut short keeps what it has.
    capped.truncated = capped.truncated || outcome.result->truncated;
    outcome.result = std::move(capped);
  }
  // The statement already ran: waiting would only slow the client down.
  return state_->enqueue(OutcomeJob{ref, std::move(outcome)}, false);
}

Result<Checkpoint> AuditStore::checkpoint(const SigningKey* key) {
  Checkpoint cp;
  if (Status s = state_->enqueue(CheckpointJob{key, &cp}, true); !s) return s.error();
  return cp;
}

Status AuditStore::flush() {
  return state_->enqueue(FlushJob{}, true);
}

std::optional<Diagnostic> AuditStore::failure() const {
  std::lock_guard lock(state_->mutex);
  return state_->failure;
}

Durability AuditStore::durability() const {
  return state_->options.durability;
}

}  // namespace sqlwarden::audit
