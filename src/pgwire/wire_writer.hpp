#pragma once
// Appends the protocol's field types to a byte buffer and frames messages.
// https://www.postgresql.org/docs/current/protocol-message-types.html
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "pgwire/bytes.hpp"

namespace sqlwarden::pgwire {

/// Writes one message at a time to the end of `out`:
/// begin()/beginUntyped(), the fields, end() (which fills in the length).
/// Encoding cannot fail; the preconditions are the protocol's own (counts fit
/// an Int16, a frame stays under 2 GiB) and are the caller's to keep.
class WireWriter {
 public:
  /// `out` must outlive the writer; bytes already in it are kept.
  explicit WireWriter(Bytes& out) : out_(out) {}

  /// Starts a typed message: Byte1 type, Int32 length placeholder.
  void begin(uint8_t type);
  /// Starts a startup-phase message (no type byte), e.g. StartupMessage.
  void beginUntyped();
  /// Fills in the length of the message begun last.
  void end();

  void byte(uint8_t v) { out_.push_back(v); }
  void int16(int16_t v);
  void int32(int32_t v);
  /// String: the text up to its first NUL (a C string cannot hold one, and
  /// writing it would corrupt the frame), then NUL.
  void cstring(std::string_view text);
  void bytes(ByteView v) { out_.insert(out_.end(), v.begin(), v.end()); }
  void bytes(std::string_view v) { out_.insert(out_.end(), v.begin(), v.end()); }
  /// Int32 length (-1 for nullopt) and the bytes.
  void nullableBytes(const std::optional<Bytes>& v);
  /// Int16 count and the values (format codes).
  void int16List(const std::vector<int16_t>& v);
  /// Int16 count and nullableBytes() of each value.
  void nullableList(const std::vector<std::optional<Bytes>>& v);
  /// Int16 count and the OIDs as Int32.
  void oidList(const std::vector<uint32_t>& v);

 private:
  Bytes& out_;
  std::size_t start_ = 0;  // where the length word of the current message is
};

/// Appends a typed message with no payload (Sync, ParseComplete, ...).
void encodeEmptyMessage(uint8_t type, Bytes& out);
/// Appends a typed message whose payload is one String (Query, CommandComplete, ...).
void encodeStringMessage(uint8_t type, std::string_view text, Bytes& out);

}  // namespace sqlwarden::pgwire
