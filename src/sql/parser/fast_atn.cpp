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

FastParserSimulator::FastParserSimulator(antlr4::Parser* parser, ThreadCaches& caches)
    : ParserATNSimulator(parser, parser->getATN(), caches.parser_dfa, caches.parser_contexts) {}

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
  antlr4::dfa::DFAState* s =
      dfa.isPrecedenceDfa() ? dfa.getPrecedenceStartState(parser->getPrecedence()) : dfa.s0;
  const bool sll = getPredictionMode() == antlr4::atn::PredictionMode::SLL;
  for (ssize_t i = 1; s != nullptr; ++i) {
    if (s->isAcceptState) {
      if (s->requiresFullContext && !sll) break;
      if (!s->predicates.empty()) break;
      return s->prediction;
    }
    if (s->requiresFullContext && !sll) break;
    const size_t t = input->LA(i);
    const auto it = s->edges.find(t);
    if (it == s->edges.end() || it->second == ERROR.get()) break;
    s = it->second;
    if (t == antlr4::Token::EOF && !s->isAcceptState) break;
  }
  return ParserATNSimulator::adaptivePredict(input, decision, outer);
}

}  // namespace sqlwarden::sql::detail
