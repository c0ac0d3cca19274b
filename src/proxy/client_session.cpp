#include "proxy/client_session.hpp"

#include <openssl/crypto.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <utility>

#include "pgwire/error_builder.hpp"
#include "pgwire/scram.hpp"
#include "proxy/coarse_clock.hpp"

namespace sqlwarden::proxy {

namespace {

constexpr size_t kReadSize = 16384;

pgwire::Bytes errorFrame(std::string_view severity, std::string_view sqlstate, const std::string& message,
                         const std::string& hint = "") {
  pgwire::ErrorBuilder b(severity, sqlstate, message);
  if (!hint.empty()) b.hint(hint);
  pgwire::Bytes out;
  pgwire::encode(b.error(), out);
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Startup parameters relayed to the upstream. Anything that could change how
// names resolve or who the session is (options, search_path, role,
// replication) is refused: the engine assumes the configured search_path.
bool isRelayedParameter(const std::string& name) {
  static const char* const kRelayed[] = {"application_name", "client_encoding", "DateStyle", "TimeZone",
                                         "IntervalStyle", "extra_float_digits", "datestyle", "timezone",
                                         "intervalstyle", "geqo", "statement_timeout", "lock_timeout",
                                         "idle_in_transaction_session_timeout", "bytea_output"};
  for (const char* p : kRelayed)
    if (name == p) return true;
  return false;
}

int64_t rowsFromTag(std::string_view tag) {
  const size_t sp = tag.rfind(' ');
  if (sp == std::string_view::npos) return 0;
  int64_t n = 0;
  for (char c : tag.substr(sp + 1)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

ClientSession::ClientSession(Gateway& gateway, tcp::socket socket)
    : gateway_(gateway),
      client_(std::move(socket), gateway.serverTls()),
      client_writer_(client_),
      decoder_(pgwire::DecoderLimits{gateway.config().limits.max_message_size, 10000}),
      watchdog_timer_(client_.socket().get_executor()) {
  peer_ = client_.peer();
  started_ = last_activity_ = std::chrono::steady_clock::now();
  ++gateway_.sessionCount();
}

ClientSession::~ClientSession() {
  if (our_key_.process_id != 0) gateway_.unregisterCancelKey(our_key_.process_id);
  if (!audit_session_.empty()) gateway_.recorder().endSession(audit_session_, end_reason_);
  --gateway_.sessionCount();
}

void ClientSession::close(const std::string& reason) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  end_reason_ = reason;
  client_.close();
  if (upstream_) upstream_->close();
  watchdog_timer_.cancel();
  gateway_.log("session " + peer_ + (user_.empty() ? "" : " user=" + user_) + " ended: " + reason);
}

asio::awaitable<void> ClientSession::sendError(std::string_view severity, std::string_view sqlstate,
                                               const std::string& message) {
  try {
    pgwire::Bytes frame = errorFrame(severity, sqlstate, message);
    co_await client_writer_.write(std::move(frame));
  } catch (const std::exception&) {
  }
}

asio::awaitable<void> ClientSession::run() {
  auto self = shared_from_this();
  // (The executor first: with GCC 12, a temporary closure in a full
  // expression that also co_awaits is destroyed twice.)
  auto executor = co_await asio::this_coro::executor;
  asio::co_spawn(executor, [self]() -> asio::awaitable<void> { co_await self->watchdog(); }, asio::detached);
  try {
    co_await serve();
  } catch (const std::exception& e) {
    close(std::string("connection error: ") + e.what());
  }
  close(end_reason_.empty() ? "client disconnected" : end_reason_);
}

asio::awaitable<void> ClientSession::watchdog() {
  using namespace std::chrono_literals;
  const LimitsConfig& limits = gateway_.config().limits;
  // Wake often enough for the shortest limit, at most once a second.
  auto tick = std::chrono::duration_cast<std::chrono::milliseconds>(limits.startup_timeout) / 4;
  if (limits.idle_timeout.count() > 0) tick = std::min(tick, limits.idle_timeout / 4);
  tick = std::clamp<std::chrono::milliseconds>(tick, 50ms, 1000ms);
  while (state_ != State::Closed) {
    watchdog_timer_.expires_after(tick);
    boost::system::error_code ec;
    co_await watchdog_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (state_ == State::Closed) break;
    const auto now = std::chrono::steady_clock::now();
    if (terminating_since_) {
      // The FATAL could not be delivered in time (the client does not read): just close.
      if (now - *terminating_since_ > 2s) close(fatal_reason_);
      continue;
    }
    const bool logged_in = state_ == State::Ready || state_ == State::DiscardUntilSync;
    if (!logged_in) {
      // Covers slow senders too: the clock runs from the TCP accept, whatever arrives.
      if (now - started_ >= limits.startup_timeout)
        terminate(pgwire::sqlstate::kProtocolViolation, "canceling authentication due to timeout", "startup timeout");
      else if (gateway_.stopping())
        terminate(pgwire::sqlstate::kAdminShutdown, "terminating connection due to administrator command",
                  "gateway shutting down");
      continue;
    }
    if (client_writer_.active()) {
      // An answer is on its way to a client that reads it slowly: the
      // statement is not over for the client yet, even at shutdown. A
      // client that stops reading for idle_timeout is closed (no FATAL
      // could reach it), running statement or not: it would hold its
      // upstream connection forever.
      if (limits.idle_timeout.count() > 0 && now - client_.writeProgressAt() >= limits.idle_timeout)
        close("idle timeout: the client stopped reading");
      continue;
    }
    if (busy()) continue;  // a running statement finishes first, even at shutdown
    if (gateway_.stopping()) {
      terminate(pgwire::sqlstate::kAdminShutdown, "terminating connection due to administrator command",
                "gateway shutting down");
    } else if (limits.idle_timeout.count() > 0 && now - std::max(last_activity_, client_.writeProgressAt()) >=
                                                      limits.idle_timeout) {
      // Also ends a client that stalls in the middle of a message: only
      // complete messages count as activity.
      terminate("57P05", "terminating connection due to idle-session timeout", "idle timeout");
    }
  }
}

void ClientSession::terminate(std::string_view sqlstate, std::string message, std::string reason) {
  if (state_ == State::Closed || terminating_since_) return;
  terminating_since_ = std::chrono::steady_clock::now();
  if (handshaking_ || client_writer_.active()) {  // nothing can be written now
    close(reason);
    return;
  }
  fatal_sqlstate_ = std::string(sqlstate);
  fatal_message_ = std::move(message);
  fatal_reason_ = std::move(reason);
  asio::co_spawn(client_.socket().get_executor(),
                 [self = shared_from_this()]() -> asio::awaitable<void> { co_await self->sendFatalAndClose(); },
                 asio::detached);
}

asio::awaitable<void> ClientSession::sendFatalAndClose() {
  co_await sendError("FATAL", fatal_sqlstate_, fatal_message_);
  close(fatal_reason_);
}

asio::awaitable<void> ClientSession::serve() {
  std::array<uint8_t, kReadSize> buf;
  while (state_ != State::Closed) {
    size_t n = 0;
    try {
      n = co_await client_.readSome(buf.data(), buf.size());
    } catch (const std::exception&) {
      close(state_ == State::Closed ? end_reason_ : "client disconnected");
      co_return;
    }
    decoder_.feed(pgwire::ByteView(buf.data(), n));
    for (;;) {
      auto r = decoder_.next();
      if (r.isNeedMoreData()) break;
      if (r.isError()) {
        // A malformed frame ends only this connection (pgwire-* codes in docs/pgwire.md).
        co_await flushUpstream();
        if (r.error().code == "pgwire-unsupported-version") {  // as PostgreSQL answers protocol 2 or 4
          const std::string message = r.error().message + ": sqlwarden supports protocol 3.0";
          co_await sendError("FATAL", pgwire::sqlstate::kFeatureNotSupported, message);
        } else {
          const std::string message = "invalid frontend message: " + r.error().message;
          co_await sendError("FATAL", pgwire::sqlstate::kProtocolViolation, message);
        }
        close("protocol violation: " + r.error().message);
        co_return;
      }
      if (!handleNow(r.message(), r.raw())) {
        handling_ = true;
        co_await handle(r.message(), r.raw());
        handling_ = false;
      }
      last_activity_ = coarseNow();
      if (state_ == State::Closed) co_return;
    }
    co_await flushUpstream();
  }
}

asio::awaitable<void> ClientSession::flushUpstream() {
  if (upstream_out_.empty() || !upstream_ || upstream_lost_) co_return;
  pgwire::Bytes out;
  out.swap(upstream_out_);
  std::string failed;
  try {
    co_await upstream_->writeAll(out);
  } catch (const std::exception& e) {
    failed = e.what();
  }
  if (!failed.empty()) co_await upstreamLost("write failed: " + failed);
}

asio::awaitable<void> ClientSession::upstreamLost(const std::string& why) {
  // Both the relay (read failed) and the session (write failed) can find
  // out; the client hears it once.
  if (upstream_lost_ || state_ == State::Closed) co_return;
  upstream_lost_ = true;
  co_await sendError("FATAL", pgwire::sqlstate::kConnectionFailure, "sqlwarden lost its connection to the database");
  close("upstream connection lost: " + why);
}

// --- The dispatch on (state, message) -------------------------------------------

asio::awaitable<void> ClientSession::handle(pgwire::FrontendMessage& message, const pgwire::Bytes& raw) {
  switch (state_) {
    case State::Startup:
      if (std::holds_alternative<pgwire::SslRequest>(message)) {  // SSLRequest
        co_await onSslRequest();
      } else if (std::holds_alternative<pgwire::GssEncRequest>(message)) {  // GSSENCRequest: declined
        if (gss_requested_ || client_.tls()) {
          co_await sendError("FATAL", pgwire::sqlstate::kProtocolViolation, "GSSENCRequest sent twice");
          close("protocol violation: GSSENCRequest twice");
          co_return;
        }
        gss_requested_ = true;
        pgwire::Bytes out;
        pgwire::encode(pgwire::SslResponse{false}, out);
        co_await client_writer_.write(std::move(out));
      } else if (auto* cancel = std::get_if<pgwire::CancelRequest>(&message)) {  // CancelRequest
        co_await gateway_.cancel(*cancel);
        close("cancel request");
      } else if (auto* startup = std::get_if<pgwire::StartupMessage>(&message)) {  // StartupMessage
        co_await onStartup(*startup);
      }
      co_return;

    case State::SaslInitial:  // SASLInitialResponse
      if (auto* p = std::get_if<pgwire::PasswordMessage>(&message)) co_await onSaslInitial(*p);
      else co_await authFailed("expected SASLInitialResponse");
      co_return;

    case State::SaslContinue:  // SASLResponse
      if (auto* p = std::get_if<pgwire::PasswordMessage>(&message)) co_await onSaslResponse(*p);
      else co_await authFailed("expected SASLResponse");
      co_return;

    case State::TokenPassword:  // PasswordMessage carrying a JWT
      if (auto* p = std::get_if<pgwire::PasswordMessage>(&message)) co_await onToken(*p);
      else co_await authFailed("expected PasswordMessage");
      co_return;

    case State::DiscardUntilSync:
    case State::Ready:
      break;

    case State::Closed:
      co_return;
  }

  // State::Ready or DiscardUntilSync: what handleNow() declined.
  if (std::holds_alternative<pgwire::Terminate>(message)) {  // Terminate
    forward(raw);
    co_await flushUpstream();
    close("client terminated");
  } else if (auto* q = std::get_if<pgwire::Query>(&message)) {  // Query
    co_await onQuery(*q, raw);
  } else if (auto* p = std::get_if<pgwire::Parse>(&message)) {  // Parse
    co_await onParse(*p, raw);
  } else {  // startup packets or 'p' after login
    co_await flushUpstream();
    const std::string text = "unexpected " + std::string(pgwire::messageName(message)) + " message";
    co_await sendError("FATAL", pgwire::sqlstate::kProtocolViolation, text);
    close("protocol violation: unexpected " + std::string(pgwire::messageName(message)));
  }
}

bool ClientSession::handleNow(pgwire::FrontendMessage& message, const pgwire::Bytes& raw) {
  if (state_ == State::DiscardUntilSync) {
    if (std::holds_alternative<pgwire::Terminate>(message)) return false;
    if (std::holds_alternative<pgwire::Sync>(message)) {  // Sync: the upstream ends the failed batch
      forward(raw);
      tracker_.close();
      state_ = State::Ready;
    }
    return true;  // anything else: dropped, as PostgreSQL drops it after an error
  }
  if (state_ != State::Ready) return false;
  if (auto* b = std::get_if<pgwire::Bind>(&message)) {  // Bind
    onBind(*b, raw);
  } else if (auto* e = std::get_if<pgwire::Execute>(&message)) {  // Execute
    onExecute(*e, raw);
  } else if (std::holds_alternative<pgwire::Sync>(message)) {  // Sync
    forward(raw);
    tracker_.close();
  } else if (auto* c = std::get_if<pgwire::Close>(&message)) {  // Close
    if (c->kind == pgwire::TargetKind::Statement) statements_.erase(c->name);
    else portals_.erase(c->name);
    forward(raw);
  } else if (std::holds_alternative<pgwire::Describe>(message) ||  // Describe, Flush, COPY data
             std::holds_alternative<pgwire::Flush>(message) || std::holds_alternative<pgwire::CopyData>(message) ||
             std::holds_alternative<pgwire::CopyDone>(message) || std::holds_alternative<pgwire::CopyFail>(message)) {
    forward(raw);
  } else if (std::holds_alternative<pgwire::FunctionCall>(message)) {  // FunctionCall: denied
    denyFunctionCall();
  } else {
    return false;
  }
  return true;
}

// --- Startup ----------------------------------------------------------------------------
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL

asio::awaitable<void> ClientSession::onSslRequest() {
  // One SSLRequest per connection (PostgreSQL refuses a second one too);
  // over TLS another would be a downgrade attempt.
  if (ssl_requested_ || client_.tls()) {
    co_await sendError("FATAL", pgwire::sqlstate::kProtocolViolation, "SSLRequest sent twice");
    close("protocol violation: SSLRequest twice");
    co_return;
  }
  ssl_requested_ = true;
  pgwire::Bytes out;
  const bool offer = gateway_.config().tls.mode != ClientTlsMode::Off && !client_.tls();
  pgwire::encode(pgwire::SslResponse{offer}, out);
  // Bytes sent after SSLRequest but before the handshake would be read as if
  // they came over TLS (CVE-2021-23214): refuse them.
  if (offer && !decoder_.pending().empty()) {
    close("plaintext data after SSLRequest");
    co_return;
  }
  co_await client_.writeAll(out);
  if (!offer) co_return;
  handshaking_ = true;
  try {
    co_await client_.startTlsServer();
  } catch (const std::exception& e) {
    close(std::string("TLS handshake failed: ") + e.what());
  }
  handshaking_ = false;
}

asio::awaitable<void> ClientSession::onStartup(const pgwire::StartupMessage& m) {
  const GatewayConfig& cfg = gateway_.config();
  if (cfg.tls.mode == ClientTlsMode::Required && !client_.tls()) {
    co_await sendError("FATAL", pgwire::sqlstate::kInvalidAuthorization,
                       "sqlwarden requires TLS: connect with sslmode=require or stronger");
    close("plaintext connection refused (tls required)");
    co_return;
  }
  if (m.major_version != 3) {  // (the decoder refuses other majors already)
    co_await sendError("FATAL", pgwire::sqlstate::kFeatureNotSupported, "unsupported frontend protocol version");
    close("unsupported protocol version");
    co_return;
  }
  // A newer 3.x minor version or protocol options (_pq_.*): answer as
  // PostgreSQL 15 does, with NegotiateProtocolVersion (3.0, none of the
  // options), and go on in 3.0.
  // https://www.postgresql.org/docs/current/protocol-message-formats.html (NegotiateProtocolVersion)
  pgwire::NegotiateProtocolVersion negotiate;
  for (const auto& p : m.parameters)
    if (p.first.rfind("_pq_.", 0) == 0) negotiate.unrecognized_options.push_back(p.first);
  if (m.minor_version != 0 || !negotiate.unrecognized_options.empty()) {
    pgwire::Bytes out;
    pgwire::encode(negotiate, out);
    co_await client_writer_.write(std::move(out));
  }
  const std::string* user = m.parameter("user");
  if (!user || user->empty()) {
    co_await sendError("FATAL", pgwire::sqlstate::kInvalidAuthorization, "no PostgreSQL user name specified in startup packet");
    close("no user name");
    co_return;
  }
  user_ = *user;
  const std::string* db = m.parameter("database");
  const std::string database = db && !db->empty() ? *db : user_;
  if (database != cfg.upstream.database) {
    const std::string message = "database \"" + database + "\" does not exist";
    co_await sendError("FATAL", "3D000", message);
    close("unknown database " + database);
    co_return;
  }
  for (const auto& [name, value] : m.parameters) {
    if (name == "user" || name == "database" || name.rfind("_pq_.", 0) == 0) continue;
    if (name == "options" && value.find_first_not_of(' ') == std::string::npos) continue;
    if (name == "replication" && (lower(value) == "false" || value == "0" || lower(value) == "off")) continue;
    if (name == "client_encoding") {
      const std::string enc = lower(value);
      if (enc != "utf8" && enc != "utf-8" && enc != "unicode" && enc != "sql_ascii") {
        const std::string text = "sqlwarden supports client_encoding UTF8 only, not \"" + value + "\"";
        co_await sendError("FATAL", pgwire::sqlstate::kFeatureNotSupported, text);
        close("client_encoding " + value);
        co_return;
      }
      relayed_parameters_.emplace_back(name, "UTF8");
      continue;
    }
    if (!isRelayedParameter(name)) {
      const std::string text = "startup parameter \"" + name + "\" is not allowed through sqlwarden";
      co_await sendError("FATAL", pgwire::sqlstate::kFeatureNotSupported, text);
      close("startup parameter " + name + " refused");
      co_return;
    }
    if (name == "application_name") application_name_ = value;
    relayed_parameters_.emplace_back(name, value);
  }

  // Authentication: local users by SCRAM; other names by token when
  // identity providers are configured; otherwise a mock SCRAM exchange so
  // that unknown names cannot be told from wrong passwords.
  const LocalUserConfig* local = cfg.findUser(user_);
  if (!local && !gateway_.verifiers().empty()) {
    if (!client_.tls() && cfg.tls.mode != ClientTlsMode::Off) {
      co_await sendError("FATAL", pgwire::sqlstate::kInvalidAuthorization, "token login requires TLS");
      close("token login without TLS");
      co_return;
    }
    state_ = State::TokenPassword;
    pgwire::Bytes out;
    pgwire::encode(pgwire::Authentication{pgwire::AuthRequest::CleartextPassword, {}, {}, {}}, out);
    co_await client_writer_.write(std::move(out));
    co_return;
  }
  pgwire::ScramVerifier verifier;
  if (local) {
    known_user_ = true;
    verifier = pgwire::parseScramVerifier(local->scram_verifier).value();
    identity_.user = local->name;
    identity_.groups = local->groups;
    identity_.claims = local->claims;
  } else {
    verifier = pgwire::mockScramVerifier(user_, gateway_.mockSecret());
  }
  std::optional<pgwire::Bytes> binding;
  if (client_.tls()) binding = gateway_.serverEndPoint();
  auto server = pgwire::ScramServer::start(std::move(verifier), binding);
  if (!server) {
    const std::string why = "SCRAM start: " + server.error().message;
    co_await authFailed(why);
    co_return;
  }
  scram_.emplace(std::move(server.value()));
  state_ = State::SaslInitial;
  pgwire::Bytes out;
  pgwire::encode(pgwire::Authentication{pgwire::AuthRequest::Sasl, {}, scram_->mechanisms(), {}}, out);
  co_await client_writer_.write(std::move(out));
}

asio::awaitable<void> ClientSession::authFailed(const std::string& why) {
  gateway_.log("login failed for user \"" + user_ + "\" from " + peer_ + ": " + why);
  // The client learns nothing about which part failed.
  const std::string text = "password authentication failed for user \"" + user_ + "\"";
  co_await sendError("FATAL", pgwire::sqlstate::kInvalidPassword, text);
  close("authentication failed");
}

asio::awaitable<void> ClientSession::onSaslInitial(const pgwire::PasswordMessage& m) {
  auto initial = pgwire::parseSaslInitialResponse(m);
  if (!initial || !initial->data) {
    co_await authFailed("malformed SASLInitialResponse");
    co_return;
  }
  auto first = scram_->handleClientFirst(initial->mechanism, pgwire::asText(*initial->data));
  if (!first) {
    const std::string why = "SCRAM: " + first.error().message;
    co_await authFailed(why);
    co_return;
  }
  state_ = State::SaslContinue;
  pgwire::Authentication a{pgwire::AuthRequest::SaslContinue, {}, {}, pgwire::toBytes(*first)};
  pgwire::Bytes out;
  pgwire::encode(a, out);
  co_await client_writer_.write(std::move(out));
}

asio::awaitable<void> ClientSession::onSaslResponse(const pgwire::PasswordMessage& m) {
  auto final_message = scram_->handleClientFinal(pgwire::asText(m.payload));
  scram_.reset();
  if (!final_message || !known_user_) {
    // (No conditional operator inside co_await: GCC 12 destroys its temporaries twice.)
    std::string why = "unknown user";
    if (!final_message) why = "SCRAM: " + final_message.error().message;
    co_await authFailed(why);
    co_return;
  }
  pgwire::Authentication a{pgwire::AuthRequest::SaslFinal, {}, {}, pgwire::toBytes(*final_message)};
  pgwire::Bytes out;
  pgwire::encode(a, out);
  co_await client_writer_.write(std::move(out));
  co_await loginSucceeded("scram-sha-256");
}

asio::awaitable<void> ClientSession::onToken(const pgwire::PasswordMessage& m) {
  auto token = pgwire::parsePassword(m);
  if (!token) {
    co_await authFailed("malformed PasswordMessage");
    co_return;
  }
  const std::string issuer = peekIssuer(token->view());
  const std::vector<JwtVerifier>& verifiers = gateway_.verifiers();
  std::optional<size_t> index;
  for (size_t i = 0; i < verifiers.size(); ++i)
    if (verifiers[i].config().issuer == issuer) index = i;
  if (!index) {
    co_await authFailed("token from an unknown issuer");
    co_return;
  }
  const JwtVerifier& verifier = verifiers[*index];
  auto identity = verifier.verify(token->view(), static_cast<int64_t>(std::time(nullptr)));
  // A kid we do not know, from an issuer whose keys we fetch: it may have
  // rotated them. Fetch again (rate-limited) and check once more.
  if (!identity && identity.error().code == JwtVerifier::kUnknownKey && !verifier.config().jwks_url.empty() &&
      co_await gateway_.refreshJwks(*index, true))
    identity = verifier.verify(token->view(), static_cast<int64_t>(std::time(nullptr)));
  if (!identity) {
    const std::string why = "token rejected: " + identity.error().message;
    co_await authFailed(why);
    co_return;
  }
  if (identity->user != user_) {
    const std::string why = "token is for user \"" + identity->user + "\"";
    co_await authFailed(why);
    co_return;
  }
  identity_ = std::move(identity.value());
  co_await loginSucceeded("jwt");
}

asio::awaitable<void> ClientSession::loginSucceeded(std::string auth_method) {
  // The upstream login: the gateway's own credential, never the client's.
  auto login = gateway_.upstreamLogin(relayed_parameters_);
  std::optional<Result<UpstreamConnection>> conn;
  if (login) conn.emplace(co_await connectUpstream(co_await asio::this_coro::executor, std::move(login.value())));
  if (!login || !*conn) {
    gateway_.log("upstream login failed for session of \"" + user_ + "\": " +
                 (!login ? login.error().message : (*conn).error().message));
    co_await sendError("FATAL", pgwire::sqlstate::kConnectionFailure, "sqlwarden could not connect to the database");
    close("upstream login failed");
    co_return;
  }
  UpstreamConnection& up = conn->value();
  if (state_ == State::Closed) {  // the client went away (or timed out) during the login
    up.channel->close();
    co_return;
  }
  upstream_ = std::move(up.channel);
  upstream_leftover_ = std::move(up.leftover);
  our_key_ = gateway_.registerCancelKey(up.key, cancelled_);

  policy_ = gateway_.policies().current();
  catalog_ = gateway_.catalog().current();
  engine_ = std::make_unique<rewrite::Engine>(policy_->policy, catalog_->catalog, identity_);

  if (gateway_.recorder().enabled()) {
    SessionInfo info{identity_, auth_method, peer_, client_.tlsVersion(), application_name_,
                     gateway_.config().upstream.database};
    Recorder& rec = gateway_.recorder();
    auto begin = [&rec, &info] { return rec.beginSession(info); };
    auto id = co_await offload(gateway_.blockingPool(), begin);
    if (id && *id) {
      audit_session_ = id->value();
    } else if (gateway_.config().audit.refuse_on_failure) {
      co_await sendError("FATAL", pgwire::sqlstate::kConnectionFailure, "sqlwarden cannot write its audit trail");
      close("audit store failed");
      co_return;
    }
  }

  // AuthenticationOk, the upstream's ParameterStatus (with the client's
  // name where the upstream would show the gateway's), our key, ready.
  pgwire::Bytes out;
  pgwire::encode(pgwire::Authentication{pgwire::AuthRequest::Ok, {}, {}, {}}, out);
  for (pgwire::ParameterStatus ps : up.parameters) {
    if (ps.name == "session_authorization") ps.value = user_;
    if (ps.name == "is_superuser") ps.value = "off";
    pgwire::encode(ps, out);
  }
  pgwire::encode(our_key_, out);
  pgwire::encode(pgwire::ReadyForQuery{pgwire::TransactionStatus::Idle}, out);
  co_await client_writer_.write(std::move(out));
  state_ = State::Ready;
  gateway_.log("session " + peer_ + " user=" + user_ + " logged in (" + auth_method +
               (client_.tls() ? ", " + client_.tlsVersion() : ", no TLS") + ")");

  auto executor = co_await asio::this_coro::executor;  // (not inside the co_spawn call: see run())
  asio::co_spawn(executor, [self = shared_from_this()]() -> asio::awaitable<void> { co_await self->relayUpstream(); },
                 asio::detached);
}

// --- Deciding ---------------------------------------------------------------------------

void ClientSession::refreshEngine() {
  // The common case, on every statement: nothing changed (two atomic loads, no locks).
  if (gateway_.policies().generation() == policy_->generation &&
      gateway_.catalog().generation() == catalog_->generation)
    return;
  auto policy = gateway_.policies().current();
  auto catalog = gateway_.catalog().current();
  if (policy->generation == policy_->generation && catalog->generation == catalog_->generation) return;
  auto engine = std::make_unique<rewrite::Engine>(policy->policy, catalog->catalog, identity_);
  engine->session() = engine_->session();  // prepared statements and cursors carry over
  engine_ = std::move(engine);
  policy_ = std::move(policy);
  catalog_ = std::move(catalog);
}

std::optional<ClientSession::Decided> ClientSession::decideCached(const std::string& sql) {
  refreshEngine();
  // A text this session had decided under this policy and catalog: the same
  // decisions, without parsing (decision_cache.hpp says what is kept).
  if (auto cached = decision_cache_.find(sql, policy_->generation, catalog_->generation))
    return Decided{std::move(cached), {}};
  // The same statement with other constants (decision_cache.hpp, "Shapes"):
  // decided once with the constants as parameters. (A text too long to keep
  // is not lexed for a shape that could not be kept either.)
  std::optional<sql::ConstantTemplate> tpl;
  if (decision_cache_.fits(sql.size())) tpl = engine_->parser().templateConstants(sql);
  if (tpl) {
    const uint64_t pg = policy_->generation, cg = catalog_->generation;
    const DecisionCache::Shape* shape = decision_cache_.findShape(tpl->text, pg, cg);
    if (!shape && decision_cache_.admitShape(tpl->text, pg, cg)) {
      std::vector<rewrite::Decision> shaped = engine_->decideScript(tpl->text);
      std::vector<sql::ParameterSpan> params;
      if (shaped.size() == 1) params = engine_->parser().parameterSpans(shaped[0].sql);
      shape = decision_cache_.storeShape(tpl->text, pg, cg, shaped, std::move(params), tpl->constants.size());
    }
    if (shape) return Decided{nullptr, DecisionCache::instantiate(*shape, *tpl)};
  }
  return std::nullopt;
}

asio::awaitable<std::vector<rewrite::Decision>> ClientSession::decide(const std::string& sql) {
  std::vector<rewrite::Decision> decisions = engine_->decideScript(sql);
  bool unknown = false;
  for (const auto& d : decisions) unknown |= d.reason.find("unknown table") != std::string::npos;
  if (unknown && co_await gateway_.refreshCatalog()) {
    refreshEngine();
    decisions = engine_->decideScript(sql);
  }
  decision_cache_.store(sql, policy_->generation, catalog_->generation, decisions);
  // Approvals: a statement approved for this identity runs once; otherwise
  // a request is filed, and the client either waits for it (hold) or gets
  // an error naming it and runs the statement again once approved (reject).
  const AuditConfig& audit_cfg = gateway_.config().audit;
  const auto lifetime = audit_cfg.hold_approvals
                            ? std::chrono::ceil<std::chrono::seconds>(audit_cfg.approval_timeout)
                            : std::chrono::seconds(3600);
  for (auto& d : decisions) {
    if (d.verdict != rewrite::Verdict::Approval) continue;
    Recorder& rec = gateway_.recorder();
    const std::string user = identity_.user, fingerprint = d.fingerprint;
    auto ask = [&rec, &user, &fingerprint, &sql, lifetime] { return rec.approval(user, fingerprint, sql, lifetime); };
    auto answer = co_await offload(gateway_.blockingPool(), ask);
    if (answer && *answer && (*answer)->approved) {
      d.verdict = rewrite::Verdict::Allow;
      continue;
    }
    if (answer && *answer && audit_cfg.hold_approvals) {
      co_await holdForApproval(d, (*answer)->request_id);
      continue;
    }
    d.verdict = rewrite::Verdict::Deny;
    d.sqlstate = std::string(pgwire::sqlstate::kInsufficientPrivilege);
    if (answer && *answer) {
      const std::string id = std::to_string((*answer)->request_id);
      d.message = "statement needs approval (" + d.reason + "): request " + id + ", fingerprint " + d.fingerprint +
                  "; once an approver runs `sqlwarden approvals " + audit_cfg.file + " approve " + id +
                  "`, run it again";
    } else {
      d.message = "statement needs approval (" + d.reason + "), fingerprint " + d.fingerprint +
                  ", but approvals are not available: " +
                  (answer && !*answer ? (*answer).error().message : std::string("internal error"));
    }
  }
  co_return decisions;
}

namespace {
std::string formatDuration(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}
}  // namespace

asio::awaitable<void> ClientSession::holdForApproval(rewrite::Decision& d, int64_t id) {
  using namespace std::chrono_literals;
  const AuditConfig& cfg = gateway_.config().audit;
  const std::string ids = std::to_string(id);
  const std::string approve = "sqlwarden approvals " + cfg.file + " approve " + ids;
  {
    const std::string text = "statement held for approval (" + d.reason + "): request " + ids +
                             "; an approver runs `" + approve + "` (or `deny " + ids + "`); waiting up to " +
                             formatDuration(cfg.approval_timeout);
    pgwire::ErrorBuilder b("NOTICE", pgwire::sqlstate::kSuccessfulCompletion, text);
    b.detail("fingerprint " + d.fingerprint);
    pgwire::Bytes out;
    pgwire::encode(b.notice(), out);
    co_await client_writer_.write(std::move(out));
  }
  gateway_.log("session " + peer_ + " user=" + user_ + " holds request " + ids + " for approval");

  // The outcome, unless it is approved: an ERROR with a clear reason.
  auto refuse = [&d](std::string_view sqlstate, std::string message) {
    d.verdict = rewrite::Verdict::Deny;
    d.sqlstate = std::string(sqlstate);
    d.message = std::move(message);
  };
  Recorder& rec = gateway_.recorder();
  const std::string user = identity_.user, fingerprint = d.fingerprint;
  const auto deadline = std::chrono::steady_clock::now() + cfg.approval_timeout;
  cancelled_->store(false);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(500ms);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    // Nothing is read from the client while it waits, so ask the kernel
    // whether it hung up: a vanished client's statement must not run later.
    pollfd hangup{client_.socket().native_handle(), POLLRDHUP, 0};
    if (state_ != State::Closed && ::poll(&hangup, 1, 0) > 0 && (hangup.revents & (POLLRDHUP | POLLHUP | POLLERR)))
      close("client disconnected while approval request " + ids + " was pending");
    if (state_ == State::Closed) {
      refuse(pgwire::sqlstate::kQueryCanceled, "the session ended while approval request " + ids + " was pending");
      co_return;
    }
    if (cancelled_->exchange(false)) {
      refuse(pgwire::sqlstate::kQueryCanceled,
             "canceling statement due to user request (approval request " + ids + " stays pending)");
      co_return;
    }
    if (gateway_.stopping()) {
      refuse(pgwire::sqlstate::kAdminShutdown,
             "sqlwarden is shutting down: statement not run (approval request " + ids + " stays pending)");
      co_return;
    }
    auto get = [&rec, id] { return rec.approvalState(id); };
    auto state = co_await offload(gateway_.blockingPool(), get);
    if (!state || !*state) {
      std::string why = "internal error";
      if (state) why = (*state).error().message;
      refuse(pgwire::sqlstate::kConnectionFailure, "approval request " + ids + " cannot be read: " + why);
      co_return;
    }
    const audit::ApprovalRecord& r = (*state).value();
    switch (r.state) {
      case audit::ApprovalState::Approved: {
        auto use = [&rec, &user, &fingerprint] { return rec.useApproval(user, fingerprint); };
        auto used = co_await offload(gateway_.blockingPool(), use);
        if (used && *used && (*used).value()) {
          gateway_.log("request " + ids + " approved by " + r.decided_by + ": running it");
          d.verdict = rewrite::Verdict::Allow;
        } else {
          refuse(pgwire::sqlstate::kInsufficientPrivilege,
                 "approval request " + ids + " was approved but could no longer be used: statement not run");
        }
        co_return;
      }
      case audit::ApprovalState::Denied:
        refuse(pgwire::sqlstate::kInsufficientPrivilege,
               "approval request " + ids + " was denied by " + r.decided_by +
                   (r.reason.empty() ? std::string() : ": " + r.reason));
        co_return;
      case audit::ApprovalState::Expired:
      case audit::ApprovalState::Used:
        refuse(pgwire::sqlstate::kQueryCanceled, "approval request " + ids + " " +
                                                     std::string(audit::approvalStateName(r.state)) +
                                                     " before it could run: statement not run");
        co_return;
      case audit::ApprovalState::Pending:
        break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      refuse(pgwire::sqlstate::kQueryCanceled, "approval request " + ids + " was not decided within " +
                                                   formatDuration(cfg.approval_timeout) + ": statement not run");
      co_return;
    }
  }
}

bool ClientSession::recording() const { return gateway_.recorder().enabled() && !audit_session_.empty(); }

asio::awaitable<bool> ClientSession::record(const std::string& sql, const std::vector<rewrite::Decision>& decisions,
                                            std::vector<audit::StatementRef>& refs) {
  Recorder& rec = gateway_.recorder();
  std::vector<std::string_view> received;
  received.reserve(decisions.size());
  for (const auto& d : decisions) received.push_back(decisions.size() == 1 || d.sql.empty() ? sql : d.sql);
  using Refs = std::optional<std::vector<audit::StatementRef>>;
  Refs result;
  if (rec.synchronous()) {
    // Durability fast: queued, and answered before statements() returns.
    rec.statements(audit_session_, received, decisions, [&result](Refs r) { result = std::move(r); });
  } else {
    // Strict: the store's writer calls back once the records committed;
    // the session resumes on its own executor, and no thread waits.
    auto executor = co_await asio::this_coro::executor;
    result = co_await asio::async_initiate<decltype(asio::use_awaitable), void(Refs)>(
        [&](auto handler) {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          rec.statements(audit_session_, received, decisions, [shared, executor](Refs r) {
            asio::post(executor, [shared, r = std::move(r)]() mutable { (*shared)(std::move(r)); });
          });
        },
        asio::use_awaitable);
  }
  if (result) {
    refs = std::move(*result);
    co_return true;
  }
  co_return !gateway_.config().audit.refuse_on_failure;
}

namespace {
// The first decision that refused on its own (not "another statement was denied").
const rewrite::Decision* firstRefusal(const std::vector<rewrite::Decision>& ds) {
  for (const auto& d : ds)
    if (!d.allowed()) return &d;
  return nullptr;
}
pgwire::Bytes denialFrame(const rewrite::Decision& d) {
  return errorFrame("ERROR", d.sqlstate.empty() ? pgwire::sqlstate::kInsufficientPrivilege : d.sqlstate,
                    d.message.empty() ? "permission denied by sqlwarden: " + d.reason : d.message);
}
}  // namespace

// Simple Query: every statement is decided before any is forwarded; one
// refusal refuses the whole message.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SIMPLE-QUERY
asio::awaitable<void> ClientSession::onQuery(const pgwire::Query& m, const pgwire::Bytes& raw) {
  std::optional<Decided> decided = decideCached(m.sql);
  if (!decided) {
    // A statement of its own, not `Decided{..., co_await ...}` nor a
    // conditional expression: GCC 12 mishandles co_await among such
    // temporaries (a vector freed twice).
    std::vector<rewrite::Decision> fresh = co_await decide(m.sql);
    decided = Decided{nullptr, std::move(fresh)};
  }
  std::optional<pgwire::Bytes> refusal;
  if (const rewrite::Decision* d = firstRefusal(decided->all())) {
    refusal = denialFrame(*d);
    rewrite::denyAllIfAnyDenied(decided->mutableAll());
  }
  const std::vector<rewrite::Decision>& decisions = decided->all();
  std::vector<audit::StatementRef> refs;
  if (recording() && !co_await record(m.sql, decisions, refs)) {
    refusal = errorFrame("ERROR", pgwire::sqlstate::kConnectionFailure,
                         "sqlwarden cannot write its audit trail: statement not run");
  }
  if (refusal) {
    pgwire::encode(pgwire::Query{kDenialStatement}, upstream_out_);
    tracker_.simpleDenial(std::move(*refusal));
    co_return;
  }
  bool rewritten = false;
  for (const auto& d : decisions) rewritten |= d.rewritten;
  if (!rewritten) {
    forward(raw);
  } else if (decisions.size() == 1) {
    pgwire::encode(pgwire::Query{decisions[0].sql}, upstream_out_);
  } else {
    // "\n;" so that a statement ending in a -- comment cannot swallow the separator.
    std::string joined;
    for (const auto& d : decisions) joined += (joined.empty() ? "" : "\n;") + d.sql;
    pgwire::encode(pgwire::Query{joined}, upstream_out_);
  }
  if (!refs.empty()) {
    const auto now = std::chrono::steady_clock::now();
    for (const auto& ref : refs) tracker_.awaitOutcome({ref, now});
  }
  tracker_.close();
}

// Parse: decided and rewritten; parameter placeholders keep their numbers
// and the declared types stay as sent.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
asio::awaitable<void> ClientSession::onParse(const pgwire::Parse& m, const pgwire::Bytes& raw) {
  std::optional<Decided> decided = decideCached(m.sql);
  if (!decided) {  // (as in onQuery)
    std::vector<rewrite::Decision> fresh = co_await decide(m.sql);
    decided = Decided{nullptr, std::move(fresh)};
  }
  if (decided->all().empty()) {  // an empty query: the upstream answers EmptyQueryResponse
    forward(raw);
    tracker_.parse();
    co_return;
  }
  std::optional<pgwire::Bytes> refusal;
  if (decided->all().size() > 1) {
    refusal = errorFrame("ERROR", "42601", "cannot insert multiple commands into a prepared statement");
    for (auto& d : decided->mutableAll()) d.verdict = rewrite::Verdict::Deny;
  } else if (const rewrite::Decision* d = firstRefusal(decided->all())) {
    refusal = denialFrame(*d);
  }
  const std::vector<rewrite::Decision>& decisions = decided->all();
  std::vector<audit::StatementRef> refs;
  if (recording() && !co_await record(m.sql, decisions, refs) && !refusal) {
    refusal = errorFrame("ERROR", pgwire::sqlstate::kConnectionFailure,
                         "sqlwarden cannot write its audit trail: statement not run");
  }
  if (refusal) {
    pgwire::encode(pgwire::Parse{"", kDenialStatement, {}}, upstream_out_);
    pgwire::encode(pgwire::Bind{"", "", {}, {}, {}}, upstream_out_);
    pgwire::encode(pgwire::Execute{"", 0}, upstream_out_);
    tracker_.extendedDenial(std::move(*refusal));
    statements_.erase(m.name);
    state_ = State::DiscardUntilSync;
    co_return;
  }
  const rewrite::Decision& d = decisions[0];
  if (d.rewritten) pgwire::encode(pgwire::Parse{m.name, d.sql, m.param_type_oids}, upstream_out_);
  else forward(raw);
  tracker_.parse();
  if (!refs.empty()) statements_[m.name] = refs[0];
  else statements_.erase(m.name);
}

// A statement record gets one outcome (the store keys outcomes by statement;
// a second one would fail the store for good): its first execution's. A
// prepared statement executed again is covered by the record of its Parse.
void ClientSession::onBind(const pgwire::Bind& m, const pgwire::Bytes& raw) {
  forward(raw);
  tracker_.bind();
  auto it = statements_.find(m.statement);
  if (it != statements_.end() && !it->second.session_id.empty())
    portals_[m.portal] = std::exchange(it->second, audit::StatementRef{});
  else portals_.erase(m.portal);
}

void ClientSession::onExecute(const pgwire::Execute& m, const pgwire::Bytes& raw) {
  forward(raw);
  if (auto it = portals_.find(m.portal); it != portals_.end()) {
    tracker_.awaitOutcome({std::move(it->second), std::chrono::steady_clock::now()});
    portals_.erase(it);
  }
}

void ClientSession::denyFunctionCall() {
  pgwire::encode(pgwire::Query{kDenialStatement}, upstream_out_);
  tracker_.simpleDenial(errorFrame("ERROR", pgwire::sqlstate::kInsufficientPrivilege,
                                   "permission denied by sqlwarden: the FunctionCall message is not allowed"));
}

// --- Upstream -> client -------------------------------------------------------------

asio::awaitable<void> ClientSession::relayUpstream() {
  pgwire::Bytes in = std::move(upstream_leftover_);
  std::array<uint8_t, kReadSize> buf;
  // The upstream is trusted to send what PostgreSQL sends (up to 1 GiB a
  // message); the client's max_message_size does not apply to its rows.
  const uint32_t max_len = std::max<uint32_t>(gateway_.config().limits.max_message_size, (1u << 30) + 64);
  std::string lost;
  try {
    for (;;) {
      pgwire::Bytes out;
      size_t pos = 0;
      while (in.size() - pos >= 5) {
        const uint8_t type = in[pos];
        const uint32_t len = (uint32_t(in[pos + 1]) << 24) | (uint32_t(in[pos + 2]) << 16) |
                             (uint32_t(in[pos + 3]) << 8) | uint32_t(in[pos + 4]);
        if (len < 4 || len > max_len) throw std::runtime_error("malformed message from upstream");
        if (in.size() - pos < 1 + size_t(len)) break;
        // Most frames are relayed as they are: room for what one read
        // brings in, at once, rather than growing frame by frame.
        if (out.capacity() == 0) out.reserve(std::min(in.size() - pos, buf.size()));
        relayFrame(type, pgwire::ByteView(in.data() + pos, 1 + size_t(len)), out);
        pos += 1 + size_t(len);
      }
      in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(pos));
      if (!out.empty()) co_await client_writer_.write(std::move(out));
      const size_t n = co_await upstream_->readSome(buf.data(), buf.size());
      in.insert(in.end(), buf.data(), buf.data() + n);
    }
  } catch (const std::exception& e) {
    lost = e.what();
  }
  // The upstream went away mid-session (reset, restart, terminated): tell
  // the client plainly. Other sessions have their own connections.
  co_await upstreamLost(lost);
}

void ClientSession::captureResult(uint8_t type, pgwire::ByteView payload) {
  if (type == 'T') {
    auto parsed = pgwire::parseBackendMessage(type, payload);
    if (!parsed) return;
    if (auto* rd = std::get_if<pgwire::RowDescription>(&parsed.value())) {
      capture_.emplace();
      for (const auto& f : rd->fields) capture_->columns.push_back(f.name);
    }
    return;
  }
  if (!capture_ || capture_->truncated) return;
  auto parsed = pgwire::parseBackendMessage(type, payload);
  if (!parsed) return;
  if (auto* dr = std::get_if<pgwire::DataRow>(&parsed.value())) {
    audit::Row row;
    row.reserve(dr->values.size());
    for (const auto& v : dr->values) {
      if (v) row.emplace_back(std::string(v->begin(), v->end()));
      else row.emplace_back(std::nullopt);
    }
    audit::ResultLimits limits;
    limits.max_rows = gateway_.config().audit.result_rows;
    limits.max_bytes = gateway_.config().audit.result_bytes;
    audit::addResultRow(*capture_, std::move(row), limits);
  }
}

void ClientSession::relayFrame(uint8_t type, pgwire::ByteView frame, pgwire::Bytes& out) {
  const pgwire::ByteView payload = frame.subspan(5);
  RelayTracker::Verdict v = tracker_.onUpstream(type);
  // Rows are kept only as relayed to the client (a dropped or replaced
  // frame never reached it).
  if ((type == 'T' || type == 'D') && v.action == RelayTracker::Verdict::Action::Relay &&
      gateway_.config().audit.results && gateway_.recorder().enabled())
    captureResult(type, payload);
  if (type == 'Z') last_activity_ = coarseNow();
  if (v.completed) {
    audit::StatementOutcome outcome;
    outcome.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - v.completed->started)
                              .count();
    auto parsed = pgwire::parseBackendMessage(type, payload);
    if (parsed) {
      if (auto* cc = std::get_if<pgwire::CommandComplete>(&parsed.value())) {
        outcome.command_tag = cc->tag;
        outcome.rows = rowsFromTag(cc->tag);
      } else if (auto* er = std::get_if<pgwire::ErrorResponse>(&parsed.value())) {
        outcome.error_sqlstate = std::string(er->sqlstate());
        outcome.error_message = std::string(er->message());
      }
    }
    if (capture_) {
      outcome.result = std::move(capture_);
      capture_.reset();
    }
    gateway_.recorder().complete(v.completed->ref, std::move(outcome));
  }
  switch (v.action) {
    case RelayTracker::Verdict::Action::Drop: return;
    case RelayTracker::Verdict::Action::Replace: out.insert(out.end(), v.replacement->begin(), v.replacement->end()); return;
    case RelayTracker::Verdict::Action::Relay: break;
  }
  if (type == 'S') {  // ParameterStatus: never show the gateway's own role
    auto parsed = pgwire::parseBackendMessage(type, payload);
    if (parsed) {
      if (auto* ps = std::get_if<pgwire::ParameterStatus>(&parsed.value())) {
        if (ps->name == "session_authorization") ps->value = user_;
        if (ps->name == "is_superuser") ps->value = "off";
        pgwire::encode(*ps, out);
        return;
      }
    }
  }
  if (type == 'K') return;  // BackendKeyData after startup: the upstream's own key stays hidden
  out.insert(out.end(), frame.begin(), frame.end());
}

}  // namespace sqlwarden::proxy
