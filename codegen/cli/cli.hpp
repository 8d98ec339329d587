// What the commands of `prisma-cpp` share (codegen/main.cpp: parsing, schema loading, the database
// target), and the commands that live in files of their own.
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

// `generate` (migrate dev runs it after a migration)
int cmd_generate(const Args& a);

// cli/migrate_commands.cpp
int cmd_migrate(const Args& a, const std::vector<std::string>& positional);
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
