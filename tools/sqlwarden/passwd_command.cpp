#include "passwd_command.hpp"

#include <istream>
#include <ostream>
#include <string>

#include "parse_command.hpp"
#include "pgwire/bytes.hpp"
#include "pgwire/scram.hpp"

namespace sqlwarden::tools {

int runPasswdCommand(const PasswdOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  pgwire::SecretString password(line);
  pgwire::secureWipe(line.data(), line.size());
  if (password.empty()) {
    err << "sqlwarden passwd: expected the password on standard input\n";
    return kExitUsage;
  }
  auto verifier = pgwire::makeScramVerifier(password.view(), options.iterations);
  if (!verifier) {
    err << "sqlwarden passwd: " << verifier.error().message << '\n';
    return kExitUsage;
  }
  out << pgwire::formatScramVerifier(*verifier) << '\n';
  return kExitOk;
}

}  // namespace sqlwarden::tools
