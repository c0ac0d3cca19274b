#pragma once
// The built-in baseline: what every identity may do without a policy saying
// so (transaction control, harmless settings, catalog reads) and what no
// statement may reach whatever the policies say (functions that run SQL out
// of sight or touch server files, relations that hold raw column values or
// credentials). docs/rewrite.md lists every entry and why.
#include <string_view>

namespace sqlwarden::rewrite::baseline {

/// BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ... (by command tag).
bool isTransactionControl(std::string_view tag);

/// Settings a client may SET / RESET / SHOW freely (lower case). Everything
/// else is refused: search_path, role and session_authorization change what
/// names and privileges mean; standard_conforming_strings changes how the
/// engine must read literals.
bool isHarmlessSetting(std::string_view name);

/// Why `schema.name` may never be called, or null. `schema` may be empty.
const char* deniedFunction(std::string_view schema, std::string_view name);

/// Why relation `schema.name` may never be read, or null.
const char* deniedRelation(std::string_view schema, std::string_view name);

/// pg_catalog and information_schema: read by drivers and psql on connect.
bool isSystemSchema(std::string_view schema);

}  // namespace sqlwarden::rewrite::baseline
