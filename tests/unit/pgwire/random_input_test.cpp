// Random and mutated byte buffers fed to both decoders: no crash, no hang,
// and whatever is accepted re-encodes to exactly the bytes received.
#include <doctest/doctest.h>

#include <random>

#include "pgwire/backend_decoder.hpp"
#include "pgwire/error_builder.hpp"
#include "pgwire/frontend_decoder.hpp"
#include "wire_bytes.hpp"

namespace sqlwarden::pgwire {
namespace {

constexpr int kIterations = 100000;
constexpr uint32_t kSeed = 20240605;

// Well-formed frames to mutate, so the fuzzer gets past the framing into
// every message parser.
std::vector<Bytes> frontendSeeds() {
  std::vector<Bytes> seeds;
  const FrontendMessage messages[] = {
      Query{"SELECT 1"},
      Parse{"s", "SELECT $1", {23}},
      Bind{"p", "s", {1}, {toBytes("42"), std::nullopt}, {0}},
      Describe{TargetKind::Portal, "p"},
      Execute{"p", 10},
      Close{TargetKind::Statement, "s"},
      Sync{},
      CopyData{toBytes("x\n")},
      CopyFail{"no"},
      FunctionCall{1, {0}, {toBytes("a")}, 0},
      makeSaslInitialResponse("SCRAM-SHA-256", "n,,n=,r=abc"),
  };
  for (const auto& m : messages) {
    Bytes b;
    encode(m, b);
    seeds.push_back(std::move(b));
  }
  return seeds;
}

std::vector<Bytes> startupSeeds() {
  std::vector<Bytes> seeds{test::startupPacket()};
  for (const FrontendMessage& m : {FrontendMessage(SslRequest{}), FrontendMessage(GssEncRequest{}),
                                   FrontendMessage(CancelRequest{1, Bytes{1, 2, 3, 4}})}) {
    Bytes b;
    encode(m, b);
    seeds.push_back(std::move(b));
  }
  return seeds;
}

std::vector<Bytes> backendSeeds() {
  Authentication sasl;
  sasl.request = AuthRequest::Sasl;
  sasl.mechanisms = {"SCRAM-SHA-256"};
  Authentication md5;
  md5.request = AuthRequest::Md5Password;
  const BackendMessage messages[] = {
      sasl,
      md5,
      ParameterStatus{"a", "b"},
      BackendKeyData{1, Bytes{1, 2, 3, 4}},
      ReadyForQuery{TransactionStatus::Idle},
      RowDescription{{{"id", 1, 1, 23, 4, -1, 0}}},
      DataRow{{toBytes("1"), std::nullopt}},
      CommandComplete{"SELECT 1"},
      ErrorBuilder("ERROR", "42501", "no").error(),
      ParameterDescription{{23}},
      CopyOutResponse{{0, {0, 1}}},
      NotificationResponse{1, "c", "p"},
      NegotiateProtocolVersion{0, {"_pq_.x"}},
      FunctionCallResponse{toBytes("r")},
  };
  std::vector<Bytes> seeds;
  for (const auto& m : messages) {
    Bytes b;
    encode(m, b);
    seeds.push_back(std::move(b));
  }
  return seeds;
}

// A random buffer: pure noise, or seed frames with a few bytes changed,
// inserted or cut off.
Bytes randomBuffer(std::mt19937& rng, const std::vector<Bytes>& seeds) {
  std::uniform_int_distribution<int> byte(0, 255);
  Bytes b;
  if (rng() % 4 == 0) {
    const std::size_t n = rng() % 64;
    for (std::size_t i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(byte(rng)));
    return b;
  }
  const std::size_t frames = 1 + rng() % 3;
  for (std::size_t i = 0; i < frames; ++i) {
    const Bytes& s = seeds[rng() % seeds.size()];
    b.insert(b.end(), s.begin(), s.end());
  }
  const std::size_t edits = rng() % 4;
  for (std::size_t i = 0; i < edits && !b.empty(); ++i) {
    const std::size_t at = rng() % b.size();
    switch (rng() % 4) {
      case 0:
        b[at] = static_cast<uint8_t>(byte(rng));
        break;
      case 1:
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), static_cast<uint8_t>(byte(rng)));
        break;
      case 2:
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      default:
        b.resize(at);
        break;
    }
  }
  return b;
}

// Feeds `input` in random chunks and decodes until the decoder wants more or
// fails. Every Ready must consume bytes (so the loop ends) and re-encode to
// its raw bytes.
template <class Decoder>
void drive(Decoder& d, const Bytes& input, std::mt19937& rng) {
  std::size_t fed = 0;
  std::size_t steps = 0;
  while (true) {
    REQUIRE(++steps <= 2 * input.size() + 4);
    auto r = d.next();
    if (r.isError()) {
      CHECK(!r.error().message.empty());
      return;
    }
    if (r.isReady()) {
      if (!r.raw().empty()) {
        Bytes again;
        encode(r.message(), again);
        REQUIRE(again == r.raw());
      }
      continue;
    }
    if (fed == input.size()) return;
    const std::size_t n = std::min<std::size_t>(input.size() - fed, 1 + rng() % 16);
    d.feed(ByteView(input).subspan(fed, n));
    fed += n;
  }
}

TEST_CASE("FrontendDecoder: 100k random and mutated buffers") {
  std::mt19937 rng(kSeed);
  const auto typed_seeds = frontendSeeds();
  const auto startup_seeds = startupSeeds();
  for (int i = 0; i < kIterations; ++i) {
    const bool in_startup = i % 2 == 0;
    const Bytes input = randomBuffer(rng, in_startup ? startup_seeds : typed_seeds);
    CAPTURE(i);
    FrontendDecoder d(DecoderLimits{1 << 16, 10000});
    if (!in_startup) {
      d.feed(test::startupPacket());
      REQUIRE(d.next().isReady());
    }
    drive(d, input, rng);
  }
}

TEST_CASE("BackendDecoder: 100k random and mutated buffers") {
  std::mt19937 rng(kSeed + 1);
  const auto seeds = backendSeeds();
  for (int i = 0; i < kIterations; ++i) {
    const Bytes input = randomBuffer(rng, seeds);
    CAPTURE(i);
    BackendDecoder d(DecoderLimits{1 << 16, 10000});
    if (i % 8 == 0) d.expectSslResponse();
    drive(d, input, rng);
  }
}

}  // namespace
}  // namespace sqlwarden::pgwire
