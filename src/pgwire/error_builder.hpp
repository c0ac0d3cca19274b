#pragma once
// Builds ErrorResponse and NoticeResponse messages with PostgreSQL's fields.
// https://www.postgresql.org/docs/current/protocol-error-fields.html
#include <cstdint>
#include <string_view>

#include "pgwire/backend_messages.hpp"

namespace sqlwarden::pgwire {

/// Common SQLSTATE codes the gateway sends
/// (https://www.postgresql.org/docs/current/errcodes-appendix.html).
namespace sqlstate {
inline constexpr std::string_view kInsufficientPrivilege = "42501";
inline constexpr std::string_view kInvalidPassword = "28P01";
inline constexpr std::string_view kInvalidAuthorization = "28000";
inline constexpr std::string_view kProtocolViolation = "08P01";
inline constexpr std::string_view kConnectionFailure = "08006";
inline constexpr std::string_view kFeatureNotSupported = "0A000";
inline constexpr std::string_view kTooManyConnections = "53300";
inline constexpr std::string_view kQueryCanceled = "57014";
inline constexpr std::string_view kAdminShutdown = "57P01";
inline constexpr std::string_view kSuccessfulCompletion = "00000";
}  // namespace sqlstate

/// Builds the field list of an ErrorResponse or NoticeResponse. The
/// constructor sets the fields PostgreSQL always sends: S and V (severity,
/// e.g. "ERROR", "FATAL", "NOTICE"), C (SQLSTATE) and M (message); the
/// setters add the optional ones, in the order called.
///
///     encode(ErrorBuilder("ERROR", sqlstate::kInsufficientPrivilege, "permission denied")
///                .hint("ask for approval").error(), out);
class ErrorBuilder {
 public:
  ErrorBuilder(std::string_view severity, std::string_view sqlstate, std::string_view message);

  ErrorBuilder& detail(std::string_view text) { return add('D', text); }
  ErrorBuilder& hint(std::string_view text) { return add('H', text); }
  /// 1-based character position in the query string.
  ErrorBuilder& position(uint32_t pos);
  ErrorBuilder& internalPosition(uint32_t pos);
  ErrorBuilder& internalQuery(std::string_view text) { return add('q', text); }
  ErrorBuilder& where(std::string_view text) { return add('W', text); }
  ErrorBuilder& schema(std::string_view name) { return add('s', name); }
  ErrorBuilder& table(std::string_view name) { return add('t', name); }
  ErrorBuilder& column(std::string_view name) { return add('c', name); }
  ErrorBuilder& dataType(std::string_view name) { return add('d', name); }
  ErrorBuilder& constraint(std::string_view name) { return add('n', name); }
  ErrorBuilder& file(std::string_view name) { return add('F', name); }
  ErrorBuilder& line(uint32_t line);
  ErrorBuilder& routine(std::string_view name) { return add('R', name); }
  /// Any field by its code byte (not 0, which ends the list on the wire).
  ErrorBuilder& add(uint8_t code, std::string_view value);

  ErrorResponse error() const { return ErrorResponse{fields_}; }
  NoticeResponse notice() const { return NoticeResponse{fields_}; }

 private:
  ErrorFields fields_;
};

}  // namespace sqlwarden::pgwire
