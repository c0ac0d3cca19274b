#pragma once
// The client side of SCRAM-SHA-256: the gateway logging in to the upstream.
// https://www.postgresql.org/docs/current/sasl-authentication.html
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "pgwire/bytes.hpp"
#include "pgwire/scram.hpp"

namespace sqlwarden::pgwire {

/// One SCRAM-SHA-256 login, as a client. The session drives it:
///
///  1. AuthenticationSASL lists the mechanisms: pick the binding mode (see
///     ScramChannelBinding), send makeSaslInitialResponse(mechanism(),
///     clientFirstMessage()).
///  2. AuthenticationSASLContinue: send makeSaslResponse(handleServerFirst(data)).
///  3. AuthenticationSASLFinal: verifyServerFinal(data) must succeed before
///     AuthenticationOk is believed; a server that cannot prove it knows the
///     verifier is an impostor.
///
/// The password is held in wiped storage and wiped once the client proof has
/// been computed; the derived keys are wiped as soon as they are used.
class ScramClient {
 public:
  /// Starts a login with a fresh random nonce. Fails only if the system's
  /// random number generator does.
  static Result<ScramClient> start(std::string_view password, ScramChannelBinding binding = {});

  /// Starts a login with a given nonce and user name (for test vectors;
  /// PostgreSQL ignores the SCRAM user name and libpq sends an empty one).
  ScramClient(std::string_view password, std::string client_nonce, std::string user = "",
              ScramChannelBinding binding = {});

  /// SCRAM-SHA-256, or SCRAM-SHA-256-PLUS when channel binding is Required.
  std::string_view mechanism() const;
  /// client-first-message, for SASLInitialResponse.
  std::string clientFirstMessage() const;
  /// Reads server-first-message (AuthenticationSASLContinue) and returns
  /// client-final-message with the proof, for SASLResponse.
  Result<std::string> handleServerFirst(std::string_view server_first);
  /// Checks server-final-message (AuthenticationSASLFinal): the server's
  /// signature, or its e= error. nullopt when the server proved itself.
  std::optional<Diagnostic> verifyServerFinal(std::string_view server_final);

 private:
  enum class State { Initial, SentFinal, Done, Failed };

  std::string gs2Header() const;
  std::string clientFirstBare() const;
  Diagnostic fail(std::string message);

  SecretString password_;
  std::string client_nonce_;
  std::string user_;
  ScramChannelBinding binding_;
  ScramKey expected_server_signature_{};
  State state_ = State::Initial;
};

}  // namespace sqlwarden::pgwire
