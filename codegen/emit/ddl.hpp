// SQL DDL for an empty database, byte-for-byte what `prisma migrate diff --from-empty --script`
// writes for the provider (table, column, constraint and index names included).
#pragma once
#include <string>

#include "schema/ir.hpp"

namespace prisma_cpp::emit {

enum class Dialect { Sqlite, Postgresql };

std::string ddl(const ir::Schema& schema, Dialect dialect);

}  // namespace prisma_cpp::emit
