#pragma once
// One TCP connection that may be upgraded to TLS in the middle (PostgreSQL
// negotiates TLS after an SSLRequest on the plain socket), with the two
// operations the sessions need: read what is there, write everything.
#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "pgwire/bytes.hpp"

namespace sqlwarden::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

/// A socket, plain until startTls*() succeeds. Not thread-safe: used from
/// its session's io_context thread only. The TLS state (an SSL object and
/// two record buffers, about 40 kB) is only allocated when TLS starts.
class Channel {
 public:
  /// `tls_context` must outlive the channel; it is only used if TLS starts.
  Channel(tcp::socket socket, asio::ssl::context& tls_context);

  /// Reads at most `size` bytes (at least one); throws on error or EOF.
  asio::awaitable<size_t> readSome(uint8_t* data, size_t size);
  /// Writes all of `bytes`; throws on error.
  asio::awaitable<void> writeAll(pgwire::ByteView bytes);
  /// When the last write was handed to the kernel, or, for one that has to
  /// wait for the peer to read, when it last moved (the epoch before any
  /// write): a peer that reads slowly is still active, one that stopped
  /// reading is not.
  std::chrono::steady_clock::time_point writeProgressAt() const { return write_progress_at_; }
  /// TLS handshake as the server (after answering SSLRequest with 'S').
  asio::awaitable<void> startTlsServer();
  /// TLS handshake as a client, with SNI `host` (when it is a name).
  asio::awaitable<void> startTlsClient(const std::string& host);

  bool tls() const { return tls_active_; }
  /// "TLSv1.3", or "" without TLS.
  std::string tlsVersion() const;
  /// The OpenSSL connection; nullptr before TLS starts.
  SSL* ssl() { return tls_ ? tls_->native_handle() : nullptr; }
  tcp::socket& socket() { return socket_; }
  /// Closes the socket (both directions); pending operations fail.
  void close();
  /// "ip:port" of the peer, or "?" when unknown.
  std::string peer() const;

 private:
  tcp::socket socket_;
  asio::ssl::context& tls_context_;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
  bool tls_active_ = false;  // the handshake succeeded
  std::chrono::steady_clock::time_point write_progress_at_{};
};

/// Keeps writes from two coroutines (the relay and a session's own
/// answers) from interleaving on one channel: the first writer sends the
/// queue in order; a writer that finds one active only queues its bytes.
class OrderedWriter {
 public:
  explicit OrderedWriter(Channel& channel) : channel_(channel) {}
  asio::awaitable<void> write(pgwire::Bytes bytes);
  bool active() const { return active_; }

 private:
  Channel& channel_;
  std::deque<pgwire::Bytes> queue_;
  bool active_ = false;
};

}  // namespace sqlwarden::proxy
