// prisma-cpp db: push (the schema to a database without a migration), pull (the schema from a
// database, once or --watch), execute (a SQL script).
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
