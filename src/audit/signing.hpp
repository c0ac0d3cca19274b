#pragma once
// Ed25519 keys (OpenSSL) for signed checkpoints. Keys are PEM files as
// `openssl genpkey -algorithm ed25519` writes them (PKCS#8 private key) and
// `openssl pkey -pubout` (SubjectPublicKeyInfo public key).
#include <memory>
#include <string>
#include <string_view>

#include "audit/status.hpp"

struct evp_pkey_st;

namespace sqlwarden::audit {

struct EvpKeyFree {
  void operator()(evp_pkey_st* key) const;
};
using EvpKey = std::unique_ptr<evp_pkey_st, EvpKeyFree>;

/// An Ed25519 private key: signs checkpoints.
class SigningKey {
 public:
  static Result<SigningKey> loadPem(const std::string& path);
  static Result<SigningKey> fromPem(std::string_view pem);
  /// A fresh random key (tests, benchmarks).
  static Result<SigningKey> generate();

  /// The 64-byte Ed25519 signature of `message`.
  Result<std::string> sign(std::string_view message) const;
  /// The raw 32-byte public key, stored beside each signature.
  std::string publicKeyRaw() const;
  std::string privateKeyPem() const;
  std::string publicKeyPem() const;

 private:
  explicit SigningKey(EvpKey key) : key_(std::move(key)) {}
  EvpKey key_;
};

/// An Ed25519 public key: checks checkpoint signatures.
class VerifyKey {
 public:
  static Result<VerifyKey> loadPem(const std::string& path);
  static Result<VerifyKey> fromPem(std::string_view pem);

  bool verify(std::string_view message, std::string_view signature) const;
  std::string raw() const;

 private:
  explicit VerifyKey(EvpKey key) : key_(std::move(key)) {}
  EvpKey key_;
};

}  // namespace sqlwarden::audit
