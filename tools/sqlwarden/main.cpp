// sqlwarden's command line. Only argument handling lives here; each
// subcommand is a function in its own file that calls the libraries.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "parse_command.hpp"

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
  return sqlwarden::tools::kExitUsage;
}
