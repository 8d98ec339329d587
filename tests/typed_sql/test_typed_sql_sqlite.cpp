// TypedSQL on SQLite: sql/*.sql generated at build time (prisma_generate SQL_DIR), typed from the
// schema's tables in an in-memory database.
#include <catch2/catch.hpp>

#define TS_CHECK(e) CHECK(e)
#include "cases.hpp"

TEST_CASE("TypedSQL functions run with typed parameters and rows on SQLite", "[typed_sql]") {
  auto db = tsql::Client::open("file::memory:");
  db.push_schema();
  CHECK(typed_sql_test::typed_sql_cases(db) == 0);
}
