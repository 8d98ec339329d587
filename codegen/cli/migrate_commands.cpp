// prisma-cpp migrate (deploy, status, resolve, reset, diff, dev) and db (push, pull, execute).
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
#include <prisma/sql/dialect.hpp>

#include "emit/cpp_header.hpp"
#include "emit/ddl.hpp"
#include "emit/json.hpp"
#include "cli/cli.hpp"
#include "migrate/differ.hpp"
#include "migrate/pull.hpp"
#include "migrate/shadow.hpp"
#include "serve/server.hpp"
#include "studio/studio.hpp"
#include "psl/format.hpp"
#include "psl/parser.hpp"
#include "schema/load.hpp"


namespace fs = std::filesystem;
using namespace prisma_cpp;

namespace prisma_cpp::cli {

using migrate::Shadow;

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
    d = prisma::sql::dialect_of_url(u) == prisma::sql::Dialect::Postgresql ? emit::Dialect::Postgresql : emit::Dialect::Sqlite;
  }
  std::string server = a.get("shadow-database-url");
  if (server.empty()) server = to.first == "url" ? to.second : from.first == "url" ? from.second : "";
  if (server.empty() && d == emit::Dialect::Postgresql) {
    if (const char* v = std::getenv("DATABASE_URL"); v && *v) server = v;
  }
  // (a schema's side is made with the extensions the other side has: the target needs nothing the
  // database lacks)
  // a multiSchema schema's namespaces are read on both sides
  std::vector<std::string> namespaces =
      to_schema ? migrate::namespaces_of(to_schema->schema) : from_schema ? migrate::namespaces_of(from_schema->schema)
                                                                          : std::vector<std::string>{};
  auto catalog = [&](const std::pair<std::string, std::string>& s, const std::optional<schema::Loaded>& l,
                     const std::vector<std::string>& present) -> migrate::Catalog {
    if (s.first == "empty") return {};
    if (s.first == "url") {
      auto t = prisma::migrate::open_target(s.second);
      return Shadow::read(*t, namespaces);
    }
    Shadow shadow(d, server);
    shadow.set_namespaces(namespaces);
    if (s.first == "schema") return shadow.catalog_of_schema(l->schema, present, s.second);
    return shadow.catalog_after(history_scripts(prisma::migrate::read_migrations(s.second)));
  };
  migrate::Catalog from_cat, to_cat;
  if (from.first == "schema" && to.first != "schema") {
    to_cat = catalog(to, to_schema, {});
    from_cat = catalog(from, from_schema, to_cat.extensions);
  } else {
    from_cat = catalog(from, from_schema, {});
    to_cat = catalog(to, to_schema, from_cat.extensions);
  }
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
    shadow.set_namespaces(migrate::namespaces_of(l.schema));
    auto expected = shadow.catalog_after(applied_scripts);
    auto actual = Shadow::read(*db, migrate::namespaces_of(l.schema));
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
  for (const auto& n : pending.applied) std::cout << "Applied migration " << n << "\n";
  Shadow history(d, t.url, shadow_url);
  history.set_namespaces(migrate::namespaces_of(l.schema));
  auto from = history.catalog_after(history_scripts(local));
  Shadow target(d, t.url, shadow_url);
  auto to = target.catalog_of_schema(l.schema, from.extensions, find_schema(a).string());
  std::string sql = migrate::render(from, to, steps_of(l.schema, d), d);
  if (sql.empty()) {
    std::cout << "Already in sync, no schema change or pending migration was found.\n";
    return 0;
  }
  auto warnings = migrate::data_loss_warnings(from, to);
  fs::path dir = t.migrations / migration_dir_name(name);
  write_if_changed(dir / "migration.sql", warnings_header(warnings) + sql);
  std::cout << "Created " << (dir / "migration.sql").string() << "\n";
  for (const auto& w : warnings) std::cerr << "warning: " << w.text << "\n";
  if (a.has("create-only")) {
    std::cout << "Not applied (--create-only): edit it if needed, then run migrate dev or migrate deploy.\n";
    return 0;
  }
  auto report = prisma::migrate::deploy(*db, t.migrations);
  for (const auto& n : report.applied) std::cout << "Applied migration " << n << "\n";
  std::cout << "\nYour database is now in sync with your schema.\n";
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
  auto from = Shadow::read(*db, migrate::namespaces_of(l.schema));
  Shadow target(d, t.url);
  auto to = target.catalog_of_schema(l.schema, from.extensions, find_schema(a).string());
  std::string sql = migrate::render(from, to, steps_of(l.schema, d), d);
  if (sql.empty()) {
    std::cout << "The database is already in sync with the Prisma schema.\n";
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
  std::cout << "Your database is now in sync with your Prisma schema.\n";
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
  // multiSchema: the namespaces of the existing schema's datasource (`schemas = [...]`)
  std::vector<std::string> namespaces;
  if (d == emit::Dialect::Postgresql && schema_file && fs::exists(*schema_file)) {
    schema::Loaded l = schema::load_path(*schema_file);
    namespaces = migrate::namespaces_of(l.schema);
  }
  auto catalog = Shadow::read(*db, namespaces);
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
  existing.namespaces = namespaces;
  if (!namespaces.empty()) {  // Prisma writes the datasource's `schemas` sorted
    auto p = header.find("schemas");
    auto open = p == std::string::npos ? p : header.find('[', p);
    auto close = open == std::string::npos ? open : header.find(']', open);
    if (close != std::string::npos) {
      std::vector<std::string> sorted = namespaces;
      std::sort(sorted.begin(), sorted.end());
      std::string list;
      for (const auto& n : sorted) list += (list.empty() ? "\"" : ", \"") + n + "\"";
      header.replace(open + 1, close - open - 1, list);
    }
  }
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
  std::vector<std::string> warnings;
  std::string text = migrate::schema_from_catalog(catalog, d, header, existing, &warnings);
  // Prisma's introspection warnings, on stderr
  auto section = [&](const std::string& kind, const char* title) {
    bool any = false;
    for (const auto& w : warnings)
      if (w.rfind(kind + ": ", 0) == 0) {
        if (!any) std::cerr << "\n" << title << "\n";
        any = true;
        std::cerr << "  - " << w.substr(kind.size() + 2) << "\n";
      }
  };
  if (!warnings.empty()) std::cerr << "*** WARNING ***\n";
  section("check", "These constraints are not supported by Prisma Client, because Prisma currently does not fully "
                   "support check constraints. Read more: https://pris.ly/d/check-constraints");
  section("rls", "These tables contain row level security, which is not yet fully supported. Read more: "
                 "https://pris.ly/d/row-level-security");
  section("deferring", "These primary key, foreign key or unique constraints are using non-default deferring in the "
                       "database, which is not yet fully supported. Read more: https://pris.ly/d/constraint-deferring");
  section("comments", "These objects have comments defined in the database, which is not yet fully supported. Read "
                      "more: https://pris.ly/d/database-comments");
  section("expression", "These indexes are not supported by Prisma Client, because Prisma currently does not fully "
                        "support expression indexes. Read more: https://pris.ly/d/expression-indexes");
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
    std::cout << "Introspected " << models << " models and wrote them into " << schema_file->string() << "\n";
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

// migrate deploy --drift-check: what the database holds against what its applied migrations make
// (on a scratch database); reported on stderr, not blocking.
void drift_report(const Args& a, const DbTarget& t, prisma::migrate::Target& target,
                  const std::vector<prisma::migrate::LocalMigration>& local) {
  try {
    auto rows = target.applied();
    std::vector<std::pair<std::string, std::string>> applied_scripts;
    for (const auto& m : local)
      if (std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.name == m.name && r.applied(); }))
        applied_scripts.emplace_back(m.name, m.script);
    emit::Dialect d = target.provider() == "sqlite" ? emit::Dialect::Sqlite : emit::Dialect::Postgresql;
    Shadow shadow(d, t.url, a.get("shadow-database-url"));
    auto diffs = migrate::describe_differences(shadow.catalog_after(applied_scripts), Shadow::read(target));
    if (!diffs.empty()) {
      std::cerr << "warning: drift: the database differs from what its applied migrations make:\n";
      for (const auto& line : diffs) std::cerr << "  - " << line << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "warning: the drift check could not run: " << e.what() << "\n";
  }
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
    // what Prisma's deploy does: the pending migrations, applied in order, and no more (no shadow
    // database, nothing that needs CREATEDB); --drift-check also compares the database with what
    // its applied migrations make, on a scratch database
    auto local = prisma::migrate::read_migrations(t.migrations);
    std::cout << local.size() << (local.size() == 1 ? " migration" : " migrations") << " found in " << rel << "\n";
    if (a.has("drift-check") && target->has_migrations_table()) drift_report(a, t, *target, local);
    auto report = prisma::migrate::deploy(*target, t.migrations);
    for (const auto& w : report.warnings) std::cerr << "warning: " << w << "\n";
    if (report.applied.empty()) {
      std::cout << "\nNo pending migrations to apply.\n";
    } else {
      std::cout << "\nThe following migration(s) have been applied:\n\nmigrations/\n";
      for (const auto& n : report.applied) std::cout << "  └─ " << n << "/\n    └─ migration.sql\n";
      std::cout << "\nAll migrations have been successfully applied.\n";
    }
    return 0;
  }
  if (sub == "status") {
    auto s = prisma::migrate::status(*target, t.migrations);
    std::cout << s.local << (s.local == 1 ? " migration" : " migrations") << " found in " << rel << "\n";
    auto list = [](const char* title, const std::vector<std::string>& names) {
      if (names.empty()) return;
      std::cout << "\n" << title << "\n";
      for (const auto& n : names) std::cout << n << "\n";
    };
    list("Following migration(s) have not yet been applied:", s.pending);
    list("Following migration(s) have failed:", s.failed);
    list("The following migration(s) are applied to the database but missing from the local migrations directory:", s.missing);
    list("The following migration(s) were modified after they were applied:", s.edited);
    if (s.up_to_date() && s.edited.empty()) {
      std::cout << "\nDatabase schema is up to date!\n";
      return 0;
    }
    if (!s.pending.empty())
      std::cout << "\nTo apply migrations in production run prisma-cpp migrate deploy.\n";
    if (!s.failed.empty())
      std::cout << "\nDuring development, reset the database (prisma-cpp migrate reset --force). In production, "
                   "fix the failure and mark it with prisma-cpp migrate resolve --applied|--rolled-back <name>.\n";
    return 1;
  }
  if (sub == "resolve") {
    std::string applied = a.get("applied"), rolled = a.get("rolled-back");
    if (applied.empty() == rolled.empty()) return usage_error("migrate resolve needs --applied <name> or --rolled-back <name>");
    if (!applied.empty()) {
      prisma::migrate::resolve_applied(*target, t.migrations, applied);
      std::cout << "Migration " << applied << " marked as applied.\n";
    } else {
      prisma::migrate::resolve_rolled_back(*target, rolled);
      std::cout << "Migration " << rolled << " marked as rolled back.\n";
    }
    return 0;
  }
  if (sub == "reset") {
    if (!a.has("force")) {
      std::cerr << "prisma-cpp: migrate reset drops every table, view and type of " << display_url(t.url)
                << " and then applies every migration: run it with --force to confirm\n";
      return 1;
    }
    // multiSchema: the schema's other namespaces go too (the URL's own is dropped and made again)
    if (target->provider() == "postgresql") {
      try {
        schema::Loaded l = schema::load_path(find_schema(a));
        auto& pg = static_cast<prisma::migrate::postgres::Target&>(*target);
        for (const auto& ns : migrate::namespaces_of(l.schema))
          if (ns != pg.schema()) target->execute_script("DROP SCHEMA IF EXISTS " + prisma::sql::quoted_ident(ns) + " CASCADE");
      } catch (const std::exception&) {
        // no schema file: only the URL's schema is known
      }
    }
    auto report = prisma::migrate::reset(*target, t.migrations);
    std::cout << "Database reset successful\n";
    for (const auto& n : report.applied) std::cout << "  applied " << n << "\n";
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
  std::cout << "Script executed successfully.\n";
  return 0;
}

}  // namespace prisma_cpp::cli
