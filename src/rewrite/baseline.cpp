#include "rewrite/baseline.hpp"

#include <array>
#include <string>

namespace sqlwarden::rewrite::baseline {

namespace {

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

struct Entry {
  std::string_view pattern;  ///< exact name, or a prefix ending in '*'
  const char* why;
};

bool matches(std::string_view pattern, std::string_view name) {
  if (!pattern.empty() && pattern.back() == '*') return startsWith(name, pattern.substr(0, pattern.size() - 1));
  return pattern == name;
}

constexpr const char* kRunsSql = "it runs SQL given as text, out of the gateway's sight";
constexpr const char* kFiles = "it reaches server files";
constexpr const char* kLargeObjects = "large objects are not available";
constexpr const char* kOtherServers = "it connects to other servers";
constexpr const char* kSettings = "it changes server or session settings the gateway relies on";

constexpr std::array kDeniedFunctions = {
    // SQL inside strings: every function that runs a query it is given as text.
    Entry{"query_to_xml*", kRunsSql}, Entry{"query_to_xmlschema", kRunsSql},
    Entry{"cursor_to_xml*", kRunsSql}, Entry{"table_to_xml*", kRunsSql},
    Entry{"schema_to_xml*", kRunsSql}, Entry{"database_to_xml*", kRunsSql},
    Entry{"ts_stat", kRunsSql}, Entry{"ts_rewrite", kRunsSql},
    // Extensions that run a query given as text: tablefunc, xml2.
    Entry{"crosstab*", kRunsSql}, Entry{"connectby", kRunsSql}, Entry{"xpath_table", kRunsSql},
    // Server files.
    Entry{"pg_read_file", kFiles}, Entry{"pg_read_binary_file", kFiles}, Entry{"pg_stat_file", kFiles},
    Entry{"pg_ls_*", kFiles}, Entry{"pg_file_*", kFiles}, Entry{"pg_logdir_ls", kFiles},
    // Large objects: import/export files, and read stored data unmasked.
    Entry{"lo_*", kLargeObjects}, Entry{"loread", kLargeObjects}, Entry{"lowrite", kLargeObjects},
    // Other servers.
    Entry{"dblink*", kOtherServers}, Entry{"postgres_fdw_*", kOtherServers},
    // Settings and roles.
    Entry{"set_config", kSettings}, Entry{"pg_reload_conf", kSettings},
    // Other sessions' statements, and server files' contents, behind functions
    // (the views over them are denied below).
    Entry{"pg_stat_get_activity", "it shows other sessions' statements"},
    Entry{"pg_stat_get_backend_activity", "it shows other sessions' statements"},
    Entry{"pg_stat_statements*", "it shows other sessions' statements"},
    Entry{"pg_stat_get_wal_receiver", kFiles}, Entry{"pg_stat_get_subscription", kFiles},
    Entry{"pg_hba_file_rules", kFiles}, Entry{"pg_ident_file_mappings", kFiles},
    Entry{"pg_show_all_file_settings", kFiles},
    Entry{"pg_terminate_backend", "it ends other sessions"},
    Entry{"pg_cancel_backend", "it cancels other sessions' queries"},
};

constexpr const char* kRawValues = "it holds raw column values that masks do not cover";
constexpr const char* kSecrets = "it holds credentials";
constexpr const char* kOtherSessions = "it shows other sessions' statements";

constexpr std::array kDeniedRelations = {
    Entry{"pg_statistic", kRawValues}, Entry{"pg_statistic_ext_data", kRawValues},
    Entry{"pg_stats", kRawValues}, Entry{"pg_stats_ext", kRawValues},
    Entry{"pg_stats_ext_exprs", kRawValues}, Entry{"pg_largeobject", kRawValues},
    Entry{"pg_authid", kSecrets}, Entry{"pg_shadow", kSecrets}, Entry{"pg_user_mapping", kSecrets},
    Entry{"pg_user_mappings", kSecrets}, Entry{"pg_subscription", kSecrets},
    Entry{"pg_stat_activity", kOtherSessions}, Entry{"pg_stat_statements", kOtherSessions},
    Entry{"pg_hba_file_rules", kSecrets}, Entry{"pg_file_settings", kSecrets},
};

constexpr std::array<std::string_view, 28> kHarmlessSettings = {
    "application_name", "client_encoding", "datestyle", "intervalstyle", "timezone", "time zone",
    "extra_float_digits", "statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout",
    "client_min_messages", "bytea_output", "default_transaction_isolation",
    "default_transaction_read_only", "transaction_isolation", "transaction_read_only",
    "lc_messages", "lc_monetary", "lc_numeric", "lc_time", "xmloption", "geqo",
    "work_mem", "jit", "enable_seqscan", "enable_indexscan", "enable_bitmapscan", "all",
};

}  // namespace

bool isTransactionControl(std::string_view tag) {
  return tag == "BEGIN" || tag == "START TRANSACTION" || tag == "COMMIT" || tag == "ROLLBACK" ||
         tag == "SAVEPOINT" || tag == "RELEASE" || tag == "SET TRANSACTION" || tag == "SET CONSTRAINTS";
}

bool isHarmlessSetting(std::string_view name) {
  for (std::string_view s : kHarmlessSettings)
    if (s == name) return true;
  return false;
}

const char* deniedFunction(std::string_view /*schema*/, std::string_view name) {
  // By name in every schema: extensions such as dblink install where they are told.
  for (const Entry& e : kDeniedFunctions)
    if (matches(e.pattern, name)) return e.why;
  return nullptr;
}

const char* deniedRelation(std::string_view schema, std::string_view name) {
  if (schema != "pg_catalog" && schema != "public") return nullptr;
  for (const Entry& e : kDeniedRelations)
    if (matches(e.pattern, name)) return e.why;
  return nullptr;
}

bool isSystemSchema(std::string_view schema) {
  return schema == "pg_catalog" || schema == "information_schema";
}

}  // namespace sqlwarden::rewrite::baseline
