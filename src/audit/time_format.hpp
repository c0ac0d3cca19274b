#pragma once
// Timestamps as people type and read them: ISO 8601 in UTC.
#include <optional>
#include <string>
#include <string_view>

#include "audit/records.hpp"

namespace sqlwarden::audit {

/// "2024-05-01T12:00:00.123456Z" (microseconds always shown).
std::string formatTime(Micros t);

/// Parses "2024-05-01", "2024-05-01T12:00", "2024-05-01 12:00:00", with optional
/// fractional seconds and a trailing "Z" (all times are UTC), or a duration
/// before `now`: "90s", "15m", "2h", "7d". Returns nullopt for anything else.
std::optional<Micros> parseTime(std::string_view text, Micros now);

}  // namespace sqlwarden::audit
