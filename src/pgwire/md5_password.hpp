#pragma once
// The md5 password method, for logging in to an upstream configured with it.
// https://www.postgresql.org/docs/current/auth-password.html
#include <array>
#include <cstdint>
#include <string_view>

#include "pgwire/bytes.hpp"

namespace sqlwarden::pgwire {

/// The PasswordMessage text answering AuthenticationMD5Password:
/// "md5" + hex(md5(hex(md5(password + user)) + salt)).
/// Intermediate digests are wiped; the result is a secret (it can be replayed
/// against the same salt) and lives in wiped storage.
SecretString md5PasswordResponse(std::string_view user, std::string_view password,
                                 const std::array<uint8_t, 4>& salt);

}  // namespace sqlwarden::pgwire
