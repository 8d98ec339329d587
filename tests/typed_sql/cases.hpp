// The TypedSQL cases (sql/*.sql), the same on SQLite and PostgreSQL: the includer defines
// TS_CHECK(expr) and TS_POSTGRES (PostgreSQL) and calls typed_sql_cases(db).
#pragma once
#include <tsql/all.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace typed_sql_test {

using namespace tsql;

// What the generated functions take: the parameter's type, or what converts without narrowing.
template <class D> constexpr bool age_takes_int = requires(D& d) { d.sql.usersByAge(18); };
template <class D> constexpr bool age_takes_string = requires(D& d) { d.sql.usersByAge(std::string("18")); };
template <class D> constexpr bool age_takes_double = requires(D& d) { d.sql.usersByAge(18.5); };
template <class D> constexpr bool score_takes_nullopt = requires(D& d) { d.sql.addPost("t", 1, std::nullopt); };
template <class D> constexpr bool title_takes_int = requires(D& d) { d.sql.addPost(5, 1, 1.0); };
static_assert(age_takes_int<Client> && !age_takes_string<Client> && !age_takes_double<Client>);
static_assert(score_takes_nullopt<Client> && !title_takes_int<Client>);

// The rows' member types, as the database described the statements.
using U = sql::UsersByAgeRow;
static_assert(std::is_same_v<decltype(U::id), std::int32_t> && std::is_same_v<decltype(U::email), std::string>);
static_assert(std::is_same_v<decltype(U::name), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(U::age), std::optional<std::int32_t>>);
static_assert(std::is_same_v<decltype(U::createdAt), prisma::DateTime>);
static_assert(std::is_same_v<decltype(U::balance), prisma::Decimal> && std::is_same_v<decltype(U::big), std::int64_t>);
static_assert(std::is_same_v<decltype(U::data), std::optional<prisma::Json>>);
static_assert(std::is_same_v<decltype(U::raw), std::optional<prisma::Bytes>>);
static_assert(std::is_same_v<decltype(U::active), bool>);
#ifdef TS_POSTGRES
static_assert(std::is_same_v<decltype(U::role), Role>);  // the server names the enum type
#else
static_assert(std::is_same_v<decltype(U::role), std::string>);  // SQLite: TEXT
#endif
// the outer join's nullable side
using P = sql::PostsOfRow;
static_assert(std::is_same_v<decltype(P::email), std::string>);
static_assert(std::is_same_v<decltype(P::title), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(P::views), std::optional<std::int32_t>>);
using C = sql::PostCountsRow;
#ifdef TS_POSTGRES
static_assert(std::is_same_v<decltype(C::postCount), std::optional<std::int64_t>>);  // count(): bigint, nullable as Prisma
#else
static_assert(std::is_same_v<decltype(C::postCount), prisma::SqlValue>);  // SQLite declares no type for it
#endif

inline std::int64_t as_int(const prisma::SqlValue& v) { return std::get<std::int64_t>(v); }
inline std::int64_t as_int(const std::optional<std::int64_t>& v) { return v.value(); }

inline int typed_sql_cases(Client& db) {
  int failures = 0;
  auto alice = db.user.create({.email = "a@x.io", .name = "Alice", .age = 30, .balance = prisma::Decimal("12.50"),
                               .big = 9007199254740993LL, .data = prisma::Json(R"({"k":1})"), .role = Role::ADMIN});
  auto bob = db.user.create({.email = "b@x.io", .age = 17});
  db.user.create({.email = "c@x.io", .age = 45, .active = false});
  db.post.create({.title = "First", .views = 3, .authorId = alice.id});
  db.post.create({.title = "Second", .authorId = alice.id});

  auto adults = db.sql.usersByAge(18);
  TS_CHECK(adults.size() == 2);
  TS_CHECK(adults[0].email == "a@x.io");
  TS_CHECK(adults[0].name == "Alice");
  TS_CHECK(adults[0].age == 30);
  TS_CHECK(adults[0].balance == prisma::Decimal("12.5"));
  TS_CHECK(adults[0].big == 9007199254740993LL);
  TS_CHECK(adults[0].data.has_value());
  TS_CHECK(!adults[0].raw.has_value());
  TS_CHECK(adults[0].active);
#ifdef TS_POSTGRES
  TS_CHECK(adults[0].role == Role::ADMIN);
#else
  TS_CHECK(adults[0].role == "ADMIN");
#endif
  TS_CHECK(adults[1].email == "c@x.io");
  TS_CHECK(!adults[1].name.has_value());
  TS_CHECK(!adults[1].active);

  auto posts = db.sql.postsOf("a@x.io");
  TS_CHECK(posts.size() == 2);
  TS_CHECK(posts[0].title == "First");
  TS_CHECK(posts[0].views == 3);
  auto none = db.sql.postsOf(std::string("b@x.io"));
  TS_CHECK(none.size() == 1);
  TS_CHECK(!none[0].title.has_value());  // the LEFT JOIN's missing post

  auto added = db.sql.addPost("Third", bob.id, std::nullopt);
  TS_CHECK(added.size() == 1);
  TS_CHECK(added[0].title == "Third");
  TS_CHECK(!added[0].score.has_value());
  auto scored = db.sql.addPost("Fourth", bob.id, 2.5);
  TS_CHECK(scored[0].score == 2.5);
  TS_CHECK(db.sql.bumpViews(4, "Third") == 1);
  TS_CHECK(db.sql.bumpViews(4, "Nothing") == 0);
  TS_CHECK(db.post.find_unique(post::id == added[0].id)->views == 4);

  auto counts = db.sql.postCounts();
  TS_CHECK(counts.size() == 3);
  TS_CHECK(as_int(counts[0].postCount) == 2);
  TS_CHECK(as_int(counts[1].postCount) == 2);
  TS_CHECK(as_int(counts[2].postCount) == 0);

  auto like = db.sql.titlesLike("F%");
  TS_CHECK(like.size() == 2);
  TS_CHECK(like[0].title == "First");

  // in a transaction, and rolled back with it
  try {
    db.transaction([&](auto& tx) {
      tx.sql.addPost("Gone", bob.id, std::nullopt);
      TS_CHECK(tx.post.count() == 5);
      throw std::runtime_error("undo");
    });
  } catch (const std::runtime_error&) {
  }
  TS_CHECK(db.post.count() == 4);
  return failures;
}

}  // namespace typed_sql_test
