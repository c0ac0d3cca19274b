#include "audit/records.hpp"

#include <chrono>

namespace sqlwarden::audit {

Micros nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view decisionName(Decision d) {
  switch (d) {
    case Decision::Allow:
      return "allow";
    case Decision::Deny:
      return "deny";
    case Decision::Approval:
      return "approval";
  }
  return "allow";
}

std::optional<Decision> parseDecision(std::string_view name) {
  for (Decision d : {Decision::Allow, Decision::Deny, Decision::Approval}) {
    if (decisionName(d) == name) return d;
  }
  return std::nullopt;
}

std::string_view approvalStateName(ApprovalState s) {
  switch (s) {
    case ApprovalState::Pending:
      return "pending";
    case ApprovalState::Approved:
      return "approved";
    case ApprovalState::Denied:
      return "denied";
    case ApprovalState::Expired:
      return "expired";
    case ApprovalState::Used:
      return "used";
  }
  return "pending";
}

std::optional<ApprovalState> parseApprovalState(std::string_view name) {
  for (ApprovalState s : {ApprovalState::Pending, ApprovalState::Approved, ApprovalState::Denied,
                          ApprovalState::Expired, ApprovalState::Used}) {
    if (approvalStateName(s) == name) return s;
  }
  return std::nullopt;
}

bool addResultRow(ResultCapture& capture, Row row, const ResultLimits& limits) {
  if (capture.truncated) return false;
  size_t size = 0;
  for (const auto& cell : row) size += cell ? cell->size() : 0;
  if (capture.rows.size() >= limits.max_rows || capture.bytes + size > limits.max_bytes) {
    capture.truncated = true;
    return false;
  }
  capture.bytes += size;
  capture.rows.push_back(std::move(row));
  return true;
}

}  // namespace sqlwarden::audit
