#pragma once
// The compiled policy every session decides with, and its hot reload: a new
// policy is compiled and checked first and replaces the old one only when it
// has no errors; sessions pick it up at their next statement.
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "policy/policy.hpp"

namespace sqlwarden::proxy {

class PolicyStore {
 public:
  struct Snapshot {
    policy::Policy policy;
    uint64_t generation = 0;
  };

  /// `paths`: .rules files or folders of them (searched recursively).
  explicit PolicyStore(std::vector<std::string> paths) : paths_(std::move(paths)) {}

  /// Compiles the files. On success installs the result (a new generation)
  /// and returns true; on failure keeps the current policy and returns the
  /// formatted errors. Thread-safe.
  Result<bool> reload();
  /// True when a policy file's modification time or the set of files
  /// changed since the last reload() (for polling).
  bool changedOnDisk() const;

  std::shared_ptr<const Snapshot> current() const;
  /// current()->generation without the lock: sessions ask on every statement.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  std::vector<std::string> expand() const;
  std::vector<std::pair<std::string, std::filesystem::file_time_type>> stamps() const;

  std::vector<std::string> paths_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_ = std::make_shared<Snapshot>();
  std::atomic<uint64_t> generation_{0};
  std::vector<std::pair<std::string, std::filesystem::file_time_type>> stamps_;
};

}  // namespace sqlwarden::proxy
