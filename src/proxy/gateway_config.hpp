#pragma once
// The gateway configuration language (docs/gateway.md): the same lexical
// conventions as `.rules` files (`#` comments, `;`-terminated statements,
// double-quoted strings with `\"` and `\\` as the only escapes), parsed by
// hand with compiler-style diagnostics.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.hpp"

namespace sqlwarden::proxy {

/// Whether clients must, may or cannot use TLS.
enum class ClientTlsMode {
  Required,  ///< plaintext startups are refused
  Optional,  ///< TLS when the client asks for it
  Off,       ///< SSLRequest is declined
};

/// How the gateway connects to the upstream database (libpq's sslmode names).
enum class UpstreamTlsMode { Disable, Prefer, Require, VerifyFull };

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

struct TlsConfig {
  ClientTlsMode mode = ClientTlsMode::Off;
  std::string certificate;  ///< PEM file (path resolved against the config file's folder)
  std::string key;          ///< PEM file
};

/// Where the upstream password comes from: never the config file itself.
struct PasswordSource {
  enum class Kind { None, Env, File };
  Kind kind = Kind::None;
  std::string name;  ///< the variable's name or the file's path
};

struct UpstreamConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 5432;
  std::string database;
  std::string user;
  PasswordSource password;
  UpstreamTlsMode tls = UpstreamTlsMode::Prefer;
  std::string ca;  ///< PEM bundle for verify-full
  std::chrono::milliseconds connect_timeout{10000};
  /// The gateway's own catalog queries, after their login (upstream.hpp).
  std::chrono::milliseconds catalog_timeout{30000};
};

/// An OIDC issuer whose JWTs clients may send as their password.
struct IdentityProviderConfig {
  std::string name;
  std::string issuer;
  std::string audience;
  std::string jwks_file;  ///< the keys, from a file; or:
  std::string jwks_url;   ///< the keys, fetched over HTTPS (https_get.hpp)
  std::string jwks_ca;    ///< PEM CAs for jwks_url; empty: the system's store
  std::chrono::seconds jwks_refresh{3600};  ///< how often jwks_url is fetched again
  std::string user_claim = "sub";
  std::string groups_claim = "groups";
  std::vector<std::string> claims;  ///< further claims handed to the policy
  std::chrono::seconds clock_skew{60};
};

/// A user the gateway authenticates itself with SCRAM-SHA-256.
struct LocalUserConfig {
  std::string name;
  std::string scram_verifier;  ///< SCRAM-SHA-256$... (sqlwarden passwd prints one)
  std::vector<std::string> groups;
  std::map<std::string, std::string, std::less<>> claims;
};

struct AuditConfig {
  std::string file;  ///< empty: no audit store
  bool strict = true;
  bool refuse_on_failure = true;
  /// A statement needing approval: hold the client until an approver
  /// decides (true), or refuse it at once naming the request (false).
  bool hold_approvals = false;
  /// How long a held statement waits; also the request's lifetime.
  std::chrono::milliseconds approval_timeout{300000};
  /// Record the rows each client received (already masked), up to these caps
  /// per statement (`results on; result_rows N; result_bytes N;`).
  bool results = false;
  uint32_t result_rows = 100;
  uint32_t result_bytes = 64 * 1024;
};

struct LimitsConfig {
  uint32_t max_connections = 1000;
  uint32_t max_message_size = 64u << 20;
  std::chrono::milliseconds startup_timeout{15000};
  std::chrono::milliseconds idle_timeout{0};  ///< 0: none
  uint32_t threads = 0;                        ///< io threads; 0: one per core
};

struct GatewayConfig {
  std::vector<ListenAddress> listen;
  TlsConfig tls;
  UpstreamConfig upstream;
  std::vector<IdentityProviderConfig> identity_providers;
  std::vector<LocalUserConfig> users;
  std::vector<std::string> policies;  ///< .rules files or folders of them
  AuditConfig audit;
  LimitsConfig limits;

  const LocalUserConfig* findUser(std::string_view name) const;
};

/// The result of reading a configuration: the config when there was no
/// error, and every diagnostic (errors and warnings) found.
struct GatewayConfigResult {
  std::optional<GatewayConfig> config;
  std::vector<Diagnostic> diagnostics;
};

/// Parses and checks configuration text. Relative paths in it are resolved
/// against `base_dir` (the folder of the config file; "" leaves them as
/// written). Semantic checks (required settings, verifier syntax, TLS files
/// named when TLS is on) run after parsing and point at the offending place.
GatewayConfigResult parseGatewayConfig(std::string_view text, const std::string& base_dir = "");

/// Reads and parses the file at `path`; a read failure is one diagnostic
/// with an empty span. `text_out`, if given, receives the text (for
/// formatDiagnostic).
GatewayConfigResult loadGatewayConfig(const std::string& path, std::string* text_out = nullptr);

/// True when `path` looks like a gateway configuration (`*.conf`) rather
/// than a `.rules` file; `sqlwarden lint` uses it to pick the checker.
bool isGatewayConfigPath(std::string_view path);

}  // namespace sqlwarden::proxy
