#pragma once
// OpenSSL contexts for both sides of the gateway, and the channel-binding
// data SCRAM-SHA-256-PLUS needs.
#include <utility>
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <optional>

#include "common/result.hpp"
#include "pgwire/bytes.hpp"
#include "proxy/gateway_config.hpp"

namespace sqlwarden::proxy {

/// The server context for client connections: TLS 1.2 or later, the
/// configured certificate and key. An error names the file that failed.
Result<std::unique_ptr<boost::asio::ssl::context>> makeServerTlsContext(const TlsConfig& config);

/// The client context for the upstream: TLS 1.2 or later; for verify-full
/// the CA file and peer verification (the host name is checked per
/// connection).
Result<std::unique_ptr<boost::asio::ssl::context>> makeUpstreamTlsContext(const UpstreamConfig& config);

/// tls-server-end-point (RFC 5929 section 4.1): the hash of `cert` with its
/// signature's hash algorithm (SHA-256 when that is MD5 or SHA-1).
std::optional<pgwire::Bytes> tlsServerEndPoint(X509* cert);

/// tls-server-end-point of the certificate in `ctx` (the gateway's own).
std::optional<pgwire::Bytes> serverCertificateEndPoint(boost::asio::ssl::context& ctx);

}  // namespace sqlwarden::proxy
