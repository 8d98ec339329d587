// Scratch databases for the migration commands: what a migration history or a schema makes, read
// back as a Catalog (codegen/migrate/differ.hpp), and the PostgreSQL extensions a schema needs.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "emit/ddl.hpp"
#include "migrate/differ.hpp"
#include "schema/ir.hpp"

namespace prisma::migrate { class Target; }

namespace prisma_cpp::migrate {

// A PostgreSQL extension a schema's SQL needs, and what in the schema needs it.
struct NeededExtension {
  std::string name;    // "citext"
  std::string reason;  // "`User.email` is @db.Citext"
};

// The extensions that the schema's from-empty SQL needs on PostgreSQL and does not create itself:
// extension types (@db.Citext, Unsupported("vector(3)"), hstore, ltree, PostGIS' geometry...) and
// operator classes (`gin_trgm_ops`...). Those declared in `extensions = [...]` are left out (the
// schema's SQL creates them). Empty on SQLite.
std::vector<NeededExtension> needed_extensions(const ir::Schema& s);

// The namespaces of a multiSchema schema (its datasource's `schemas`), read beside the URL's.
std::vector<std::string> namespaces_of(const ir::Schema& s);

// A scratch database of the backend: a temporary SQLite file, or a temporary database on the
// PostgreSQL server of `server_url` (or the datasource's shadowDatabaseUrl, used as it is, emptied
// first). Dropped when destroyed.
class Shadow {
 public:
  Shadow(emit::Dialect d, const std::string& server_url, const std::string& given_url = {});
  ~Shadow();
  Shadow(const Shadow&) = delete;
  Shadow& operator=(const Shadow&) = delete;

  // Runs the migrations' scripts (name, SQL) in order, then reads what the database holds.
  // P3006 names the migration that failed.
  Catalog catalog_after(const std::vector<std::pair<std::string, std::string>>& scripts);

  // What the schema's from-empty SQL makes. On PostgreSQL the extensions it needs are created
  // first, with those the other side of the diff has (`present`, its catalog's extensions): the
  // target needs nothing the database lacks, as Prisma computes it from the schema alone.
  // `schema_path` names the schema in errors.
  Catalog catalog_of_schema(const ir::Schema& s, const std::vector<std::string>& present, const std::string& schema_path);

  static Catalog read(prisma::migrate::Target& t, const std::vector<std::string>& namespaces = {});

  // The namespaces read beside the URL's schema (namespaces_of the schema in play).
  void set_namespaces(std::vector<std::string> ns) { namespaces_ = std::move(ns); }

  // `postgresql://u@h:p/db?x` with another database.
  static std::string with_database(const std::string& url, const std::string& db);

 private:
  void reset();
  emit::Dialect dialect_;
  std::string url_, path_, server_, db_;
  std::vector<std::string> namespaces_;
};

}  // namespace prisma_cpp::migrate
