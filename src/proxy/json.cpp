#include "proxy/json.hpp"

#include <cstdlib>

#include "common/utf8.hpp"

namespace sqlwarden::proxy {

const JsonValue* JsonValue::member(std::string_view name) const {
  if (kind != Kind::Object) return nullptr;
  auto it = members.find(name);
  return it == members.end() ? nullptr : &it->second;
}

std::optional<std::string> JsonValue::scalarText() const {
  switch (kind) {
    case Kind::String:
    case Kind::Number: return text;
    case Kind::Bool: return std::string(boolean ? "true" : "false");
    default: return std::nullopt;
  }
}

namespace {

constexpr int kMaxDepth = 64;

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}

  Result<JsonValue> parseDocument() {
    JsonValue v;
    if (!value(v, 0)) return error();
    skipBlanks();
    if (pos_ != s_.size()) {
      fail("trailing characters after the JSON value");
      return error();
    }
    return v;
  }

 private:
  Diagnostic error() const {
    return Diagnostic::error("json-syntax", message_,
                             Span{static_cast<uint32_t>(pos_), static_cast<uint32_t>(pos_ + 1)});
  }
  bool fail(std::string message) {
    if (message_.empty()) message_ = std::move(message);
    return false;
  }
  void skipBlanks() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return fail("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool value(JsonValue& out, int depth) {
    if (depth > kMaxDepth) return fail("JSON nested too deeply");
    skipBlanks();
    if (pos_ >= s_.size()) return fail("unexpected end of JSON");
    const char c = s_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.kind = JsonValue::Kind::String;
      return string(out.text);
    }
    if (c == 't') {
      out.kind = JsonValue::Kind::Bool;
      out.boolean = true;
      return literal("true");
    }
    if (c == 'f') {
      out.kind = JsonValue::Kind::Bool;
      return literal("false");
    }
    if (c == 'n') return literal("null");
    if (c == '-' || (c >= '0' && c <= '9')) return number(out);
    return fail("unexpected character in JSON");
  }

  bool number(JsonValue& out) {
    const size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    auto digits = [&] {
      const size_t d = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ > d;
    };
    if (!digits()) return fail("invalid number");
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digits()) return fail("invalid number");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digits()) return fail("invalid number");
    }
    out.kind = JsonValue::Kind::Number;
    out.text = std::string(s_.substr(start, pos_ - start));
    out.number = std::strtod(out.text.c_str(), nullptr);
    return true;
  }

  bool hex4(uint32_t& cp) {
    if (pos_ + 4 > s_.size()) return fail("truncated \\u escape");
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') cp |= h - '0';
      else if (h >= 'a' && h <= 'f') cp |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') cp |= h - 'A' + 10;
      else return fail("invalid \\u escape");
    }
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in JSON string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      const char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (s_.substr(pos_, 2) != "\\u") return fail("unpaired surrogate in JSON string");
            pos_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate in JSON string");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("unpaired surrogate in JSON string");
          }
          appendUtf8(out, cp);
          break;
        }
        default: return fail("invalid escape in JSON string");
      }
    }
    return fail("unterminated JSON string");
  }

  bool array(JsonValue& out, int depth) {
    out.kind = JsonValue::Kind::Array;
    ++pos_;
    skipBlanks();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      JsonValue item;
      if (!value(item, depth + 1)) return false;
      out.items.push_back(std::move(item));
      skipBlanks();
      if (pos_ >= s_.size()) return fail("unterminated JSON array");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']' in JSON array");
    }
  }

  bool object(JsonValue& out, int depth) {
    out.kind = JsonValue::Kind::Object;
    ++pos_;
    skipBlanks();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skipBlanks();
      if (pos_ >= s_.size() || s_[pos_] != '"') return fail("expected a member name in JSON object");
      std::string key;
      if (!string(key)) return false;
      skipBlanks();
      if (pos_ >= s_.size() || s_[pos_] != ':') return fail("expected ':' in JSON object");
      ++pos_;
      JsonValue v;
      if (!value(v, depth + 1)) return false;
      out.members[std::move(key)] = std::move(v);
      skipBlanks();
      if (pos_ >= s_.size()) return fail("unterminated JSON object");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or '}' in JSON object");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string message_;
};

}  // namespace

Result<JsonValue> parseJson(std::string_view text) { return JsonParser(text).parseDocument(); }

}  // namespace sqlwarden::proxy
