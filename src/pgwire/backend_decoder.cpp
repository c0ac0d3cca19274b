#include "pgwire/backend_decoder.hpp"

namespace sqlwarden::pgwire {

DecodeResult<BackendMessage> BackendDecoder::next() {
  if (expect_ssl_response_ && !buffer_.error()) {
    // https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL
    const ByteView in = buffer_.pending();
    if (in.empty()) return DecodeResult<BackendMessage>::needMoreData();
    expect_ssl_response_ = false;
    if (in[0] == 'S' || in[0] == 'N') {
      return buffer_.decode<BackendMessage>(
          FrameKind::SingleByte, 1, nullptr,
          [](uint8_t type, ByteView) { return Result<BackendMessage>(SslResponse{type == 'S'}); });
    }
  }
  return buffer_.decode<BackendMessage>(FrameKind::Typed, limits_.max_message_length,
                                        checkBackendHeader, parseBackendMessage);
}

}  // namespace sqlwarden::pgwire
