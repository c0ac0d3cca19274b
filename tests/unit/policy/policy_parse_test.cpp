// The .rules parser on the two example files of the language issue: both
// parse, the AST says what the files say, and spans point at the right text.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "policy/parse.hpp"

namespace {

namespace ast = sqlwarden::policy::ast;
using sqlwarden::Span;

std::string readExample(const char* name) {
  const auto path = std::filesystem::path(SQLWARDEN_SOURCE_DIR) / "examples" / "policies" / name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot read " << path.string());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string_view at(const std::string& text, Span span) {
  REQUIRE(span.end >= span.begin);
  REQUIRE(span.end <= text.size());
  return std::string_view(text).substr(span.begin, span.end - span.begin);
}

template <class T>
const T& as(const ast::PolicyStmt& statement) {
  const T* node = boost::get<T>(&statement.get());
  REQUIRE_MESSAGE(node != nullptr, "statement is not the expected kind");
  return *node;
}

std::string allDiagnostics(const sqlwarden::policy::PolicyParseResult& r, const std::string& text) {
  std::string out;
  for (const auto& d : r.diagnostics) out += sqlwarden::formatDiagnostic(d, "file", text);
  return out;
}

}  // namespace

TEST_CASE("examples/policies/ai-agents.rules parses into what it says") {
  const std::string text = readExample("ai-agents.rules");
  const auto result = sqlwarden::policy::parsePolicyFile(text, "ai-agents.rules");
  REQUIRE_MESSAGE(result.ok(), allDiagnostics(result, text));
  CHECK(result.diagnostics.empty());
  const auto& file = result.file;
  CHECK(file.file_name == "ai-agents.rules");

  REQUIRE(file.version);
  CHECK(file.version->number.value == 1);
  CHECK(at(text, file.version->span) == "version 1;");
  CHECK(at(text, file.version->number.span) == "1");

  REQUIRE(file.mask_functions.size() == 1);
  const auto& last4 = file.mask_functions[0];
  CHECK(last4.name.text == "last4");
  CHECK(at(text, last4.name.span) == "last4");
  CHECK(last4.body.value == "repeat('*', greatest(length({col}) - 4, 0)) || right({col}, 4)");
  CHECK(at(text, last4.body.span) == "\"repeat('*', greatest(length({col}) - 4, 0)) || right({col}, 4)\"");
  CHECK(last4.sql.text == last4.body.value);
  CHECK(static_cast<bool>(last4.sql.expr));  // parsed by the SQL front end
  CHECK(at(text, last4.span).substr(0, 20) == "mask_function last4 ");
  CHECK(at(text, last4.span).back() == ';');
  CHECK(file.includes.empty());

  REQUIRE(file.policies.size() == 1);
  const auto& policy = file.policies[0];
  CHECK(policy.name.text == "ai_analytics");
  CHECK(at(text, policy.span).substr(0, 21) == "policy ai_analytics {");
  CHECK(at(text, policy.span).back() == '}');
  REQUIRE(policy.statements.size() == 11);
  const auto& s = policy.statements;

  const auto& applies = as<ast::AppliesTo>(s[0]);
  REQUIRE(applies.matchers.size() == 1);
  CHECK((applies.matchers[0].kind == ast::Matcher::Kind::Group));
  CHECK(applies.matchers[0].value.value == "ai-agents");
  CHECK(at(text, applies.matchers[0].span) == "group \"ai-agents\"");
  CHECK(at(text, applies.span) == "applies to group \"ai-agents\";");

  const auto& allow_select = as<ast::Allow>(s[1]);
  REQUIRE(allow_select.classes.size() == 1);
  CHECK((allow_select.classes[0].value == ast::StatementClass::Select));
  CHECK(at(text, allow_select.classes[0].span) == "select");
  REQUIRE(allow_select.tables.size() == 2);
  CHECK(allow_select.tables[0].parts == std::vector<std::string>{"public", "*"});
  CHECK(allow_select.tables[1].str() == "analytics.*");
  CHECK(at(text, allow_select.tables[1].span) == "analytics.*");

  const auto& allow_write = as<ast::Allow>(s[2]);
  REQUIRE(allow_write.classes.size() == 2);
  CHECK((allow_write.classes[0].value == ast::StatementClass::Insert));
  CHECK((allow_write.classes[1].value == ast::StatementClass::Update));
  REQUIRE(allow_write.tables.size() == 1);
  CHECK(allow_write.tables[0].str() == "staging.*");

  const auto& deny_functions = as<ast::DenyFunction>(s[3]);
  REQUIRE(deny_functions.functions.size() == 8);
  CHECK(deny_functions.functions[0].str() == "pg_read_file");
  CHECK(deny_functions.functions[6].parts == std::vector<std::string>{"dblink*"});
  CHECK(at(text, deny_functions.functions[6].span) == "dblink*");
  CHECK(deny_functions.functions[7].str() == "pg_sleep");
  REQUIRE(deny_functions.message);
  CHECK(deny_functions.message->value == "file, network and sleep functions are not available");
  CHECK(at(text, deny_functions.span).substr(0, 14) == "deny function ");
  CHECK(at(text, deny_functions.span).back() == ';');

  const auto& deny_tables = as<ast::DenyTable>(s[4]);
  REQUIRE(deny_tables.tables.size() == 4);
  CHECK(deny_tables.tables[0].str() == "pg_catalog.pg_authid");
  CHECK(deny_tables.tables[3].str() == "pg_catalog.pg_stats");
  CHECK(!deny_tables.message);

  const auto& mask_email = as<ast::Mask>(s[5]);
  CHECK(mask_email.column.parts == std::vector<std::string>{"public", "users", "email"});
  CHECK((mask_email.mask.kind == ast::MaskSpec::Kind::Email));
  CHECK(at(text, mask_email.mask.span) == "email");
  CHECK(at(text, mask_email.span) == "mask public.users.email with email;");

  const auto& mask_ssn = as<ast::Mask>(s[6]);
  CHECK(mask_ssn.column.str() == "public.users.ssn");
  CHECK((mask_ssn.mask.kind == ast::MaskSpec::Kind::Function));
  CHECK(mask_ssn.mask.function == "last4");
  CHECK(at(text, mask_ssn.mask.span) == "last4");

  const auto& mask_card = as<ast::Mask>(s[7]);
  CHECK(mask_card.column.parts == std::vector<std::string>{"*", "card_no"});
  CHECK((mask_card.mask.kind == ast::MaskSpec::Kind::Hash));

  const auto& filter = as<ast::Filter>(s[8]);
  REQUIRE(filter.tables.size() == 2);
  CHECK(filter.tables[0].str() == "public.users");
  CHECK(filter.tables[1].str() == "public.orders");
  CHECK(filter.condition.text == "tenant_id = claim(\"tenant_id\")");
  CHECK(at(text, filter.condition.span) == "tenant_id = claim(\"tenant_id\")");
  REQUIRE(static_cast<bool>(filter.condition.expr));
  // The expression's spans map back into the file.
  const Span expr_span{filter.condition.fileOffset(filter.condition.expr->span.begin),
                       filter.condition.fileOffset(filter.condition.expr->span.end)};
  CHECK(at(text, expr_span) == "tenant_id = claim(\"tenant_id\")");

  const auto& approval = as<ast::RequireApproval>(s[9]);
  REQUIRE(approval.classes.size() == 2);
  CHECK((approval.classes[0].value == ast::StatementClass::Update));
  CHECK((approval.classes[1].value == ast::StatementClass::Delete));
  CHECK(approval.tables.empty());
  CHECK(approval.without_where);

  const auto& limit = as<ast::LimitRows>(s[10]);
  CHECK(limit.rows.value == 1000);
  CHECK(at(text, limit.rows.span) == "1000");
  CHECK(at(text, limit.span) == "limit rows 1000;");
}

TEST_CASE("examples/policies/dba.rules parses into what it says") {
  const std::string text = readExample("dba.rules");
  const auto result = sqlwarden::policy::parsePolicyFile(text, "dba.rules");
  REQUIRE_MESSAGE(result.ok(), allDiagnostics(result, text));
  const auto& file = result.file;
  REQUIRE(file.version);
  REQUIRE(file.policies.size() == 2);

  const auto& dba = file.policies[0];
  CHECK(dba.name.text == "dba");
  REQUIRE(dba.statements.size() == 3);
  CHECK(as<ast::AppliesTo>(dba.statements[0]).matchers[0].value.value == "dba");
  const auto& allow_all = as<ast::Allow>(dba.statements[1]);
  REQUIRE(allow_all.classes.size() == 1);
  CHECK((allow_all.classes[0].value == ast::StatementClass::All));
  CHECK(allow_all.tables.empty());
  const auto& approval = as<ast::RequireApproval>(dba.statements[2]);
  REQUIRE(approval.classes.size() == 3);
  CHECK((approval.classes[0].value == ast::StatementClass::Drop));
  CHECK((approval.classes[1].value == ast::StatementClass::Truncate));
  CHECK((approval.classes[2].value == ast::StatementClass::Alter));
  CHECK(!approval.without_where);

  const auto& ci = file.policies[1];
  CHECK(ci.name.text == "ci_reader");
  CHECK(at(text, ci.name.span) == "ci_reader");
  REQUIRE(ci.statements.size() == 3);
  const auto& applies = as<ast::AppliesTo>(ci.statements[0]);
  REQUIRE(applies.matchers.size() == 2);
  CHECK((applies.matchers[0].kind == ast::Matcher::Kind::User));
  CHECK(applies.matchers[0].value.value == "ci-bot");
  CHECK(at(text, applies.matchers[0].value.span) == "\"ci-bot\"");
  CHECK((applies.matchers[1].kind == ast::Matcher::Kind::Claim));
  CHECK(applies.matchers[1].value.value == "env");
  CHECK(applies.matchers[1].claim_value.value == "staging");
  CHECK(at(text, applies.matchers[1].span) == "claim \"env\" = \"staging\"");
  CHECK(as<ast::Allow>(ci.statements[1]).tables[0].str() == "staging.*");
  const auto& deny = as<ast::DenyStatement>(ci.statements[2]);
  REQUIRE(deny.classes.size() == 1);
  CHECK((deny.classes[0].value == ast::StatementClass::Copy));
  REQUIRE(deny.message);
  CHECK(deny.message->value == "no bulk export from CI");
  CHECK(at(text, deny.span) == "deny statement copy message \"no bulk export from CI\";");

  // Line and column of a statement, as diagnostics would report it.
  const auto lc = sqlwarden::lineColAt(text, deny.span.begin);
  CHECK(lc.line == 13);
  CHECK(lc.column == 3);
}

TEST_CASE("the rest of the syntax: include, keep_first/keep_last, escapes, on-tables") {
  const std::string text =
      "version 1; # the version\n"
      "include \"packs/pii.rules\";\n"
      "mask_function quoted = \"coalesce(\\\"{col}\\\", 'x\\\\y')\";\n"
      "policy p {\n"
      "  applies to user \"a\", group \"b\";\n"
      "  mask t.name with keep_first(2);\n"
      "  mask s.t.code with keep_last(4);\n"
      "  mask *.birthday with year;\n"
      "  mask *.notes with redact;\n"
      "  mask *.secret with null;\n"
      "  require approval for delete on public.orders, archive.* without where;\n"
      "  deny statement ddl, grant, revoke;\n"
      "  allow select on pg_*, public.user*;\n"
      "  filter orders where status <> ';' and note not like '%}%'  # a comment\n"
      "    and id in (select id from t);\n"
      "}\n";
  const auto result = sqlwarden::policy::parsePolicyFile(text, "x.rules");
  REQUIRE_MESSAGE(result.ok(), allDiagnostics(result, text));
  const auto& file = result.file;
  REQUIRE(file.includes.size() == 1);
  CHECK(file.includes[0].path.value == "packs/pii.rules");
  REQUIRE(file.mask_functions.size() == 1);
  const auto& quoted = file.mask_functions[0];
  CHECK(quoted.body.value == "coalesce(\"{col}\", 'x\\y')");
  CHECK(static_cast<bool>(quoted.sql.expr));
  // Escapes: decoded byte 9 (`"` of `\"`) comes from the backslash in the file.
  REQUIRE(quoted.sql.source_offsets.size() == quoted.body.value.size());
  CHECK(text[quoted.sql.source_offsets[9]] == '\\');

  REQUIRE(file.policies.size() == 1);
  const auto& s = file.policies[0].statements;
  REQUIRE(s.size() == 10);
  CHECK(as<ast::AppliesTo>(s[0]).matchers.size() == 2);
  CHECK((as<ast::Mask>(s[1]).mask.kind == ast::MaskSpec::Kind::KeepFirst));
  CHECK(as<ast::Mask>(s[1]).mask.count == 2);
  CHECK(at(text, as<ast::Mask>(s[1]).mask.span) == "keep_first(2)");
  CHECK((as<ast::Mask>(s[2]).mask.kind == ast::MaskSpec::Kind::KeepLast));
  CHECK(as<ast::Mask>(s[2]).mask.count == 4);
  CHECK((as<ast::Mask>(s[3]).mask.kind == ast::MaskSpec::Kind::Year));
  CHECK((as<ast::Mask>(s[4]).mask.kind == ast::MaskSpec::Kind::Redact));
  CHECK((as<ast::Mask>(s[5]).mask.kind == ast::MaskSpec::Kind::Null));
  const auto& approval = as<ast::RequireApproval>(s[6]);
  CHECK(approval.tables.size() == 2);
  CHECK(approval.without_where);
  CHECK(as<ast::DenyStatement>(s[7]).classes.size() == 3);
  CHECK(as<ast::Allow>(s[8]).tables[0].parts == std::vector<std::string>{"pg_*"});
  CHECK(as<ast::Allow>(s[8]).tables[1].str() == "public.user*");
  const auto& filter = as<ast::Filter>(s[9]);
  CHECK(static_cast<bool>(filter.condition.expr));
  // The `;` and `}` in SQL strings do not end the filter; the # comment is blanked.
  CHECK(filter.condition.text.find("# a comment") == std::string::npos);
  CHECK(filter.condition.text.size() == filter.condition.span.end - filter.condition.span.begin);
  CHECK(at(text, filter.condition.span).substr(0, 20) == "status <> ';' and no");
  CHECK(at(text, filter.condition.span).back() == ')');
}
