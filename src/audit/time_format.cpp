#include "audit/time_format.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace sqlwarden::audit {

namespace {

// Reads exactly `width` digits at `pos`.
bool digits(std::string_view s, size_t& pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  pos += width;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<Micros> parseDuration(std::string_view s, Micros now) {
  if (s.size() < 2) return std::nullopt;
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size() - 1, n);
  if (ec != std::errc() || end != s.data() + s.size() - 1 || n < 0) return std::nullopt;
  int64_t unit = 0;
  switch (s.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return std::nullopt;
  }
  return now - n * unit * 1'000'000;
}

}  // namespace

std::string formatTime(Micros t) {
  const int64_t micros = ((t % 1'000'000) + 1'000'000) % 1'000'000;
  const std::time_t secs = static_cast<std::time_t>((t - micros) / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(micros));
  return buf;
}

std::optional<Micros> parseTime(std::string_view s, Micros now) {
  if (!s.empty() && std::isalpha(static_cast<unsigned char>(s.back())) && s.back() != 'Z') {
    return parseDuration(s, now);
  }
  std::tm tm{};
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(s, pos, 4, year) || !expect(s, pos, '-') || !digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !digits(s, pos, 2, day)) {
    return std::nullopt;
  }
  int64_t fraction = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    ++pos;
    if (!digits(s, pos, 2, hour) || !expect(s, pos, ':') || !digits(s, pos, 2, minute)) {
      return std::nullopt;
    }
    if (expect(s, pos, ':')) {
      if (!digits(s, pos, 2, second)) return std::nullopt;
      if (expect(s, pos, '.')) {
        int64_t scale = 100'000;
        const size_t start = pos;
        for (; pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])); ++pos) {
          fraction += (s[pos] - '0') * scale;
          scale /= 10;
        }
        if (pos == start) return std::nullopt;
      }
    }
  }
  expect(s, pos, 'Z');
  if (pos != s.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<Micros>(timegm(&tm)) * 1'000'000 + fraction;
}

}  // namespace sqlwarden::audit
