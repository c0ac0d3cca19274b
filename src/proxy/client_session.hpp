#pragma once
// One client connection: startup and TLS, the gateway's own authentication
// of the client, the upstream login, then every message decided and relayed.
// An explicit state machine: State below, one dispatch on (state, message)
// in ClientSession::handle().
// https://www.postgresql.org/docs/current/protocol-flow.html
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "pgwire/frontend_decoder.hpp"
#include "pgwire/scram_server.hpp"
#include "proxy/channel.hpp"
#include "proxy/decision_cache.hpp"
#include "proxy/gateway.hpp"
#include "proxy/relay_tracker.hpp"
#include "rewrite/engine.hpp"

namespace sqlwarden::proxy {

class ClientSession : public std::enable_shared_from_this<ClientSession> {
 public:
  ClientSession(Gateway& gateway, tcp::socket socket);
  ~ClientSession();

  /// Serves the connection until it ends; never throws.
  asio::awaitable<void> run();

 private:
  enum class State {
    Startup,           ///< before StartupMessage: SSLRequest, GSSENCRequest, CancelRequest or StartupMessage
    SaslInitial,       ///< AuthenticationSASL sent: expecting SASLInitialResponse
    SaslContinue,      ///< AuthenticationSASLContinue sent: expecting SASLResponse
    TokenPassword,     ///< AuthenticationCleartextPassword sent: expecting a JWT as the password
    Ready,             ///< logged in: each message is decided and relayed upstream
    DiscardUntilSync,  ///< a Parse was denied: messages up to Sync are dropped, as PostgreSQL does after an error
    Closed,            ///< ended (Terminate, error, cancel): nothing more is read
  };

  asio::awaitable<void> serve();
  /// Enforces the startup and idle timeouts and ends the session at
  /// shutdown once nothing is running; wakes every tick until Closed.
  asio::awaitable<void> watchdog();
  /// True while a message is being handled or the upstream owes answers.
  bool busy() const { return handling_ || tracker_.depth() > 1; }
  /// Ends the session from outside the message flow (a timeout, shutdown):
  /// FATAL `sqlstate` `message` to the client when it can be sent, then close.
  void terminate(std::string_view sqlstate, std::string message, std::string reason);
  asio::awaitable<void> sendFatalAndClose();
  /// The one dispatch on (state, message), in two parts. handleNow() takes
  /// the messages that never wait (Bind, Execute, Sync, Close, Describe,
  /// Flush, COPY data, FunctionCall; anything dropped after a failed Parse)
  /// and says whether it did; only when it declines does the session loop
  /// enter the handle() coroutine, which does the rest (four coroutine
  /// frames fewer per extended-protocol statement).
  bool handleNow(pgwire::FrontendMessage& message, const pgwire::Bytes& raw);
  asio::awaitable<void> handle(pgwire::FrontendMessage& message, const pgwire::Bytes& raw);

  // Startup and authentication
  asio::awaitable<void> onSslRequest();
  asio::awaitable<void> onStartup(const pgwire::StartupMessage& m);
  asio::awaitable<void> onSaslInitial(const pgwire::PasswordMessage& m);
  asio::awaitable<void> onSaslResponse(const pgwire::PasswordMessage& m);
  asio::awaitable<void> onToken(const pgwire::PasswordMessage& m);
  asio::awaitable<void> loginSucceeded(std::string auth_method);
  asio::awaitable<void> authFailed(const std::string& why);

  // Ready
  asio::awaitable<void> onQuery(const pgwire::Query& m, const pgwire::Bytes& raw);
  asio::awaitable<void> onParse(const pgwire::Parse& m, const pgwire::Bytes& raw);
  void onBind(const pgwire::Bind& m, const pgwire::Bytes& raw);
  void onExecute(const pgwire::Execute& m, const pgwire::Bytes& raw);
  void denyFunctionCall();
  void forward(const pgwire::Bytes& raw) { upstream_out_.insert(upstream_out_.end(), raw.begin(), raw.end()); }

  /// A statement's decisions: the cache's own (shared, not copied) or
  /// made for this statement.
  struct Decided {
    std::shared_ptr<const std::vector<rewrite::Decision>> cached;
    std::vector<rewrite::Decision> own;
    const std::vector<rewrite::Decision>& all() const { return cached ? *cached : own; }
    /// For changing them (a denial spreads to the whole message): the
    /// cache's are copied first.
    std::vector<rewrite::Decision>& mutableAll() {
      if (cached) {
        own = *cached;
        cached.reset();
      }
      return own;
    }
  };
  /// Deciding a statement, in two steps. First decideCached(): the
  /// decisions the session's cache holds for `sql` (as a text, or as a
  /// shape, deciding a shape seen before), without waiting and so without
  /// a coroutine frame. On nullopt, decide(): the engine decides `sql` with
  /// the current policy and catalog, refreshing the catalog once when a
  /// statement names a table it does not know, and settles approvals.
  std::optional<Decided> decideCached(const std::string& sql);
  asio::awaitable<std::vector<rewrite::Decision>> decide(const std::string& sql);
  /// Whether statements are recorded (record() has something to do).
  bool recording() const;
  /// Approvals, hold mode: tells the client request `id` is waiting, then
  /// polls the audit store until it is approved (`d` becomes Allow), denied,
  /// expired, timed out or cancelled (`d` becomes Deny with a clear error).
  asio::awaitable<void> holdForApproval(rewrite::Decision& d, int64_t id);
  void refreshEngine();
  /// Records the decisions (callers check recording() first); false when
  /// the audit store failed and statements must be refused.
  asio::awaitable<bool> record(const std::string& sql, const std::vector<rewrite::Decision>& decisions,
                               std::vector<audit::StatementRef>& refs);

  /// Relays upstream -> client until either side ends.
  asio::awaitable<void> relayUpstream();
  void relayFrame(uint8_t type, pgwire::ByteView frame, pgwire::Bytes& out);
  /// Keeps what the client receives of a result (RowDescription, DataRow)
  /// for the audit trail, when `audit { results on; }`.
  void captureResult(uint8_t type, pgwire::ByteView payload);
  std::optional<audit::ResultCapture> capture_;

  /// Sends an error (FATAL closes the session) straight to the client.
  asio::awaitable<void> sendError(std::string_view severity, std::string_view sqlstate, const std::string& message);
  asio::awaitable<void> flushUpstream();
  /// The upstream connection failed: FATAL 08006 to the client (once), close.
  asio::awaitable<void> upstreamLost(const std::string& why);
  void close(const std::string& reason);

  Gateway& gateway_;
  Channel client_;
  OrderedWriter client_writer_;
  pgwire::FrontendDecoder decoder_;
  State state_ = State::Startup;
  std::string peer_;
  std::string end_reason_;

  // Limits, timeouts, shutdown
  asio::steady_timer watchdog_timer_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_activity_;  ///< last complete client message or ReadyForQuery
  bool handling_ = false;     ///< handle() is running (deciding, holding, forwarding)
  bool handshaking_ = false;  ///< TLS handshake in progress: nothing can be written
  bool ssl_requested_ = false, gss_requested_ = false;
  bool upstream_lost_ = false;
  std::optional<std::chrono::steady_clock::time_point> terminating_since_;
  std::string fatal_sqlstate_, fatal_message_, fatal_reason_;
  /// Set by the gateway when a CancelRequest with our key arrives.
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);

  // Startup
  std::string user_;
  std::string application_name_;
  std::vector<std::pair<std::string, std::string>> relayed_parameters_;
  std::optional<pgwire::ScramServer> scram_;
  bool known_user_ = false;
  policy::Identity identity_;

  // Upstream
  std::unique_ptr<Channel> upstream_;
  pgwire::Bytes upstream_leftover_;
  pgwire::Bytes upstream_out_;
  pgwire::BackendKeyData our_key_;
  RelayTracker tracker_;

  // Deciding
  std::shared_ptr<const PolicyStore::Snapshot> policy_;
  std::shared_ptr<const CatalogCache::Snapshot> catalog_;
  std::unique_ptr<rewrite::Engine> engine_;
  DecisionCache decision_cache_;  ///< this session's (this identity's) decisions by statement text
  std::string audit_session_;
  std::map<std::string, audit::StatementRef> statements_;  // prepared statement -> its record
  std::map<std::string, audit::StatementRef> portals_;     // portal -> its statement's record
};

}  // namespace sqlwarden::proxy
