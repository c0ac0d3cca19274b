// sqlwarden's command line. Only argument handling lives here; each
// subcommand is a function in its own file that calls the libraries.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "audit_command.hpp"
#include "fmt_command.hpp"
#include "lint_command.hpp"
#include "parse_command.hpp"
#include "passwd_command.hpp"
#include "proxy_command.hpp"
#include "rewrite_command.hpp"
#include "test_command.hpp"

int main(int argc, char** argv) {
  using sqlwarden::tools::OutputFormat;

  CLI::App app{"sqlwarden: a SQL-rewriting query firewall for PostgreSQL", "sqlwarden"};
  app.set_version_flag("--version", std::string("sqlwarden ") + SQLWARDEN_VERSION);
  app.require_subcommand(1);

  sqlwarden::tools::ParseOptions parse_options;
  CLI::App* parse = app.add_subcommand(
      "parse", "Parse SQL and show what each statement is and refers to (nothing is executed)");
  parse->add_option("file", parse_options.input, "SQL file to read; - reads standard input")
      ->capture_default_str();
  std::string format = "text";
  parse->add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  parse->add_flag("--print", parse_options.print,
                  "Print each statement back as SQL (as sqlwarden would send it)");

  sqlwarden::tools::FmtOptions fmt_options;
  CLI::App* fmt = app.add_subcommand("fmt", "Lay out .rules files canonically (comments are kept)");
  fmt->add_option("file", fmt_options.inputs,
                  "Rules files, or directories of them; - or nothing reads standard input");
  fmt->add_flag("--write", fmt_options.write, "Rewrite the files that are not formatted, in place");
  fmt->add_flag("--check", fmt_options.check,
                "Print the names of files that are not formatted; exit 1 if there are any");

  sqlwarden::tools::LintOptions lint_options;
  CLI::App* lint = app.add_subcommand(
      "lint", "Check .rules files: errors and warnings, with their codes (docs/rules.md)");
  lint->add_option("file", lint_options.inputs, "Rules files, compiled together with what they include")
      ->required();
  lint->add_flag("--strict", lint_options.strict, "Exit 1 on warnings too");
  lint->add_option("--schema", lint_options.schema,
                   "SQL file of CREATE TABLE statements: check table and column names and mask types");
  std::string lint_format = "text";
  lint->add_option("--format", lint_format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  sqlwarden::tools::RewriteOptions rewrite_options;
  CLI::App* rewrite = app.add_subcommand(
      "rewrite", "Show what the gateway would do with SQL for one identity (nothing is executed)");
  rewrite->add_option("--rules", rewrite_options.rules, "Rules files or directories of them (repeatable)")
      ->required()
      ->allow_extra_args(false);
  rewrite->add_option("--schema", rewrite_options.schema,
                      "SQL file of CREATE TABLE statements: the tables and columns that exist");
  rewrite->add_option("--user", rewrite_options.user, "The identity's user name")->required();
  rewrite->add_option("--group", rewrite_options.groups, "A group of the identity (repeatable)")
      ->allow_extra_args(false);
  rewrite->add_option("--claim", rewrite_options.claims, "A token claim NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  rewrite->add_flag("--file", rewrite_options.input_is_file, "The argument names a file of SQL");
  rewrite->add_option("sql", rewrite_options.input, "SQL text; - (the default) reads standard input")
      ->capture_default_str();
  std::string rewrite_format = "text";
  rewrite->add_option("--format", rewrite_format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  sqlwarden::tools::TestOptions test_options;
  CLI::App* test = app.add_subcommand(
      "test", "Run golden dry-run tests of policies (docs/testing.md); nothing is executed");
  test->add_option("file", test_options.inputs, ".test files, or directories of them")->required();
  test->add_flag("--update", test_options.update, "Rewrite the expectations in place with what happens now");

  // audit, sessions, approvals (docs/audit.md)
  auto audit_commands = sqlwarden::tools::addAuditCommands(app);

  sqlwarden::tools::ProxyOptions proxy_options;
  CLI::App* proxy = app.add_subcommand("proxy", "Run the PostgreSQL gateway (docs/gateway.md)");
  proxy->add_option("--config", proxy_options.config, "Gateway configuration file")->required();
  proxy->add_flag("--check", proxy_options.check, "Check the configuration and what it names, then exit");

  sqlwarden::tools::PasswdOptions passwd_options;
  CLI::App* passwd = app.add_subcommand(
      "passwd", "Print the SCRAM-SHA-256 verifier of a password read from standard input");
  passwd->add_option("--iterations", passwd_options.iterations, "PBKDF2 iterations")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive here too, with exit code 0.
    return app.exit(e) == 0 ? sqlwarden::tools::kExitOk : sqlwarden::tools::kExitUsage;
  }

  if (*parse) {
    parse_options.format = format == "json" ? OutputFormat::Json : OutputFormat::Text;
    return sqlwarden::tools::runParseCommand(parse_options, std::cout, std::cerr);
  }
  if (*lint) {
    lint_options.format = lint_format == "json" ? OutputFormat::Json : OutputFormat::Text;
    return sqlwarden::tools::runLintCommand(lint_options, std::cout, std::cerr);
  }
  if (*rewrite) {
    rewrite_options.format = rewrite_format == "json" ? OutputFormat::Json : OutputFormat::Text;
    return sqlwarden::tools::runRewriteCommand(rewrite_options, std::cout, std::cerr);
  }
  if (*test) return sqlwarden::tools::runTestCommand(test_options, std::cout, std::cerr);
  if (*fmt) return sqlwarden::tools::runFmtCommand(fmt_options, std::cout, std::cerr);
  if (*proxy) return sqlwarden::tools::runProxyCommand(proxy_options, std::cout, std::cerr);
  if (*passwd) return sqlwarden::tools::runPasswdCommand(passwd_options, std::cin, std::cout, std::cerr);
  if (auto rc = sqlwarden::tools::runAuditCommands(*audit_commands, std::cout, std::cerr)) return *rc;
  return sqlwarden::tools::kExitUsage;
}
