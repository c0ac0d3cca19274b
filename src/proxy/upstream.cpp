#include "proxy/upstream.hpp"

#include <array>
#include <memory>
#include <optional>

#include "pgwire/frontend_messages.hpp"
#include "pgwire/md5_password.hpp"
#include "pgwire/scram_client.hpp"
#include "proxy/deadline.hpp"
#include "proxy/tls.hpp"

namespace sqlwarden::proxy {

namespace {

Diagnostic upstreamError(std::string message) {
  return Diagnostic::error("upstream", std::move(message), Span{});
}

// Reads until the decoder has a message (or fails).
asio::awaitable<pgwire::DecodeResult<pgwire::BackendMessage>> readMessage(Channel& ch, pgwire::BackendDecoder& dec) {
  std::array<uint8_t, 8192> buf;
  for (;;) {
    auto r = dec.next();
    if (!r.isNeedMoreData()) co_return r;
    const size_t n = co_await ch.readSome(buf.data(), buf.size());
    dec.feed(pgwire::ByteView(buf.data(), n));
  }
}

// Sends a secret message and wipes the encoded frame.
asio::awaitable<void> sendSecret(Channel& ch, const pgwire::PasswordMessage& m) {
  pgwire::Bytes out;
  pgwire::encode(m, out);
  std::exception_ptr failed;
  try {
    co_await ch.writeAll(out);
  } catch (...) {
    failed = std::current_exception();
  }
  pgwire::secureWipe(out.data(), out.size());
  if (failed) std::rethrow_exception(failed);
}

// What the connect timeout closes when it fires; set by login() as it goes.
struct LoginWatch {
  tcp::socket* socket = nullptr;
  bool done = false;
  bool expired = false;
};

asio::awaitable<Result<UpstreamConnection>> login(asio::any_io_executor executor, UpstreamLogin& login,
                                                 LoginWatch& watch) {
  const UpstreamConfig& cfg = *login.config;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(cfg.host, std::to_string(cfg.port), asio::use_awaitable);
  UpstreamConnection conn;
  conn.channel = std::make_unique<Channel>(tcp::socket(executor), *login.tls_context);
  Channel& ch = *conn.channel;
  watch.socket = &ch.socket();
  if (watch.expired) co_return upstreamError("connect timeout");
  co_await asio::async_connect(ch.socket(), endpoints, asio::use_awaitable);
  ch.socket().set_option(tcp::no_delay(true));
  pgwire::BackendDecoder dec;

  // SSLRequest (protocol-flow.html#PROTOCOL-FLOW-SSL)
  if (cfg.tls != UpstreamTlsMode::Disable) {
    pgwire::Bytes req;
    pgwire::encode(pgwire::SslRequest{}, req);
    co_await ch.writeAll(req);
    dec.expectSslResponse();
    auto r = co_await readMessage(ch, dec);
    if (!r.isReady()) co_return upstreamError("bad answer to SSLRequest");
    const auto* ssl = std::get_if<pgwire::SslResponse>(&r.message());
    if (!ssl) co_return upstreamError("upstream answered SSLRequest with " + std::string(pgwire::messageName(r.message())));
    if (ssl->accepted) {
      if (!dec.pending().empty()) co_return upstreamError("upstream sent data before the TLS handshake");
      co_await ch.startTlsClient(cfg.host);
    } else if (cfg.tls != UpstreamTlsMode::Prefer) {
      co_return upstreamError("upstream does not support TLS, and tls is " +
                              std::string(cfg.tls == UpstreamTlsMode::Require ? "require" : "verify-full"));
    }
  }

  pgwire::StartupMessage startup;
  startup.parameters.emplace_back("user", cfg.user);
  startup.parameters.emplace_back("database", cfg.database);
  for (auto& p : login.parameters) startup.parameters.push_back(p);
  pgwire::Bytes out;
  pgwire::encode(startup, out);
  co_await ch.writeAll(out);

  std::optional<pgwire::ScramClient> scram;
  bool authenticated = false;
  for (;;) {
    auto r = co_await readMessage(ch, dec);
    if (r.isError()) co_return upstreamError("malformed message from upstream: " + r.error().message);
    auto& m = r.message();
    if (auto* auth = std::get_if<pgwire::Authentication>(&m)) {
      switch (auth->request) {
        case pgwire::AuthRequest::Ok:
          if (scram) co_return upstreamError("upstream skipped SCRAM's final message");
          authenticated = true;
          break;
        case pgwire::AuthRequest::CleartextPassword:
          if (!ch.tls()) co_return upstreamError("upstream asks for a cleartext password without TLS: refused");
          co_await sendSecret(ch, pgwire::makePasswordMessage(login.password.view()));
          login.password.wipe();
          break;
        case pgwire::AuthRequest::Md5Password: {
          pgwire::SecretString answer = pgwire::md5PasswordResponse(cfg.user, login.password.view(), auth->md5_salt);
          login.password.wipe();
          co_await sendSecret(ch, pgwire::makePasswordMessage(answer.view()));
          break;
        }
        case pgwire::AuthRequest::Sasl: {
          pgwire::ScramChannelBinding binding;
          bool plus = false;
          for (const auto& mech : auth->mechanisms) plus |= mech == pgwire::kScramSha256Plus;
          if (ch.tls()) {
            X509* cert = SSL_get1_peer_certificate(ch.ssl());
            auto endpoint = tlsServerEndPoint(cert);
            X509_free(cert);
            if (plus && endpoint) {
              binding.mode = pgwire::ScramChannelBinding::Mode::Required;
              binding.data = *endpoint;
            } else {
              binding.mode = pgwire::ScramChannelBinding::Mode::NotUsed;
            }
          }
          auto client = pgwire::ScramClient::start(login.password.view(), binding);
          login.password.wipe();
          if (!client) co_return upstreamError("SCRAM: " + client.error().message);
          scram.emplace(std::move(client.value()));
          co_await sendSecret(ch, pgwire::makeSaslInitialResponse(scram->mechanism(), scram->clientFirstMessage()));
          break;
        }
        case pgwire::AuthRequest::SaslContinue: {
          if (!scram) co_return upstreamError("unexpected SASLContinue");
          auto final_message = scram->handleServerFirst(pgwire::asText(auth->data));
          if (!final_message) co_return upstreamError("SCRAM: " + final_message.error().message);
          co_await sendSecret(ch, pgwire::makeSaslResponse(*final_message));
          pgwire::secureWipe(final_message->data(), final_message->size());
          break;
        }
        case pgwire::AuthRequest::SaslFinal: {
          if (!scram) co_return upstreamError("unexpected SASLFinal");
          if (auto err = scram->verifyServerFinal(pgwire::asText(auth->data)))
            co_return upstreamError("SCRAM: upstream could not prove it knows the password: " + err->message);
          scram.reset();
          break;
        }
        default: co_return upstreamError("unsupported upstream authentication method");
      }
    } else if (auto* ps = std::get_if<pgwire::ParameterStatus>(&m)) {
      conn.parameters.push_back(*ps);
    } else if (auto* key = std::get_if<pgwire::BackendKeyData>(&m)) {
      conn.key = *key;
    } else if (std::get_if<pgwire::ReadyForQuery>(&m)) {
      if (!authenticated) co_return upstreamError("ReadyForQuery before authentication");
      auto rest = dec.pending();
      conn.leftover.assign(rest.begin(), rest.end());
      co_return conn;
    } else if (auto* err = std::get_if<pgwire::ErrorResponse>(&m)) {
      co_return upstreamError("upstream refused the login: " + std::string(err->sqlstate()) + " " +
                              std::string(err->message()));
    } else if (std::get_if<pgwire::NoticeResponse>(&m) || std::get_if<pgwire::NegotiateProtocolVersion>(&m)) {
      continue;
    } else {
      co_return upstreamError("unexpected " + std::string(pgwire::messageName(m)) + " during upstream startup");
    }
  }
}

}  // namespace

asio::awaitable<Result<UpstreamConnection>> connectUpstream(asio::any_io_executor executor, UpstreamLogin login) {
  // connect_timeout bounds the whole login (TCP, TLS, authentication): a
  // database that accepts and then says nothing must not hold the session.
  // The timer and the login run on the same executor, so no lock is needed.
  auto watch = std::make_shared<LoginWatch>();
  asio::steady_timer timer(executor);
  timer.expires_after(login.config->connect_timeout.count() > 0 ? login.config->connect_timeout
                                                                 : std::chrono::milliseconds(std::chrono::hours(24 * 365)));
  timer.async_wait([watch](boost::system::error_code ec) {
    if (ec || watch->done) return;
    watch->expired = true;
    boost::system::error_code ignored;
    if (watch->socket) watch->socket->close(ignored);
  });
  std::optional<Result<UpstreamConnection>> result;
  try {
    result.emplace(co_await proxy::login(executor, login, *watch));
  } catch (const std::exception& e) {
    const std::string why = watch->expired ? "connect timeout" : e.what();
    result.emplace(upstreamError("cannot connect to upstream: " + why));
  }
  watch->done = true;
  watch->socket = nullptr;
  timer.cancel();
  login.password.wipe();
  if (*result && watch->expired) co_return upstreamError("cannot connect to upstream: connect timeout");
  co_return std::move(*result);
}

asio::awaitable<void> sendUpstreamCancel(asio::any_io_executor executor, std::string host, uint16_t port,
                                         pgwire::BackendKeyData key) {
  try {
    tcp::resolver resolver(executor);
    auto endpoints = co_await resolver.async_resolve(host, std::to_string(port), asio::use_awaitable);
    tcp::socket socket(executor);
    co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
    pgwire::Bytes out;
    pgwire::encode(pgwire::CancelRequest{key.process_id, key.secret_key}, out);
    co_await asio::async_write(socket, asio::buffer(out), asio::use_awaitable);
    // The server closes the connection once it has read the request.
    std::array<uint8_t, 16> buf;
    boost::system::error_code ec;
    co_await socket.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
  } catch (const std::exception&) {
    // A cancel is best effort, as in PostgreSQL.
  }
}

asio::awaitable<Result<std::vector<TextRows>>> queryUpstream(asio::any_io_executor executor, UpstreamLogin login,
                                                              std::vector<std::string> statements,
                                                              std::chrono::milliseconds timeout) {
  auto conn = co_await connectUpstream(executor, std::move(login));
  if (!conn) co_return conn.error();
  Channel& ch = *conn->channel;
  // The whole exchange is bounded: a database that stops answering must not
  // hold the gateway's catalog (and the sessions waiting for it) forever.
  // The server stops the statements itself a little before that.
  const Deadline deadline(executor, timeout, [&ch] { ch.close(); });
  std::vector<TextRows> results;
  try {
    pgwire::BackendDecoder dec;
    dec.feed(conn->leftover);
    const auto server_ms = std::max<int64_t>(1, timeout.count() - timeout.count() / 10);
    statements.insert(statements.begin(), "SET statement_timeout = " + std::to_string(server_ms));
    for (const std::string& sql : statements) {
      pgwire::Bytes out;
      pgwire::encode(pgwire::Query{sql}, out);
      co_await ch.writeAll(out);
      TextRows rows;
      std::optional<std::string> error;
      for (;;) {
        auto r = co_await readMessage(ch, dec);
        if (r.isError()) co_return upstreamError("malformed message from upstream: " + r.error().message);
        auto& m = r.message();
        if (auto* row = std::get_if<pgwire::DataRow>(&m)) {
          std::vector<std::optional<std::string>> values;
          for (auto& v : row->values) {
            if (v) values.emplace_back(std::string(v->begin(), v->end()));
            else values.emplace_back(std::nullopt);
          }
          rows.push_back(std::move(values));
        } else if (auto* err = std::get_if<pgwire::ErrorResponse>(&m)) {
          error = std::string(err->message());
        } else if (std::get_if<pgwire::ReadyForQuery>(&m)) {
          break;
        }
      }
      if (error) co_return upstreamError("introspection query failed: " + *error);
      results.push_back(std::move(rows));
    }
    pgwire::Bytes out;
    pgwire::encode(pgwire::Terminate{}, out);
    co_await ch.writeAll(out);
  } catch (const std::exception& e) {
    if (deadline.expired())
      co_return upstreamError("introspection queries took longer than " + std::to_string(timeout.count()) + " ms");
    co_return upstreamError(std::string("upstream connection failed: ") + e.what());
  }
  ch.close();
  results.erase(results.begin());  // the SET
  co_return results;
}

}  // namespace sqlwarden::proxy
