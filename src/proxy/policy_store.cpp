#include "proxy/policy_store.hpp"

#include <algorithm>

#include "policy/compile.hpp"

namespace sqlwarden::proxy {

namespace fs = std::filesystem;

std::vector<std::string> PolicyStore::expand() const {
  std::vector<std::string> files;
  for (const std::string& p : paths_) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".rules") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  return files;
}

std::vector<std::pair<std::string, fs::file_time_type>> PolicyStore::stamps() const {
  std::vector<std::pair<std::string, fs::file_time_type>> out;
  for (const std::string& f : expand()) {
    std::error_code ec;
    out.emplace_back(f, fs::last_write_time(f, ec));
  }
  return out;
}

Result<bool> PolicyStore::reload() {
  auto new_stamps = stamps();
  std::vector<policy::SourceInput> inputs;
  std::string errors;
  for (const auto& [file, stamp] : new_stamps) {
    std::string reason;
    auto text = policy::readPolicyFile(file, reason);
    if (!text) {
      errors += file + ": cannot read: " + reason + "\n";
      continue;
    }
    inputs.push_back({file, std::move(*text)});
  }
  if (errors.empty()) {
    policy::CompileResult result = policy::compilePolicies(std::move(inputs));
    if (result.ok()) {
      std::lock_guard lock(mutex_);
      auto next = std::make_shared<Snapshot>();
      next->policy = std::move(result.policy);
      next->generation = current_->generation + 1;
      current_ = std::move(next);
      generation_.store(current_->generation, std::memory_order_release);
      stamps_ = std::move(new_stamps);
      return true;
    }
    for (const auto& d : result.diagnostics)
      if (d.diagnostic.severity == Severity::Error) errors += result.format(d);
  }
  std::lock_guard lock(mutex_);
  stamps_ = std::move(new_stamps);  // do not retry the same broken files every poll
  return Diagnostic::error("policy-reload", errors, Span{});
}

bool PolicyStore::changedOnDisk() const {
  auto now = stamps();
  std::lock_guard lock(mutex_);
  return now != stamps_;
}

std::shared_ptr<const PolicyStore::Snapshot> PolicyStore::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace sqlwarden::proxy
