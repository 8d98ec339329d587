// TypedSQL on PostgreSQL, built as a user builds it: find_package(prisma-cpp), prisma_generate(...
// SQL_DIR ... SQL_URL <the server>) describes each statement on the server at build time.
#include <cstdio>

#define TS_POSTGRES 1
#define TS_CHECK(e)                                                  \
  do {                                                               \
    if (!(e)) {                                                      \
      std::fprintf(stderr, "FAILED line %d: %s\n", __LINE__, #e);    \
      ++failures;                                                    \
    }                                                                \
  } while (0)
#include "cases.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: typed_sql_pg <postgresql url>\n");
    return 2;
  }
  try {
    auto db = tsql::Client::open(argv[1]);
    db.execute_raw_unsafe("DELETE FROM \"Post\"");
    db.execute_raw_unsafe("DELETE FROM \"User\"");
    int failures = typed_sql_test::typed_sql_cases(db);
    if (failures) return 1;
    std::printf("typed_sql_pg: every case passed\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "typed_sql_pg: %s\n", e.what());
    return 1;
  }
}
