#include "sql/parser/fast_atn.hpp"

namespace sqlwarden::sql::detail {

namespace {

std::vector<antlr4::dfa::DFA> makeDfa(const antlr4::atn::ATN& atn) {
  std::vector<antlr4::dfa::DFA> out;
  out.reserve(atn.getNumberOfDecisions());
  for (size_t i = 0; i < atn.getNumberOfDecisions(); ++i)
    out.emplace_back(atn.getDecisionState(i), i);
  return out;
}

}  // namespace

ThreadCaches::ThreadCaches(const antlr4::atn::ATN& parser_atn)
    : parser_dfa(makeDfa(parser_atn)) {}

void EdgeCache::insert(const antlr4::dfa::DFAState* from, size_t symbol,
                       antlr4::dfa::DFAState* to) {
  if (2 * (used_ + 1) > slots_.size()) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
    mask_ = slots_.size() - 1;
    used_ = 0;
    for (const Slot& s : old)
      if (s.from != nullptr) insert(s.from, s.symbol, s.to);
  }
  size_t i = slot(from, symbol);
  while (slots_[i].from != nullptr) {
    if (slots_[i].from == from && slots_[i].symbol == symbol) {
      slots_[i].to = to;
      return;
    }
    i = (i + 1) & mask_;
  }
  slots_[i] = Slot{from, symbol, to};
  ++used_;
}

FastParserSimulator::FastParserSimulator(antlr4::Parser* parser, ThreadCaches& caches)
    : ParserATNSimulator(parser, parser->getATN(), caches.parser_dfa, caches.parser_contexts),
      edges_(caches.edges) {}

antlr4::dfa::DFAState* FastParserSimulator::edge(antlr4::dfa::DFAState* from, size_t symbol) {
  if (antlr4::dfa::DFAState* to = edges_.find(from, symbol)) return to;
  const auto it = from->edges.find(symbol);
  if (it == from->edges.end()) return nullptr;
  edges_.insert(from, symbol, it->second);
  return it->second;
}

antlr4::dfa::DFAState* FastParserSimulator::getExistingTargetState(
    antlr4::dfa::DFAState* previous, size_t t) {
  // The DFA is this thread's own: no other thread adds edges concurrently.
  const auto it = previous->edges.find(t);
  return it == previous->edges.end() ? nullptr : it->second;
}

size_t FastParserSimulator::adaptivePredict(antlr4::TokenStream* input, size_t decision,
                                            antlr4::ParserRuleContext* outer) {
  // Fast path: follow the cached DFA with lookahead only (no consume/seek).
  // Anything it does not settle on its own — a missing edge, an error edge,
  // predicates, a conflict needing full context — goes to the runtime.
  antlr4::dfa::DFA& dfa = decisionToDFA[decision];
  antlr4::dfa::DFAState* s = dfa.s0;
  // A precedence DFA keys its start states by the parser's precedence level
  // on the edges of s0 (DFA::getPrecedenceStartState).
  if (s != nullptr && dfa.isPrecedenceDfa())
    s = edge(s, static_cast<size_t>(parser->getPrecedence()));
  const bool sll = getPredictionMode() == antlr4::atn::PredictionMode::SLL;
  const bool direct = stream_ != nullptr && input == stream_;
  for (size_t i = 1; s != nullptr; ++i) {
    if (s->isAcceptState) {
      if (s->requiresFullContext && !sll) break;
      if (!s->predicates.empty()) break;
      return s->prediction;
    }
    if (s->requiresFullContext && !sll) break;
    const size_t t = direct ? stream_->typeAhead(i) : input->LA(static_cast<ssize_t>(i));
    antlr4::dfa::DFAState* next = edge(s, t);
    if (next == nullptr || next == ERROR.get()) break;
    s = next;
    if (t == antlr4::Token::EOF && !s->isAcceptState) break;
  }
  return ParserATNSimulator::adaptivePredict(input, decision, outer);
}

}  // namespace sqlwarden::sql::detail
