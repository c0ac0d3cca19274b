#include "proxy/https_get.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "proxy/channel.hpp"
#include "proxy/deadline.hpp"

namespace sqlwarden::proxy {

namespace {

Diagnostic httpsError(std::string message) { return Diagnostic::error("https-get", std::move(message), Span{}); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// Decodes a chunked body (RFC 9112 section 7.1); trailers are ignored.
Result<std::string> dechunk(std::string_view body, size_t max_body) {
  std::string out;
  for (;;) {
    const size_t eol = body.find("\r\n");
    if (eol == std::string_view::npos) return httpsError("truncated chunked body");
    std::string_view size_text = body.substr(0, eol);
    if (size_t semi = size_text.find(';'); semi != std::string_view::npos) size_text = size_text.substr(0, semi);
    size_text = trim(size_text);
    if (size_text.empty() || size_text.size() > 8) return httpsError("bad chunk size");
    size_t size = 0;
    for (char c : size_text) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return httpsError("bad chunk size");
      size = size * 16 + static_cast<size_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                                                                                          : std::tolower(c) - 'a' + 10);
    }
    body.remove_prefix(eol + 2);
    if (size == 0) return out;
    if (body.size() < size + 2 || body.substr(size, 2) != "\r\n") return httpsError("truncated chunked body");
    if (out.size() + size > max_body) return httpsError("response body larger than " + std::to_string(max_body) + " bytes");
    out.append(body.substr(0, size));
    body.remove_prefix(size + 2);
  }
}

}  // namespace

Result<HttpsUrl> parseHttpsUrl(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.size() < kScheme.size() || lower(url.substr(0, kScheme.size())) != kScheme)
    return httpsError("only https:// URLs are fetched: " + std::string(url));
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find('#') != std::string_view::npos) return httpsError("a URL fragment is not allowed: " + std::string(url));
  const size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  HttpsUrl out;
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (out.target[0] == '?') out.target.insert(out.target.begin(), '/');
  if (authority.find('@') != std::string_view::npos)
    return httpsError("credentials in the URL are not allowed: " + std::string(url));
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return httpsError("bad IPv6 address in " + std::string(url));
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return httpsError("bad host in " + std::string(url));
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return httpsError("no host in " + std::string(url));
  for (char c : out.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return httpsError("bad character in the URL path");
  if (!port_text.empty() || (authority.find(':') != std::string_view::npos && authority.front() != '[')) {
    if (port_text.empty() || port_text.size() > 5 ||
        !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return httpsError("bad port in " + std::string(url));
    const unsigned long port = std::stoul(std::string(port_text));
    if (port == 0 || port > 65535) return httpsError("bad port in " + std::string(url));
    out.port = static_cast<uint16_t>(port);
  }
  return out;
}

Result<std::string> httpResponseBody(std::string_view response, size_t max_body) {
  const size_t head_end = response.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return httpsError("no complete HTTP response header");
  std::string_view head = response.substr(0, head_end);
  std::string_view body = response.substr(head_end + 4);
  const size_t first_eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, first_eol);
  // HTTP/1.x SP 3DIGIT SP reason
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ')
    return httpsError("not an HTTP/1.x response");
  const std::string_view status = status_line.substr(9, 3);
  if (status != "200") return httpsError("the server answered " + std::string(trim(status_line.substr(9))));
  bool chunked = false;
  std::optional<size_t> length;
  std::string_view headers = first_eol == std::string_view::npos ? std::string_view() : head.substr(first_eol + 2);
  while (!headers.empty()) {
    const size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string value = lower(trim(line.substr(colon + 1)));
    if (name == "transfer-encoding") {
      if (value != "chunked" && value != "identity") return httpsError("unsupported Transfer-Encoding: " + value);
      chunked = value == "chunked";
    } else if (name == "content-length") {
      if (value.empty() || value.size() > 12 || !std::all_of(value.begin(), value.end(), ::isdigit))
        return httpsError("bad Content-Length");
      length = static_cast<size_t>(std::stoull(value));
    } else if (name == "content-encoding" && value != "identity") {
      return httpsError("unsupported Content-Encoding: " + value);
    }
  }
  if (chunked) return dechunk(body, max_body);
  if (length) {
    if (*length > max_body) return httpsError("response body larger than " + std::to_string(max_body) + " bytes");
    if (body.size() < *length) return httpsError("response body shorter than its Content-Length");
    return std::string(body.substr(0, *length));
  }
  if (body.size() > max_body) return httpsError("response body larger than " + std::to_string(max_body) + " bytes");
  return std::string(body);  // delimited by the end of the connection
}

asio::awaitable<Result<std::string>> httpsGet(asio::any_io_executor executor, std::string url,
                                              HttpsGetOptions options) {
  Result<HttpsUrl> parsed = parseHttpsUrl(url);
  if (!parsed) co_return parsed.error();
  const HttpsUrl u = std::move(parsed.value());

  asio::ssl::context ctx(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (options.ca_file.empty()) ctx.set_default_verify_paths(ec);
  else ctx.load_verify_file(options.ca_file, ec);
  if (ec) co_return httpsError("cannot load the CA " + (options.ca_file.empty() ? "store" : options.ca_file) + ": " + ec.message());
  ctx.set_verify_mode(asio::ssl::verify_peer);

  Channel channel(tcp::socket(executor), ctx);
  // The whole exchange is bounded: a server that stalls is cut off.
  const Deadline deadline(executor, options.timeout, [&channel] { channel.close(); });
  std::string response;
  std::string failure;
  try {
    tcp::resolver resolver(executor);
    auto endpoints = co_await resolver.async_resolve(u.host, std::to_string(u.port), asio::use_awaitable);
    co_await asio::async_connect(channel.socket(), endpoints, asio::use_awaitable);
    co_await channel.startTlsClient(u.host);  // SNI, and the certificate must name the host (or IP)
    const std::string host_header =
        (u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host) +
        (u.port == 443 ? std::string() : ":" + std::to_string(u.port));
    const std::string request = "GET " + u.target + " HTTP/1.1\r\nHost: " + host_header +
                                "\r\nAccept: application/json\r\nUser-Agent: sqlwarden\r\nConnection: close\r\n\r\n";
    co_await channel.writeAll(pgwire::ByteView(reinterpret_cast<const uint8_t*>(request.data()), request.size()));
    std::array<uint8_t, 16384> buf;
    const size_t limit = options.max_body + 65536;  // the body plus a generous header
    for (;;) {
      size_t n = 0;
      try {
        n = co_await channel.readSome(buf.data(), buf.size());
      } catch (const boost::system::system_error& e) {
        // The end of the connection ends the response (Connection: close);
        // many servers close without a TLS close_notify.
        if (e.code() == asio::error::eof || e.code() == asio::ssl::error::stream_truncated) break;
        throw;
      }
      response.append(reinterpret_cast<const char*>(buf.data()), n);
      if (response.size() > limit) {
        failure = "response larger than " + std::to_string(limit) + " bytes";
        break;
      }
    }
  } catch (const std::exception& e) {
    failure = deadline.expired() ? "no complete answer within " + std::to_string(options.timeout.count()) + " ms"
                                 : e.what();
  }
  channel.close();
  if (!failure.empty()) co_return httpsError("GET " + url + ": " + failure);
  Result<std::string> body = httpResponseBody(response, options.max_body);
  if (!body) {
    Diagnostic d = body.error();
    d.message = "GET " + url + ": " + d.message;
    co_return d;
  }
  co_return body;
}

}  // namespace sqlwarden::proxy
