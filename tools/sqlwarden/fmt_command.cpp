#include "fmt_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>
#include <ostream>
#include <system_error>

#include "common/diagnostic.hpp"
#include "parse_command.hpp"
#include "policy/format.hpp"
#include "read_input.hpp"
#include "policy/parse.hpp"

namespace sqlwarden::tools {
namespace {

namespace fs = std::filesystem;


/// Replaces `path` by `text` atomically: a temporary file beside it, with the
/// same permissions, renamed over it. Returns "" or the reason it failed.
std::string replaceFile(const std::string& path, const std::string& text) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  std::string temp = path + ".fmt-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return std::strerror(errno);
  std::string reason;
  size_t done = 0;
  while (done < text.size() && reason.empty()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno != EINTR) reason = std::strerror(errno);
    if (n > 0) done += static_cast<size_t>(n);
  }
  if (reason.empty() && ::fchmod(fd, st.st_mode & 07777) != 0) reason = std::strerror(errno);
  if (reason.empty() && ::fsync(fd) != 0) reason = std::strerror(errno);
  if (::close(fd) != 0 && reason.empty()) reason = std::strerror(errno);
  if (reason.empty() && ::rename(temp.c_str(), path.c_str()) != 0) reason = std::strerror(errno);
  if (!reason.empty()) ::unlink(temp.c_str());
  return reason;
}

/// The files `inputs` name: directories expand to their `*.rules` files,
/// sorted. Returns false (after a message) when an input does not exist.
bool expandInputs(const std::vector<std::string>& inputs, std::vector<std::string>& files,
                  std::ostream& err) {
  bool ok = true;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (input != "-" && fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(input, ec), end; !ec && it != end;
           it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".rules")
          found.push_back(it->path().string());
      }
      if (ec) {
        err << "sqlwarden fmt: " << input << ": " << ec.message() << "\n";
        ok = false;
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(input);
    }
  }
  return ok;
}

}  // namespace

int runFmtCommand(const FmtOptions& options, std::ostream& out, std::ostream& err) {
  if (options.write && options.check) {
    err << "sqlwarden fmt: --write and --check cannot be used together\n";
    return kExitUsage;
  }
  std::vector<std::string> files;
  int status = kExitOk;
  const auto worse = [&status](int s) { status = std::max(status, s); };
  if (!expandInputs(options.inputs.empty() ? std::vector<std::string>{"-"} : options.inputs, files,
                    err))
    worse(kExitUsage);

  size_t unformatted = 0;
  for (const auto& path : files) {
    const std::string display = path == "-" ? "<stdin>" : path;
    if (path == "-" && options.write) {
      err << "sqlwarden fmt: --write needs files, not standard input\n";
      worse(kExitUsage);
      continue;
    }
    std::string error;
    const std::optional<std::string> text = readInput(path, error);
    if (!text) {
      err << "sqlwarden fmt: cannot read " << display << ": " << error << "\n";
      worse(kExitUsage);
      continue;
    }
    const policy::PolicyParseResult parsed = policy::parsePolicyFile(*text, display);
    for (const auto& d : parsed.diagnostics) err << formatDiagnostic(d, display, *text);
    if (!parsed.ok()) {
      worse(kExitInputErrors);
      continue;
    }
    const std::string formatted = policy::formatPolicyFile(*text, parsed.file);
    // The formatter must never change what a policy says: check before use.
    const policy::PolicyParseResult again = policy::parsePolicyFile(formatted, display);
    if (!again.ok() ||
        policy::policyContentSummary(again.file) != policy::policyContentSummary(parsed.file)) {
      err << "sqlwarden fmt: internal error: formatting " << display
          << " would change its meaning; left unchanged (please report this)\n";
      worse(kExitInputErrors);
      continue;
    }
    if (options.check) {
      if (formatted != *text) {
        out << display << "\n";
        ++unformatted;
        worse(kExitInputErrors);
      }
    } else if (options.write) {
      if (formatted != *text) {
        const std::string reason = replaceFile(path, formatted);
        if (!reason.empty()) {
          err << "sqlwarden fmt: cannot write " << display << ": " << reason << "\n";
          worse(kExitUsage);
        }
      }
    } else {
      out << formatted;
    }
  }
  if (unformatted > 0) {
    err << "sqlwarden fmt: " << unformatted << (unformatted == 1 ? " file is" : " files are")
        << " not formatted; run 'sqlwarden fmt --write' on " << (unformatted == 1 ? "it" : "them")
        << "\n";
  }
  return status;
}

}  // namespace sqlwarden::tools
