#include "audit/signing.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

namespace sqlwarden::audit {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string opensslReason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return auditError("audit-key", "cannot read key file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<EvpKey> parsePem(std::string_view pem, bool private_key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = private_key ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                              : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!key) {
    return auditError("audit-key", std::string("not a PEM ") +
                                       (private_key ? "private" : "public") +
                                       " key: " + opensslReason());
  }
  EvpKey owned(key);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return auditError("audit-key", "the key is not an Ed25519 key");
  }
  return owned;
}

std::string toPem(evp_pkey_st* key, bool private_key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (private_key) {
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio.get(), key);
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string rawPublic(evp_pkey_st* key) {
  std::string out(32, '\0');
  size_t size = out.size();
  EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(out.data()), &size);
  out.resize(size);
  return out;
}

/// Reads a PEM file and parses it with `Key::fromPem`, naming the file in errors.
template <class Key>
Result<Key> loadPemFile(const std::string& path) {
  Result<std::string> text = readFile(path);
  if (!text) return text.error();
  Result<Key> key = Key::fromPem(*text);
  if (!key) return auditError("audit-key", path + ": " + key.error().message);
  return key;
}

}  // namespace

void EvpKeyFree::operator()(evp_pkey_st* key) const {
  EVP_PKEY_free(key);
}

Result<SigningKey> SigningKey::loadPem(const std::string& path) {
  return loadPemFile<SigningKey>(path);
}

Result<SigningKey> SigningKey::fromPem(std::string_view pem) {
  Result<EvpKey> key = parsePem(pem, true);
  if (!key) return key.error();
  return SigningKey(std::move(*key));
}

Result<SigningKey> SigningKey::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!key) return auditError("audit-key", "cannot generate a key: " + opensslReason());
  return SigningKey(EvpKey(key));
}

Result<std::string> SigningKey::sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  size_t size = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return auditError("audit-key", "cannot sign: " + opensslReason());
  }
  sig.resize(size);
  return sig;
}

std::string SigningKey::publicKeyRaw() const {
  return rawPublic(key_.get());
}
std::string SigningKey::privateKeyPem() const {
  return toPem(key_.get(), true);
}
std::string SigningKey::publicKeyPem() const {
  return toPem(key_.get(), false);
}

Result<VerifyKey> VerifyKey::loadPem(const std::string& path) {
  return loadPemFile<VerifyKey>(path);
}

Result<VerifyKey> VerifyKey::fromPem(std::string_view pem) {
  Result<EvpKey> key = parsePem(pem, false);
  if (!key) return key.error();
  return VerifyKey(std::move(*key));
}

bool VerifyKey::verify(std::string_view message, std::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::string VerifyKey::raw() const {
  return rawPublic(key_.get());
}

}  // namespace sqlwarden::audit
