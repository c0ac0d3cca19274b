#pragma once
// The gateway process: listening sockets, one io_context per thread (a
// session lives on one of them for its whole life, so its two coroutines
// never race), the state every session shares (policy, catalog, audit,
// token verifiers, cancel keys), hot policy reload, graceful shutdown.
#include <utility>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "pgwire/backend_messages.hpp"
#include "pgwire/bytes.hpp"
#include "pgwire/frontend_messages.hpp"
#include "proxy/catalog_loader.hpp"
#include "proxy/gateway_config.hpp"
#include "proxy/jwt_verifier.hpp"
#include "proxy/policy_store.hpp"
#include "proxy/recorder.hpp"
#include "proxy/upstream.hpp"

namespace sqlwarden::proxy {

class Gateway {
 public:
  /// Checks everything that can be checked before listening: TLS files,
  /// JWKS files, the policy, the audit store, the upstream password source.
  /// `log` receives one line per event; it must outlive the gateway.
  static Result<std::unique_ptr<Gateway>> create(GatewayConfig config, std::ostream& log);
  ~Gateway();

  /// Listens and serves until SIGTERM or SIGINT (then lets running sessions
  /// finish, up to 30 s). Returns 0, or 1 when it could not listen.
  int run();
  /// Asks run() to stop as SIGTERM would (thread-safe).
  void stop();

  // --- For sessions ---
  const GatewayConfig& config() const { return config_; }
  boost::asio::ssl::context& serverTls() { return *server_tls_; }
  const std::optional<pgwire::Bytes>& serverEndPoint() const { return server_end_point_; }
  PolicyStore& policies() { return *policies_; }
  CatalogCache& catalog() { return catalog_; }
  Recorder& recorder() { return *recorder_; }
  boost::asio::thread_pool& blockingPool() { return blocking_; }
  const std::vector<JwtVerifier>& verifiers() const { return verifiers_; }
  pgwire::ByteView mockSecret() const { return mock_secret_; }
  /// A login for a new upstream connection with the client's relayed
  /// parameters (the password is read for this login only).
  Result<UpstreamLogin> upstreamLogin(std::vector<std::pair<std::string, std::string>> parameters);
  /// Fetches identity provider `index`'s jwks_url and installs its keys.
  /// `on_demand` (a token with a kid we do not know): at most once per 30 s
  /// per provider, so unknown kids cannot make us hammer the issuer.
  /// Returns whether new keys were installed.
  boost::asio::awaitable<bool> refreshJwks(size_t index, bool on_demand);

  /// Reads the upstream catalog on a new connection and installs it.
  /// At most one refresh per second; returns whether one ran and succeeded.
  boost::asio::awaitable<bool> refreshCatalog();

  /// Issues the gateway's own BackendKeyData for a session whose upstream
  /// key is `upstream`. A matching CancelRequest also sets `cancelled` (the
  /// session looks at it while it holds a statement for approval).
  pgwire::BackendKeyData registerCancelKey(const pgwire::BackendKeyData& upstream,
                                           std::shared_ptr<std::atomic<bool>> cancelled);
  void unregisterCancelKey(int32_t process_id);
  /// Forwards a client's CancelRequest to the upstream when its key is ours.
  boost::asio::awaitable<void> cancel(const pgwire::CancelRequest& request);

  void log(const std::string& line);
  /// True once SIGTERM/SIGINT (or stop()) asked the gateway to shut down:
  /// sessions end as soon as they have nothing running.
  bool stopping() const { return stopping_.load(); }
  std::atomic<uint32_t>& sessionCount() { return sessions_; }

 private:
  explicit Gateway(GatewayConfig config, std::ostream& log);
  boost::asio::io_context& nextContext();
  boost::asio::awaitable<void> acceptLoop(boost::asio::ip::tcp::acceptor& acceptor);
  boost::asio::awaitable<void> watchPolicies();
  boost::asio::awaitable<void> watchJwks(size_t index);
  void reloadPolicies(const char* why);

  GatewayConfig config_;
  std::ostream& log_;
  std::mutex log_mutex_;
  std::unique_ptr<boost::asio::ssl::context> server_tls_;
  std::optional<pgwire::Bytes> server_end_point_;
  std::unique_ptr<boost::asio::ssl::context> upstream_tls_;
  std::unique_ptr<PolicyStore> policies_;
  CatalogCache catalog_;
  std::unique_ptr<Recorder> recorder_;
  boost::asio::thread_pool blocking_{16};
  std::vector<JwtVerifier> verifiers_;
  std::mutex jwks_mutex_;
  std::vector<std::chrono::steady_clock::time_point> jwks_fetched_;  // last attempt per provider
  pgwire::Bytes mock_secret_;
  pgwire::SecretString env_password_;  // read once from the environment, which is then wiped

  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::atomic<size_t> next_context_{0};
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint32_t> sessions_{0};

  std::mutex cancel_mutex_;
  struct CancelKey {
    pgwire::BackendKeyData ours, upstream;
    std::shared_ptr<std::atomic<bool>> cancelled;
  };
  std::unordered_map<int32_t, CancelKey> cancel_keys_;  // our process id -> keys
};

/// Runs `f` on the gateway's blocking pool and resumes the calling coroutine
/// on its own executor with the result.
///
/// `f` is taken by reference and must be a named object in the caller's
/// frame, and the spawned lambda captures only a pointer: with GCC 12 and
/// Asio 1.74, a closure with non-trivial captures handed by value to a
/// coroutine was destroyed twice (a double free of its captures).
template <class F>
boost::asio::awaitable<std::optional<std::invoke_result_t<F&>>> offload(boost::asio::thread_pool& pool, F& f) {
  using R = std::invoke_result_t<F&>;
  F* fp = &f;
  co_return co_await boost::asio::co_spawn(
      pool, [fp]() -> boost::asio::awaitable<std::optional<R>> { co_return std::optional<R>((*fp)()); },
      boost::asio::use_awaitable);
}

}  // namespace sqlwarden::proxy
