#include "common/diagnostic.hpp"

#include <algorithm>

namespace sqlwarden {

LineCol lineColAt(std::string_view text, uint32_t offset) {
  LineCol lc;
  const uint32_t end = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  for (uint32_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      lc.column = 1;
    } else {
      ++lc.column;
    }
  }
  return lc;
}

std::string_view lineAt(std::string_view text, uint32_t offset) {
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  size_t begin = 0;
  for (size_t i = offset; i > 0; --i) {
    if (text[i - 1] == '\n') {
      begin = i;
      break;
    }
  }
  size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

static const char* severityWord(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string formatDiagnostic(const Diagnostic& diag, std::string_view file,
                             std::string_view source) {
  const LineCol lc = lineColAt(source, diag.span.begin);
  std::string out;
  out += file;
  out += ':' + std::to_string(lc.line) + ':' + std::to_string(lc.column) + ": ";
  out += severityWord(diag.severity);
  out += ": ";
  out += diag.message;
  out += '\n';
  const std::string_view line = lineAt(source, diag.span.begin);
  out += "  ";
  for (char c : line) out += (c == '\t') ? ' ' : c;
  out += "\n  ";
  out.append(lc.column - 1, ' ');
  out += "^\n";
  for (const auto& note : diag.notes) out += "  note: " + note + '\n';
  return out;
}

}  // namespace sqlwarden
