// The tool's usage and each command's --help (cli/cli.hpp: kUsage, kCommandHelp).
#include <map>
#include <string>

#include "cli/cli.hpp"

namespace prisma_cpp::cli {

// PRISMA_CPP_VERSION: project(prisma-cpp VERSION ...) of the top CMakeLists.txt, the one place the
// version is written (codegen/CMakeLists.txt passes it; the Conan recipe reads it there too)
extern const char* const kVersion = PRISMA_CPP_VERSION;

extern const char* const kUsage =
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

extern const std::map<std::string, std::string> kCommandHelp = {
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
     "             (one schema, several backends: the schema must suit both)\n"
     "  --sql-dir <dir>  TypedSQL (Prisma's `generate --sql`): every <dir>/<name>.sql becomes\n"
     "             db.sql.<name>(args...) in <ns>/sql.hpp, typed by a real database: SQLite's\n"
     "             from the schema's tables in memory, PostgreSQL's described by the server at\n"
     "             --sql-url <url> (else the datasource's env var, DATABASE_URL, its url)\n"},
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


}  // namespace prisma_cpp::cli
