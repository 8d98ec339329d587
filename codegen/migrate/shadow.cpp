// Scratch databases for the migration commands (migrate/shadow.hpp).
#include "migrate/shadow.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <stdexcept>

#include <prisma/core/ids.hpp>
#include <prisma/migrate.hpp>
#include <prisma/sql/names.hpp>

namespace prisma_cpp::migrate {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The extension that defines a type named as PostgreSQL names it (lower case, arguments dropped).
const char* extension_of_type(const std::string& type) {
  std::string t = lower(type.substr(0, type.find('(')));
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) t.resize(t.size() - 2);
  if (auto dot = t.rfind('.'); dot != std::string::npos) t = t.substr(dot + 1);
  if (t == "citext") return "citext";
  if (t == "vector" || t == "halfvec" || t == "sparsevec") return "vector";
  if (t == "hstore") return "hstore";
  if (t == "ltree" || t == "lquery" || t == "ltxtquery") return "ltree";
  if (t == "cube") return "cube";
  if (t == "earth") return "earthdistance";
  if (t == "isbn" || t == "isbn13" || t == "issn" || t == "issn13" || t == "ean13" || t == "upc" || t == "ismn" || t == "ismn13")
    return "isn";
  if (t == "seg") return "seg";
  if (t == "geometry" || t == "geography" || t == "box2d" || t == "box3d") return "postgis";
  return nullptr;
}

// The extension that defines an operator class (`raw("gin_trgm_ops")`, `ops: raw(...)`).
const char* extension_of_operator_class(const std::string& op) {
  std::string o = lower(op);
  if (o.rfind("raw(", 0) == 0) {
    auto q1 = o.find('"'), q2 = o.rfind('"');
    o = q1 != std::string::npos && q2 > q1 ? o.substr(q1 + 1, q2 - q1 - 1) : o;
  }
  if (auto dot = o.rfind('.'); dot != std::string::npos) o = o.substr(dot + 1);
  if (o == "gin_trgm_ops" || o == "gist_trgm_ops") return "pg_trgm";
  if (o.rfind("vector_", 0) == 0 || o.rfind("halfvec_", 0) == 0 || o.rfind("sparsevec_", 0) == 0 || o == "bit_hamming_ops" ||
      o == "bit_jaccard_ops")
    return "vector";
  if (o == "gist_hstore_ops" || o == "gin_hstore_ops") return "hstore";
  if (o == "gist_ltree_ops" || o == "gist__ltree_ops") return "ltree";
  if (o.rfind("gist_", 0) == 0 && o.size() > 9 && o.compare(o.size() - 4, 4, "_ops") == 0 &&
      (o.find("geometry") != std::string::npos || o.find("geography") != std::string::npos))
    return "postgis";
  if (o.rfind("gist_", 0) == 0 && o.compare(o.size() - 4, 4, "_ops") == 0 && o != "gist_hstore_ops") return "btree_gist";
  if (o == "gin_int4_ops" || o == "gin__int_ops" || o == "gist__int_ops" || o == "gist__intbig_ops") return "intarray";
  return nullptr;
}

}  // namespace

std::vector<NeededExtension> needed_extensions(const ir::Schema& s) {
  std::vector<NeededExtension> out;
  if (s.provider() != ir::Provider::Postgresql) return out;
  std::set<std::string> declared;
  if (s.datasource)
    for (std::size_t i = 0; i < s.datasource->extensions.size(); ++i) {
      declared.insert(s.datasource->extensions[i]);
      if (i < s.datasource->extension_args.size() && s.datasource->extension_args[i].map)
        declared.insert(*s.datasource->extension_args[i].map);
    }
  auto need = [&](const char* ext, std::string reason) {
    if (!ext || declared.count(ext)) return;
    for (const auto& n : out)
      if (n.name == ext) return;
    out.push_back({ext, std::move(reason)});
  };
  for (const auto& m : s.models) {
    if (m.is_view) continue;
    for (const auto& f : m.fields) {
      if (f.native_type) need(extension_of_type(f.native_type->name), "`" + m.name + "." + f.name + "` is @db." + f.native_type->name);
      if (f.kind == ir::FieldKind::Unsupported) {
        std::string inner = f.type_name;
        auto q1 = inner.find('"'), q2 = inner.rfind('"');
        if (q1 != std::string::npos && q2 > q1) inner = inner.substr(q1 + 1, q2 - q1 - 1);
        need(extension_of_type(inner), "`" + m.name + "." + f.name + "` is " + f.type_name);
      }
    }
    for (const auto& ix : m.indexes)
      for (const auto& f : ix.fields)
        if (f.operator_class)
          need(extension_of_operator_class(*f.operator_class),
               "an index of `" + m.name + "` uses the operator class " + *f.operator_class);
  }
  return out;
}

Shadow::Shadow(emit::Dialect d, const std::string& server_url, const std::string& given_url) : dialect_(d) {
  std::string tag = prisma::ids::uuid_v4().substr(0, 8);
  if (!given_url.empty()) {
    url_ = given_url;
    reset();
  } else if (d == emit::Dialect::Sqlite) {
    path_ = (fs::temp_directory_path() / ("prisma-cpp-shadow-" + tag + ".db")).string();
    url_ = "file:" + path_;
  } else {
    if (server_url.empty())
      throw std::runtime_error("a PostgreSQL diff needs a server for its shadow database: pass --url (or --shadow-database-url)");
    server_ = server_url;
    db_ = "prisma_cpp_shadow_" + tag;
    try {
      prisma::migrate::postgres::Target(server_).execute_script("CREATE DATABASE " + prisma::sql::quoted_ident(db_));
    } catch (const std::exception& e) {
      std::string why = e.what();
      bool denied = why.find("42501") != std::string::npos || why.find("permission denied") != std::string::npos;
      throw std::runtime_error(
          "P3014: prisma-cpp could not create the shadow database (a scratch database it makes and drops): " + why +
          (denied ? ". Give the database user permission to create databases (CREATEDB), or pass "
                    "--shadow-database-url <url> of an empty database it may use."
                  : ""));
    }
    url_ = with_database(server_, db_);
  }
}

Shadow::~Shadow() {
  try {
    if (!path_.empty())
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
    if (!db_.empty())
      prisma::migrate::postgres::Target(server_).execute_script("DROP DATABASE IF EXISTS " + prisma::sql::quoted_ident(db_) +
                                                                " WITH (FORCE)");
  } catch (...) {
  }
}

Catalog Shadow::catalog_after(const std::vector<std::pair<std::string, std::string>>& scripts) {
  auto target = prisma::migrate::open_target(url_);
  if (dialect_ == emit::Dialect::Postgresql) static_cast<prisma::migrate::postgres::Target*>(target.get())->ensure_schema();
  for (const auto& [name, sql] : scripts) {
    try {
      target->execute_script(sql);
    } catch (const std::exception& e) {
      throw std::runtime_error("P3006: Migration `" + name + "` failed to apply cleanly to the shadow database.\n" + e.what());
    }
  }
  return read(*target, namespaces_);
}

Catalog Shadow::catalog_of_schema(const ir::Schema& s, const std::vector<std::string>& present, const std::string& schema_path) {
  auto target = prisma::migrate::open_target(url_);
  std::vector<NeededExtension> needed;
  if (dialect_ == emit::Dialect::Postgresql) {
    auto& pg = *static_cast<prisma::migrate::postgres::Target*>(target.get());
    pg.ensure_schema();
    needed = needed_extensions(s);
    std::set<std::string> available;
    auto cur = pg.connection().cursor("SELECT name FROM pg_catalog.pg_available_extensions");
    while (cur.step()) available.emplace(cur.text(0));
    std::vector<std::string> make(present.begin(), present.end());
    for (const auto& n : needed) {
      if (!available.count(n.name))
        throw std::runtime_error("The schema " + schema_path + " needs the PostgreSQL extension `" + n.name + "` (" + n.reason +
                                 "), which this server does not have (pg_available_extensions): install it on the server");
      make.push_back(n.name);
    }
    for (const auto& e : make)
      if (available.count(e)) pg.execute_script("CREATE EXTENSION IF NOT EXISTS " + prisma::sql::quoted_ident(e));
  }
  try {
    target->execute_script(emit::ddl(s, dialect_));
  } catch (const std::exception& e) {
    std::string hint;
    for (const auto& n : needed) hint += "\n(created first: the extension `" + n.name + "`, as " + n.reason + ")";
    throw std::runtime_error("The SQL of the schema " + schema_path + " (its tables from empty) failed on a scratch database, "
                             "so the schema cannot be compared with the database:\n" + std::string(e.what()) + hint);
  }
  return read(*target, namespaces_of(s));
}

Catalog Shadow::read(prisma::migrate::Target& t, const std::vector<std::string>& namespaces) {
  if (t.provider() == "sqlite") return introspect(static_cast<prisma::migrate::sqlite::Target&>(t).connection());
  return introspect(static_cast<prisma::migrate::postgres::Target&>(t).connection(), namespaces);
}

std::vector<std::string> namespaces_of(const ir::Schema& s) {
  if (!s.datasource || s.provider() != ir::Provider::Postgresql) return {};
  return s.datasource->schemas;
}

std::string Shadow::with_database(const std::string& url, const std::string& db) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  auto query = url.find('?');
  std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + db + rest;
}

void Shadow::reset() {
  auto t = prisma::migrate::open_target(url_);
  t->drop_everything();
}

}  // namespace prisma_cpp::migrate
