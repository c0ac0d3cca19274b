// parse_bench: how fast our parser is, measured against libpg_query
// (PostgreSQL's own parser) on the same statements in the same run.
//
//     parse_bench [--rounds R] [--repeat K] [--file F] [--check]
//
// Measures: the cold first parse of the process; warm per-statement time
// (median over R rounds of the mean over K parses of every statement), also
// normalized to a 140-character statement; the lexer's share of our time; and
// throughput with one and with two threads. `--check` fails when we are more
// than 3x slower than libpg_query.
#include <pg_query.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <latch>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/diagnostic.hpp"
#include "sql/parser.hpp"

#ifndef SQLWARDEN_BENCH_STATEMENTS
#define SQLWARDEN_BENCH_STATEMENTS "tools/bench/oltp_statements.sql"
#endif

namespace {

using Clock = std::chrono::steady_clock;

double secondsBetween(Clock::time_point begin, Clock::time_point end) {
  return std::chrono::duration<double>(end - begin).count();
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/// The first statement of the file, found without the parser: the file keeps
/// one statement per line, and the cold measurement must be the parser's
/// first call.
std::string firstStatementLine(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line.compare(begin, 2, "--") == 0) continue;
    const size_t end = line.find_last_not_of(" \t\r;");
    return line.substr(begin, end + 1 - begin);
  }
  return {};
}

/// True when libpg_query parses `sql`; the parse tree is freed unread.
bool pgParse(const std::string& sql) {
  const PgQueryParseResult result = pg_query_parse(sql.c_str());
  const bool ok = result.error == nullptr;
  pg_query_free_parse_result(result);
  return ok;
}

/// Seconds for `threads` threads to each run `work` at once. `work` builds
/// its own state, then calls `start()`; the clock runs from the moment every
/// thread is ready until the last one finishes.
double timeThreads(int threads,
                   const std::function<void(const std::function<void()>& start)>& work) {
  std::latch ready(threads + 1);
  std::latch go(1);
  const std::function<void()> start = [&] {
    ready.count_down();
    go.wait();
  };
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back([&] { work(start); });
  ready.arrive_and_wait();
  const auto begin = Clock::now();
  go.count_down();
  for (auto& t : pool) t.join();
  return secondsBetween(begin, Clock::now());
}

/// Label padded to `width` columns; counts UTF-8 characters, not bytes, so
/// "µs" lines up.
std::string pad(std::string_view label, size_t width) {
  size_t columns = 0;
  for (const char c : label) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  std::string out(label);
  if (columns < width) out.append(width - columns, ' ');
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times sqlwarden's SQL parser against libpg_query", "parse_bench"};
  std::string file = SQLWARDEN_BENCH_STATEMENTS;
  int rounds = 30;
  int repeat = 20;
  bool check = false;
  app.add_option("--file", file, "Statements to parse, one per line")->capture_default_str();
  app.add_option("--rounds", rounds, "Rounds; medians are taken over them")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--repeat", repeat, "Parses of each statement per round")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--check", check, "Exit 1 when ours/libpg_query is above 3");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "parse_bench: cannot read %s\n", file.c_str());
    return 2;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string first = firstStatementLine(text);
  if (first.empty()) {
    std::fprintf(stderr, "parse_bench: %s holds no statements\n", file.c_str());
    return 2;
  }

  // (1) Cold: nothing has touched either parser yet in this process.
  auto t0 = Clock::now();
  sqlwarden::sql::Parser parser;
  auto t1 = Clock::now();
  const bool first_ok = parser.parseStatement(first).ok();
  auto t2 = Clock::now();
  const double construct_ms = secondsBetween(t0, t1) * 1e3;
  const double cold_ours_ms = secondsBetween(t1, t2) * 1e3;
  t0 = Clock::now();
  const bool first_pg_ok = pgParse(first);
  const double cold_pg_ms = secondsBetween(t0, Clock::now()) * 1e3;

  // Split once with our own parser; statements either parser rejects are left out.
  std::vector<std::string> statements;
  size_t total_chars = 0;
  for (const auto& result : parser.parseScript(text)) {
    if (!result.ok()) {
      const sqlwarden::Diagnostic diag =
          result.error ? *result.error
                       : sqlwarden::Diagnostic::error("sql-internal", "no diagnostic", result.span);
      std::fprintf(stderr, "parse_bench: skipping a statement we cannot parse:\n%s",
                   sqlwarden::formatDiagnostic(diag, file, text).c_str());
      continue;
    }
    std::string sql = text.substr(result.span.begin, result.span.end - result.span.begin);
    if (!pgParse(sql)) {
      std::fprintf(stderr, "parse_bench: skipping a statement libpg_query rejects: %s\n",
                   sql.c_str());
      continue;
    }
    total_chars += sql.size();
    statements.push_back(std::move(sql));
  }
  if (statements.empty()) {
    std::fprintf(stderr, "parse_bench: no statement parses; nothing to measure\n");
    return 2;
  }
  const double n = static_cast<double>(statements.size());
  const double parses_per_round = n * repeat;

  // (2) and (3): warm parse and lexer, interleaved per round so that both
  // parsers see the same machine state.
  std::vector<double> ours_us, pg_us, lex_us, ours_140_us, pg_140_us;
  size_t warm_failures = 0;
  size_t tokens = 0;  // keeps lexOnly's result observable
  for (int round = 0; round < rounds; ++round) {
    t0 = Clock::now();
    for (const auto& sql : statements)
      for (int k = 0; k < repeat; ++k) warm_failures += !parser.parseStatement(sql).ok();
    t1 = Clock::now();
    for (const auto& sql : statements)
      for (int k = 0; k < repeat; ++k) warm_failures += !pgParse(sql);
    t2 = Clock::now();
    for (const auto& sql : statements)
      for (int k = 0; k < repeat; ++k) tokens += parser.lexOnly(sql);
    const auto t3 = Clock::now();
    const double ours = secondsBetween(t0, t1) * 1e6;
    const double pg = secondsBetween(t1, t2) * 1e6;
    ours_us.push_back(ours / parses_per_round);
    pg_us.push_back(pg / parses_per_round);
    lex_us.push_back(secondsBetween(t2, t3) * 1e6 / parses_per_round);
    ours_140_us.push_back(ours / (static_cast<double>(total_chars) * repeat) * 140);
    pg_140_us.push_back(pg / (static_cast<double>(total_chars) * repeat) * 140);
  }
  const double ours_median = median(ours_us);
  const double pg_median = median(pg_us);
  const double lex_median = median(lex_us);
  const double ratio = ours_median / pg_median;

  // (4) Throughput: every thread has its own parser and parses the whole set
  // `rounds` times. Each thread has its own DFA cache (src/sql/parser/
  // fast_atn.hpp), so it warms up on the set once before the clock starts:
  // this measures warm throughput, as in the single-thread figure.
  const auto ours_work = [&](const std::function<void()>& start) {
    sqlwarden::sql::Parser own_parser;
    for (const auto& sql : statements) own_parser.parseStatement(sql);
    start();
    for (int r = 0; r < rounds; ++r)
      for (const auto& sql : statements) own_parser.parseStatement(sql);
  };
  const auto pg_work = [&](const std::function<void()>& start) {
    start();
    for (int r = 0; r < rounds; ++r)
      for (const auto& sql : statements) pgParse(sql);
  };
  const double per_thread = n * rounds;
  // One untimed run first: the first threads of a process also pay for
  // growing fresh malloc arenas, which is not parsing.
  timeThreads(2, ours_work);
  timeThreads(2, pg_work);
  const double ours_1 = per_thread / timeThreads(1, ours_work);
  const double ours_2 = 2 * per_thread / timeThreads(2, ours_work);
  const double pg_1 = per_thread / timeThreads(1, pg_work);
  const double pg_2 = 2 * per_thread / timeThreads(2, pg_work);

  std::printf("parse_bench: %zu statements from %s, %.0f characters on average\n",
              statements.size(), file.c_str(), static_cast<double>(total_chars) / n);
  std::printf(
      "libpg_query %s; %d rounds x %d parses of every statement; medians over rounds;"
      " %u hardware threads\n\n",
      PG_VERSION, rounds, repeat, std::thread::hardware_concurrency());
  std::printf("cold start (first parse in the process, statement 0, %zu characters)\n",
              first.size());
  std::printf("  sqlwarden:   Parser construction %.3f ms, first parse %.3f ms%s\n", construct_ms,
              cold_ours_ms, first_ok ? "" : " (FAILED to parse)");
  std::printf("  libpg_query: first parse %.3f ms%s\n\n", cold_pg_ms,
              first_pg_ok ? "" : " (FAILED to parse)");

  constexpr size_t kLabel = 34;
  std::printf("%s %12s %12s %10s\n", pad("", kLabel).c_str(), "sqlwarden", "libpg_query",
              "ours/pg");
  std::printf("%s %12.2f %12.2f %10.2f\n", pad("warm parse, µs per statement", kLabel).c_str(),
              ours_median, pg_median, ratio);
  std::printf("%s %12.2f %12.2f %10.2f\n", pad("per 140-character statement, µs", kLabel).c_str(),
              median(ours_140_us), median(pg_140_us), median(ours_140_us) / median(pg_140_us));
  std::printf("%s %12.2f %12s %9.1f%%  (lexer share of our parse)\n",
              pad("lexer only, µs per statement", kLabel).c_str(), lex_median, "-",
              100.0 * lex_median / ours_median);
  std::printf("%s %12.0f %12.0f %10.2f\n", pad("1 thread, statements/s", kLabel).c_str(), ours_1,
              pg_1, ours_1 / pg_1);
  std::printf("%s %12.0f %12.0f %10.2f\n", pad("2 threads, statements/s", kLabel).c_str(), ours_2,
              pg_2, ours_2 / pg_2);
  std::printf("%s %11.2fx %11.2fx\n", pad("2-thread speed-up", kLabel).c_str(), ours_2 / ours_1,
              pg_2 / pg_1);
  if (warm_failures > 0)
    std::printf("\nwarning: %zu parses failed during the warm rounds\n", warm_failures);
  if (tokens == 0) std::printf("\nwarning: the lexer produced no tokens\n");

  std::printf("\nratio ours/libpg_query: %.2f (target <= 3.00)\n", ratio);
  return check && ratio > 3.0 ? 1 : 0;
}
