// What `migrate` (cli/migrate_commands.cpp) and `db` (cli/db_commands.cpp) share.
#pragma once
#include <string>
#include <vector>

#include <prisma/migrate.hpp>

#include "emit/ddl.hpp"
#include "migrate/differ.hpp"
#include "schema/ir.hpp"

namespace prisma_cpp::cli {

// The migration dialect of the schema's provider (sqlite or postgresql; else an error).
emit::Dialect dialect_of(const ir::Schema& s);
// The schema's from-empty steps (Prisma's order), what the differ renders created objects from.
std::vector<emit::detail::Step> steps_of(const ir::Schema& s, emit::Dialect d);
// db push and migrate dev: the warnings whose table holds rows (no rows: nothing to lose).
std::vector<migrate::Warning> real_losses(prisma::migrate::Target& t, const std::vector<migrate::Warning>& ws);

}  // namespace prisma_cpp::cli
