// SCRAM-SHA-256 client and server, verifiers, MD5 and base64.
// Test vector: RFC 7677 section 3 (user "user", password "pencil").
#include <doctest/doctest.h>

#include "pgwire/base64.hpp"
#include "pgwire/md5_password.hpp"
#include "pgwire/scram_client.hpp"
#include "pgwire/scram_server.hpp"

namespace sqlwarden::pgwire {
namespace {

constexpr std::string_view kClientNonce = "rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
// The same password's verifier in pg_authid's format (computed independently
// with Python's hashlib).
constexpr std::string_view kPencilVerifier =
    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

ScramVerifier pencilVerifier() {
  auto v = parseScramVerifier(kPencilVerifier);
  REQUIRE(v.ok());
  return v.value();
}

// Runs a whole exchange; returns the first error, or "" when both sides agree.
std::string login(ScramClient& client, ScramServer& server) {
  auto server_first = server.handleClientFirst(client.mechanism(), client.clientFirstMessage());
  if (!server_first) return server_first.error().message;
  auto client_final = client.handleServerFirst(*server_first);
  if (!client_final) return client_final.error().message;
  auto server_final = server.handleClientFinal(*client_final);
  if (!server_final) return server_final.error().message;
  if (auto err = client.verifyServerFinal(*server_final)) return err->message;
  return "";
}

TEST_CASE("SCRAM client: RFC 7677 test vector") {
  ScramClient client("pencil", std::string(kClientNonce), "user");
  CHECK(client.mechanism() == "SCRAM-SHA-256");
  CHECK(client.clientFirstMessage() == kClientFirst);
  auto final_message = client.handleServerFirst(kServerFirst);
  REQUIRE(final_message.ok());
  CHECK(*final_message == kClientFinal);
  CHECK(!client.verifyServerFinal(kServerFinal).has_value());
}

TEST_CASE("SCRAM server: RFC 7677 test vector") {
  ScramServer server(pencilVerifier(), std::string(kServerNonce));
  CHECK(server.mechanisms() == std::vector<std::string>{"SCRAM-SHA-256"});
  auto first = server.handleClientFirst("SCRAM-SHA-256", kClientFirst);
  REQUIRE(first.ok());
  CHECK(*first == kServerFirst);
  auto final_message = server.handleClientFinal(kClientFinal);
  REQUIRE(final_message.ok());
  CHECK(*final_message == kServerFinal);
}

TEST_CASE("SCRAM verifiers: parse, format, make") {
  const ScramVerifier v = pencilVerifier();
  CHECK(v.iterations == 4096);
  CHECK(v.salt.size() == 16);
  CHECK(formatScramVerifier(v) == kPencilVerifier);
  CHECK(makeScramVerifier("pencil", v.salt, 4096) == v);

  auto fresh = makeScramVerifier("pencil");
  REQUIRE(fresh.ok());
  CHECK(fresh->salt.size() == 16);
  CHECK(fresh->salt != v.salt);
  CHECK(parseScramVerifier(formatScramVerifier(*fresh)).value() == *fresh);
  CHECK(!makeScramVerifier("pencil", 0).ok());

  for (const std::string_view bad : {
           "md5abcdef",
           "SCRAM-SHA-256$",
           "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==",
           "SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
           "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$40x96:W22ZaJ0SNY7soEsUEjb6gQ==$"
           "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="
           ":wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$4096:!!!!$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
           "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:"
           "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
           "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=",
       }) {
    CAPTURE(bad);
    auto r = parseScramVerifier(bad);
    REQUIRE(!r.ok());
    CHECK(r.error().code == "scram-bad-verifier");
  }
}

TEST_CASE("SCRAM: client and server with random nonces agree") {
  auto verifier = makeScramVerifier("correct horse battery staple", 4096);
  REQUIRE(verifier.ok());
  auto client = ScramClient::start("correct horse battery staple");
  auto server = ScramServer::start(*verifier);
  REQUIRE(client.ok());
  REQUIRE(server.ok());
  CHECK(login(*client, *server) == "");
}

TEST_CASE("SCRAM: wrong password, mock verifier, tampering") {
  auto verifier = makeScramVerifier("right", 4096);
  REQUIRE(verifier.ok());

  SUBCASE("wrong password") {
    auto client = ScramClient::start("wrong");
    auto server = ScramServer::start(*verifier);
    CHECK(login(*client, *server) == "client proof does not match the stored key");
  }
  SUBCASE("a user that does not exist looks the same until the proof fails") {
    const Bytes secret(32, 7);
    const ScramVerifier mock = mockScramVerifier("nobody", secret);
    CHECK(mock == mockScramVerifier("nobody", secret));
    CHECK(mock.salt != mockScramVerifier("somebody", secret).salt);
    CHECK(mock.salt.size() == 16);
    auto client = ScramClient::start("right");
    auto server = ScramServer::start(mock);
    CHECK(login(*client, *server) == "client proof does not match the stored key");
  }
  SUBCASE("a server that does not know the verifier cannot prove itself") {
    ScramClient client("pencil", std::string(kClientNonce), "user");
    REQUIRE(client.handleServerFirst(kServerFirst).ok());
    auto err = client.verifyServerFinal("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    REQUIRE(err.has_value());
    CHECK(err->code == "scram-failed");
  }
  SUBCASE("server error e=") {
    ScramClient client("pencil", std::string(kClientNonce), "user");
    REQUIRE(client.handleServerFirst(kServerFirst).ok());
    auto err = client.verifyServerFinal("e=invalid-proof");
    REQUIRE(err.has_value());
    CHECK(err->message.find("invalid-proof") != std::string::npos);
  }
  SUBCASE("client rejects a bad server-first-message") {
    for (const std::string_view bad : {
             "r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
             "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",  // not extended
             "r=rOprNGfwEbeRWgbNEkqOx,s=***,i=4096",
             "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",
             "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=12ab",
             "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000000",  // would freeze the thread
             "r=rOprNGfwEbeRWgbNEkqOx,i=4096",
             "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,junk",
             "m=ext,r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
             "",
         }) {
      CAPTURE(bad);
      ScramClient client("pencil", std::string(kClientNonce), "user");
      CHECK(!client.handleServerFirst(bad).ok());
    }
  }
  SUBCASE("server rejects a bad client-first-message") {
    for (const std::string_view bad : {
             "n,a=admin,n=,r=abc",  // authorization identity
             "x,,n=,r=abc",
             "n,,m=ext,n=,r=abc",
             "n,,n=,r=",
             "n,,r=abc",
             "n,,n=,r=a,b",
             "n,,n=,r=a,=x",
             "",
         }) {
      CAPTURE(bad);
      auto server = ScramServer::start(*verifier);
      CHECK(!server->handleClientFirst("SCRAM-SHA-256", bad).ok());
    }
    auto server = ScramServer::start(*verifier);
    CHECK(!server->handleClientFirst("SCRAM-SHA-1", "n,,n=,r=abc").ok());
  }
  SUBCASE("server rejects a tampered client-final-message") {
    const std::string proof = "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    for (const std::string& bad : {
             "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," + proof,  // binding
             "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k1," + proof,  // nonce
             std::string("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA"),
             std::string("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"),
             "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," + proof,
         }) {
      CAPTURE(bad);
      ScramServer server(pencilVerifier(), std::string(kServerNonce));
      REQUIRE(server.handleClientFirst("SCRAM-SHA-256", kClientFirst).ok());
      CHECK(!server.handleClientFinal(bad).ok());
    }
  }
  SUBCASE("messages out of order") {
    ScramServer server(pencilVerifier(), std::string(kServerNonce));
    CHECK(!server.handleClientFinal(kClientFinal).ok());
    ScramClient client("pencil", std::string(kClientNonce), "user");
    CHECK(client.verifyServerFinal(kServerFinal).has_value());
  }
}

TEST_CASE("SCRAM: channel binding") {
  auto verifier = makeScramVerifier("pw", 4096);
  REQUIRE(verifier.ok());
  const Bytes cert_hash(32, 0xAB);
  const ScramChannelBinding required{ScramChannelBinding::Mode::Required, cert_hash};

  SUBCASE("SCRAM-SHA-256-PLUS with matching tls-server-end-point data") {
    auto client = ScramClient::start("pw", required);
    auto server = ScramServer::start(*verifier, cert_hash);
    CHECK(server->mechanisms().front() == "SCRAM-SHA-256-PLUS");
    CHECK(client->mechanism() == "SCRAM-SHA-256-PLUS");
    CHECK(client->clientFirstMessage().rfind("p=tls-server-end-point,,", 0) == 0);
    CHECK(login(*client, *server) == "");
  }
  SUBCASE("a different certificate (a man in the middle) fails") {
    auto client = ScramClient::start("pw", required);
    auto server = ScramServer::start(*verifier, Bytes(32, 0xCD));
    CHECK(login(*client, *server) == "channel binding does not match");
  }
  SUBCASE("'y' is accepted when the server offers no -PLUS") {
    auto client = ScramClient::start("pw", {ScramChannelBinding::Mode::NotUsed, {}});
    CHECK(client->clientFirstMessage().rfind("y,,", 0) == 0);
    auto server = ScramServer::start(*verifier);
    CHECK(login(*client, *server) == "");
  }
  SUBCASE("'y' when the server did offer -PLUS is a downgrade") {
    auto client = ScramClient::start("pw", {ScramChannelBinding::Mode::NotUsed, {}});
    auto server = ScramServer::start(*verifier, cert_hash);
    CHECK(login(*client, *server) == "channel binding downgrade detected");
  }
  SUBCASE("-PLUS without TLS, or binding with the plain mechanism") {
    auto server = ScramServer::start(*verifier);
    CHECK(!server->handleClientFirst("SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,n=,r=a").ok());
    auto server2 = ScramServer::start(*verifier, cert_hash);
    CHECK(!server2->handleClientFirst("SCRAM-SHA-256", "p=tls-server-end-point,,n=,r=a").ok());
    auto server3 = ScramServer::start(*verifier, cert_hash);
    CHECK(!server3->handleClientFirst("SCRAM-SHA-256-PLUS", "n,,n=,r=a").ok());
  }
}

TEST_CASE("SCRAM client: user names are escaped") {
  ScramClient client("pw", "nonce", "a,b=c");
  CHECK(client.clientFirstMessage() == "n,,n=a=2Cb=3Dc,r=nonce");
}

TEST_CASE("MD5 password response") {
  // md5(hex(md5("s3cret" + "alice")) + 01 02 03 04), computed with Python's hashlib.
  const SecretString r = md5PasswordResponse("alice", "s3cret", {1, 2, 3, 4});
  CHECK(r.view() == "md5b79948bbeb35dee03ab8fe15a839030b");
}

TEST_CASE("base64: RFC 4648 vectors, strict decoding") {
  const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                   {"f", "Zg=="},
                                                                   {"fo", "Zm8="},
                                                                   {"foo", "Zm9v"},
                                                                   {"foob", "Zm9vYg=="},
                                                                   {"fooba", "Zm9vYmE="},
                                                                   {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64Encode(toBytes(plain)) == encoded);
    auto decoded = base64Decode(encoded);
    REQUIRE(decoded.has_value());
    CHECK(asText(ByteView(decoded->data(), decoded->size())) == plain);
  }
  for (const std::string_view bad : {"Zg=", "Zg", "Z===", "=Zg=", "Zm9v!A==", "Zg==Zg==", "Zm=v"}) {
    CAPTURE(bad);
    CHECK(!base64Decode(bad).has_value());
  }
}

TEST_CASE("SecretString: wiped when moved from or wiped") {
  SecretString a("hunter2");
  SecretString b = std::move(a);
  CHECK(a.empty());
  CHECK(b.view() == "hunter2");
  b.wipe();
  CHECK(b.empty());
}

}  // namespace
}  // namespace sqlwarden::pgwire
