#pragma once
// Golden files of error messages (tests/golden/<dir>/*.test), shared by the
// SQL and the policy diagnostics tests.
//
// Record format (sqllogictest-like): `#` header lines at the top of a file,
// then records separated by one blank line. A record is the input (one or
// more lines, no blank line), a line `----`, and the expected output. An
// input cannot start with `#` in the first record of a file (the header
// would swallow it).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace sqlwarden::testing {

namespace fs = std::filesystem;

struct GoldenRecord {
  size_t number = 0;  ///< 1-based position in its file
  size_t line = 0;    ///< line of the file where the record starts
  std::string input;
  std::string expected;
};

inline std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    // Tolerate a CRLF checkout; the SQL in these files never holds a CR.
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

inline std::string joinLines(const std::vector<std::string>& lines, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += '\n';
    out += lines[i];
  }
  return out;
}

/// Reads one golden file. Malformed records (no `----`, nothing before or
/// after it) are reported through `problems`.
inline std::vector<GoldenRecord> readGoldenFile(const fs::path& path, std::vector<std::string>& problems) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::vector<std::string> lines = splitLines(text);

  std::vector<GoldenRecord> records;
  size_t i = 0;
  while (i < lines.size() && (lines[i].empty() || lines[i][0] == '#')) ++i;
  while (i < lines.size()) {
    const size_t begin = i;
    while (i < lines.size() && !lines[i].empty()) ++i;
    const size_t end = i;
    while (i < lines.size() && lines[i].empty()) ++i;

    GoldenRecord record;
    record.number = records.size() + 1;
    record.line = begin + 1;
    const auto separator = std::find(lines.begin() + begin, lines.begin() + end, "----");
    const size_t sep = static_cast<size_t>(separator - lines.begin());
    if (sep == end || sep == begin || sep + 1 == end) {
      problems.push_back(path.filename().string() + ":" + std::to_string(record.line) +
                         ": record needs input, a `----` line and expected output");
      continue;
    }
    record.input = joinLines(lines, begin, sep);
    record.expected = joinLines(lines, sep + 1, end) + '\n';
    records.push_back(std::move(record));
  }
  return records;
}

/// Expected and actual side by side, line by line: "  " same, "- " expected, "+ " actual.
inline std::string lineDiff(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> e = splitLines(expected);
  const std::vector<std::string> a = splitLines(actual);
  std::string out = "--- expected\n+++ actual\n";
  for (size_t i = 0; i < std::max(e.size(), a.size()); ++i) {
    if (i < e.size() && i < a.size() && e[i] == a[i]) {
      out += "  " + e[i] + '\n';
      continue;
    }
    if (i < e.size()) out += "- " + e[i] + '\n';
    if (i < a.size()) out += "+ " + a[i] + '\n';
  }
  return out;
}


/// Checks every record of tests/golden/<dir>/*.test: `produce` returns the
/// diagnostics output for an input, or nullopt when the input has no error.
/// Returns the number of records checked.
inline size_t checkGoldenDir(const std::string& dir_name,
                             const std::function<std::optional<std::string>(const std::string&)>&
                                 produce) {
  const fs::path dir = fs::path(SQLWARDEN_SOURCE_DIR) / "tests" / "golden" / dir_name;
  REQUIRE_MESSAGE(fs::is_directory(dir), "missing " << dir.string());

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".test")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE_MESSAGE(!files.empty(), "no .test files in " << dir.string());

  size_t checked = 0;
  for (const fs::path& file : files) {
    std::vector<std::string> problems;
    const std::vector<GoldenRecord> records = readGoldenFile(file, problems);
    for (const std::string& problem : problems) FAIL_CHECK(problem);
    CHECK_MESSAGE(!records.empty(), file.filename().string() << " holds no records");

    for (const GoldenRecord& record : records) {
      ++checked;
      const std::string where = "tests/golden/" + dir_name + "/" + file.filename().string() +
                                ", record " + std::to_string(record.number) + " (line " +
                                std::to_string(record.line) + ")";
      const std::optional<std::string> actual = produce(record.input);
      if (!actual) {
        FAIL_CHECK(where << ": the input parsed without error\n" << record.input);
        continue;
      }
      if (*actual != record.expected) {
        FAIL_CHECK(where << ":\n" << record.input << "\n" << lineDiff(record.expected, *actual));
      }
    }
  }
  MESSAGE(checked << " golden records checked");
  return checked;
}

}  // namespace sqlwarden::testing
