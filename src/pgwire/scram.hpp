#pragma once
// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: the parts both
// sides share, and the stored verifier.
// https://www.postgresql.org/docs/current/sasl-authentication.html
//
// Passwords are used as the bytes given, without SASLprep (RFC 4013)
// normalisation. For ASCII passwords that is exactly what PostgreSQL does
// (SASLprep leaves printable ASCII alone, and PostgreSQL uses the raw bytes
// when SASLprep rejects a password, as it does one with control characters).
// A non-ASCII password that SASLprep would change (one not in NFKC form, or
// with non-ASCII spaces or soft hyphens) gives a different key than
// PostgreSQL's; verifiers made by makeScramVerifier() always match our own
// client and server.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "pgwire/bytes.hpp"

namespace sqlwarden::pgwire {

inline constexpr std::string_view kScramSha256 = "SCRAM-SHA-256";
/// The channel-binding variant (tls-server-end-point).
inline constexpr std::string_view kScramSha256Plus = "SCRAM-SHA-256-PLUS";
/// PostgreSQL's default scram_iterations.
inline constexpr int32_t kScramDefaultIterations = 4096;

/// A SHA-256 sized key or signature.
using ScramKey = std::array<uint8_t, 32>;

/// What a server stores for a user instead of the password:
/// `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64 parts),
/// the format of pg_authid.rolpassword.
struct ScramVerifier {
  int32_t iterations = kScramDefaultIterations;
  Bytes salt;
  ScramKey stored_key{};
  ScramKey server_key{};
  bool operator==(const ScramVerifier&) const = default;
};

/// Reads a verifier in PostgreSQL's format.
Result<ScramVerifier> parseScramVerifier(std::string_view text);
/// Writes `v` in PostgreSQL's format.
std::string formatScramVerifier(const ScramVerifier& v);

/// Makes the verifier for `password` with a fresh 16-byte random salt (what a
/// `sqlwarden passwd` helper stores). Fails only if the system's random
/// number generator does, or `iterations` < 1.
Result<ScramVerifier> makeScramVerifier(std::string_view password,
                                        int32_t iterations = kScramDefaultIterations);
/// The same with a given salt (deterministic; for tests and known vectors).
ScramVerifier makeScramVerifier(std::string_view password, ByteView salt, int32_t iterations);

/// A stand-in verifier for a user that does not exist, so that the exchange
/// looks the same as for one that does and a client cannot probe for user
/// names (PostgreSQL's scram_mock_salt). The salt is derived from `user` and
/// `server_secret` (a random value the gateway keeps for its lifetime), so
/// repeated attempts for the same name see the same salt; no proof matches it.
ScramVerifier mockScramVerifier(std::string_view user, ByteView server_secret,
                                int32_t iterations = kScramDefaultIterations);

/// How the client side of SCRAM treats channel binding (RFC 5802 section 6;
/// PostgreSQL supports tls-server-end-point only).
struct ScramChannelBinding {
  enum class Mode {
    None,      ///< gs2 flag 'n': the client does not support channel binding
    NotUsed,   ///< gs2 flag 'y': the client could, but the server offered no -PLUS
    Required,  ///< gs2 'p=tls-server-end-point': mechanism SCRAM-SHA-256-PLUS
  };
  Mode mode = Mode::None;
  /// For Required: the tls-server-end-point data, the hash of the server's
  /// certificate (RFC 5929 section 4.1). The session computes it from the TLS
  /// connection.
  Bytes data;
};

/// SCRAM primitives (exposed for tests and for other SASL-like uses).
namespace scram {
/// Hi() of RFC 5802: PBKDF2-HMAC-SHA-256 with a 32-byte output.
ScramKey saltedPassword(std::string_view password, ByteView salt, int32_t iterations);
ScramKey hmacSha256(ByteView key, std::string_view message);
ScramKey sha256(ByteView data);
/// `len` random bytes from OpenSSL's CSPRNG, base64-encoded (a printable
/// nonce without ','); nullopt if the generator fails.
std::optional<std::string> randomNonce(std::size_t len = 18);
/// The value of attribute `name` ("r" for "r=...") at the start of `*input`,
/// advancing past it and the ',' after it; nullopt when the next attribute
/// has another name.
std::optional<std::string_view> readAttribute(std::string_view& input, char name);
/// True when `rest` is empty or a list of well-formed extension attributes
/// ("x=value", comma-separated), which both sides ignore.
bool isValidExtensionList(std::string_view rest);
/// True when `nonce` is non-empty printable ASCII without ',' (RFC 5802).
bool isValidNonce(std::string_view nonce);
/// The c= value: base64 of the gs2 header followed by channel-binding data.
std::string channelBindingAttribute(std::string_view gs2_header, ByteView data);
}  // namespace scram

}  // namespace sqlwarden::pgwire
