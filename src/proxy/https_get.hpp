#pragma once
// A small HTTPS client for one thing: fetching an identity provider's JWKS
// (jwks_url in the gateway configuration). HTTP/1.1 GET with
// `Connection: close`, TLS 1.2+ with the server's certificate checked
// against a CA file (or the system's trust store) and its name against the
// URL's host. Identity, chunked and Content-Length bodies; no redirects, no
// proxies, no compression. Everything it refuses is an error that says why.
#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange
#include <boost/asio.hpp>

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sqlwarden::proxy {

/// An https:// URL split up: host (a name, an IPv4 address or a [bracketed]
/// IPv6 address), port (443 unless given) and path ("/" when empty).
struct HttpsUrl {
  std::string host;
  uint16_t port = 443;
  std::string target;  ///< path and query, as sent in the request line
};
/// Parses `url`; anything but https:// (or userinfo, a fragment, a bad
/// port) is an error.
Result<HttpsUrl> parseHttpsUrl(std::string_view url);

struct HttpsGetOptions {
  std::string ca_file;  ///< PEM bundle to trust; empty: the system's store
  std::chrono::milliseconds timeout{10000};  ///< the whole exchange
  size_t max_body = 1 << 20;                 ///< bytes of body accepted
};

/// GETs `url` and returns the body of a 200 response.
boost::asio::awaitable<Result<std::string>> httpsGet(boost::asio::any_io_executor executor, std::string url,
                                                     HttpsGetOptions options);

/// The body of an HTTP/1.x response held whole in `response` (status line,
/// headers, body), when its status is 200; exposed for tests.
Result<std::string> httpResponseBody(std::string_view response, size_t max_body);

}  // namespace sqlwarden::proxy
