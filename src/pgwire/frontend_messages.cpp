// Frontend (client -> server) messages: parsing and encoding.
// https://www.postgresql.org/docs/current/protocol-message-formats.html
#include "pgwire/frontend_messages.hpp"

#include <algorithm>

#include "pgwire/wire_reader.hpp"
#include "pgwire/wire_writer.hpp"

namespace sqlwarden::pgwire {

namespace {

// Offset of a startup packet's body (after the length word).
constexpr uint32_t kStartupBodyOffset = 4;

template <class M>
Result<FrontendMessage> finished(WireReader& r, M&& m) {
  return finishMessage<FrontendMessage>(r, std::forward<M>(m));
}

bool readTargetKind(WireReader& r, TargetKind& out) {
  uint8_t b = 0;
  if (!r.readByte(b)) return false;
  if (b != 'S' && b != 'P') {
    return r.fail("pgwire-bad-value", "target kind must be 'S' or 'P', not " + std::to_string(b));
  }
  out = static_cast<TargetKind>(b);
  return true;
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARSE
Result<FrontendMessage> parseParse(WireReader& r) {
  Parse m;
  r.readCString(m.name) && r.readCString(m.sql) && r.readOidList(m.param_type_oids);
  return finished(r, std::move(m));
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BIND
Result<FrontendMessage> parseBind(WireReader& r) {
  Bind m;
  r.readCString(m.portal) && r.readCString(m.statement) && r.readInt16List(m.param_formats) &&
      r.readNullableList(m.params) && r.readInt16List(m.result_formats);
  return finished(r, std::move(m));
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FUNCTIONCALL
Result<FrontendMessage> parseFunctionCall(WireReader& r) {
  FunctionCall m;
  int32_t oid = 0;
  r.readInt32(oid) && r.readInt16List(m.arg_formats) && r.readNullableList(m.args) &&
      r.readInt16(m.result_format);
  m.function_oid = static_cast<uint32_t>(oid);
  return finished(r, std::move(m));
}

template <class M>
Result<FrontendMessage> parseTarget(WireReader& r) {
  M m;
  readTargetKind(r, m.kind) && r.readCString(m.name);
  return finished(r, std::move(m));
}

template <class M>
constexpr auto parseEmpty = parseEmptyMessage<FrontendMessage, M>;

}  // namespace

const std::string* StartupMessage::parameter(std::string_view name) const {
  for (const auto& [key, value] : parameters) {
    if (key == name) return &value;
  }
  return nullptr;
}

namespace {
using Parser = MessageParser<FrontendMessage>;

// https://www.postgresql.org/docs/current/protocol-message-formats.html
const Parser kFrontendParsers[] = {
    {'Q', "Query", false,
     [](WireReader& r) {
       Query m;
       r.readCString(m.sql);
       return finished(r, std::move(m));
     }},
    {'P', "Parse", false, parseParse},
    {'B', "Bind", false, parseBind},
    {'D', "Describe", false, parseTarget<Describe>},
    {'E', "Execute", false,
     [](WireReader& r) {
       Execute m;
       r.readCString(m.portal) && r.readInt32(m.max_rows);
       return finished(r, std::move(m));
     }},
    {'C', "Close", false, parseTarget<Close>},
    {'S', "Sync", true, parseEmpty<Sync>},
    {'H', "Flush", true, parseEmpty<Flush>},
    {'X', "Terminate", true, parseEmpty<Terminate>},
    {'d', "CopyData", false, parseCopyData<FrontendMessage>},
    {'c', "CopyDone", true, parseEmpty<CopyDone>},
    {'f', "CopyFail", false,
     [](WireReader& r) {
       CopyFail m;
       r.readCString(m.message);
       return finished(r, std::move(m));
     }},
    {'F', "FunctionCall", false, parseFunctionCall},
    // PasswordMessage, SASLInitialResponse or SASLResponse: kept whole.
    {'p', "PasswordMessage", false,
     [](WireReader& r) {
       PasswordMessage m;
       r.readRest(m.payload);
       return finished(r, std::move(m));
     }},
};
}  // namespace

Result<FrontendMessage> parseFrontendMessage(uint8_t type, ByteView payload) {
  return parseWith(kFrontendParsers, type, payload, "frontend");
}

std::optional<Diagnostic> checkFrontendHeader(uint8_t type, uint32_t payload_length) {
  return checkHeaderWith(kFrontendParsers, type, payload_length, "frontend");
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-STARTUPMESSAGE
Result<FrontendMessage> parseStartupPacket(ByteView body) {
  WireReader r(body, "startup packet", kStartupBodyOffset);
  int32_t code = 0;
  if (!r.readInt32(code)) return *r.finish();
  switch (code) {
    case kSslRequestCode: {
      return finished(r, SslRequest{});
    }
    case kGssEncRequestCode: {
      return finished(r, GssEncRequest{});
    }
    case kCancelRequestCode: {
      CancelRequest m;
      r.readInt32(m.process_id) && r.readCancelKey(m.secret_key);
      return finished(r, std::move(m));
    }
    default:
      break;
  }
  StartupMessage m;
  m.major_version = static_cast<uint16_t>(static_cast<uint32_t>(code) >> 16);
  m.minor_version = static_cast<uint16_t>(code & 0xFFFF);
  if (m.major_version != 3) {
    r.fail("pgwire-unsupported-version",
           "unsupported frontend protocol " + std::to_string(m.major_version) + "." +
               std::to_string(m.minor_version) + " (3.x is supported)");
    return *r.finish();
  }
  // Name/value pairs, then an empty name.
  for (;;) {
    std::string name;
    if (!r.readCString(name) || name.empty()) break;
    std::string value;
    if (!r.readCString(value)) break;
    m.parameters.emplace_back(std::move(name), std::move(value));
  }
  return finished(r, std::move(m));
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PASSWORDMESSAGE
Result<SecretString> parsePassword(const PasswordMessage& m) {
  // Looked at in place so the secret is not copied into a plain std::string.
  const ByteView payload(m.payload.data(), m.payload.size());
  const auto nul = std::find(payload.begin(), payload.end(), uint8_t{0});
  const auto len = static_cast<std::size_t>(nul - payload.begin());
  if (nul == payload.end() || len + 1 != payload.size()) {
    const auto at = static_cast<uint32_t>(kTypedPayloadOffset + len);
    return Diagnostic::error(nul == payload.end() ? "pgwire-missing-nul" : "pgwire-trailing-bytes",
                             "PasswordMessage: the password must be one NUL-terminated string",
                             Span{at, at});
  }
  return SecretString(asText(payload.first(len)));
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SASLINITIALRESPONSE
Result<SaslInitialResponse> parseSaslInitialResponse(const PasswordMessage& m) {
  WireReader r(m.payload, "SASLInitialResponse", kTypedPayloadOffset);
  SaslInitialResponse out;
  int32_t len = 0;
  if (r.readCString(out.mechanism) && r.readInt32(len)) {
    if (len < -1) {
      r.fail("pgwire-bad-length", "response length " + std::to_string(len));
    } else if (len >= 0 && static_cast<std::size_t>(len) != r.remaining()) {
      r.fail("pgwire-bad-length", "response length " + std::to_string(len) + " but " +
                                      std::to_string(r.remaining()) + " bytes follow");
    } else if (len >= 0) {
      const std::size_t start = m.payload.size() - r.remaining();
      out.data.emplace(m.payload.begin() + static_cast<std::ptrdiff_t>(start), m.payload.end());
      return out;
    }
  }
  if (auto err = r.finish()) return *err;
  return out;
}

PasswordMessage makePasswordMessage(std::string_view password) {
  PasswordMessage m;
  m.payload.assign(password.begin(), password.end());
  m.payload.push_back(0);
  return m;
}

PasswordMessage makeSaslInitialResponse(std::string_view mechanism,
                                        std::optional<std::string_view> data) {
  PasswordMessage m;
  m.payload.assign(mechanism.begin(), mechanism.end());
  m.payload.push_back(0);
  const auto len = static_cast<uint32_t>(data ? static_cast<int32_t>(data->size()) : -1);
  for (int shift = 24; shift >= 0; shift -= 8)
    m.payload.push_back(static_cast<uint8_t>(len >> shift));
  if (data) m.payload.insert(m.payload.end(), data->begin(), data->end());
  return m;
}

PasswordMessage makeSaslResponse(std::string_view data) {
  PasswordMessage m;
  m.payload.assign(data.begin(), data.end());
  return m;
}

// --- Encoding ---------------------------------------------------------------

void encode(const StartupMessage& m, Bytes& out) {
  WireWriter w(out);
  w.beginUntyped();
  w.int32(static_cast<int32_t>((uint32_t{m.major_version} << 16) | m.minor_version));
  for (const auto& [name, value] : m.parameters) {
    w.cstring(name);
    w.cstring(value);
  }
  w.byte(0);
  w.end();
}

namespace {
void encodeRequestCode(int32_t code, Bytes& out) {
  WireWriter w(out);
  w.beginUntyped();
  w.int32(code);
  w.end();
}

template <class M>
void encodeTarget(uint8_t type, const M& m, Bytes& out) {
  WireWriter w(out);
  w.begin(type);
  w.byte(static_cast<uint8_t>(m.kind));
  w.cstring(m.name);
  w.end();
}
}  // namespace

void encode(const SslRequest&, Bytes& out) {
  encodeRequestCode(kSslRequestCode, out);
}
void encode(const GssEncRequest&, Bytes& out) {
  encodeRequestCode(kGssEncRequestCode, out);
}

void encode(const CancelRequest& m, Bytes& out) {
  WireWriter w(out);
  w.beginUntyped();
  w.int32(kCancelRequestCode);
  w.int32(m.process_id);
  w.bytes(m.secret_key);
  w.end();
}

void encode(const Query& m, Bytes& out) {
  encodeStringMessage('Q', m.sql, out);
}

void encode(const Parse& m, Bytes& out) {
  WireWriter w(out);
  w.begin('P');
  w.cstring(m.name);
  w.cstring(m.sql);
  w.oidList(m.param_type_oids);
  w.end();
}

void encode(const Bind& m, Bytes& out) {
  WireWriter w(out);
  w.begin('B');
  w.cstring(m.portal);
  w.cstring(m.statement);
  w.int16List(m.param_formats);
  w.nullableList(m.params);
  w.int16List(m.result_formats);
  w.end();
}

void encode(const Describe& m, Bytes& out) {
  encodeTarget('D', m, out);
}

void encode(const Execute& m, Bytes& out) {
  WireWriter w(out);
  w.begin('E');
  w.cstring(m.portal);
  w.int32(m.max_rows);
  w.end();
}

void encode(const Close& m, Bytes& out) {
  encodeTarget('C', m, out);
}
void encode(const Sync&, Bytes& out) {
  encodeEmptyMessage('S', out);
}
void encode(const Flush&, Bytes& out) {
  encodeEmptyMessage('H', out);
}
void encode(const Terminate&, Bytes& out) {
  encodeEmptyMessage('X', out);
}
void encode(const CopyFail& m, Bytes& out) {
  encodeStringMessage('f', m.message, out);
}

void encode(const FunctionCall& m, Bytes& out) {
  WireWriter w(out);
  w.begin('F');
  w.int32(static_cast<int32_t>(m.function_oid));
  w.int16List(m.arg_formats);
  w.nullableList(m.args);
  w.int16(m.result_format);
  w.end();
}

void encode(const PasswordMessage& m, Bytes& out) {
  WireWriter w(out);
  w.begin('p');
  w.bytes(ByteView(m.payload.data(), m.payload.size()));
  w.end();
}

void encode(const FrontendMessage& m, Bytes& out) {
  std::visit([&out](const auto& msg) { encode(msg, out); }, m);
}

std::string_view messageName(const FrontendMessage& m) {
  static constexpr std::string_view kNames[] = {
      "StartupMessage", "SSLRequest",   "GSSENCRequest",  "CancelRequest", "Query",
      "Parse",          "Bind",         "Describe",       "Execute",       "Close",
      "Sync",           "Flush",        "Terminate",      "CopyData",      "CopyDone",
      "CopyFail",       "FunctionCall", "PasswordMessage"};
  static_assert(std::size(kNames) == std::variant_size_v<FrontendMessage>);
  return kNames[m.index()];
}

}  // namespace sqlwarden::pgwire
