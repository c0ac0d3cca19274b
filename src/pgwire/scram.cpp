// https://www.postgresql.org/docs/current/sasl-authentication.html#SASL-SCRAM-SHA-256
// https://www.rfc-editor.org/rfc/rfc5802 and https://www.rfc-editor.org/rfc/rfc7677
#include "pgwire/scram.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>

#include "pgwire/base64.hpp"

namespace sqlwarden::pgwire {

namespace scram {

ScramKey saltedPassword(std::string_view password, ByteView salt, int32_t iterations) {
  ScramKey out{};
  // Only fails on allocation failure or a bad digest, neither of which can be
  // reported more usefully than as a key no proof will match.
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(out.size()), out.data());
  return out;
}

ScramKey hmacSha256(ByteView key, std::string_view message) {
  ScramKey out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &len);
  return out;
}

ScramKey sha256(ByteView data) {
  ScramKey out{};
  SHA256(data.data(), data.size(), out.data());
  return out;
}

std::optional<std::string> randomNonce(std::size_t len) {
  Bytes raw(len);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) return std::nullopt;
  return base64Encode(raw);
}

std::optional<std::string_view> readAttribute(std::string_view& input, char name) {
  if (input.size() < 2 || input[0] != name || input[1] != '=') return std::nullopt;
  const std::size_t comma = input.find(',');
  const std::string_view value =
      input.substr(2, comma == std::string_view::npos ? comma : comma - 2);
  input.remove_prefix(comma == std::string_view::npos ? input.size() : comma + 1);
  return value;
}

bool isValidExtensionList(std::string_view rest) {
  while (!rest.empty()) {
    const char name = rest[0];
    if (!((name >= 'a' && name <= 'z') || (name >= 'A' && name <= 'Z'))) return false;
    if (!readAttribute(rest, name)) return false;
  }
  return true;
}

bool isValidNonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (const char c : nonce) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

std::string channelBindingAttribute(std::string_view gs2_header, ByteView data) {
  Bytes input(gs2_header.begin(), gs2_header.end());
  input.insert(input.end(), data.begin(), data.end());
  return base64Encode(input);
}

}  // namespace scram

namespace {

Diagnostic verifierError(std::string_view what) {
  return Diagnostic::error("scram-bad-verifier", "invalid SCRAM verifier: " + std::string(what),
                           Span{});
}

bool decodeKey(std::string_view text, ScramKey& out) {
  auto bytes = base64Decode(text);
  if (!bytes || bytes->size() != out.size()) return false;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return true;
}

}  // namespace

// The format of pg_authid.rolpassword for SCRAM, see
// https://www.postgresql.org/docs/current/catalog-pg-authid.html
Result<ScramVerifier> parseScramVerifier(std::string_view text) {
  constexpr std::string_view kPrefix = "SCRAM-SHA-256$";
  if (text.substr(0, kPrefix.size()) != kPrefix) return verifierError("no SCRAM-SHA-256$ prefix");
  text.remove_prefix(kPrefix.size());
  const std::size_t colon1 = text.find(':');
  const std::size_t dollar = text.find('$');
  if (colon1 == std::string_view::npos || dollar == std::string_view::npos || dollar < colon1) {
    return verifierError("expected <iterations>:<salt>$<StoredKey>:<ServerKey>");
  }
  const std::string_view iter_text = text.substr(0, colon1);
  const std::string_view salt_text = text.substr(colon1 + 1, dollar - colon1 - 1);
  const std::string_view keys = text.substr(dollar + 1);
  const std::size_t colon2 = keys.find(':');
  if (colon2 == std::string_view::npos) return verifierError("expected <StoredKey>:<ServerKey>");

  ScramVerifier v;
  const auto [end, ec] =
      std::from_chars(iter_text.data(), iter_text.data() + iter_text.size(), v.iterations);
  if (ec != std::errc() || end != iter_text.data() + iter_text.size() || v.iterations < 1) {
    return verifierError("bad iteration count");
  }
  auto salt = base64Decode(salt_text);
  if (!salt || salt->empty()) return verifierError("bad salt");
  v.salt.assign(salt->begin(), salt->end());
  if (!decodeKey(keys.substr(0, colon2), v.stored_key)) return verifierError("bad StoredKey");
  if (!decodeKey(keys.substr(colon2 + 1), v.server_key)) return verifierError("bad ServerKey");
  return v;
}

std::string formatScramVerifier(const ScramVerifier& v) {
  return "SCRAM-SHA-256$" + std::to_string(v.iterations) + ":" + base64Encode(v.salt) + "$" +
         base64Encode(v.stored_key) + ":" + base64Encode(v.server_key);
}

ScramVerifier makeScramVerifier(std::string_view password, ByteView salt, int32_t iterations) {
  ScramKey salted = scram::saltedPassword(password, salt, iterations);
  ScramKey client_key = scram::hmacSha256(salted, "Client Key");
  ScramVerifier v;
  v.iterations = iterations;
  v.salt.assign(salt.begin(), salt.end());
  v.stored_key = scram::sha256(client_key);
  v.server_key = scram::hmacSha256(salted, "Server Key");
  secureWipe(salted.data(), salted.size());
  secureWipe(client_key.data(), client_key.size());
  return v;
}

Result<ScramVerifier> makeScramVerifier(std::string_view password, int32_t iterations) {
  if (iterations < 1) {
    return Diagnostic::error("scram-bad-iterations", "iteration count must be at least 1", Span{});
  }
  Bytes salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return Diagnostic::error("scram-random", "could not generate a random salt", Span{});
  }
  return makeScramVerifier(password, salt, iterations);
}

ScramVerifier mockScramVerifier(std::string_view user, ByteView server_secret, int32_t iterations) {
  const ScramKey salt = scram::hmacSha256(server_secret, "salt:" + std::string(user));
  ScramVerifier v;
  v.iterations = iterations;
  v.salt.assign(salt.begin(), salt.begin() + 16);
  // Keys nobody knows a preimage for: no client proof can match them.
  v.stored_key = scram::hmacSha256(server_secret, "stored:" + std::string(user));
  v.server_key = scram::hmacSha256(server_secret, "server:" + std::string(user));
  return v;
}

}  // namespace sqlwarden::pgwire
