#pragma once
// What a decoder's next() returns: need more data, a message, or an error.
#include <cassert>
#include <utility>
#include <variant>

#include "common/diagnostic.hpp"
#include "pgwire/bytes.hpp"

namespace sqlwarden::pgwire {

/// The size limits a decoder enforces before it buffers a frame.
struct DecoderLimits {
  /// Largest typed message, counting the length word (not the type byte).
  /// PostgreSQL's own limit for a query or a CopyData is 1 GiB.
  uint32_t max_message_length = 1u << 30;
  /// Largest startup packet, counting the length word (PostgreSQL's
  /// MAX_STARTUP_PACKET_LENGTH).
  uint32_t max_startup_length = 10000;
};

/// The outcome of one FrontendDecoder::next() or BackendDecoder::next():
///  - NeedMoreData: no complete message is buffered; feed more bytes.
///  - Ready: message() is the next message and raw() its exact bytes (type
///    byte and length word included) for relaying unchanged.
///  - Error: the stream is malformed; error() says how and where. The decoder
///    is now in a terminal state and every later next() returns the same error.
template <class Message>
class DecodeResult {
 public:
  enum class Status { NeedMoreData, Ready, Error };

  static DecodeResult needMoreData() { return DecodeResult(std::monostate{}); }
  static DecodeResult ready(Message message, Bytes raw) {
    return DecodeResult(Ready{std::move(message), std::move(raw)});
  }
  static DecodeResult failure(Diagnostic error) { return DecodeResult(std::move(error)); }

  Status status() const { return static_cast<Status>(v_.index()); }
  bool isNeedMoreData() const { return v_.index() == 0; }
  bool isReady() const { return v_.index() == 1; }
  bool isError() const { return v_.index() == 2; }

  /// The decoded message. Precondition: isReady().
  Message& message() {
    assert(isReady());
    return std::get<1>(v_).message;
  }
  const Message& message() const {
    assert(isReady());
    return std::get<1>(v_).message;
  }
  /// The message's bytes as received. Precondition: isReady(). Empty for a
  /// PasswordMessage ('p'), whose bytes are secret and are never relayed:
  /// encode() it again if it must be sent on.
  const Bytes& raw() const {
    assert(isReady());
    return std::get<1>(v_).raw;
  }
  /// Why the stream was rejected. Precondition: isError().
  const Diagnostic& error() const {
    assert(isError());
    return std::get<2>(v_);
  }

 private:
  struct Ready {
    Message message;
    Bytes raw;
  };
  template <class V>
  explicit DecodeResult(V&& v) : v_(std::forward<V>(v)) {}

  std::variant<std::monostate, Ready, Diagnostic> v_;
};

}  // namespace sqlwarden::pgwire
