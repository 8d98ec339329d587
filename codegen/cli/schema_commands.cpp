// The schema commands: validate, generate, format, ddl.
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
#include "emit/cpp_header.hpp"
#include "emit/ddl.hpp"
#include "emit/json.hpp"
#include "emit/typed_sql.hpp"
#include "cli/typed_sql_describe.hpp"
#include "psl/format.hpp"
#include "psl/parser.hpp"
#include "schema/load.hpp"

namespace prisma_cpp::cli {

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
  // TypedSQL (Prisma's `generate --sql`): the folder's queries, typed by a real database.
  std::vector<typed_sql::Query> queries;
  if (std::string dir = a.get("sql-dir"); !dir.empty()) {
    std::vector<typed_sql::Problem> problems;
    queries = typed_sql::load_dir(dir, problems);
    if (problems.empty()) {
      if (l.schema.provider() == ir::Provider::Sqlite) {
        typed_sql::describe_sqlite(l.schema, queries, problems);
      } else {
        std::string url = a.get("sql-url");
        const auto& ds = l.schema.datasource;
        if (url.empty() && ds && ds->url_env)
          if (const char* v = std::getenv(ds->url_env->c_str())) url = v;
        if (url.empty())
          if (const char* v = std::getenv("DATABASE_URL")) url = v;
        if (url.empty() && ds && ds->url) url = *ds->url;
        if (url.empty())
          problems.push_back({{}, "TypedSQL on PostgreSQL reads the queries' types from a database: give its URL with "
                                  "--sql-url (in CMake: prisma_generate(... SQL_URL <url>)) or DATABASE_URL"});
        else
          typed_sql::describe_postgres(l.schema, url, queries, problems);
      }
    }
    if (!problems.empty()) {
      std::cerr << "Error: Errors while reading sql files:\n\n";
      for (const auto& p : problems) {
        if (!p.file.empty()) std::cerr << "In " << p.file.string() << ":\n";
        std::cerr << "Error: " << p.message << "\n\n\n";
      }
      return 1;
    }
    opt.typed_sql = true;
  }
  auto files = emit::cpp_files(l.schema, opt);
  if (opt.typed_sql) files.push_back({opt.ns + "/sql.hpp", typed_sql::emit_header(opt.ns, queries, l.schema.provider())});
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
