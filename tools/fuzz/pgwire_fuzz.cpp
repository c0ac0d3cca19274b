// libFuzzer target for the PostgreSQL wire codec (src/pgwire): both decoders
// fed in arbitrary chunks, the context-dependent 'p' parsers, SCRAM as a
// server and as a client, verifiers and base64. Any crash, sanitizer report
// or failed check is a finding. Checks:
//  - every accepted message re-encodes to exactly the bytes received;
//  - once a decoder reports an error, it keeps reporting it (terminal state);
//  - decoding does not depend on how the stream was cut into reads.
//
// Build and run (clang only; the codec needs no ANTLR):
//   bash tools/fuzz/build_pgwire.sh
//   build/fuzz/pgwire_fuzz -max_total_time=600 build/fuzz/pgwire_corpus
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "pgwire/backend_decoder.hpp"
#include "pgwire/base64.hpp"
#include "pgwire/frontend_decoder.hpp"
#include "pgwire/scram.hpp"
#include "pgwire/scram_client.hpp"
#include "pgwire/scram_server.hpp"

namespace pg = sqlwarden::pgwire;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// Small limits so that the length checks are reached by short inputs too.
constexpr pg::DecoderLimits kLimits{4096, 512};

// Decodes `stream` fed in pieces whose sizes come from `cuts`; returns the
// frames accepted (raw bytes) and whether it ended in an error.
template <class Decoder>
std::pair<std::vector<pg::Bytes>, bool> decodeAll(Decoder& decoder, pg::ByteView stream, pg::ByteView cuts) {
  std::vector<pg::Bytes> frames;
  size_t pos = 0, cut = 0;
  bool failed = false;
  while (pos < stream.size() && !failed) {
    size_t n = cuts.empty() ? stream.size() : 1 + cuts[cut++ % cuts.size()] % 64;
    if (n > stream.size() - pos) n = stream.size() - pos;
    decoder.feed(stream.subspan(pos, n));
    pos += n;
    for (;;) {
      auto r = decoder.next();
      if (r.isNeedMoreData()) break;
      if (r.isError()) {
        failed = true;
        auto again = decoder.next();  // terminal: the same error again
        check(again.isError() && again.error().code == r.error().code);
        break;
      }
      pg::Bytes re;
      pg::encode(r.message(), re);
      if (!r.raw().empty()) check(re == r.raw());  // 'p' has no raw(): it is secret
      frames.push_back(r.raw().empty() ? re : r.raw());
    }
  }
  return {frames, failed};
}

void fuzzFrontend(pg::ByteView stream, pg::ByteView cuts) {
  pg::FrontendDecoder whole(kLimits), pieces(kLimits);
  auto a = decodeAll(whole, stream, {});
  auto b = decodeAll(pieces, stream, cuts);
  check(a.first == b.first && a.second == b.second);
}

void fuzzBackend(pg::ByteView stream, pg::ByteView cuts, bool ssl) {
  pg::BackendDecoder whole(kLimits), pieces(kLimits);
  if (ssl) {
    whole.expectSslResponse();
    pieces.expectSslResponse();
  }
  auto a = decodeAll(whole, stream, {});
  auto b = decodeAll(pieces, stream, cuts);
  check(a.first == b.first && a.second == b.second);
}

void fuzzPasswordParsers(pg::ByteView payload) {
  pg::PasswordMessage m;
  m.payload.assign(payload.begin(), payload.end());
  (void)pg::parsePassword(m);
  auto initial = pg::parseSaslInitialResponse(m);
  if (initial) {
    pg::PasswordMessage again = pg::makeSaslInitialResponse(
        initial->mechanism, initial->data ? std::optional<std::string_view>(pg::asText(*initial->data)) : std::nullopt);
    check(pg::parseSaslInitialResponse(again).value() == initial.value());
  }
}

void fuzzScram(std::string_view text) {
  // One cheap verifier (1 iteration) for the whole run.
  static const pg::ScramVerifier verifier =
      pg::makeScramVerifier("pencil", pg::ByteView(reinterpret_cast<const uint8_t*>("0123456789abcdef"), 16), 1);
  const size_t nl = text.find('\n');
  const std::string_view first = text.substr(0, nl);
  const std::string_view rest = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);

  // As a server: client-first then client-final from the input.
  pg::Bytes end_point(32, 0x42);
  pg::ScramServer server(verifier, "serverNonce0123456789", end_point);
  for (const char* mech : {"SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"}) {
    pg::ScramServer s = server;
    if (s.handleClientFirst(mech, first)) (void)s.handleClientFinal(rest);
  }
  // As a client: server-first then server-final from the input. The client
  // does not cap the server's iteration count (the upstream is configured,
  // not hostile), so inputs asking for a large one are skipped: they are
  // slow, not interesting.
  bool cheap = true;
  for (size_t at = first.find("i="); at != std::string_view::npos; at = first.find("i=", at + 1)) {
    const size_t digits_end = std::min(first.find_first_not_of("0123456789", at + 2), first.size());
    cheap &= digits_end - (at + 2) < 5;
  }
  if (cheap) {
    pg::ScramClient client("pencil", "clientNonce", "");
    if (client.handleServerFirst(first)) (void)client.verifyServerFinal(rest);
  }

  // Verifiers and base64 round trips.
  if (auto v = pg::parseScramVerifier(text)) check(pg::parseScramVerifier(pg::formatScramVerifier(*v)).value() == *v);
  // (base64Decode accepts non-zero bits in the last character before '=',
  // so the text need not come back exactly; the bytes must.)
  if (auto b = pg::base64Decode(text)) {
    const std::string again = pg::base64Encode(pg::ByteView(b->data(), b->size()));
    check(again.size() == text.size() && pg::base64Decode(again).value() == *b);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  // Byte 0 picks the target; byte 1 is how many of the following bytes say
  // where reads end (the rest is the stream).
  const uint8_t mode = data[0] % 5;
  size_t ncuts = data[1] % 16;
  if (ncuts > size - 2) ncuts = size - 2;
  const pg::ByteView cuts(data + 2, ncuts);
  const pg::ByteView body(data + 2 + ncuts, size - 2 - ncuts);
  switch (mode) {
    case 0: fuzzFrontend(body, cuts); break;
    case 1: fuzzBackend(body, cuts, false); break;
    case 2: fuzzBackend(body, cuts, true); break;
    case 3: fuzzPasswordParsers(body); break;
    case 4: fuzzScram(std::string_view(reinterpret_cast<const char*>(body.data()), body.size())); break;
  }
  return 0;
}
