// The parse driver: scans a script (scanner.hpp), splits it into statements by token,
// parses each statement in two stages (SLL with bail-out, then full LL), and
// hands the tree to the transformer. ANTLR's console listeners are replaced
// by one that records a Diagnostic in PostgreSQL's wording.
#include "sql/parser.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "SqlLexer.h"
#include "SqlParser.h"
#include "antlr4-runtime.h"
#include "sql/fingerprint.hpp"
#include "sql/parser/fast_atn.hpp"
#include "sql/parser/scanner.hpp"
#include "sql/parser/transform.hpp"

namespace sqlwarden::sql {

namespace {

using gen::SqlLexer;
using gen::SqlParser;

/// The token's text as PostgreSQL quotes it in "at or near": its first line.
std::string nearText(const antlr4::Token& token) {
  std::string text = token.getText();
  const size_t nl = text.find_first_of("\r\n");
  if (nl != std::string::npos) text.resize(nl);
  return text;
}

Span tokenSpan(const antlr4::Token& token) {
  return Span{static_cast<uint32_t>(token.getStartIndex()),
              static_cast<uint32_t>(token.getStopIndex() + 1)};
}

/// Records the first syntax error; later ones are consequences of it.
class ErrorCollector : public antlr4::BaseErrorListener {
 public:
  explicit ErrorCollector(uint32_t end_of_input) : end_of_input_(end_of_input) {}

  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    if (error_) return;
    if (offending == nullptr || offending->getType() == antlr4::Token::EOF) {
      error_ = Diagnostic::error("sql-syntax", "syntax error at end of input",
                                 Span{end_of_input_, end_of_input_});
    } else {
      error_ = Diagnostic::error("sql-syntax",
                                 "syntax error at or near \"" + nearText(*offending) + "\"",
                                 tokenSpan(*offending));
    }
  }

  const std::optional<Diagnostic>& error() const { return error_; }
  void reset() { error_.reset(); }

 private:
  uint32_t end_of_input_;
  std::optional<Diagnostic> error_;
};

/// Full-LL error handling: the runtime reports the first error to our
/// listener, then we stop. (Its recovery would also conjure "missing"
/// tokens, which needs a token source the scanner's tokens do not carry,
/// and later errors are only consequences of the first.)
class StopAtFirstError : public antlr4::DefaultErrorStrategy {
 public:
  antlr4::Token* recoverInline(antlr4::Parser* parser) override {
    throw antlr4::InputMismatchException(parser);
  }
  void recover(antlr4::Parser*, std::exception_ptr) override {
    throw antlr4::ParseCancellationException();
  }
};

/// A lexical error token becomes PostgreSQL's message for it.
std::optional<Diagnostic> lexicalError(const antlr4::Token& token) {
  const char* what = nullptr;
  switch (token.getType()) {
    case SqlLexer::UNTERMINATED_STRING: what = "unterminated quoted string"; break;
    case SqlLexer::UNTERMINATED_QUOTED_IDENT: what = "unterminated quoted identifier"; break;
    case SqlLexer::UNTERMINATED_DOLLAR_STRING: what = "unterminated dollar-quoted string"; break;
    case SqlLexer::UNTERMINATED_BLOCK_COMMENT: what = "unterminated /* comment"; break;
    case SqlLexer::QUOTED_IDENT:
    case SqlLexer::UNICODE_QUOTED_IDENT: {
      const std::string text = token.getText();
      if (text.size() >= 2 && text.substr(text.size() - 2) == "\"\"" &&
          (text == "\"\"" || text.size() == 4)) {
        // `""` or `U&""`: PostgreSQL rejects zero-length identifiers.
        if (text == "\"\"" || text[1] == '&') what = "zero-length delimited identifier";
      }
      break;
    }
    case SqlLexer::ERROR_CHAR: what = "syntax error"; break;
    default: break;
  }
  if (what == nullptr) return std::nullopt;
  return Diagnostic::error("sql-syntax",
                           std::string(what) + " at or near \"" + nearText(token) + "\"",
                           tokenSpan(token));
}

bool isVisible(const antlr4::Token& t) { return t.getChannel() == antlr4::Token::DEFAULT_CHANNEL; }

/// The statement fingerprint (fingerprint.hpp, fingerprintTokens) over
/// `tokens[begin, end)` of `sql`: visible tokens only; constants are `?`,
/// unquoted words (keywords and names) are lower-cased, quoted names and
/// everything else are taken as written, one space between tokens.
uint64_t tokenFingerprint(std::string_view sql, const std::vector<antlr4::Token*>& tokens, size_t begin,
                          size_t end) {
  uint64_t hash = kFingerprintBasis;
  bool first = true;
  for (size_t i = begin; i < end; ++i) {
    const antlr4::Token& t = *tokens[i];
    if (!isVisible(t) || t.getType() == SqlLexer::SEMI) continue;
    if (!first) hash = fingerprintStep(hash, ' ');
    first = false;
    switch (t.getType()) {
      case SqlLexer::INTEGER:
      case SqlLexer::NUMERIC:
      case SqlLexer::STRING:
      case SqlLexer::ESCAPE_STRING:
      case SqlLexer::NATIONAL_STRING:
      case SqlLexer::UNICODE_STRING:
      case SqlLexer::BIT_STRING:
      case SqlLexer::HEX_STRING:
        hash = fingerprintStep(hash, '?');
        continue;
      default:
        break;
    }
    const size_t start = t.getStartIndex();
    const size_t stop = t.getStopIndex() + 1;
    if (start >= sql.size() || stop > sql.size() || stop <= start) continue;
    const std::string_view text = sql.substr(start, stop - start);
    const bool word = t.getType() != SqlLexer::QUOTED_IDENT && t.getType() != SqlLexer::UNICODE_QUOTED_IDENT &&
                      t.getType() != SqlLexer::DOLLAR_STRING &&
                      (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_');
    // ASCII only, as std::tolower in the "C" locale the gateway runs in.
    for (char c : text)
      hash = fingerprintStep(hash, word && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return hash;
}

/// Upper-cases ASCII for keyword comparisons on raw token text.
bool tokenIs(const antlr4::Token& t, size_t type) { return t.getType() == type; }

}  // namespace

std::vector<std::unique_ptr<antlr4::Token>> eofOnly() {
  std::vector<std::unique_ptr<antlr4::Token>> v;
  v.push_back(std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF));
  return v;
}

/// This thread's DFA caches (see fast_atn.hpp), created on first use.
detail::ThreadCaches& threadCaches(const antlr4::atn::ATN& parser_atn) {
  thread_local std::unique_ptr<detail::ThreadCaches> caches;
  if (!caches) caches = std::make_unique<detail::ThreadCaches>(parser_atn);
  return *caches;
}

/// The scanner is immutable after construction and shared by all threads.
const detail::Scanner& scanner() {
  static const detail::Scanner instance;
  return instance;
}

struct Parser::Impl {
  explicit Impl(ParseLimits l) : limits(l), parser(&stream) {
    parser.removeErrorListeners();
    // Swap the runtime's simulator for one on this thread's caches.
    // setInterpreter() deletes the simulator it replaces, and the generated
    // destructor deletes the one held at the end.
    auto* simulator = new detail::FastParserSimulator(&parser, threadCaches(parser.getATN()));
    simulator->setTokenVectorStream(&stream);
    parser.setInterpreter(simulator);
  }

  ParseLimits limits;
  detail::ByteCharStream input;
  /// What the stream reads between statements (ListTokenSource refuses an
  /// empty list, so it holds just EOF).
  antlr4::ListTokenSource empty_source{eofOnly()};
  detail::TokenVectorStream stream;
  SqlParser parser;

  /// Lexes the whole script; every token, hidden ones included. Token text
  /// is read from `sql` lazily: it must outlive the tokens.
  std::vector<antlr4::Token*> lex(std::string_view sql) {
    input.load(sql);
    const size_t n = scanner().scan(sql, &input, token_pool);
    std::vector<antlr4::Token*> out(n);
    for (size_t i = 0; i < n; ++i) out[i] = token_pool[i].get();
    return out;
  }

  /// The EOF token that ends every statement the parser reads.
  antlr4::CommonToken eof_token{std::pair<antlr4::TokenSource*, antlr4::CharStream*>{nullptr, &input},
                                antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, 0, 0};
  /// Token objects reused from one script to the next.
  std::vector<std::unique_ptr<antlr4::CommonToken>> token_pool;
  void trimPool();

  /// Statement boundaries: indices [begin, end) into `tokens` for each
  /// statement, split at `;` outside parentheses and outside the body of a
  /// `BEGIN ATOMIC ... END` function body.
  static std::vector<std::pair<size_t, size_t>> split(
      const std::vector<antlr4::Token*>& tokens) {
    std::vector<std::pair<size_t, size_t>> out;
    size_t begin = 0;
    int parens = 0;
    int atomic_depth = 0;  // > 0 inside BEGIN ATOMIC; counts CASE/BEGIN ... END
    const antlr4::Token* prev = nullptr;
    for (size_t i = 0; i < tokens.size(); ++i) {
      const antlr4::Token& t = *tokens[i];
      if (!isVisible(t)) continue;
      switch (t.getType()) {
        case SqlLexer::LPAREN:
        case SqlLexer::LBRACKET: ++parens; break;
        case SqlLexer::RPAREN:
        case SqlLexer::RBRACKET: parens = std::max(0, parens - 1); break;
        case SqlLexer::K_ATOMIC:
          if (prev != nullptr && tokenIs(*prev, SqlLexer::K_BEGIN) && atomic_depth == 0)
            atomic_depth = 1;
          break;
        case SqlLexer::K_CASE:
          if (atomic_depth > 0) ++atomic_depth;
          break;
        case SqlLexer::K_END:
          if (atomic_depth > 0) --atomic_depth;
          break;
        case SqlLexer::SEMI:
          if (parens == 0 && atomic_depth == 0) {
            out.emplace_back(begin, i);
            begin = i + 1;
          }
          break;
        default: break;
      }
      prev = &t;
    }
    out.emplace_back(begin, tokens.size());
    return out;
  }

  /// Rejects nesting that would recurse too deeply in the parser or later
  /// stages: parentheses, brackets, CASE ... END and runs of prefix
  /// operators all add a level.
  std::optional<Diagnostic> checkDepth(const std::vector<antlr4::Token*>& toks) const {
    int64_t depth = 0;
    int64_t prefix_run = 0;
    for (const antlr4::Token* t : toks) {
      switch (t->getType()) {
        case SqlLexer::LPAREN:
        case SqlLexer::LBRACKET:
        case SqlLexer::K_CASE: ++depth; prefix_run = 0; break;
        case SqlLexer::RPAREN:
        case SqlLexer::RBRACKET:
        case SqlLexer::K_END: depth = std::max<int64_t>(0, depth - 1); prefix_run = 0; break;
        case SqlLexer::K_NOT:
        case SqlLexer::PLUS:
        case SqlLexer::MINUS:
        case SqlLexer::OPERATOR: ++prefix_run; break;
        default: prefix_run = 0; break;
      }
      if (depth + prefix_run > limits.max_depth) {
        return Diagnostic::error(
            "sql-too-deep",
            "statement is too deeply nested (more than " + std::to_string(limits.max_depth) +
                " levels) at or near \"" + nearText(*t) + "\"",
            tokenSpan(*t));
      }
    }
    return std::nullopt;
  }

  StatementResult parseOne(std::string_view sql, const std::vector<antlr4::Token*>& all,
                           size_t begin, size_t end) {
    StatementResult result;
    // Visible tokens of this statement, and its span.
    std::vector<antlr4::Token*> visible;
    for (size_t i = begin; i < end; ++i)
      if (isVisible(*all[i])) visible.push_back(all[i]);
    result.span = Span{static_cast<uint32_t>(visible.front()->getStartIndex()),
                       static_cast<uint32_t>(visible.back()->getStopIndex() + 1)};

    for (const antlr4::Token* t : visible) {
      if (auto err = lexicalError(*t)) {
        result.error = std::move(err);
        return result;
      }
    }
    // Hidden tokens can carry lexical errors too: an unterminated comment.
    for (size_t i = begin; i < end; ++i) {
      if (all[i]->getType() == SqlLexer::UNTERMINATED_BLOCK_COMMENT) {
        result.error = lexicalError(*all[i]);
        return result;
      }
    }
    if (auto err = checkDepth(visible)) {
      result.error = std::move(err);
      return result;
    }

    // The parser reads the visible tokens, renumbered from 0, then EOF.
    eof_token.setStartIndex(result.span.end);
    eof_token.setStopIndex(result.span.end - 1);
    visible.push_back(&eof_token);
    for (size_t i = 0; i < visible.size(); ++i) {
      static_cast<antlr4::CommonToken*>(visible[i])->setTokenIndex(i);
    }
    stream.reset(std::move(visible), &empty_source);
    parser.setTokenStream(&stream);  // also resets the parser and frees the last tree
    ErrorCollector errors(result.span.end);
    // The parser and stream outlive this call; the tree, the tokens and the
    // error listener do not. Release them on every way out.
    struct Release {
      Impl& impl;
      ~Release() {
        impl.parser.removeErrorListeners();
        impl.parser.reset();  // runs every context's destructor
        SqlContextBase::releaseArena();
        impl.stream.reset({}, &impl.empty_source);
      }
    } release{*this};

    // Stage 1: SLL, giving up at the first problem.
    SqlParser::StatementEntryContext* tree = nullptr;
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    try {
      tree = parser.statementEntry();
    } catch (const antlr4::ParseCancellationException&) {
      tree = nullptr;
    }
    // Stage 2: full LL with error reporting, only when SLL failed.
    if (tree == nullptr) {
      stream.seek(0);
      parser.reset();
      parser.addErrorListener(&errors);
      parser.setErrorHandler(std::make_shared<StopAtFirstError>());
      parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
          antlr4::atn::PredictionMode::LL);
      try {
        tree = parser.statementEntry();
      } catch (const antlr4::ParseCancellationException&) {
        tree = nullptr;
      }
      if (tree == nullptr || errors.error() || parser.getNumberOfSyntaxErrors() > 0) {
        result.error = errors.error().value_or(
            Diagnostic::error("sql-syntax", "syntax error", result.span));
        return result;
      }
    }

    detail::Transformer transformer(sql, limits.max_depth);
    Result<Statement> stmt = transformer.transformStatement(tree);

    if (!stmt.ok()) {
      result.error = stmt.error();
      return result;
    }
    stmt.value().span = result.span;
    result.statement = std::move(stmt).value();
    return result;
  }
};

Parser::Parser(ParseLimits limits) : impl_(std::make_unique<Impl>(limits)) {}
Parser::~Parser() = default;

std::vector<StatementResult> Parser::parseScript(std::string_view sql) {
  std::vector<StatementResult> out;
  auto tokens = impl_->lex(sql);
  // A trailing unterminated comment is hidden but must still be reported.
  for (auto [begin, end] : Impl::split(tokens)) {
    bool any_visible = false;
    for (size_t i = begin; i < end; ++i) any_visible |= isVisible(*tokens[i]);
    if (!any_visible) {
      for (size_t i = begin; i < end; ++i) {
        if (auto err = lexicalError(*tokens[i])) {
          StatementResult r;
          r.span = err->span;
          r.error = std::move(err);
          out.push_back(std::move(r));
        }
      }
      continue;
    }
    try {
      out.push_back(impl_->parseOne(sql, tokens, begin, end));
      out.back().fingerprint = tokenFingerprint(sql, tokens, begin, end);
    } catch (const std::exception& e) {
      // Third-party code must not throw across the stage boundary.
      StatementResult r;
      r.error = Diagnostic::error("sql-internal", std::string("internal parser error: ") + e.what(),
                                  Span{0, 0});
      out.push_back(std::move(r));
    }
  }
  impl_->trimPool();
  return out;
}

Result<Statement> Parser::parseStatement(std::string_view sql) {
  auto results = parseScript(sql);
  if (results.empty()) {
    return Diagnostic::error("sql-empty", "no statement to parse",
                             Span{static_cast<uint32_t>(sql.size()),
                                  static_cast<uint32_t>(sql.size())});
  }
  for (auto& r : results) {
    if (!r.ok()) return *r.error;
  }
  if (results.size() > 1) {
    return Diagnostic::error("sql-multiple", "expected one statement, found " +
                                                 std::to_string(results.size()),
                             results[1].span);
  }
  return std::move(*results[0].statement);
}

size_t Parser::lexOnly(std::string_view sql) { return impl_->lex(sql).size(); }

uint64_t Parser::fingerprintText(std::string_view sql) {
  auto tokens = impl_->lex(sql);
  return tokenFingerprint(sql, tokens, 0, tokens.size());
}

namespace {

/// Constants templateConstants may take out: those whose text the parser
/// takes as it is. E'' strings are not (the parser checks their escapes,
/// and a parameter would skip that check), nor B'', X'' and U&'' ones.
bool isConstant(size_t type) {
  switch (type) {
    case SqlLexer::INTEGER:
    case SqlLexer::NUMERIC:
    case SqlLexer::STRING:
    case SqlLexer::NATIONAL_STRING:
      return true;
    default:
      return false;
  }
}

bool isOperator(size_t type) {
  switch (type) {
    case SqlLexer::EQ:
    case SqlLexer::NEQ:
    case SqlLexer::LT:
    case SqlLexer::GT:
    case SqlLexer::LE:
    case SqlLexer::GE:
    case SqlLexer::PLUS:
    case SqlLexer::MINUS:
    case SqlLexer::STAR:
    case SqlLexer::SLASH:
    case SqlLexer::PERCENT:
    case SqlLexer::CARET:
    case SqlLexer::OPERATOR:
      return true;
    default:
      return false;
  }
}

/// Whether a constant right after a token of this type may become a
/// parameter (Parser::templateConstants says which and why).
bool valueFollows(size_t type) {
  if (isOperator(type)) return true;
  switch (type) {
    case SqlLexer::EQUALS_GREATER:
    case SqlLexer::LPAREN:
    case SqlLexer::LBRACKET:
    case SqlLexer::COMMA:
    case SqlLexer::K_AND:
    case SqlLexer::K_OR:
    case SqlLexer::K_NOT:
    case SqlLexer::K_BETWEEN:
    case SqlLexer::K_LIKE:
    case SqlLexer::K_ILIKE:
    case SqlLexer::K_WHEN:
    case SqlLexer::K_THEN:
    case SqlLexer::K_ELSE:
    case SqlLexer::K_SELECT:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<ConstantTemplate> Parser::templateConstants(std::string_view sql) {
  auto tokens = impl_->lex(sql);
  const auto statements = Impl::split(tokens);
  size_t begin = 0, end = 0, nonempty = 0;
  for (auto [b, e] : statements) {
    bool visible = false;
    for (size_t i = b; i < e; ++i) visible |= isVisible(*tokens[i]) && tokens[i]->getType() != SqlLexer::SEMI;
    if (!visible) continue;
    ++nonempty;
    begin = b;
    end = e;
  }
  if (nonempty != 1) return std::nullopt;
  // Queries and data changes only: they read and change nothing of a
  // session's state, so deciding their template has no side effect.
  for (size_t i = begin; i < end; ++i) {
    if (!isVisible(*tokens[i])) continue;
    switch (tokens[i]->getType()) {
      case SqlLexer::K_SELECT:
      case SqlLexer::K_INSERT:
      case SqlLexer::K_UPDATE:
      case SqlLexer::K_DELETE:
      case SqlLexer::K_WITH:
      case SqlLexer::K_VALUES:
      case SqlLexer::LPAREN:
        break;
      default:
        return std::nullopt;
    }
    break;
  }
  for (const antlr4::Token* t : tokens) {
    if (t->getType() == SqlLexer::PARAM || lexicalError(*t)) return std::nullopt;
  }

  ConstantTemplate out;
  out.text.reserve(sql.size() + 8);
  size_t copied = 0;  // bytes of `sql` already in out.text
  int depth = 0;
  // Depth of the innermost ORDER BY / GROUP BY / DISTINCT ON still open:
  // at that depth and deeper, a constant after `(`, `,` or a keyword may be
  // a column position (or one inside GROUPING SETS), so only constants
  // after an operator are taken out there.
  int by_depth = -1;
  size_t previous = antlr4::Token::INVALID_TYPE;
  for (size_t i = begin; i < end; ++i) {
    const antlr4::Token& t = *tokens[i];
    if (!isVisible(t)) continue;
    const size_t type = t.getType();
    const bool in_by = by_depth >= 0 && depth >= by_depth;
    if (isConstant(type) && (in_by ? isOperator(previous) : valueFollows(previous))) {
      const size_t start = t.getStartIndex();
      const size_t stop = t.getStopIndex() + 1;
      if (start < copied || stop > sql.size() || stop <= start) return std::nullopt;
      out.text.append(sql.substr(copied, start - copied));
      out.constants.emplace_back(sql.substr(start, stop - start));
      out.text += '$';
      out.text += std::to_string(out.constants.size());
      copied = stop;
    }
    switch (type) {
      case SqlLexer::LPAREN:
      case SqlLexer::LBRACKET:
        ++depth;
        break;
      case SqlLexer::RPAREN:
      case SqlLexer::RBRACKET:
        --depth;
        if (depth < by_depth) by_depth = -1;
        break;
      case SqlLexer::K_BY:
        by_depth = depth;
        break;
      case SqlLexer::K_ON:
        if (previous == SqlLexer::K_DISTINCT) by_depth = depth;
        break;
      case SqlLexer::K_LIMIT:
      case SqlLexer::K_OFFSET:
      case SqlLexer::K_HAVING:
      case SqlLexer::K_UNION:
      case SqlLexer::K_INTERSECT:
      case SqlLexer::K_EXCEPT:
        if (depth == by_depth) by_depth = -1;
        break;
      default:
        break;
    }
    previous = type;
  }
  if (out.constants.empty()) return std::nullopt;
  out.text.append(sql.substr(copied));
  out.fingerprint = tokenFingerprint(sql, tokens, begin, end);
  return out;
}

std::vector<ParameterSpan> Parser::parameterSpans(std::string_view sql) {
  std::vector<ParameterSpan> out;
  for (const antlr4::Token* t : impl_->lex(sql)) {
    if (t->getType() != SqlLexer::PARAM) continue;
    const size_t start = t->getStartIndex();
    const size_t stop = t->getStopIndex() + 1;
    if (stop > sql.size() || stop <= start + 1 || stop - start > 10) continue;
    uint64_t n = 0;
    for (size_t i = start + 1; i < stop; ++i) n = n * 10 + static_cast<uint64_t>(sql[i] - '0');
    if (n > 0x7fffffff) continue;
    out.push_back(ParameterSpan{static_cast<uint32_t>(start), static_cast<uint32_t>(stop), static_cast<uint32_t>(n)});
  }
  return out;
}

void Parser::Impl::trimPool() {
  // A huge script should not pin its tokens' memory for the Parser's life.
  constexpr size_t kKeep = 4096;
  if (token_pool.size() > 16 * kKeep) token_pool.resize(kKeep);
}

Result<Statement> parseStatement(std::string_view sql) {
  Parser parser;
  return parser.parseStatement(sql);
}

}  // namespace sqlwarden::sql
