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

/// One diagnostic as a JSON object on its own line (docs/cli.md).
std::string jsonDiagnostic(const std::string& file, LineCol lc, const Diagnostic& d) {
  std::string line = "{\"file\":";
  appendJsonString(line, file);
  line += ",\"line\":" + std::to_string(lc.line);
  line += ",\"column\":" + std::to_string(lc.column);
  line += ",\"severity\":";
  appendJsonString(line, severityWord(d.severity));
  line += ",\"code\":";
  appendJsonString(line, d.code);
  line += ",\"message\":";
  appendJsonString(line, d.message);
  line += "}\n";
  return line;
}

/// Lints one gateway configuration file: its diagnostics in the chosen
/// format; the exit code as for .rules files (warnings fail with --strict).
int lintGatewayFile(const std::string& path, const LintOptions& options, std::ostream& out, std::ostream& err) {
  std::string text;
  proxy::GatewayConfigResult r = proxy::loadGatewayConfig(path, &text);
  if (!r.config && r.diagnostics.size() == 1 && r.diagnostics[0].code == "gateway-read") {
    err << "sqlwarden lint: " << r.diagnostics[0].message << '\n';
    return kExitUsage;
  }
  int errors = 0, warnings = 0;
  for (const Diagnostic& d : r.diagnostics) {
    if (options.format == OutputFormat::Text) out << formatDiagnostic(d, path, text);
    else out << jsonDiagnostic(path, lineColAt(text, d.span.begin), d);
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
  }
  if (errors > 0 || (options.strict && warnings > 0)) return kExitInputErrors;
  return kExitOk;
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
  int gateway_rc = kExitOk;
  for (const std::string& path : options.inputs) {
    if (!proxy::isGatewayConfigPath(path)) {
      rules_only.inputs.push_back(path);
      continue;
    }
    const int rc = lintGatewayFile(path, options, out, err);
    if (rc == kExitUsage) return kExitUsage;
    if (rc != kExitOk) gateway_rc = rc;
  }
  if (rules_only.inputs.size() != options.inputs.size()) {
    if (rules_only.inputs.empty()) return gateway_rc;
    const int rc = runLintCommand(rules_only, out, err);
    return rc == kExitOk ? gateway_rc : rc;
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
    out << jsonDiagnostic(known ? sources[d.source]->name : std::string(), lc, d.diagnostic);
  }
  if (!result.ok()) return kExitInputErrors;
  if (options.strict && result.warningCount() > 0) return kExitInputErrors;
  return kExitOk;
}

}  // namespace sqlwarden::tools
