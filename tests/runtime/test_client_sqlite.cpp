// The generated Client on SQLite: open, push_schema, create with defaults, find_unique, update
// with atomic operations and @updatedAt, delete_, and Prisma's error codes.
#include <blog/all.hpp>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <unistd.h>

using namespace prisma;
using namespace blog;

namespace {

Client memory_db() {
  auto db = Client::open("file::memory:");
  db.push_schema();
  return db;
}

}  // namespace

TEST_CASE("create fills defaults and returns the stored row", "[sqlite][client]") {
  auto db = memory_db();
  auto before = DateTime::now();
  User a = db.user.create({.email = "alice@x.io", .name = "Alice"});
  CHECK(a.id == 1);
  CHECK(a.role == Role::USER);           // @default(USER), from the database
  CHECK(a.age == std::nullopt);
  CHECK(a.createdAt >= before);          // now(), from the client
  User b = db.user.create({.id = 10, .email = "bob@x.io", .role = Role::ADMIN});
  CHECK(b.id == 10);
  CHECK(b.role == Role::ADMIN);
  Post p = db.post.create({.title = "Hello", .authorId = a.id});
  CHECK(p.views == 0);
  CHECK_FALSE(p.published);
  CHECK(p.updatedAt >= before);          // @updatedAt set on create
}

TEST_CASE("DateTime is stored as Prisma 7 writes it on SQLite", "[sqlite][client]") {
  auto db = memory_db();
  db.user.create({.email = "a@x.io", .createdAt = DateTime::from_civil(2024, 1, 2, 3, 4, 5, 678)});
  auto lease = db.pool().acquire();
  auto cur = lease->cursor("SELECT createdAt, role FROM \"User\"");
  REQUIRE(cur.step());
  CHECK(cur.text(0) == "2024-01-02T03:04:05.678+00:00");
  CHECK(cur.text(1) == "USER");
}

TEST_CASE("find_unique takes the id or a unique field", "[sqlite][client]") {
  auto db = memory_db();
  db.user.create({.email = "alice@x.io"});
  auto u = db.user.find_unique(user::email == "alice@x.io");
  REQUIRE(u);
  CHECK(u->id == 1);
  CHECK_FALSE(db.user.find_unique(user::id == 2));
  CHECK_THROWS_AS(db.user.find_unique_or_throw(user::id == 2), RecordNotFound);
}

TEST_CASE("update sets values, applies atomic operations and @updatedAt", "[sqlite][client]") {
  auto db = memory_db();
  User a = db.user.create({.email = "alice@x.io", .name = "Alice", .age = 30});
  Post p = db.post.create({.title = "T", .authorId = a.id, .updatedAt = DateTime::from_unix_ms(0)});
  Post q = db.post.update(post::id == p.id, {.title = "T2", .views = increment(5)});
  CHECK(q.title == "T2");
  CHECK(q.views == 5);
  CHECK(q.updatedAt > DateTime::from_unix_ms(0));
  q = db.post.update(post::id == p.id, {.views = multiply(3)});
  CHECK(q.views == 15);
  User b = db.user.update(user::email == "alice@x.io", {.name = std::nullopt, .age = decrement(1)});
  CHECK(b.name == std::nullopt);
  CHECK(b.age == 29);
  CHECK_THROWS_AS(db.user.update(user::id == 99, {.name = "x"}), RecordNotFound);
  CHECK(db.post.update_many(post::authorId == a.id, {.published = true}) == 1);
}

TEST_CASE("delete_ removes one row and returns it", "[sqlite][client]") {
  auto db = memory_db();
  db.user.create({.email = "a@x.io"});
  User gone = db.user.delete_(user::email == "a@x.io");
  CHECK(gone.email == "a@x.io");
  CHECK(db.user.count() == 0);
  CHECK_THROWS_AS(db.user.delete_(user::id == 1), RecordNotFound);
}

TEST_CASE("constraint errors carry Prisma's codes and leave the client usable", "[sqlite][client]") {
  auto db = memory_db();
  db.user.create({.email = "a@x.io"});
  CHECK_THROWS_AS(db.user.create({.email = "a@x.io"}), UniqueConstraintViolation);
  CHECK_THROWS_AS(db.post.create({.title = "T", .authorId = 42}), ForeignKeyViolation);
  CHECK(db.user.count() == 1);
}

TEST_CASE("a file: URL is relative to the schema's folder unless absolute", "[sqlite][client]") {
  CHECK(detail::sqlite_path("file:./dev.db", "/srv/app/prisma") == "/srv/app/prisma/dev.db");
  CHECK(detail::sqlite_path("file:/tmp/x.db", "/srv") == "/tmp/x.db");
  CHECK(detail::sqlite_path("file::memory:", "/srv") == ":memory:");
  auto path = std::filesystem::temp_directory_path() / "prisma_cpp_client_test.db";
  std::filesystem::remove(path);
  {
    auto db = Client::open("file:" + path.string());
    db.push_schema();
    db.user.create({.email = "x@y.z"});
  }
  auto db = Client::open("file:" + path.string());
  CHECK(db.user.count() == 1);
  std::filesystem::remove(path);
}

TEST_CASE("create_many inserts all rows in one transaction or none", "[sqlite][client]") {
  auto db = memory_db();
  std::vector<UserCreate> rows;
  for (int i = 0; i < 250; ++i)
    rows.push_back({.email = "u" + std::to_string(i) + "@x.io", .age = i % 3 == 0 ? std::optional<int>(i) : std::nullopt});
  CHECK(db.user.create_many(rows) == 250);
  CHECK(db.user.count() == 250);
  CHECK(db.user.count(where(user::age.is_not_null())) == 84);
  // one duplicate: nothing of the batch stays
  std::vector<UserCreate> bad;
  bad.push_back({.email = "new@x.io"});
  bad.push_back({.email = "u1@x.io"});
  CHECK_THROWS_AS(db.user.create_many(bad), UniqueConstraintViolation);
  CHECK(db.user.count() == 250);
  CHECK_FALSE(db.user.find_unique(user::email == "new@x.io"));
  // skip_duplicates keeps the new row and leaves the duplicate out
  CHECK(db.user.create_many(bad, true) == 1);
  CHECK(db.user.count() == 251);
}

TEST_CASE("upsert creates the row once, then updates it", "[sqlite][client]") {
  auto db = memory_db();
  User a = db.user.upsert(user::email == "a@x.io", {.email = "a@x.io", .age = 1}, {.age = increment(1)});
  CHECK(a.age == 1);
  User b = db.user.upsert(user::email == "a@x.io", {.email = "a@x.io", .age = 1}, {.age = increment(1)});
  CHECK(b.id == a.id);
  CHECK(b.age == 2);
  CHECK(db.user.count() == 1);
  CHECK_THROWS_AS(db.user.find_first_or_throw(where(user::age > 5)), RecordNotFound);
  CHECK(db.user.find_first_or_throw(where(user::age == 2)).id == a.id);
}

TEST_CASE("a write blocked by another connection's lock fails clearly after socket_timeout", "[sqlite][client][busy]") {
  auto path = std::filesystem::temp_directory_path() / ("prisma_cpp_busy_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  auto holder = Client::open("file:" + path.string());
  holder.push_schema();
  holder.user.create({.email = "a@x.io"});
  auto waiter = Client::open("file:" + path.string() + "?socket_timeout=0.2");
  auto held = holder.pool().acquire();
  held->exec("BEGIN IMMEDIATE");  // holds the write lock (another client: another process's lock)
  auto start = std::chrono::steady_clock::now();
  try {
    waiter.user.create({.email = "b@x.io"});
    FAIL("the write went through a held lock");
  } catch (const TransactionConflict& e) {
    CHECK(std::string(e.code()) == "P2034");
    CHECK(std::string(e.what()).find("locked") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(150));
  CHECK(waiter.user.count() == 1);  // reads still work in WAL mode
  held->exec("COMMIT");
  CHECK(waiter.user.create({.email = "b@x.io"}).id == 2);  // and the same client writes once free
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

TEST_CASE("a bad socket_timeout in the URL is a clear error", "[sqlite][client]") {
  CHECK_THROWS_WITH(Client::open("file::memory:?socket_timeout=soon"),
                    Catch::Contains("socket_timeout in the database URL must be a number of seconds"));
}

TEST_CASE("a value longer than the database accepts is P2000", "[sqlite][client]") {
  auto db = memory_db();
  sqlite3_limit(db.pool().acquire()->native(), SQLITE_LIMIT_LENGTH, 1000);  // the in-memory pool's one connection
  try {
    db.user.create({.email = std::string(5000, 'x')});
    FAIL("no exception");
  } catch (const ValueTooLong& e) {
    CHECK(std::string(e.code()) == "P2000");
  }
  CHECK(db.user.create({.email = "ok@x.io"}).id == 1);
}

TEST_CASE("a NULL in a required column is P2011 with the column", "[sqlite][client]") {
  auto db = memory_db();
  try {
    db.pool().acquire()->exec("INSERT INTO \"User\" (email) VALUES (NULL)");
    FAIL("no exception");
  } catch (const NullConstraintViolation& e) {
    CHECK(std::string(e.code()) == "P2011");
    CHECK(e.field() == "email");
  }
}
