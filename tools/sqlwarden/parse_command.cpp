#include "parse_command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

#include "common/diagnostic.hpp"
#include "json_escape.hpp"
#include "read_input.hpp"
#include "sql/fingerprint.hpp"
#include "sql/parser.hpp"
#include "sql/printer.hpp"
#include "sql/references.hpp"

namespace sqlwarden::tools {
namespace {


/// `s.t` with each part quoted only where it would not read back as the same
/// name, so `"Order".id` and `"a.b"` stay unambiguous.
std::string displayName(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    out += sql::quoteIdentifier(parts[i]);
  }
  return out;
}

/// A function name for display: quoted only when it is not a plain lower-case
/// word. Keywords stay bare here, so SQL's own functions read as themselves
/// (`current_date`, `extract`) rather than as quoted user functions.
std::string displayFunctionName(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    const std::string& p = parts[i];
    const bool plain = !p.empty() && !(p[0] >= '0' && p[0] <= '9') &&
                       std::all_of(p.begin(), p.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                       });
    out += plain ? p : sql::quoteIdentifier(p);
  }
  return out;
}

/// The three reference lists `parse` shows, as display names.
struct NameLists {
  std::vector<std::string> tables, columns, functions;
};

NameLists referenceNames(const sql::Statement& stmt) {
  const sql::References refs = sql::collectReferences(stmt);
  NameLists names;
  for (const auto& t : refs.tables) names.tables.push_back(displayName(t.parts));
  for (const auto& c : refs.columns) names.columns.push_back(displayName(c));
  for (const auto& f : refs.functions) names.functions.push_back(displayFunctionName(f.parts));
  return names;
}

void appendJsonArray(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    appendJsonString(out, items[i]);
  }
  out += ']';
}

void appendTextList(std::string& out, std::string_view label,
                    const std::vector<std::string>& items) {
  // Empty lists are left out: BEGIN or SET would otherwise print three blank labels.
  if (items.empty()) return;
  out += "  ";
  out += label;
  out += ": ";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  out += '\n';
}

std::string describeOk(size_t index, const sql::Statement& stmt, uint64_t fingerprint,
                       const ParseOptions& options) {
  std::string out;
  if (options.format == OutputFormat::Json) {
    const NameLists names = referenceNames(stmt);
    out += "{\"index\":" + std::to_string(index) + ",\"kind\":";
    appendJsonString(out, stmt.tag);
    out += ",\"tables\":";
    appendJsonArray(out, names.tables);
    out += ",\"columns\":";
    appendJsonArray(out, names.columns);
    out += ",\"functions\":";
    appendJsonArray(out, names.functions);
    out += ",\"fingerprint\":";
    appendJsonString(out, sql::fingerprintHex(fingerprint));
    if (options.print) {
      out += ",\"sql\":";
      appendJsonString(out, sql::toSql(stmt));
    }
    out += "}\n";
  } else if (options.print) {
    out += sql::toSql(stmt);
    out += ";\n";
  } else {
    // Text numbering counts from 1 like an editor; JSON keeps the 0-based index.
    const NameLists names = referenceNames(stmt);
    out += std::to_string(index + 1) + ": " + stmt.tag + '\n';
    appendTextList(out, "tables", names.tables);
    appendTextList(out, "columns", names.columns);
    appendTextList(out, "functions", names.functions);
  }
  return out;
}

std::string describeError(size_t index, const Diagnostic& diag, std::string_view source,
                          const ParseOptions& options) {
  if (options.format == OutputFormat::Json) {
    const LineCol lc = lineColAt(source, diag.span.begin);
    std::string out = "{\"index\":" + std::to_string(index) +
                      ",\"error\":{\"line\":" + std::to_string(lc.line) +
                      ",\"column\":" + std::to_string(lc.column) + ",\"message\":";
    appendJsonString(out, diag.message);
    out += "}}\n";
    return out;
  }
  // A SQL comment, so that `--print` output still parses as a script.
  if (options.print) return "-- statement " + std::to_string(index + 1) + ": error\n";
  return std::to_string(index + 1) + ": error\n";
}

}  // namespace

int runParseCommand(const ParseOptions& options, std::ostream& out, std::ostream& err) {
  const std::string display_file = options.input == "-" ? "<stdin>" : options.input;
  std::string read_error;
  const std::optional<std::string> text = readInput(options.input, read_error);
  if (!text) {
    err << "sqlwarden: cannot read " << display_file << ": " << read_error << '\n';
    return kExitUsage;
  }

  sql::Parser parser;
  const std::vector<sql::StatementResult> results = parser.parseScript(*text);
  bool any_failed = false;
  for (size_t i = 0; i < results.size(); ++i) {
    const sql::StatementResult& result = results[i];
    if (result.ok()) {
      out << describeOk(i, *result.statement, result.fingerprint, options);
      continue;
    }
    any_failed = true;
    // A failed statement without a diagnostic would be a parser bug; still
    // report it rather than pass it off as parsed.
    const Diagnostic diag =
        result.error
            ? *result.error
            : Diagnostic::error("sql-internal", "statement could not be parsed", result.span);
    out << describeError(i, diag, *text, options);
    // Keep stdout and stderr in order when both go to the same terminal.
    out.flush();
    err << formatDiagnostic(diag, display_file, *text);
  }
  out.flush();
  return any_failed ? kExitInputErrors : kExitOk;
}

}  // namespace sqlwarden::tools
