// prisma-cpp migrate: deploy, status, resolve, reset, diff, dev.
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
#include "cli/migrate_common.hpp"
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

}  // namespace prisma_cpp::cli
