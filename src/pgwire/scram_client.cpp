// RFC 5802 section 3 (the algorithm) and 7 (the message syntax).
#include "pgwire/scram_client.hpp"

#include <openssl/crypto.h>

#include <charconv>

#include "pgwire/base64.hpp"

namespace sqlwarden::pgwire {

namespace {
// saslname: ',' and '=' escaped as =2C and =3D (RFC 5802 section 5.1).
std::string escapeSaslName(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == ',') {
      out += "=2C";
    } else if (c == '=') {
      out += "=3D";
    } else {
      out += c;
    }
  }
  return out;
}
}  // namespace

Result<ScramClient> ScramClient::start(std::string_view password, ScramChannelBinding binding) {
  auto nonce = scram::randomNonce();
  if (!nonce) {
    return Diagnostic::error("scram-random", "could not generate a random nonce", Span{});
  }
  return ScramClient(password, std::move(*nonce), "", std::move(binding));
}

ScramClient::ScramClient(std::string_view password, std::string client_nonce, std::string user,
                         ScramChannelBinding binding)
    : password_(password),
      client_nonce_(std::move(client_nonce)),
      user_(std::move(user)),
      binding_(std::move(binding)) {}

std::string_view ScramClient::mechanism() const {
  return binding_.mode == ScramChannelBinding::Mode::Required ? kScramSha256Plus : kScramSha256;
}

std::string ScramClient::gs2Header() const {
  switch (binding_.mode) {
    case ScramChannelBinding::Mode::None:
      return "n,,";
    case ScramChannelBinding::Mode::NotUsed:
      return "y,,";
    case ScramChannelBinding::Mode::Required:
      return "p=tls-server-end-point,,";
  }
  return "n,,";
}

std::string ScramClient::clientFirstBare() const {
  return "n=" + escapeSaslName(user_) + ",r=" + client_nonce_;
}

std::string ScramClient::clientFirstMessage() const {
  return gs2Header() + clientFirstBare();
}

Diagnostic ScramClient::fail(std::string message) {
  state_ = State::Failed;
  password_.wipe();
  return Diagnostic::error("scram-failed", std::move(message), Span{});
}

Result<std::string> ScramClient::handleServerFirst(std::string_view server_first) {
  if (state_ != State::Initial) return fail("server-first-message out of order");
  // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]
  std::string_view in = server_first;
  if (in.substr(0, 2) == "m=") return fail("server requires an unsupported SCRAM extension");
  const auto nonce = scram::readAttribute(in, 'r');
  const auto salt_text = scram::readAttribute(in, 's');
  const auto iter_text = scram::readAttribute(in, 'i');
  if (!nonce || !salt_text || !iter_text || !scram::isValidExtensionList(in)) {
    return fail("malformed server-first-message");
  }
  if (!scram::isValidNonce(*nonce) || nonce->size() <= client_nonce_.size() ||
      nonce->substr(0, client_nonce_.size()) != client_nonce_) {
    return fail("server nonce does not extend the client nonce");
  }
  const auto salt = base64Decode(*salt_text);
  if (!salt || salt->empty()) return fail("malformed salt in server-first-message");
  int32_t iterations = 0;
  const auto [end, ec] =
      std::from_chars(iter_text->data(), iter_text->data() + iter_text->size(), iterations);
  if (ec != std::errc() || end != iter_text->data() + iter_text->size() || iterations < 1) {
    return fail("malformed iteration count in server-first-message");
  }
  // The key derivation runs on a network thread: a hostile server (or a
  // man in the middle of a plaintext connection) asking for billions of
  // rounds would freeze every session on it. PostgreSQL's default is 4096.
  constexpr int32_t kMaxIterations = 100'000;
  if (iterations > kMaxIterations) {
    return fail("server asks for " + std::to_string(iterations) + " SCRAM iterations, more than the limit of " +
                std::to_string(kMaxIterations));
  }

  const std::string without_proof =
      "c=" +
      scram::channelBindingAttribute(gs2Header(),
                                     binding_.mode == ScramChannelBinding::Mode::Required
                                         ? ByteView(binding_.data)
                                         : ByteView()) +
      ",r=" + std::string(*nonce);
  const std::string auth_message =
      clientFirstBare() + "," + std::string(server_first) + "," + without_proof;

  ScramKey salted = scram::saltedPassword(password_.view(), *salt, iterations);
  password_.wipe();
  ScramKey client_key = scram::hmacSha256(salted, "Client Key");
  ScramKey server_key = scram::hmacSha256(salted, "Server Key");
  const ScramKey stored_key = scram::sha256(client_key);
  const ScramKey client_signature = scram::hmacSha256(stored_key, auth_message);
  ScramKey proof{};
  for (std::size_t i = 0; i < proof.size(); ++i) proof[i] = client_key[i] ^ client_signature[i];
  expected_server_signature_ = scram::hmacSha256(server_key, auth_message);
  const std::string final_message = without_proof + ",p=" + base64Encode(proof);
  secureWipe(salted.data(), salted.size());
  secureWipe(client_key.data(), client_key.size());
  secureWipe(server_key.data(), server_key.size());
  state_ = State::SentFinal;
  return final_message;
}

std::optional<Diagnostic> ScramClient::verifyServerFinal(std::string_view server_final) {
  if (state_ != State::SentFinal) return fail("server-final-message out of order");
  std::string_view in = server_final;
  if (const auto err = scram::readAttribute(in, 'e')) {
    return fail("server rejected the login: " + std::string(*err));
  }
  const auto verifier = scram::readAttribute(in, 'v');
  if (!verifier) return fail("malformed server-final-message");
  const auto signature = base64Decode(*verifier);
  if (!signature || signature->size() != expected_server_signature_.size() ||
      CRYPTO_memcmp(signature->data(), expected_server_signature_.data(),
                    expected_server_signature_.size()) != 0) {
    return fail("server signature does not match: the server does not know the password");
  }
  state_ = State::Done;
  return std::nullopt;
}

}  // namespace sqlwarden::pgwire
