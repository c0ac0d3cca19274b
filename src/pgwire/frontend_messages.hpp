#pragma once
// What a client sends a server: the untyped startup-phase packets and the
// typed messages after them.
// https://www.postgresql.org/docs/current/protocol-message-formats.html
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.hpp"
#include "pgwire/bytes.hpp"
#include "pgwire/copy_messages.hpp"

namespace sqlwarden::pgwire {

/// The request codes that take the place of a protocol version in the
/// startup phase (protocol-message-formats.html, SSLRequest etc.).
inline constexpr int32_t kSslRequestCode = 80877103;     ///< 1234 << 16 | 5679
inline constexpr int32_t kGssEncRequestCode = 80877104;  ///< 1234 << 16 | 5680
inline constexpr int32_t kCancelRequestCode = 80877102;  ///< 1234 << 16 | 5678

// --- Startup phase (no type byte) ------------------------------------------

/// StartupMessage: protocol version and the connection parameters
/// (user, database, application_name, options, client_encoding, ...).
/// The decoder accepts major version 3 with any minor version; answering an
/// unsupported minor version with NegotiateProtocolVersion is the session's job.
struct StartupMessage {
  uint16_t major_version = 3;
  uint16_t minor_version = 0;
  /// In the order the client sent them; names are not checked for duplicates.
  std::vector<std::pair<std::string, std::string>> parameters;

  /// The value of parameter `name`, or nullptr when it was not sent.
  const std::string* parameter(std::string_view name) const;
  bool operator==(const StartupMessage&) const = default;
};

/// SSLRequest: the client asks to switch to TLS; answered with one byte
/// (SslResponse), then the TLS handshake, then a new startup packet.
struct SslRequest {
  bool operator==(const SslRequest&) const = default;
};

/// GSSENCRequest: the client asks for GSSAPI encryption; the gateway declines
/// it with SslResponse{false} (the byte 'N').
struct GssEncRequest {
  bool operator==(const GssEncRequest&) const = default;
};

/// CancelRequest: sent on a new connection, which is closed afterwards.
/// The key is 4 bytes in protocol 3.0 and up to 256 bytes from 3.2 on.
struct CancelRequest {
  int32_t process_id = 0;
  Bytes secret_key;
  bool operator==(const CancelRequest&) const = default;
};

// --- Typed messages ---------------------------------------------------------

/// Query ('Q'): simple query, one or more statements.
struct Query {
  std::string sql;
  bool operator==(const Query&) const = default;
};

/// Parse ('P'): prepare `sql` as statement `name` ("" is the unnamed one).
struct Parse {
  std::string name;
  std::string sql;
  std::vector<uint32_t> param_type_oids;  ///< 0 leaves a parameter's type unspecified
  bool operator==(const Parse&) const = default;
};

/// Bind ('B'): create portal `portal` from statement `statement`.
struct Bind {
  std::string portal;
  std::string statement;
  std::vector<int16_t> param_formats;        ///< 0 entries: all text; 1: applies to all
  std::vector<std::optional<Bytes>> params;  ///< nullopt is SQL NULL
  std::vector<int16_t> result_formats;
  bool operator==(const Bind&) const = default;
};

/// Whether Describe/Close names a prepared statement or a portal.
enum class TargetKind : uint8_t { Statement = 'S', Portal = 'P' };

/// Describe ('D').
struct Describe {
  TargetKind kind = TargetKind::Statement;
  std::string name;
  bool operator==(const Describe&) const = default;
};

/// Execute ('E'): run `portal`, returning at most `max_rows` rows (0: no limit).
struct Execute {
  std::string portal;
  int32_t max_rows = 0;
  bool operator==(const Execute&) const = default;
};

/// Close ('C').
struct Close {
  TargetKind kind = TargetKind::Statement;
  std::string name;
  bool operator==(const Close&) const = default;
};

/// Sync ('S'): end of an extended-query batch.
struct Sync {
  bool operator==(const Sync&) const = default;
};

/// Flush ('H'): ask the server to send what it has.
struct Flush {
  bool operator==(const Flush&) const = default;
};

/// Terminate ('X').
struct Terminate {
  bool operator==(const Terminate&) const = default;
};

/// CopyFail ('f'): the client aborts COPY FROM STDIN.
struct CopyFail {
  std::string message;
  bool operator==(const CopyFail&) const = default;
};

/// FunctionCall ('F'): the legacy fast-path call (the gateway denies it).
struct FunctionCall {
  uint32_t function_oid = 0;
  std::vector<int16_t> arg_formats;
  std::vector<std::optional<Bytes>> args;
  int16_t result_format = 0;
  bool operator==(const FunctionCall&) const = default;
};

/// 'p': PasswordMessage, SASLInitialResponse or SASLResponse. Which one it is
/// depends on the authentication request the server sent last, so the decoder
/// keeps the payload as it came; parse it with parsePassword(),
/// parseSaslInitialResponse() or take it whole as the SASLResponse data.
/// The payload is secret and wiped when freed.
struct PasswordMessage {
  SecretBytes payload;
  bool operator==(const PasswordMessage&) const = default;
};

/// Every message a client can send.
using FrontendMessage =
    std::variant<StartupMessage, SslRequest, GssEncRequest, CancelRequest, Query, Parse, Bind,
                 Describe, Execute, Close, Sync, Flush, Terminate, CopyData, CopyDone, CopyFail,
                 FunctionCall, PasswordMessage>;

/// SASLInitialResponse, the first 'p' of a SASL exchange.
struct SaslInitialResponse {
  std::string mechanism;  ///< e.g. "SCRAM-SHA-256"
  /// The mechanism's initial response; nullopt when the client sent none (length -1).
  std::optional<SecretBytes> data;
  bool operator==(const SaslInitialResponse&) const = default;
};

/// Reads `m` as a PasswordMessage: one NUL-terminated string (a cleartext
/// password, an "md5..." hash, or a bearer token).
Result<SecretString> parsePassword(const PasswordMessage& m);
/// Reads `m` as a SASLInitialResponse.
Result<SaslInitialResponse> parseSaslInitialResponse(const PasswordMessage& m);
/// A SASLResponse is the payload itself: use `m.payload`.

/// Builds the 'p' message carrying a password (the caller wipes the encoded
/// frame after sending it).
PasswordMessage makePasswordMessage(std::string_view password);
/// Builds the 'p' message carrying a SASLInitialResponse.
PasswordMessage makeSaslInitialResponse(std::string_view mechanism,
                                        std::optional<std::string_view> data);
/// Builds the 'p' message carrying a SASLResponse.
PasswordMessage makeSaslResponse(std::string_view data);

/// Parses the payload (the bytes after the length word) of a typed frontend
/// message of type `type`. Errors: unknown type, field overruns, missing NUL,
/// bad enum values, trailing bytes; offsets in them count from the type byte.
Result<FrontendMessage> parseFrontendMessage(uint8_t type, ByteView payload);

/// Checks a typed frontend frame's header before its payload has arrived:
/// the type must be a frontend message, and Sync, Flush, Terminate and
/// CopyDone must have no payload. nullopt when acceptable.
std::optional<Diagnostic> checkFrontendHeader(uint8_t type, uint32_t payload_length);

/// Parses a startup-phase packet: `body` is everything after the length word,
/// starting with the protocol version or request code. Errors: unsupported
/// protocol version, parameters without their NUL terminators, bad sizes.
Result<FrontendMessage> parseStartupPacket(ByteView body);

/// Encodes `m` as a whole frame (type byte and length included, none for the
/// startup-phase packets) appended to `out`. Decoding the result gives `m`
/// back; for messages that were decoded, the bytes are the ones received.
void encode(const FrontendMessage& m, Bytes& out);
void encode(const StartupMessage& m, Bytes& out);
void encode(const SslRequest& m, Bytes& out);
void encode(const GssEncRequest& m, Bytes& out);
void encode(const CancelRequest& m, Bytes& out);
void encode(const Query& m, Bytes& out);
void encode(const Parse& m, Bytes& out);
void encode(const Bind& m, Bytes& out);
void encode(const Describe& m, Bytes& out);
void encode(const Execute& m, Bytes& out);
void encode(const Close& m, Bytes& out);
void encode(const Sync& m, Bytes& out);
void encode(const Flush& m, Bytes& out);
void encode(const Terminate& m, Bytes& out);
void encode(const CopyFail& m, Bytes& out);
void encode(const FunctionCall& m, Bytes& out);
void encode(const PasswordMessage& m, Bytes& out);

/// The message's name as the protocol documentation spells it ("Parse").
std::string_view messageName(const FrontendMessage& m);

}  // namespace sqlwarden::pgwire
