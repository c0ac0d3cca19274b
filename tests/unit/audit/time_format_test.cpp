// Timestamps for the CLI: ISO 8601 in UTC, and "7d"-style durations.
#include <doctest/doctest.h>

#include "audit/time_format.hpp"

namespace sqlwarden::audit {
namespace {

TEST_CASE("times print as ISO 8601 UTC with microseconds") {
  CHECK(formatTime(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(formatTime(1714564800123456) == "2024-05-01T12:00:00.123456Z");
}

TEST_CASE("times parse from dates, date-times and durations") {
  const Micros now = 1714564800000000;  // 2024-05-01T12:00:00Z
  CHECK(parseTime("2024-05-01", now) == 1714521600000000);
  CHECK(parseTime("2024-05-01T12:00", now) == now);
  CHECK(parseTime("2024-05-01 12:00:00Z", now) == now);
  CHECK(parseTime("2024-05-01T12:00:00.5", now) == now + 500000);
  CHECK(parseTime(formatTime(now + 42), now) == now + 42);
  CHECK(parseTime("90s", now) == now - 90'000'000);
  CHECK(parseTime("2h", now) == now - 7'200'000'000);
  CHECK(parseTime("7d", now) == now - 7 * 86'400'000'000);
}

TEST_CASE("malformed times are refused") {
  for (const char* bad : {"", "yesterday", "2024-5-1", "2024-13-01", "2024-05-01T25:00",
                          "2024-05-01T12", "2024-05-01x", "5w", "-3d", "d"}) {
    INFO(bad);
    CHECK_FALSE(parseTime(bad, 0).has_value());
  }
}

}  // namespace
}  // namespace sqlwarden::audit
