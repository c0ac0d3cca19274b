#pragma once
// What a server sends a client.
// https://www.postgresql.org/docs/current/protocol-message-formats.html
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"
#include "pgwire/bytes.hpp"
#include "pgwire/copy_messages.hpp"

namespace sqlwarden::pgwire {

/// The one-byte answer to SSLRequest ('S' accepted, 'N' declined) or to
/// GSSENCRequest ('N' declined; the gateway never accepts GSS encryption).
/// It has no type byte or length; BackendDecoder reads it only after
/// expectSslResponse().
struct SslResponse {
  bool accepted = false;
  bool operator==(const SslResponse&) const = default;
};

/// The request code of an Authentication ('R') message.
enum class AuthRequest : int32_t {
  Ok = 0,
  KerberosV5 = 2,
  CleartextPassword = 3,
  Md5Password = 5,
  Gss = 7,
  GssContinue = 8,
  Sspi = 9,
  Sasl = 10,
  SaslContinue = 11,
  SaslFinal = 12,
};

/// Authentication* ('R'): one struct for all subtypes; which fields are used
/// depends on `request`:
/// Md5Password uses `md5_salt`; Sasl uses `mechanisms`; GssContinue,
/// SaslContinue and SaslFinal use `data`; the others use none.
struct Authentication {
  AuthRequest request = AuthRequest::Ok;
  std::array<uint8_t, 4> md5_salt{};
  std::vector<std::string> mechanisms;
  Bytes data;
  bool operator==(const Authentication&) const = default;
};

/// ParameterStatus ('S'): a run-time parameter's current value.
struct ParameterStatus {
  std::string name;
  std::string value;
  bool operator==(const ParameterStatus&) const = default;
};

/// BackendKeyData ('K'): what a CancelRequest for this session must carry.
/// The key is 4 bytes in protocol 3.0, up to 256 from 3.2 on.
struct BackendKeyData {
  int32_t process_id = 0;
  Bytes secret_key;
  bool operator==(const BackendKeyData&) const = default;
};

/// The transaction status ReadyForQuery reports.
enum class TransactionStatus : uint8_t { Idle = 'I', InTransaction = 'T', Failed = 'E' };

/// ReadyForQuery ('Z').
struct ReadyForQuery {
  TransactionStatus status = TransactionStatus::Idle;
  bool operator==(const ReadyForQuery&) const = default;
};

/// One column of a RowDescription.
struct FieldDescription {
  std::string name;
  uint32_t table_oid = 0;   ///< 0 when not a table column
  int16_t column_attr = 0;  ///< attribute number, 0 when not a table column
  uint32_t type_oid = 0;
  int16_t type_size = 0;  ///< pg_type.typlen; negative for variable width
  int32_t type_modifier = -1;
  int16_t format = 0;  ///< 0 text, 1 binary
  bool operator==(const FieldDescription&) const = default;
};

/// RowDescription ('T').
struct RowDescription {
  std::vector<FieldDescription> fields;
  bool operator==(const RowDescription&) const = default;
};

/// DataRow ('D'): one row; nullopt is SQL NULL.
struct DataRow {
  std::vector<std::optional<Bytes>> values;
  bool operator==(const DataRow&) const = default;
};

/// CommandComplete ('C'): the command tag, e.g. "SELECT 3".
struct CommandComplete {
  std::string tag;
  bool operator==(const CommandComplete&) const = default;
};

/// One field of an ErrorResponse or NoticeResponse: a code byte and its text.
/// https://www.postgresql.org/docs/current/protocol-error-fields.html
struct ErrorField {
  uint8_t code = 0;  ///< 'S', 'V', 'C', 'M', 'D', 'H', 'P', ...
  std::string value;
  bool operator==(const ErrorField&) const = default;
};

/// The field list that ErrorResponse and NoticeResponse share.
struct ErrorFields {
  std::vector<ErrorField> fields;  ///< in the order sent
  /// The value of the first field with `code`, or "" when there is none.
  std::string_view field(uint8_t code) const;
  /// The SQLSTATE ('C'), the message ('M'), the non-localised severity ('V',
  /// falling back to 'S').
  std::string_view sqlstate() const { return field('C'); }
  std::string_view message() const { return field('M'); }
  std::string_view severity() const;
  bool operator==(const ErrorFields&) const = default;
};

/// ErrorResponse ('E'). Build one with ErrorBuilder.
struct ErrorResponse : ErrorFields {
  bool operator==(const ErrorResponse&) const = default;
};

/// NoticeResponse ('N'). Build one with ErrorBuilder.
struct NoticeResponse : ErrorFields {
  bool operator==(const NoticeResponse&) const = default;
};

/// ParseComplete ('1').
struct ParseComplete {
  bool operator==(const ParseComplete&) const = default;
};
/// BindComplete ('2').
struct BindComplete {
  bool operator==(const BindComplete&) const = default;
};
/// CloseComplete ('3').
struct CloseComplete {
  bool operator==(const CloseComplete&) const = default;
};
/// NoData ('n'): the statement or portal returns no rows.
struct NoData {
  bool operator==(const NoData&) const = default;
};
/// PortalSuspended ('s'): Execute's row limit was reached.
struct PortalSuspended {
  bool operator==(const PortalSuspended&) const = default;
};
/// EmptyQueryResponse ('I'): the query string was empty.
struct EmptyQueryResponse {
  bool operator==(const EmptyQueryResponse&) const = default;
};

/// ParameterDescription ('t'): the parameter types of a prepared statement.
struct ParameterDescription {
  std::vector<uint32_t> type_oids;
  bool operator==(const ParameterDescription&) const = default;
};

/// The body CopyInResponse, CopyOutResponse and CopyBothResponse share.
struct CopyFormat {
  int8_t overall_format = 0;            ///< 0 text, 1 binary
  std::vector<int16_t> column_formats;  ///< one per column
  bool operator==(const CopyFormat&) const = default;
};
/// CopyInResponse ('G'): the server is ready for COPY FROM STDIN data.
struct CopyInResponse : CopyFormat {
  bool operator==(const CopyInResponse&) const = default;
};
/// CopyOutResponse ('H'): COPY TO STDOUT data follows.
struct CopyOutResponse : CopyFormat {
  bool operator==(const CopyOutResponse&) const = default;
};
/// CopyBothResponse ('W'): streaming replication's two-way copy.
struct CopyBothResponse : CopyFormat {
  bool operator==(const CopyBothResponse&) const = default;
};

/// NotificationResponse ('A'): a NOTIFY this session listens for.
struct NotificationResponse {
  int32_t process_id = 0;
  std::string channel;
  std::string payload;
  bool operator==(const NotificationResponse&) const = default;
};

/// NegotiateProtocolVersion ('v'): the newest minor version the server
/// supports, and the protocol options (_pq_.*) it did not recognise.
struct NegotiateProtocolVersion {
  int32_t newest_minor_version = 0;
  std::vector<std::string> unrecognized_options;
  bool operator==(const NegotiateProtocolVersion&) const = default;
};

/// FunctionCallResponse ('V'): the result of a FunctionCall; nullopt is NULL.
struct FunctionCallResponse {
  std::optional<Bytes> result;
  bool operator==(const FunctionCallResponse&) const = default;
};

/// Every message a server can send.
using BackendMessage =
    std::variant<SslResponse, Authentication, ParameterStatus, BackendKeyData, ReadyForQuery,
                 RowDescription, DataRow, CommandComplete, ErrorResponse, NoticeResponse,
                 ParseComplete, BindComplete, CloseComplete, NoData, ParameterDescription,
                 PortalSuspended, EmptyQueryResponse, CopyInResponse, CopyOutResponse,
                 CopyBothResponse, CopyData, CopyDone, NotificationResponse,
                 NegotiateProtocolVersion, FunctionCallResponse>;

/// Parses the payload (the bytes after the length word) of a backend message
/// of type `type`. Errors: unknown type or authentication request, field
/// overruns, missing NUL, bad enum values, trailing bytes; offsets in them
/// count from the type byte.
Result<BackendMessage> parseBackendMessage(uint8_t type, ByteView payload);

/// Checks a backend frame's header before its payload has arrived: the type
/// must be a backend message, and the messages without a body
/// (ParseComplete, NoData, ...) must have no payload. nullopt when acceptable.
std::optional<Diagnostic> checkBackendHeader(uint8_t type, uint32_t payload_length);

/// Encodes `m` as a whole frame appended to `out` (SslResponse as its one
/// byte). Decoding the result gives `m` back; for messages that were decoded,
/// the bytes are the ones received.
void encode(const BackendMessage& m, Bytes& out);
void encode(const SslResponse& m, Bytes& out);
void encode(const Authentication& m, Bytes& out);
void encode(const ParameterStatus& m, Bytes& out);
void encode(const BackendKeyData& m, Bytes& out);
void encode(const ReadyForQuery& m, Bytes& out);
void encode(const RowDescription& m, Bytes& out);
void encode(const DataRow& m, Bytes& out);
void encode(const CommandComplete& m, Bytes& out);
void encode(const ErrorResponse& m, Bytes& out);
void encode(const NoticeResponse& m, Bytes& out);
void encode(const ParseComplete& m, Bytes& out);
void encode(const BindComplete& m, Bytes& out);
void encode(const CloseComplete& m, Bytes& out);
void encode(const NoData& m, Bytes& out);
void encode(const ParameterDescription& m, Bytes& out);
void encode(const PortalSuspended& m, Bytes& out);
void encode(const EmptyQueryResponse& m, Bytes& out);
void encode(const CopyInResponse& m, Bytes& out);
void encode(const CopyOutResponse& m, Bytes& out);
void encode(const CopyBothResponse& m, Bytes& out);
void encode(const NotificationResponse& m, Bytes& out);
void encode(const NegotiateProtocolVersion& m, Bytes& out);
void encode(const FunctionCallResponse& m, Bytes& out);

/// The message's name as the protocol documentation spells it
/// ("AuthenticationSASL", "RowDescription").
std::string_view messageName(const BackendMessage& m);

}  // namespace sqlwarden::pgwire
