#pragma once
// Checks every decoder test applies to a sample message: decode, compare,
// re-encode, split at every byte, and run together with other frames.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pgwire/bytes.hpp"
#include "pgwire/decode_result.hpp"

namespace sqlwarden::pgwire::test {

/// One hand-built message and what it must decode to.
template <class Message>
struct Sample {
  std::string name;
  Bytes bytes;
  Message expected;
};

/// Feeds `bytes` in one piece and decodes one message; it must be Ready and
/// consume everything.
template <class Decoder>
auto decodeOne(Decoder& decoder, const Bytes& bytes) {
  decoder.feed(bytes);
  auto r = decoder.next();
  if (r.isError()) FAIL_CHECK(r.error().message);
  REQUIRE(r.isReady());
  CHECK(decoder.pending().empty());
  return r.message();
}

/// Decodes the sample whole, compares it with `expected`, checks raw() and
/// that encode() gives the same bytes back.
template <class Decoder, class MakeDecoder, class Message>
void checkRoundTrip(MakeDecoder make, const Sample<Message>& s, bool keeps_raw = true) {
  CAPTURE(s.name);
  Decoder d = make();
  d.feed(s.bytes);
  auto r = d.next();
  if (r.isError()) FAIL_CHECK(r.error().message);
  REQUIRE(r.isReady());
  CHECK(r.message() == s.expected);
  if (keeps_raw) CHECK(r.raw() == s.bytes);
  Bytes again;
  encode(r.message(), again);
  CHECK(again == s.bytes);
  CHECK(d.next().isNeedMoreData());
}

/// Splits the sample at every byte: before the last byte arrives the decoder
/// must ask for more, and after it the message must be the same.
template <class Decoder, class MakeDecoder, class Message>
void checkEverySplit(MakeDecoder make, const Sample<Message>& s) {
  CAPTURE(s.name);
  for (std::size_t cut = 0; cut < s.bytes.size(); ++cut) {
    CAPTURE(cut);
    Decoder d = make();
    d.feed(ByteView(s.bytes).first(cut));
    REQUIRE(d.next().isNeedMoreData());
    d.feed(ByteView(s.bytes).subspan(cut));
    auto r = d.next();
    if (r.isError()) FAIL_CHECK(r.error().message);
    REQUIRE(r.isReady());
    CHECK(r.message() == s.expected);
  }
}

/// Feeds all samples as one buffer, one byte at a time and all at once; they
/// must come out in order.
template <class Decoder, class MakeDecoder, class Message>
void checkBackToBack(MakeDecoder make, const std::vector<Sample<Message>>& samples) {
  Bytes all;
  for (const auto& s : samples) all.insert(all.end(), s.bytes.begin(), s.bytes.end());
  for (const bool bytewise : {false, true}) {
    CAPTURE(bytewise);
    Decoder d = make();
    std::size_t fed = 0;
    std::size_t i = 0;
    while (i < samples.size()) {
      auto r = d.next();
      if (r.isNeedMoreData()) {
        REQUIRE(fed < all.size());
        const std::size_t n = bytewise ? 1 : all.size() - fed;
        d.feed(ByteView(all).subspan(fed, n));
        fed += n;
        continue;
      }
      if (r.isError()) FAIL(samples[i].name << ": " << r.error().message);
      CHECK_MESSAGE(r.message() == samples[i].expected, samples[i].name);
      ++i;
    }
    CHECK(fed == all.size());
    CHECK(d.next().isNeedMoreData());
  }
}

/// Decodes `bytes` (fed after `prefix`, which must decode cleanly) and
/// expects a terminal error with `code`; a later next() repeats it, and
/// feeding more changes nothing.
template <class Decoder, class MakeDecoder>
void checkMalformed(MakeDecoder make, const std::string& name, const Bytes& bytes,
                    const std::string& code) {
  CAPTURE(name);
  Decoder d = make();
  d.feed(bytes);
  auto r = d.next();
  REQUIRE(r.isError());
  CHECK(r.error().code == code);
  INFO(r.error().message);
  d.feed(Bytes{'S', 0, 0, 0, 4});
  auto again = d.next();
  REQUIRE(again.isError());
  CHECK(again.error().message == r.error().message);
}

}  // namespace sqlwarden::pgwire::test
