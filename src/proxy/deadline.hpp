#pragma once
// A time limit on a whole exchange (several reads and writes): when it
// passes, `on_expiry` runs (it closes the socket, so the pending operation
// fails); once the Deadline is destroyed, nothing runs, even if the timer's
// handler was already queued. Use it from the executor's own thread only.
#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange
#include <boost/asio.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace sqlwarden::proxy {

class Deadline {
 public:
  Deadline(boost::asio::any_io_executor executor, std::chrono::milliseconds timeout, std::function<void()> on_expiry)
      : timer_(executor), state_(std::make_shared<State>()) {
    state_->on_expiry = std::move(on_expiry);
    timer_.expires_after(timeout);
    timer_.async_wait([state = state_](boost::system::error_code ec) {
      if (ec || !state->armed) return;
      state->expired = true;
      state->on_expiry();
    });
  }
  ~Deadline() {
    state_->armed = false;  // a handler already queued must not touch what on_expiry refers to
    timer_.cancel();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  /// Whether the time ran out (and on_expiry ran).
  bool expired() const { return state_->expired; }

 private:
  struct State {
    std::function<void()> on_expiry;
    bool armed = true;
    bool expired = false;
  };
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace sqlwarden::proxy
