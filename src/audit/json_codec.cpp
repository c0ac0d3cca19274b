#include "audit/json_codec.hpp"

namespace sqlwarden::audit {

Result<std::string> JsonCodec::array(const std::vector<std::optional<std::string>>& items) {
  if (items.empty()) return std::string("[]");
  auto it = encoders_.find(items.size());
  if (it == encoders_.end()) {
    std::string sql = "SELECT json_array(";
    for (size_t i = 0; i < items.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
    Result<Statement> stmt = db_.prepare(sql);
    if (!stmt) return stmt.error();
    it = encoders_.emplace(items.size(), std::move(*stmt)).first;
  }
  Statement& stmt = it->second;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i]) {
      stmt.bind(static_cast<int>(i + 1), std::string_view(*items[i]));
    } else {
      stmt.bindNull(static_cast<int>(i + 1));
    }
  }
  Result<bool> row = stmt.step();
  if (!row) return row.error();
  std::string json = stmt.text(0);
  stmt.reset();
  return json;
}

Result<std::string> JsonCodec::array(const std::vector<std::string>& items) {
  return array(std::vector<std::optional<std::string>>(items.begin(), items.end()));
}

Result<std::vector<std::optional<std::string>>> JsonCodec::values(std::string_view json) {
  if (!decoder_) {
    Result<Statement> stmt =
        db_.prepare("SELECT json_type(?1), value FROM json_each(?1) ORDER BY key");
    if (!stmt) return stmt.error();
    decoder_.emplace(std::move(*stmt));
  }
  decoder_->bind(1, json);
  std::vector<std::optional<std::string>> out;
  for (;;) {
    Result<bool> row = decoder_->step();
    if (!row) return row.error();
    if (!*row) break;
    if (decoder_->text(0) != "array") {
      decoder_->reset();
      return auditError("audit-json", "expected a JSON array, got " + std::string(json));
    }
    out.push_back(decoder_->isNull(1) ? std::nullopt : std::optional(decoder_->text(1)));
  }
  decoder_->reset();
  return out;
}

Result<std::vector<std::string>> JsonCodec::strings(std::string_view json) {
  Result<std::vector<std::optional<std::string>>> v = values(json);
  if (!v) return v.error();
  std::vector<std::string> out;
  for (auto& item : *v) out.push_back(item.value_or(""));
  return out;
}

}  // namespace sqlwarden::audit
