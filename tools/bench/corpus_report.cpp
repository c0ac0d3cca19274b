// corpus_report: how much of a statement corpus our parser accepts.
//
//     corpus_report [--check] [--failures N] PATH/statements.jsonl
//
// Each line of the corpus is one JSON object: file, index, kind, sql, line,
// and optionally psql_vars (statements that only make sense after psql
// substitutes variables: left out of every count), multi (several statements
// in one line, all must parse) and ended_by. Every statement is also given to
// libpg_query, PostgreSQL's own parser, so that statements PostgreSQL rejects
// too (the regression suite tests its errors) do not count against us.
#include <pg_query.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.hpp"
#include "sql/parser.hpp"
#include "corpus.hpp"

namespace {

using sqlwarden::Diagnostic;
using sqlwarden::bench::CorpusStatement;

// ---------------------------------------------------------------------------
// Judging statements

/// True when PostgreSQL's own parser accepts `sql`.
bool postgresAccepts(const std::string& sql) {
  const PgQueryParseResult result = pg_query_parse(sql.c_str());
  const bool ok = result.error == nullptr;
  pg_query_free_parse_result(result);
  return ok;
}

struct Verdict {
  bool passed = false;
  bool pg_accepts = true;
  Diagnostic error;  ///< our first error, when !passed
};

Verdict judge(sqlwarden::sql::Parser& parser, const CorpusStatement& st) {
  Verdict v;
  v.pg_accepts = postgresAccepts(st.sql);
  try {
    const auto results = parser.parseScript(st.sql);
    v.passed = !results.empty();
    for (const auto& r : results) {
      if (r.ok()) continue;
      v.passed = false;
      v.error = r.error ? *r.error
                        : Diagnostic::error("sql-internal", "failed without a diagnostic", r.span);
      break;
    }
    if (results.empty())
      v.error = Diagnostic::error("sql-internal", "no statement found", sqlwarden::Span{});
  } catch (const std::exception& e) {
    // The parser must not throw; report it as a failure of its own kind.
    v.passed = false;
    v.error = Diagnostic::error("sql-internal", std::string("parser threw: ") + e.what(),
                                sqlwarden::Span{});
  }
  return v;
}

/// The construct a failure is grouped under: its message, with the quoted
/// token normalized so `"from"` and `"FROM"` (or two different string
/// literals) land in one group.
std::string groupKey(const std::string& message) {
  static constexpr std::string_view kNear = " at or near \"";
  const size_t at = message.find(kNear);
  if (at == std::string::npos || message.back() != '"') return message;
  const size_t begin = at + kNear.size();
  std::string token = message.substr(begin, message.size() - 1 - begin);
  if (token.empty()) return message;
  const char first = token.front();
  if (first == '\'' || first == '$' ||
      ((first == 'E' || first == 'e' || first == 'B' || first == 'b' || first == 'X' ||
        first == 'x' || first == 'N' || first == 'n') &&
       token.size() > 1 && token[1] == '\'')) {
    token = "<string>";
  } else if (std::isdigit(static_cast<unsigned char>(first)) ||
             (first == '.' && token.size() > 1 &&
              std::isdigit(static_cast<unsigned char>(token[1])))) {
    token = "<number>";
  } else {
    for (char& c : token) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return message.substr(0, begin) + token + '"';
}

// ---------------------------------------------------------------------------
// Counting and printing

struct Tally {
  int64_t total = 0, passed = 0, failed = 0, pg_rejected = 0;
  void add(const Verdict& v) {
    ++total;
    if (v.passed) {
      ++passed;
    } else {
      ++failed;
      if (!v.pg_accepts) ++pg_rejected;
    }
  }
  /// Statements PostgreSQL accepts: the denominator of the pass rate.
  int64_t judged() const { return total - pg_rejected; }
  double passPercent() const { return judged() ? 100.0 * passed / judged() : 0.0; }
  double rawPercent() const { return total ? 100.0 * passed / total : 0.0; }
};

struct Example {
  std::string where;    ///< file:line of the error
  std::string snippet;  ///< the source line of the error
};

struct FailureGroup {
  int64_t count = 0;
  std::vector<Example> examples;
};

bool isDml(std::string_view kind) {
  static constexpr std::string_view kDml[] = {"SELECT", "WITH",   "VALUES", "TABLE",
                                              "INSERT", "UPDATE", "DELETE", "MERGE"};
  return std::find(std::begin(kDml), std::end(kDml), kind) != std::end(kDml);
}

std::string percent(double p, int64_t denominator) {
  if (denominator == 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", p);
  return buf;
}

void printRow(const std::string& label, const Tally& t) {
  std::printf("%-12s %7lld %7lld %7lld %12lld %8s %8s\n", label.c_str(),
              static_cast<long long>(t.total), static_cast<long long>(t.passed),
              static_cast<long long>(t.failed), static_cast<long long>(t.pg_rejected),
              percent(t.passPercent(), t.judged()).c_str(),
              percent(t.rawPercent(), t.total).c_str());
}

Example exampleOf(const CorpusStatement& st, const Diagnostic& error) {
  const uint32_t offset =
      std::min<uint32_t>(error.span.begin, static_cast<uint32_t>(st.sql.size()));
  const sqlwarden::LineCol lc = sqlwarden::lineColAt(st.sql, offset);
  std::string snippet(sqlwarden::lineAt(st.sql, offset));
  std::replace(snippet.begin(), snippet.end(), '\t', ' ');
  if (snippet.size() > 100) snippet = snippet.substr(0, 97) + "...";
  return Example{st.file + ':' + std::to_string(st.line + lc.line - 1), snippet};
}

void printGroups(const std::map<std::string, FailureGroup>& groups, size_t limit) {
  std::vector<std::pair<std::string, const FailureGroup*>> sorted;
  for (const auto& [key, group] : groups) sorted.emplace_back(key, &group);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  for (size_t i = 0; i < sorted.size() && i < limit; ++i) {
    const auto& [key, group] = sorted[i];
    std::printf("%6lld  %s\n", static_cast<long long>(group->count), key.c_str());
    std::string where;
    for (const auto& ex : group->examples) where += (where.empty() ? "" : ", ") + ex.where;
    std::printf("        at %s\n", where.c_str());
    std::printf("        e.g. %s\n", group->examples.front().snippet.c_str());
  }
  if (sorted.size() > limit)
    std::printf("        ... and %zu more groups (raise --failures to see them)\n",
                sorted.size() - limit);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Reports how much of a statement corpus sqlwarden's parser accepts",
               "corpus_report"};
  std::string path;
  bool check = false;
  size_t max_groups = 40;
  app.add_option("corpus", path, "statements.jsonl of a corpus")->required();
  app.add_flag(
      "--check", check,
      "Exit 1 unless DML >= 98% and overall >= 95% of the statements PostgreSQL accepts parse");
  app.add_option("--failures", max_groups, "How many failure groups to list")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "corpus_report: cannot read %s\n", path.c_str());
    return 2;
  }

  sqlwarden::sql::Parser parser;
  std::map<std::string, Tally> by_kind;
  Tally dml, overall;
  int64_t excluded = 0, lenient = 0;
  std::vector<std::string> lenient_examples;
  std::map<std::string, FailureGroup> failures;     // PostgreSQL accepts these: our gaps
  std::map<std::string, FailureGroup> pg_failures;  // PostgreSQL rejects these too
  std::string line;
  for (int64_t line_no = 1; std::getline(in, line); ++line_no) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string error;
    const auto st = sqlwarden::bench::parseCorpusLine(line, error);
    if (!st) {
      std::fprintf(stderr, "corpus_report: %s:%lld: malformed line: %s\n", path.c_str(),
                   static_cast<long long>(line_no), error.c_str());
      return 2;
    }
    if (st->has_psql_vars) {
      ++excluded;
      continue;
    }
    const Verdict v = judge(parser, *st);
    by_kind[st->kind].add(v);
    overall.add(v);
    if (isDml(st->kind)) dml.add(v);
    if (v.passed) {
      if (!v.pg_accepts) {
        ++lenient;
        if (lenient_examples.size() < 5)
          lenient_examples.push_back(st->file + ':' + std::to_string(st->line));
      }
      continue;
    }
    FailureGroup& group = (v.pg_accepts ? failures : pg_failures)[groupKey(v.error.message)];
    ++group.count;
    if (group.examples.size() < 3) group.examples.push_back(exampleOf(*st, v.error));
  }
  if (overall.total == 0) {
    std::fprintf(stderr, "corpus_report: %s holds no statements\n", path.c_str());
    return 2;
  }

  std::printf("corpus: %s\n", path.c_str());
  std::printf(
      "judge:  libpg_query %s (PostgreSQL %s's parser); statements it rejects too are\n"
      "        left out of the pass %% denominator (raw %% counts everything)\n",
      PG_VERSION, PG_MAJORVERSION);
  std::printf("excluded: %lld statements that use psql variables\n\n",
              static_cast<long long>(excluded));

  std::printf("%-12s %7s %7s %7s %12s %8s %8s\n", "kind", "total", "passed", "failed",
              "pg-rejected", "pass %", "raw %");
  std::vector<std::pair<std::string, Tally>> kinds(by_kind.begin(), by_kind.end());
  std::stable_sort(kinds.begin(), kinds.end(),
                   [](const auto& a, const auto& b) { return a.second.total > b.second.total; });
  for (const auto& [kind, tally] : kinds) printRow(kind, tally);
  std::printf("%s\n", std::string(70, '-').c_str());
  printRow("DML", dml);
  printRow("all", overall);
  std::printf("(DML = SELECT, WITH, VALUES, TABLE, INSERT, UPDATE, DELETE, MERGE)\n");
  if (lenient > 0) {
    std::string where;
    for (const auto& w : lenient_examples) where += (where.empty() ? "" : ", ") + w;
    std::printf("\nAccepted by sqlwarden but rejected by PostgreSQL's parser: %lld (e.g. %s)\n",
                static_cast<long long>(lenient), where.c_str());
  }

  int64_t gap_count = 0;
  for (const auto& [key, group] : failures) gap_count += group.count;
  std::printf("\nFailures PostgreSQL accepts, by error (%lld statements):\n",
              static_cast<long long>(gap_count));
  if (failures.empty()) std::printf("        none\n");
  printGroups(failures, max_groups);
  std::printf(
      "\nFailures PostgreSQL's parser rejects too (not counted against the pass rate):"
      " %lld statements\n",
      static_cast<long long>(overall.pg_rejected));
  printGroups(pg_failures, max_groups);

  bool ok = true;
  if (check) {
    const bool dml_ok = dml.judged() > 0 && dml.passPercent() >= 98.0;
    const bool all_ok = overall.judged() > 0 && overall.passPercent() >= 95.0;
    ok = dml_ok && all_ok;
    std::printf("\ncheck: %s (needs DML >= 98%% and overall >= 95%%)\n", ok ? "passed" : "FAILED");
  }
  std::printf(
      "\npass rate: DML %.2f%% (%lld/%lld), overall %.2f%% (%lld/%lld) of statements "
      "PostgreSQL accepts; raw DML %.2f%%, overall %.2f%%\n",
      dml.passPercent(), static_cast<long long>(dml.passed), static_cast<long long>(dml.judged()),
      overall.passPercent(), static_cast<long long>(overall.passed),
      static_cast<long long>(overall.judged()), dml.rawPercent(), overall.rawPercent());
  return ok ? 0 : 1;
}
