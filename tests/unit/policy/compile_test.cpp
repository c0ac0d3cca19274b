// The checker/compiler: identity matching, how rules combine, the table
// index, includes, and the semantic errors.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include "policy/compile.hpp"

namespace {

namespace fs = std::filesystem;
using namespace sqlwarden::policy;

std::string allDiagnostics(const CompileResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += r.format(d);
  return out;
}

CompileResult compileText(const std::string& text, const std::string& name = "input.rules") {
  return compilePolicies({SourceInput{name, text}});
}

/// A fresh directory under the system's temp dir, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() /
           ("sqlwarden_compile_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

CompileResult compileFile(const std::string& path) {
  std::string reason;
  auto text = readPolicyFile(path, reason);
  REQUIRE_MESSAGE(text, reason);
  return compilePolicies({SourceInput{path, *text}});
}

Identity user(std::string name, std::vector<std::string> groups = {},
              std::map<std::string, std::string, std::less<>> claims = {}) {
  return Identity{std::move(name), std::move(groups), std::move(claims)};
}

std::vector<std::string> names(const Policy& p, const PolicySet& set) {
  std::vector<std::string> out;
  for (uint32_t i : set.list()) out.push_back(p.policies()[i].name);
  return out;
}

const char* kPolicies = R"RULES(version 1;
mask_function last4 = "right({col}, 4)";
policy analysts {
  applies to group "analysts", user "alice";
  allow select on public.*;
  mask public.users.email with email;
  mask *.card_no with hash;
  filter public.orders where tenant_id = claim("tenant_id");
  limit rows 500;
}
policy staging {
  applies to claim "env" = "staging";
  allow insert, update on staging.*;
  allow select on users;
  deny table public.secrets message "no";
  deny statement copy;
  deny function pg_read_file, dblink*;
  mask public.users.ssn with last4;
  require approval for delete without where;
  limit rows 100;
}
policy ops {
  applies to user "ops";
  allow all;
}
)RULES";

}  // namespace

TEST_CASE("policy compile: identity matching: users, groups, claims") {
  const auto r = compileText(kPolicies);
  REQUIRE_MESSAGE(r.ok(), allDiagnostics(r));
  const Policy& p = r.policy;
  CHECK(names(p, p.policiesFor(user("alice"))) == std::vector<std::string>{"analysts"});
  CHECK(names(p, p.policiesFor(user("bob", {"x", "analysts"}))) == std::vector<std::string>{"analysts"});
  CHECK(names(p, p.policiesFor(user("bob", {}, {{"env", "staging"}}))) ==
        std::vector<std::string>{"staging"});
  CHECK(p.policiesFor(user("bob", {}, {{"env", "prod"}})).empty());
  CHECK(p.policiesFor(user("bob", {"Analysts"})).empty());  // names are case-sensitive
  CHECK(names(p, p.policiesFor(user("ops", {"analysts"}, {{"env", "staging"}}))) ==
        std::vector<std::string>{"analysts", "staging", "ops"});
  // Nobody: no policy, no rules.
  const PolicySet none = p.policiesFor(user("mallory"));
  CHECK(none.empty());
  const TableRules rules = p.rulesFor(none, "public", "users");
  CHECK(rules.allows.empty());
  CHECK(rules.masks.empty());
}

TEST_CASE("policy compile: table lookups: exact, any-schema and wildcard patterns") {
  const auto r = compileText(kPolicies);
  REQUIRE(r.ok());
  const Policy& p = r.policy;
  const PolicySet both = p.policiesFor(user("alice", {}, {{"env", "staging"}}));

  TableRules users = p.rulesFor(both, "public", "users");
  CHECK(users.allows.size() == 2);  // public.* and users (any schema)
  CHECK(users.allowsClass(sqlwarden::policy::ast::StatementClass::Select));
  CHECK_FALSE(users.allowsClass(sqlwarden::policy::ast::StatementClass::Delete));
  REQUIRE(users.masks.size() == 3);  // email, *.card_no, ssn
  CHECK(users.masksFor("email").size() == 1);
  CHECK(users.masksFor("email")[0]->maskName() == "email");
  CHECK(users.masksFor("card_no")[0]->maskName() == "hash");
  CHECK(users.masksFor("ssn")[0]->maskName() == "last4");
  CHECK(users.masksFor("name").empty());
  CHECK(users.filters.empty());
  CHECK(users.approvals.size() == 1);  // delete without where, every table

  TableRules orders = p.rulesFor(both, "public", "orders");
  REQUIRE(orders.filters.size() == 1);
  CHECK(orders.filters[0]->claims == std::vector<std::string>{"tenant_id"});
  CHECK(orders.masks.size() == 1);  // *.card_no

  TableRules secrets = p.rulesFor(both, "public", "secrets");
  REQUIRE(secrets.denies.size() == 1);
  CHECK(secrets.denies[0]->message == std::optional<std::string>("no"));

  TableRules staging = p.rulesFor(both, "staging", "events");
  REQUIRE(staging.allows.size() == 1);
  CHECK(staging.allowsClass(sqlwarden::policy::ast::StatementClass::Insert));
  CHECK_FALSE(staging.allowsClass(sqlwarden::policy::ast::StatementClass::Select));

  // Only the staging policy: the analysts' masks and allows are gone.
  const PolicySet staging_only = p.policiesFor(user("bob", {}, {{"env", "staging"}}));
  users = p.rulesFor(staging_only, "public", "users");
  CHECK(users.allows.size() == 1);
  CHECK(users.masks.size() == 1);
  CHECK(p.rulesFor(staging_only, "other", "users").allows.size() == 1);
  CHECK(p.rulesFor(staging_only, "other", "users2").allows.empty());
}

TEST_CASE("policy compile: deny wins: statement and function denies, row limits") {
  const auto r = compileText(kPolicies);
  REQUIRE(r.ok());
  const Policy& p = r.policy;
  using SC = sqlwarden::policy::ast::StatementClass;
  const PolicySet ops_staging = p.policiesFor(user("ops", {}, {{"env", "staging"}}));
  // ops allows all, but staging's deny of copy applies to the same identity.
  CHECK(p.statementDeny(ops_staging, SC::Copy) != nullptr);
  CHECK(p.statementDeny(ops_staging, SC::Select) == nullptr);
  CHECK(p.statementDeny(p.policiesFor(user("ops")), SC::Copy) == nullptr);

  CHECK(p.functionDenies(ops_staging, "pg_catalog", "pg_read_file").size() == 1);
  CHECK(p.functionDenies(ops_staging, "", "dblink_exec").size() == 1);
  CHECK(p.functionDenies(ops_staging, "", "lower").empty());
  CHECK(p.functionDenies(p.policiesFor(user("ops")), "", "pg_read_file").empty());

  CHECK(p.rowLimit(p.policiesFor(user("alice"))) == std::optional<uint32_t>(500));
  CHECK(p.rowLimit(p.policiesFor(user("alice", {}, {{"env", "staging"}}))) ==
        std::optional<uint32_t>(100));
  CHECK_FALSE(p.rowLimit(p.policiesFor(user("ops"))).has_value());
}

TEST_CASE("policy compile: a claim matcher with an empty value matches nobody") {
  const auto r = compileText("version 1;\npolicy p {\n  applies to claim \"env\" = \"\";\n  allow all;\n}\n");
  CHECK(r.ok());
  CHECK(r.warningCount() == 1);
  CHECK(r.policy.policiesFor(user("x", {}, {{"env", ""}})).empty());
}

TEST_CASE("policy compile: conflicting masks are an error, across policies and overlapping patterns") {
  auto r = compileText(R"RULES(version 1;
policy a {
  applies to group "a";
  mask public.users.email with email;
}
policy b {
  applies to group "b";
  mask public.users.email with redact;
}
)RULES");
  CHECK_FALSE(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].diagnostic.code == "E005");

  r = compileText(R"RULES(version 1;
policy a {
  applies to group "a";
  mask *.email with email;
  mask public.users.email with keep_first(3);
}
)RULES");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].diagnostic.code == "E005");

  // The same mask twice is fine across policies; disjoint columns too.
  r = compileText(R"RULES(version 1;
policy a {
  applies to group "a";
  mask *.email with email;
  mask public.users.phone with keep_last(4);
}
policy b {
  applies to group "b";
  mask public.users.email with email;
  mask public.users.phone2 with redact;
}
)RULES");
  CHECK_MESSAGE(r.diagnostics.empty(), allDiagnostics(r));
}

TEST_CASE("policy compile: semantic errors: unknown mask, counts, duplicate names") {
  auto r = compileText(R"RULES(version 1;
mask_function m = "{col}";
mask_function m = "{col} || 'x'";
policy p {
  applies to user "u";
  mask t.a with emial;
  mask t.b with keep_first(0);
  mask t.c with keep_last(101);
  mask t.d with m;
}
policy p {
  applies to user "v";
}
)RULES");
  std::vector<std::string> codes;
  for (const auto& d : r.diagnostics) codes.push_back(d.diagnostic.code);
  CHECK(codes == std::vector<std::string>{"E003", "E001", "E002", "E002", "E004"});
  CHECK(r.diagnostics[1].diagnostic.notes == std::vector<std::string>{"did you mean \"email\"?"});
}

TEST_CASE("policy compile: syntax errors stop before the checker") {
  const auto r = compileText("version 1;\npolicy p {\n  allow selct;\n  mask t.a with nope;\n}\n");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].diagnostic.code == "rules-syntax");
  CHECK(r.policy.policies().empty());
}

TEST_CASE("policy compile: includes: relative paths, shared definitions, diamonds") {
  TempDir dir;
  dir.write("packs/masks.rules", "version 1;\nmask_function last4 = \"right({col}, 4)\";\ninclude \"common.rules\";\n");
  dir.write("packs/common.rules",
            "version 1;\npolicy common {\n  applies to group \"all\";\n  deny function pg_sleep;\n}\n");
  const std::string main = dir.write(
      "main.rules",
      "version 1;\ninclude \"packs/masks.rules\";\ninclude \"packs/common.rules\";\n"
      "policy p {\n  applies to user \"u\";\n  mask t.ssn with last4;\n}\n");
  const auto r = compileFile(main);
  REQUIRE_MESSAGE(r.ok(), allDiagnostics(r));
  CHECK(r.diagnostics.empty());
  CHECK(r.policy.sources().size() == 3);  // common.rules read once
  CHECK(r.policy.policies().size() == 2);
  CHECK(r.policy.maskFunction("last4") != nullptr);
  const PolicySet set = r.policy.policiesFor(user("u", {"all"}));
  CHECK(r.policy.functionDenies(set, "", "pg_sleep").size() == 1);
  CHECK(r.policy.rulesFor(set, "s", "t").masksFor("ssn").size() == 1);
}

TEST_CASE("policy compile: includes: a cycle and a missing file are errors at the include") {
  TempDir dir;
  const std::string a = dir.write("a.rules", "version 1;\ninclude \"b.rules\";\n");
  dir.write("b.rules", "version 1;\ninclude \"a.rules\";\n");
  auto r = compileFile(a);
  REQUIRE(r.diagnostics.size() == 1);
  const auto& cycle = r.diagnostics[0];
  CHECK(cycle.diagnostic.code == "E006");
  CHECK(cycle.diagnostic.message.find("include cycle: ") == 0);
  CHECK(r.policy.sources()[cycle.source]->name.find("b.rules") != std::string::npos);

  const std::string self = dir.write("self.rules", "version 1;\ninclude \"self.rules\";\n");
  r = compileFile(self);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].diagnostic.code == "E006");

  const std::string missing = dir.write("m.rules", "version 1;\n\ninclude \"nope/x.rules\";\n");
  r = compileFile(missing);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].diagnostic.code == "E007");
  CHECK(r.diagnostics[0].diagnostic.message.find("No such file or directory") != std::string::npos);
  CHECK(r.format(r.diagnostics[0]).find("m.rules:3:9: error: cannot read included file") !=
        std::string::npos);

  // Syntax errors in an included file are reported in that file.
  dir.write("bad.rules", "version 1;\npolicy {\n");
  const std::string inc = dir.write("inc.rules", "version 1;\ninclude \"bad.rules\";\n");
  r = compileFile(inc);
  REQUIRE_FALSE(r.ok());
  CHECK(r.policy.sources()[r.diagnostics[0].source]->name.find("bad.rules") != std::string::npos);
}

TEST_CASE("policy compile: the example policies compile") {
  for (const char* name : {"ai-agents.rules", "dba.rules"}) {
    const auto path = fs::path(SQLWARDEN_SOURCE_DIR) / "examples" / "policies" / name;
    const auto r = compileFile(path.string());
    CHECK_MESSAGE(r.ok(), allDiagnostics(r));
  }
}
