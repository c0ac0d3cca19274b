#include "proxy/channel.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "proxy/coarse_clock.hpp"

namespace sqlwarden::proxy {

Channel::Channel(tcp::socket socket, asio::ssl::context& tls_context)
    : socket_(std::move(socket)), tls_context_(tls_context) {}

asio::awaitable<size_t> Channel::readSome(uint8_t* data, size_t size) {
  if (tls_active_) co_return co_await tls_->async_read_some(asio::buffer(data, size), asio::use_awaitable);
  co_return co_await socket_.async_read_some(asio::buffer(data, size), asio::use_awaitable);
}

asio::awaitable<void> Channel::writeAll(pgwire::ByteView bytes) {
  // Every write, and each step of one that waits for a client reading
  // slowly (or not at all), counts as progress (writeProgressAt): a slow
  // reader is not taken for idle, one that stopped reading is.
  write_progress_at_ = coarseNow();
  if (tls_active_) {
    for (size_t sent = 0; sent < bytes.size();) {
      sent += co_await tls_->async_write_some(asio::buffer(bytes.data() + sent, bytes.size() - sent), asio::use_awaitable);
      write_progress_at_ = coarseNow();
    }
    co_return;
  }
  // Plain TCP: hand the kernel what it takes now, in this call. Asio's
  // async_write would send at once too, but post its completion, and the
  // event loop polls epoll before running it: a statement's reply then
  // waits behind a poll (and the relay's next read) on its way out. Only a
  // remainder the socket cannot take yet goes through the event loop.
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(socket_.native_handle(), bytes.data() + sent, bytes.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    throw boost::system::system_error(errno, boost::system::system_category(), "send");
  }
  while (sent < bytes.size()) {
    sent += co_await socket_.async_write_some(asio::buffer(bytes.data() + sent, bytes.size() - sent), asio::use_awaitable);
    write_progress_at_ = coarseNow();
  }
}

asio::awaitable<void> Channel::startTlsServer() {
  tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, tls_context_);
  co_await tls_->async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
  tls_active_ = true;
}

asio::awaitable<void> Channel::startTlsClient(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, tls_context_);
  SSL* ssl = tls_->native_handle();
  if (ec) {
    SSL_set_tlsext_host_name(ssl, host.c_str());  // SNI for names only
    SSL_set1_host(ssl, host.c_str());             // checked when the context verifies peers
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  }
  co_await tls_->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  tls_active_ = true;
}

std::string Channel::tlsVersion() const {
  if (!tls_active_) return "";
  return SSL_get_version(tls_->native_handle());
}

void Channel::close() {
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

std::string Channel::peer() const {
  boost::system::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
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
