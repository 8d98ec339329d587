// Filters on every operator and scalar type, their combinations, and the results Prisma Client
// gives for the same rows (tests/suite/suite.hpp has the data).
#include "suite.hpp"

using namespace prisma_suite;

TEST_CASE("equals, comparisons and in / not_in select the rows Prisma selects", "[filter]") {
  auto db = blog();
  auto by_id = order_by(user::id.asc());
  CHECK(row_ids(db.user.find_many(where(user::age == 30), by_id)) == Ids{1, 5});
  CHECK(row_ids(db.user.find_many(where(user::age.equals(30)), by_id)) == Ids{1, 5});
  CHECK(row_ids(db.user.find_many(where(user::age > 17), by_id)) == Ids{1, 4, 5});
  CHECK(row_ids(db.user.find_many(where(user::age.gte(30) && user::age.lt(45)), by_id)) == Ids{1, 5});
  CHECK(row_ids(db.user.find_many(where(user::age <= 17), by_id)) == Ids{3});
  CHECK(row_ids(db.user.find_many(where(user::id.in({2, 4, 99})), by_id)) == Ids{2, 4});
  CHECK(row_ids(db.user.find_many(where(user::id.not_in({2, 4})), by_id)) == Ids{1, 3, 5});
  CHECK(row_ids(db.user.find_many(where(user::role.in({Role::ADMIN})), by_id)) == Ids{1, 5});
  CHECK(row_ids(db.user.find_many(where(user::email.in({"bob@x.io", "eve@x.io"})), by_id)) == Ids{2, 5});
}

TEST_CASE("in with an empty list matches nothing and not_in with one matches everything", "[filter]") {
  auto db = blog();
  CHECK(db.user.find_many(where(user::id.in({}))).empty());
  CHECK(db.user.count(where(user::id.not_in({}))) == 5);
}

TEST_CASE("in on a Float matches the value to its last digit, and only it", "[filter]") {
  auto db = blog();
  db.sample.create({.label = "f", .ratio = 0.1234567891});
  db.sample.create({.label = "g", .ratio = 0.123457});
  CHECK(db.sample.count(where(sample::ratio.in({0.1234567891}))) == 1);
  CHECK(db.sample.find_many(where(sample::ratio.in({0.1234567891})))[0].label == "f");
  CHECK(db.sample.count(where(sample::ratio.in({0.123457, 2.5e-300}))) == 1);
  CHECK(db.sample.count(where(sample::ratio.not_in({0.1234567891}))) == 1);
}

TEST_CASE("null tests on optional fields", "[filter]") {
  auto db = blog();
  auto by_id = order_by(user::id.asc());
  CHECK(row_ids(db.user.find_many(where(user::name.is_null()), by_id)) == Ids{3});
  CHECK(row_ids(db.user.find_many(where(user::age.is_null()), by_id)) == Ids{2});
  CHECK(row_ids(db.user.find_many(where(user::name.is_not_null()), by_id)) == Ids{1, 2, 4, 5});
}

TEST_CASE("AND, OR and NOT nest to any depth", "[filter]") {
  auto db = blog();
  auto by_id = order_by(user::id.asc());
  CHECK(row_ids(db.user.find_many(where(user::role == Role::ADMIN || user::age < 18), by_id)) == Ids{1, 3, 5});
  CHECK(row_ids(db.user.find_many(where((user::role == Role::ADMIN || user::age < 18) && user::name.is_not_null()),
                              by_id)) == Ids{1, 5});
  // NULL is neither equal nor unequal: bob's NULL age makes the OR unknown, and NOT keeps it
  // unknown, so bob is not returned (Prisma's documented `not` / `NOT` semantics).
  CHECK(row_ids(db.user.find_many(where(!(user::role == Role::ADMIN || user::age < 18)), by_id)) == Ids{4});
  CHECK(row_ids(db.user.find_many(where(user::age != 30), by_id)) == Ids{3, 4});
  CHECK(row_ids(db.user.find_many(where(user::name.not_("Bob")), by_id)) == Ids{1, 4, 5});
  CHECK(row_ids(db.user.find_many(where(!user::name.in({"Bob"})), by_id)) == Ids{1, 4, 5});
  CHECK(row_ids(db.user.find_many(where(user::age != 30 || user::age.is_null()), by_id)) == Ids{2, 3, 4});
  CHECK(row_ids(db.user.find_many(where(!(!(user::id == 2) && !(user::id == 3))), by_id)) == Ids{2, 3});
  CHECK(row_ids(db.user.find_many(where(user::id > 1 && (user::age == 30 || (user::name.is_null() && user::age < 20))),
                              by_id)) == Ids{3, 5});
}

TEST_CASE("contains, starts_with and ends_with", "[filter]") {
  auto db = blog();
  auto by_id = order_by(user::id.asc());
  CHECK(row_ids(db.user.find_many(where(user::email.starts_with("dave")), by_id)) == Ids{4});
  CHECK(row_ids(db.user.find_many(where(user::email.ends_with("@x.io")), by_id)) == Ids{1, 2, 3, 4, 5});
  CHECK(row_ids(db.user.find_many(where(user::name.contains("ve")), by_id)) == Ids{4, 5});
  CHECK(row_ids(db.user.find_many(where(user::name.contains("100%")), by_id)) == Ids{4});
  CHECK(row_ids(db.post.find_many(where(post::content.contains("y")), order_by(post::id.asc()))) == Ids{3});
}

TEST_CASE("Boolean, Float, enum and DateTime filters", "[filter]") {
  auto db = blog();
  auto by_id = order_by(post::id.asc());
  CHECK(row_ids(db.post.find_many(where(post::published == true), by_id)) == Ids{1, 3, 4, 6});
  CHECK(row_ids(db.post.find_many(where(post::published != true), by_id)) == Ids{2, 5});
  CHECK(row_ids(db.post.find_many(where(post::rating >= 3.0), by_id)) == Ids{1, 3});
  CHECK(row_ids(db.post.find_many(where(post::rating.is_null()), by_id)) == Ids{2, 4, 6});
  CHECK(row_ids(db.user.find_many(where(user::role == Role::ADMIN), order_by(user::id.asc()))) == Ids{1, 5});
  CHECK(row_ids(db.user.find_many(where(user::createdAt > day(2)), order_by(user::id.asc()))) == Ids{3, 4, 5});
  CHECK(row_ids(db.user.find_many(where(user::createdAt == day(3)))) == Ids{3});
  CHECK(row_ids(db.user.find_many(where(user::createdAt.in({day(1), day(5)})), order_by(user::id.asc()))) == Ids{1, 5});
}

TEST_CASE("BigInt, Decimal, Bytes, Json and optional enum filters", "[filter]") {
  auto db = fresh();
  Bytes raw{std::byte{0}, std::byte{1}, std::byte{255}};
  db.sample.create({.label = "a", .big = 9007199254740993LL, .price = Decimal("12.5"), .data = Json(R"({"k":1})"),
                    .raw = raw, .roleOpt = Role::ADMIN});
  db.sample.create({.label = "b", .big = -4, .price = Decimal("0.25"), .priceOpt = Decimal("3"),
                    .data = Json(R"([1,2])"), .role = Role::USER});
  db.sample.create({.label = "c", .big = 10, .bigOpt = 1, .price = Decimal(7)});
  auto labels = [](const auto& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.label);
    std::sort(out.begin(), out.end());
    return out;
  };
  using L = std::vector<std::string>;
  CHECK(labels(db.sample.find_many(where(sample::big == std::int64_t{9007199254740993LL}))) == L{"a"});
  CHECK(labels(db.sample.find_many(where(sample::big < 0))) == L{"b"});
  CHECK(labels(db.sample.find_many(where(sample::bigOpt.is_null()))) == L{"a", "b"});
  CHECK(labels(db.sample.find_many(where(sample::price > Decimal("1"))) ) == L{"a", "c"});
  CHECK(labels(db.sample.find_many(where(sample::price == Decimal("0.25")))) == L{"b"});
  CHECK(labels(db.sample.find_many(where(sample::priceOpt >= 3))) == L{"b"});
  CHECK(labels(db.sample.find_many(where(sample::raw == raw))) == L{"a"});
  CHECK(labels(db.sample.find_many(where(sample::raw.is_null()))) == L{"b", "c"});
  CHECK(labels(db.sample.find_many(where(sample::data == Json(R"({"k":1})")))) == L{"a"});
  CHECK(labels(db.sample.find_many(where(sample::data.is_null()))) == L{"c"});
  CHECK(labels(db.sample.find_many(where(sample::role == Role::GUEST))) == L{"a", "c"});  // @map("guest")
  CHECK(labels(db.sample.find_many(where(sample::roleOpt == Role::ADMIN))) == L{"a"});
  CHECK(labels(db.sample.find_many(where(sample::roleOpt.is_null()))) == L{"b", "c"});
  CHECK(labels(db.sample.find_many(where(sample::flag == false && sample::maybe.is_null()))) == L{"a", "b", "c"});
}

TEST_CASE("values are bound, never spliced into the SQL", "[filter][security]") {
  auto db = blog();
  std::string evil = "x' OR '1'='1";
  CHECK(db.user.find_many(where(user::email == evil)).empty());
  CHECK(db.user.find_many(where(user::name.contains(evil))).empty());
  CHECK(db.user.find_many(where(user::email.in({evil, "\"; DROP TABLE \"User\"; --"}))).empty());
  CHECK(db.user.count() == 5);
}

TEST_CASE("DateTime works with std::chrono in writes and filters", "[filter][datetime]") {
  using namespace std::chrono_literals;
  auto db = fresh();
  const DateTime start = DateTime::from_civil(2025, 6, 1, 12);
  db.sample.create({.label = "soon", .at = start + 24h, .atOpt = start + 90min});
  db.sample.create({.label = "past", .at = start - std::chrono::days(2)});
  // A std::chrono::sys_time is a DateTime: in a filter, and back out of a row.
  const std::chrono::sys_time<std::chrono::milliseconds> cut = start.time();
  CHECK(db.sample.count(where(sample::at <= cut)) == 1);
  CHECK(db.sample.count(where(sample::at > std::chrono::sys_days{std::chrono::year{2025} / 6 / 1})) == 1);
  auto soon = db.sample.find_unique_or_throw(sample::label == "soon");
  CHECK(soon.at - start == 24h);
  CHECK(*soon.atOpt - soon.at == -22h - 30min);
  std::chrono::sys_time<std::chrono::milliseconds> tp = soon.at;
  CHECK(DateTime(tp) == soon.at);
  db.sample.update(sample::label == "past", {.at = soon.at + 1s});
  CHECK(db.sample.count(where(sample::at > soon.at)) == 1);
}

TEST_CASE("contains, starts_with and ends_with match %, _ and the escape character literally", "[filter][like]") {
  auto db = fresh();
  for (const char* e : {"a%b@x.io", "axb@x.io", "a_b@x.io", "a\\b@x.io", "ab@x.io", "100%@x.io"})
    db.user.create({.email = e});
  auto emails = [&](auto f) {
    std::vector<std::string> out;
    for (auto& u : db.user.find_many(where(f))) out.push_back(u.email);
    std::sort(out.begin(), out.end());  // byte order: the servers' collations differ
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(emails(user::email.contains("%")) == V{"100%@x.io", "a%b@x.io"});
  CHECK(emails(user::email.contains("a%b")) == V{"a%b@x.io"});      // not axb, not a_b
  CHECK(emails(user::email.contains("_")) == V{"a_b@x.io"});
  CHECK(emails(user::email.contains("a_b")) == V{"a_b@x.io"});      // not a%b, axb
  CHECK(emails(user::email.contains("\\")) == V{"a\\b@x.io"});
  CHECK(emails(user::email.contains("a\\b")) == V{"a\\b@x.io"});
  CHECK(emails(user::email.starts_with("100%")) == V{"100%@x.io"});
  CHECK(emails(user::email.starts_with("%")).empty());
  CHECK(emails(user::email.ends_with("%@x.io")) == V{"100%@x.io"});
  CHECK(emails(user::email.ends_with("_b@x.io")) == V{"a_b@x.io"});
  CHECK(emails(user::email.contains("A%B", mode::insensitive)) == V{"a%b@x.io"});  // ILIKE escapes too
  CHECK(db.user.count(where(user::email.contains(""))) == 6);
}

TEST_CASE("field references compare two columns of the same row", "[filter][field_ref]") {
  auto db = blog();  // posts (views, authorId): A(10,1) B(0,1) C(5,2) D(7,4) E(7,4) F(1,5)
  CHECK(row_ids(db.post.find_many(where(post::views > post::authorId), order_by(post::id.asc()))) ==
        std::vector<int>{1, 3, 4, 5});
  CHECK(row_ids(db.post.find_many(where(post::views < post::authorId && post::published == true))) == std::vector<int>{6});
  CHECK(db.post.count(where(post::views == post::authorId)) == 0);
  CHECK(db.post.count(where(!(post::views >= post::authorId))) == 2);
  // in a nested write's filter and a delete_many too
  CHECK(db.post.delete_many(post::views <= post::authorId) == 2);
  CHECK(db.post.count() == 4);
}

namespace {
// The rows Prisma 7.10 answered Json filters on (the same data, both backends; see README):
//   a {"pet":{"name":"Rex","age":3},"tags":["x","y"],"title":"Hello World"}
//   b {"pet":{"name":"rex","age":5},"tags":["y"],"title":"hello"}   c {"pet":null,"title":"World"}
//   d JSON null   e SQL NULL   f 42   g "just text"
Client json_samples() {
  auto db = fresh();
  db.sample.create({.label = "a", .data = Json(R"({"pet":{"name":"Rex","age":3},"tags":["x","y"],"title":"Hello World"})")});
  db.sample.create({.label = "b", .data = Json(R"({"pet":{"name":"rex","age":5},"tags":["y"],"title":"hello"})")});
  db.sample.create({.label = "c", .data = Json(R"({"pet":null,"title":"World"})")});
  db.sample.create({.label = "d", .data = prisma::JsonNull});
  db.sample.create({.label = "e", .data = std::nullopt});
  db.sample.create({.label = "f", .data = Json("42")});
  db.sample.create({.label = "g", .data = Json::string("just text")});
  return db;
}
template <class F>
std::string labels(Client& db, const F& filter) {
  std::string out;
  for (const auto& s : db.sample.find_many(where(filter), order_by(sample::label.asc()))) out += s.label;
  return out;
}
}  // namespace

TEST_CASE("Json filters: path, equals and the three nulls answer as Prisma's", "[filter][json]") {
  auto db = json_samples();
  CHECK(labels(db, sample::data.path({"pet", "name"}).equals(Json::string("Rex"))) == "a");
  CHECK(labels(db, sample::data.path({"title"}).equals(Json::string("World"))) == "c");
  CHECK(labels(db, sample::data.path({"title"}).not_(Json::string("World"))) == "ab");
  CHECK(labels(db, sample::data == Json("42")) == "f");
  CHECK(labels(db, sample::data == prisma::JsonNull) == "d");
  CHECK(labels(db, sample::data == prisma::DbNull) == "e");
  CHECK(labels(db, sample::data == prisma::AnyNull) == "de");
  CHECK(labels(db, sample::data != prisma::JsonNull) == "abcfg");  // SQL NULL is never "not" anything
  CHECK(labels(db, sample::data != prisma::DbNull) == "abcdfg");
  CHECK(labels(db, sample::data.path({"pet"}).equals(prisma::JsonNull)) == "c");
  CHECK(labels(db, sample::data.path({"pet"}).equals(prisma::DbNull)) == "defg");  // nothing at the path
  CHECK(labels(db, sample::data.path({"pet"}).equals(prisma::AnyNull)) == "cdefg");
  CHECK(labels(db, sample::data.path({"pet"}).not_(prisma::JsonNull)) == "ab");
  CHECK(labels(db, sample::data.path({"pet", "age"}).gt(3)) == "b");
  CHECK(labels(db, sample::data.path({"pet", "age"}).gte(3)) == "ab");
  CHECK(labels(db, sample::data.path({"pet", "age"}).lt(5) && sample::data.path({"pet", "age"}).lte(5)) == "a");
}

TEST_CASE("Json filters: string_* and array_* at a path and on the whole value", "[filter][json]") {
  auto db = json_samples();
  CHECK(labels(db, sample::data.path({"pet", "name"}).string_contains("ex")) == "ab");
  CHECK(labels(db, sample::data.path({"pet", "name"}).string_ends_with("x")) == "ab");
  CHECK(labels(db, sample::data.path({"pet", "name"}).string_contains("EX", mode::insensitive)) == "ab");
  // LIKE: PostgreSQL's is case-sensitive; SQLite's ignores ASCII case (as Prisma's answers)
#ifdef PRISMA_SUITE_POSTGRES
  CHECK(labels(db, sample::data.path({"pet", "name"}).string_starts_with("R")) == "a");
#else
  CHECK(labels(db, sample::data.path({"pet", "name"}).string_starts_with("R")) == "ab");
#endif
  CHECK(labels(db, sample::data.path({"pet", "name"}).string_contains("%")).empty());  // matched literally
  CHECK(labels(db, sample::data.string_contains("text")) == "g");
  CHECK(labels(db, sample::data.string_starts_with("just")) == "g");  // the string's value, not its quotes
  CHECK(labels(db, sample::data.path({"tags"}).array_starts_with(Json::string("x"))) == "a");
  CHECK(labels(db, sample::data.path({"tags"}).array_ends_with(Json::string("y"))) == "ab");
  CHECK(labels(db, sample::data.path({"tags", "1"}).equals(Json::string("y"))) == "a");  // a position
#ifdef PRISMA_SUITE_POSTGRES
  CHECK(labels(db, sample::data.path({"tags"}).array_contains(Json(R"(["y"])"))) == "ab");
  CHECK(labels(db, sample::data.path({"tags"}).array_contains(Json(R"(["x","y"])"))) == "a");
  CHECK(labels(db, sample::data.path({"tags"}).array_contains(Json::string("x"))) == "a");
#endif
  // in a delete_many's filter as well
  CHECK(db.sample.delete_many(sample::data.path({"pet", "name"}).string_contains("ex")) == 2);
  CHECK(db.sample.count() == 5);
}

#ifdef PRISMA_SUITE_POSTGRES
TEST_CASE("search is PostgreSQL's full-text search, as Prisma renders it", "[filter][search]") {
  auto db = fresh();  // Prisma 7.10's answers on these texts: 'quick & dogs' [3], 'fox | dogs' [1,2,3], '!lazy' [1,3]
  db.user.create({.email = "a@x.io", .name = "the quick brown fox"});
  db.user.create({.email = "b@x.io", .name = "lazy dogs sleep"});
  db.user.create({.email = "c@x.io", .name = "quick dogs"});
  CHECK(row_ids(db.user.find_many(where(user::name.search("quick & dogs")), order_by(user::id.asc()))) == std::vector<int>{3});
  CHECK(row_ids(db.user.find_many(where(user::name.search("fox | dogs")), order_by(user::id.asc()))) == std::vector<int>{1, 2, 3});
  CHECK(row_ids(db.user.find_many(where(user::name.search("!lazy")), order_by(user::id.asc()))) == std::vector<int>{1, 3});
  CHECK(row_ids(db.user.find_many(where(user::name.search("dog")), order_by(user::id.asc()))) == std::vector<int>{2, 3});  // stemmed
  CHECK_THROWS_AS(db.user.count(where(user::name.search("quick dogs"))), prisma::Error);  // not a tsquery: Prisma's P2039 too
  // ordering by relevance (Prisma's _relevance): ts_rank, the query bound between the filter's and take's
  CHECK(row_ids(db.user.find_many(where(user::name.search("quick | dogs")),
                                  order_by(relevance("dogs", user::name, user::email).desc(), user::id.asc()), take(2))) ==
        std::vector<int>{2, 3});
  CHECK(row_ids(db.user.find_many(order_by(relevance("fox", user::name).desc(), user::id.desc()), skip(1))) ==
        std::vector<int>{3, 2});
  CHECK(db.user.find_first(where(user::id > 0), order_by(relevance("lazy", user::name).asc(), user::id.asc()), take(-1))->id == 2);
}
#endif
