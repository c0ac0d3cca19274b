#pragma once
// OIDC tokens sent as the password (the way Azure Database for PostgreSQL
// takes Entra ID tokens): a JWT signed with RS256 or ES256, checked with
// OpenSSL against the keys of a JWKS file (RFC 7515, 7517, 7518, 7519).
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
class JwtVerifier {
 public:
  /// Loads the provider's JWKS file.
  static Result<JwtVerifier> create(const IdentityProviderConfig& config);
  JwtVerifier(IdentityProviderConfig config, JwksKeySet keys);

  const IdentityProviderConfig& config() const { return config_; }
  /// Checks the token's shape, algorithm, signature, `iss`, `aud` (a string
  /// or an array containing ours), `exp` (required) and `nbf`/`iat` with the
  /// configured clock skew, at time `now` (seconds since the epoch). The
  /// error says exactly what failed: for the log, never for the client.
  Result<policy::Identity> verify(std::string_view token, int64_t now) const;

 private:
  IdentityProviderConfig config_;
  JwksKeySet keys_;
};

/// The `iss` claim of a token without checking anything, to pick the
/// provider that verifies it; "" when the token cannot be read.
std::string peekIssuer(std::string_view token);

/// base64url without padding (RFC 4648 section 5), as JWTs use it.
std::optional<std::vector<uint8_t>> base64UrlDecode(std::string_view text);
std::string base64UrlEncode(const std::vector<uint8_t>& bytes);

}  // namespace sqlwarden::proxy
