#pragma once
// The server side of SCRAM-SHA-256: the gateway authenticating a local user
// against a stored verifier.
// https://www.postgresql.org/docs/current/sasl-authentication.html
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "pgwire/bytes.hpp"
#include "pgwire/scram.hpp"

namespace sqlwarden::pgwire {

/// One SCRAM-SHA-256 login, as a server. The session drives it:
///
///  1. Send AuthenticationSASL with mechanisms().
///  2. SASLInitialResponse (parseSaslInitialResponse() of the 'p' message):
///     send AuthenticationSASLContinue with handleClientFirst(mechanism, data).
///  3. SASLResponse (the 'p' payload): handleClientFinal(data) verifies the
///     proof; on success send AuthenticationSASLFinal with its result, then
///     AuthenticationOk. On any error send ErrorResponse 28P01 ("password
///     authentication failed for user ...") without saying which step failed;
///     the Diagnostic is for the log.
///
/// For a user that does not exist, run the same exchange with
/// mockScramVerifier() so the client cannot tell the difference.
class ScramServer {
 public:
  /// `tls_server_end_point`: the channel-binding data of the TLS connection
  /// (hash of the gateway's certificate, RFC 5929); when given,
  /// SCRAM-SHA-256-PLUS is offered too. The server nonce is random.
  static Result<ScramServer> start(ScramVerifier verifier,
                                   std::optional<Bytes> tls_server_end_point = std::nullopt);
  /// The same with a given server nonce (for tests).
  ScramServer(ScramVerifier verifier, std::string server_nonce,
              std::optional<Bytes> tls_server_end_point = std::nullopt);

  /// The mechanisms for AuthenticationSASL, most preferred first.
  std::vector<std::string> mechanisms() const;
  /// Reads client-first-message sent with `mechanism` and returns
  /// server-first-message.
  Result<std::string> handleClientFirst(std::string_view mechanism, std::string_view client_first);
  /// Reads client-final-message, checks the channel binding, the nonce and
  /// (in constant time) the proof, and returns server-final-message.
  Result<std::string> handleClientFinal(std::string_view client_final);

 private:
  enum class State { Initial, SentFirst, Done, Failed };

  Diagnostic fail(std::string message);

  ScramVerifier verifier_;
  std::string server_nonce_;
  std::optional<Bytes> channel_binding_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
  State state_ = State::Initial;
};

}  // namespace sqlwarden::pgwire
