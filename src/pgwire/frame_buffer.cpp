#include "pgwire/frame_buffer.hpp"

#include <string>

namespace sqlwarden::pgwire {

namespace {
uint32_t readLength(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
// Where the length word is in a frame.
Span lengthSpan(std::size_t type_size) {
  return Span{static_cast<uint32_t>(type_size), static_cast<uint32_t>(type_size + 4)};
}
}  // namespace

void FrameBuffer::append(ByteView bytes) {
  if (error_ || bytes.empty()) return;
  // Drop decoded bytes before growing, once they are at least half the buffer,
  // so the buffer does not grow without bound on a long connection.
  if (head_ > 0 && head_ * 2 >= data_.size()) {
    const std::size_t old_size = data_.size();
    data_.erase(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(head_));
    // erase() moved the pending bytes down; the copies left above the new
    // end are still in the allocation and may be part of a password.
    secureWipe(data_.data() + data_.size(), old_size - data_.size());
    head_ = 0;
  }
  data_.insert(data_.end(), bytes.begin(), bytes.end());
}

Diagnostic FrameBuffer::fail(Diagnostic error) {
  error.notes.push_back("the frame starts at byte " + std::to_string(consumed_) + " of the stream");
  error_ = error;
  return error;
}

std::optional<Diagnostic> FrameBuffer::next(FrameKind kind, uint32_t max_length, HeaderCheck check,
                                            Frame& frame) const {
  const ByteView in = pending();
  if (kind == FrameKind::SingleByte) {
    if (in.empty()) return std::nullopt;
    frame.type = in[0];
    frame.whole = in.first(1);
    frame.payload = in.first(0);
    return std::nullopt;
  }
  const std::size_t type_size = kind == FrameKind::Typed ? 1 : 0;
  if (in.size() < type_size + 4) return std::nullopt;
  const uint8_t type = kind == FrameKind::Typed ? in[0] : 0;
  const uint32_t length = readLength(in.data() + type_size);
  // A startup packet holds at least its protocol version or request code.
  const uint32_t min_length = kind == FrameKind::Typed ? 4 : 8;
  if (length < min_length) {
    return Diagnostic::error(
        "pgwire-bad-length",
        "message length " + std::to_string(length) + " is less than " + std::to_string(min_length),
        lengthSpan(type_size));
  }
  if (length > max_length) {
    return Diagnostic::error("pgwire-too-long",
                             "message length " + std::to_string(length) + " exceeds the limit of " +
                                 std::to_string(max_length) + " bytes",
                             lengthSpan(type_size));
  }
  if (check != nullptr) {
    if (auto err = check(type, length - 4)) return err;
  }
  if (in.size() < type_size + length) return std::nullopt;
  frame.type = type;
  frame.whole = in.first(type_size + length);
  frame.payload = frame.whole.subspan(type_size + 4);
  return std::nullopt;
}

void FrameBuffer::consume(std::size_t n, bool wipe) {
  if (wipe) secureWipe(data_.data() + head_, n);
  head_ += n;
  consumed_ += n;
  if (head_ == data_.size()) {
    data_.clear();
    head_ = 0;
  }
}

}  // namespace sqlwarden::pgwire
