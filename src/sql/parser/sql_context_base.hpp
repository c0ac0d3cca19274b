#pragma once
// Base class of every generated parse-tree context (grammar option
// contextSuperClass), used only inside the transformer.
//
// The 4.9 runtime finds a child token or rule context by dynamic_cast on
// every child it passes, and the transformer asks for children a lot. Here
// a terminal is recognised by its exact type (typeid) and a rule context by
// its rule index, so the casts left are exact static ones, plus one
// dynamic_cast per terminal found (TerminalNode is a virtual base).
#include <cstddef>
#include <typeinfo>
#include <vector>

#include "antlr4-runtime.h"

namespace sqlwarden::sql {

class SqlContextBase : public antlr4::ParserRuleContext {
 public:
  SqlContextBase() = default;
  SqlContextBase(antlr4::ParserRuleContext* parent, size_t invoking_state)
      : antlr4::ParserRuleContext(parent, invoking_state) {}

  /// Contexts live in a per-thread arena (they are the most numerous
  /// allocations of a parse): operator delete does nothing, and the driver
  /// calls releaseArena() once the tree of a statement is gone.
  static void* operator new(std::size_t size);
  static void operator delete(void*) noexcept {}
  /// Frees every context allocated on this thread. Precondition: none of them
  /// is still in use (their destructors have run).
  static void releaseArena();

  static bool isTerminal(const antlr4::tree::ParseTree* node);

  /// `node` as a TerminalNode. Precondition: isTerminal(node). TerminalNode
  /// is a virtual base of the node classes, so a static cast cannot reach
  /// it; the node's own accept() hands it over without a dynamic_cast.
  static antlr4::tree::TerminalNode* terminal(antlr4::tree::ParseTree* node);

  antlr4::tree::TerminalNode* getToken(size_t ttype, size_t i) override {
    size_t j = 0;
    for (auto* child : children) {
      if (!isTerminal(child)) continue;
      auto* node = terminal(child);
      if (node->getSymbol()->getType() == ttype && j++ == i) return node;
    }
    return nullptr;
  }

  std::vector<antlr4::tree::TerminalNode*> getTokens(size_t ttype) override {
    std::vector<antlr4::tree::TerminalNode*> out;
    for (auto* child : children) {
      if (!isTerminal(child)) continue;
      auto* node = terminal(child);
      if (node->getSymbol()->getType() == ttype) out.push_back(node);
    }
    return out;
  }

  /// Hides ParserRuleContext::getRuleContext for the generated accessors.
  template <typename T>
  T* getRuleContext(size_t i) {
    const size_t rule = ruleIndexOf<T>();
    size_t j = 0;
    for (auto* child : children) {
      if (isTerminal(child)) continue;
      auto* ctx = static_cast<antlr4::ParserRuleContext*>(child);
      if (ctx->getRuleIndex() == rule && j++ == i) return static_cast<T*>(ctx);
    }
    return nullptr;
  }

  template <typename T>
  std::vector<T*> getRuleContexts() {
    const size_t rule = ruleIndexOf<T>();
    std::vector<T*> out;
    for (auto* child : children) {
      if (isTerminal(child)) continue;
      auto* ctx = static_cast<antlr4::ParserRuleContext*>(child);
      if (ctx->getRuleIndex() == rule) out.push_back(static_cast<T*>(ctx));
    }
    return out;
  }

 private:
  /// The rule index of context class T (a rule's own context class, which
  /// every labeled alternative of the rule derives from).
  template <typename T>
  static size_t ruleIndexOf() {
    static const size_t index = [] {
      T probe(nullptr, 0);
      return probe.getRuleIndex();
    }();
    return index;
  }
};

/// The parser's terminal nodes, allocated in the same arena as contexts.
class SqlTerminalNode : public antlr4::tree::TerminalNodeImpl {
 public:
  explicit SqlTerminalNode(antlr4::Token* symbol) : antlr4::tree::TerminalNodeImpl(symbol) {}
  static void* operator new(std::size_t size);
  static void operator delete(void*) noexcept {}
};

/// Exact-type test by the identity of the type's name. In a statically
/// linked program every class's type_info name is emitted once, so pointer
/// equality is type equality; std::type_info::operator== would strcmp the
/// mangled names of every non-matching pair, which showed up as 5% of a
/// parse. If the identity ever failed (a class split across shared
/// libraries), dispatch would find no alternative and the statement would be
/// rejected, never misread.
template <class T>
bool isExactly(const antlr4::tree::ParseTree* node) {
  return typeid(*node).name() == typeid(T).name();
}

namespace detail {

/// Receives the node a terminal's accept() passes to its visitor.
class TerminalProbe : public antlr4::tree::ParseTreeVisitor {
 public:
  antlr4::tree::TerminalNode* found = nullptr;
  antlrcpp::Any visit(antlr4::tree::ParseTree*) override { return {}; }
  antlrcpp::Any visitChildren(antlr4::tree::ParseTree*) override { return {}; }
  antlrcpp::Any visitTerminal(antlr4::tree::TerminalNode* node) override {
    found = node;
    return {};
  }
  antlrcpp::Any visitErrorNode(antlr4::tree::ErrorNode* node) override {
    found = node;
    return {};
  }
};

}  // namespace detail

inline antlr4::tree::TerminalNode* SqlContextBase::terminal(antlr4::tree::ParseTree* node) {
  detail::TerminalProbe probe;
  node->accept(&probe);
  return probe.found;
}

inline bool SqlContextBase::isTerminal(const antlr4::tree::ParseTree* node) {
  const char* name = typeid(*node).name();
  return name == typeid(SqlTerminalNode).name() ||
         name == typeid(antlr4::tree::TerminalNodeImpl).name() ||
         name == typeid(antlr4::tree::ErrorNodeImpl).name();
}

}  // namespace sqlwarden::sql
