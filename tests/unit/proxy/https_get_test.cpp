// The HTTPS client's URL and response parsing (https_get.hpp); the TLS and
// network side runs against a real HTTPS server in
// tests/integration/gateway_jwks_url_test.sh.
#include <doctest/doctest.h>

#include "proxy/https_get.hpp"

using sqlwarden::proxy::httpResponseBody;
using sqlwarden::proxy::parseHttpsUrl;

TEST_CASE("https URLs: host, port, path; anything else is refused with a reason") {
  auto u = parseHttpsUrl("https://idp.example.com/.well-known/jwks.json");
  REQUIRE(u);
  CHECK(u->host == "idp.example.com");
  CHECK(u->port == 443);
  CHECK(u->target == "/.well-known/jwks.json");
  u = parseHttpsUrl("HTTPS://127.0.0.1:8443");
  REQUIRE(u);
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == 8443);
  CHECK(u->target == "/");
  u = parseHttpsUrl("https://[::1]:9000/keys?tenant=a");
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->port == 9000);
  CHECK(u->target == "/keys?tenant=a");

  for (const char* bad : {"http://idp.example.com/jwks.json", "idp.example.com", "https://", "https:///x",
                          "https://user:pw@idp.example.com/", "https://idp.example.com:0/", "https://idp.example.com:70000/",
                          "https://idp.example.com:/x", "https://idp.example.com:8a/", "https://idp.example.com/a#frag",
                          "https://idp.example.com/a b", "https://[::1/x"}) {
    CAPTURE(bad);
    auto r = parseHttpsUrl(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "https-get");
  }
  CHECK(parseHttpsUrl("http://x/").error().message.find("only https://") != std::string::npos);
}

TEST_CASE("http responses: 200 bodies by length, chunks or close; other answers are errors") {
  CHECK(httpResponseBody("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 100).value() == "hello");
  CHECK(httpResponseBody("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"keys\":[]}", 100).value() ==
        "{\"keys\":[]}");
  CHECK(httpResponseBody("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{\"ke\r\n7\r\nys\":[]}\r\n0\r\n\r\n", 100)
            .value() == "{\"keys\":[]}");

  auto err = [](std::string_view response, size_t max = 100) {
    auto r = httpResponseBody(response, max);
    REQUIRE_FALSE(r);
    return r.error().message;
  };
  CHECK(err("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n") == "the server answered 404 Not Found");
  CHECK(err("HTTP/1.1 301 Moved\r\nLocation: https://x/\r\n\r\n") == "the server answered 301 Moved");
  CHECK(err("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort") == "response body shorter than its Content-Length");
  CHECK(err("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n") == "response body larger than 100 bytes");
  CHECK(err("HTTP/1.1 200 OK\r\n\r\n" + std::string(200, 'x')) == "response body larger than 100 bytes");
  CHECK(err("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") == "truncated chunked body");
  CHECK(err("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == "bad chunk size");
  CHECK(err("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n") == "unsupported Transfer-Encoding: gzip");
  CHECK(err("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n") == "unsupported Content-Encoding: gzip");
  CHECK(err("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") == "bad Content-Length");
  CHECK(err("SSH-2.0-OpenSSH\r\n\r\n") == "not an HTTP/1.x response");
  CHECK(err("HTTP/1.1 200 OK\r\nContent-Length: 5") == "no complete HTTP response header");
}
