#include "pgwire/bytes.hpp"

#include <openssl/crypto.h>

namespace sqlwarden::pgwire {

void secureWipe(void* data, std::size_t size) {
  if (data != nullptr && size > 0) OPENSSL_cleanse(data, size);
}

}  // namespace sqlwarden::pgwire
