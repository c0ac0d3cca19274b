#include "proxy/relay_tracker.hpp"

namespace sqlwarden::proxy {

void RelayTracker::extendedDenial(pgwire::Bytes error) {
  Batch& b = open();
  Injection inj;
  inj.parse_index = b.parses++;
  inj.bind_index = b.binds++;
  inj.error = std::move(error);
  b.injection = std::move(inj);
}

void RelayTracker::simpleDenial(pgwire::Bytes error) {
  Batch& b = open();
  Injection inj;
  inj.armed = true;  // a Query has no ParseComplete: its first error is ours
  inj.error = std::move(error);
  b.injection = std::move(inj);
  close();
}

RelayTracker::Verdict RelayTracker::onUpstream(uint8_t type) {
  Verdict v;
  Batch& b = batches_.front();
  switch (type) {
    case '1':  // ParseComplete
      if (b.injection && b.parses_seen == b.injection->parse_index) {
        b.injection->armed = true;
        v.action = Verdict::Action::Drop;
      }
      ++b.parses_seen;
      break;
    case '2':  // BindComplete
      if (b.injection && b.binds_seen == b.injection->bind_index) v.action = Verdict::Action::Drop;
      ++b.binds_seen;
      break;
    case 'E':  // ErrorResponse
      if (b.injection && b.injection->armed && !b.injection->done) {
        b.injection->done = true;
        v.action = Verdict::Action::Replace;
        v.replacement = &b.injection->error;
        break;
      }
      if (!b.awaiting.empty()) {
        v.completed = std::move(b.awaiting.front());
        b.awaiting.pop_front();
      }
      break;
    case 'C':  // CommandComplete
      if (!b.awaiting.empty()) {
        v.completed = std::move(b.awaiting.front());
        b.awaiting.pop_front();
      }
      break;
    case 'Z':  // ReadyForQuery: the batch is answered
      if (batches_.size() > 1) batches_.pop_front();
      else batches_.front() = Batch{};
      break;
    default: break;
  }
  return v;
}

}  // namespace sqlwarden::proxy
