#include "read_input.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sqlwarden::tools {

std::optional<std::string> readInput(const std::string& path, std::string& error) {
  const bool use_stdin = path == "-";
  const int fd = use_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      // A directory opens fine and fails here with EISDIR.
      error = std::strerror(errno);
      if (!use_stdin) ::close(fd);
      return std::nullopt;
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  if (!use_stdin) ::close(fd);
  return text;
}

}  // namespace sqlwarden::tools
