// Migrations from a C++ program (what `prisma-cpp migrate deploy` does): a service applies its
// pending migrations at start-up, with no Node and no CLI:
//
//   auto report = prisma::migrate_deploy(std::getenv("DATABASE_URL"), "prisma/migrations");
//
// The URL picks the backend (file:/sqlite: -> SQLite, postgres(ql):// -> PostgreSQL), so this
// header includes both drivers: link SQLite3, libpqxx and OpenSSL's libcrypto (CMake:
// prisma-cpp::migrate). A program of one backend can include prisma/migrate/sqlite.hpp or
// prisma/migrate/postgres.hpp alone and build its Target itself.
#pragma once
#include <filesystem>
#include <memory>
#include <string_view>

#include "prisma/client/client.hpp"
#include "prisma/migrate/core.hpp"
#include "prisma/migrate/postgres.hpp"
#include "prisma/migrate/sqlite.hpp"

namespace prisma {

namespace migrate {

// The Target for a Prisma URL. Relative `file:` paths are relative to `base_dir` (Prisma resolves
// them against the schema's folder; default: the working directory).
inline std::unique_ptr<Target> open_target(std::string_view url, const std::filesystem::path& base_dir = {}) {
  auto dialect = sql::dialect_of_url(url);
  if (dialect == sql::Dialect::Postgresql) return std::make_unique<postgres::Target>(url);
  if (dialect == sql::Dialect::Sqlite)
    return std::make_unique<sqlite::Target>(prisma::detail::sqlite_path(url, base_dir.string()));
  throw ConnectionError("P1013", "The database URL '" + std::string(url) +
                                     "' is neither a SQLite (file:) nor a PostgreSQL (postgresql://) URL");
}

}  // namespace migrate

// Applies the pending migrations of `dir` to the database at `url` (prisma migrate deploy).
inline migrate::DeployReport migrate_deploy(std::string_view url, const std::filesystem::path& dir) {
  auto target = migrate::open_target(url);
  return migrate::deploy(*target, dir);
}

}  // namespace prisma
