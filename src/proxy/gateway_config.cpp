#include "proxy/gateway_config.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include "pgwire/scram.hpp"
#include "proxy/https_get.hpp"

namespace sqlwarden::proxy {

const LocalUserConfig* GatewayConfig::findUser(std::string_view name) const {
  for (const LocalUserConfig& u : users)
    if (u.name == name) return &u;
  return nullptr;
}

namespace {

// --- Lexer: the conventions of docs/rules.md "Lexical rules" ----------------

struct Token {
  enum class Kind { End, Word, String, Number, Punct, Bad };
  Kind kind = Kind::End;
  std::string text;  // decoded text for strings
  Span span;
};

std::string describe(const Token& t) {
  switch (t.kind) {
    case Token::Kind::End: return "end of file";
    case Token::Kind::String: return "string \"" + t.text + "\"";
    case Token::Kind::Bad: return t.text;
    default: return "'" + t.text + "'";
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Token next() {
    skipBlanksAndComments();
    Token t;
    const uint32_t start = pos_;
    if (pos_ >= s_.size()) {
      t.span = {start, start};
      return t;
    }
    const char c = s_[pos_];
    if (isWordStart(c)) {
      while (pos_ < s_.size() && isWordChar(s_[pos_])) ++pos_;
      t.kind = Token::Kind::Word;
    } else if (c >= '0' && c <= '9') {
      // A number may carry a unit: 10s, 500ms, 16MB.
      while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || isWordStart(s_[pos_]))) ++pos_;
      t.kind = Token::Kind::Number;
    } else if (c == '"') {
      return string(start);
    } else if (c == '{' || c == '}' || c == ';' || c == ',' || c == '=') {
      ++pos_;
      t.kind = Token::Kind::Punct;
    } else {
      ++pos_;
      t.kind = Token::Kind::Bad;
      t.text = std::string("unexpected character '") + c + "'";
      t.span = {start, pos_};
      return t;
    }
    t.text = std::string(s_.substr(start, pos_ - start));
    t.span = {start, pos_};
    return t;
  }

 private:
  static bool isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  static bool isWordChar(char c) { return isWordStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

  void skipBlanksAndComments() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Token string(uint32_t start) {
    Token t;
    t.kind = Token::Kind::String;
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') break;
      ++pos_;
      if (c == '"') {
        t.span = {start, pos_};
        return t;
      }
      if (c == '\\') {
        if (pos_ < s_.size() && (s_[pos_] == '"' || s_[pos_] == '\\')) {
          t.text += s_[pos_++];
          continue;
        }
        t.kind = Token::Kind::Bad;
        t.text = "invalid escape in string: only \\\" and \\\\ are allowed";
        t.span = {pos_ - 1, pos_ + 1};
        return t;
      }
      t.text += c;
    }
    t.kind = Token::Kind::Bad;
    t.text = "unterminated string (strings end on the line they start)";
    t.span = {start, pos_};
    return t;
  }

  std::string_view s_;
  uint32_t pos_ = 0;
};

// --- Parser ---------------------------------------------------------------------

class ConfigParser {
 public:
  ConfigParser(std::string_view text, std::string base_dir) : lexer_(text), base_dir_(std::move(base_dir)) {
    advance();
  }

  GatewayConfigResult run() {
    GatewayConfigResult result;
    GatewayConfig config;
    if (parseFile(config)) check(config);
    result.diagnostics = std::move(diags_);
    bool has_error = false;
    for (const Diagnostic& d : result.diagnostics) has_error |= d.severity == Severity::Error;
    if (!has_error) result.config = std::move(config);
    return result;
  }

 private:
  // A syntax error stops the parse: one precise message beats a cascade.
  struct Stop {};

  void advance() { tok_ = lexer_.next(); }

  [[noreturn]] void syntaxError(const std::string& message, std::vector<std::string> notes = {}) {
    Diagnostic d = Diagnostic::error("gateway-syntax", message, tok_.span);
    if (tok_.kind == Token::Kind::Bad) d.message = tok_.text;
    d.notes = std::move(notes);
    diags_.push_back(std::move(d));
    throw Stop{};
  }
  void error(const std::string& code, const std::string& message, Span span) {
    diags_.push_back(Diagnostic::error(code, message, span));
  }

  bool isWord(std::string_view w) const { return tok_.kind == Token::Kind::Word && tok_.text == w; }
  bool isPunct(char c) const { return tok_.kind == Token::Kind::Punct && tok_.text[0] == c; }

  void expectPunct(char c, const std::string& context) {
    if (!isPunct(c)) syntaxError(std::string("expected '") + c + "' " + context + ", found " + describe(tok_));
    advance();
  }
  std::string expectString(const std::string& what, Span* span = nullptr) {
    if (tok_.kind != Token::Kind::String) syntaxError("expected " + what + " (a double-quoted string), found " + describe(tok_));
    std::string s = tok_.text;
    if (span) *span = tok_.span;
    advance();
    return s;
  }
  std::vector<std::string> expectStringList(const std::string& what) {
    std::vector<std::string> out{expectString(what)};
    while (isPunct(',')) {
      advance();
      out.push_back(expectString(what));
    }
    return out;
  }
  std::string expectChoice(const std::vector<std::string>& choices, const std::string& what) {
    for (const std::string& c : choices) {
      if (isWord(c)) {
        advance();
        return c;
      }
    }
    std::string list;
    for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
    syntaxError("expected " + what + " (" + list + "), found " + describe(tok_));
  }
  uint64_t expectNumber(const std::string& what, uint64_t max) {
    if (tok_.kind != Token::Kind::Number) syntaxError("expected " + what + " (a number), found " + describe(tok_));
    uint64_t v = 0;
    for (char c : tok_.text) {
      if (c < '0' || c > '9') syntaxError("expected " + what + " (a plain number), found " + describe(tok_));
      v = v * 10 + (c - '0');
      if (v > max) syntaxError(what + " is too large (at most " + std::to_string(max) + ")");
    }
    advance();
    return v;
  }
  // 10s, 500ms, 2m, 1h; a bare 0 is allowed (none).
  std::chrono::milliseconds expectDuration(const std::string& what) {
    if (tok_.kind != Token::Kind::Number) syntaxError("expected " + what + " (a duration such as 10s or 500ms), found " + describe(tok_));
    size_t i = 0;
    uint64_t v = 0;
    while (i < tok_.text.size() && tok_.text[i] >= '0' && tok_.text[i] <= '9') {
      v = v * 10 + (tok_.text[i++] - '0');
      if (v > 100000000) syntaxError(what + " is too large");
    }
    const std::string unit = tok_.text.substr(i);
    uint64_t ms = 0;
    if (unit == "ms") ms = v;
    else if (unit == "s") ms = v * 1000;
    else if (unit == "m" || unit == "min") ms = v * 60000;
    else if (unit == "h") ms = v * 3600000;
    else if (unit.empty() && v == 0) ms = 0;
    else syntaxError("expected " + what + " with a unit (ms, s, m, h), found " + describe(tok_));
    advance();
    return std::chrono::milliseconds(ms);
  }
  uint64_t expectSize(const std::string& what) {
    if (tok_.kind != Token::Kind::Number) syntaxError("expected " + what + " (a size such as 16MB), found " + describe(tok_));
    size_t i = 0;
    uint64_t v = 0;
    while (i < tok_.text.size() && tok_.text[i] >= '0' && tok_.text[i] <= '9') {
      v = v * 10 + (tok_.text[i++] - '0');
      if (v > (1u << 30)) syntaxError(what + " is too large");
    }
    const std::string unit = tok_.text.substr(i);
    uint64_t mult = 1;
    if (unit == "kB" || unit == "KB") mult = 1024;
    else if (unit == "MB") mult = 1024 * 1024;
    else if (unit == "GB") mult = 1024 * 1024 * 1024;
    else if (!unit.empty()) syntaxError("expected " + what + " with a unit (kB, MB, GB) or none, found " + describe(tok_));
    if (v * mult > (1u << 30)) syntaxError(what + " is too large (at most 1GB, PostgreSQL's own limit)");
    advance();
    return v * mult;
  }
  void endStatement(const std::string& after) { expectPunct(';', "after " + after); }

  std::string path(const std::string& p) const {
    if (p.empty() || base_dir_.empty() || std::filesystem::path(p).is_absolute()) return p;
    return (std::filesystem::path(base_dir_) / p).lexically_normal().string();
  }

  // file = "version" "1" ";" { statement }
  bool parseFile(GatewayConfig& c) {
    try {
      if (!isWord("version")) syntaxError("expected 'version 1;' at the start of the file, found " + describe(tok_));
      advance();
      const Span vspan = tok_.span;
      if (expectNumber("the version", 1000) != 1) {
        error("gateway-version", "unsupported version: this sqlwarden reads version 1", vspan);
        throw Stop{};
      }
      endStatement("the version");
      while (tok_.kind != Token::Kind::End) statement(c);
      return true;
    } catch (const Stop&) {
      return false;
    }
  }

  void statement(GatewayConfig& c) {
    const Span start = tok_.span;
    if (isWord("listen")) {
      advance();
      do {
        if (isPunct(',')) advance();
        Span span;
        const std::string addr = expectString("a listen address \"host:port\"", &span);
        const size_t colon = addr.rfind(':');
        ListenAddress la;
        uint32_t port = 0;
        bool ok = colon != std::string::npos && colon > 0 && colon + 1 < addr.size();
        if (ok) {
          for (size_t i = colon + 1; i < addr.size(); ++i) {
            ok &= addr[i] >= '0' && addr[i] <= '9';
            port = port * 10 + (addr[i] - '0');
            ok &= port <= 65535;
          }
        }
        if (!ok) {
          error("gateway-address", "invalid listen address \"" + addr + "\": expected \"host:port\"", span);
        } else {
          la.host = addr.substr(0, colon);
          if (la.host.size() > 2 && la.host.front() == '[' && la.host.back() == ']')
            la.host = la.host.substr(1, la.host.size() - 2);
          la.port = static_cast<uint16_t>(port);
          c.listen.push_back(la);
        }
      } while (isPunct(','));
      endStatement("the listen addresses");
    } else if (isWord("tls")) {
      advance();
      block("tls", [&] { tlsStatement(c.tls); });
    } else if (isWord("upstream")) {
      advance();
      block("upstream", [&] { upstreamStatement(c.upstream); });
    } else if (isWord("identity_provider")) {
      advance();
      IdentityProviderConfig idp;
      idp.name = expectString("the identity provider's name");
      block("identity_provider", [&] { idpStatement(idp); });
      idp_spans_.push_back(start);
      c.identity_providers.push_back(std::move(idp));
    } else if (isWord("user")) {
      advance();
      LocalUserConfig u;
      Span name_span;
      u.name = expectString("the user's name", &name_span);
      user_spans_.push_back(name_span);
      block("user", [&] { userStatement(u); });
      c.users.push_back(std::move(u));
    } else if (isWord("policy")) {
      advance();
      for (std::string& p : expectStringList("a .rules file or folder")) c.policies.push_back(path(p));
      policy_span_ = start;
      endStatement("the policy files");
    } else if (isWord("audit")) {
      advance();
      block("audit", [&] { auditStatement(c.audit); });
    } else if (isWord("limits")) {
      advance();
      block("limits", [&] { limitsStatement(c.limits); });
    } else {
      syntaxError("expected a statement (listen, tls, upstream, identity_provider, user, policy, audit, limits), found " +
                  describe(tok_));
    }
  }

  template <class F>
  void block(const std::string& name, F&& body) {
    expectPunct('{', "to open the " + name + " block");
    while (!isPunct('}')) {
      if (tok_.kind == Token::Kind::End) syntaxError("expected '}' to close the " + name + " block, found end of file");
      body();
    }
    advance();
  }

  void tlsStatement(TlsConfig& t) {
    if (isWord("certificate")) {
      advance();
      t.certificate = path(expectString("the certificate file"));
      endStatement("the certificate file");
    } else if (isWord("key")) {
      advance();
      t.key = path(expectString("the key file"));
      endStatement("the key file");
    } else if (isWord("mode")) {
      advance();
      tls_mode_span_ = tok_.span;
      const std::string m = expectChoice({"required", "optional", "off"}, "a TLS mode");
      t.mode = m == "required" ? ClientTlsMode::Required : m == "optional" ? ClientTlsMode::Optional : ClientTlsMode::Off;
      tls_mode_set_ = true;
      endStatement("the TLS mode");
    } else {
      syntaxError("expected a tls setting (certificate, key, mode), found " + describe(tok_));
    }
  }

  void upstreamStatement(UpstreamConfig& u) {
    if (isWord("host")) {
      advance();
      u.host = expectString("the upstream host");
      endStatement("the host");
    } else if (isWord("port")) {
      advance();
      u.port = static_cast<uint16_t>(expectNumber("the port", 65535));
      endStatement("the port");
    } else if (isWord("database")) {
      advance();
      u.database = expectString("the database name");
      endStatement("the database");
    } else if (isWord("user")) {
      advance();
      u.user = expectString("the gateway's upstream user");
      endStatement("the user");
    } else if (isWord("password")) {
      advance();
      const std::string kind = expectChoice({"env", "file"}, "where the password comes from");
      u.password.kind = kind == "env" ? PasswordSource::Kind::Env : PasswordSource::Kind::File;
      u.password.name = expectString(kind == "env" ? "the environment variable's name" : "the password file");
      if (u.password.kind == PasswordSource::Kind::File) u.password.name = path(u.password.name);
      endStatement("the password source");
    } else if (isWord("tls")) {
      advance();
      const std::string m = expectChoice({"disable", "prefer", "require", "verify-full"}, "an upstream TLS mode");
      u.tls = m == "disable"   ? UpstreamTlsMode::Disable
              : m == "prefer"  ? UpstreamTlsMode::Prefer
              : m == "require" ? UpstreamTlsMode::Require
                               : UpstreamTlsMode::VerifyFull;
      upstream_tls_span_ = tok_.span;
      endStatement("the TLS mode");
    } else if (isWord("ca")) {
      advance();
      u.ca = path(expectString("the CA file"));
      endStatement("the CA file");
    } else if (isWord("connect_timeout")) {
      advance();
      u.connect_timeout = expectDuration("the connect timeout");
      endStatement("the connect timeout");
    } else if (isWord("catalog_timeout")) {
      advance();
      u.catalog_timeout = expectDuration("the catalog timeout");
      endStatement("the catalog timeout");
    } else {
      syntaxError("expected an upstream setting (host, port, database, user, password, tls, ca, connect_timeout, "
                  "catalog_timeout), found " +
                      describe(tok_),
                  {"the password itself never goes in this file: write password env \"VAR\"; or password file \"path\";"});
    }
  }

  void idpStatement(IdentityProviderConfig& p) {
    if (isWord("issuer")) {
      advance();
      p.issuer = expectString("the issuer (the token's iss)");
      endStatement("the issuer");
    } else if (isWord("audience")) {
      advance();
      p.audience = expectString("the audience (the token's aud)");
      endStatement("the audience");
    } else if (isWord("jwks")) {
      advance();
      p.jwks_file = path(expectString("the JWKS file"));
      endStatement("the JWKS file");
    } else if (isWord("jwks_url")) {
      advance();
      const Span at = tok_.span;
      p.jwks_url = expectString("the JWKS URL");
      if (auto url = parseHttpsUrl(p.jwks_url); !url) error("gateway-jwks-url", url.error().message, at);
      endStatement("the JWKS URL");
    } else if (isWord("jwks_ca")) {
      advance();
      p.jwks_ca = path(expectString("the CA file for the JWKS URL"));
      endStatement("the CA file");
    } else if (isWord("jwks_refresh")) {
      advance();
      p.jwks_refresh = std::chrono::duration_cast<std::chrono::seconds>(expectDuration("the JWKS refresh interval"));
      endStatement("the JWKS refresh interval");
    } else if (isWord("user_claim")) {
      advance();
      p.user_claim = expectString("the claim holding the user name");
      endStatement("the user claim");
    } else if (isWord("groups_claim")) {
      advance();
      p.groups_claim = expectString("the claim holding the groups");
      endStatement("the groups claim");
    } else if (isWord("claims")) {
      advance();
      for (std::string& s : expectStringList("a claim name")) p.claims.push_back(std::move(s));
      endStatement("the claim names");
    } else if (isWord("clock_skew")) {
      advance();
      p.clock_skew = std::chrono::duration_cast<std::chrono::seconds>(expectDuration("the clock skew"));
      endStatement("the clock skew");
    } else {
      syntaxError("expected an identity_provider setting (issuer, audience, jwks, jwks_url, jwks_ca, jwks_refresh, "
                  "user_claim, groups_claim, claims, clock_skew), found " +
                  describe(tok_));
    }
  }

  void userStatement(LocalUserConfig& u) {
    if (isWord("scram")) {
      advance();
      Span span;
      u.scram_verifier = expectString("a SCRAM verifier (sqlwarden passwd prints one)", &span);
      if (!pgwire::parseScramVerifier(u.scram_verifier)) {
        error("gateway-verifier",
              "invalid SCRAM verifier: expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>", span);
      }
      endStatement("the verifier");
    } else if (isWord("groups")) {
      advance();
      for (std::string& g : expectStringList("a group name")) u.groups.push_back(std::move(g));
      endStatement("the groups");
    } else if (isWord("claim")) {
      advance();
      std::string name = expectString("the claim's name");
      expectPunct('=', "between the claim's name and value");
      u.claims[name] = expectString("the claim's value");
      endStatement("the claim");
    } else {
      syntaxError("expected a user setting (scram, groups, claim), found " + describe(tok_),
                  {"users log in with SCRAM-SHA-256: store a verifier, never a password"});
    }
  }

  void auditStatement(AuditConfig& a) {
    if (isWord("file")) {
      advance();
      a.file = path(expectString("the audit database file"));
      endStatement("the audit file");
    } else if (isWord("durability")) {
      advance();
      a.strict = expectChoice({"strict", "fast"}, "a durability") == "strict";
      endStatement("the durability");
    } else if (isWord("on_failure")) {
      advance();
      a.refuse_on_failure = expectChoice({"refuse", "allow"}, "what to do when the store fails") == "refuse";
      endStatement("on_failure");
    } else if (isWord("approvals")) {
      advance();
      a.hold_approvals = expectChoice({"hold", "reject"}, "how statements needing approval are handled") == "hold";
      endStatement("approvals");
    } else if (isWord("approval_timeout")) {
      advance();
      a.approval_timeout = expectDuration("the approval timeout");
      endStatement("approval_timeout");
    } else if (isWord("results")) {
      advance();
      a.results = expectChoice({"on", "off"}, "whether result rows are recorded") == "on";
      endStatement("results");
    } else if (isWord("result_rows")) {
      advance();
      a.result_rows = static_cast<uint32_t>(expectNumber("the rows recorded per statement", 1000000));
      endStatement("result_rows");
    } else if (isWord("result_bytes")) {
      advance();
      a.result_bytes = static_cast<uint32_t>(expectNumber("the bytes recorded per statement", 1u << 30));
      endStatement("result_bytes");
    } else {
      syntaxError("expected an audit setting (file, durability, on_failure, approvals, approval_timeout, results, "
                  "result_rows, result_bytes), found " +
                  describe(tok_));
    }
  }

  void limitsStatement(LimitsConfig& l) {
    if (isWord("max_connections")) {
      advance();
      l.max_connections = static_cast<uint32_t>(expectNumber("the connection limit", 1000000));
      endStatement("max_connections");
    } else if (isWord("max_message_size")) {
      advance();
      l.max_message_size = static_cast<uint32_t>(expectSize("the message size limit"));
      endStatement("max_message_size");
    } else if (isWord("startup_timeout")) {
      advance();
      l.startup_timeout = expectDuration("the startup timeout");
      endStatement("startup_timeout");
    } else if (isWord("idle_timeout")) {
      advance();
      l.idle_timeout = expectDuration("the idle timeout");
      endStatement("idle_timeout");
    } else if (isWord("threads")) {
      advance();
      l.threads = static_cast<uint32_t>(expectNumber("the thread count", 1024));
      endStatement("threads");
    } else {
      syntaxError("expected a limits setting (max_connections, max_message_size, startup_timeout, idle_timeout, threads), found " +
                  describe(tok_));
    }
  }

  // Settings that only make sense together; reported at the closest place.
  void check(GatewayConfig& c) {
    const Span file_start{0, 0};
    if (c.listen.empty()) error("gateway-missing", "no listen address: add listen \"127.0.0.1:6432\";", file_start);
    if (c.upstream.database.empty()) error("gateway-missing", "the upstream block needs a database", file_start);
    if (c.upstream.user.empty()) error("gateway-missing", "the upstream block needs a user", file_start);
    if (c.tls.mode != ClientTlsMode::Off && (c.tls.certificate.empty() || c.tls.key.empty()))
      error("gateway-tls", "TLS mode required/optional needs both a certificate and a key", tls_mode_span_);
    if (!tls_mode_set_ && !c.tls.certificate.empty()) c.tls.mode = ClientTlsMode::Optional;
    if (c.upstream.tls == UpstreamTlsMode::VerifyFull && c.upstream.ca.empty())
      error("gateway-tls", "upstream tls verify-full needs a ca file", upstream_tls_span_);
    std::set<std::string> names;
    for (size_t i = 0; i < c.users.size(); ++i) {
      if (!names.insert(c.users[i].name).second)
        error("gateway-duplicate", "user \"" + c.users[i].name + "\" is defined twice", user_spans_[i]);
      else if (c.users[i].scram_verifier.empty())
        error("gateway-missing", "user \"" + c.users[i].name + "\" needs a scram verifier", user_spans_[i]);
    }
    for (size_t i = 0; i < c.identity_providers.size(); ++i) {
      const IdentityProviderConfig& p = c.identity_providers[i];
      if (p.issuer.empty() || p.audience.empty() || (p.jwks_file.empty() && p.jwks_url.empty()))
        error("gateway-missing", "identity_provider \"" + p.name + "\" needs issuer, audience and jwks (or jwks_url)",
              idp_spans_[i]);
      else if (!p.jwks_file.empty() && !p.jwks_url.empty())
        error("gateway-jwks", "identity_provider \"" + p.name + "\" has both jwks and jwks_url: keep one", idp_spans_[i]);
      else if (!p.jwks_ca.empty() && p.jwks_url.empty())
        error("gateway-jwks", "identity_provider \"" + p.name + "\" has jwks_ca without jwks_url", idp_spans_[i]);
      else if (!p.jwks_url.empty() && p.jwks_refresh.count() < 60)
        error("gateway-jwks", "identity_provider \"" + p.name + "\": jwks_refresh must be at least 1m", idp_spans_[i]);
    }
    if (c.policies.empty()) {
      Diagnostic d = Diagnostic::error("gateway-missing", "no policy files: every statement would be denied", file_start);
      d.severity = Severity::Warning;
      diags_.push_back(std::move(d));
    }
  }

  Lexer lexer_;
  Token tok_;
  std::string base_dir_;
  std::vector<Diagnostic> diags_;
  std::vector<Span> idp_spans_;
  std::vector<Span> user_spans_;
  Span policy_span_;
  Span tls_mode_span_;
  Span upstream_tls_span_;
  bool tls_mode_set_ = false;
};

}  // namespace

GatewayConfigResult parseGatewayConfig(std::string_view text, const std::string& base_dir) {
  return ConfigParser(text, base_dir).run();
}

GatewayConfigResult loadGatewayConfig(const std::string& path, std::string* text_out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    GatewayConfigResult r;
    r.diagnostics.push_back(Diagnostic::error("gateway-read", "cannot read " + path, Span{}));
    return r;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  const std::string base = std::filesystem::path(path).parent_path().string();
  GatewayConfigResult r = parseGatewayConfig(text, base.empty() ? "." : base);
  if (text_out) *text_out = std::move(text);
  return r;
}

bool isGatewayConfigPath(std::string_view path) {
  return path.size() > 5 && path.substr(path.size() - 5) == ".conf";
}

}  // namespace sqlwarden::proxy
