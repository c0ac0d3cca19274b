#pragma once
// steady_clock's time as of the kernel's last tick (CLOCK_MONOTONIC_COARSE:
// the same clock as steady_clock, a few milliseconds behind at most), at a
// fraction of the cost of a precise read. For the activity stamps taken on
// every statement (Channel::writeAll, ClientSession's last activity) that
// the watchdog compares with timeouts of seconds.
#include <time.h>

#include <chrono>

namespace sqlwarden::proxy {

inline std::chrono::steady_clock::time_point coarseNow() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::seconds(ts.tv_sec) +
                                                                      std::chrono::nanoseconds(ts.tv_nsec)));
}

}  // namespace sqlwarden::proxy
