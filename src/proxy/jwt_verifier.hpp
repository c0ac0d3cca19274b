#pragma once
// OIDC tokens sent as the password (the way Azure Database for PostgreSQL
// takes Entra ID tokens): a JWT signed with RS256 or ES256, checked with
// OpenSSL against the keys of a JWKS file or of a JWKS fetched over HTTPS
// (RFC 7515, 7517, 7518, 7519).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "policy/policy.hpp"
#include "proxy/gateway_config.hpp"

namespace sqlwarden::proxy {

/// The keys of one JWKS document. Keys of other types (oct, OKP) and RSA
/// keys under 2048 bits are skipped.
class JwksKeySet {
 public:
  struct Key;
  JwksKeySet();
  ~JwksKeySet();
  JwksKeySet(JwksKeySet&&) noexcept;
  JwksKeySet& operator=(JwksKeySet&&) noexcept;

  /// Parses a JWKS document ({"keys": [...]}).
  static Result<JwksKeySet> parse(std::string_view json);
  size_t size() const { return keys_.size(); }
  /// The key for `kid` usable with `alg` ("RS256"/"ES256"); with an empty
  /// kid, the only key of that algorithm's type when there is exactly one.
  const Key* find(std::string_view kid, std::string_view alg) const;
  /// Checks `signature` over `signing_input` with `key` for `alg`.
  static bool verify(const Key& key, std::string_view alg, std::string_view signing_input,
                     const std::vector<uint8_t>& signature);

 private:
  std::vector<std::unique_ptr<Key>> keys_;
};

/// Verifies tokens of one identity provider and maps their claims to the
/// policy's Identity: the user claim is the user, the groups claim (an
/// array of strings or one string) the groups, and the other scalar claims
/// (all of them, or only those listed in `claims`) the claims.
///
/// The keys can be replaced while tokens are being verified (a JWKS fetched
/// from jwks_url again): verify() works on the set current when it starts.
class JwtVerifier {
 public:
  /// Loads the provider's JWKS file; with jwks_url instead, starts with no
  /// keys (the gateway fetches them: every token fails until it has).
  static Result<JwtVerifier> create(const IdentityProviderConfig& config);
  JwtVerifier(IdentityProviderConfig config, JwksKeySet keys);

  const IdentityProviderConfig& config() const { return config_; }
  /// Replaces the keys (thread-safe).
  void setKeys(JwksKeySet keys);
  size_t keyCount() const;
  /// Checks the token's shape, algorithm, signature, `iss`, `aud` (a string
  /// or an array containing ours), `exp` (required) and `nbf`/`iat` with the
  /// configured clock skew, at time `now` (seconds since the epoch). The
  /// error says exactly what failed: for the log, never for the client. Its
  /// code is kUnknownKey when no key matches the token's kid and alg (a
  /// JWKS fetched from a URL may be out of date).
  Result<policy::Identity> verify(std::string_view token, int64_t now) const;
  static constexpr const char* kUnknownKey = "jwt-unknown-key";

 private:
  struct KeyBox;  // the current key set, behind a mutex
  IdentityProviderConfig config_;
  std::shared_ptr<KeyBox> keys_;
};

/// The `iss` claim of a token without checking anything, to pick the
/// provider that verifies it; "" when the token cannot be read.
std::string peekIssuer(std::string_view token);

/// base64url without padding (RFC 4648 section 5), as JWTs use it.
std::optional<std::vector<uint8_t>> base64UrlDecode(std::string_view text);
std::string base64UrlEncode(const std::vector<uint8_t>& bytes);

}  // namespace sqlwarden::proxy
