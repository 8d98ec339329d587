// The query layer's first pieces, on a real SQLite database through the quickstart's generated
// header: compile-time SQL text, filters, ordering, paging, typed reads and error mapping.
#include <blog/all.hpp>

#include <catch2/catch.hpp>

#include "prisma/client/delegate.hpp"
#include "prisma/query/write.hpp"

using namespace prisma;
using namespace blog;

namespace {

driver::sqlite::Connection seeded() {
  auto c = driver::sqlite::Connection::open(":memory:");
  c.exec(std::string(prisma_schema::ddl_sqlite));
  c.exec(
      "INSERT INTO \"User\" (id, email, name, role, age, createdAt) VALUES "
      "(1, 'ada@x.io', 'Ada', 'ADMIN', 36, '2024-05-06T07:08:09.123+00:00'),"
      "(2, 'bob@y.io', NULL, 'USER', 17, '2024-05-07 08:00:00'),"
      "(3, 'cy_50%@x.io', 'Cy', 'USER', NULL, 1715068800000)");
  return c;
}

template <class... C>
std::string_view sqlite_text() {
  return sql::Select<User, C...>::template text<sql::Dialect::Sqlite>.view();
}

// A delegate on a bare connection (what the generated Client wires up for every model).
struct Users {
  driver::sqlite::ConnectionSource src;
  Delegate<User, driver::sqlite::ConnectionSource> d{&src};
  Delegate<User, driver::sqlite::ConnectionSource>* operator->() { return &d; }
};
Users users_of(driver::sqlite::Connection& c) { return Users{driver::sqlite::ConnectionSource{&c}}; }

}  // namespace

TEST_CASE("SELECT text is fixed at compile time for both dialects", "[sqlite][query]") {
  using W = decltype(where(user::age >= 18 && user::email.ends_with("@x.io")));
  using O = decltype(order_by(user::name.desc().nulls_last()));
  constexpr auto& sqlite = sql::Select<User, W, O, Take, Skip>::text<sql::Dialect::Sqlite>;
  constexpr auto& pg = sql::Select<User, W, O, Take, Skip>::text<sql::Dialect::Postgresql>;
  STATIC_REQUIRE(pg.view() ==
                 "SELECT \"id\", \"email\", \"name\", \"role\", \"age\", \"createdAt\" FROM \"User\" "
                 "WHERE (\"age\" >= $1 AND \"email\" LIKE $2 ESCAPE '\\') "
                 "ORDER BY \"name\" DESC NULLS LAST LIMIT $3 OFFSET $4");
  CHECK(sqlite.view().find("LIMIT ? OFFSET ?") != std::string_view::npos);
  CHECK(sqlite_text<Skip>().ends_with("LIMIT -1 OFFSET ?"));
}

TEST_CASE("find_many filters, orders and reads rows into the struct", "[sqlite][query]") {
  auto c = seeded();
  driver::sqlite::ConnectionSource src{&c};
  Delegate<User, driver::sqlite::ConnectionSource> users(&src);
  auto admins = users.find_many(where(user::role == Role::ADMIN));
  REQUIRE(admins.size() == 1);
  CHECK(admins[0].email == "ada@x.io");
  CHECK(admins[0].name == std::optional<std::string>("Ada"));
  CHECK(admins[0].createdAt == DateTime::from_civil(2024, 5, 6, 7, 8, 9, 123));

  auto named = users.find_many(where(user::name.is_not_null()), order_by(user::id.desc()));
  REQUIRE(named.size() == 2);
  CHECK(named[0].id == 3);
  CHECK_FALSE(named[1].age == std::nullopt);

  auto some = users.find_many(where(user::id.in({1, 3}) || user::age < 18), order_by(user::id.asc()));
  REQUIRE(some.size() == 3);
}

TEST_CASE("DateTime reads the three forms found in SQLite databases", "[sqlite][query]") {
  auto c = seeded();
  auto rows = users_of(c)->find_many(order_by(user::id.asc()));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].createdAt == DateTime::from_civil(2024, 5, 7, 8));
  CHECK(rows[2].createdAt == DateTime::from_unix_ms(1715068800000));
}

TEST_CASE("contains matches % and _ literally, not as wildcards (unlike Prisma 7)", "[sqlite][query]") {
  // Prisma Client 7.10 binds the value into LIKE unescaped (prisma/orm#23611): contains("_")
  // matches every row there. prisma-cpp escapes the value's %, _ and \.
  auto c = seeded();
  driver::sqlite::ConnectionSource src{&c};
  Delegate<User, driver::sqlite::ConnectionSource> users(&src);
  CHECK(users.find_many(where(user::email.contains("50%"))).size() == 1);   // cy_50%@x.io
  CHECK(users.find_many(where(user::email.contains("_"))).size() == 1);     // only cy_50%
  CHECK(users.find_many(where(user::email.contains("y_io"))).empty());      // bob@y.io has no _
  CHECK(users.find_many(where(user::email.contains("%"))).size() == 1);
  CHECK(users.find_many(where(user::email.starts_with("ADA"))).size() == 1);  // ASCII case-insensitive
}

TEST_CASE("take, negative take and skip page through ordered rows", "[sqlite][query]") {
  auto c = seeded();
  driver::sqlite::ConnectionSource src{&c};
  Delegate<User, driver::sqlite::ConnectionSource> users(&src);
  auto first = users.find_many(order_by(user::id.asc()), take(2));
  REQUIRE(first.size() == 2);
  CHECK(first[1].id == 2);
  auto last = users.find_many(order_by(user::id.asc()), take(-2));
  REQUIRE(last.size() == 2);
  CHECK(last[0].id == 2);  // still in ascending order
  CHECK(last[1].id == 3);
  auto skipped = users.find_many(order_by(user::id.asc()), skip(1));
  REQUIRE(skipped.size() == 2);
  CHECK(skipped[0].id == 2);
  auto one = users.find_first(where(user::age > 20));
  REQUIRE(one);
  CHECK(one->id == 1);
  CHECK_FALSE(users.find_first(where(user::age > 99)));
}

TEST_CASE("SQLite constraint errors become Prisma's typed errors", "[sqlite][query]") {
  auto c = seeded();
  try {
    c.exec("INSERT INTO \"User\" (email, role, createdAt) VALUES ('ada@x.io', 'USER', 'x')");
    FAIL("expected P2002");
  } catch (const UniqueConstraintViolation& e) {
    CHECK(e.code() == "P2002");
    CHECK(e.fields() == std::vector<std::string>{"email"});
  }
  CHECK_THROWS_AS(c.exec("INSERT INTO \"Post\" (title, authorId, updatedAt) VALUES ('t', 99, 'x')"),
                  ForeignKeyViolation);
  CHECK_THROWS_AS(c.exec("INSERT INTO \"User\" (email, role, createdAt) VALUES (NULL, 'USER', 'x')"),
                  NullConstraintViolation);
  // the connection is still usable afterwards
  CHECK(users_of(c)->find_many().size() == 3);
}

TEST_CASE("write inputs: atomic operations and unset members", "[sqlite][query]") {
  Update<std::int32_t> views = increment(2);
  CHECK(views.is_set());
  CHECK(views.op() == AtomicOp::Increment);
  CHECK(views.value() == 2);
  Update<std::optional<std::string>> name = std::nullopt;
  CHECK(name.is_set());
  CHECK_FALSE(name.value().has_value());
  Update<std::string> untouched;
  CHECK_FALSE(untouched.is_set());
}

TEST_CASE("count and delete_many use the same filters", "[sqlite][query]") {
  auto c = seeded();
  driver::sqlite::ConnectionSource src{&c};
  Delegate<User, driver::sqlite::ConnectionSource> users(&src);
  CHECK(users.count() == 3);
  CHECK(users.count(where(user::age.is_not_null())) == 2);
  CHECK(users.count(where(!(user::role == Role::USER))) == 1);
  STATIC_REQUIRE(sql::DeleteWhere<User, decltype(user::age < 18)>::text<sql::Dialect::Postgresql>.view() ==
                 "DELETE FROM \"User\" WHERE \"age\" < $1");
  CHECK(users.delete_many(user::age < 18) == 1);
  CHECK(users.count() == 2);
  CHECK(users.delete_many(user::email.ends_with("@nowhere")) == 0);
}
