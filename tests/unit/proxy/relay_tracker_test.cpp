#include <doctest/doctest.h>

#include "proxy/relay_tracker.hpp"

using sqlwarden::proxy::RelayTracker;
using Action = RelayTracker::Verdict::Action;

TEST_CASE("relay tracker: a denied simple query's error is replaced, its ReadyForQuery relayed") {
  RelayTracker t;
  t.simpleDenial({'E', 'X'});
  auto v = t.onUpstream('E');
  CHECK(v.action == Action::Replace);
  REQUIRE(v.replacement);
  CHECK((*v.replacement)[1] == 'X');
  CHECK(t.onUpstream('Z').action == Action::Relay);
  // The next batch's errors are the upstream's own.
  t.close();
  CHECK(t.onUpstream('E').action == Action::Relay);
}

TEST_CASE("relay tracker: the injected Parse/Bind of a denied Parse are hidden, earlier ones are not") {
  RelayTracker t;
  t.parse();  // an allowed Parse, its Bind and Execute
  t.bind();
  t.extendedDenial({'E', 'D'});
  t.close();  // Sync
  CHECK(t.onUpstream('1').action == Action::Relay);  // the client's own ParseComplete
  CHECK(t.onUpstream('2').action == Action::Relay);
  CHECK(t.onUpstream('C').action == Action::Relay);
  CHECK(t.onUpstream('1').action == Action::Drop);  // the injected one
  CHECK(t.onUpstream('2').action == Action::Drop);
  CHECK(t.onUpstream('E').action == Action::Replace);
  CHECK(t.onUpstream('Z').action == Action::Relay);
}

TEST_CASE("relay tracker: an earlier error wins over the injected denial") {
  RelayTracker t;
  t.parse();
  t.extendedDenial({'E', 'D'});
  t.close();
  CHECK(t.onUpstream('E').action == Action::Relay);  // the client's Parse failed: the rest was skipped
  CHECK(t.onUpstream('Z').action == Action::Relay);
  // Pipelined batches keep their own bookkeeping.
  t.simpleDenial({'E', '1'});
  t.parse();
  t.close();
  CHECK(t.onUpstream('E').action == Action::Replace);
  CHECK(t.onUpstream('Z').action == Action::Relay);
  CHECK(t.onUpstream('1').action == Action::Relay);
  CHECK(t.onUpstream('Z').action == Action::Relay);
  CHECK(t.depth() == 1);
}

TEST_CASE("relay tracker: outcomes are matched to statements in order") {
  RelayTracker t;
  t.awaitOutcome({{"s", 1}, {}});
  t.awaitOutcome({{"s", 2}, {}});
  t.close();
  auto a = t.onUpstream('C');
  REQUIRE(a.completed);
  CHECK(a.completed->ref.seq == 1);
  auto b = t.onUpstream('E');
  REQUIRE(b.completed);
  CHECK(b.completed->ref.seq == 2);
  CHECK_FALSE(t.onUpstream('Z').completed);
}
