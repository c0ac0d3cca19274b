#include "lint_command.hpp"

#include <ostream>

#include "json_escape.hpp"
#include "catalog/catalog.hpp"
#include "policy/compile.hpp"
#include "policy/schema_check.hpp"
#include "proxy/gateway_config.hpp"
#include "read_input.hpp"

namespace sqlwarden::tools {

namespace {

const char* severityWord(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

}  // namespace

int runLintCommand(const LintOptions& options, std::ostream& out, std::ostream& err) {
  if (options.inputs.empty()) {
    err << "sqlwarden lint: no files given\n";
    return kExitUsage;
  }
  // Gateway configuration files (*.conf, docs/gateway.md) have their own
  // checker; the .rules files are compiled together as before.
  LintOptions rules_only = options;
  rules_only.inputs.clear();
  int gateway_errors = 0;
  for (const std::string& path : options.inputs) {
    if (!proxy::isGatewayConfigPath(path)) {
      rules_only.inputs.push_back(path);
      continue;
    }
    const int errors = proxy::lintGatewayConfig(path, out, err);
    if (errors < 0) return kExitUsage;
    gateway_errors += errors;
  }
  if (rules_only.inputs.size() != options.inputs.size()) {
    if (rules_only.inputs.empty()) return gateway_errors > 0 ? kExitInputErrors : kExitOk;
    const int rc = runLintCommand(rules_only, out, err);
    return rc == kExitOk && gateway_errors > 0 ? kExitInputErrors : rc;
  }
  std::vector<policy::SourceInput> inputs;
  for (const std::string& path : options.inputs) {
    std::string reason;
    std::optional<std::string> text = policy::readPolicyFile(path, reason);
    if (!text) {
      err << "sqlwarden lint: cannot read " << path << ": " << reason << '\n';
      return kExitUsage;
    }
    inputs.push_back({path, std::move(*text)});
  }

  policy::CompileResult result = policy::compilePolicies(std::move(inputs));
  if (!options.schema.empty()) {
    std::string reason;
    const std::optional<std::string> schema_text = readInput(options.schema, reason);
    if (!schema_text) {
      err << "sqlwarden lint: cannot read " << options.schema << ": " << reason << '\n';
      return kExitUsage;
    }
    const catalog::CatalogResult schema = catalog::loadCatalog(*schema_text);
    for (const Diagnostic& d : schema.errors) err << formatDiagnostic(d, options.schema, *schema_text);
    if (!schema.errors.empty()) return kExitInputErrors;
    // Name checks need the rules; after a syntax error there are none.
    if (result.ok()) {
      policy::checkAgainstSchema(result.policy, schema.catalog, result.diagnostics);
    }
  }
  const auto& sources = result.policy.sources();
  for (const policy::PolicyDiagnostic& d : result.diagnostics) {
    if (options.format == OutputFormat::Text) {
      out << result.format(d);
      continue;
    }
    const bool known = d.source < sources.size();
    const LineCol lc = known ? lineColAt(sources[d.source]->text, d.diagnostic.span.begin) : LineCol{};
    std::string line = "{\"file\":";
    appendJsonString(line, known ? sources[d.source]->name : std::string());
    line += ",\"line\":" + std::to_string(lc.line);
    line += ",\"column\":" + std::to_string(lc.column);
    line += ",\"severity\":";
    appendJsonString(line, severityWord(d.diagnostic.severity));
    line += ",\"code\":";
    appendJsonString(line, d.diagnostic.code);
    line += ",\"message\":";
    appendJsonString(line, d.diagnostic.message);
    line += "}\n";
    out << line;
  }
  if (!result.ok()) return kExitInputErrors;
  if (options.strict && result.warningCount() > 0) return kExitInputErrors;
  return kExitOk;
}

}  // namespace sqlwarden::tools
