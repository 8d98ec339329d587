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
#include "cli/cli.hpp"
#include "migrate/differ.hpp"
#include "migrate/pull.hpp"
#include "psl/format.hpp"
#include "psl/parser.hpp"
#include "schema/load.hpp"

namespace fs = std::filesystem;
using namespace prisma_cpp;

namespace prisma_cpp::cli {

// PRISMA_CPP_VERSION: project(prisma-cpp VERSION ...) of the top CMakeLists.txt, the one place the
// version is written (codegen/CMakeLists.txt passes it; the Conan recipe reads it there too)
constexpr const char* kVersion = PRISMA_CPP_VERSION;

const char* kUsage =
    "prisma-cpp " PRISMA_CPP_VERSION ": the Prisma schema compiler for C++\n\n"
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
     "  deploy [--drift-check]      apply the pending migrations in order (exit 1 on failure), as\n"
     "                              Prisma's deploy (no shadow database); --drift-check also says what\n"
     "                              differs when the database has drifted from its migrations\n"
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
  // Prisma's reformatter's layout, also for schemas that fail validation and for lines that do not
  // parse (kept as written, the rest laid out around them, as Prisma's formatter does); syntax
  // errors are reported and the exit code is 1.
  psl::SourceSet sources = schema::read_sources(find_schema(a));
  psl::Diagnostics diags;
  std::vector<psl::ast::SchemaFile> files;
  for (std::uint32_t i = 0; i < sources.files.size(); ++i)
    files.push_back(psl::parse(sources[i], i, diags));
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
      std::cout << "Formatted " << f.path() << "\n";
    }
  }
  if (diags.has_errors()) {
    std::cerr << psl::format_plain(sources, diags.all());
    std::cerr << "prisma-cpp: the schema has syntax errors: those lines are kept as written\n";
    return 1;
  }
  return unformatted ? 1 : 0;
}

int cmd_ddl(const Args& a);

// --- migrate and db -----------------------------------------------------------------------


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

}  // namespace prisma_cpp::cli

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
