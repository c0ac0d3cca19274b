// Benchmark of the policy compiler and the compiled Policy's lookups (not a
// test: timings are not pass/fail material on a shared machine).
//
// Generates a .rules file of 2,000 rules in memory (100 policies of 20 rules:
// allows, denies, masks, filters, approvals), then reports
//   - parse + compile time, median of repeated runs, against the 100 ms goal;
//   - the time of 1M lookups "which rules apply to this identity and this
//     table" (policiesFor + rulesFor), for exact, any-schema and unmatched tables.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "policy/compile.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using sqlwarden::policy::Identity;

/// `policies` policies of 20 rules each (plus one applies to line).
std::string generateRules(int policies) {
  static const char* kMasks[] = {"email", "redact", "null", "keep_last(4)", "keep_first(2)", "year"};
  std::string out = "version 1;\n\nmask_function last4 = \"right({col}, 4)\";\n\n";
  for (int p = 0; p < policies; ++p) {
    const std::string s = "app" + std::to_string(p);
    out += "policy team_" + std::to_string(p) + " {\n";
    out += "  applies to group \"team-" + std::to_string(p) + "\", claim \"tenant\" = \"t" +
           std::to_string(p) + "\";\n";
    out += "  allow select on " + s + ".*, shared.t" + std::to_string(p) + ";\n";       // 1
    out += "  allow insert, update on " + s + ".events, " + s + ".orders;\n";        // 2
    out += "  allow delete on " + s + ".tmp_*;\n";                                   // 3
    out += "  deny table " + s + ".secrets, " + s + ".keys message \"no\";\n";        // 4
    out += "  deny function " + s + "_admin_*, pg_sleep, lo_import;\n";              // 5
    out += "  deny statement copy, truncate message \"not here\";\n";                 // 6
    for (int m = 0; m < 8; ++m)                                                      // 7-14
      out += "  mask " + s + ".users.c" + std::to_string(m) + " with " + kMasks[m % 6] + ";\n";
    out += "  mask " + s + ".cards.pan with last4;\n";                               // 15
    out += "  filter " + s + ".orders, " + s + ".events where tenant_id = claim(\"tenant\");\n";  // 16
    out += "  filter " + s + ".users where deleted_at is null and region in ('eu', 'us');\n";    // 17
    out += "  require approval for update, delete on " + s + ".* without where;\n";  // 18
    out += "  require approval for drop, alter;\n";                                  // 19
    out += "  limit rows " + std::to_string(1000 + p) + ";\n";                       // 20
    out += "}\n\n";
  }
  return out;
}

double millisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmark of the .rules compiler and Policy lookups", "policy_bench"};
  int runs = 15;
  long lookups = 1'000'000;
  app.add_option("--runs", runs, "Compile runs (the median is reported)")->capture_default_str();
  app.add_option("--lookups", lookups, "Lookups to time")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const int kPolicies = 100;
  const std::string text = generateRules(kPolicies);
  std::printf("input: %d policies, %d rules, %zu bytes\n", kPolicies, kPolicies * 20, text.size());

  std::vector<double> times;
  sqlwarden::policy::CompileResult result;
  for (int i = 0; i < std::max(runs, 1); ++i) {
    const auto start = Clock::now();
    result = sqlwarden::policy::compilePolicies({{"bench.rules", text}});
    times.push_back(millisSince(start));
  }
  if (!result.ok()) {
    for (const auto& d : result.diagnostics) std::fputs(result.format(d).c_str(), stderr);
    return 1;
  }
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  std::printf("parse+compile: median %.2f ms, min %.2f ms, max %.2f ms over %zu runs (%zu warnings): %s 100 ms\n",
              median, times.front(), times.back(), times.size(), result.warningCount(),
              median < 100.0 ? "under" : "NOT under");

  const sqlwarden::policy::Policy& policy = result.policy;
  std::vector<Identity> identities;
  for (int i = 0; i < 64; ++i) {
    Identity id;
    id.user = "user" + std::to_string(i);
    id.groups = {"team-" + std::to_string(i % kPolicies), "team-" + std::to_string((i * 7) % kPolicies),
                 "staff"};
    id.claims = {{"tenant", "t" + std::to_string((i * 13) % kPolicies)}, {"env", "prod"}};
    identities.push_back(std::move(id));
  }
  struct Table {
    std::string schema, name;
  };
  std::vector<Table> tables;
  for (int i = 0; i < 64; ++i) {
    const std::string s = "app" + std::to_string((i * 7) % kPolicies);
    static const char* kNames[] = {"users", "orders", "events", "tmp_x", "secrets", "other"};
    tables.push_back({i % 8 == 7 ? "shared" : s, i % 8 == 7 ? "t" + std::to_string(i) : kNames[i % 6]});
  }

  sqlwarden::policy::TableRules rules;
  size_t found = 0;
  auto start = Clock::now();
  for (long i = 0; i < lookups; ++i) {
    const auto set = policy.policiesFor(identities[static_cast<size_t>(i) % identities.size()]);
    const Table& t = tables[static_cast<size_t>(i / 3) % tables.size()];
    policy.rulesFor(set, t.schema, t.name, rules);
    found += rules.allows.size() + rules.masks.size() + rules.filters.size() + rules.denies.size();
  }
  double ms = millisSince(start);
  std::printf("%ld lookups (policiesFor + rulesFor): %.1f ms, %.0f ns per lookup (%zu rules found)\n",
              lookups, ms, ms * 1e6 / static_cast<double>(lookups), found);

  // The session case: the identity's PolicySet is computed once per session.
  std::vector<sqlwarden::policy::PolicySet> sets;
  for (const auto& id : identities) sets.push_back(policy.policiesFor(id));
  found = 0;
  start = Clock::now();
  for (long i = 0; i < lookups; ++i) {
    const Table& t = tables[static_cast<size_t>(i / 3) % tables.size()];
    policy.rulesFor(sets[static_cast<size_t>(i) % sets.size()], t.schema, t.name, rules);
    found += rules.allows.size() + rules.masks.size() + rules.filters.size() + rules.denies.size();
  }
  ms = millisSince(start);
  std::printf("%ld lookups (rulesFor, PolicySet per session): %.1f ms, %.0f ns per lookup (%zu rules found)\n",
              lookups, ms, ms * 1e6 / static_cast<double>(lookups), found);
  return 0;
}
