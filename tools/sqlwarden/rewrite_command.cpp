#include "rewrite_command.hpp"

#include "json_escape.hpp"
#include "policy_input.hpp"
#include "read_input.hpp"
#include "rewrite/engine.hpp"

namespace sqlwarden::tools {

int runRewriteCommand(const RewriteOptions& options, std::ostream& out, std::ostream& err) {
  policy::Identity identity;
  identity.user = options.user;
  identity.groups = options.groups;
  for (const std::string& kv : options.claims) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "sqlwarden rewrite: --claim needs NAME=VALUE, got \"" << kv << "\"\n";
      return kExitUsage;
    }
    identity.claims[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  std::optional<policy::CompileResult> compiled = loadPolicySet(options.rules, "rewrite", err);
  if (!compiled) return kExitUsage;
  std::optional<catalog::Catalog> catalog = loadSchemaFile(options.schema, "rewrite", err);
  if (!catalog) return kExitUsage;

  std::string sql = options.input;
  if (options.input == "-" || options.input_is_file) {
    std::string reason;
    std::optional<std::string> text = readInput(options.input, reason);
    if (!text) {
      err << "sqlwarden rewrite: cannot read " << options.input << ": " << reason << '\n';
      return kExitUsage;
    }
    sql = std::move(*text);
  }

  rewrite::Engine engine(compiled->policy, *catalog, identity);
  std::vector<rewrite::Decision> decisions = engine.decideScript(sql);
  bool all_allowed = true;
  for (size_t i = 0; i < decisions.size(); ++i) {
    const rewrite::Decision& d = decisions[i];
    all_allowed = all_allowed && d.allowed();
    if (options.format == OutputFormat::Json) {
      std::string line = "{\"index\":" + std::to_string(i) + ",\"kind\":";
      appendJsonString(line, d.kind);
      line += ",\"decision\":";
      appendJsonString(line, rewrite::toString(d.verdict));
      line += ",\"sql\":";
      if (d.verdict == rewrite::Verdict::Deny) {
        line += "null";
      } else {
        appendJsonString(line, d.sql);
      }
      line += ",\"rewritten\":";
      line += d.rewritten ? "true" : "false";
      line += ",\"reason\":";
      if (d.reason.empty()) {
        line += "null";
      } else {
        appendJsonString(line, d.verdict == rewrite::Verdict::Deny ? d.message : d.reason);
      }
      line += ",\"rules\":[";
      for (size_t r = 0; r < d.rules.size(); ++r) {
        if (r > 0) line += ',';
        appendJsonString(line, d.rules[r].str());
      }
      line += "],\"fingerprint\":";
      appendJsonString(line, d.fingerprint);
      line += "}\n";
      out << line;
      continue;
    }
    out << "-- statement " << i + 1 << " (" << (d.kind.empty() ? "?" : d.kind) << "): "
        << rewrite::toString(d.verdict);
    if (d.verdict == rewrite::Verdict::Deny) {
      out << "\n--   " << d.message << '\n';
    } else {
      if (!d.reason.empty()) out << "\n--   " << d.reason;
      if (!d.rules.empty()) {
        out << "\n--   rules:";
        for (const auto& r : d.rules) out << ' ' << r.str();
      }
      out << '\n' << d.sql << ";\n";
    }
  }
  return all_allowed ? kExitOk : kExitInputErrors;
}

}  // namespace sqlwarden::tools
