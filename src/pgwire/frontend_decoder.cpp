#include "pgwire/frontend_decoder.hpp"

namespace sqlwarden::pgwire {

DecodeResult<FrontendMessage> FrontendDecoder::next() {
  switch (phase_) {
    case Phase::Startup: {
      auto r = buffer_.decode<FrontendMessage>(
          FrameKind::Untyped, limits_.max_startup_length, nullptr,
          [](uint8_t, ByteView body) { return parseStartupPacket(body); });
      if (r.isReady()) {
        if (std::holds_alternative<StartupMessage>(r.message())) phase_ = Phase::Messages;
        if (std::holds_alternative<CancelRequest>(r.message())) phase_ = Phase::Closed;
      }
      return r;
    }
    case Phase::Messages:
      return buffer_.decode<FrontendMessage>(FrameKind::Typed, limits_.max_message_length,
                                             checkFrontendHeader, parseFrontendMessage, 'p');
    case Phase::Closed:
      if (buffer_.error()) return DecodeResult<FrontendMessage>::failure(*buffer_.error());
      if (buffer_.pending().empty()) return DecodeResult<FrontendMessage>::needMoreData();
      return DecodeResult<FrontendMessage>::failure(buffer_.fail(Diagnostic::error(
          "pgwire-after-cancel", "the client sent data after CancelRequest", Span{0, 1})));
  }
  return DecodeResult<FrontendMessage>::needMoreData();
}

}  // namespace sqlwarden::pgwire
