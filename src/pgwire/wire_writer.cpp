#include "pgwire/wire_writer.hpp"

#include <algorithm>

namespace sqlwarden::pgwire {

namespace {
/// Room for `more` bytes, growing geometrically: a message written byte by
/// byte into an empty buffer would otherwise reallocate it at 1, 2, 4, 8...
void makeRoom(Bytes& out, size_t more) {
  if (out.capacity() - out.size() < more) out.reserve(std::max(out.size() + more, 2 * out.capacity()));
}
}  // namespace

void WireWriter::begin(uint8_t type) {
  makeRoom(out_, 64);
  out_.push_back(type);
  beginUntyped();
}

void WireWriter::beginUntyped() {
  makeRoom(out_, 64);
  start_ = out_.size();
  int32(0);
}

void WireWriter::end() {
  const auto len = static_cast<uint32_t>(out_.size() - start_);
  out_[start_] = static_cast<uint8_t>(len >> 24);
  out_[start_ + 1] = static_cast<uint8_t>(len >> 16);
  out_[start_ + 2] = static_cast<uint8_t>(len >> 8);
  out_[start_ + 3] = static_cast<uint8_t>(len);
}

void WireWriter::int16(int16_t v) {
  const auto u = static_cast<uint16_t>(v);
  out_.push_back(static_cast<uint8_t>(u >> 8));
  out_.push_back(static_cast<uint8_t>(u));
}

void WireWriter::int32(int32_t v) {
  const auto u = static_cast<uint32_t>(v);
  out_.push_back(static_cast<uint8_t>(u >> 24));
  out_.push_back(static_cast<uint8_t>(u >> 16));
  out_.push_back(static_cast<uint8_t>(u >> 8));
  out_.push_back(static_cast<uint8_t>(u));
}

void WireWriter::cstring(std::string_view text) {
  bytes(text.substr(0, text.find('\0')));
  out_.push_back(0);
}

void WireWriter::nullableBytes(const std::optional<Bytes>& v) {
  if (!v) {
    int32(-1);
    return;
  }
  int32(static_cast<int32_t>(v->size()));
  bytes(*v);
}

void WireWriter::int16List(const std::vector<int16_t>& v) {
  int16(static_cast<int16_t>(v.size()));
  for (const int16_t x : v) int16(x);
}

void WireWriter::nullableList(const std::vector<std::optional<Bytes>>& v) {
  int16(static_cast<int16_t>(v.size()));
  for (const auto& x : v) nullableBytes(x);
}

void WireWriter::oidList(const std::vector<uint32_t>& v) {
  int16(static_cast<int16_t>(v.size()));
  for (const uint32_t x : v) int32(static_cast<int32_t>(x));
}

void encodeEmptyMessage(uint8_t type, Bytes& out) {
  WireWriter w(out);
  w.begin(type);
  w.end();
}

void encodeStringMessage(uint8_t type, std::string_view text, Bytes& out) {
  makeRoom(out, 1 + 4 + text.size() + 1);
  WireWriter w(out);
  w.begin(type);
  w.cstring(text);
  w.end();
}

}  // namespace sqlwarden::pgwire
