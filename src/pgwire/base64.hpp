#pragma once
// Base64 (RFC 4648, standard alphabet, padded) as SCRAM uses it.
#include <optional>
#include <string>
#include <string_view>

#include "pgwire/bytes.hpp"

namespace sqlwarden::pgwire {

/// Encodes `bytes` as padded base64.
std::string base64Encode(ByteView bytes);

/// Decodes padded base64. nullopt when `text` is not exactly that (a
/// character outside the alphabet, a length not a multiple of 4, padding
/// anywhere but at the end). The result is wiped when freed, as decoded
/// SCRAM proofs and keys are secrets.
std::optional<SecretBytes> base64Decode(std::string_view text);

}  // namespace sqlwarden::pgwire
