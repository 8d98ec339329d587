// Reads: find_unique / find_first / find_many with ordering, paging, cursors, distinct, select
// and omit, on the blog rows of suite.hpp.
#include "suite.hpp"

using namespace prisma_suite;

template <class R>
concept has_age = requires(R r) { r.age; };

TEST_CASE("find_unique takes the id, a @unique field or every field of a compound key", "[read]") {
  auto db = fresh();
  db.user.create({.email = "a@x.io"});
  CHECK(db.user.find_unique(user::id == 1)->email == "a@x.io");
  CHECK(db.user.find_unique(user::email == "a@x.io")->id == 1);
  CHECK_FALSE(db.user.find_unique(user::email == "b@x.io"));
  CHECK_THROWS_AS(db.user.find_unique_or_throw(user::id == 2), RecordNotFound);
  db.line.create({.orderId = "o-1", .sku = "S1", .position = 1});
  db.line.create({.orderId = "o-1", .sku = "S2", .position = 2, .qty = 5});
  CHECK(db.line.find_unique(line::orderId == "o-1" && line::sku == "S2")->qty == 5);
  CHECK(db.line.find_unique(line::position == 1 && line::orderId == "o-1")->sku == "S1");
}

TEST_CASE("find_first takes the first row in the order", "[read]") {
  auto db = blog();
  CHECK(db.user.find_first(where(user::age == 30), order_by(user::id.desc()))->id == 5);
  CHECK(db.user.find_first(order_by(user::age.desc().nulls_last()))->id == 4);
  CHECK_FALSE(db.user.find_first(where(user::age > 100)));
  CHECK_THROWS_AS(db.user.find_first_or_throw(where(user::age > 100)), RecordNotFound);
}

TEST_CASE("find_first takes a take by its sign: take(-1) is the last row", "[read]") {
  auto db = blog();
  CHECK(db.user.find_first(order_by(user::id.asc()), take(-1))->id == 5);
  CHECK(db.user.find_first(order_by(user::id.asc()), take(-3))->id == 5);
  CHECK(db.user.find_first(order_by(user::id.asc()), take(3))->id == 1);
  CHECK(db.user.find_first(where(user::age > 18), order_by(user::age.asc(), user::id.asc()), take(-1))->id == 4);
  CHECK(db.user.find_first_or_throw(order_by(user::id.desc()), skip(1), take(-1)).id == 2);  // the one before the last
}

TEST_CASE("order_by several fields, each ascending or descending", "[read][order]") {
  auto db = blog();
  CHECK(row_ids(db.post.find_many(order_by(post::published.desc(), post::id.desc()))) == Ids{6, 4, 3, 1, 5, 2});
  CHECK(row_ids(db.post.find_many(order_by(post::views.desc(), post::title.asc()))) == Ids{1, 4, 5, 3, 6, 2});
}

TEST_CASE("nulls sort where the database puts them, unless nulls_first / nulls_last", "[read][order]") {
  auto db = blog();
  // As Prisma Client: SQLite takes NULL as the smallest value, PostgreSQL as the largest.
  if (kNullsSortFirst) {
    CHECK(row_ids(db.user.find_many(order_by(user::age.asc(), user::id.asc()))) == Ids{2, 3, 1, 5, 4});
    CHECK(row_ids(db.user.find_many(order_by(user::age.desc(), user::id.asc()))) == Ids{4, 1, 5, 3, 2});
  } else {
    CHECK(row_ids(db.user.find_many(order_by(user::age.asc(), user::id.asc()))) == Ids{3, 1, 5, 4, 2});
    CHECK(row_ids(db.user.find_many(order_by(user::age.desc(), user::id.asc()))) == Ids{2, 4, 1, 5, 3});
  }
  CHECK(row_ids(db.user.find_many(order_by(user::age.asc().nulls_last(), user::id.asc()))) == Ids{3, 1, 5, 4, 2});
  CHECK(row_ids(db.user.find_many(order_by(user::email.desc()))) == Ids{5, 4, 3, 2, 1});
  CHECK(row_ids(db.user.find_many(order_by(user::age.desc().nulls_first(), user::id.desc()))) == Ids{2, 4, 5, 1, 3});
}

TEST_CASE("skip and take page through the order; a negative take counts from the end", "[read][paging]") {
  auto db = blog();
  auto by_id = order_by(user::id.asc());
  CHECK(row_ids(db.user.find_many(by_id, take(2))) == Ids{1, 2});
  CHECK(row_ids(db.user.find_many(by_id, skip(2), take(2))) == Ids{3, 4});
  CHECK(row_ids(db.user.find_many(by_id, skip(4))) == Ids{5});
  CHECK(row_ids(db.user.find_many(by_id, take(-2))) == Ids{4, 5});
  CHECK(row_ids(db.user.find_many(by_id, take(-2), skip(1))) == Ids{3, 4});
  CHECK(row_ids(db.user.find_many(take(-2))) == Ids{4, 5});  // no order: the primary key's
  CHECK(db.user.find_many(by_id, take(0)).empty());
}

TEST_CASE("cursor starts the page at a row, in the query's order", "[read][paging]") {
  auto db = blog();
  auto by_id = order_by(user::id.asc());
  CHECK(row_ids(db.user.find_many(cursor(user::id == 3), take(2), by_id)) == Ids{3, 4});
  CHECK(row_ids(db.user.find_many(cursor(user::id == 3), skip(1), take(2), by_id)) == Ids{4, 5});
  CHECK(row_ids(db.user.find_many(cursor(user::id == 3), take(-2), by_id)) == Ids{2, 3});
  CHECK(row_ids(db.user.find_many(cursor(user::email == "bob@x.io"), take(10))) == Ids{2, 3, 4, 5});
  // ties in the order are broken by the primary key: views desc is A(1) D(4) E(5) C(3) F(6) B(2)
  CHECK(row_ids(db.post.find_many(cursor(post::id == 5), order_by(post::views.desc()))) == Ids{5, 3, 6, 2});
  CHECK(row_ids(db.post.find_many(cursor(post::id == 4), order_by(post::views.desc()), take(2))) == Ids{4, 5});
  CHECK(row_ids(db.post.find_many(cursor(post::id == 5), order_by(post::views.desc()), take(-2))) == Ids{4, 5});
  CHECK(row_ids(db.post.find_many(cursor(post::id == 3), order_by(post::published.asc(), post::views.desc()))) ==
        Ids{3, 6});
  CHECK(db.user.find_many(cursor(user::id == 99), take(2)).empty());
  CHECK(db.user.count(cursor(user::id == 3), by_id) == 3);
}

TEST_CASE("distinct keeps the first row of each combination, then pages", "[read][distinct]") {
  auto db = blog();
  CHECK(row_ids(db.user.find_many(distinct(user::role), order_by(user::id.desc()))) == Ids{5, 4});
  CHECK(row_ids(db.user.find_many(distinct(user::role), order_by(user::id.asc()))) == Ids{1, 2});
  CHECK(row_ids(db.user.find_many(distinct(user::role), order_by(user::id.desc()), skip(1), take(1))) == Ids{4});
  CHECK(row_ids(db.post.find_many(distinct(post::authorId, post::published), order_by(post::id.asc()))) ==
        Ids{1, 2, 3, 4, 5, 6});
  CHECK(row_ids(db.post.find_many(distinct(post::views), where(post::views > 4), order_by(post::id.asc()))) ==
        Ids{1, 3, 4});
}

TEST_CASE("select reads only the named fields into a row with those members", "[read][select]") {
  auto db = blog();
  auto rows = db.user.find_many(select(user::id, user::email), where(user::age == 30), order_by(user::id.asc()));
  STATIC_REQUIRE(std::is_same_v<decltype(rows)::value_type, Row<std::remove_cv_t<decltype(user::id)>,
                                                                 std::remove_cv_t<decltype(user::email)>>>);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id == 1);
  CHECK(rows[0].email == "alice@x.io");
  CHECK(rows[1].email == "eve@x.io");
  auto one = db.user.find_unique(user::email == "bob@x.io", select(user::name));
  REQUIRE(one);
  CHECK(one->name == "Bob");
  auto first = db.post.find_first(select(post::title, post::views), order_by(post::views.desc()));
  CHECK(first->title == "A");
  CHECK(first->views == 10);
}

TEST_CASE("omit reads every field but the named ones", "[read][select]") {
  auto db = blog();
  auto rows = db.user.find_many(omit(user::createdAt, user::age), order_by(user::id.asc()));
  REQUIRE(rows.size() == 5);
  CHECK(rows[3].email == "dave_1@x.io");
  CHECK(rows[3].name == "Dave 100%");
  CHECK(rows[0].role == Role::ADMIN);
  using R = decltype(rows)::value_type;
  STATIC_REQUIRE_FALSE(has_age<R>);
  STATIC_REQUIRE(has_age<User>);
}

TEST_CASE("compound ids and uniques by Prisma's name work wherever a unique criterion does", "[read][unique]") {
  auto db = fresh();
  // @@id([orderId, sku]) -> line::orderId_sku; @@unique([orderId, position], name: "slot") -> line::slot
  STATIC_REQUIRE(prisma::detail::is_unique_filter<Line, decltype(line::orderId_sku("o", "s"))>::value);
  STATIC_REQUIRE(prisma::detail::is_unique_filter<Line, decltype(line::slot("o", 1))>::value);
  db.line.create({.orderId = "o-1", .sku = "S1", .position = 1});
  db.line.create({.orderId = "o-1", .sku = "S2", .position = 2, .qty = 5});
  db.line.create({.orderId = "o-2", .sku = "S1", .position = 1});
  CHECK(db.line.find_unique(line::orderId_sku("o-1", "S2"))->qty == 5);
  CHECK(db.line.find_unique(line::slot("o-2", 1))->sku == "S1");
  CHECK_FALSE(db.line.find_unique(line::slot("o-2", 2)).has_value());
  CHECK(db.line.update(line::orderId_sku("o-1", "S1"), {.qty = 7}).qty == 7);
  auto up = db.line.upsert(line::slot("o-3", 1), {.orderId = "o-3", .sku = "S9", .position = 1}, {.qty = 2});
  CHECK(up.sku == "S9");
  auto page = db.line.find_many(cursor(line::orderId_sku("o-1", "S2")), order_by(line::orderId.asc(), line::sku.asc()));
  REQUIRE(page.size() == 3);  // o-1/S2, o-2/S1, o-3/S9
  CHECK(page[0].sku == "S2");
  CHECK(db.line.delete_(line::slot("o-1", 2)).sku == "S2");
  CHECK(db.line.count() == 3);
}
