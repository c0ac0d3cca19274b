#pragma once
// Decodes what a server sends.
// https://www.postgresql.org/docs/current/protocol-flow.html
#include "pgwire/backend_messages.hpp"
#include "pgwire/decode_result.hpp"
#include "pgwire/frame_buffer.hpp"

namespace sqlwarden::pgwire {

/// Server -> client decoder, for the gateway's connection to the upstream.
/// No I/O: feed() what was read, call next() until NeedMoreData.
/// Malformed input makes the error terminal (see DecodeResult).
class BackendDecoder {
 public:
  explicit BackendDecoder(DecoderLimits limits = {}) : limits_(limits) {}

  /// Appends bytes read from the server (copied).
  void feed(ByteView bytes) { buffer_.append(bytes); }
  /// Decodes the next message from the bytes fed so far.
  DecodeResult<BackendMessage> next();

  /// Call after sending SSLRequest: the next message is the server's one-byte
  /// answer, decoded as SslResponse ('S' or 'N'). Any other byte is read as
  /// the start of a typed message (a server without TLS support may answer
  /// with an ErrorResponse).
  void expectSslResponse() { expect_ssl_response_ = true; }
  /// Bytes fed and not decoded yet. After SslResponse{true} this must be
  /// empty before the TLS handshake starts (CVE-2021-23222).
  ByteView pending() const { return buffer_.pending(); }
  /// Stream offset of the next undecoded byte.
  uint64_t consumed() const { return buffer_.consumed(); }

 private:
  DecoderLimits limits_;
  FrameBuffer buffer_;
  bool expect_ssl_response_ = false;
};

}  // namespace sqlwarden::pgwire
