// FrontendDecoder and the frontend encoders on hand-built byte buffers.
// https://www.postgresql.org/docs/current/protocol-message-formats.html
#include "pgwire/frontend_decoder.hpp"

#include <doctest/doctest.h>

#include "decoder_checks.hpp"
#include "wire_bytes.hpp"

namespace sqlwarden::pgwire {
namespace {

using test::concat;
using test::typed;
using test::untyped;
using test::WireBytes;
using FrontendSample = test::Sample<FrontendMessage>;

// A decoder that has seen the StartupMessage and expects typed messages.
FrontendDecoder afterStartup() {
  FrontendDecoder d;
  d.feed(test::startupPacket());
  REQUIRE(d.next().isReady());
  REQUIRE(d.phase() == FrontendDecoder::Phase::Messages);
  return d;
}

// Wire layouts keep one protocol field group per line.
// clang-format off
std::vector<FrontendSample> typedSamples() {
  std::vector<FrontendSample> s;
  s.push_back({"Query", typed('Q', WireBytes{}.str("SELECT 1; SELECT 2")),
               Query{"SELECT 1; SELECT 2"}});
  s.push_back({"Query empty", typed('Q', WireBytes{}.str("")), Query{""}});
  s.push_back({"Parse", typed('P', WireBytes{}.str("s1").str("SELECT $1, $2").i16(2).i32(23).i32(0)),
               Parse{"s1", "SELECT $1, $2", {23, 0}}});
  s.push_back({"Parse unnamed, no types", typed('P', WireBytes{}.str("").str("SELECT 1").i16(0)),
               Parse{"", "SELECT 1", {}}});
  s.push_back({"Parse high OID", typed('P', WireBytes{}.str("").str("x").i16(1).i32(-2)),
               Parse{"", "x", {0xFFFFFFFEu}}});
  s.push_back({"Bind",
               typed('B', WireBytes{}
                              .str("p1")
                              .str("s1")
                              .i16(2).i16(0).i16(1)
                              .i16(3).i32(2).raw("42").i32(-1).i32(0)
                              .i16(1).i16(1)),
               Bind{"p1", "s1", {0, 1}, {toBytes("42"), std::nullopt, Bytes{}}, {1}}});
  s.push_back({"Bind no params", typed('B', WireBytes{}.str("").str("").i16(0).i16(0).i16(0)),
               Bind{}});
  s.push_back({"Describe statement", typed('D', WireBytes{}.u8('S').str("s1")),
               Describe{TargetKind::Statement, "s1"}});
  s.push_back({"Describe portal", typed('D', WireBytes{}.u8('P').str("")),
               Describe{TargetKind::Portal, ""}});
  s.push_back({"Execute", typed('E', WireBytes{}.str("p1").i32(100)), Execute{"p1", 100}});
  s.push_back({"Close statement", typed('C', WireBytes{}.u8('S').str("s1")),
               Close{TargetKind::Statement, "s1"}});
  s.push_back({"Close portal", typed('C', WireBytes{}.u8('P').str("p")),
               Close{TargetKind::Portal, "p"}});
  s.push_back({"Sync", typed('S'), Sync{}});
  s.push_back({"Flush", typed('H'), Flush{}});
  s.push_back({"CopyData", typed('d', WireBytes{}.raw("1\tx\n").u8(0).u8(0xFF)),
               CopyData{Bytes{'1', '\t', 'x', '\n', 0, 0xFF}}});
  s.push_back({"CopyData empty", typed('d'), CopyData{}});
  s.push_back({"CopyDone", typed('c'), CopyDone{}});
  s.push_back({"CopyFail", typed('f', WireBytes{}.str("aborted by user")),
               CopyFail{"aborted by user"}});
  s.push_back({"FunctionCall",
               typed('F', WireBytes{}.i32(1598).i16(1).i16(0).i16(2).i32(1).raw("7").i32(-1).i16(1)),
               FunctionCall{1598, {0}, {toBytes("7"), std::nullopt}, 1}});
  s.push_back({"Terminate", typed('X'), Terminate{}});
  return s;
}
// clang-format on

std::vector<FrontendSample> startupSamples() {
  std::vector<FrontendSample> s;
  StartupMessage startup;
  startup.parameters = {{"user", "alice"}, {"database", "shop"}};
  s.push_back({"StartupMessage", test::startupPacket(), startup});
  StartupMessage minor;
  minor.minor_version = 2;
  minor.parameters = {{"user", "u"}, {"_pq_.x", ""}};
  s.push_back({"StartupMessage 3.2",
               untyped(WireBytes{}.i32(196610).str("user").str("u").str("_pq_.x").str("").u8(0)),
               minor});
  s.push_back(
      {"StartupMessage no parameters", untyped(WireBytes{}.i32(196608).u8(0)), StartupMessage{}});
  s.push_back({"SSLRequest", untyped(WireBytes{}.i32(80877103)), SslRequest{}});
  s.push_back({"GSSENCRequest", untyped(WireBytes{}.i32(80877104)), GssEncRequest{}});
  s.push_back({"CancelRequest", untyped(WireBytes{}.i32(80877102).i32(4242).raw("k3y!")),
               CancelRequest{4242, toBytes("k3y!")}});
  s.push_back({"CancelRequest 3.2 long key",
               untyped(WireBytes{}.i32(80877102).i32(7).raw(std::string(32, 'z'))),
               CancelRequest{7, Bytes(32, 'z')}});
  return s;
}

TEST_CASE("FrontendDecoder: every typed message decodes and re-encodes to the same bytes") {
  for (const auto& s : typedSamples()) {
    test::checkRoundTrip<FrontendDecoder>(afterStartup, s);
  }
}

TEST_CASE("FrontendDecoder: every startup packet decodes and re-encodes to the same bytes") {
  for (const auto& s : startupSamples()) {
    test::checkRoundTrip<FrontendDecoder>([] { return FrontendDecoder(); }, s);
  }
}

TEST_CASE("FrontendDecoder: a frame split at every byte position") {
  for (const auto& s : typedSamples()) test::checkEverySplit<FrontendDecoder>(afterStartup, s);
  for (const auto& s : startupSamples()) {
    test::checkEverySplit<FrontendDecoder>([] { return FrontendDecoder(); }, s);
  }
}

TEST_CASE("FrontendDecoder: frames back to back in one buffer and byte by byte") {
  test::checkBackToBack<FrontendDecoder>(afterStartup, typedSamples());
  // The whole conversation of a TLS client: SSLRequest, StartupMessage, messages.
  std::vector<FrontendSample> conversation = {startupSamples()[3], startupSamples()[0]};
  for (const auto& s : typedSamples()) conversation.push_back(s);
  test::checkBackToBack<FrontendDecoder>([] { return FrontendDecoder(); }, conversation);
}

TEST_CASE("FrontendDecoder: PasswordMessage keeps the payload, not the raw bytes") {
  const Bytes frame = typed('p', WireBytes{}.str("s3cret"));
  FrontendDecoder d = afterStartup();
  d.feed(frame);
  auto r = d.next();
  REQUIRE(r.isReady());
  CHECK(r.raw().empty());
  const auto& m = std::get<PasswordMessage>(r.message());
  Bytes again;
  encode(r.message(), again);
  CHECK(again == frame);
  CHECK(m == makePasswordMessage("s3cret"));

  auto password = parsePassword(m);
  REQUIRE(password.ok());
  CHECK(password->view() == "s3cret");
  CHECK(!parsePassword(PasswordMessage{SecretBytes{'a', 'b'}}).ok());
  CHECK(!parsePassword(PasswordMessage{SecretBytes{'a', 0, 'b'}}).ok());
}

TEST_CASE("FrontendDecoder: SASLInitialResponse and SASLResponse in a 'p' message") {
  const Bytes initial = typed('p', WireBytes{}.str("SCRAM-SHA-256").i32(9).raw("n,,n=,r=x"));
  FrontendDecoder d = afterStartup();
  const auto m = std::get<PasswordMessage>(test::decodeOne(d, initial));
  auto sasl = parseSaslInitialResponse(m);
  REQUIRE(sasl.ok());
  CHECK(sasl->mechanism == "SCRAM-SHA-256");
  REQUIRE(sasl->data.has_value());
  CHECK(asText(ByteView(sasl->data->data(), sasl->data->size())) == "n,,n=,r=x");
  CHECK(m == makeSaslInitialResponse("SCRAM-SHA-256", "n,,n=,r=x"));

  // No initial response: length -1.
  const auto none =
      parseSaslInitialResponse(makeSaslInitialResponse("SCRAM-SHA-256", std::nullopt));
  REQUIRE(none.ok());
  CHECK(!none->data.has_value());

  // Length that does not match what follows, and a missing NUL.
  PasswordMessage bad = makeSaslInitialResponse("SCRAM-SHA-256", "abc");
  bad.payload.push_back('!');
  CHECK(parseSaslInitialResponse(bad).error().code == "pgwire-bad-length");
  CHECK(parseSaslInitialResponse(PasswordMessage{SecretBytes{'S', 'C'}}).error().code ==
        "pgwire-missing-nul");

  const Bytes response = typed('p', WireBytes{}.raw("c=biws,r=x,p=AAAA"));
  FrontendDecoder d2 = afterStartup();
  const auto resp = std::get<PasswordMessage>(test::decodeOne(d2, response));
  CHECK(resp == makeSaslResponse("c=biws,r=x,p=AAAA"));
}

TEST_CASE("FrontendDecoder: startup-phase transitions") {
  SUBCASE("SSLRequest stays in the startup phase") {
    FrontendDecoder d;
    d.feed(untyped(WireBytes{}.i32(80877103)));
    auto r = d.next();
    REQUIRE(r.isReady());
    CHECK(std::holds_alternative<SslRequest>(r.message()));
    CHECK(d.phase() == FrontendDecoder::Phase::Startup);
    CHECK(d.pending().empty());
    d.feed(test::startupPacket());
    REQUIRE(d.next().isReady());
    CHECK(d.phase() == FrontendDecoder::Phase::Messages);
  }
  SUBCASE("bytes sent right after SSLRequest are visible as pending") {
    FrontendDecoder d;
    d.feed(concat({untyped(WireBytes{}.i32(80877103)), typed('Q', WireBytes{}.str("x"))}));
    REQUIRE(d.next().isReady());
    CHECK(d.pending().size() == 7);
  }
  SUBCASE("GSSENCRequest, then SSLRequest, then StartupMessage") {
    FrontendDecoder d;
    d.feed(concat({untyped(WireBytes{}.i32(80877104)), untyped(WireBytes{}.i32(80877103)),
                   test::startupPacket()}));
    CHECK(std::holds_alternative<GssEncRequest>(d.next().message()));
    CHECK(std::holds_alternative<SslRequest>(d.next().message()));
    const auto r = d.next();
    const auto& startup = std::get<StartupMessage>(r.message());
    REQUIRE(startup.parameter("user") != nullptr);
    CHECK(*startup.parameter("user") == "alice");
    CHECK(*startup.parameter("database") == "shop");
    CHECK(startup.parameter("options") == nullptr);
    CHECK(d.phase() == FrontendDecoder::Phase::Messages);
  }
  SUBCASE("CancelRequest closes the stream") {
    FrontendDecoder d;
    d.feed(untyped(WireBytes{}.i32(80877102).i32(1).i32(2)));
    REQUIRE(d.next().isReady());
    CHECK(d.phase() == FrontendDecoder::Phase::Closed);
    CHECK(d.next().isNeedMoreData());
    d.feed(Bytes{'Q'});
    auto r = d.next();
    REQUIRE(r.isError());
    CHECK(r.error().code == "pgwire-after-cancel");
  }
  SUBCASE("a typed message before StartupMessage is read as a startup packet and rejected") {
    FrontendDecoder d;
    d.feed(typed('Q', WireBytes{}.str("SELECT 1")));
    auto r = d.next();
    REQUIRE(r.isError());
    CHECK(r.error().code == "pgwire-too-long");
  }
}

// Wire layouts keep one protocol field group per line.
// clang-format off
TEST_CASE("FrontendDecoder: malformed startup packets") {
  const auto fresh = [] { return FrontendDecoder(); };
  const auto check = [&](const std::string& name, const Bytes& bytes, const std::string& code) {
    test::checkMalformed<FrontendDecoder>(fresh, name, bytes, code);
  };
  check("length below 8", WireBytes{}.i32(7).i32(80877103).b, "pgwire-bad-length");
  check("negative length", WireBytes{}.i32(-5).i32(196608).b, "pgwire-too-long");
  check("length over 10000", WireBytes{}.i32(10001).b, "pgwire-too-long");
  check("protocol 2.0", untyped(WireBytes{}.i32(131072).u8(0)), "pgwire-unsupported-version");
  check("protocol 4.0", untyped(WireBytes{}.i32(262144).u8(0)), "pgwire-unsupported-version");
  check("parameter without NUL", untyped(WireBytes{}.i32(196608).raw("user")),
        "pgwire-missing-nul");
  check("value without NUL", untyped(WireBytes{}.i32(196608).str("user").raw("bob")),
        "pgwire-missing-nul");
  check("no list terminator", untyped(WireBytes{}.i32(196608).str("user").str("bob")),
        "pgwire-missing-nul");
  check("bytes after the terminator",
        untyped(WireBytes{}.i32(196608).str("user").str("bob").u8(0).u8('x')),
        "pgwire-trailing-bytes");
  check("SSLRequest with a body", untyped(WireBytes{}.i32(80877103).i32(0)),
        "pgwire-trailing-bytes");
  check("CancelRequest short key", untyped(WireBytes{}.i32(80877102).i32(1).raw("ab")),
        "pgwire-bad-length");
  check("CancelRequest key over 256",
        untyped(WireBytes{}.i32(80877102).i32(1).raw(std::string(257, 'k'))), "pgwire-bad-length");
  check("CancelRequest without a process id", untyped(WireBytes{}.i32(80877102).raw("ab")),
        "pgwire-overrun");

  SUBCASE("the startup limit is configurable") {
    FrontendDecoder d(DecoderLimits{1u << 30, 16});
    d.feed(test::startupPacket());
    CHECK(d.next().error().code == "pgwire-too-long");
  }
}
// clang-format on

TEST_CASE("FrontendDecoder: malformed typed messages") {
  const auto check = [&](const std::string& name, const Bytes& bytes, const std::string& code) {
    test::checkMalformed<FrontendDecoder>(afterStartup, name, bytes, code);
  };
  check("length below 4", WireBytes{}.u8('Q').i32(3).b, "pgwire-bad-length");
  check("negative length", WireBytes{}.u8('Q').i32(-1).b, "pgwire-too-long");
  check("unknown type", WireBytes{}.u8('?').i32(4).b, "pgwire-unknown-type");
  check("backend type from a client", typed('Z', WireBytes{}.u8('I')), "pgwire-unknown-type");
  check("type 0", typed('\0'), "pgwire-unknown-type");
  check("Query without NUL", typed('Q', WireBytes{}.raw("SELECT 1")), "pgwire-missing-nul");
  check("Query with bytes after NUL", typed('Q', WireBytes{}.str("SELECT 1").raw("x")),
        "pgwire-trailing-bytes");
  check("Sync with a payload", typed('S', WireBytes{}.u8(0)), "pgwire-bad-length");
  check("Terminate with a payload", typed('X', WireBytes{}.i32(0)), "pgwire-bad-length");
  check("Parse count overruns", typed('P', WireBytes{}.str("").str("x").i16(3).i32(23)),
        "pgwire-overrun");
  check("Parse negative count", typed('P', WireBytes{}.str("").str("x").i16(-1)),
        "pgwire-bad-count");
  check("Bind value length overruns",
        typed('B', WireBytes{}.str("").str("").i16(0).i16(1).i32(100).raw("abc").i16(0)),
        "pgwire-overrun");
  check("Bind value length below -1",
        typed('B', WireBytes{}.str("").str("").i16(0).i16(1).i32(-2).i16(0)), "pgwire-bad-length");
  check("Bind missing result formats", typed('B', WireBytes{}.str("").str("").i16(0).i16(0)),
        "pgwire-overrun");
  check("Bind format count overruns", typed('B', WireBytes{}.str("").str("").i16(5).i16(0)),
        "pgwire-overrun");
  check("Describe bad kind", typed('D', WireBytes{}.u8('X').str("s")), "pgwire-bad-value");
  check("Close bad kind", typed('C', WireBytes{}.u8('s').str("s")), "pgwire-bad-value");
  check("Execute without max rows", typed('E', WireBytes{}.str("p")), "pgwire-overrun");
  check("FunctionCall arg count overruns",
        typed('F', WireBytes{}.i32(1).i16(0).i16(2).i32(-1).i16(0)), "pgwire-overrun");
  check("CopyFail without NUL", typed('f', WireBytes{}.raw("oops")), "pgwire-missing-nul");

  SUBCASE("the message limit is configurable and applies before the payload arrives") {
    FrontendDecoder d(DecoderLimits{64, 10000});
    d.feed(test::startupPacket());
    REQUIRE(d.next().isReady());
    d.feed(WireBytes{}.u8('Q').i32(65).b);
    auto r = d.next();
    REQUIRE(r.isError());
    CHECK(r.error().code == "pgwire-too-long");
  }
  SUBCASE("the default limit is 1 GiB") {
    FrontendDecoder d = afterStartup();
    d.feed(WireBytes{}.u8('d').i32((1 << 30) + 1).b);
    CHECK(d.next().error().code == "pgwire-too-long");
    FrontendDecoder ok = afterStartup();
    ok.feed(WireBytes{}.u8('d').i32(1 << 30).b);
    CHECK(ok.next().isNeedMoreData());
  }
  SUBCASE("errors say where the frame starts in the stream") {
    FrontendDecoder d = afterStartup();
    d.feed(concat({typed('S'), typed('Q', WireBytes{}.raw("x"))}));
    REQUIRE(d.next().isReady());
    auto r = d.next();
    REQUIRE(r.isError());
    REQUIRE(!r.error().notes.empty());
    const std::string where = "byte " + std::to_string(test::startupPacket().size() + 5);
    CHECK(r.error().notes[0].find(where) != std::string::npos);
  }
}

TEST_CASE("Frontend encoders: strings with NUL are cut, not corrupting the frame") {
  Bytes out;
  encode(Query{std::string("SELECT 1\0; DROP", 15)}, out);
  CHECK(out == typed('Q', WireBytes{}.str("SELECT 1")));
  CHECK(messageName(FrontendMessage(Parse{})) == "Parse");
  CHECK(messageName(FrontendMessage(PasswordMessage{})) == "PasswordMessage");
}

}  // namespace
}  // namespace sqlwarden::pgwire
