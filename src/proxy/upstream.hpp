#pragma once
// The gateway's own connection to the upstream PostgreSQL: TCP, optional
// TLS (disable/prefer/require/verify-full), the startup packet, and the
// gateway's login (SCRAM-SHA-256 with channel binding when offered, md5,
// cleartext over TLS only). Clients never see this credential.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "pgwire/backend_decoder.hpp"
#include "pgwire/backend_messages.hpp"
#include "proxy/channel.hpp"
#include "proxy/gateway_config.hpp"

namespace sqlwarden::proxy {

/// A logged-in upstream connection, ready for queries.
struct UpstreamConnection {
  std::unique_ptr<Channel> channel;
  /// ParameterStatus messages of the startup, in order.
  std::vector<pgwire::ParameterStatus> parameters;
  pgwire::BackendKeyData key;
  /// Bytes read after the startup's ReadyForQuery (normally none).
  pgwire::Bytes leftover;
};

/// What a connection attempt needs besides the config.
struct UpstreamLogin {
  const UpstreamConfig* config = nullptr;
  boost::asio::ssl::context* tls_context = nullptr;
  /// The password, copied into wiped storage by the caller for this
  /// attempt only.
  pgwire::SecretString password;
  /// Startup parameters relayed from the client (application_name, ...);
  /// user and database are the config's.
  std::vector<std::pair<std::string, std::string>> parameters;
};

/// Connects and logs in. Errors are for the log (they never contain the
/// password); the client gets a generic 08006.
asio::awaitable<Result<UpstreamConnection>> connectUpstream(asio::any_io_executor executor, UpstreamLogin login);

/// Sends a CancelRequest for `key` to the upstream on a new connection
/// (protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS).
asio::awaitable<void> sendUpstreamCancel(asio::any_io_executor executor, std::string host, uint16_t port,
                                         pgwire::BackendKeyData key);

/// Runs `statements` (one query each) on a fresh upstream login and returns
/// their rows as text (nullopt for NULL). For the catalog introspection.
/// After the login, the exchange as a whole takes at most `timeout`: the
/// server is asked to stop each statement at 90% of it, and at `timeout`
/// the connection is closed and the call fails.
using TextRows = std::vector<std::vector<std::optional<std::string>>>;
asio::awaitable<Result<std::vector<TextRows>>> queryUpstream(asio::any_io_executor executor, UpstreamLogin login,
                                                              std::vector<std::string> statements,
                                                              std::chrono::milliseconds timeout);

}  // namespace sqlwarden::proxy
