#pragma once
// Speed-ups around the ANTLR 4.9 C++ runtime, used only by the parse driver.
//
// - ByteCharStream presents the statement as bytes, so token offsets are
//   byte offsets (what Span means) and no UTF-8 -> UTF-32 conversion runs.
//   The grammar treats every character >= 0x80 as an identifier character,
//   so UTF-8 identifiers lex the same byte by byte. Tokens read their text
//   from it.
// - The runtime guards every DFA edge lookup with process-wide locks and
//   allocates per prediction. Each thread here gets its own DFA caches
//   (ThreadCaches), which no other thread touches, so lookups need no lock;
//   predictions that the cached DFA answers take a lock-free, allocation-free
//   walk, and everything else falls back to the runtime's own algorithm.
//   The price: each thread warms its own cache (one cold parse per thread)
//   and holds its own copy.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "antlr4-runtime.h"

namespace sqlwarden::sql::detail {

/// A CharStream over bytes. The text must outlive the stream and every token
/// lexed from it (token text is read back from the stream lazily).
class ByteCharStream : public antlr4::CharStream {
 public:
  void load(std::string_view text) {
    text_ = text;
    pos_ = 0;
  }

  void consume() override { ++pos_; }
  size_t LA(ssize_t i) override {
    if (i == 0) return 0;
    const ssize_t at = static_cast<ssize_t>(pos_) + (i > 0 ? i - 1 : i);
    if (at < 0 || at >= static_cast<ssize_t>(text_.size())) return antlr4::Token::EOF;
    return static_cast<unsigned char>(text_[static_cast<size_t>(at)]);
  }
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return pos_; }
  void seek(size_t index) override { pos_ = index > text_.size() ? text_.size() : index; }
  size_t size() override { return text_.size(); }
  std::string getSourceName() const override { return "<sql>"; }
  std::string getText(const antlr4::misc::Interval& interval) override {
    if (interval.a < 0 || interval.b < interval.a ||
        static_cast<size_t>(interval.a) >= text_.size())
      return {};
    const size_t begin = static_cast<size_t>(interval.a);
    const size_t end = std::min(text_.size(), static_cast<size_t>(interval.b) + 1);
    return std::string(text_.substr(begin, end - begin));
  }
  std::string toString() const override { return std::string(text_); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

/// The parser's token stream: the visible tokens of one statement, then EOF.
/// CommonTokenStream re-filters channels and type-checks tokens on every
/// lookahead; the scanner's tokens need neither. Tokens are not owned.
class TokenVectorStream : public antlr4::TokenStream {
 public:
  /// `tokens` must end with an EOF token and outlive the parse.
  void reset(std::vector<antlr4::Token*> tokens, antlr4::TokenSource* source) {
    tokens_ = std::move(tokens);
    source_ = source;
    pos_ = 0;
  }

  /// The type of the token `k` ahead (k >= 1), without virtual dispatch on
  /// the stream.
  size_t typeAhead(size_t k) const {
    return tokens_[std::min(pos_ + k - 1, tokens_.size() - 1)]->getType();
  }

  antlr4::Token* LT(ssize_t k) override {
    if (k == 0 || tokens_.empty()) return nullptr;
    const ssize_t i = static_cast<ssize_t>(pos_) + (k > 0 ? k - 1 : k);
    if (i < 0) return nullptr;
    const size_t at = std::min(static_cast<size_t>(i), tokens_.size() - 1);
    return tokens_[at];
  }
  size_t LA(ssize_t i) override {
    antlr4::Token* t = LT(i);
    return t == nullptr ? antlr4::Token::INVALID_TYPE : t->getType();
  }
  void consume() override {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }
  antlr4::Token* get(size_t index) const override { return tokens_.at(index); }
  antlr4::TokenSource* getTokenSource() const override { return source_; }
  ssize_t mark() override { return 0; }
  void release(ssize_t) override {}
  size_t index() override { return pos_; }
  void seek(size_t index) override {
    pos_ = tokens_.empty() ? 0 : std::min(index, tokens_.size() - 1);
  }
  size_t size() override { return tokens_.size(); }
  std::string getSourceName() const override { return "<sql>"; }

  std::string getText(const antlr4::misc::Interval& interval) override {
    std::string out;
    if (interval.a < 0 || interval.b < 0) return out;
    for (size_t i = static_cast<size_t>(interval.a);
         i <= static_cast<size_t>(interval.b) && i < tokens_.size(); ++i) {
      if (tokens_[i]->getType() == antlr4::Token::EOF) break;
      out += tokens_[i]->getText();
    }
    return out;
  }
  std::string getText() override {
    return getText(antlr4::misc::Interval(0, static_cast<ssize_t>(tokens_.size()) - 1));
  }
  std::string getText(antlr4::RuleContext* ctx) override {
    return getText(ctx->getSourceInterval());
  }
  std::string getText(antlr4::Token* start, antlr4::Token* stop) override {
    if (start == nullptr || stop == nullptr) return {};
    return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
  }

 private:
  std::vector<antlr4::Token*> tokens_;
  antlr4::TokenSource* source_ = nullptr;
  size_t pos_ = 0;
};


/// (DFA state, symbol) -> next state, for the edges the fast path follows:
/// an open-addressing table in front of the runtime's per-state
/// unordered_maps. DFA states live as long as their thread's caches, so the
/// pointers stay valid.
class EdgeCache {
 public:
  antlr4::dfa::DFAState* find(const antlr4::dfa::DFAState* from, size_t symbol) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = slot(from, symbol);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.from == from && s.symbol == symbol) return s.to;
      if (s.from == nullptr) return nullptr;
    }
  }
  void insert(const antlr4::dfa::DFAState* from, size_t symbol, antlr4::dfa::DFAState* to);

 private:
  struct Slot {
    const antlr4::dfa::DFAState* from = nullptr;
    size_t symbol = 0;
    antlr4::dfa::DFAState* to = nullptr;
  };
  size_t slot(const antlr4::dfa::DFAState* from, size_t symbol) const {
    const uint64_t h = (reinterpret_cast<uintptr_t>(from) >> 4) * 0x9E3779B97F4A7C15ull ^
                       (symbol + 1) * 0xC2B2AE3D27D4EB4Full;
    return static_cast<size_t>(h >> 20) & mask_;
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t used_ = 0;
};

/// DFA caches of one thread, for the generated parser.
struct ThreadCaches {
  std::vector<antlr4::dfa::DFA> parser_dfa;
  antlr4::atn::PredictionContextCache parser_contexts;
  EdgeCache edges;
  explicit ThreadCaches(const antlr4::atn::ATN& parser_atn);
};

/// Parser simulator whose DFA belongs to the calling thread.
class FastParserSimulator : public antlr4::atn::ParserATNSimulator {
 public:
  FastParserSimulator(antlr4::Parser* parser, ThreadCaches& caches);

  /// The stream the parser reads, when it is a TokenVectorStream: lookahead
  /// then reads it directly.
  void setTokenVectorStream(const TokenVectorStream* stream) { stream_ = stream; }
  size_t adaptivePredict(antlr4::TokenStream* input, size_t decision,
                         antlr4::ParserRuleContext* outer) override;

 protected:
  antlr4::dfa::DFAState* getExistingTargetState(antlr4::dfa::DFAState* previous,
                                                size_t t) override;

 private:
  antlr4::dfa::DFAState* edge(antlr4::dfa::DFAState* from, size_t symbol);
  EdgeCache& edges_;
  const TokenVectorStream* stream_ = nullptr;
};

}  // namespace sqlwarden::sql::detail
