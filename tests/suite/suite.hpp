// The one query suite: every test here runs on each backend the build has (SQLite today,
// PostgreSQL through the same sources). A test asks `fresh()` for a client on an empty database
// with the suite's schema; nothing in a test names its backend.
#pragma once
#include <suite/all.hpp>
#ifdef PRISMA_SUITE_POSTGRES
#include "../support/pg_test_db.hpp"
#endif

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace prisma_suite {

using namespace prisma;
using namespace suite;

#ifdef PRISMA_SUITE_POSTGRES
// Where NULL sorts without nulls_first/nulls_last (as Prisma Client: PostgreSQL's NULL is the
// largest value).
inline constexpr bool kNullsSortFirst = false;

// An empty schema with the suite's tables, in this test binary's own database (created on the
// test server the first time, dropped at exit).
inline Client fresh_with(ClientOptions options) {
  static prisma_test::PgTestDatabase database("suite");
  {
    auto admin = Client::open(database.url() + "?connection_limit=1");
    admin.pool().acquire()->exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
  }
  auto db = Client::open(database.url() + "?connection_limit=4&pool_timeout=5", std::move(options));
  db.push_schema();
  return db;
}

// A database several threads share through one client: the suite's PostgreSQL pool (4).
inline Client fresh_shared() { return fresh_with({}); }
#else
// Where NULL sorts without nulls_first/nulls_last (as Prisma Client: SQLite's NULL is the
// smallest value).
inline constexpr bool kNullsSortFirst = true;

// An empty database with the suite's tables.
inline Client fresh_with(ClientOptions options) {
  auto db = Client::open("file::memory:", std::move(options));
  db.push_schema();
  return db;
}

// A database several threads share through one client: a SQLite file in WAL mode with a pool of 4
// connections (an in-memory database lives in a single connection). Files go at exit.
inline Client fresh_shared() {
  struct Files {
    std::vector<std::string> paths;
    ~Files() {
      for (const auto& p : paths)
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p + suffix);
    }
  };
  static Files files;
  auto path = (std::filesystem::temp_directory_path() /
               ("prisma_suite_" + std::to_string(::getpid()) + "_" + std::to_string(files.paths.size()) + ".db"))
                  .string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  files.paths.push_back(path);
  auto db = Client::open("file:" + path + "?connection_limit=4");
  db.push_schema();
  return db;
}
#endif

inline Client fresh() { return fresh_with({}); }

// Runs SQL the typed API does not cover (test set-up only).
inline void exec_sql(Client& db, const std::string& sql) {
#ifdef PRISMA_SUITE_POSTGRES
  db.pool().acquire()->exec(sql);
#else
  db.pool().acquire()->exec(sql);
#endif
}

inline DateTime day(int d) { return DateTime::from_civil(2024, 1, d); }

// The blog data the filter and ordering tests read (the same rows were run through Prisma Client
// 7.10 to get the expected answers):
//   users 1 alice "Alice" ADMIN 30 | 2 bob "Bob" USER null | 3 carol null USER 17 |
//         4 dave_1 "Dave 100%" USER 45 | 5 eve "eve" ADMIN 30   (createdAt 2024-01-0<id>)
//   posts A(1,10,pub,"x") B(1,0) C(2,5,pub,"y") D(4,7,pub) E(4,7,"z") F(5,1,pub)
inline void seed_blog(Client& db) {
  db.user.create({.email = "alice@x.io", .name = "Alice", .role = Role::ADMIN, .age = 30, .createdAt = day(1)});
  db.user.create({.email = "bob@x.io", .name = "Bob", .createdAt = day(2)});
  db.user.create({.email = "carol@x.io", .age = 17, .createdAt = day(3)});
  db.user.create({.email = "dave_1@x.io", .name = "Dave 100%", .age = 45, .createdAt = day(4)});
  db.user.create({.email = "eve@x.io", .name = "eve", .role = Role::ADMIN, .age = 30, .createdAt = day(5)});
  db.post.create({.title = "A", .content = "x", .published = true, .views = 10, .rating = 4.5, .authorId = 1});
  db.post.create({.title = "B", .authorId = 1});
  db.post.create({.title = "C", .content = "y", .published = true, .views = 5, .rating = 3.0, .authorId = 2});
  db.post.create({.title = "D", .published = true, .views = 7, .authorId = 4});
  db.post.create({.title = "E", .content = "z", .views = 7, .rating = 1.0, .authorId = 4});
  db.post.create({.title = "F", .published = true, .views = 1, .authorId = 5});
}

inline Client blog() {
  auto db = fresh();
  seed_blog(db);
  return db;
}

// The ids of rows, in their order.
template <class Rows>
std::vector<int> row_ids(const Rows& rows) {
  std::vector<int> out;
  for (const auto& r : rows) out.push_back(static_cast<int>(r.id));
  return out;
}
using Ids = std::vector<int>;

}  // namespace prisma_suite
