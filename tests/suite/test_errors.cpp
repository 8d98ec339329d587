// Prisma's error codes as typed exceptions, and a connection that keeps working after each.
#include "suite.hpp"

using namespace prisma_suite;

TEST_CASE("a duplicate unique value is P2002 with the fields", "[error]") {
  auto db = blog();
  try {
    db.user.create({.email = "alice@x.io"});
    FAIL("no exception");
  } catch (const UniqueConstraintViolation& e) {
    CHECK(std::string(e.code()) == "P2002");
    CHECK(e.fields() == std::vector<std::string>{"email"});
  }
  db.line.create({.orderId = "o", .sku = "a", .position = 1});
  try {
    db.line.create({.orderId = "o", .sku = "b", .position = 1});
    FAIL("no exception");
  } catch (const UniqueConstraintViolation& e) {
    CHECK(e.fields() == std::vector<std::string>{"orderId", "position"});
  }
  CHECK_THROWS_AS(db.user.update(user::id == 2, {.email = "alice@x.io"}), UniqueConstraintViolation);
  // the connection and its statements still work
  CHECK(db.user.create({.email = "new@x.io"}).email == "new@x.io");  // (PostgreSQL's sequence moved on)
  CHECK(db.user.count() == 6);
  CHECK(db.user.find_unique(user::id == 2)->email == "bob@x.io");
}

TEST_CASE("a foreign key to nothing is P2003", "[error]") {
  auto db = blog();
  try {
    db.post.create({.title = "orphan", .authorId = 999});
    FAIL("no exception");
  } catch (const ForeignKeyViolation& e) {
    CHECK(std::string(e.code()) == "P2003");
  }
  CHECK_THROWS_AS(db.user.delete_(user::id == 1), ForeignKeyViolation);  // posts refer to it (Restrict)
  CHECK(db.post.count() == 6);
  CHECK(db.user.count() == 5);
}

TEST_CASE("a missing row for update, delete_ and the _or_throw reads is P2025", "[error]") {
  auto db = blog();
  for (auto fn : std::vector<std::function<void()>>{
           [&] { db.user.update(user::id == 99, {.name = "x"}); },
           [&] { db.user.delete_(user::id == 99); },
           [&] { db.user.find_unique_or_throw(user::id == 99); },
           [&] { db.user.find_first_or_throw(where(user::age > 99)); },
       }) {
    try {
      fn();
      FAIL("no exception");
    } catch (const RecordNotFound& e) {
      CHECK(std::string(e.code()) == "P2025");
    }
  }
}

TEST_CASE("a failed upsert or create_many leaves nothing behind", "[error]") {
  auto db = blog();
  // the create path of upsert fails on the unique email: nothing is written
  CHECK_THROWS_AS(db.user.upsert(user::email == "zed@x.io", {.email = "alice@x.io"}, {.name = "x"}),
                  UniqueConstraintViolation);
  CHECK(db.user.count() == 5);
  CHECK_THROWS_AS(db.post.create_many({{.title = "ok", .authorId = 1}, {.title = "bad", .authorId = 999}}),
                  ForeignKeyViolation);
  CHECK(db.post.count() == 6);
}
