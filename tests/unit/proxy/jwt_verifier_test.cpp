#include <doctest/doctest.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

#include "proxy/jwt_verifier.hpp"

using namespace sqlwarden::proxy;

namespace {

// A key pair made for the test, and what a JWKS and a signer need of it.
struct TestKey {
  EVP_PKEY* pkey = nullptr;
  std::string alg;
  explicit TestKey(const std::string& a) : alg(a) {
    pkey = a == "RS256" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  }
  ~TestKey() { EVP_PKEY_free(pkey); }

  std::string jwk(const std::string& kid) const {
    if (alg == "RS256") {
      BIGNUM *n = nullptr, *e = nullptr;
      EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n);
      EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e);
      std::vector<uint8_t> nb(BN_num_bytes(n)), eb(BN_num_bytes(e));
      BN_bn2bin(n, nb.data());
      BN_bn2bin(e, eb.data());
      BN_free(n);
      BN_free(e);
      return R"({"kty":"RSA","kid":")" + kid + R"(","n":")" + base64UrlEncode(nb) + R"(","e":")" +
             base64UrlEncode(eb) + "\"}";
    }
    std::vector<uint8_t> point(65);
    size_t len = 0;
    EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(), &len);
    std::vector<uint8_t> x(point.begin() + 1, point.begin() + 33), y(point.begin() + 33, point.end());
    return R"({"kty":"EC","crv":"P-256","kid":")" + kid + R"(","x":")" + base64UrlEncode(x) + R"(","y":")" +
           base64UrlEncode(y) + "\"}";
  }

  std::string sign(const std::string& header_json, const std::string& payload_json) const {
    const std::string input = base64UrlEncode(std::vector<uint8_t>(header_json.begin(), header_json.end())) + "." +
                              base64UrlEncode(std::vector<uint8_t>(payload_json.begin(), payload_json.end()));
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey);
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::vector<uint8_t> sig(len);
    EVP_DigestSign(ctx, sig.data(), &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (alg == "ES256") {  // DER -> r || s
      const unsigned char* p = sig.data();
      ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
      std::vector<uint8_t> raw(64);
      BN_bn2binpad(ECDSA_SIG_get0_r(es), raw.data(), 32);
      BN_bn2binpad(ECDSA_SIG_get0_s(es), raw.data() + 32, 32);
      ECDSA_SIG_free(es);
      sig = raw;
    }
    return input + "." + base64UrlEncode(sig);
  }
};

constexpr int64_t kNow = 1'800'000'000;

IdentityProviderConfig provider() {
  IdentityProviderConfig c;
  c.issuer = "https://idp.test";
  c.audience = "sqlwarden";
  c.user_claim = "preferred_username";
  c.groups_claim = "groups";
  c.clock_skew = std::chrono::seconds(60);
  return c;
}

std::string payload(const std::string& extra = "", int64_t exp = kNow + 600) {
  return R"({"iss":"https://idp.test","aud":["other","sqlwarden"],"preferred_username":"claude",)"
         R"("groups":["ai-agents","readers"],"tenant_id":"7","level":3,"exp":)" +
         std::to_string(exp) + extra + "}";
}

}  // namespace

TEST_CASE("jwt: RS256 and ES256 tokens map to an identity") {
  TestKey rsa("RS256"), ec("ES256");
  auto keys = JwksKeySet::parse(R"({"keys":[)" + rsa.jwk("r1") + "," + ec.jwk("e1") + R"(,{"kty":"oct","k":"x"}]})");
  REQUIRE(keys);
  CHECK(keys->size() == 2);
  JwtVerifier v(provider(), std::move(keys.value()));

  for (const TestKey* k : {&rsa, &ec}) {
    const std::string kid = k == &rsa ? "r1" : "e1";
    const std::string token = k->sign(R"({"alg":")" + k->alg + R"(","kid":")" + kid + "\"}", payload());
    auto id = v.verify(token, kNow);
    INFO(k->alg, (id ? "" : id.error().message));
    REQUIRE(id);
    CHECK(id->user == "claude");
    CHECK(id->groups == std::vector<std::string>{"ai-agents", "readers"});
    CHECK(id->claims.at("tenant_id") == "7");
    CHECK(id->claims.at("level") == "3");
    CHECK(peekIssuer(token) == "https://idp.test");
  }
}

TEST_CASE("jwt: every failed check is refused") {
  TestKey rsa("RS256"), other("RS256"), ec("ES256");
  auto keys = JwksKeySet::parse(R"({"keys":[)" + rsa.jwk("r1") + "," + ec.jwk("e1") + "]}");
  REQUIRE(keys);
  JwtVerifier v(provider(), std::move(keys.value()));
  const std::string h = R"({"alg":"RS256","kid":"r1"})";
  struct Case {
    std::string what, token, reason;
  };
  const std::string good = rsa.sign(h, payload());
  const std::string body = payload();
  std::string tampered = good;
  tampered[tampered.find('.') + 3] ^= 1;
  const Case cases[] = {
      {"expired", rsa.sign(h, payload("", kNow - 61)), "expired"},
      {"not yet valid", rsa.sign(h, payload(",\"nbf\":" + std::to_string(kNow + 61))), "nbf"},
      {"wrong audience", rsa.sign(h, R"({"iss":"https://idp.test","aud":"x","preferred_username":"c","exp":)" +
                                         std::to_string(kNow + 60) + "}"),
       "audience"},
      {"wrong issuer", rsa.sign(h, R"({"iss":"https://evil","aud":"sqlwarden","preferred_username":"c","exp":)" +
                                       std::to_string(kNow + 60) + "}"),
       "issuer"},
      {"no exp", rsa.sign(h, R"({"iss":"https://idp.test","aud":"sqlwarden","preferred_username":"c"})"), "exp"},
      {"forged (other key, same kid)", other.sign(h, payload()), "bad signature"},
      {"tampered payload", tampered, ""},
      {"alg none", base64UrlEncode({'{', '"', 'a', 'l', 'g', '"', ':', '"', 'n', 'o', 'n', 'e', '"', '}'}) + "." +
                       base64UrlEncode(std::vector<uint8_t>(body.begin(), body.end())) + ".",
       "unsupported alg"},
      {"HS256 with the RSA key", rsa.sign(R"({"alg":"HS256","kid":"r1"})", payload()), "unsupported alg"},
      {"ES256 header on an RSA key", rsa.sign(R"({"alg":"ES256","kid":"r1"})", payload()), "no key"},
      {"unknown kid", rsa.sign(R"({"alg":"RS256","kid":"zz"})", payload()), "no key"},
      {"no user claim", rsa.sign(h, R"({"iss":"https://idp.test","aud":"sqlwarden","exp":)" + std::to_string(kNow + 60) + "}"),
       "user claim"},
      {"two parts", "a.b", "three"},
      {"garbage", "!!!.???.###", "base64url"},
  };
  CHECK(v.verify(good, kNow));
  for (const Case& c : cases) {
    INFO(c.what);
    auto r = v.verify(c.token, kNow);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find(c.reason) != std::string::npos);
  }
  // Within the clock skew, an expired token still passes.
  CHECK(v.verify(rsa.sign(h, payload("", kNow - 30)), kNow));
}

TEST_CASE("jwt: JWKS documents that cannot be used") {
  CHECK_FALSE(JwksKeySet::parse("not json"));
  CHECK_FALSE(JwksKeySet::parse(R"({"keys": 1})"));
  CHECK_FALSE(JwksKeySet::parse(R"({"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB"}]})"));  // far too short
  CHECK_FALSE(JwksKeySet::parse(R"({"keys": [{"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}]})"));
}
