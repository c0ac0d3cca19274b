// RFC 5802 section 3 (the algorithm) and 7 (the message syntax); what
// PostgreSQL accepts follows src/backend/libpq/auth-scram.c.
#include "pgwire/scram_server.hpp"

#include <openssl/crypto.h>

#include "pgwire/base64.hpp"

namespace sqlwarden::pgwire {

Result<ScramServer> ScramServer::start(ScramVerifier verifier,
                                       std::optional<Bytes> tls_server_end_point) {
  auto nonce = scram::randomNonce();
  if (!nonce) {
    return Diagnostic::error("scram-random", "could not generate a random nonce", Span{});
  }
  return ScramServer(std::move(verifier), std::move(*nonce), std::move(tls_server_end_point));
}

ScramServer::ScramServer(ScramVerifier verifier, std::string server_nonce,
                         std::optional<Bytes> tls_server_end_point)
    : verifier_(std::move(verifier)),
      server_nonce_(std::move(server_nonce)),
      channel_binding_(std::move(tls_server_end_point)) {}

std::vector<std::string> ScramServer::mechanisms() const {
  if (channel_binding_) return {std::string(kScramSha256Plus), std::string(kScramSha256)};
  return {std::string(kScramSha256)};
}

Diagnostic ScramServer::fail(std::string message) {
  state_ = State::Failed;
  return Diagnostic::error("scram-failed", std::move(message), Span{});
}

Result<std::string> ScramServer::handleClientFirst(std::string_view mechanism,
                                                   std::string_view client_first) {
  if (state_ != State::Initial) return fail("client-first-message out of order");
  const bool plus = mechanism == kScramSha256Plus;
  if (!plus && mechanism != kScramSha256) {
    return fail("unsupported SASL mechanism \"" + std::string(mechanism) + "\"");
  }
  if (plus && !channel_binding_) return fail("SCRAM-SHA-256-PLUS without TLS");

  // gs2-header = gs2-cbind-flag "," [ authzid ] ","
  std::string_view in = client_first;
  if (in.substr(0, 2) == "n,") {
    if (plus) return fail("SCRAM-SHA-256-PLUS selected but no channel binding sent");
    in.remove_prefix(2);
  } else if (in.substr(0, 2) == "y,") {
    // The client could bind but thought we could not: if we offered -PLUS,
    // someone between us removed it from the list (RFC 5802 section 6).
    if (plus || channel_binding_) return fail("channel binding downgrade detected");
    in.remove_prefix(2);
  } else if (in.substr(0, 23) == "p=tls-server-end-point,") {
    if (!plus) return fail("channel binding requested with mechanism SCRAM-SHA-256");
    in.remove_prefix(23);
  } else {
    return fail("malformed or unsupported gs2 header in client-first-message");
  }
  if (in.substr(0, 1) != ",") return fail("authorization identity is not supported");
  in.remove_prefix(1);
  gs2_header_ = std::string(client_first.substr(0, client_first.size() - in.size()));
  client_first_bare_ = std::string(in);

  // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
  if (in.substr(0, 2) == "m=") return fail("unsupported SCRAM extension");
  // PostgreSQL ignores the SCRAM user name (the startup packet names the user).
  const auto user = scram::readAttribute(in, 'n');
  const auto client_nonce = scram::readAttribute(in, 'r');
  if (!user || !client_nonce || !scram::isValidNonce(*client_nonce) ||
      !scram::isValidExtensionList(in)) {
    return fail("malformed client-first-message");
  }
  nonce_ = std::string(*client_nonce) + server_nonce_;
  server_first_ = "r=" + nonce_ + ",s=" + base64Encode(verifier_.salt) +
                  ",i=" + std::to_string(verifier_.iterations);
  state_ = State::SentFirst;
  return server_first_;
}

Result<std::string> ScramServer::handleClientFinal(std::string_view client_final) {
  if (state_ != State::SentFirst) return fail("client-final-message out of order");
  // client-final-message = channel-binding "," nonce ["," extensions] "," proof
  const std::size_t proof_at = client_final.rfind(",p=");
  if (proof_at == std::string_view::npos) return fail("client-final-message has no proof");
  const std::string_view without_proof = client_final.substr(0, proof_at);
  std::string_view in = without_proof;
  const auto binding = scram::readAttribute(in, 'c');
  const auto nonce = scram::readAttribute(in, 'r');
  if (!binding || !nonce || !scram::isValidExtensionList(in)) {
    return fail("malformed client-final-message");
  }

  const bool bound = gs2_header_[0] == 'p';
  const std::string expected_binding =
      scram::channelBindingAttribute(gs2_header_, bound ? ByteView(*channel_binding_) : ByteView());
  if (*binding != expected_binding) return fail("channel binding does not match");
  if (*nonce != nonce_) return fail("nonce does not match");

  const auto proof = base64Decode(client_final.substr(proof_at + 3));
  if (!proof || proof->size() != ScramKey().size()) return fail("malformed client proof");

  const std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  ScramKey client_signature = scram::hmacSha256(verifier_.stored_key, auth_message);
  ScramKey client_key{};
  for (std::size_t i = 0; i < client_key.size(); ++i) {
    client_key[i] = (*proof)[i] ^ client_signature[i];
  }
  const ScramKey computed_stored_key = scram::sha256(client_key);
  secureWipe(client_key.data(), client_key.size());
  secureWipe(client_signature.data(), client_signature.size());
  if (CRYPTO_memcmp(computed_stored_key.data(), verifier_.stored_key.data(),
                    computed_stored_key.size()) != 0) {
    return fail("client proof does not match the stored key");
  }
  state_ = State::Done;
  return "v=" + base64Encode(scram::hmacSha256(verifier_.server_key, auth_message));
}

}  // namespace sqlwarden::pgwire
