#pragma once
// Checks of a compiled policy set against the tables a schema declares
// (`sqlwarden lint --schema schema.sql`): codes E009-E011 and W006, see
// docs/rules.md.
#include <vector>

#include "catalog/catalog.hpp"
#include "policy/compile.hpp"

namespace sqlwarden::policy {

/// Appends to `out`: unknown tables (E009) and columns (E010) named exactly
/// by masks and filters, masks whose type cannot apply to the column (E011),
/// and allow patterns that match no table of the schema (W006).
void checkAgainstSchema(const Policy& policy, const catalog::Catalog& catalog,
                        std::vector<PolicyDiagnostic>& out);

}  // namespace sqlwarden::policy
