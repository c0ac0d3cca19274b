#include "pgwire/md5_password.hpp"

#include <openssl/evp.h>

namespace sqlwarden::pgwire {

namespace {
// Appends hex(md5(input)) to `out` (32 characters).
void appendMd5Hex(ByteView input, SecretBytes& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 16> digest{};
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &len, EVP_md5(), nullptr);
  for (const uint8_t b : digest) {
    out.push_back(static_cast<uint8_t>(kHex[b >> 4]));
    out.push_back(static_cast<uint8_t>(kHex[b & 15]));
  }
  secureWipe(digest.data(), digest.size());
}
}  // namespace

SecretString md5PasswordResponse(std::string_view user, std::string_view password,
                                 const std::array<uint8_t, 4>& salt) {
  SecretBytes inner(password.begin(), password.end());
  inner.insert(inner.end(), user.begin(), user.end());
  SecretBytes outer;
  outer.reserve(32 + salt.size());
  appendMd5Hex(ByteView(inner.data(), inner.size()), outer);
  outer.insert(outer.end(), salt.begin(), salt.end());
  SecretBytes result{'m', 'd', '5'};
  appendMd5Hex(ByteView(outer.data(), outer.size()), result);
  return SecretString(asText(ByteView(result.data(), result.size())));
}

}  // namespace sqlwarden::pgwire
