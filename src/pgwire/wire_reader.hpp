#pragma once
// Reads the protocol's field types from one frame's payload, bounds-checked.
// https://www.postgresql.org/docs/current/protocol-message-types.html
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/diagnostic.hpp"
#include "common/result.hpp"
#include "pgwire/bytes.hpp"
#include "pgwire/copy_messages.hpp"

namespace sqlwarden::pgwire {

/// A cursor over the payload of one frame (the bytes after the length word).
///
/// Reads never run past the payload: the first read that would fails, records
/// a Diagnostic naming the message and the byte offset, and every later read
/// fails too, so a parser can read all fields and check once at the end.
/// Offsets in diagnostics count from the start of the whole frame
/// (`frame_offset` is where the payload starts in it).
class WireReader {
 public:
  /// `payload` must outlive the reader. `message` names the message in errors.
  WireReader(ByteView payload, std::string_view message, uint32_t frame_offset)
      : data_(payload), message_(message), frame_offset_(frame_offset) {}

  /// Int8 / Byte1.
  bool readByte(uint8_t& out);
  /// Int16, network byte order.
  bool readInt16(int16_t& out);
  /// Int32, network byte order.
  bool readInt32(int32_t& out);
  /// String: bytes up to a NUL, which is consumed and not stored.
  bool readCString(std::string& out);
  /// Byte(n).
  bool readBytes(std::size_t n, Bytes& out);
  /// Everything left in the payload (into Bytes or SecretBytes).
  template <class Container>
  void readRest(Container& out) {
    if (error_) return;
    out.assign(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.end());
    pos_ = data_.size();
  }
  /// Everything left as the secret key of BackendKeyData or CancelRequest:
  /// 4 bytes in protocol 3.0, up to 256 from 3.2 on.
  bool readCancelKey(Bytes& out);
  /// An Int16 element count: not negative, and at most remaining() /
  /// `min_element_size`, so a hostile count cannot make us allocate or loop
  /// over more than the frame holds.
  bool readCount16(std::size_t min_element_size, std::size_t& out);
  /// The same for an Int32 count.
  bool readCount32(std::size_t min_element_size, std::size_t& out);
  /// Int32 length (-1 for NULL) followed by that many bytes.
  bool readNullableBytes(std::optional<Bytes>& out);

  /// Int16 count, then that many Int16 values (format codes).
  bool readInt16List(std::vector<int16_t>& out);
  /// Int16 count, then that many readNullableBytes() values (Bind, DataRow).
  bool readNullableList(std::vector<std::optional<Bytes>>& out);
  /// Int16 count, then that many Int32 OIDs (Parse, ParameterDescription).
  bool readOidList(std::vector<uint32_t>& out);

  std::size_t remaining() const { return data_.size() - pos_; }

  /// Records `what` as the error at the current offset (a field with a value
  /// the protocol does not allow). Returns false for use in `return fail(...)`.
  bool fail(std::string_view code, std::string_view what);

  /// The error of the first failed read, or, when every read succeeded but
  /// bytes are left over, a "trailing bytes" error; nullopt when the payload
  /// was read exactly.
  std::optional<Diagnostic> finish();

 private:
  bool need(std::size_t n, std::string_view field);

  ByteView data_;
  std::size_t pos_ = 0;
  std::string_view message_;
  uint32_t frame_offset_;
  std::optional<Diagnostic> error_;
};

/// One typed message a side can send: its type byte, its name as the
/// protocol documentation spells it, whether it never has a payload, and how
/// to read the payload. Each side keeps a table of these.
template <class Variant>
struct MessageParser {
  uint8_t type;
  std::string_view name;
  bool empty;
  Result<Variant> (*parse)(WireReader& r);
};

/// Where a typed message's payload starts in its frame: type byte + length word.
inline constexpr uint32_t kTypedPayloadOffset = 5;

/// The table entry for `type`, or nullptr.
template <class Variant, std::size_t N>
const MessageParser<Variant>* findParser(const MessageParser<Variant> (&table)[N], uint8_t type) {
  for (const auto& p : table) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

/// The error for a type byte that is in no table.
Diagnostic unknownTypeError(uint8_t type, std::string_view side);

/// Checks a frame header against `table` before the payload arrives: the
/// type must be known, and an `empty` message must have no payload.
template <class Variant, std::size_t N>
std::optional<Diagnostic> checkHeaderWith(const MessageParser<Variant> (&table)[N], uint8_t type,
                                          uint32_t payload_length, std::string_view side) {
  const auto* p = findParser(table, type);
  if (p == nullptr) return unknownTypeError(type, side);
  if (p->empty && payload_length != 0) {
    return Diagnostic::error("pgwire-bad-length",
                             std::string(p->name) + " must be empty but has " +
                                 std::to_string(payload_length) + " bytes",
                             Span{1, 5});
  }
  return std::nullopt;
}

/// Parses `payload` with the table entry for `type`.
template <class Variant, std::size_t N>
Result<Variant> parseWith(const MessageParser<Variant> (&table)[N], uint8_t type, ByteView payload,
                          std::string_view side) {
  const auto* p = findParser(table, type);
  if (p == nullptr) return unknownTypeError(type, side);
  WireReader r(payload, p->name, kTypedPayloadOffset);
  return p->parse(r);
}

/// Ends the parse of a message: `m` as a `Variant` (a FrontendMessage or
/// BackendMessage) when `r` was read exactly, else the reader's error.
template <class Variant, class M>
Result<Variant> finishMessage(WireReader& r, M&& m) {
  if (auto err = r.finish()) return *err;
  return Variant(std::forward<M>(m));
}

/// The parser of a message with no payload (Sync, ParseComplete, CopyDone, ...).
template <class Variant, class M>
Result<Variant> parseEmptyMessage(WireReader& r) {
  return finishMessage<Variant>(r, M{});
}

/// The parser of CopyData, which either side sends: the payload is the data.
template <class Variant>
Result<Variant> parseCopyData(WireReader& r) {
  CopyData m;
  r.readRest(m.data);
  return finishMessage<Variant>(r, std::move(m));
}

}  // namespace sqlwarden::pgwire
