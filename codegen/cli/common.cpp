// What the commands share: usage errors, finding and loading the schema, writing files only when
// they change, the database a command targets (cli/cli.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "psl/diagnostics.hpp"

namespace prisma_cpp::cli {

int usage_error(const std::string& msg) {
  std::cerr << "prisma-cpp: " << msg << "\n\n" << kUsage;
  return 2;
}

fs::path find_schema(const Args& a) {
  if (auto s = a.get("schema"); !s.empty()) return s;
  for (const char* c : {"prisma/schema.prisma", "schema.prisma", "prisma"})
    if (fs::exists(c)) return c;
  throw std::runtime_error(
      "no schema found: pass --schema <file|folder> (looked for ./prisma/schema.prisma, "
      "./schema.prisma and ./prisma/)");
}

// Loads and reports; returns false when the schema has errors.
bool load(const Args& a, schema::Loaded& out) {
  out = schema::load_path(find_schema(a));
  auto& diags = out.diagnostics.all();
  if (a.has("pretty")) {
    for (const auto& d : diags) std::cerr << psl::format_pretty(out.sources, d, false);
  } else {
    std::cerr << psl::format_plain(out.sources, diags);
  }
  std::size_t errors = 0;
  for (const auto& d : diags) errors += d.severity == psl::Severity::Error;
  if (errors)
    std::cerr << "prisma-cpp: " << errors << (errors == 1 ? " error" : " errors")
              << " in the schema\n";
  return errors == 0;
}

bool write_if_changed(const fs::path& path, const std::string& text) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream ss;
      ss << in.rdbuf();
      if (ss.str() == text) return false;
    }
  }
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path());  // `schema.prisma` in the working directory has none
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);  // readers never see a half-written header
  return true;
}

// The URL (--url, else the datasource's url or env("X"), else DATABASE_URL) and the folders.
DbTarget db_target(const Args& a, bool need_schema_for_url) {
  DbTarget t;
  std::optional<fs::path> schema_path;
  try {
    schema_path = find_schema(a);
  } catch (const std::exception&) {
    if (a.get("url").empty()) throw;  // with --url, a schema is optional (db pull, db execute)
  }
  if (schema_path) {
    fs::path sp = fs::absolute(*schema_path);
    t.base_dir = fs::is_directory(sp) ? sp : sp.parent_path();
  } else {
    t.base_dir = fs::current_path();
  }
  t.migrations = a.get("migrations").empty() ? t.base_dir / "migrations" : fs::path(a.get("migrations"));
  t.url = a.get("url");
  if (t.url.empty() && schema_path && need_schema_for_url) {
    schema::Loaded l;
    if (!load(a, l)) throw std::runtime_error("the schema has errors (see above)");
    if (l.schema.datasource) {
      const auto& ds = *l.schema.datasource;
      if (ds.url_env) {
        if (const char* v = std::getenv(ds.url_env->c_str()); v && *v) t.url = v;
        else throw std::runtime_error("the datasource's url is env(\"" + *ds.url_env + "\"), which is not set: set it or pass --url");
      } else if (ds.url) {
        t.url = *ds.url;
      }
    }
  }
  if (t.url.empty())
    if (const char* v = std::getenv("DATABASE_URL"); v && *v) t.url = v;
  if (t.url.empty())
    throw std::runtime_error("no database URL: pass --url, or give the schema's datasource a url, or set DATABASE_URL");
  return t;
}

std::string display_url(const std::string& url) {  // no password in messages
  auto at = url.find('@'), scheme = url.find("://");
  if (at == std::string::npos || scheme == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

}  // namespace prisma_cpp::cli
