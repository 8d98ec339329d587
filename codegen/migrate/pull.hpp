// db pull: a Prisma schema from what a database holds (a Catalog), with Prisma's introspection
// rules for the common cases: models named as their tables (sanitised names get @@map / @map),
// scalar types from the column types (native types as @db.* on PostgreSQL, Unsupported("...")
// otherwise), @id / @@id, @unique / @@unique / @@index (map: when the name is not Prisma's
// default), defaults (autoincrement(), now(), literals, enum values, dbgenerated("...")), enums,
// and relations from foreign keys on both sides (named after the models, as Prisma names them).
#pragma once
#include <string>

#include "migrate/differ.hpp"

namespace prisma_cpp::migrate {

// The models and enums, unformatted (run the formatter on the result); `header` (the datasource
// and generator blocks of the existing schema, or a new datasource) goes first.
std::string schema_from_catalog(const Catalog& catalog, emit::Dialect dialect, const std::string& header);

}  // namespace prisma_cpp::migrate
