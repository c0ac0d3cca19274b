#include "pgwire/wire_reader.hpp"

#include <cstring>

namespace sqlwarden::pgwire {

bool WireReader::fail(std::string_view code, std::string_view what) {
  if (!error_) {
    const auto at = static_cast<uint32_t>(frame_offset_ + pos_);
    error_ = Diagnostic::error(
        std::string(code),
        std::string(message_) + ": " + std::string(what) + " at byte " + std::to_string(at),
        Span{at, at});
  }
  return false;
}

bool WireReader::need(std::size_t n, std::string_view field) {
  if (error_) return false;
  if (remaining() >= n) return true;
  return fail("pgwire-overrun", std::string(field) + " runs past the end of the message");
}

bool WireReader::readByte(uint8_t& out) {
  if (!need(1, "Byte1")) return false;
  out = data_[pos_++];
  return true;
}

bool WireReader::readInt16(int16_t& out) {
  if (!need(2, "Int16")) return false;
  out = static_cast<int16_t>((uint16_t{data_[pos_]} << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return true;
}

bool WireReader::readInt32(int32_t& out) {
  if (!need(4, "Int32")) return false;
  const uint32_t v = (uint32_t{data_[pos_]} << 24) | (uint32_t{data_[pos_ + 1]} << 16) |
                     (uint32_t{data_[pos_ + 2]} << 8) | uint32_t{data_[pos_ + 3]};
  out = static_cast<int32_t>(v);
  pos_ += 4;
  return true;
}

bool WireReader::readCString(std::string& out) {
  if (error_) return false;
  const void* nul = remaining() == 0 ? nullptr : std::memchr(data_.data() + pos_, 0, remaining());
  if (nul == nullptr) return fail("pgwire-missing-nul", "string has no NUL terminator");
  const auto len =
      static_cast<std::size_t>(static_cast<const uint8_t*>(nul) - (data_.data() + pos_));
  out.assign(reinterpret_cast<const char*>(data_.data() + pos_), len);
  pos_ += len + 1;
  return true;
}

bool WireReader::readBytes(std::size_t n, Bytes& out) {
  if (!need(n, "Byte(n)")) return false;
  out.assign(data_.begin() + static_cast<std::ptrdiff_t>(pos_),
             data_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
  pos_ += n;
  return true;
}

bool WireReader::readCancelKey(Bytes& out) {
  constexpr std::size_t kMaxKeyLength = 256;
  if (error_) return false;
  if (remaining() < 4 || remaining() > kMaxKeyLength) {
    return fail("pgwire-bad-length",
                "secret key of " + std::to_string(remaining()) + " bytes (4 to 256 allowed)");
  }
  readRest(out);
  return true;
}

namespace {
bool checkCount(WireReader& r, int64_t count, std::size_t min_element_size, std::size_t& out) {
  if (count < 0) return r.fail("pgwire-bad-count", "negative count " + std::to_string(count));
  if (min_element_size > 0 && static_cast<uint64_t>(count) > r.remaining() / min_element_size) {
    return r.fail("pgwire-overrun", "count " + std::to_string(count) + " overruns the message");
  }
  out = static_cast<std::size_t>(count);
  return true;
}
}  // namespace

bool WireReader::readCount16(std::size_t min_element_size, std::size_t& out) {
  int16_t count = 0;
  return readInt16(count) && checkCount(*this, count, min_element_size, out);
}

bool WireReader::readCount32(std::size_t min_element_size, std::size_t& out) {
  int32_t count = 0;
  return readInt32(count) && checkCount(*this, count, min_element_size, out);
}

bool WireReader::readNullableBytes(std::optional<Bytes>& out) {
  int32_t len = 0;
  if (!readInt32(len)) return false;
  if (len == -1) {
    out.reset();
    return true;
  }
  if (len < 0) return fail("pgwire-bad-length", "value length " + std::to_string(len));
  out.emplace();
  return readBytes(static_cast<std::size_t>(len), *out);
}

bool WireReader::readInt16List(std::vector<int16_t>& out) {
  std::size_t n = 0;
  if (!readCount16(2, n)) return false;
  out.assign(n, 0);
  for (auto& v : out) readInt16(v);
  return !error_;
}

bool WireReader::readNullableList(std::vector<std::optional<Bytes>>& out) {
  std::size_t n = 0;
  if (!readCount16(4, n)) return false;
  out.assign(n, std::nullopt);
  for (auto& v : out) {
    if (!readNullableBytes(v)) return false;
  }
  return true;
}

bool WireReader::readOidList(std::vector<uint32_t>& out) {
  std::size_t n = 0;
  if (!readCount16(4, n)) return false;
  out.assign(n, 0);
  for (auto& v : out) {
    int32_t oid = 0;
    readInt32(oid);
    v = static_cast<uint32_t>(oid);
  }
  return !error_;
}

Diagnostic unknownTypeError(uint8_t type, std::string_view side) {
  return Diagnostic::error("pgwire-unknown-type",
                           "unknown " + std::string(side) + " message type " + std::to_string(type),
                           Span{0, 1});
}

std::optional<Diagnostic> WireReader::finish() {
  if (!error_ && pos_ != data_.size()) {
    fail("pgwire-trailing-bytes", std::to_string(remaining()) + " bytes left over");
  }
  return error_;
}

}  // namespace sqlwarden::pgwire
