#include "proxy/channel.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace sqlwarden::proxy {

Channel::Channel(tcp::socket socket, asio::ssl::context& tls_context) : stream_(std::move(socket), tls_context) {}

asio::awaitable<size_t> Channel::readSome(uint8_t* data, size_t size) {
  if (tls_) co_return co_await stream_.async_read_some(asio::buffer(data, size), asio::use_awaitable);
  co_return co_await stream_.next_layer().async_read_some(asio::buffer(data, size), asio::use_awaitable);
}

asio::awaitable<void> Channel::writeAll(pgwire::ByteView bytes) {
  if (tls_) {
    co_await asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()), asio::use_awaitable);
  } else {
    co_await asio::async_write(stream_.next_layer(), asio::buffer(bytes.data(), bytes.size()), asio::use_awaitable);
  }
}

asio::awaitable<void> Channel::startTlsServer() {
  co_await stream_.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
  tls_ = true;
}

asio::awaitable<void> Channel::startTlsClient(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  SSL* ssl = stream_.native_handle();
  if (ec) {
    SSL_set_tlsext_host_name(ssl, host.c_str());  // SNI for names only
    SSL_set1_host(ssl, host.c_str());             // checked when the context verifies peers
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  }
  co_await stream_.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  tls_ = true;
}

std::string Channel::tlsVersion() const {
  if (!tls_) return "";
  return SSL_get_version(const_cast<asio::ssl::stream<tcp::socket>&>(stream_).native_handle());
}

void Channel::close() {
  boost::system::error_code ec;
  stream_.next_layer().shutdown(tcp::socket::shutdown_both, ec);
  stream_.next_layer().close(ec);
}

std::string Channel::peer() const {
  boost::system::error_code ec;
  auto ep = stream_.next_layer().remote_endpoint(ec);
  if (ec) return "?";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

asio::awaitable<void> OrderedWriter::write(pgwire::Bytes bytes) {
  queue_.push_back(std::move(bytes));
  if (active_) co_return;  // the active writer sends it, in order
  active_ = true;
  try {
    while (!queue_.empty()) {
      pgwire::Bytes next = std::move(queue_.front());
      queue_.pop_front();
      co_await channel_.writeAll(next);
    }
  } catch (...) {
    active_ = false;
    queue_.clear();
    throw;
  }
  active_ = false;
}

}  // namespace sqlwarden::proxy
