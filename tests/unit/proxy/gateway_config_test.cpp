#include <doctest/doctest.h>

#include "common/diagnostic.hpp"
#include "proxy/gateway_config.hpp"

using namespace sqlwarden;
using namespace sqlwarden::proxy;

namespace {
// A verifier made by `sqlwarden passwd` (password "agent-password").
const char* kVerifier =
    "SCRAM-SHA-256$4096:ENkh4pPlkkgIXxHAs0Lb5A==$+DObOSTScJdt7jUbaHftoq2q/o+5Sz3Hr59QD930SMQ=:"
    "sDjD++Jg2Rympg2NACpar+Kcb41kfCSlPT/tjgxrzZ4=";

std::string minimal(const std::string& extra = "") {
  return "version 1;\nlisten \"127.0.0.1:6432\";\nupstream { database \"db\"; user \"gw\"; }\npolicy \"p.rules\";\n" +
         extra;
}

std::string firstError(const GatewayConfigResult& r, const std::string& text) {
  for (const auto& d : r.diagnostics)
    if (d.severity == Severity::Error) return formatDiagnostic(d, "gw.conf", text);
  return "";
}
}  // namespace

TEST_CASE("gateway config: a complete file") {
  const std::string text = std::string(R"(# the sandbox
version 1;
listen "127.0.0.1:6432", "[::1]:6433";
tls { certificate "tls/server.crt"; key "tls/server.key"; mode required; }
upstream {
  host "db.internal"; port 5433; database "shop"; user "sqlwarden_gateway";
  password file "secrets/pw";   # never the password itself
  tls verify-full; ca "tls/ca.pem"; connect_timeout 5s; catalog_timeout 2s;
}
identity_provider "entra" {
  issuer "https://login.example/tenant/v2.0"; audience "api://sqlwarden"; jwks "jwks.json";
  user_claim "preferred_username"; groups_claim "roles"; claims "tenant_id", "email"; clock_skew 30s;
}
user "agent" { scram ")") + kVerifier + R"("; groups "ai-agents", "readers"; claim "tenant_id" = "7"; }
policy "policies";
audit { file "audit.db"; durability fast; on_failure allow; }
limits { max_connections 50; max_message_size 16MB; startup_timeout 10s; idle_timeout 0; threads 2; }
)";
  const GatewayConfigResult r = parseGatewayConfig(text, "/etc/sqlwarden");
  INFO(firstError(r, text));
  REQUIRE(r.config);
  const GatewayConfig& c = *r.config;
  REQUIRE(c.listen.size() == 2);
  CHECK(c.listen[1].host == "::1");
  CHECK(c.listen[1].port == 6433);
  CHECK(c.tls.mode == ClientTlsMode::Required);
  CHECK(c.tls.certificate == "/etc/sqlwarden/tls/server.crt");
  CHECK(c.upstream.port == 5433);
  CHECK(c.upstream.password.kind == PasswordSource::Kind::File);
  CHECK(c.upstream.password.name == "/etc/sqlwarden/secrets/pw");
  CHECK(c.upstream.tls == UpstreamTlsMode::VerifyFull);
  CHECK(c.upstream.connect_timeout.count() == 5000);
  CHECK(c.upstream.catalog_timeout.count() == 2000);
  REQUIRE(c.identity_providers.size() == 1);
  CHECK(c.identity_providers[0].claims == std::vector<std::string>{"tenant_id", "email"});
  CHECK(c.identity_providers[0].clock_skew.count() == 30);
  REQUIRE(c.findUser("agent") != nullptr);
  CHECK(c.findUser("agent")->claims.at("tenant_id") == "7");
  CHECK(c.findUser("nobody") == nullptr);
  CHECK(!c.audit.strict);
  CHECK(!c.audit.refuse_on_failure);
  CHECK(c.limits.max_message_size == 16u * 1024 * 1024);
  CHECK(c.limits.threads == 2);
}

TEST_CASE("gateway config: syntax errors point at the token, like .rules diagnostics") {
  struct Case {
    std::string text;
    std::string expected;  // start of the formatted diagnostic
  };
  const Case cases[] = {
      {"listen \"x:1\";", "gw.conf:1:1: error: expected 'version 1;'"},
      {"version 1;\nlisten \"127.0.0.1:6432\"\n", "gw.conf:3:1: error: expected ';' after the listen addresses"},
      {"version 1;\nupstream { host \"h\"; password \"hunter2\"; }",
       "gw.conf:2:31: error: expected where the password comes from (env, file)"},
      {"version 1;\nupstream { prot 5432; }", "gw.conf:2:12: error: expected an upstream setting"},
      {"version 1;\nupstream { port 99999; }", "gw.conf:2:17: error: the port is too large"},
      {"version 1;\nlisten \"127.0.0.1:6432;", "gw.conf:2:8: error: unterminated string"},
      {"version 1;\nlisten \"a\\nb\";", "gw.conf:2:10: error: invalid escape in string"},
      {"version 1;\ntls { mode sometimes; }", "gw.conf:2:12: error: expected a TLS mode (required, optional, off)"},
      {"version 1;\nlimits { startup_timeout 10; }", "gw.conf:2:26: error: expected the startup timeout with a unit"},
      {"version 1;\nupstream {", "gw.conf:2:11: error: expected '}' to close the upstream block"},
      {"version 2;", "gw.conf:1:9: error: unsupported version"},
      {"version 1;\n@", "gw.conf:2:1: error: unexpected character '@'"},
  };
  for (const Case& c : cases) {
    const GatewayConfigResult r = parseGatewayConfig(c.text);
    CHECK_FALSE(r.config);
    const std::string got = firstError(r, c.text);
    INFO(c.text);
    CHECK(got.substr(0, c.expected.size()) == c.expected);
  }
}

TEST_CASE("gateway config: semantic checks") {
  auto error = [](const std::string& text) { return firstError(parseGatewayConfig(text), text); };
  CHECK(error("version 1;\nupstream { database \"d\"; user \"u\"; }").find("no listen address") != std::string::npos);
  CHECK(error(minimal("tls { mode required; }")).find("needs both a certificate and a key") != std::string::npos);
  CHECK(error(minimal("upstream { tls verify-full; }")).find("verify-full needs a ca file") != std::string::npos);
  CHECK(error(minimal("user \"a\" { scram \"plaintext-password\"; }")).find("5:18: error: invalid SCRAM verifier") !=
        std::string::npos);
  CHECK(error(minimal("user \"a\" { groups \"g\"; }")).find("needs a scram verifier") != std::string::npos);
  CHECK(error(minimal(std::string("user \"a\" { scram \"") + kVerifier + "\"; }\nuser \"a\" { scram \"" + kVerifier +
                      "\"; }"))
            .find("6:6: error: user \"a\" is defined twice") != std::string::npos);
  CHECK(error(minimal("identity_provider \"x\" { issuer \"i\"; }")).find("needs issuer, audience and jwks") !=
        std::string::npos);
  // Keys from a URL: https only, one source, a CA only with a URL, a sane refresh.
  const std::string idp = "identity_provider \"x\" { issuer \"i\"; audience \"a\"; ";
  CHECK(error(minimal(idp + "jwks_url \"http://idp/keys\"; }")).find("5:60: error: only https:// URLs are fetched") !=
        std::string::npos);
  CHECK(error(minimal(idp + "jwks \"k.json\"; jwks_url \"https://idp/keys\"; }")).find("has both jwks and jwks_url") !=
        std::string::npos);
  CHECK(error(minimal(idp + "jwks \"k.json\"; jwks_ca \"ca.pem\"; }")).find("jwks_ca without jwks_url") !=
        std::string::npos);
  CHECK(error(minimal(idp + "jwks_url \"https://idp/keys\"; jwks_refresh 10s; }")).find("at least 1m") !=
        std::string::npos);
  const auto u = parseGatewayConfig(minimal(idp + "jwks_url \"https://idp:8443/keys\"; jwks_ca \"ca.pem\"; jwks_refresh 5m; }"));
  REQUIRE(u.config);
  REQUIRE(u.config->identity_providers.size() == 1);
  CHECK(u.config->identity_providers[0].jwks_url == "https://idp:8443/keys");
  CHECK(u.config->identity_providers[0].jwks_ca == "ca.pem");
  CHECK(u.config->identity_providers[0].jwks_refresh.count() == 300);
  CHECK(u.config->identity_providers[0].jwks_file.empty());
  // No policy is a warning: the config loads.
  const auto r = parseGatewayConfig("version 1;\nlisten \"127.0.0.1:1\";\nupstream { database \"d\"; user \"u\"; }");
  CHECK(r.config);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].severity == Severity::Warning);
  // A certificate without a mode means TLS is offered.
  const auto t = parseGatewayConfig(minimal("tls { certificate \"c\"; key \"k\"; }"));
  REQUIRE(t.config);
  CHECK(t.config->tls.mode == ClientTlsMode::Optional);
}

TEST_CASE("gateway config: lint picks gateway files by extension") {
  CHECK(isGatewayConfigPath("examples/gateway.conf"));
  CHECK_FALSE(isGatewayConfigPath("examples/policies/dba.rules"));
  CHECK_FALSE(isGatewayConfigPath(".conf"));
}
