// Backend (server -> client) messages: parsing and encoding.
// https://www.postgresql.org/docs/current/protocol-message-formats.html
#include "pgwire/backend_messages.hpp"

#include "pgwire/wire_reader.hpp"
#include "pgwire/wire_writer.hpp"

namespace sqlwarden::pgwire {

namespace {

template <class M>
Result<BackendMessage> finished(WireReader& r, M&& m) {
  return finishMessage<BackendMessage>(r, std::forward<M>(m));
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONOK
// and the Authentication* entries after it.
Result<BackendMessage> parseAuthentication(WireReader& r) {
  Authentication m;
  int32_t code = 0;
  if (!r.readInt32(code)) return *r.finish();
  m.request = static_cast<AuthRequest>(code);
  switch (m.request) {
    case AuthRequest::Ok:
    case AuthRequest::KerberosV5:
    case AuthRequest::CleartextPassword:
    case AuthRequest::Gss:
    case AuthRequest::Sspi:
      break;
    case AuthRequest::Md5Password:
      for (auto& b : m.md5_salt) r.readByte(b);
      break;
    case AuthRequest::Sasl:
      // Mechanism names, then an empty name.
      for (;;) {
        std::string name;
        if (!r.readCString(name) || name.empty()) break;
        m.mechanisms.push_back(std::move(name));
      }
      break;
    case AuthRequest::GssContinue:
    case AuthRequest::SaslContinue:
    case AuthRequest::SaslFinal:
      r.readRest(m.data);
      break;
    default:
      r.fail("pgwire-bad-value", "unknown authentication request " + std::to_string(code));
  }
  return finished(r, std::move(m));
}

// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-ROWDESCRIPTION
Result<BackendMessage> parseRowDescription(WireReader& r) {
  RowDescription m;
  std::size_t n = 0;
  // A field is at least 19 bytes: an empty name's NUL and 18 bytes of numbers.
  if (r.readCount16(19, n)) {
    m.fields.resize(n);
    for (auto& f : m.fields) {
      int32_t table = 0;
      int32_t type = 0;
      if (!(r.readCString(f.name) && r.readInt32(table) && r.readInt16(f.column_attr) &&
            r.readInt32(type) && r.readInt16(f.type_size) && r.readInt32(f.type_modifier) &&
            r.readInt16(f.format))) {
        break;
      }
      f.table_oid = static_cast<uint32_t>(table);
      f.type_oid = static_cast<uint32_t>(type);
    }
  }
  return finished(r, std::move(m));
}

template <class M>
Result<BackendMessage> parseErrorFields(WireReader& r) {
  M m;
  // Code/value pairs, then a zero code.
  for (;;) {
    ErrorField f;
    if (!r.readByte(f.code) || f.code == 0) break;
    if (!r.readCString(f.value)) break;
    m.fields.push_back(std::move(f));
  }
  return finished(r, std::move(m));
}

template <class M>
Result<BackendMessage> parseCopyResponse(WireReader& r) {
  M m;
  uint8_t overall = 0;
  if (r.readByte(overall)) {
    m.overall_format = static_cast<int8_t>(overall);
    r.readInt16List(m.column_formats);
  }
  return finished(r, std::move(m));
}

Result<BackendMessage> parseReadyForQuery(WireReader& r) {
  ReadyForQuery m;
  uint8_t status = 0;
  if (r.readByte(status)) {
    if (status == 'I' || status == 'T' || status == 'E') {
      m.status = static_cast<TransactionStatus>(status);
    } else {
      r.fail("pgwire-bad-value", "transaction status " + std::to_string(status));
    }
  }
  return finished(r, std::move(m));
}

Result<BackendMessage> parseNegotiateProtocolVersion(WireReader& r) {
  NegotiateProtocolVersion m;
  std::size_t n = 0;
  if (r.readInt32(m.newest_minor_version) && r.readCount32(1, n)) {
    m.unrecognized_options.resize(n);
    for (auto& name : m.unrecognized_options) {
      if (!r.readCString(name)) break;
    }
  }
  return finished(r, std::move(m));
}

template <class M>
constexpr auto parseEmpty = parseEmptyMessage<BackendMessage, M>;

}  // namespace

std::string_view ErrorFields::field(uint8_t code) const {
  for (const auto& f : fields) {
    if (f.code == code) return f.value;
  }
  return {};
}

std::string_view ErrorFields::severity() const {
  const std::string_view v = field('V');
  return v.empty() ? field('S') : v;
}

namespace {
using Parser = MessageParser<BackendMessage>;

// https://www.postgresql.org/docs/current/protocol-message-formats.html
const Parser kBackendParsers[] = {
    {'R', "Authentication", false, parseAuthentication},
    {'S', "ParameterStatus", false,
     [](WireReader& r) {
       ParameterStatus m;
       r.readCString(m.name) && r.readCString(m.value);
       return finished(r, std::move(m));
     }},
    {'K', "BackendKeyData", false,
     [](WireReader& r) {
       BackendKeyData m;
       r.readInt32(m.process_id) && r.readCancelKey(m.secret_key);
       return finished(r, std::move(m));
     }},
    {'Z', "ReadyForQuery", false, parseReadyForQuery},
    {'T', "RowDescription", false, parseRowDescription},
    {'D', "DataRow", false,
     [](WireReader& r) {
       DataRow m;
       r.readNullableList(m.values);
       return finished(r, std::move(m));
     }},
    {'C', "CommandComplete", false,
     [](WireReader& r) {
       CommandComplete m;
       r.readCString(m.tag);
       return finished(r, std::move(m));
     }},
    {'E', "ErrorResponse", false, parseErrorFields<ErrorResponse>},
    {'N', "NoticeResponse", false, parseErrorFields<NoticeResponse>},
    {'1', "ParseComplete", true, parseEmpty<ParseComplete>},
    {'2', "BindComplete", true, parseEmpty<BindComplete>},
    {'3', "CloseComplete", true, parseEmpty<CloseComplete>},
    {'n', "NoData", true, parseEmpty<NoData>},
    {'s', "PortalSuspended", true, parseEmpty<PortalSuspended>},
    {'I', "EmptyQueryResponse", true, parseEmpty<EmptyQueryResponse>},
    {'t', "ParameterDescription", false,
     [](WireReader& r) {
       ParameterDescription m;
       r.readOidList(m.type_oids);
       return finished(r, std::move(m));
     }},
    {'G', "CopyInResponse", false, parseCopyResponse<CopyInResponse>},
    {'H', "CopyOutResponse", false, parseCopyResponse<CopyOutResponse>},
    {'W', "CopyBothResponse", false, parseCopyResponse<CopyBothResponse>},
    {'d', "CopyData", false, parseCopyData<BackendMessage>},
    {'c', "CopyDone", true, parseEmpty<CopyDone>},
    {'A', "NotificationResponse", false,
     [](WireReader& r) {
       NotificationResponse m;
       r.readInt32(m.process_id) && r.readCString(m.channel) && r.readCString(m.payload);
       return finished(r, std::move(m));
     }},
    {'v', "NegotiateProtocolVersion", false, parseNegotiateProtocolVersion},
    {'V', "FunctionCallResponse", false,
     [](WireReader& r) {
       FunctionCallResponse m;
       r.readNullableBytes(m.result);
       return finished(r, std::move(m));
     }},
};
}  // namespace

Result<BackendMessage> parseBackendMessage(uint8_t type, ByteView payload) {
  return parseWith(kBackendParsers, type, payload, "backend");
}

std::optional<Diagnostic> checkBackendHeader(uint8_t type, uint32_t payload_length) {
  return checkHeaderWith(kBackendParsers, type, payload_length, "backend");
}

// --- Encoding ---------------------------------------------------------------

void encode(const SslResponse& m, Bytes& out) {
  out.push_back(m.accepted ? 'S' : 'N');
}

void encode(const Authentication& m, Bytes& out) {
  WireWriter w(out);
  w.begin('R');
  w.int32(static_cast<int32_t>(m.request));
  switch (m.request) {
    case AuthRequest::Md5Password:
      w.bytes(ByteView(m.md5_salt));
      break;
    case AuthRequest::Sasl:
      for (const auto& name : m.mechanisms) w.cstring(name);
      w.byte(0);
      break;
    case AuthRequest::GssContinue:
    case AuthRequest::SaslContinue:
    case AuthRequest::SaslFinal:
      w.bytes(m.data);
      break;
    default:
      break;
  }
  w.end();
}

void encode(const ParameterStatus& m, Bytes& out) {
  WireWriter w(out);
  w.begin('S');
  w.cstring(m.name);
  w.cstring(m.value);
  w.end();
}

void encode(const BackendKeyData& m, Bytes& out) {
  WireWriter w(out);
  w.begin('K');
  w.int32(m.process_id);
  w.bytes(m.secret_key);
  w.end();
}

void encode(const ReadyForQuery& m, Bytes& out) {
  WireWriter w(out);
  w.begin('Z');
  w.byte(static_cast<uint8_t>(m.status));
  w.end();
}

void encode(const RowDescription& m, Bytes& out) {
  WireWriter w(out);
  w.begin('T');
  w.int16(static_cast<int16_t>(m.fields.size()));
  for (const auto& f : m.fields) {
    w.cstring(f.name);
    w.int32(static_cast<int32_t>(f.table_oid));
    w.int16(f.column_attr);
    w.int32(static_cast<int32_t>(f.type_oid));
    w.int16(f.type_size);
    w.int32(f.type_modifier);
    w.int16(f.format);
  }
  w.end();
}

void encode(const DataRow& m, Bytes& out) {
  WireWriter w(out);
  w.begin('D');
  w.nullableList(m.values);
  w.end();
}

void encode(const CommandComplete& m, Bytes& out) {
  encodeStringMessage('C', m.tag, out);
}

namespace {
void encodeErrorFields(uint8_t type, const ErrorFields& m, Bytes& out) {
  WireWriter w(out);
  w.begin(type);
  for (const auto& f : m.fields) {
    // A zero code would end the list early; such a field cannot be sent.
    if (f.code == 0) continue;
    w.byte(f.code);
    w.cstring(f.value);
  }
  w.byte(0);
  w.end();
}

void encodeCopyResponse(uint8_t type, const CopyFormat& m, Bytes& out) {
  WireWriter w(out);
  w.begin(type);
  w.byte(static_cast<uint8_t>(m.overall_format));
  w.int16List(m.column_formats);
  w.end();
}
}  // namespace

void encode(const ErrorResponse& m, Bytes& out) {
  encodeErrorFields('E', m, out);
}
void encode(const NoticeResponse& m, Bytes& out) {
  encodeErrorFields('N', m, out);
}
void encode(const ParseComplete&, Bytes& out) {
  encodeEmptyMessage('1', out);
}
void encode(const BindComplete&, Bytes& out) {
  encodeEmptyMessage('2', out);
}
void encode(const CloseComplete&, Bytes& out) {
  encodeEmptyMessage('3', out);
}
void encode(const NoData&, Bytes& out) {
  encodeEmptyMessage('n', out);
}

void encode(const ParameterDescription& m, Bytes& out) {
  WireWriter w(out);
  w.begin('t');
  w.oidList(m.type_oids);
  w.end();
}

void encode(const PortalSuspended&, Bytes& out) {
  encodeEmptyMessage('s', out);
}
void encode(const EmptyQueryResponse&, Bytes& out) {
  encodeEmptyMessage('I', out);
}
void encode(const CopyInResponse& m, Bytes& out) {
  encodeCopyResponse('G', m, out);
}
void encode(const CopyOutResponse& m, Bytes& out) {
  encodeCopyResponse('H', m, out);
}
void encode(const CopyBothResponse& m, Bytes& out) {
  encodeCopyResponse('W', m, out);
}

void encode(const NotificationResponse& m, Bytes& out) {
  WireWriter w(out);
  w.begin('A');
  w.int32(m.process_id);
  w.cstring(m.channel);
  w.cstring(m.payload);
  w.end();
}

void encode(const NegotiateProtocolVersion& m, Bytes& out) {
  WireWriter w(out);
  w.begin('v');
  w.int32(m.newest_minor_version);
  w.int32(static_cast<int32_t>(m.unrecognized_options.size()));
  for (const auto& name : m.unrecognized_options) w.cstring(name);
  w.end();
}

void encode(const FunctionCallResponse& m, Bytes& out) {
  WireWriter w(out);
  w.begin('V');
  w.nullableBytes(m.result);
  w.end();
}

void encode(const BackendMessage& m, Bytes& out) {
  std::visit([&out](const auto& msg) { encode(msg, out); }, m);
}

namespace {
std::string_view authenticationName(AuthRequest request) {
  switch (request) {
    case AuthRequest::Ok:
      return "AuthenticationOk";
    case AuthRequest::KerberosV5:
      return "AuthenticationKerberosV5";
    case AuthRequest::CleartextPassword:
      return "AuthenticationCleartextPassword";
    case AuthRequest::Md5Password:
      return "AuthenticationMD5Password";
    case AuthRequest::Gss:
      return "AuthenticationGSS";
    case AuthRequest::GssContinue:
      return "AuthenticationGSSContinue";
    case AuthRequest::Sspi:
      return "AuthenticationSSPI";
    case AuthRequest::Sasl:
      return "AuthenticationSASL";
    case AuthRequest::SaslContinue:
      return "AuthenticationSASLContinue";
    case AuthRequest::SaslFinal:
      return "AuthenticationSASLFinal";
  }
  return "Authentication";
}
}  // namespace

std::string_view messageName(const BackendMessage& m) {
  static constexpr std::string_view kNames[] = {"SSLResponse",
                                                "Authentication",
                                                "ParameterStatus",
                                                "BackendKeyData",
                                                "ReadyForQuery",
                                                "RowDescription",
                                                "DataRow",
                                                "CommandComplete",
                                                "ErrorResponse",
                                                "NoticeResponse",
                                                "ParseComplete",
                                                "BindComplete",
                                                "CloseComplete",
                                                "NoData",
                                                "ParameterDescription",
                                                "PortalSuspended",
                                                "EmptyQueryResponse",
                                                "CopyInResponse",
                                                "CopyOutResponse",
                                                "CopyBothResponse",
                                                "CopyData",
                                                "CopyDone",
                                                "NotificationResponse",
                                                "NegotiateProtocolVersion",
                                                "FunctionCallResponse"};
  static_assert(std::size(kNames) == std::variant_size_v<BackendMessage>);
  if (const auto* auth = std::get_if<Authentication>(&m)) return authenticationName(auth->request);
  return kNames[m.index()];
}

}  // namespace sqlwarden::pgwire
