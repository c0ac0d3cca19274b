#include "proxy_command.hpp"

#include <ostream>

#include "parse_command.hpp"
#include "proxy/gateway.hpp"
#include "proxy/gateway_config.hpp"

namespace sqlwarden::tools {

int runProxyCommand(const ProxyOptions& options, std::ostream& out, std::ostream& err) {
  std::string text;
  proxy::GatewayConfigResult loaded = proxy::loadGatewayConfig(options.config, &text);
  if (!loaded.config && loaded.diagnostics.size() == 1 && loaded.diagnostics[0].code == "gateway-read") {
    err << "sqlwarden proxy: " << loaded.diagnostics[0].message << '\n';
    return kExitUsage;
  }
  for (const Diagnostic& d : loaded.diagnostics) err << formatDiagnostic(d, options.config, text);
  if (!loaded.config) return kExitInputErrors;

  auto gateway = proxy::Gateway::create(std::move(*loaded.config), err);
  if (!gateway) {
    err << "sqlwarden proxy: " << gateway.error().message << '\n';
    return kExitUsage;
  }
  if (options.check) {
    out << "sqlwarden proxy: " << options.config << " is ready to serve\n";
    return kExitOk;
  }
  return (*gateway)->run() == 0 ? kExitOk : kExitUsage;
}

}  // namespace sqlwarden::tools
