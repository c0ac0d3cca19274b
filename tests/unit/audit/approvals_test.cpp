// Approvals: every transition, the refusals, expiry, and two processes
// racing to consume one approval.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "audit/approvals.hpp"
#include "audit/verify.hpp"
#include "audit_test_support.hpp"

namespace sqlwarden::audit {
namespace {

using testing::requireVerified;
using testing::TempDir;

constexpr Micros kT0 = 1'700'000'000'000'000;  // a fixed "now"
constexpr Micros kMinute = 60'000'000;

std::unique_ptr<ApprovalBook> openBook(const std::string& path) {
  Result<std::unique_ptr<ApprovalBook>> book = ApprovalBook::open(path);
  REQUIRE_MESSAGE(book.ok(), (book.ok() ? "" : book.error().message));
  return std::move(book).value();
}

ApprovalRequest sampleRequest(std::string identity = "bob") {
  return ApprovalRequest{std::move(identity), "fp-delete-orders", "DELETE FROM orders",
                         std::chrono::seconds(600)};
}

TEST_CASE("request, approve, consume once: pending -> approved -> used") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  auto book = openBook(path);
  Result<ApprovalRecord> req = book->request(sampleRequest(), kT0);
  REQUIRE(req.ok());
  CHECK(req->id == 1);
  CHECK(req->state == ApprovalState::Pending);
  CHECK(req->requested_at == kT0);
  CHECK(req->expires_at == kT0 + 10 * kMinute);

  Result<std::vector<ApprovalRecord>> pending = book->list(true, kT0);
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 1);
  CHECK((*pending)[0].statement == "DELETE FROM orders");

  // Not approved yet: nothing to consume.
  Result<std::optional<ApprovalRecord>> early = book->consume("bob", "fp-delete-orders", kT0 + 1);
  REQUIRE(early.ok());
  CHECK_FALSE(early->has_value());

  Result<ApprovalRecord> ok = book->approve(req->id, "carol", "ticket OPS-12", kT0 + kMinute);
  REQUIRE(ok.ok());
  CHECK(ok->state == ApprovalState::Approved);
  CHECK(ok->decided_by == "carol");
  CHECK(ok->decided_at == kT0 + kMinute);
  CHECK(ok->reason == "ticket OPS-12");
  CHECK(book->list(true, kT0 + kMinute)->empty());

  // Another identity or another statement does not get it.
  CHECK_FALSE(book->consume("mallory", "fp-delete-orders", kT0 + 2 * kMinute)->has_value());
  CHECK_FALSE(book->consume("bob", "fp-drop-table", kT0 + 2 * kMinute)->has_value());

  Result<std::optional<ApprovalRecord>> used =
      book->consume("bob", "fp-delete-orders", kT0 + 2 * kMinute);
  REQUIRE(used.ok());
  REQUIRE(used->has_value());
  CHECK((*used)->id == req->id);
  CHECK((*used)->state == ApprovalState::Used);
  CHECK((*used)->used_at == kT0 + 2 * kMinute);

  // One-shot: the second use is refused.
  CHECK_FALSE(book->consume("bob", "fp-delete-orders", kT0 + 3 * kMinute)->has_value());
  CHECK(book->get(req->id, kT0 + 3 * kMinute)->state == ApprovalState::Used);
  // And a used approval cannot be decided again.
  Result<ApprovalRecord> again = book->approve(req->id, "carol", "", kT0 + 3 * kMinute);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "audit-approval-state");
  CHECK(again.error().message == "approval request 1 is already used");

  // Every transition is a chained event.
  CHECK(testing::queryInt(path, "SELECT count(*) FROM approval_events") == 3);
  requireVerified(path);
}

TEST_CASE("deny: pending -> denied, nothing to consume, no second decision") {
  TempDir dir;
  auto book = openBook(dir.file("audit.db"));
  const int64_t id = book->request(sampleRequest(), kT0)->id;
  Result<ApprovalRecord> denied = book->deny(id, "carol", "not in a change window", kT0 + 1);
  REQUIRE(denied.ok());
  CHECK(denied->state == ApprovalState::Denied);
  CHECK(denied->reason == "not in a change window");
  CHECK_FALSE(book->consume("bob", "fp-delete-orders", kT0 + 2)->has_value());
  Result<ApprovalRecord> approve = book->approve(id, "dave", "", kT0 + 3);
  REQUIRE_FALSE(approve.ok());
  CHECK(approve.error().code == "audit-approval-state");
  requireVerified(dir.file("audit.db"));
}

TEST_CASE("an identity cannot decide its own request") {
  TempDir dir;
  auto book = openBook(dir.file("audit.db"));
  const int64_t id = book->request(sampleRequest("bob"), kT0)->id;
  for (bool approve : {true, false}) {
    Result<ApprovalRecord> r =
        approve ? book->approve(id, "bob", "", kT0 + 1) : book->deny(id, "bob", "", kT0 + 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "audit-approval-self");
  }
  CHECK(book->get(id, kT0 + 1)->state == ApprovalState::Pending);
  Result<ApprovalRecord> nameless = book->approve(id, "", "", kT0 + 1);
  REQUIRE_FALSE(nameless.ok());
  CHECK(nameless.error().code == "audit-approval-approver");
}

TEST_CASE("unknown requests are refused") {
  TempDir dir;
  auto book = openBook(dir.file("audit.db"));
  Result<ApprovalRecord> r = book->approve(42, "carol", "", kT0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "audit-approval-unknown");
  CHECK_FALSE(book->get(42, kT0).ok());
}

TEST_CASE("expiry: a pending request past its lifetime cannot be approved") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  auto book = openBook(path);
  const int64_t id = book->request(sampleRequest(), kT0)->id;
  Result<ApprovalRecord> late = book->approve(id, "carol", "", kT0 + 11 * kMinute);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == "audit-approval-expired");
  CHECK(late.error().message.find("expired at 2023-11-14T22:23:20") != std::string::npos);
  Result<ApprovalRecord> now = book->get(id, kT0 + 11 * kMinute);
  CHECK(now->state == ApprovalState::Expired);
  // The expiry was recorded even though the approval was refused.
  CHECK(testing::queryInt(path, "SELECT count(*) FROM approval_events WHERE event = 'expired'") ==
        1);
  requireVerified(path);
}

TEST_CASE("expiry: an approved request not used in its lifetime cannot be consumed") {
  TempDir dir;
  auto book = openBook(dir.file("audit.db"));
  const int64_t id = book->request(sampleRequest(), kT0)->id;
  REQUIRE(book->approve(id, "carol", "", kT0 + kMinute).ok());
  CHECK_FALSE(book->consume("bob", "fp-delete-orders", kT0 + 10 * kMinute)->has_value());
  CHECK(book->get(id, kT0 + 10 * kMinute)->state == ApprovalState::Expired);
}

TEST_CASE("expireDue marks every overdue pending or approved request") {
  TempDir dir;
  auto book = openBook(dir.file("audit.db"));
  const int64_t a = book->request(sampleRequest(), kT0)->id;
  const int64_t b = book->request(sampleRequest(), kT0)->id;
  ApprovalRequest long_lived = sampleRequest();
  long_lived.lifetime = std::chrono::hours(1);
  const int64_t c = book->request(long_lived, kT0)->id;
  REQUIRE(book->approve(b, "carol", "", kT0 + 1).ok());
  CHECK(*book->expireDue(kT0 + 15 * kMinute) == 2);
  CHECK(*book->expireDue(kT0 + 15 * kMinute) == 0);
  CHECK(book->get(a, kT0 + 15 * kMinute)->state == ApprovalState::Expired);
  CHECK(book->get(b, kT0 + 15 * kMinute)->state == ApprovalState::Expired);
  CHECK(book->get(c, kT0 + 15 * kMinute)->state == ApprovalState::Pending);
  Result<std::vector<ApprovalRecord>> all = book->list(false, kT0 + 15 * kMinute);
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].id == c);  // newest first
  requireVerified(dir.file("audit.db"));
}

TEST_CASE("two processes race to consume one approval: exactly one wins") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  {
    auto book = openBook(path);
    const int64_t id = book->request(sampleRequest(), nowMicros())->id;
    REQUIRE(book->approve(id, "carol", "", nowMicros()).ok());
  }  // no SQLite connection may cross fork()
  constexpr int kProcesses = 4;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // Child: exit 0 when it got the approval, 1 when not, 2 on error.
      Result<std::unique_ptr<ApprovalBook>> book = ApprovalBook::open(path);
      if (!book) _exit(2);
      Result<std::optional<ApprovalRecord>> got = (*book)->consume("bob", "fp-delete-orders");
      _exit(!got ? 2 : got->has_value() ? 0 : 1);
    }
    children.push_back(pid);
  }
  int winners = 0, losers = 0;
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 0) ++winners;
    if (WEXITSTATUS(status) == 1) ++losers;
  }
  CHECK(winners == 1);
  CHECK(losers == kProcesses - 1);
  CHECK(testing::queryInt(path, "SELECT count(*) FROM approval_events WHERE event = 'used'") == 1);
  requireVerified(path);
}

TEST_CASE("two books in two threads on one file: one approval, one winner") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  auto first = openBook(path);
  auto second = openBook(path);
  for (int round = 0; round < 20; ++round) {
    const int64_t id = first->request(sampleRequest(), nowMicros())->id;
    REQUIRE(second->approve(id, "carol", "", nowMicros()).ok());
    std::atomic<int> wins{0};
    auto race = [&](ApprovalBook& book) {
      Result<std::optional<ApprovalRecord>> got = book.consume("bob", "fp-delete-orders");
      CHECK(got.ok());
      if (got.ok() && got->has_value()) ++wins;
    };
    std::thread a([&] { race(*first); });
    std::thread b([&] { race(*second); });
    a.join();
    b.join();
    CHECK(wins == 1);
  }
  requireVerified(path);
}

TEST_CASE("approvals and statements share one chain") {
  TempDir dir;
  const std::string path = dir.file("audit.db");
  auto store = testing::openStore(path);
  auto book = openBook(path);
  const std::string sid = *store->beginSession(testing::sampleSession("bob"));
  REQUIRE(
      store
          ->appendStatement(testing::sampleStatement(sid, "DELETE FROM orders", Decision::Approval))
          .ok());
  const int64_t id = book->request(sampleRequest(), nowMicros())->id;
  REQUIRE(book->approve(id, "carol", "", nowMicros()).ok());
  REQUIRE(store->appendStatement(testing::sampleStatement(sid, "DELETE FROM orders")).ok());
  CHECK(testing::queryInt(path, "SELECT head_pos FROM chain_head") == 5);
  requireVerified(path);
}

}  // namespace
}  // namespace sqlwarden::audit
