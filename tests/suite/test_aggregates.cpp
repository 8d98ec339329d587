// count, aggregate and group_by with having, on the blog rows of suite.hpp.
#include "suite.hpp"

using namespace prisma_suite;

TEST_CASE("count counts the matching rows, or the page that take and skip describe", "[aggregate]") {
  auto db = blog();
  CHECK(db.user.count() == 5);
  CHECK(db.user.count(where(user::age >= 18)) == 3);
  CHECK(db.user.count(where(user::name.is_not_null())) == 4);
  CHECK(db.user.count(take(2), skip(1)) == 2);
  CHECK(db.user.count(skip(4)) == 1);
  CHECK(db.user.count(where(user::id > 3), take(-10)) == 2);
}

TEST_CASE("aggregate returns a tuple in argument order", "[aggregate]") {
  auto db = blog();
  auto [n, total, mean, least, most, first_title, rated] =
      db.post.aggregate(count(), sum(post::views), avg(post::views), min(post::views), max(post::views),
                        min(post::title), count(post::rating));
  STATIC_REQUIRE(std::is_same_v<decltype(n), std::int64_t>);
  STATIC_REQUIRE(std::is_same_v<decltype(total), std::optional<std::int64_t>>);
  STATIC_REQUIRE(std::is_same_v<decltype(mean), std::optional<double>>);
  STATIC_REQUIRE(std::is_same_v<decltype(least), std::optional<int>>);
  STATIC_REQUIRE(std::is_same_v<decltype(first_title), std::optional<std::string>>);
  CHECK(n == 6);
  CHECK(total == 30);
  CHECK(mean == Approx(5.0));
  CHECK(least == 0);
  CHECK(most == 10);
  CHECK(first_title == "A");
  CHECK(rated == 3);  // count(field) counts non-null values
  auto [avg_rating, max_rating] = db.post.aggregate(avg(post::rating), max(post::rating));
  CHECK(*avg_rating == Approx(8.5 / 3));
  CHECK(max_rating == 4.5);
}

TEST_CASE("aggregates of no rows are null, and count is 0", "[aggregate]") {
  auto db = blog();
  auto [n, total, mean, most] =
      db.post.aggregate(count(), sum(post::views), avg(post::views), max(post::views), where(post::views > 100));
  CHECK(n == 0);
  CHECK_FALSE(total.has_value());
  CHECK_FALSE(mean.has_value());
  CHECK_FALSE(most.has_value());
}

TEST_CASE("aggregate over a page: where, order_by, skip, take", "[aggregate]") {
  auto db = blog();
  auto [n, total] = db.post.aggregate(count(), sum(post::views), order_by(post::id.asc()), take(2));
  CHECK(n == 2);
  CHECK(total == 10);  // A 10 + B 0
  auto [m, most] = db.post.aggregate(count(), max(post::views), order_by(post::views.asc()), skip(1), take(-2));
  CHECK(m == 2);
  CHECK(most == 7);  // views ascending 0 1 5 7 7 10: the last two before the last one
}

TEST_CASE("aggregates of DateTime, Decimal and BigInt keep their types", "[aggregate]") {
  auto db = fresh();
  db.sample.create({.label = "a", .big = 5, .price = Decimal("1.25"), .at = DateTime::from_civil(2024, 3, 1)});
  db.sample.create({.label = "b", .big = 7, .price = Decimal("2.5"), .at = DateTime::from_civil(2023, 3, 1)});
  auto [first, last, big_sum, price_sum, price_avg] =
      db.sample.aggregate(min(sample::at), max(sample::at), sum(sample::big), sum(sample::price), avg(sample::price));
  CHECK(first == DateTime::from_civil(2023, 3, 1));
  CHECK(last == DateTime::from_civil(2024, 3, 1));
  CHECK(big_sum == 12);
  STATIC_REQUIRE(std::is_same_v<decltype(price_sum), std::optional<Decimal>>);
  CHECK(price_sum == Decimal("3.75"));
  CHECK(price_avg == Decimal("1.875"));
}

TEST_CASE("group_by gives the by() fields, then the aggregates, per group", "[aggregate][group_by]") {
  auto db = blog();
  auto groups = db.post.group_by(by(post::authorId), count(), sum(post::views), order_by(post::authorId.asc()));
  using G = decltype(groups)::value_type;
  STATIC_REQUIRE(std::is_same_v<G, std::tuple<int, std::int64_t, std::optional<std::int64_t>>>);
  REQUIRE(groups.size() == 4);
  CHECK(groups[0] == G{1, 2, 10});
  CHECK(groups[1] == G{2, 1, 5});
  CHECK(groups[2] == G{4, 2, 14});
  CHECK(groups[3] == G{5, 1, 1});
}

TEST_CASE("group_by with where, having, ordering by an aggregate, skip and take", "[aggregate][group_by]") {
  auto db = blog();
  auto big = db.post.group_by(by(post::authorId), sum(post::views), having(sum(post::views) > 5),
                              order_by(post::authorId.asc()));
  REQUIRE(big.size() == 2);
  CHECK(std::get<0>(big[0]) == 1);
  CHECK(std::get<0>(big[1]) == 4);
  auto later = db.post.group_by(by(post::authorId), count(), having(post::authorId > 1 && count() >= 1),
                                order_by(post::authorId.asc()));
  CHECK(later.size() == 3);
  auto most = db.post.group_by(by(post::authorId), count(), order_by(count().desc(), post::authorId.asc()), take(2));
  REQUIRE(most.size() == 2);
  CHECK(std::get<0>(most[0]) == 1);
  CHECK(std::get<0>(most[1]) == 4);
  auto published = db.post.group_by(by(post::authorId, post::published), count(), where(post::views > 0),
                                    order_by(post::authorId.asc(), post::published.asc()), skip(1));
  REQUIRE(published.size() == 4);  // (1,true) (2,true) (4,false) (4,true) (5,true) minus the first
  CHECK(std::get<0>(published[0]) == 2);
  auto last = db.post.group_by(by(post::authorId), order_by(post::authorId.asc()), take(-1));
  REQUIRE(last.size() == 1);
  CHECK(std::get<0>(last[0]) == 5);
}

TEST_CASE("group_by on an optional field has a null group", "[aggregate][group_by]") {
  auto db = blog();
  auto groups = db.user.group_by(by(user::age), count(), order_by(user::age.asc().nulls_first()));
  REQUIRE(groups.size() == 4);
  CHECK(std::get<0>(groups[0]) == std::nullopt);
  CHECK(std::get<0>(groups[2]) == 30);
  CHECK(std::get<1>(groups[2]) == 2);
}
