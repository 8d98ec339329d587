// prisma-cpp: the command-line front of the schema compiler (validate, generate, format, ddl).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <prisma/migrate.hpp>

#include "emit/cpp_header.hpp"
#include "emit/ddl.hpp"
#include "emit/json.hpp"
#include "migrate/differ.hpp"
#include "migrate/pull.hpp"
#include "serve/server.hpp"
#include "studio/studio.hpp"
#include "psl/format.hpp"
#include "psl/parser.hpp"
#include "schema/load.hpp"

namespace fs = std::filesystem;
using namespace prisma_cpp;

namespace {

constexpr const char* kVersion = "0.1.0";

const char* kUsage =
    "prisma-cpp " "0.1.0" ": the Prisma schema compiler for C++\n\n"
    "Usage: prisma-cpp <command> [options]\n\n"
    "Commands:\n"
    "  validate   check a schema and report every problem (file:line:col)\n"
    "  generate   write the C++ header <out>/<namespace>/client.hpp\n"
    "  format     rewrite schema files in Prisma's canonical layout\n"
    "  ddl        print the SQL that creates the schema in an empty database\n"
    "  migrate    dev, deploy, status, resolve, reset, diff: Prisma's migrations folder and table\n"
    "  db         push the schema to a database, pull it from one, or execute a SQL script\n"
    "  serve      serve the database to other languages over HTTP (Prisma's JSON protocol)\n"
    "  studio     browse and edit the data in a web browser (token, read-only mode, dark theme)\n\n"
    "Run `prisma-cpp <command> --help` for a command's options.\n"
    "The schema is a .prisma file or a folder of them; without --schema, ./prisma/schema.prisma,\n"
    "./schema.prisma or ./prisma/ is used, as Prisma does.\n";

const std::map<std::string, std::string> kCommandHelp = {
    {"validate",
     "Usage: prisma-cpp validate [--schema <file|folder>] [--json | --dmmf] [--pretty]\n\n"
     "Checks the schema. Problems go to stderr as `file:line:col: error: ...` with a hint;\n"
     "the exit code is 1 when there is any error.\n"
     "  --json     print the resolved schema (our IR) as JSON on stdout\n"
     "  --dmmf     print Prisma's DMMF datamodel as JSON on stdout\n"
     "  --pretty   report problems in `prisma validate`'s layout, with source excerpts\n"},
    {"generate",
     "Usage: prisma-cpp generate --schema <file|folder> --out <dir> [--namespace <ns>]\n\n"
     "Writes under <dir>/<ns>/ (ns defaults to the generator's `namespace` setting, else `db`):\n"
     "client.hpp (the Client), models/<Model>.hpp (one per model), enums.hpp and all.hpp\n"
     "(client.hpp and every model). A file is rewritten only when its content changes, so\n"
     "builds stay incremental. `--out -` prints every file on stdout instead. Also\n"
     "<ns>/nested_<k>.cpp: the nested-write library prisma_generate() compiles.\n"
     "  --shards <n>  split the nested-write library into n files (default 1)\n"
     "  --portable  record no absolute path in the header (relative `file:` URLs then resolve\n"
     "              against the working directory at run time)\n"
     "  --timing   print how long each stage took\n"
     "  --provider sqlite|postgresql  generate for this provider instead of the datasource's\n"
     "             (one schema, several backends: the schema must suit both)\n"},
    {"format",
     "Usage: prisma-cpp format [--schema <file|folder>] [--check]\n\n"
     "Rewrites each schema file in Prisma's canonical layout (idempotent).\n"
     "  --check    change nothing; exit 1 and list the files that are not formatted\n"
     "  --keep-attribute-order  keep attributes in the order written (Prisma 7 sorts them:\n"
     "             @id @unique @default @updatedAt @map @relation @ignore, then the rest;\n"
     "             @@id @@unique @@index @@fulltext @@map, then the rest)\n"},
    {"ddl",
     "Usage: prisma-cpp ddl [--schema <file|folder>] [--provider sqlite|postgresql]\n\n"
     "Prints the SQL (the same as `prisma migrate diff --from-empty --script`) that creates\n"
     "the schema's tables, enums, indexes and foreign keys. The provider defaults to the\n"
     "datasource's.\n"},
    {"migrate",
     "Usage: prisma-cpp migrate <dev|deploy|status|resolve|reset|diff> [options]\n\n"
     "The same folder (<schema dir>/migrations/<timestamp>_<name>/migration.sql, migration_lock.toml)\n"
     "and the same _prisma_migrations table as Prisma's, so prisma-cpp and `prisma migrate` can take\n"
     "turns on one database.\n"
     "  dev --name <name> [--create-only]\n"
     "                              check the database for drift, apply pending migrations, write the\n"
     "                              migration from the history (replayed on a shadow database) to the\n"
     "                              schema, apply it\n"
     "  deploy                      apply the pending migrations in order (exit 1 on failure); says\n"
     "                              what differs when the database has drifted from its migrations\n"
     "  status                      compare the folder with the database (exit 1 unless up to date)\n"
     "  resolve --applied <name>    record a migration as applied without running it\n"
     "  resolve --rolled-back <name>  mark a failed migration rolled back (deploy runs it again)\n"
     "  reset --force               drop every table, view and type, then apply every migration\n"
     "  diff --from-empty|--from-schema <s>|--from-migrations <dir>|--from-url <url>\n"
     "       --to-empty|--to-schema <s>|--to-url <url> [--script] [--exit-code]\n"
     "                              the SQL between the two (with --script, Prisma's layout), or the\n"
     "                              list of differences; --exit-code: 2 when they differ\n"
     "Options:\n"
     "  --schema <file|folder>      the schema (its datasource gives the URL and the provider)\n"
     "  --url <url>                 the database (default: the datasource's url / env(\"...\"), then\n"
     "                              DATABASE_URL); relative file: paths are relative to the schema\n"
     "  --migrations <dir>          the migrations folder (default: <schema dir>/migrations)\n"
     "  --shadow-database-url <url> PostgreSQL: where shadow databases go (default: a temporary\n"
     "                              database on the --url server; the datasource's shadowDatabaseUrl)\n"},
    {"serve",
     "Usage: prisma-cpp serve [--schema <file>] [--url <url>] [--port 4466] [--host 127.0.0.1]\n"
     "                        [--token <t>] [--max-body <bytes>] [--read-timeout <s>] [--connections <n>]\n"
     "                        [--log info,warn,error[,query]] [--log-format text|json] [--slow-query <ms>]\n"
     "                        [--max-connections 128] [--allow-host <names>] [--allow-origin <origins>]\n"
     "                        [--max-transaction-timeout 60000] [--max-transaction-wait 10000]\n\n"
     "Serves the schema's database to clients in other languages over HTTP/1.1, in Prisma's JSON\n"
     "protocol (the binary query engine's): POST / takes a query {\"modelName\", \"action\", \"query\"}\n"
     "or a batch {\"batch\": [...], \"transaction\": {}}; POST /transaction/start ({\"timeout\": ms})\n"
     "gives an id for X-transaction-id, POST /transaction/<id>/commit|rollback ends it; GET /health,\n"
     "GET /health/status (database reachable), GET /metrics (Prometheus). Every action of the typed\n"
     "client: find*, create*, update*, upsertOne, delete*, aggregate, groupBy, relations (include,\n"
     "_count, filters, nested writes), queryRaw/executeRaw. Binds 127.0.0.1 unless --host says\n"
     "otherwise (then a token is required: --token or PRISMA_CPP_SERVE_TOKEN, sent as\n"
     "`Authorization: Bearer <t>`). Logs go to stderr: one line per request (info), the statements\n"
     "(query), statements slower than --slow-query (warn), failures (error); --log-format json\n"
     "writes one JSON object per line. SIGTERM/SIGINT: stop accepting, finish requests in flight.\n"
     "Web pages cannot drive it: a Host other than a loopback name, --host or --allow-host (comma\n"
     "list; * for any) is refused, so is an Origin other than the server's own or --allow-origin,\n"
     "Sec-Fetch-Site cross-site/same-site, and a body that is not application/json. A request must\n"
     "arrive whole within --read-timeout seconds (30); over --max-connections open connections get\n"
     "503. Transactions ask for at most --max-transaction-timeout / --max-transaction-wait ms.\n"},
    {"studio",
     "Usage: prisma-cpp studio [--schema <file>] [--url <url>] [--port 5557] [--host 127.0.0.1]\n"
     "                         [--read-only] [--token <t>] [--session-timeout 3600] [--log ...]\n"
     "                         [--log-format text|json] [--allow-host <names>] [--allow-origin <origins>]\n\n"
     "A data browser in the web browser: models with row counts, a table per model (pages, sorting,\n"
     "filters with Prisma's operators, search, relations to follow and come back from, a record view),\n"
     "staged edits saved in one transaction with Prisma's errors next to the field, create, delete\n"
     "with confirmation, CSV/JSON export, the schema with a diagram, light and dark themes. Prints a\n"
     "URL with a one-time token (a session cookie after the first visit); --token <t> or\n"
     "PRISMA_CPP_STUDIO_TOKEN gives a token that stays valid (also as `Authorization: Bearer <t>`).\n"
     "--read-only refuses every write on the server. The schema is reloaded when its file changes\n"
     "(beside `db pull --watch`). The page is served by the tool itself: no Node, no CDN.\n"
     "A session ends after --session-timeout seconds without a request, a day after signing in, or\n"
     "with Sign out; requests from other sites and ports are refused as `serve` refuses them.\n"},
    {"db",
     "Usage: prisma-cpp db <push|pull|execute> [options]\n\n"
     "  push [--accept-data-loss]   make the database match the schema without a migration; stops\n"
     "                              before losing data (rows in a dropped table or column, ...)\n"
     "  pull [--print]              write the schema from the database (Prisma's introspection rules;\n"
     "                              the file's datasource and generator blocks are kept)\n"
     "  pull --watch [--interval 10s] [--generate --out <dir>]\n"
     "                              poll the database; rewrite the schema (and regenerate) when it\n"
     "                              changes; keep the schema and retry while it is unreachable\n"
     "  execute --file <script.sql> run the script as it is (one simple-protocol query on PostgreSQL)\n"
     "Options: --schema <file|folder>, --url <url> (as for migrate)\n"},
};

struct Args {
  std::string command;
  std::map<std::string, std::string> opts;  // --key value
  std::vector<std::string> flags;           // --flag
  bool has(const std::string& f) const {
    for (const auto& x : flags) if (x == f) return true;
    return false;
  }
  std::string get(const std::string& k, const std::string& d = {}) const {
    auto it = opts.find(k);
    return it == opts.end() ? d : it->second;
  }
};

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

int cmd_validate(const Args& a) {
  schema::Loaded l;
  if (!load(a, l)) return 1;
  if (a.has("json")) std::cout << emit::ir_json(l.schema);
  else if (a.has("dmmf")) std::cout << emit::dmmf_json(l.schema);
  else std::cerr << "The schema at " << find_schema(a).string() << " is valid.\n";
  return 0;
}

int cmd_generate(const Args& a) {
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  std::string out = a.get("out");
  if (out.empty()) return usage_error("generate needs --out <dir>");
  schema::Loaded l;
  if (!load(a, l)) return 1;
  if (std::string p = a.get("provider"); !p.empty()) {
    if (!l.schema.datasource) return usage_error("--provider needs a datasource block in the schema");
    if (p == "sqlite") l.schema.datasource->provider = ir::Provider::Sqlite;
    else if (p == "postgresql") l.schema.datasource->provider = ir::Provider::Postgresql;
    else return usage_error("unknown --provider '" + p + "' (sqlite or postgresql)");
  }
  // The runtime serves SQLite and PostgreSQL: a schema of another provider gets no Client, so
  // generate stops instead of writing headers that cannot run (--provider picks a served one).
  if (auto p = l.schema.provider(); p != ir::Provider::Sqlite && p != ir::Provider::Postgresql) {
    std::cerr << "prisma-cpp: error: "
              << (p == ir::Provider::None ? std::string("the schema has no datasource")
                                          : "the datasource's provider is \"" + std::string(ir::to_string(p)) + "\"")
              << ", and the prisma-cpp runtime serves sqlite and postgresql only.\n"
              << "  hint: generate for one of them with --provider sqlite|postgresql (in CMake: "
                 "prisma_generate(... PROVIDER postgresql)), if the schema suits it.\n";
    return 1;
  }
  auto t1 = clock::now();
  emit::CppOptions opt;
  opt.ns = a.get("namespace");
  if (opt.ns.empty())
    for (const auto& g : l.schema.generators)
      if (auto it = g.config.find("namespace"); it != g.config.end()) opt.ns = it->second;
  if (opt.ns.empty()) opt.ns = "db";
  for (const auto& g : l.schema.generators)
    if (auto it = g.config.find("versionField"); it != g.config.end()) opt.version_field = it->second;
  if (std::string n = a.get("shards"); !n.empty()) {
    char* endp = nullptr;
    unsigned long v = std::strtoul(n.c_str(), &endp, 10);
    if (!endp || *endp || v < 1 || v > 256) return usage_error("--shards takes a number from 1 to 256");
    opt.shards = static_cast<unsigned>(v);
  }
  opt.schema_path = find_schema(a).filename().string();
  if (!a.has("portable")) {
    fs::path sp = fs::absolute(find_schema(a));
    opt.schema_dir = (fs::is_directory(sp) ? sp : sp.parent_path()).lexically_normal().string();
  }
  auto files = emit::cpp_files(l.schema, opt);
  auto t2 = clock::now();
  if (out == "-") {
    for (const auto& f : files) std::cout << "// ==== " << f.path << " ====\n" << f.text;
  } else {
    for (const auto& f : files) write_if_changed(fs::path(out) / f.path, f.text);
    // A model removed from the schema leaves no header behind, fewer shards no source.
    auto prune = [&](const fs::path& dir, const std::string& prefix, const std::string& ext) {
      std::error_code ec;
      if (!fs::is_directory(dir, ec)) return;
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (e.path().extension() != ext || name.rfind(prefix, 0) != 0) continue;
        std::string rel = fs::relative(e.path(), fs::path(out), ec).generic_string();
        bool kept = false;
        for (const auto& f : files) kept = kept || f.path == rel;
        if (!kept) fs::remove(e.path(), ec);
      }
    };
    prune(fs::path(out) / opt.ns / "models", "", ".hpp");
    prune(fs::path(out) / opt.ns, "nested_", ".cpp");
  }
  auto t3 = clock::now();
  if (a.has("timing")) {
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::fprintf(stderr, "parse+validate %.2f ms, emit %.2f ms, write %.2f ms, total %.2f ms\n",
                 ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t3 - t0));
  }
  return 0;
}

int cmd_format(const Args& a) {
  // Only syntax errors stop the formatter (Prisma formats schemas that fail validation).
  psl::SourceSet sources = schema::read_sources(find_schema(a));
  psl::Diagnostics diags;
  std::vector<psl::ast::SchemaFile> files;
  for (std::uint32_t i = 0; i < sources.files.size(); ++i)
    files.push_back(psl::parse(sources[i], i, diags));
  if (diags.has_errors()) {
    std::cerr << psl::format_plain(sources, diags.all());
    std::cerr << "prisma-cpp: the schema has syntax errors; nothing was formatted\n";
    return 1;
  }
  psl::FormatOptions options;
  options.keep_attribute_order = a.has("keep-attribute-order");
  auto texts = psl::format_files(sources, files, options);
  int unformatted = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& f = sources[static_cast<std::uint32_t>(i)];
    if (texts[i] == f.text()) continue;
    if (a.has("check")) {
      std::cerr << f.path() << " is not formatted\n";
      ++unformatted;
    } else {
      write_if_changed(f.path(), texts[i]);
      std::cerr << "Formatted " << f.path() << "\n";
    }
  }
  return unformatted ? 1 : 0;
}

int cmd_ddl(const Args& a);

// --- migrate and db -----------------------------------------------------------------------

struct DbTarget {
  std::string url;
  fs::path base_dir;     // what relative file: URLs are relative to
  fs::path migrations;   // <schema dir>/migrations unless --migrations
};

// The URL (--url, else the datasource's url or env("X"), else DATABASE_URL) and the folders.
DbTarget db_target(const Args& a, bool need_schema_for_url = true) {
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

// A scratch database of the backend: a temporary SQLite file, or a temporary database on the
// PostgreSQL server of `server_url` (or the datasource's shadowDatabaseUrl, used as it is).
class Shadow {
 public:
  Shadow(emit::Dialect d, const std::string& server_url, const std::string& given_url = {}) : dialect_(d) {
    std::string tag = prisma::ids::uuid_v4().substr(0, 8);
    if (!given_url.empty()) {
      url_ = given_url;
      reset();
    } else if (d == emit::Dialect::Sqlite) {
      path_ = (fs::temp_directory_path() / ("prisma-cpp-shadow-" + tag + ".db")).string();
      url_ = "file:" + path_;
    } else {
      if (server_url.empty()) throw std::runtime_error("a PostgreSQL diff needs a server for its shadow database: pass --url (or --shadow-database-url)");
      server_ = server_url;
      db_ = "prisma_cpp_shadow_" + tag;
      prisma::migrate::postgres::Target(server_).execute_script("CREATE DATABASE " + prisma::sql::quoted_ident(db_));
      url_ = with_database(server_, db_);
    }
  }
  ~Shadow() {
    try {
      if (!path_.empty())
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
      if (!db_.empty()) prisma::migrate::postgres::Target(server_).execute_script("DROP DATABASE IF EXISTS " + prisma::sql::quoted_ident(db_) + " WITH (FORCE)");
    } catch (...) {
    }
  }
  Shadow(const Shadow&) = delete;
  Shadow& operator=(const Shadow&) = delete;

  // Runs the scripts in order, then reads what the database holds.
  migrate::Catalog catalog_after(const std::vector<std::pair<std::string, std::string>>& scripts) {
    auto target = prisma::migrate::open_target(url_);
    if (dialect_ == emit::Dialect::Postgresql) {
      auto* pg = static_cast<prisma::migrate::postgres::Target*>(target.get());
      pg->ensure_schema();
    }
    for (const auto& [name, sql] : scripts) {
      try {
        target->execute_script(sql);
      } catch (const std::exception& e) {
        throw std::runtime_error("P3006: Migration `" + name + "` failed to apply cleanly to the shadow database.\n" + e.what());
      }
    }
    return read(*target);
  }
  static migrate::Catalog read(prisma::migrate::Target& t) {
    if (t.provider() == "sqlite") return migrate::introspect(static_cast<prisma::migrate::sqlite::Target&>(t).connection());
    return migrate::introspect(static_cast<prisma::migrate::postgres::Target&>(t).connection());
  }

  // `postgresql://u@h:p/db?x` with another database.
  static std::string with_database(const std::string& url, const std::string& db) {
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    auto query = url.find('?');
    std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
    std::string rest = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + db + rest;
  }

 private:
  void reset() {
    auto t = prisma::migrate::open_target(url_);
    t->drop_everything();
  }
  emit::Dialect dialect_;
  std::string url_, path_, server_, db_;
};

emit::Dialect dialect_of(const ir::Schema& s) {
  if (s.provider() == ir::Provider::Sqlite) return emit::Dialect::Sqlite;
  if (s.provider() == ir::Provider::Postgresql) return emit::Dialect::Postgresql;
  throw std::runtime_error("migrations serve the sqlite and postgresql providers only");
}

std::vector<emit::detail::Step> steps_of(const ir::Schema& s, emit::Dialect d) {
  auto plan = emit::detail::build_plan(s, d);
  return d == emit::Dialect::Sqlite ? emit::detail::sqlite_steps(plan) : emit::detail::postgres_steps(plan);
}

std::vector<std::pair<std::string, std::string>> history_scripts(const std::vector<prisma::migrate::LocalMigration>& ms) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& m : ms) out.emplace_back(m.name, m.script);
  return out;
}

std::string warnings_header(const std::vector<migrate::Warning>& ws) {
  if (ws.empty()) return "";
  std::string out = "/*\n  Warnings:\n\n";
  for (const auto& w : ws) out += "  - " + w.text + "\n";
  return out + "\n*/\n";
}

// db push and migrate dev: the rows a warned-about table holds (no rows: nothing to lose).
std::vector<migrate::Warning> real_losses(prisma::migrate::Target& t, const std::vector<migrate::Warning>& ws) {
  std::vector<migrate::Warning> out;
  for (const auto& w : ws)
    if (t.row_count(w.table) > 0) out.push_back(w);
  return out;
}

// migrate diff --from-... --to-... --script
int cmd_migrate_diff(const Args& a) {
  auto side = [&](const std::string& dir) -> std::pair<std::string, std::string> {
    for (const char* kind : {"empty", "schema", "schema-datamodel", "migrations", "url"}) {
      std::string key = dir + "-" + kind;
      if (std::string(kind) == "empty" ? a.has(key) : !a.get(key).empty()) return {kind, a.get(key)};
    }
    return {"", ""};
  };
  auto from = side("from"), to = side("to");
  if (from.first.empty() || to.first.empty())
    return usage_error("migrate diff needs --from-empty|--from-schema <s>|--from-migrations <dir>|--from-url <url> and "
                       "--to-empty|--to-schema <s>|--to-url <url>");
  if (from.first == "schema-datamodel") from.first = "schema";
  if (to.first == "schema-datamodel") to.first = "schema";
  if (to.first == "migrations") return usage_error("--to-migrations is not supported: diff towards a schema or a database");
  // the schema that says the provider (and renders what gets created)
  std::optional<schema::Loaded> to_schema, from_schema;
  auto load_at = [&](const std::string& path) {
    Args b = a;
    b.opts["schema"] = path;
    schema::Loaded l;
    if (!load(b, l)) throw std::runtime_error("the schema " + path + " has errors");
    return l;
  };
  if (to.first == "schema") to_schema = load_at(to.second);
  if (from.first == "schema") from_schema = load_at(from.second);
  emit::Dialect d;
  if (to_schema) d = dialect_of(to_schema->schema);
  else if (from_schema) d = dialect_of(from_schema->schema);
  else if (std::string p = a.get("provider"); p == "sqlite" || p == "postgresql") d = p == "sqlite" ? emit::Dialect::Sqlite : emit::Dialect::Postgresql;
  else {
    std::string u = to.first == "url" ? to.second : from.second;
    d = u.rfind("postgres", 0) == 0 ? emit::Dialect::Postgresql : emit::Dialect::Sqlite;
  }
  std::string server = a.get("shadow-database-url");
  if (server.empty()) server = to.first == "url" ? to.second : from.first == "url" ? from.second : "";
  if (server.empty() && d == emit::Dialect::Postgresql) {
    if (const char* v = std::getenv("DATABASE_URL"); v && *v) server = v;
  }
  auto catalog = [&](const std::pair<std::string, std::string>& s, const std::optional<schema::Loaded>& l) -> migrate::Catalog {
    if (s.first == "empty") return {};
    if (s.first == "url") {
      auto t = prisma::migrate::open_target(s.second);
      return Shadow::read(*t);
    }
    Shadow shadow(d, server);
    if (s.first == "schema") return shadow.catalog_after({{"schema", emit::ddl(l->schema, d)}});
    return shadow.catalog_after(history_scripts(prisma::migrate::read_migrations(s.second)));
  };
  auto from_cat = catalog(from, from_schema);
  auto to_cat = catalog(to, to_schema);
  std::vector<emit::detail::Step> steps;
  if (to_schema) steps = steps_of(to_schema->schema, d);
  else if (a.has("script") && to.first != "empty" && !(from_cat == to_cat))
    throw std::runtime_error("migrate diff writes SQL towards a schema or towards empty: use --to-schema (without "
                             "--script it lists the differences)");
  if (!a.has("script")) {
    auto diffs = migrate::describe_differences(from_cat, to_cat);
    if (diffs.empty()) std::cout << "No difference detected.\n";
    for (const auto& line : diffs) std::cout << "  - " << line << "\n";
    return a.has("exit-code") && !diffs.empty() ? 2 : 0;
  }
  std::string sql = migrate::render(from_cat, to_cat, steps, d);
  if (a.has("exit-code") && !sql.empty()) {
    std::cout << (a.has("script") ? sql : "");
    return 2;
  }
  if (a.has("script")) {
    std::cout << (sql.empty() ? "-- This is an empty migration.\n" : sql);
  } else {
    auto diffs = migrate::describe_differences(from_cat, to_cat);
    if (diffs.empty()) std::cout << "No difference detected.\n";
    for (const auto& line : diffs) std::cout << "  - " << line << "\n";
  }
  return 0;
}

// The migration directory name: UTC timestamp and the name, with what is not [A-Za-z0-9_] as _.
std::string migration_dir_name(const std::string& name) {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto days = std::chrono::floor<std::chrono::days>(now);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{now - days};
  char ts[32];
  std::snprintf(ts, sizeof ts, "%04d%02u%02u%02lld%02lld%02lld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(hms.hours().count()), static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  std::string clean;
  for (char ch : name) clean += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return std::string(ts) + (clean.empty() ? "" : "_" + clean);
}

int cmd_migrate_dev(const Args& a) {
  std::string name = a.get("name");
  if (name.empty()) return usage_error("migrate dev needs --name <name> (the migration's name)");
  schema::Loaded l;
  if (!load(a, l)) return 1;
  emit::Dialect d = dialect_of(l.schema);
  std::string provider = d == emit::Dialect::Sqlite ? "sqlite" : "postgresql";
  auto t = db_target(a);
  fs::create_directories(t.migrations);
  prisma::migrate::check_lock(t.migrations, provider);
  if (!fs::exists(t.migrations / "migration_lock.toml"))
    write_if_changed(t.migrations / "migration_lock.toml", prisma::migrate::lock_file_text(provider));
  auto local = prisma::migrate::read_migrations(t.migrations);
  auto db = prisma::migrate::open_target(t.url, t.base_dir);
  std::string shadow_url;
  if (l.schema.datasource) {
    const auto& ds = *l.schema.datasource;
    if (ds.shadow_database_url_env) {
      if (const char* v = std::getenv(ds.shadow_database_url_env->c_str()); v && *v) shadow_url = v;
    } else if (ds.shadow_database_url) {
      shadow_url = *ds.shadow_database_url;
    }
  }
  if (!a.get("shadow-database-url").empty()) shadow_url = a.get("shadow-database-url");
  // drift: the database against the migrations it says it has applied
  if (db->has_migrations_table()) {
    auto rows = db->applied();
    std::vector<std::pair<std::string, std::string>> applied_scripts;
    for (const auto& m : local)
      if (std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.name == m.name && r.applied(); }))
        applied_scripts.emplace_back(m.name, m.script);
    Shadow shadow(d, t.url, shadow_url);
    auto expected = shadow.catalog_after(applied_scripts);
    auto actual = Shadow::read(*db);
    auto diffs = migrate::describe_differences(expected, actual);
    if (!diffs.empty()) {
      std::cerr << "Drift detected: Your database schema is not in sync with your migration history.\n\n"
                   "The following is a summary of the differences between the expected database schema given your "
                   "migrations files, and the actual schema of the database.\n\n";
      for (const auto& line : diffs) std::cerr << "  - " << line << "\n";
      std::cerr << "\nWe need to reset the database: run prisma-cpp migrate reset --force (all data will be lost), "
                   "then migrate dev again.\n";
      return 1;
    }
  } else if (!db->is_empty()) {
    throw prisma::migrate::MigrationError("P3005", "The database schema is not empty and has no migration history: "
                                                   "baseline it (migrate resolve --applied) or reset it");
  }
  auto pending = prisma::migrate::deploy(*db, t.migrations);
  for (const auto& n : pending.applied) std::cerr << "Applied migration " << n << "\n";
  Shadow history(d, t.url, shadow_url);
  auto from = history.catalog_after(history_scripts(local));
  Shadow target(d, t.url, shadow_url);
  auto to = target.catalog_after({{"schema", emit::ddl(l.schema, d)}});
  std::string sql = migrate::render(from, to, steps_of(l.schema, d), d);
  if (sql.empty()) {
    std::cerr << "Already in sync, no schema change or pending migration was found.\n";
    return 0;
  }
  auto warnings = migrate::data_loss_warnings(from, to);
  fs::path dir = t.migrations / migration_dir_name(name);
  write_if_changed(dir / "migration.sql", warnings_header(warnings) + sql);
  std::cerr << "Created " << (dir / "migration.sql").string() << "\n";
  for (const auto& w : warnings) std::cerr << "warning: " << w.text << "\n";
  if (a.has("create-only")) {
    std::cerr << "Not applied (--create-only): edit it if needed, then run migrate dev or migrate deploy.\n";
    return 0;
  }
  auto report = prisma::migrate::deploy(*db, t.migrations);
  for (const auto& n : report.applied) std::cerr << "Applied migration " << n << "\n";
  std::cerr << "\nYour database is now in sync with your schema.\n";
  return 0;
}

int cmd_db_push(const Args& a) {
  schema::Loaded l;
  if (!load(a, l)) return 1;
  emit::Dialect d = dialect_of(l.schema);
  auto t = db_target(a);
  auto db = prisma::migrate::open_target(t.url, t.base_dir);
  if (d == emit::Dialect::Postgresql) {  // the URL's schema, made when missing (as Prisma's db push does)
    auto* pg = static_cast<prisma::migrate::postgres::Target*>(db.get());
    pg->ensure_schema();
  }
  auto from = Shadow::read(*db);
  Shadow target(d, t.url);
  auto to = target.catalog_after({{"schema", emit::ddl(l.schema, d)}});
  std::string sql = migrate::render(from, to, steps_of(l.schema, d), d);
  if (sql.empty()) {
    std::cerr << "The database is already in sync with the Prisma schema.\n";
    return 0;
  }
  auto losses = real_losses(*db, migrate::data_loss_warnings(from, to));
  if (!losses.empty() && !a.has("accept-data-loss")) {
    std::cerr << "\u26a0\ufe0f  There might be data loss when applying the changes:\n\n";
    for (const auto& w : losses) std::cerr << "  \u2022 " << w.text << "\n";
    std::cerr << "\nNothing was changed. Run again with --accept-data-loss to apply the changes anyway.\n";
    return 1;
  }
  if (d == emit::Dialect::Sqlite) {
    auto& conn = static_cast<prisma::migrate::sqlite::Target&>(*db).connection();
    prisma::driver::sqlite::Atomic tx(conn);
    conn.exec(sql);
    tx.commit();
  } else {
    db->execute_script(sql);
  }
  std::cerr << "Your database is now in sync with your Prisma schema.\n";
  return 0;
}

// db pull: the schema from the database; the existing file's datasource and generator blocks kept.
// Returns the schema text (formatted) and how many models it has.
std::pair<std::string, std::size_t> pull_schema(const DbTarget& t, const std::optional<fs::path>& schema_file) {
  if (t.url.rfind("file:", 0) == 0 || t.url.rfind("sqlite:", 0) == 0) {
    // never create the file: a missing database is an error (db pull --watch waits for it)
    auto path = prisma::detail::sqlite_path(t.url, t.base_dir.string());
    if (path != ":memory:" && !fs::exists(path)) throw prisma::Error("P1003", "Database " + path + " does not exist");
  }
  auto db = prisma::migrate::open_target(t.url, t.base_dir);
  emit::Dialect d = db->provider() == "sqlite" ? emit::Dialect::Sqlite : emit::Dialect::Postgresql;
  auto catalog = Shadow::read(*db);
  if (catalog.tables.empty() && catalog.enums.empty())
    throw prisma::Error("P4001", "The introspected database was empty: " + display_url(t.url));
  std::string header;
  if (schema_file && fs::exists(*schema_file)) {
    std::string text = prisma::migrate::read_file(*schema_file);
    for (const char* kw : {"generator ", "datasource "}) {
      for (std::size_t p = text.find(kw); p != std::string::npos; p = text.find(kw, p + 1)) {
        if (p != 0 && text[p - 1] != '\n') continue;
        auto close = text.find("\n}", p);
        if (close == std::string::npos) continue;
        header += text.substr(p, close + 2 - p) + "\n\n";
      }
    }
  }
  if (header.empty())
    header = std::string("datasource db {\n  provider = \"") + (d == emit::Dialect::Sqlite ? "sqlite" : "postgresql") + "\"\n}\n";
  // re-introspection keeps the names the existing schema gave and its @updatedAt
  migrate::Existing existing;
  if (schema_file && fs::exists(*schema_file)) {
    schema::Loaded l = schema::load_path(*schema_file);
    if (!l.diagnostics.has_errors()) {
      const auto& sc = l.schema;
      for (const auto& m : sc.models) {
        existing.model_of_table[m.db_name] = m.name;
        existing.table_order.push_back(m.db_name);
        for (const auto& f : m.fields) {
          if (f.kind == ir::FieldKind::Relation) continue;
          existing.field_of_column[m.db_name + "." + f.db_name] = f.name;
          if (f.is_updated_at) existing.updated_at.insert(m.db_name + "." + f.db_name);
        }
      }
      for (const auto& r : sc.relations) {
        if (r.kind == ir::Relation::Kind::ManyToMany || r.model_a == ir::npos || r.model_b == ir::npos ||
            r.field_a == ir::npos || r.field_b == ir::npos)
          continue;
        const auto& child = sc.models[r.model_a];
        const auto& parent = sc.models[r.model_b];
        std::string key = child.db_name + "|";
        for (std::size_t i = 0; i < r.fields.size(); ++i) key += (i ? "," : "") + child.fields[r.fields[i]].db_name;
        existing.relation_fields[key] = {child.fields[r.field_a].name, parent.fields[r.field_b].name};
      }
    }
  }
  std::string text = migrate::schema_from_catalog(catalog, d, header, existing);
  psl::SourceSet sources;
  sources.files.emplace_back(schema_file ? schema_file->string() : std::string("schema.prisma"), text);
  psl::Diagnostics diags;
  std::vector<psl::ast::SchemaFile> files{psl::parse(sources[0], 0, diags)};
  if (!diags.has_errors()) text = psl::format_files(sources, files, psl::FormatOptions{})[0];
  std::size_t models = 0;
  for (const auto& tb : catalog.tables) models += tb.name.empty() || tb.name[0] != '_' || tb.columns.size() != 2;
  return {text, models};
}

volatile std::sig_atomic_t g_stop = 0;

// "10s", "500ms", "2m" -> milliseconds
std::chrono::milliseconds parse_interval(const std::string& text) {
  std::size_t pos = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &pos);
  } catch (const std::exception&) {
    throw std::runtime_error("--interval takes a duration such as 10s, 500ms or 2m, not '" + text + "'");
  }
  std::string unit = text.substr(pos);
  if (n <= 0) throw std::runtime_error("--interval must be positive");
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s" || unit.empty()) return std::chrono::seconds(n);
  if (unit == "m") return std::chrono::minutes(n);
  throw std::runtime_error("--interval takes a duration such as 10s, 500ms or 2m, not '" + text + "'");
}

int cmd_db_pull(const Args& a) {
  auto t = db_target(a, /*need_schema_for_url=*/true);
  std::optional<fs::path> schema_file;
  try {
    fs::path p = find_schema(a);
    if (!fs::is_directory(p)) schema_file = p;
  } catch (const std::exception&) {
  }
  if (!a.has("watch")) {
    auto [text, models] = pull_schema(t, schema_file);
    if (a.has("print") || !schema_file) {
      std::cout << text;
      return 0;
    }
    write_if_changed(*schema_file, text);
    std::cerr << "Introspected " << models << " models and wrote them into " << schema_file->string() << "\n";
    return 0;
  }
  // --watch: poll, rewrite the schema (and regenerate) when the database changes, keep going
  // when it is unreachable; stops on SIGINT/SIGTERM (or after --max-polls, for tests)
  if (!schema_file) return usage_error("db pull --watch needs --schema <file> to keep in sync");
  auto interval = parse_interval(a.get("interval", "10s"));
  long long max_polls = a.get("max-polls").empty() ? -1 : std::stoll(a.get("max-polls"));
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::string last_error;
  for (long long poll = 0; !g_stop && (max_polls < 0 || poll < max_polls); ++poll) {
    try {
      auto [text, models] = pull_schema(t, schema_file);
      if (!last_error.empty()) std::cerr << "The database is reachable again.\n";
      last_error.clear();
      if (write_if_changed(*schema_file, text)) {
        std::cerr << "The database changed: wrote " << models << " models into " << schema_file->string() << "\n";
        if (a.has("generate")) {
          if (a.get("out").empty()) throw std::runtime_error("--generate needs --out <dir>");
          Args g = a;
          g.opts["schema"] = schema_file->string();
          if (cmd_generate(g) == 0) std::cerr << "Regenerated the client in " << a.get("out") << "\n";
        }
      }
    } catch (const std::exception& e) {
      if (e.what() != last_error) std::cerr << "db pull --watch: " << e.what() << " (the schema is kept; retrying)\n";
      last_error = e.what();
    }
    for (auto waited = std::chrono::milliseconds(0); waited < interval && !g_stop; waited += std::chrono::milliseconds(50))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

// serve: the engine over HTTP for clients in other languages.
// The options `serve` and `studio` share: --host, --port, limits, --log, --log-format, --slow-query.
// Returns 0, or the exit code of a usage error.
int server_options(const Args& a, serve::ServerOptions& opt, prisma::ClientOptions& observe, const char* default_port,
                   std::size_t& connections) {
  opt.host = a.get("host", "127.0.0.1");
  std::string port = a.get("port", default_port);
  try {
    std::size_t used = 0;
    unsigned long p = std::stoul(port, &used);
    if (p > 65535 || used != port.size()) throw std::out_of_range("port");
    opt.port = static_cast<unsigned short>(p);
  } catch (const std::exception&) {
    return usage_error("--port takes a number from 0 to 65535, not '" + port + "'");
  }
  if (opt.host == "localhost") opt.host = "127.0.0.1";
  auto number = [&](const char* name, unsigned long fallback) -> std::optional<unsigned long> {
    std::string v = a.get(name);
    if (v.empty()) return fallback;
    try {
      std::size_t used = 0;
      unsigned long n = std::stoul(v, &used);
      if (used == v.size()) return n;
    } catch (const std::exception&) {
    }
    usage_error(std::string("--") + name + " takes a number, not '" + v + "'");
    return std::nullopt;
  };
  auto max_body = number("max-body", opt.max_body), read_timeout = number("read-timeout", 30),
       conns = number("connections", 0), slow = number("slow-query", 0),
       max_conns = number("max-connections", opt.max_connections);
  if (!max_body || !read_timeout || !conns || !slow || !max_conns) return 2;
  if (*read_timeout == 0 || *max_conns == 0) return usage_error("--read-timeout and --max-connections take a number above 0");
  opt.max_body = *max_body;
  opt.read_timeout = std::chrono::seconds(*read_timeout);
  opt.max_connections = *max_conns;
  auto list = [&](const char* name) {
    std::vector<std::string> out;
    std::string v = a.get(name);
    for (std::size_t start = 0; start < v.size();) {
      std::size_t comma = v.find(',', start);
      std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? v.size() : comma + 1;
      if (!item.empty()) out.push_back(item);
    }
    return out;
  };
  opt.allowed_hosts = list("allow-host");
  opt.allowed_origins = list("allow-origin");
  connections = *conns;
  std::string format = a.get("log-format", "text");
  if (format != "text" && format != "json") return usage_error("--log-format takes text or json, not '" + format + "'");
  opt.log.json = format == "json";
  observe.slow_query = std::chrono::milliseconds(*slow);
  opt.log.requests = false;
  std::string levels = a.get("log", "info,warn,error");
  for (std::size_t start = 0; start <= levels.size();) {
    std::size_t comma = levels.find(',', start);
    std::string level = levels.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? levels.size() + 1 : comma + 1;
    if (level.empty()) continue;
    if (level == "query") observe.log.push_back(prisma::LogLevel::Query);
    else if (level == "info") opt.log.requests = true, observe.log.push_back(prisma::LogLevel::Info);
    else if (level == "warn") observe.log.push_back(prisma::LogLevel::Warn);
    else if (level == "error") observe.log.push_back(prisma::LogLevel::Error);
    else return usage_error("--log takes a list of query, info, warn, error; not '" + level + "'");
  }
  observe.on_log = [log = opt.log](const prisma::LogEvent& e) { log.event(e); };
  return 0;
}

int cmd_serve(const Args& a) {
  schema::Loaded l;
  if (!load(a, l)) return 1;
  auto t = db_target(a);
  serve::ServerOptions opt;
  prisma::ClientOptions observe;
  std::size_t connections = 0;
  if (int rc = server_options(a, opt, observe, "4466", connections)) return rc;
  opt.token = a.get("token");
  if (opt.token.empty())
    if (const char* v = std::getenv("PRISMA_CPP_SERVE_TOKEN"); v && *v) opt.token = v;
  bool loopback = opt.host == "127.0.0.1" || opt.host == "::1";
  if (!loopback && opt.token.empty()) {
    std::cerr << "prisma-cpp: serving on " << opt.host << " (not loopback) needs a token: --token <t> or PRISMA_CPP_SERVE_TOKEN\n";
    return 2;
  }
  serve::EngineOptions limits;
  for (auto [flag, field] : {std::pair{"max-transaction-timeout", &limits.max_transaction_timeout},
                             std::pair{"max-transaction-wait", &limits.max_transaction_wait}}) {
    std::string v = a.get(flag);
    if (v.empty()) continue;
    try {
      std::size_t used = 0;
      long long ms = std::stoll(v, &used);
      if (used != v.size() || ms <= 0) throw std::invalid_argument(v);
      *field = std::chrono::milliseconds(ms);
    } catch (const std::exception&) {
      return usage_error(std::string("--") + flag + " takes a number of milliseconds, not '" + v + "'");
    }
  }
  serve::Engine engine(l.schema, t.url, t.base_dir.string(), connections, std::move(observe), limits);
  return serve::run_server(engine, opt);
}

int cmd_studio(const Args& a) {
  schema::Loaded l;
  if (!load(a, l)) return 1;
  auto t = db_target(a);
  studio::StudioOptions opt;
  prisma::ClientOptions observe;
  std::size_t connections = 0;
  if (int rc = server_options(a, opt.server, observe, "5557", connections)) return rc;
  opt.server.log.name = "studio";
  opt.schema = fs::absolute(find_schema(a));
  opt.url = t.url;
  opt.base_dir = t.base_dir.string();
  opt.read_only = a.has("read-only");
  if (std::string v = a.get("session-timeout"); !v.empty()) {
    try {
      std::size_t used = 0;
      long long seconds = std::stoll(v, &used);
      if (used != v.size() || seconds <= 0) throw std::invalid_argument(v);
      opt.session_idle = std::chrono::seconds(seconds);
    } catch (const std::exception&) {
      return usage_error("--session-timeout takes a number of seconds, not '" + v + "'");
    }
  }
  opt.token = a.get("token");
  if (opt.token.empty())
    if (const char* v = std::getenv("PRISMA_CPP_STUDIO_TOKEN"); v && *v) opt.token = v;
  return studio::run_studio(opt);
}

int cmd_migrate(const Args& a, const std::vector<std::string>& positional) {
  if (positional.empty()) return usage_error("migrate needs a subcommand: deploy, status, resolve, reset or diff");
  const std::string& sub = positional[0];
  if (sub == "diff") return cmd_migrate_diff(a);
  if (sub == "dev") return cmd_migrate_dev(a);
  auto t = db_target(a);
  auto target = prisma::migrate::open_target(t.url, t.base_dir);
  std::string rel = t.migrations.string();
  if (sub == "deploy") {
    auto local = prisma::migrate::read_migrations(t.migrations);
    std::cerr << local.size() << (local.size() == 1 ? " migration" : " migrations") << " found in " << rel << "\n";
    // drift: what the database holds against what its applied migrations make (on a shadow
    // database); reported, not blocking (deploy applies what is pending, as Prisma's does)
    if (!a.has("skip-drift-check") && target->has_migrations_table()) {
      try {
        auto rows = target->applied();
        std::vector<std::pair<std::string, std::string>> applied_scripts;
        for (const auto& m : local)
          if (std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.name == m.name && r.applied(); }))
            applied_scripts.emplace_back(m.name, m.script);
        emit::Dialect d = target->provider() == "sqlite" ? emit::Dialect::Sqlite : emit::Dialect::Postgresql;
        Shadow shadow(d, t.url, a.get("shadow-database-url"));
        auto diffs = migrate::describe_differences(shadow.catalog_after(applied_scripts), Shadow::read(*target));
        if (!diffs.empty()) {
          std::cerr << "warning: drift: the database differs from what its applied migrations make:\n";
          for (const auto& line : diffs) std::cerr << "  - " << line << "\n";
        }
      } catch (const std::exception& e) {
        std::cerr << "note: the drift check could not run (" << e.what() << "); --skip-drift-check skips it\n";
      }
    }
    auto report = prisma::migrate::deploy(*target, t.migrations);
    for (const auto& w : report.warnings) std::cerr << "warning: " << w << "\n";
    if (report.applied.empty()) {
      std::cerr << "\nNo pending migrations to apply.\n";
    } else {
      std::cerr << "\nThe following migration(s) have been applied:\n\nmigrations/\n";
      for (const auto& n : report.applied) std::cerr << "  └─ " << n << "/\n    └─ migration.sql\n";
      std::cerr << "\nAll migrations have been successfully applied.\n";
    }
    return 0;
  }
  if (sub == "status") {
    auto s = prisma::migrate::status(*target, t.migrations);
    std::cerr << s.local << (s.local == 1 ? " migration" : " migrations") << " found in " << rel << "\n";
    auto list = [](const char* title, const std::vector<std::string>& names) {
      if (names.empty()) return;
      std::cerr << "\n" << title << "\n";
      for (const auto& n : names) std::cerr << n << "\n";
    };
    list("Following migration(s) have not yet been applied:", s.pending);
    list("Following migration(s) have failed:", s.failed);
    list("The following migration(s) are applied to the database but missing from the local migrations directory:", s.missing);
    list("The following migration(s) were modified after they were applied:", s.edited);
    if (s.up_to_date() && s.edited.empty()) {
      std::cerr << "\nDatabase schema is up to date!\n";
      return 0;
    }
    if (!s.pending.empty())
      std::cerr << "\nTo apply migrations in production run prisma-cpp migrate deploy.\n";
    if (!s.failed.empty())
      std::cerr << "\nDuring development, reset the database (prisma-cpp migrate reset --force). In production, "
                   "fix the failure and mark it with prisma-cpp migrate resolve --applied|--rolled-back <name>.\n";
    return 1;
  }
  if (sub == "resolve") {
    std::string applied = a.get("applied"), rolled = a.get("rolled-back");
    if (applied.empty() == rolled.empty()) return usage_error("migrate resolve needs --applied <name> or --rolled-back <name>");
    if (!applied.empty()) {
      prisma::migrate::resolve_applied(*target, t.migrations, applied);
      std::cerr << "Migration " << applied << " marked as applied.\n";
    } else {
      prisma::migrate::resolve_rolled_back(*target, rolled);
      std::cerr << "Migration " << rolled << " marked as rolled back.\n";
    }
    return 0;
  }
  if (sub == "reset") {
    if (!a.has("force")) {
      std::cerr << "prisma-cpp: migrate reset drops every table, view and type of " << display_url(t.url)
                << " and then applies every migration: run it with --force to confirm\n";
      return 1;
    }
    auto report = prisma::migrate::reset(*target, t.migrations);
    std::cerr << "Database reset successful\n";
    for (const auto& n : report.applied) std::cerr << "  applied " << n << "\n";
    return 0;
  }
  return usage_error("unknown migrate subcommand '" + sub + "' (deploy, status, resolve, reset, diff)");
}

int cmd_db(const Args& a, const std::vector<std::string>& positional) {
  if (!positional.empty() && positional[0] == "push") return cmd_db_push(a);
  if (!positional.empty() && positional[0] == "pull") return cmd_db_pull(a);
  if (positional.empty() || positional[0] != "execute") return usage_error("db needs a subcommand: execute or push");
  std::string file = a.get("file");
  if (file.empty()) return usage_error("db execute needs --file <script.sql>");
  auto t = db_target(a);
  auto target = prisma::migrate::open_target(t.url, t.base_dir);
  target->execute_script(prisma::migrate::read_file(file));
  std::cerr << "Script executed successfully.\n";
  return 0;
}

int cmd_ddl(const Args& a) {
  schema::Loaded l;
  if (!load(a, l)) return 1;
  std::string p = a.get("provider");
  if (p.empty()) {
    if (l.schema.provider() == ir::Provider::Sqlite) p = "sqlite";
    else if (l.schema.provider() == ir::Provider::Postgresql) p = "postgresql";
    else return usage_error("ddl needs --provider sqlite|postgresql for this schema");
  }
  if (p == "sqlite") std::cout << emit::ddl(l.schema, emit::Dialect::Sqlite);
  else if (p == "postgresql" || p == "postgres") std::cout << emit::ddl(l.schema, emit::Dialect::Postgresql);
  else return usage_error("unknown --provider '" + p + "' (sqlite or postgresql)");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) { std::cout << kUsage; return 0; }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") { std::cout << kUsage; return 0; }
  if (args[0] == "--version") { std::cout << "prisma-cpp " << kVersion << "\n"; return 0; }
  a.command = args[0];
  if (!kCommandHelp.count(a.command)) return usage_error("unknown command '" + a.command + "'");
  static const std::vector<std::string> with_value = {"shards", "schema", "out", "namespace", "provider", "url",
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
