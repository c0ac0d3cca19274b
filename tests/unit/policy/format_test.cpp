// `sqlwarden fmt` (policy/format.hpp): the shipped files are already in the
// canonical layout, formatting is idempotent, keeps every comment and never
// changes what a file says.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "policy/format.hpp"
#include "policy/parse.hpp"

namespace {

using sqlwarden::policy::formatPolicyFile;
using sqlwarden::policy::parsePolicyFile;
using sqlwarden::policy::policyContentSummary;

std::string readSource(const std::string& relative) {
  const auto path = std::filesystem::path(SQLWARDEN_SOURCE_DIR) / relative;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot read " << path.string());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string diagnostics(const sqlwarden::policy::PolicyParseResult& r, const std::string& text) {
  std::string out;
  for (const auto& d : r.diagnostics) out += sqlwarden::formatDiagnostic(d, "input", text);
  return out;
}

/// Formats `text`, which must parse without errors.
std::string fmt(const std::string& text) {
  const auto parsed = parsePolicyFile(text, "input");
  REQUIRE_MESSAGE(parsed.ok(), diagnostics(parsed, text));
  return formatPolicyFile(text, parsed.file);
}

/// The `#c<N>` tags in `text`, in order: every test comment carries one.
std::vector<std::string> commentTags(const std::string& text) {
  std::vector<std::string> tags;
  const std::regex tag("#c[0-9]+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator();
       ++it)
    tags.push_back(it->str());
  return tags;
}

/// Everything fmt promises, checked on one input.
void checkFormatting(const std::string& input) {
  CAPTURE(input);
  const std::string once = fmt(input);
  CAPTURE(once);
  const auto reparsed = parsePolicyFile(once, "formatted");
  REQUIRE_MESSAGE(reparsed.ok(), diagnostics(reparsed, once));
  CHECK(policyContentSummary(reparsed.file) ==
        policyContentSummary(parsePolicyFile(input, "input").file));
  CHECK(fmt(once) == once);
  auto before = commentTags(input);
  auto after = commentTags(once);
  std::sort(before.begin(), before.end());
  std::sort(after.begin(), after.end());
  CHECK(before == after);
  CHECK(!once.empty());
  CHECK(once.back() == '\n');
  CHECK(once.find("\n\n\n") == std::string::npos);
  CHECK(once.find(" \n") == std::string::npos);  // no trailing blanks (no SQL with them here)
}

}  // namespace

TEST_CASE("fmt: the example policies and the shipped packs are fixed points") {
  for (const char* path : {"examples/policies/ai-agents.rules", "examples/policies/dba.rules",
                           "rules/postgres-baseline.rules", "rules/pii-columns.rules"}) {
    CAPTURE(path);
    const std::string text = readSource(path);
    CHECK(fmt(text) == text);
    checkFormatting(text);
  }
}

TEST_CASE("fmt: the canonical layout of a messy file") {
  const std::string input =
      "#c1 header\n\n\n#c2 second paragraph\nversion   1 ;   #c3\ninclude  \"a.rules\";\n"
      "mask_function   m=\"left({col}, 2) || '\\\"x\\\\'\";\n"
      "policy   a{   #c4\n\n  #c5\n  applies   to group\"g\" ,claim \"k\"=\"v\";  #c6\n"
      "allow select,insert on public.*,x.y;\n\n\n\n  #c7\n\n"
      "    mask public.users.email with email; #c8\n mask *.ssn with keep_last( 4 );\n"
      "  #c9\n  mask t.very_long_column_name with hash;\n\n  mask t.c with null;\n"
      "  deny function a,   #c10\n     b message \"m\";\n"
      "  filter public.users where tenant_id = claim(\"tenant_id\")\n"
      "     and  x > 1 #c11 inside the SQL\n     and y = 2   #c12 after the SQL\n  ;\n"
      "  require approval for update,delete on a.b without where;\n"
      "limit rows 5;#c13\n  #c14\n\n}   #c15\npolicy b { }\n#c16\n\n";
  const std::string expected =
      "#c1 header\n"
      "\n"
      "#c2 second paragraph\n"
      "version 1;  #c3\n"
      "\n"
      "include \"a.rules\";\n"
      "\n"
      "mask_function m = \"left({col}, 2) || '\\\"x\\\\'\";\n"
      "\n"
      "policy a {  #c4\n"
      "  #c5\n"
      "  applies to group \"g\", claim \"k\" = \"v\";  #c6\n"
      "  allow select, insert on public.*, x.y;\n"
      "\n"
      "  #c7\n"
      "\n"
      "  mask public.users.email      with email;  #c8\n"
      "  mask *.ssn                   with keep_last(4);\n"
      "  #c9\n"
      "  mask t.very_long_column_name with hash;\n"
      "\n"
      "  mask t.c with null;\n"
      "  #c10\n"
      "  deny function a, b message \"m\";\n"
      "  #c12 after the SQL\n"
      "  filter public.users where tenant_id = claim(\"tenant_id\")\n"
      "     and  x > 1 #c11 inside the SQL\n"
      "     and y = 2;\n"
      "  require approval for update, delete on a.b without where;\n"
      "  limit rows 5;  #c13\n"
      "  #c14\n"
      "}  #c15\n"
      "\n"
      "policy b {\n"
      "}\n"
      "\n"
      "#c16\n";
  CHECK(fmt(input) == expected);
  checkFormatting(input);
}

TEST_CASE("fmt: a deny's message moves to a continuation line past 100 columns") {
  // "  deny function " is 16 columns, " message \"\";" 12: a 72-column name
  // makes exactly 100.
  const std::string name72(72, 'f');
  const std::string fits =
      "version 1;\n\npolicy p {\n  deny function " + name72 + " message \"\";\n}\n";
  CHECK(fmt(fits) == fits);
  const std::string longer =
      "version 1;\n\npolicy p {\n  deny function " + name72 + "g message \"\";\n}\n";
  CHECK(fmt(longer) ==
        "version 1;\n\npolicy p {\n  deny function " + name72 + "g\n    message \"\";\n}\n");
  // And back: a short statement written on two lines is joined.
  CHECK(fmt("version 1;\npolicy p {\n  deny table t\n    message \"x\";\n}\n") ==
        "version 1;\n\npolicy p {\n  deny table t message \"x\";\n}\n");
  // Trailing comments do not count, lists never wrap.
  const std::string list =
      "version 1;\n\npolicy p {\n  deny table " + name72 + ", " + name72 + ";  #c1\n}\n";
  CHECK(fmt(list) == list);
}

TEST_CASE("fmt: trailing comments on consecutive lines line up") {
  const std::string input =
      "version 1;\npolicy p {\n  allow select; #c1\n  allow insert on a.b; #c2\n"
      "  limit rows 3;\n  deny table x; #c3\n}\n";
  CHECK(fmt(input) ==
        "version 1;\n\npolicy p {\n"
        "  allow select;         #c1\n"
        "  allow insert on a.b;  #c2\n"
        "  limit rows 3;\n"
        "  deny table x;  #c3\n"
        "}\n");
  checkFormatting(input);
}

TEST_CASE("fmt: idempotent and faithful on messy inputs") {
  const std::vector<std::string> inputs = {
      // Everything on one line.
      "version 1; policy a { applies to user \"u\"; allow all; } policy b { allow select; }",
      // Comments in every gap and inside statements.
      "#c1\nversion #c2\n 1 #c3\n ; #c4\n#c5\npolicy #c6\n p #c7\n { #c8\n"
      "allow #c9\n select #c10\n on #c11\n a.b #c12\n ; #c13\n"
      "mask #c14\n a.b #c15\n with #c16\n keep_first #c17\n ( #c18\n 2 #c19\n ) #c20\n ; #c21\n"
      "} #c22\n#c23",
      // Strings with escapes, tabs, CRLF line ends.
      "version 1;\r\n\tpolicy\tp\t{\r\n\tapplies to user \"a\\\"b\", group \"c\\\\d\";\r\n"
      "\tdeny statement copy\tmessage \"say \\\"no\\\"\";\r\n}\r\n",
      // Several policies and top-level items, blank lines everywhere.
      "\n\n\nversion 1;\n\n\n\ninclude \"x.rules\";\ninclude \"y.rules\";\n"
      "mask_function f = \"coalesce({col}, '')\";\n\n\n\npolicy a {\n\n\n  allow select;\n\n\n}\n"
      "policy b {\n  mask *.x with f;\n  mask *.yy with f; #c1\n\n\n  #c2\n  mask *.zzz with "
      "f;\n}\n\n\n",
      // A long statement with a message, and a filter with SQL comments and quotes.
      "version 1;\npolicy p {\n  deny function pg_read_file, pg_read_binary_file, pg_ls_dir, "
      "pg_stat_file, lo_import, lo_export, dblink*, pg_sleep message \"not available\"; #c1\n"
      "  filter a.b where x = '#not a comment' -- sql comment\n"
      "    and /* block ; } */ y = $$;$$ #c2\n  ;\n}\n",
      // An empty policy and comments before `}`.
      "version 1;\npolicy empty {\n\n  #c1\n\n  #c2\n\n}\n#c3\n",
  };
  for (const auto& input : inputs) checkFormatting(input);
}

TEST_CASE("fmt: policyContentSummary tells different files apart") {
  const auto summary = [](const std::string& text) {
    return policyContentSummary(parsePolicyFile(text, "x").file);
  };
  const std::string base = "version 1;\npolicy p {\n  mask a.b with keep_last(4);\n}\n";
  CHECK(summary(base) == summary("version 1; policy p { mask a.b with keep_last( 4 ) ; }"));
  CHECK(summary(base) != summary("version 1;\npolicy p {\n  mask a.b with keep_last(3);\n}\n"));
  CHECK(summary(base) != summary("version 1;\npolicy q {\n  mask a.b with keep_last(4);\n}\n"));
  CHECK(summary("version 1; policy p { filter t where a = 1; }") !=
        summary("version 1; policy p { filter t where a  = 1; }"));
}
