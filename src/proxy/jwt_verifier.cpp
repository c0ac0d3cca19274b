#include "proxy/jwt_verifier.hpp"

#include <mutex>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <fstream>
#include <sstream>

#include "pgwire/base64.hpp"
#include "proxy/json.hpp"

namespace sqlwarden::proxy {

struct JwksKeySet::Key {
  std::string kid;
  std::string kty;  // "RSA" or "EC"
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

JwksKeySet::JwksKeySet() = default;
JwksKeySet::~JwksKeySet() = default;
JwksKeySet::JwksKeySet(JwksKeySet&&) noexcept = default;
JwksKeySet& JwksKeySet::operator=(JwksKeySet&&) noexcept = default;

std::optional<std::vector<uint8_t>> base64UrlDecode(std::string_view text) {
  std::string s;
  s.reserve(text.size() + 3);
  for (char c : text) {
    if (c == '-') s += '+';
    else if (c == '_') s += '/';
    else if (c == '+' || c == '/' || c == '=') return std::nullopt;  // not base64url
    else s += c;
  }
  while (s.size() % 4 != 0) s += '=';
  auto decoded = pgwire::base64Decode(s);
  if (!decoded) return std::nullopt;
  return std::vector<uint8_t>(decoded->begin(), decoded->end());
}

std::string base64UrlEncode(const std::vector<uint8_t>& bytes) {
  std::string s = pgwire::base64Encode(pgwire::ByteView(bytes.data(), bytes.size()));
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return s;
}

namespace {

Diagnostic jwtError(std::string message) { return Diagnostic::error("jwt-invalid", std::move(message), Span{}); }

EVP_PKEY* rsaKey(const std::vector<uint8_t>& n, const std::vector<uint8_t>& e) {
  EVP_PKEY* pkey = nullptr;
  BIGNUM* bn_n = BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = nullptr;
  if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) && (params = OSSL_PARAM_BLD_to_param(bld)) &&
      (ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)) && EVP_PKEY_fromdata_init(ctx) > 0) {
    if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  return pkey;
}

EVP_PKEY* ecKey(const std::vector<uint8_t>& x, const std::vector<uint8_t>& y) {
  if (x.size() != 32 || y.size() != 32) return nullptr;
  std::vector<uint8_t> point{0x04};
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());
  EVP_PKEY* pkey = nullptr;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = nullptr;
  if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) &&
      (params = OSSL_PARAM_BLD_to_param(bld)) && (ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr)) &&
      EVP_PKEY_fromdata_init(ctx) > 0) {
    if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return pkey;
}

std::optional<std::vector<uint8_t>> memberBytes(const JsonValue& jwk, std::string_view name) {
  const JsonValue* v = jwk.member(name);
  if (!v || !v->isString()) return std::nullopt;
  return base64UrlDecode(v->text);
}

}  // namespace

Result<JwksKeySet> JwksKeySet::parse(std::string_view json) {
  Result<JsonValue> doc = parseJson(json);
  if (!doc) return Diagnostic::error("jwks-invalid", "JWKS is not valid JSON: " + doc.error().message, Span{});
  const JsonValue* keys = doc->member("keys");
  if (!keys || keys->kind != JsonValue::Kind::Array)
    return Diagnostic::error("jwks-invalid", "JWKS has no \"keys\" array", Span{});
  JwksKeySet set;
  for (const JsonValue& jwk : keys->items) {
    const JsonValue* kty = jwk.member("kty");
    if (!kty || !kty->isString()) continue;
    const JsonValue* use = jwk.member("use");
    if (use && use->isString() && use->text != "sig") continue;
    auto key = std::make_unique<Key>();
    key->kty = kty->text;
    if (const JsonValue* kid = jwk.member("kid"); kid && kid->isString()) key->kid = kid->text;
    if (kty->text == "RSA") {
      auto n = memberBytes(jwk, "n");
      auto e = memberBytes(jwk, "e");
      if (!n || !e) continue;
      key->pkey = rsaKey(*n, *e);
      if (key->pkey && EVP_PKEY_get_bits(key->pkey) < 2048) {
        EVP_PKEY_free(key->pkey);
        key->pkey = nullptr;
      }
    } else if (kty->text == "EC") {
      const JsonValue* crv = jwk.member("crv");
      if (!crv || !crv->isString() || crv->text != "P-256") continue;
      auto x = memberBytes(jwk, "x");
      auto y = memberBytes(jwk, "y");
      if (!x || !y) continue;
      key->pkey = ecKey(*x, *y);
    }
    if (key->pkey) set.keys_.push_back(std::move(key));
  }
  if (set.keys_.empty()) return Diagnostic::error("jwks-invalid", "JWKS has no usable RS256 or ES256 key", Span{});
  return set;
}

const JwksKeySet::Key* JwksKeySet::find(std::string_view kid, std::string_view alg) const {
  const std::string_view kty = alg == "RS256" ? "RSA" : alg == "ES256" ? "EC" : "";
  if (kty.empty()) return nullptr;
  const Key* only = nullptr;
  int count = 0;
  for (const auto& k : keys_) {
    if (k->kty != kty) continue;
    if (!kid.empty() && k->kid == kid) return k.get();
    only = k.get();
    ++count;
  }
  return kid.empty() && count == 1 ? only : nullptr;
}

bool JwksKeySet::verify(const Key& key, std::string_view alg, std::string_view signing_input,
                        const std::vector<uint8_t>& signature) {
  std::vector<uint8_t> sig = signature;
  if (alg == "ES256") {
    // JWS carries r || s (RFC 7518 section 3.4); OpenSSL wants DER.
    if (signature.size() != 64) return false;
    ECDSA_SIG* es = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(signature.data(), 32, nullptr);
    BIGNUM* s = BN_bin2bn(signature.data() + 32, 32, nullptr);
    if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
      BN_free(r);
      BN_free(s);
      ECDSA_SIG_free(es);
      return false;
    }
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    if (len <= 0) return false;
    sig.assign(der, der + len);
    OPENSSL_free(der);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.pkey) == 1 &&
            EVP_DigestVerify(ctx, sig.data(), sig.size(), reinterpret_cast<const unsigned char*>(signing_input.data()),
                             signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

struct JwtVerifier::KeyBox {
  mutable std::mutex mutex;
  std::shared_ptr<const JwksKeySet> set;
  std::shared_ptr<const JwksKeySet> get() const {
    std::lock_guard lock(mutex);
    return set;
  }
};

void JwtVerifier::setKeys(JwksKeySet keys) {
  auto next = std::make_shared<const JwksKeySet>(std::move(keys));
  std::lock_guard lock(keys_->mutex);
  keys_->set = std::move(next);
}

size_t JwtVerifier::keyCount() const { return keys_->get()->size(); }

Result<JwtVerifier> JwtVerifier::create(const IdentityProviderConfig& config) {
  if (config.jwks_file.empty()) return JwtVerifier(config, JwksKeySet());  // jwks_url: fetched later
  std::ifstream in(config.jwks_file, std::ios::binary);
  if (!in) return Diagnostic::error("jwks-read", "cannot read JWKS file " + config.jwks_file, Span{});
  std::ostringstream buf;
  buf << in.rdbuf();
  Result<JwksKeySet> keys = JwksKeySet::parse(buf.str());
  if (!keys) {
    Diagnostic d = keys.error();
    d.message = config.jwks_file + ": " + d.message;
    return d;
  }
  return JwtVerifier(config, std::move(keys.value()));
}

JwtVerifier::JwtVerifier(IdentityProviderConfig config, JwksKeySet keys)
    : config_(std::move(config)), keys_(std::make_shared<KeyBox>()) {
  setKeys(std::move(keys));
}

namespace {

struct TokenParts {
  std::string_view header_b64, payload_b64, signature_b64;
  JsonValue header, payload;
};

Result<TokenParts> splitToken(std::string_view token) {
  if (token.size() > 16384) return jwtError("token longer than 16 KiB");
  const size_t d1 = token.find('.');
  const size_t d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return jwtError("not a JWS compact token (three dot-separated parts)");
  TokenParts p;
  p.header_b64 = token.substr(0, d1);
  p.payload_b64 = token.substr(d1 + 1, d2 - d1 - 1);
  p.signature_b64 = token.substr(d2 + 1);
  auto header = base64UrlDecode(p.header_b64);
  auto payload = base64UrlDecode(p.payload_b64);
  if (!header || !payload) return jwtError("token part is not base64url");
  auto h = parseJson(std::string_view(reinterpret_cast<const char*>(header->data()), header->size()));
  auto b = parseJson(std::string_view(reinterpret_cast<const char*>(payload->data()), payload->size()));
  if (!h || h->kind != JsonValue::Kind::Object) return jwtError("token header is not a JSON object");
  if (!b || b->kind != JsonValue::Kind::Object) return jwtError("token payload is not a JSON object");
  p.header = std::move(h.value());
  p.payload = std::move(b.value());
  return p;
}

}  // namespace

std::string peekIssuer(std::string_view token) {
  Result<TokenParts> parts = splitToken(token);
  if (!parts) return "";
  const JsonValue* iss = parts->payload.member("iss");
  return iss && iss->isString() ? iss->text : "";
}

Result<policy::Identity> JwtVerifier::verify(std::string_view token, int64_t now) const {
  Result<TokenParts> parts = splitToken(token);
  if (!parts) return parts.error();
  const JsonValue& header = parts->header;
  const JsonValue& payload = parts->payload;

  const JsonValue* alg = header.member("alg");
  if (!alg || !alg->isString() || (alg->text != "RS256" && alg->text != "ES256"))
    return jwtError("unsupported alg (RS256 and ES256 are accepted)");
  if (header.member("crit")) return jwtError("unsupported crit header");
  const JsonValue* kid = header.member("kid");
  const std::shared_ptr<const JwksKeySet> keys = keys_->get();
  const JwksKeySet::Key* key = keys->find(kid && kid->isString() ? std::string_view(kid->text) : std::string_view(),
                                          alg->text);
  if (!key)
    return Diagnostic::error(kUnknownKey, "no key in the JWKS matches the token's kid and alg", Span{});
  auto signature = base64UrlDecode(parts->signature_b64);
  if (!signature) return jwtError("signature is not base64url");
  const size_t signed_len = parts->header_b64.size() + 1 + parts->payload_b64.size();
  if (!JwksKeySet::verify(*key, alg->text, token.substr(0, signed_len), *signature))
    return jwtError("bad signature");

  const JsonValue* iss = payload.member("iss");
  if (!iss || !iss->isString() || iss->text != config_.issuer) return jwtError("wrong issuer");
  const JsonValue* aud = payload.member("aud");
  bool aud_ok = false;
  if (aud && aud->isString()) aud_ok = aud->text == config_.audience;
  if (aud && aud->kind == JsonValue::Kind::Array)
    for (const JsonValue& a : aud->items) aud_ok |= a.isString() && a.text == config_.audience;
  if (!aud_ok) return jwtError("wrong audience");
  const int64_t skew = config_.clock_skew.count();
  const JsonValue* exp = payload.member("exp");
  if (!exp || !exp->isNumber()) return jwtError("no exp claim");
  if (now > static_cast<int64_t>(exp->number) + skew) return jwtError("token expired");
  if (const JsonValue* nbf = payload.member("nbf")) {
    if (!nbf->isNumber() || now + skew < static_cast<int64_t>(nbf->number)) return jwtError("token not valid yet (nbf)");
  }
  if (const JsonValue* iat = payload.member("iat")) {
    if (!iat->isNumber() || now + skew < static_cast<int64_t>(iat->number)) return jwtError("token issued in the future (iat)");
  }

  policy::Identity identity;
  const JsonValue* user = payload.member(config_.user_claim);
  if (!user || !user->isString() || user->text.empty()) return jwtError("no user claim \"" + config_.user_claim + "\"");
  identity.user = user->text;
  if (const JsonValue* groups = payload.member(config_.groups_claim)) {
    if (groups->isString()) identity.groups.push_back(groups->text);
    if (groups->kind == JsonValue::Kind::Array)
      for (const JsonValue& g : groups->items)
        if (g.isString()) identity.groups.push_back(g.text);
  }
  for (const auto& [name, value] : payload.members) {
    if (!config_.claims.empty() &&
        std::find(config_.claims.begin(), config_.claims.end(), name) == config_.claims.end())
      continue;
    if (auto text = value.scalarText()) identity.claims[name] = *text;
  }
  return identity;
}

}  // namespace sqlwarden::proxy
