#pragma once
// `sqlwarden passwd`: prints the SCRAM-SHA-256 verifier of a password, for a
// `user` block of the gateway configuration (docs/gateway.md). The password
// is read from standard input (first line), never from the command line.
#include <iosfwd>

namespace sqlwarden::tools {

struct PasswdOptions {
  int iterations = 4096;
};

/// Reads the password from `in`, prints the verifier to `out`.
int runPasswdCommand(const PasswdOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace sqlwarden::tools
