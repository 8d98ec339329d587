// TypedSQL: each query's parameter and column types from a real database (see the .cpp).
#pragma once
#include <string>
#include <vector>

#include "emit/typed_sql.hpp"
#include "schema/ir.hpp"

namespace prisma_cpp::typed_sql {

// The schema's tables in an in-memory SQLite database; each query prepared there.
bool describe_sqlite(const ir::Schema& schema, std::vector<Query>& queries, std::vector<Problem>& problems);
// Each query described by the PostgreSQL server at `url` (a Prisma URL).
bool describe_postgres(const ir::Schema& schema, const std::string& url, std::vector<Query>& queries,
                       std::vector<Problem>& problems);

}  // namespace prisma_cpp::typed_sql
