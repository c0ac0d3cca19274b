#include "proxy/tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace sqlwarden::proxy {

namespace asio = boost::asio;

namespace {
Diagnostic tlsError(std::string message) { return Diagnostic::error("gateway-tls", std::move(message), Span{}); }
}  // namespace

Result<std::unique_ptr<asio::ssl::context>> makeServerTlsContext(const TlsConfig& config) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression |
                   asio::ssl::context::single_dh_use);
  if (config.mode == ClientTlsMode::Off) return ctx;
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(config.certificate, ec);
  if (ec) return tlsError("cannot use certificate " + config.certificate + ": " + ec.message());
  ctx->use_private_key_file(config.key, asio::ssl::context::pem, ec);
  if (ec) return tlsError("cannot use key " + config.key + ": " + ec.message());
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    return tlsError("the key " + config.key + " does not match the certificate " + config.certificate);
  return ctx;
}

Result<std::unique_ptr<asio::ssl::context>> makeUpstreamTlsContext(const UpstreamConfig& config) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  if (config.tls == UpstreamTlsMode::VerifyFull) {
    boost::system::error_code ec;
    ctx->load_verify_file(config.ca, ec);
    if (ec) return tlsError("cannot load upstream CA " + config.ca + ": " + ec.message());
    ctx->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
  } else {
    ctx->set_verify_mode(asio::ssl::verify_none);
  }
  return ctx;
}

std::optional<pgwire::Bytes> tlsServerEndPoint(X509* cert) {
  if (!cert) return std::nullopt;
  int md_nid = 0;
  if (X509_get_signature_info(cert, &md_nid, nullptr, nullptr, nullptr) != 1) return std::nullopt;
  const EVP_MD* md = nullptr;
  if (md_nid == NID_md5 || md_nid == NID_sha1) md = EVP_sha256();
  else md = EVP_get_digestbynid(md_nid);
  if (!md) return std::nullopt;
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, md, buf, &len) != 1) return std::nullopt;
  return pgwire::Bytes(buf, buf + len);
}

std::optional<pgwire::Bytes> serverCertificateEndPoint(asio::ssl::context& ctx) {
  return tlsServerEndPoint(SSL_CTX_get0_certificate(ctx.native_handle()));
}

}  // namespace sqlwarden::proxy
