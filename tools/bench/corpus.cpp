// Reads PostgreSQL's regression statements (shared/corpus/pg-regress).
#include "corpus.hpp"

#include "common/utf8.hpp"

#include <charconv>
#include <map>

namespace sqlwarden::bench {

namespace {

// ---------------------------------------------------------------------------
// A JSON reader for exactly what the corpus holds: one flat object per line
// with string, number, boolean, null and array-of-string values.

struct JsonValue {
  enum class Kind { String, Number, Bool, Null, StringArray };
  Kind kind = Kind::Null;
  std::string string;
  double number = 0;
  bool boolean = false;
  std::vector<std::string> strings;
};

using JsonObject = std::map<std::string, JsonValue, std::less<>>;

class JsonLineReader {
 public:
  explicit JsonLineReader(std::string_view text) : text_(text) {}

  /// Parses the whole line as one object; on failure returns nullopt and
  /// error() says what and where (0-based byte offset).
  std::optional<JsonObject> readObject() {
    JsonObject object;
    if (!readMembers(object)) return std::nullopt;
    return object;
  }

  const std::string& error() const { return error_; }

 private:
  bool readMembers(JsonObject& object) {
    skipSpace();
    if (!consume('{')) return fail("expected '{'");
    skipSpace();
    if (!consume('}')) {
      for (;;) {
        skipSpace();
        std::string key;
        if (!readString(key)) return false;
        skipSpace();
        if (!consume(':')) return fail("expected ':'");
        skipSpace();
        JsonValue value;
        if (!readValue(value)) return false;
        object.insert_or_assign(std::move(key), std::move(value));
        skipSpace();
        if (consume('}')) break;
        if (!consume(',')) return fail("expected ',' or '}'");
      }
    }
    skipSpace();
    if (pos_ != text_.size()) return fail("text after the object");
    return true;
  }

  /// Records the first error; returns false so callers can `return fail(...)`.
  bool fail(std::string_view what) {
    if (error_.empty()) error_ = std::string(what) + " at offset " + std::to_string(pos_);
    return false;
  }

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\n'))
      ++pos_;
  }

  bool consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool consumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool readValue(JsonValue& value) {
    if (pos_ >= text_.size()) return fail("value expected");
    const char c = text_[pos_];
    if (c == '"') {
      value.kind = JsonValue::Kind::String;
      return readString(value.string);
    }
    if (c == '[') return readStringArray(value);
    for (const bool b : {true, false}) {
      if (consumeWord(b ? "true" : "false")) {
        value.kind = JsonValue::Kind::Bool;
        value.boolean = b;
        return true;
      }
    }
    if (consumeWord("null")) {
      value.kind = JsonValue::Kind::Null;
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return readNumber(value);
    return fail("unexpected character");
  }

  bool readNumber(JsonValue& value) {
    const size_t begin = pos_;
    if (text_[pos_] == '-') ++pos_;
    const auto digits = [&] {
      const size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > start;
    };
    if (!digits()) return fail("digits expected");
    if (consume('.') && !digits()) return fail("digits expected after '.'");
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!consume('+')) consume('-');
      if (!digits()) return fail("digits expected in exponent");
    }
    const std::string literal(text_.substr(begin, pos_ - begin));
    value.kind = JsonValue::Kind::Number;
    value.number = std::strtod(literal.c_str(), nullptr);
    return true;
  }

  bool readStringArray(JsonValue& value) {
    value.kind = JsonValue::Kind::StringArray;
    consume('[');
    skipSpace();
    if (consume(']')) return true;
    for (;;) {
      skipSpace();
      std::string item;
      if (!readString(item)) return false;
      value.strings.push_back(std::move(item));
      skipSpace();
      if (consume(']')) return true;
      if (!consume(',')) return fail("expected ',' or ']'");
    }
  }

  bool readHex4(uint32_t& out) {
    if (pos_ + 4 > text_.size()) return fail("short \\u escape");
    const char* first = text_.data() + pos_;
    const auto [end, ec] = std::from_chars(first, first + 4, out, 16);
    if (ec != std::errc() || end != first + 4) return fail("bad \\u escape");
    pos_ += 4;
    return true;
  }



  bool readString(std::string& out) {
    if (!consume('"')) return fail("expected '\"'");
    for (;;) {
      if (pos_ >= text_.size()) return fail("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) return fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!readHex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // UTF-16 surrogate pair: JSON writers escape non-BMP characters this way.
            uint32_t low = 0;
            if (!consumeWord("\\u") || !readHex4(low) || low < 0xDC00 || low > 0xDFFF)
              return fail("high surrogate without a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          appendUtf8(out, cp);
          break;
        }
        default:
          return fail("unknown escape");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

std::optional<CorpusStatement> toStatement(const JsonObject& object, std::string& error) {
  const auto text = [&](std::string_view key) -> const std::string* {
    const auto it = object.find(key);
    return it != object.end() && it->second.kind == JsonValue::Kind::String ? &it->second.string
                                                                            : nullptr;
  };
  const auto number = [&](std::string_view key) -> std::optional<int64_t> {
    const auto it = object.find(key);
    if (it == object.end() || it->second.kind != JsonValue::Kind::Number) return std::nullopt;
    return static_cast<int64_t>(it->second.number);
  };
  CorpusStatement st;
  const std::string* file = text("file");
  const std::string* kind = text("kind");
  const std::string* sql = text("sql");
  const auto line = number("line");
  if (!file || !kind || !sql || !line) {
    error = "missing file, kind, sql or line";
    return std::nullopt;
  }
  st.file = *file;
  st.kind = *kind;
  st.sql = *sql;
  st.line = *line;
  st.index = number("index").value_or(0);
  const auto vars = object.find("psql_vars");
  st.has_psql_vars = vars != object.end() && vars->second.kind == JsonValue::Kind::StringArray &&
                     !vars->second.strings.empty();
  return st;
}

}  // namespace

std::optional<CorpusStatement> parseCorpusLine(std::string_view line, std::string& error) {
  JsonLineReader reader(line);
  const auto object = reader.readObject();
  if (!object) {
    error = reader.error();
    return std::nullopt;
  }
  return toStatement(*object, error);
}

std::optional<std::vector<CorpusStatement>> loadCorpus(const std::string& path,
                                                       std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::vector<CorpusStatement> out;
  std::string line;
  for (int64_t line_no = 1; std::getline(in, line); ++line_no) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto st = parseCorpusLine(line, error);
    if (!st) {
      error = path + ":" + std::to_string(line_no) + ": malformed line: " + error;
      return std::nullopt;
    }
    out.push_back(std::move(*st));
  }
  return out;
}

}  // namespace sqlwarden::bench
