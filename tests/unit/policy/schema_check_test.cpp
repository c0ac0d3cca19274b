// lint --schema: names and mask types checked against CREATE TABLE statements.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "policy/compile.hpp"
#include "policy/schema_check.hpp"

namespace {

std::vector<std::string> codesFor(const std::string& rules, const std::string& schema) {
  const auto compiled = sqlwarden::policy::compilePolicies({{"input.rules", rules}});
  REQUIRE(compiled.ok());
  const auto catalog = sqlwarden::catalog::loadCatalog(schema);
  REQUIRE(catalog.errors.empty());
  std::vector<sqlwarden::policy::PolicyDiagnostic> out;
  sqlwarden::policy::checkAgainstSchema(compiled.policy, catalog.catalog, out);
  std::vector<std::string> codes;
  for (const auto& d : out) {
    std::string code = d.diagnostic.code;
    for (const auto& note : d.diagnostic.notes) code += " [" + note + "]";
    codes.push_back(code);
  }
  return codes;
}

const std::string kSchema =
    "CREATE TABLE public.users (id bigint, email text, born date, ssn varchar(11));"
    "CREATE TABLE public.orders (id bigint, tenant_id int);";

}  // namespace

TEST_CASE("policy schema check: names and types that fit give nothing") {
  CHECK(codesFor("version 1;\npolicy p {\n  applies to group \"g\";\n"
                 "  allow select on public.*, public.users;\n"
                 "  mask public.users.email with email;\n  mask *.born with year;\n"
                 "  mask users.ssn with keep_last(4);\n  mask *.nothing_like_this with hash;\n"
                 "  filter public.orders where tenant_id = 1;\n"
                 "  deny table pg_catalog.pg_authid;\n}\n",
                 kSchema)
            .empty());
}

TEST_CASE("policy schema check: unknown names, wrong types, dead allows") {
  const auto codes = codesFor(
      "version 1;\npolicy p {\n  applies to group \"g\";\n"
      "  allow select on public.userz, nosuch.*;\n"
      "  mask public.users.emial with email;\n  mask public.users.born with keep_last(2);\n"
      "  mask public.users.id with year;\n  mask public.custumers.x with hash;\n"
      "  filter public.ordrs where tenant_id = 1;\n}\n",
      kSchema);
  const std::vector<std::string> expected = {
      "W006 [did you mean \"users\"?]",
      "W006",
      "E010 [did you mean \"email\"?]",
      "E011 [this mask works on text columns]",
      "E011 [this mask works on date and timestamp columns]",
      "E009",
      "E009 [did you mean \"public.orders\"?]",
  };
  CHECK(codes == expected);
}
