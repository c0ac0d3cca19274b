// BackendDecoder, the backend encoders and ErrorBuilder on hand-built byte buffers.
// https://www.postgresql.org/docs/current/protocol-message-formats.html
#include "pgwire/backend_decoder.hpp"

#include <doctest/doctest.h>

#include "decoder_checks.hpp"
#include "pgwire/error_builder.hpp"
#include "wire_bytes.hpp"

namespace sqlwarden::pgwire {
namespace {

using test::concat;
using test::typed;
using test::WireBytes;
using BackendSample = test::Sample<BackendMessage>;

BackendDecoder fresh() {
  return BackendDecoder();
}

Authentication auth(AuthRequest request) {
  Authentication a;
  a.request = request;
  return a;
}

// Wire layouts keep one protocol field group per line.
// clang-format off
std::vector<BackendSample> samples() {
  std::vector<BackendSample> s;
  s.push_back({"AuthenticationOk", typed('R', WireBytes{}.i32(0)), auth(AuthRequest::Ok)});
  s.push_back({"AuthenticationKerberosV5", typed('R', WireBytes{}.i32(2)),
               auth(AuthRequest::KerberosV5)});
  s.push_back({"AuthenticationCleartextPassword", typed('R', WireBytes{}.i32(3)),
               auth(AuthRequest::CleartextPassword)});
  Authentication md5 = auth(AuthRequest::Md5Password);
  md5.md5_salt = {0x01, 0x02, 0xFE, 0xFF};
  s.push_back({"AuthenticationMD5Password",
               typed('R', WireBytes{}.i32(5).u8(1).u8(2).u8(0xFE).u8(0xFF)), md5});
  s.push_back({"AuthenticationGSS", typed('R', WireBytes{}.i32(7)), auth(AuthRequest::Gss)});
  Authentication gss_continue = auth(AuthRequest::GssContinue);
  gss_continue.data = toBytes("tok");
  s.push_back({"AuthenticationGSSContinue", typed('R', WireBytes{}.i32(8).raw("tok")),
               gss_continue});
  s.push_back({"AuthenticationSSPI", typed('R', WireBytes{}.i32(9)), auth(AuthRequest::Sspi)});
  Authentication sasl = auth(AuthRequest::Sasl);
  sasl.mechanisms = {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"};
  s.push_back({"AuthenticationSASL",
               typed('R', WireBytes{}.i32(10).str("SCRAM-SHA-256-PLUS").str("SCRAM-SHA-256").u8(0)),
               sasl});
  Authentication sasl_continue = auth(AuthRequest::SaslContinue);
  sasl_continue.data = toBytes("r=abc,s=QSXCR+Q6sek8bf92,i=4096");
  s.push_back({"AuthenticationSASLContinue",
               typed('R', WireBytes{}.i32(11).raw("r=abc,s=QSXCR+Q6sek8bf92,i=4096")),
               sasl_continue});
  Authentication sasl_final = auth(AuthRequest::SaslFinal);
  sasl_final.data = toBytes("v=xyz=");
  s.push_back({"AuthenticationSASLFinal", typed('R', WireBytes{}.i32(12).raw("v=xyz=")),
               sasl_final});
  s.push_back({"ParameterStatus", typed('S', WireBytes{}.str("server_version").str("15.8")),
               ParameterStatus{"server_version", "15.8"}});
  s.push_back({"BackendKeyData", typed('K', WireBytes{}.i32(31337).raw("\x01\x02\x03\x04")),
               BackendKeyData{31337, Bytes{1, 2, 3, 4}}});
  s.push_back({"ReadyForQuery idle", typed('Z', WireBytes{}.u8('I')),
               ReadyForQuery{TransactionStatus::Idle}});
  s.push_back({"ReadyForQuery in transaction", typed('Z', WireBytes{}.u8('T')),
               ReadyForQuery{TransactionStatus::InTransaction}});
  s.push_back({"ReadyForQuery failed", typed('Z', WireBytes{}.u8('E')),
               ReadyForQuery{TransactionStatus::Failed}});
  s.push_back({"RowDescription",
               typed('T', WireBytes{}
                              .i16(2)
                              .str("id").i32(16384).i16(1).i32(23).i16(4).i32(-1).i16(0)
                              .str("name").i32(0).i16(0).i32(25).i16(-1).i32(-1).i16(1)),
               RowDescription{{{"id", 16384, 1, 23, 4, -1, 0}, {"name", 0, 0, 25, -1, -1, 1}}}});
  s.push_back({"RowDescription empty", typed('T', WireBytes{}.i16(0)), RowDescription{}});
  s.push_back({"DataRow", typed('D', WireBytes{}.i16(3).i32(1).raw("1").i32(-1).i32(0)),
               DataRow{{toBytes("1"), std::nullopt, Bytes{}}}});
  s.push_back({"CommandComplete", typed('C', WireBytes{}.str("SELECT 3")),
               CommandComplete{"SELECT 3"}});
  ErrorResponse error;
  error.fields = {{'S', "ERROR"}, {'V', "ERROR"}, {'C', "42501"}, {'M', "permission denied"},
                  {'H', "ask"}};
  s.push_back({"ErrorResponse",
               typed('E', WireBytes{}
                              .u8('S').str("ERROR").u8('V').str("ERROR").u8('C').str("42501")
                              .u8('M').str("permission denied").u8('H').str("ask").u8(0)),
               error});
  NoticeResponse notice;
  notice.fields = {{'S', "NOTICE"}, {'M', "hi"}};
  s.push_back({"NoticeResponse",
               typed('N', WireBytes{}.u8('S').str("NOTICE").u8('M').str("hi").u8(0)), notice});
  s.push_back({"ParseComplete", typed('1'), ParseComplete{}});
  s.push_back({"BindComplete", typed('2'), BindComplete{}});
  s.push_back({"CloseComplete", typed('3'), CloseComplete{}});
  s.push_back({"NoData", typed('n'), NoData{}});
  s.push_back({"ParameterDescription", typed('t', WireBytes{}.i16(2).i32(23).i32(25)),
               ParameterDescription{{23, 25}}});
  s.push_back({"PortalSuspended", typed('s'), PortalSuspended{}});
  s.push_back({"EmptyQueryResponse", typed('I'), EmptyQueryResponse{}});
  CopyInResponse copy_in;
  copy_in.column_formats = {0, 0};
  s.push_back({"CopyInResponse", typed('G', WireBytes{}.u8(0).i16(2).i16(0).i16(0)), copy_in});
  CopyOutResponse copy_out;
  copy_out.overall_format = 1;
  copy_out.column_formats = {1};
  s.push_back({"CopyOutResponse", typed('H', WireBytes{}.u8(1).i16(1).i16(1)), copy_out});
  s.push_back({"CopyBothResponse", typed('W', WireBytes{}.u8(0).i16(0)), CopyBothResponse{}});
  s.push_back({"CopyData", typed('d', WireBytes{}.raw("a\tb\n")), CopyData{toBytes("a\tb\n")}});
  s.push_back({"CopyDone", typed('c'), CopyDone{}});
  s.push_back({"NotificationResponse", typed('A', WireBytes{}.i32(99).str("jobs").str("42")),
               NotificationResponse{99, "jobs", "42"}});
  s.push_back({"NegotiateProtocolVersion",
               typed('v', WireBytes{}.i32(0).i32(2).str("_pq_.a").str("_pq_.b")),
               NegotiateProtocolVersion{0, {"_pq_.a", "_pq_.b"}}});
  s.push_back({"FunctionCallResponse", typed('V', WireBytes{}.i32(2).raw("ok")),
               FunctionCallResponse{toBytes("ok")}});
  s.push_back({"FunctionCallResponse NULL", typed('V', WireBytes{}.i32(-1)),
               FunctionCallResponse{std::nullopt}});
  return s;
}
// clang-format on

TEST_CASE("BackendDecoder: every message decodes and re-encodes to the same bytes") {
  for (const auto& s : samples()) test::checkRoundTrip<BackendDecoder>(fresh, s);
}

TEST_CASE("BackendDecoder: a frame split at every byte position") {
  for (const auto& s : samples()) test::checkEverySplit<BackendDecoder>(fresh, s);
}

TEST_CASE("BackendDecoder: frames back to back in one buffer and byte by byte") {
  test::checkBackToBack<BackendDecoder>(fresh, samples());
}

TEST_CASE("BackendDecoder: the one-byte answer to SSLRequest") {
  SUBCASE("accepted") {
    BackendDecoder d;
    d.expectSslResponse();
    CHECK(d.next().isNeedMoreData());
    d.feed(Bytes{'S'});
    auto r = d.next();
    REQUIRE(r.isReady());
    CHECK(std::get<SslResponse>(r.message()).accepted);
    CHECK(r.raw() == Bytes{'S'});
    CHECK(d.pending().empty());
  }
  SUBCASE("declined, then typed messages") {
    BackendDecoder d;
    d.expectSslResponse();
    d.feed(concat({Bytes{'N'}, typed('R', WireBytes{}.i32(0))}));
    auto r = d.next();
    REQUIRE(r.isReady());
    CHECK(!std::get<SslResponse>(r.message()).accepted);
    Bytes again;
    encode(r.message(), again);
    CHECK(again == Bytes{'N'});
    CHECK(std::get<Authentication>(d.next().message()).request == AuthRequest::Ok);
  }
  SUBCASE("an ErrorResponse instead") {
    BackendDecoder d;
    d.expectSslResponse();
    d.feed(typed('E', WireBytes{}.u8('M').str("no").u8(0)));
    auto r = d.next();
    REQUIRE(r.isReady());
    CHECK(std::get<ErrorResponse>(r.message()).message() == "no");
  }
  SUBCASE("bytes after 'S' are visible as pending") {
    BackendDecoder d;
    d.expectSslResponse();
    d.feed(Bytes{'S', 0x16, 0x03});
    REQUIRE(d.next().isReady());
    CHECK(d.pending().size() == 2);
  }
}

// Wire layouts keep one protocol field group per line.
// clang-format off
TEST_CASE("BackendDecoder: malformed messages") {
  const auto check = [&](const std::string& name, const Bytes& bytes, const std::string& code) {
    test::checkMalformed<BackendDecoder>(fresh, name, bytes, code);
  };
  check("length below 4", WireBytes{}.u8('Z').i32(0).b, "pgwire-bad-length");
  check("length over 1 GiB", WireBytes{}.u8('D').i32((1 << 30) + 1).b, "pgwire-too-long");
  check("unknown type", typed('q'), "pgwire-unknown-type");
  check("frontend type from a server", typed('Q', WireBytes{}.str("x")), "pgwire-unknown-type");
  check("unknown authentication request", typed('R', WireBytes{}.i32(6)), "pgwire-bad-value");
  check("authentication without a code", typed('R', WireBytes{}.u8(0)), "pgwire-overrun");
  check("AuthenticationOk with bytes", typed('R', WireBytes{}.i32(0).u8(0)),
        "pgwire-trailing-bytes");
  check("MD5 salt short", typed('R', WireBytes{}.i32(5).u8(1).u8(2)), "pgwire-overrun");
  check("SASL list unterminated", typed('R', WireBytes{}.i32(10).str("SCRAM-SHA-256")),
        "pgwire-missing-nul");
  check("ParameterStatus value without NUL", typed('S', WireBytes{}.str("a").raw("b")),
        "pgwire-missing-nul");
  check("BackendKeyData short key", typed('K', WireBytes{}.i32(1).raw("ab")),
        "pgwire-bad-length");
  check("ReadyForQuery bad status", typed('Z', WireBytes{}.u8('X')), "pgwire-bad-value");
  check("ReadyForQuery empty", typed('Z'), "pgwire-overrun");
  check("RowDescription count overruns", typed('T', WireBytes{}.i16(2).str("a")),
        "pgwire-overrun");
  check("RowDescription field cut short",
        typed('T', WireBytes{}.i16(1).str("id").i32(0).i16(0).i32(23).i16(4).i32(-1).u8(0)),
        "pgwire-overrun");
  check("DataRow count overruns", typed('D', WireBytes{}.i16(100).i32(-1)), "pgwire-overrun");
  check("DataRow negative count", typed('D', WireBytes{}.i16(-3)), "pgwire-bad-count");
  check("DataRow value overruns", typed('D', WireBytes{}.i16(1).i32(10).raw("abc")),
        "pgwire-overrun");
  check("DataRow value length -2", typed('D', WireBytes{}.i16(1).i32(-2)), "pgwire-bad-length");
  check("DataRow with trailing bytes", typed('D', WireBytes{}.i16(0).u8(1)),
        "pgwire-trailing-bytes");
  check("CommandComplete without NUL", typed('C', WireBytes{}.raw("SELECT 1")),
        "pgwire-missing-nul");
  check("ErrorResponse unterminated", typed('E', WireBytes{}.u8('M').str("x")), "pgwire-overrun");
  check("ErrorResponse value without NUL", typed('E', WireBytes{}.u8('M').raw("x")),
        "pgwire-missing-nul");
  check("ParseComplete with a payload", typed('1', WireBytes{}.u8(0)), "pgwire-bad-length");
  check("ParameterDescription count overruns", typed('t', WireBytes{}.i16(2).i32(23)),
        "pgwire-overrun");
  check("CopyInResponse formats overrun", typed('G', WireBytes{}.u8(0).i16(3).i16(0)),
        "pgwire-overrun");
  check("NotificationResponse cut short", typed('A', WireBytes{}.i32(1).str("chan")),
        "pgwire-missing-nul");
  check("NegotiateProtocolVersion huge count",
        typed('v', WireBytes{}.i32(0).i32(0x7FFFFFFF).str("x")), "pgwire-overrun");
  check("NegotiateProtocolVersion negative count", typed('v', WireBytes{}.i32(0).i32(-1)),
        "pgwire-bad-count");
  check("FunctionCallResponse overruns", typed('V', WireBytes{}.i32(5).raw("ab")),
        "pgwire-overrun");
}
// clang-format on

// Wire layouts keep one protocol field group per line.
// clang-format off
TEST_CASE("ErrorBuilder: the fields PostgreSQL sends, in order") {
  const ErrorResponse e =
      ErrorBuilder("ERROR", sqlstate::kInsufficientPrivilege, "permission denied for table t")
          .detail("policy ai-agents denies DELETE")
          .hint("ask for approval")
          .position(8)
          .table("t")
          .error();
  CHECK(e.sqlstate() == "42501");
  CHECK(e.message() == "permission denied for table t");
  CHECK(e.severity() == "ERROR");
  CHECK(e.field('D') == "policy ai-agents denies DELETE");
  CHECK(e.field('Z').empty());
  Bytes out;
  encode(e, out);
  CHECK(out == typed('E', WireBytes{}
                              .u8('S').str("ERROR")
                              .u8('V').str("ERROR")
                              .u8('C').str("42501")
                              .u8('M').str("permission denied for table t")
                              .u8('D').str("policy ai-agents denies DELETE")
                              .u8('H').str("ask for approval")
                              .u8('P').str("8")
                              .u8('t').str("t")
                              .u8(0)));

  const NoticeResponse n = ErrorBuilder("NOTICE", sqlstate::kSuccessfulCompletion,
                                        "approval request 17 is waiting")
                               .add(0, "ignored")
                               .line(3)
                               .notice();
  out.clear();
  encode(n, out);
  BackendDecoder d;
  const auto decoded = std::get<NoticeResponse>(test::decodeOne(d, out));
  CHECK(decoded == n);
  CHECK(decoded.field('L') == "3");
  CHECK(decoded.fields.size() == 5);
}
// clang-format on

TEST_CASE("Backend messages: names for logs") {
  CHECK(messageName(BackendMessage(auth(AuthRequest::SaslContinue))) ==
        "AuthenticationSASLContinue");
  CHECK(messageName(BackendMessage(DataRow{})) == "DataRow");
  CHECK(messageName(BackendMessage(FunctionCallResponse{})) == "FunctionCallResponse");
}

}  // namespace
}  // namespace sqlwarden::pgwire
