#pragma once
// Decodes what a client sends: the startup phase, then typed messages.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
#include "pgwire/decode_result.hpp"
#include "pgwire/frame_buffer.hpp"
#include "pgwire/frontend_messages.hpp"

namespace sqlwarden::pgwire {

/// Client -> server decoder. No I/O: the session feeds it the bytes it reads
/// (after TLS decryption) and calls next() until NeedMoreData.
///
///     decoder.feed(bytes);
///     for (auto r = decoder.next(); r.isReady(); r = decoder.next()) handle(r.message());
///     // then: r.isError() -> send ErrorResponse with r.error().message, close
///
/// Phases, following protocol-flow.html:
///  - Startup: untyped packets. SSLRequest and GSSENCRequest keep the decoder
///    here (the client sends another startup packet after the answer);
///    StartupMessage moves it to Messages; CancelRequest to Closed.
///  - Messages: typed messages.
///  - Closed: after CancelRequest the client must send nothing more; any byte
///    is an error.
/// Malformed input makes the error terminal (see DecodeResult).
class FrontendDecoder {
 public:
  enum class Phase {
    Startup,   ///< expecting an untyped startup packet
    Messages,  ///< expecting typed messages
    Closed,    ///< after CancelRequest: nothing more may come
  };

  explicit FrontendDecoder(DecoderLimits limits = {}) : limits_(limits) {}

  /// Appends bytes read from the client (copied).
  void feed(ByteView bytes) { buffer_.append(bytes); }
  /// Decodes the next message from the bytes fed so far.
  DecodeResult<FrontendMessage> next();

  Phase phase() const { return phase_; }
  /// Bytes fed and not decoded yet. After an SSLRequest this must be empty
  /// when the session starts TLS: bytes the client sent before the TLS
  /// handshake would otherwise be taken as if they had come over TLS
  /// (CVE-2021-23214). The same holds for GSSENCRequest.
  ByteView pending() const { return buffer_.pending(); }
  /// Stream offset of the next undecoded byte.
  uint64_t consumed() const { return buffer_.consumed(); }

 private:
  DecoderLimits limits_;
  FrameBuffer buffer_;
  Phase phase_ = Phase::Startup;
};

}  // namespace sqlwarden::pgwire
