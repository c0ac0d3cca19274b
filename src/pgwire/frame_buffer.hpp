#pragma once
// The bytes a decoder has received but not yet decoded, cut into frames.
// https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/diagnostic.hpp"
#include "common/result.hpp"
#include "pgwire/bytes.hpp"
#include "pgwire/decode_result.hpp"

namespace sqlwarden::pgwire {

/// How a frame starts: a type byte and a length word (every message after the
/// startup phase), a length word only (startup packets), or a single byte
/// with no length (the answer to SSLRequest).
enum class FrameKind { Typed, Untyped, SingleByte };

/// Checks a typed frame's header before its payload has arrived, so that an
/// unknown type or an impossible length fails at once instead of after the
/// decoder has buffered up to the size limit. nullopt when acceptable.
using HeaderCheck = std::optional<Diagnostic> (*)(uint8_t type, uint32_t payload_length);

/// The receive buffer the decoders share: it cuts frames, enforces the length
/// limits, and keeps the terminal error state. Bytes are copied in by
/// append(); storage is wiped when freed, and the bytes of frames consumed
/// with `wipe` are zeroed at once (password messages).
class FrameBuffer {
 public:
  /// Appends received bytes. Ignored once the buffer has failed.
  void append(ByteView bytes);
  /// Bytes received and not yet decoded.
  ByteView pending() const { return ByteView(data_.data() + head_, data_.size() - head_); }
  /// Bytes decoded so far; the stream offset of pending()'s first byte.
  uint64_t consumed() const { return consumed_; }
  /// The terminal error, once there is one.
  const std::optional<Diagnostic>& error() const { return error_; }

  /// One complete frame in pending().
  struct Frame {
    uint8_t type = 0;  ///< 0 for Untyped frames; the byte itself for SingleByte
    ByteView whole;    ///< the frame as received
    ByteView payload;  ///< after the length word
  };

  /// Decodes the next frame of `kind` with `parse(type, payload)`:
  /// NeedMoreData until it has all arrived, then Ready with the message and
  /// (unless `secret_type` is the frame's type) a copy of its bytes.
  /// A bad length, a failed `check` or a failed parse makes the error terminal.
  template <class Message, class Parse>
  DecodeResult<Message> decode(FrameKind kind, uint32_t max_length, HeaderCheck check,
                               Parse&& parse, uint8_t secret_type = 0) {
    if (error_) return DecodeResult<Message>::failure(*error_);
    Frame frame;
    if (auto err = next(kind, max_length, check, frame)) {
      return DecodeResult<Message>::failure(fail(std::move(*err)));
    }
    if (frame.whole.empty()) return DecodeResult<Message>::needMoreData();
    Result<Message> parsed = parse(frame.type, frame.payload);
    if (!parsed) return DecodeResult<Message>::failure(fail(parsed.error()));
    const bool secret = secret_type != 0 && frame.type == secret_type;
    Bytes raw = secret ? Bytes() : Bytes(frame.whole.begin(), frame.whole.end());
    consume(frame.whole.size(), secret);
    return DecodeResult<Message>::ready(std::move(parsed.value()), std::move(raw));
  }

  /// Makes `error` terminal (noting where in the stream it happened) and returns it.
  Diagnostic fail(Diagnostic error);

 private:
  // Finds the next complete frame; `frame.whole` stays empty while it has not all
  // arrived. Returns the error for a bad header.
  std::optional<Diagnostic> next(FrameKind kind, uint32_t max_length, HeaderCheck check,
                                 Frame& frame) const;
  void consume(std::size_t n, bool wipe);

  SecretBytes data_;
  std::size_t head_ = 0;  // first pending byte in data_
  uint64_t consumed_ = 0;
  std::optional<Diagnostic> error_;
};

}  // namespace sqlwarden::pgwire
