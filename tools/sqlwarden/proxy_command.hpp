#pragma once
// `sqlwarden proxy --config gateway.conf`: runs the gateway (src/proxy,
// docs/gateway.md) until SIGTERM or SIGINT.
#include <iosfwd>
#include <string>

namespace sqlwarden::tools {

struct ProxyOptions {
  std::string config;  ///< the gateway configuration file
  bool check = false;  ///< only check the configuration (and what it names), then exit
};

/// Returns kExitOk after a clean shutdown, kExitInputErrors when the
/// configuration has errors, kExitUsage when it cannot be read or the
/// gateway cannot start (the reason goes to `err`).
int runProxyCommand(const ProxyOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sqlwarden::tools
