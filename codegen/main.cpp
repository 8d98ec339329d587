// prisma-cpp: the command-line front of the schema compiler. This file reads the command line and
// hands it to the command (cli/cli.hpp): validate, generate, format, ddl (cli/schema_commands.cpp),
// migrate (cli/migrate_commands.cpp), db (cli/db_commands.cpp), serve, studio and query-engine
// (cli/serve_commands.cpp); the help texts are in cli/help.cpp.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <prisma/core/errors.hpp>

#include "cli/cli.hpp"

namespace fs = std::filesystem;

using namespace prisma_cpp::cli;

int main(int argc, char** argv) {
  Args a;
  std::vector<std::string> args(argv + 1, argv + argc);
  // Called as Prisma's query engine (prisma-query-engine, or the client's own name for it,
  // prisma-query-engine-<platform>), or `prisma-cpp query-engine ...`
  std::string self = fs::path(argv[0]).filename().string();
  bool as_engine = self.rfind("prisma-query-engine", 0) == 0 || self.rfind("query-engine", 0) == 0;
  if (as_engine || (!args.empty() && args[0] == "query-engine")) {
    if (!as_engine) args.erase(args.begin());
    try {
      return cmd_query_engine(args);
    } catch (const std::exception& e) {
      std::cerr << "prisma-query-engine (prisma-cpp): " << e.what() << "\n";
      return 1;
    }
  }
  if (args.empty()) { std::cout << kUsage; return 0; }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") { std::cout << kUsage; return 0; }
  if (args[0] == "--version") { std::cout << "prisma-cpp " << kVersion << "\n"; return 0; }
  a.command = args[0];
  if (!kCommandHelp.count(a.command)) return usage_error("unknown command '" + a.command + "'");
  static const std::vector<std::string> with_value = {"shards", "schema", "out", "namespace", "provider", "url",
                                                      "sql-dir", "sql-url",
                                                      "migrations", "applied", "rolled-back", "to-schema",
                                                      "to-schema-datamodel", "file", "name", "from-schema",
                                                      "from-schema-datamodel", "from-migrations", "from-url",
                                                      "to-url", "to-migrations", "shadow-database-url",
                                                      "interval", "max-polls", "host", "port", "token", "max-body", "read-timeout", "connections", "log", "log-format", "slow-query",
                                                      "max-connections", "allow-host", "allow-origin", "max-transaction-timeout",
                                                      "max-transaction-wait", "session-timeout"};
  std::vector<std::string> positional;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string s = args[i];
    if (s == "-h" || s == "--help") { std::cout << kCommandHelp.at(a.command); return 0; }
    if (s.rfind("--", 0) != 0) {
      if (a.command == "ddl" || a.command == "format" || a.command == "validate") {
        a.opts["schema"] = s;  // a bare path is the schema
        continue;
      }
      if (a.command == "migrate" || a.command == "db") {
        positional.push_back(s);
        continue;
      }
      return usage_error("unexpected argument '" + s + "'");
    }
    std::string key = s.substr(2), value;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
      a.opts[key] = value;
    } else if (std::find(with_value.begin(), with_value.end(), key) != with_value.end()) {
      if (i + 1 >= args.size()) return usage_error("--" + key + " needs a value");
      a.opts[key] = args[++i];
    } else {
      a.flags.push_back(key);
    }
  }
  try {
    if (a.command == "validate") return cmd_validate(a);
    if (a.command == "generate") return cmd_generate(a);
    if (a.command == "format") return cmd_format(a);
    if (a.command == "ddl") return cmd_ddl(a);
    if (a.command == "migrate") return cmd_migrate(a, positional);
    if (a.command == "serve") return cmd_serve(a);
    if (a.command == "studio") return cmd_studio(a);
    if (a.command == "db") return cmd_db(a, positional);
  } catch (const prisma::Error& e) {
    std::cerr << "Error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "prisma-cpp: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
