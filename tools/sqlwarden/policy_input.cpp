#include "policy_input.hpp"

#include <algorithm>
#include <filesystem>

#include "read_input.hpp"

namespace sqlwarden::tools {

std::optional<std::vector<std::string>> expandPaths(const std::vector<std::string>& paths,
                                                    std::string_view extension, const std::string& command,
                                                    std::ostream& err) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == extension) found.push_back(it->path().string());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      err << "sqlwarden " << command << ": cannot read " << p << ": No such file or directory\n";
      return std::nullopt;
    }
  }
  return out;
}

std::optional<policy::CompileResult> loadPolicySet(const std::vector<std::string>& paths,
                                                   const std::string& command, std::ostream& err) {
  std::optional<std::vector<std::string>> files = expandPaths(paths, ".rules", command, err);
  if (!files) return std::nullopt;
  if (files->empty()) {
    err << "sqlwarden " << command << ": no .rules files given\n";
    return std::nullopt;
  }
  std::vector<policy::SourceInput> inputs;
  for (const std::string& path : *files) {
    std::string reason;
    std::optional<std::string> text = policy::readPolicyFile(path, reason);
    if (!text) {
      err << "sqlwarden " << command << ": cannot read " << path << ": " << reason << '\n';
      return std::nullopt;
    }
    inputs.push_back({path, std::move(*text)});
  }
  policy::CompileResult result = policy::compilePolicies(std::move(inputs));
  if (!result.ok()) {
    for (const auto& d : result.diagnostics)
      if (d.diagnostic.severity == Severity::Error) err << result.format(d);
    return std::nullopt;
  }
  return result;
}

std::optional<catalog::Catalog> loadSchemaFile(const std::string& path, const std::string& command,
                                               std::ostream& err) {
  if (path.empty()) return catalog::Catalog{};
  std::string reason;
  const std::optional<std::string> text = readInput(path, reason);
  if (!text) {
    err << "sqlwarden " << command << ": cannot read " << path << ": " << reason << '\n';
    return std::nullopt;
  }
  catalog::CatalogResult schema = catalog::loadCatalog(*text);
  for (const Diagnostic& d : schema.errors) err << formatDiagnostic(d, path, *text);
  if (!schema.errors.empty()) return std::nullopt;
  return std::move(schema.catalog);
}

}  // namespace sqlwarden::tools
