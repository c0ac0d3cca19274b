#include "proxy/gateway.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <thread>

#include "pgwire/error_builder.hpp"
#include "proxy/client_session.hpp"
#include "proxy/https_get.hpp"
#include "proxy/tls.hpp"

namespace sqlwarden::proxy {

namespace asio = boost::asio;

Gateway::Gateway(GatewayConfig config, std::ostream& log) : config_(std::move(config)), log_(log) {}

Gateway::~Gateway() {
  blocking_.join();
  // Strict recording calls sessions back through their io_context: let the
  // store finish (and call back into the stopped contexts) while they exist.
  if (recorder_) recorder_->flush();
}

void Gateway::log(const std::string& line) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::lock_guard lock(log_mutex_);
  log_ << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ") << " sqlwarden: " << line << '\n' << std::flush;
}

Result<std::unique_ptr<Gateway>> Gateway::create(GatewayConfig config, std::ostream& log) {
  std::unique_ptr<Gateway> gw(new Gateway(std::move(config), log));
  const GatewayConfig& cfg = gw->config_;

  auto server_tls = makeServerTlsContext(cfg.tls);
  if (!server_tls) return server_tls.error();
  gw->server_tls_ = std::move(server_tls.value());
  if (cfg.tls.mode != ClientTlsMode::Off) gw->server_end_point_ = serverCertificateEndPoint(*gw->server_tls_);
  auto upstream_tls = makeUpstreamTlsContext(cfg.upstream);
  if (!upstream_tls) return upstream_tls.error();
  gw->upstream_tls_ = std::move(upstream_tls.value());

  for (const IdentityProviderConfig& idp : cfg.identity_providers) {
    auto v = JwtVerifier::create(idp);
    if (!v) return v.error();
    gw->verifiers_.push_back(std::move(v.value()));
  }
  gw->jwks_fetched_.resize(gw->verifiers_.size());
  if (!gw->verifiers_.empty() && cfg.tls.mode == ClientTlsMode::Off)
    gw->log("warning: tls is off, so tokens would travel in the clear: token logins are accepted without TLS");

  gw->mock_secret_.resize(32);
  if (RAND_bytes(gw->mock_secret_.data(), 32) != 1)
    return Diagnostic::error("gateway-random", "the random number generator failed", Span{});

  // The upstream password: an environment variable is read once and wiped
  // from the environment block; a file is read for each login.
  if (cfg.upstream.password.kind == PasswordSource::Kind::Env) {
    char* value = std::getenv(cfg.upstream.password.name.c_str());
    if (!value) return Diagnostic::error("gateway-password", "environment variable " + cfg.upstream.password.name + " is not set", Span{});
    gw->env_password_ = pgwire::SecretString(value);
    pgwire::secureWipe(value, std::strlen(value));
    unsetenv(cfg.upstream.password.name.c_str());
  } else if (cfg.upstream.password.kind == PasswordSource::Kind::File) {
    std::ifstream in(cfg.upstream.password.name);
    if (!in) return Diagnostic::error("gateway-password", "cannot read password file " + cfg.upstream.password.name, Span{});
  }

  gw->policies_ = std::make_unique<PolicyStore>(cfg.policies);
  if (auto r = gw->policies_->reload(); !r)
    return Diagnostic::error("gateway-policy", "the policy does not compile:\n" + r.error().message, Span{});

  if (!cfg.audit.file.empty()) {
    audit::ResultLimits limits;
    limits.max_rows = cfg.audit.result_rows;
    limits.max_bytes = cfg.audit.result_bytes;
    auto rec = AuditRecorder::open(cfg.audit.file, cfg.audit.strict, limits);
    if (!rec) return Diagnostic::error("gateway-audit", "cannot open the audit store " + cfg.audit.file + ": " + rec.error().message, Span{});
    gw->recorder_ = std::move(rec.value());
  } else {
    gw->recorder_ = std::make_unique<NullRecorder>();
  }
  return gw;
}

Result<UpstreamLogin> Gateway::upstreamLogin(std::vector<std::pair<std::string, std::string>> parameters) {
  UpstreamLogin login;
  login.config = &config_.upstream;
  login.tls_context = upstream_tls_.get();
  login.parameters = std::move(parameters);
  switch (config_.upstream.password.kind) {
    case PasswordSource::Kind::None: break;
    case PasswordSource::Kind::Env: login.password = env_password_; break;
    case PasswordSource::Kind::File: {
      std::ifstream in(config_.upstream.password.name, std::ios::binary);
      if (!in) return Diagnostic::error("gateway-password", "cannot read the upstream password file", Span{});
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      size_t end = text.find_first_of("\r\n");
      login.password = pgwire::SecretString(std::string_view(text).substr(0, end));
      pgwire::secureWipe(text.data(), text.size());
      break;
    }
  }
  return login;
}

asio::awaitable<bool> Gateway::refreshJwks(size_t index, bool on_demand) {
  JwtVerifier& verifier = verifiers_[index];
  const IdentityProviderConfig& idp = verifier.config();
  if (idp.jwks_url.empty()) co_return false;
  {
    std::lock_guard lock(jwks_mutex_);
    const auto now = std::chrono::steady_clock::now();
    auto& last = jwks_fetched_[index];
    if (on_demand && last != std::chrono::steady_clock::time_point{} && now - last < std::chrono::seconds(30))
      co_return false;
    last = now;
  }
  HttpsGetOptions options;
  options.ca_file = idp.jwks_ca;
  auto body = co_await httpsGet(co_await asio::this_coro::executor, idp.jwks_url, options);
  if (!body) {
    log("identity_provider \"" + idp.name + "\": cannot fetch its JWKS (keeping " +
        std::to_string(verifier.keyCount()) + " keys): " + body.error().message);
    co_return false;
  }
  auto keys = JwksKeySet::parse(*body);
  if (!keys) {
    log("identity_provider \"" + idp.name + "\": the JWKS at " + idp.jwks_url + " is not usable (keeping " +
        std::to_string(verifier.keyCount()) + " keys): " + keys.error().message);
    co_return false;
  }
  const size_t n = keys->size();
  verifier.setKeys(std::move(keys.value()));
  log("identity_provider \"" + idp.name + "\": " + std::to_string(n) + " keys from " + idp.jwks_url);
  co_return true;
}

asio::awaitable<void> Gateway::watchJwks(size_t index) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto every = verifiers_[index].config().jwks_refresh;
  while (!stopping_) {
    // Without keys (the issuer was down at start), try again sooner.
    timer.expires_after(verifiers_[index].keyCount() == 0 ? std::chrono::seconds(30) : every);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec || stopping_) co_return;
    co_await refreshJwks(index, false);
  }
}

asio::awaitable<bool> Gateway::refreshCatalog() {
  if (!catalog_.claimRefresh(std::chrono::milliseconds(1000))) co_return false;
  auto login = upstreamLogin({{"application_name", "sqlwarden catalog"}});
  if (!login) {
    log("catalog refresh failed: " + login.error().message);
    co_return false;
  }
  auto rows = co_await queryUpstream(co_await asio::this_coro::executor, std::move(login.value()), catalogQueries(),
                                     config_.upstream.catalog_timeout);
  if (!rows) {
    log("catalog refresh failed: " + rows.error().message);
    co_return false;
  }
  catalog::Catalog cat = catalogFromRows(*rows);
  const size_t tables = cat.tables().size();
  catalog_.install(std::move(cat));
  log("catalog loaded: " + std::to_string(tables) + " tables");
  co_return true;
}

pgwire::BackendKeyData Gateway::registerCancelKey(const pgwire::BackendKeyData& upstream,
                                                  std::shared_ptr<std::atomic<bool>> cancelled) {
  pgwire::BackendKeyData ours;
  ours.secret_key.resize(4);
  std::lock_guard lock(cancel_mutex_);
  do {
    int32_t pid = 0;
    RAND_bytes(reinterpret_cast<unsigned char*>(&pid), sizeof pid);
    ours.process_id = pid & 0x7fffffff;
  } while (ours.process_id == 0 || cancel_keys_.count(ours.process_id));
  RAND_bytes(ours.secret_key.data(), 4);
  cancel_keys_[ours.process_id] = CancelKey{ours, upstream, std::move(cancelled)};
  return ours;
}

void Gateway::unregisterCancelKey(int32_t process_id) {
  std::lock_guard lock(cancel_mutex_);
  cancel_keys_.erase(process_id);
}

asio::awaitable<void> Gateway::cancel(const pgwire::CancelRequest& request) {
  std::optional<pgwire::BackendKeyData> upstream;
  {
    std::lock_guard lock(cancel_mutex_);
    auto it = cancel_keys_.find(request.process_id);
    if (it != cancel_keys_.end()) {
      const pgwire::Bytes& key = it->second.ours.secret_key;
      if (key.size() == request.secret_key.size() &&
          CRYPTO_memcmp(key.data(), request.secret_key.data(), key.size()) == 0) {
        upstream = it->second.upstream;
        if (it->second.cancelled) it->second.cancelled->store(true);
      }
    }
  }
  if (!upstream) co_return;  // like PostgreSQL: a wrong key is ignored silently
  co_await sendUpstreamCancel(co_await asio::this_coro::executor, config_.upstream.host, config_.upstream.port, *upstream);
}

asio::io_context& Gateway::nextContext() {
  return *contexts_[next_context_++ % contexts_.size()];
}

asio::awaitable<void> Gateway::acceptLoop(asio::ip::tcp::acceptor& acceptor) {
  for (;;) {
    asio::io_context& ctx = nextContext();
    asio::ip::tcp::socket socket(ctx);
    try {
      co_await acceptor.async_accept(socket, asio::use_awaitable);
    } catch (const std::exception&) {
      if (stopping_) co_return;
      continue;
    }
    boost::system::error_code ec;
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    if (sessions_.load() >= config_.limits.max_connections) {
      // Too many: answer as PostgreSQL does, then close (best effort, blocking is fine for one small write).
      pgwire::Bytes out;
      pgwire::encode(pgwire::ErrorBuilder("FATAL", pgwire::sqlstate::kTooManyConnections,
                                          "sorry, too many clients already").error(), out);
      asio::write(socket, asio::buffer(out), ec);
      socket.close(ec);
      continue;
    }
    auto session = std::make_shared<ClientSession>(*this, std::move(socket));
    asio::co_spawn(ctx, [session]() -> asio::awaitable<void> { co_await session->run(); }, asio::detached);
  }
}

void Gateway::reloadPolicies(const char* why) {
  auto r = policies_->reload();
  if (r) log(std::string("policy reloaded (") + why + "), generation " + std::to_string(policies_->current()->generation));
  else log(std::string("policy reload (") + why + ") failed; keeping the previous policy:\n" + r.error().message);
}

asio::awaitable<void> Gateway::watchPolicies() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!stopping_) {
    timer.expires_after(std::chrono::seconds(2));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping_) break;
    if (policies_->changedOnDisk()) reloadPolicies("file changed");
  }
}

void Gateway::stop() {
  if (contexts_.empty()) return;
  asio::post(*contexts_[0], [this] {
    if (stopping_.exchange(true)) return;
    log("shutting down: no new connections; waiting for sessions to finish");
    for (auto& a : acceptors_) {
      boost::system::error_code ec;
      a->close(ec);
    }
  });
}

int Gateway::run() {
  unsigned threads = config_.limits.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) contexts_.push_back(std::make_unique<asio::io_context>(1));
  asio::io_context& main = *contexts_[0];

  for (const ListenAddress& la : config_.listen) {
    try {
      auto address = asio::ip::make_address(la.host == "localhost" ? "127.0.0.1" : la.host);
      auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(main);
      asio::ip::tcp::endpoint ep(address, la.port);
      acceptor->open(ep.protocol());
      acceptor->set_option(asio::ip::tcp::acceptor::reuse_address(true));
      acceptor->bind(ep);
      acceptor->listen(asio::socket_base::max_listen_connections);
      log("listening on " + la.host + ":" + std::to_string(acceptor->local_endpoint().port()));
      acceptors_.push_back(std::move(acceptor));
    } catch (const std::exception& e) {
      log("cannot listen on " + la.host + ":" + std::to_string(la.port) + ": " + e.what());
      return 1;
    }
  }

  asio::signal_set signals(main, SIGINT, SIGTERM, SIGHUP);
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      reloadPolicies("SIGHUP");
      signals.async_wait(on_signal);
      return;
    }
    stop();
  };
  signals.async_wait(on_signal);

  asio::co_spawn(main, [this]() -> asio::awaitable<void> {
    co_await refreshCatalog();
    // Keys from a JWKS URL before the first login, and then every jwks_refresh.
    for (size_t i = 0; i < verifiers_.size(); ++i) {
      if (verifiers_[i].config().jwks_url.empty()) continue;
      co_await refreshJwks(i, false);
      asio::co_spawn(*contexts_[0], watchJwks(i), asio::detached);
    }
    for (auto& a : acceptors_) asio::co_spawn(*contexts_[0], acceptLoop(*a), asio::detached);
  }, asio::detached);
  asio::co_spawn(main, watchPolicies(), asio::detached);

  // Shutdown watcher: once stopping, wait for sessions to end (30 s at most).
  asio::steady_timer drain(main);
  std::function<void()> check_drain;
  auto deadline = std::make_shared<std::optional<std::chrono::steady_clock::time_point>>();
  check_drain = [&] {
    drain.expires_after(std::chrono::milliseconds(200));
    drain.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      if (stopping_) {
        if (!*deadline) *deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        if (sessions_.load() == 0 || std::chrono::steady_clock::now() > **deadline) {
          signals.cancel();
          for (auto& c : contexts_) c->stop();
          return;
        }
      }
      check_drain();
    });
  };
  check_drain();

  std::vector<std::thread> pool;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& c : contexts_) guards.push_back(asio::make_work_guard(*c));
  for (size_t i = 1; i < contexts_.size(); ++i) pool.emplace_back([c = contexts_[i].get()] { c->run(); });
  main.run();
  for (auto& c : contexts_) c->stop();
  for (auto& t : pool) t.join();
  log("stopped");
  return 0;
}

}  // namespace sqlwarden::proxy
