#include "audit/json_codec.hpp"

namespace sqlwarden::audit {

void appendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);  // UTF-8 passes through, as json_array() does
        }
    }
  }
  out.push_back('"');
}

namespace {

template <class Items, class Get>
std::string encodeArray(const Items& items, Get get) {
  std::string out = "[";
  for (const auto& item : items) {
    if (out.size() > 1) out.push_back(',');
    const std::optional<std::string_view> v = get(item);
    if (v) appendJsonString(out, *v);
    else out += "null";
  }
  out.push_back(']');
  return out;
}

}  // namespace

// Written here rather than by json_array(): a statement run per array cost
// the store's writer more than the record's own INSERT.
Result<std::string> JsonCodec::array(const std::vector<std::optional<std::string>>& items) {
  return encodeArray(items, [](const std::optional<std::string>& item) {
    return item ? std::optional<std::string_view>(*item) : std::nullopt;
  });
}

Result<std::string> JsonCodec::array(const std::vector<std::string>& items) {
  return encodeArray(items, [](const std::string& item) { return std::optional<std::string_view>(item); });
}


Result<std::vector<std::optional<std::string>>> JsonCodec::values(std::string_view json) {
  if (!decoder_) {
    Result<Statement> stmt =
        db_.prepare("SELECT json_type(?1), value FROM json_each(?1) ORDER BY key");
    if (!stmt) return stmt.error();
    decoder_.emplace(std::move(*stmt));
  }
  decoder_->bind(1, json);
  std::vector<std::optional<std::string>> out;
  for (;;) {
    Result<bool> row = decoder_->step();
    if (!row) return row.error();
    if (!*row) break;
    if (decoder_->text(0) != "array") {
      decoder_->reset();
      return auditError("audit-json", "expected a JSON array, got " + std::string(json));
    }
    out.push_back(decoder_->isNull(1) ? std::nullopt : std::optional(decoder_->text(1)));
  }
  decoder_->reset();
  return out;
}

Result<std::vector<std::string>> JsonCodec::strings(std::string_view json) {
  Result<std::vector<std::optional<std::string>>> v = values(json);
  if (!v) return v.error();
  std::vector<std::string> out;
  for (auto& item : *v) out.push_back(item.value_or(""));
  return out;
}

}  // namespace sqlwarden::audit
