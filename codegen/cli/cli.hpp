// What the commands of `prisma-cpp` share (cli/common.cpp: schema loading, the database target;
// codegen/main.cpp reads the command line), and the commands, each group in a file of its own.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "schema/load.hpp"

namespace prisma_cpp::cli {

namespace fs = std::filesystem;

struct Args {
  std::string command;
  std::map<std::string, std::string> opts;  // --key value
  std::vector<std::string> flags;           // --flag
  bool has(const std::string& f) const {
    for (const auto& x : flags)
      if (x == f) return true;
    return false;
  }
  std::string get(const std::string& k, const std::string& d = {}) const {
    auto it = opts.find(k);
    return it == opts.end() ? d : it->second;
  }
};

// The message and the usage on stderr; returns 2.
int usage_error(const std::string& msg);
// --schema, else ./prisma/schema.prisma, ./schema.prisma, ./prisma/.
fs::path find_schema(const Args& a);
// Loads and reports; returns false when the schema has errors.
bool load(const Args& a, schema::Loaded& out);
// Writes atomically, and only a changed text; returns whether it wrote.
bool write_if_changed(const fs::path& path, const std::string& text);

struct DbTarget {
  std::string url;
  fs::path base_dir;    // what relative file: URLs are relative to
  fs::path migrations;  // <schema dir>/migrations unless --migrations
};
// The URL (--url, else the datasource's url or env("X"), else DATABASE_URL) and the folders.
DbTarget db_target(const Args& a, bool need_schema_for_url = true);
// A URL for messages: no password.
std::string display_url(const std::string& url);

// cli/help.cpp: the version (project(prisma-cpp VERSION ...)), the usage, each command's --help
extern const char* const kVersion;
extern const char* const kUsage;
extern const std::map<std::string, std::string> kCommandHelp;

// cli/schema_commands.cpp (migrate dev runs generate after a migration)
int cmd_validate(const Args& a);
int cmd_generate(const Args& a);
int cmd_format(const Args& a);
int cmd_ddl(const Args& a);

// cli/migrate_commands.cpp
int cmd_migrate(const Args& a, const std::vector<std::string>& positional);
// cli/db_commands.cpp
int cmd_db(const Args& a, const std::vector<std::string>& positional);
// cli/serve_commands.cpp
int cmd_serve(const Args& a);
int cmd_studio(const Args& a);
// `prisma-query-engine` (or `prisma-cpp query-engine`): the command line of Prisma's query engine.
int cmd_query_engine(const std::vector<std::string>& args);
// The Prisma engine version whose protocol `query-engine` speaks (Prisma 5.19.0's, which Prisma
// Client Python 0.15 expects from `--version`).
inline constexpr const char* kPrismaEngineVersion = "5fe21811a6ba0b952a3bc71400666511fe3b902f";

}  // namespace prisma_cpp::cli
