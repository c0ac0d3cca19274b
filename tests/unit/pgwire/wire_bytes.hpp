#pragma once
// Hand-built wire bytes for the codec tests. Lengths are computed here,
// independently of pgwire's encoder, so a test compares the codec against
// the protocol documentation's layout and not against itself.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pgwire/bytes.hpp"

namespace sqlwarden::pgwire::test {

/// Appends fields in network byte order.
struct WireBytes {
  Bytes b;
  WireBytes& u8(uint8_t v) {
    b.push_back(v);
    return *this;
  }
  WireBytes& i16(int16_t v) {
    const auto u = static_cast<uint16_t>(v);
    return u8(static_cast<uint8_t>(u >> 8)).u8(static_cast<uint8_t>(u));
  }
  WireBytes& i32(int32_t v) {
    const auto u = static_cast<uint32_t>(v);
    return u8(static_cast<uint8_t>(u >> 24))
        .u8(static_cast<uint8_t>(u >> 16))
        .u8(static_cast<uint8_t>(u >> 8))
        .u8(static_cast<uint8_t>(u));
  }
  /// String with its NUL.
  WireBytes& str(std::string_view s) { return raw(s).u8(0); }
  /// Bytes without a NUL.
  WireBytes& raw(std::string_view s) {
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
};

/// A typed frame: type byte, length (payload + 4), payload.
inline Bytes typed(char type, const WireBytes& payload) {
  WireBytes f;
  f.u8(static_cast<uint8_t>(type)).i32(static_cast<int32_t>(payload.b.size() + 4));
  f.b.insert(f.b.end(), payload.b.begin(), payload.b.end());
  return f.b;
}

/// A typed frame with no payload.
inline Bytes typed(char type) {
  return typed(type, WireBytes{});
}

/// A startup-phase packet: length (body + 4), body.
inline Bytes untyped(const WireBytes& body) {
  WireBytes f;
  f.i32(static_cast<int32_t>(body.b.size() + 4));
  f.b.insert(f.b.end(), body.b.begin(), body.b.end());
  return f.b;
}

inline Bytes concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// A StartupMessage for user "alice", database "shop" (protocol 3.0).
inline Bytes startupPacket() {
  return untyped(
      WireBytes{}.i32(196608).str("user").str("alice").str("database").str("shop").u8(0));
}

}  // namespace sqlwarden::pgwire::test
