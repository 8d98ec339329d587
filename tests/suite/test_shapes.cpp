// Result shapes at one level (Prisma's select of scalars and relations together, omit beside
// include), cursor and distinct inside an include, include on createManyAndReturn, and a
// client-wide omit.
#include <string>
#include <vector>

#include "suite.hpp"

using namespace prisma_suite;

namespace {
template <class R> constexpr bool has_email = requires(R r) { r.email; };
template <class R> constexpr bool has_age = requires(R r) { r.age; };
template <class R> constexpr bool has_posts = requires(R r) { r.posts; };
template <class R> constexpr bool has_title = requires(R r) { r.title; };
template <class R> constexpr bool has_content = requires(R r) { r.content; };

template <class Rows>
std::vector<std::string> titles(const Rows& posts) {
  std::vector<std::string> out;
  for (const auto& p : posts) out.push_back(p.title);
  return out;
}
}  // namespace

TEST_CASE("select takes scalars and relations at one level", "[shapes][relations]") {
  auto db = blog();
  auto rows = db.user.find_many(select(user::email, user::posts), where(user::id <= 2), order_by(user::id.asc()));
  using R = std::remove_cvref_t<decltype(rows[0])>;
  static_assert(has_email<R> && has_posts<R> && !has_age<R>, "the selected fields and relations only");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].email == "alice@x.io");
  CHECK(rows[0].id == 1);  // the relation's key is read with it
  CHECK(titles(rows[0].posts) == std::vector<std::string>{"A", "B"});
  CHECK(titles(rows[1].posts) == std::vector<std::string>{"C"});

  // a relation with its own arguments and shape, a to-one relation, and counts
  auto shaped = db.user.find_unique(user::id == 4, select(user::name, user::posts.where(post::views >= 7).select(post::title),
                                                          count_of(user::posts)));
  REQUIRE(shaped);
  CHECK(shaped->name == "Dave 100%");
  CHECK(titles(shaped->posts) == std::vector<std::string>{"D", "E"});
  static_assert(!has_content<std::remove_cvref_t<decltype(shaped->posts[0])>>);
  CHECK(shaped->_count.posts == 2);

  // nested: a selected relation's own select of scalars and relations
  auto posts = db.post.find_many(select(post::title, post::author.select(user::email, user::posts)), where(post::id == 3));
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].title == "C");
  CHECK(posts[0].author.email == "bob@x.io");
  CHECK(titles(posts[0].author.posts) == std::vector<std::string>{"C"});
  static_assert(!has_content<std::remove_cvref_t<decltype(posts[0])>>);
}

TEST_CASE("omit beside include", "[shapes][relations]") {
  auto db = blog();
  auto rows = db.user.find_many(omit(user::age), include(user::posts), order_by(user::id.asc()), take(1));
  using R = std::remove_cvref_t<decltype(rows[0])>;
  static_assert(!has_age<R> && has_email<R> && has_posts<R>);
  REQUIRE(rows.size() == 1);
  CHECK(titles(rows[0].posts) == std::vector<std::string>{"A", "B"});
  auto nested = db.post.find_first(where(post::id == 1), include(post::author.omit(user::email).include(user::posts)));
  REQUIRE(nested);
  static_assert(!has_email<std::remove_cvref_t<decltype(nested->author)>>);
  CHECK(nested->author.name == "Alice");
  CHECK(titles(nested->author.posts) == std::vector<std::string>{"A", "B"});
}

TEST_CASE("cursor and distinct inside an include", "[shapes][relations]") {
  // Prisma 7.10's answers on these rows (its oracle run): a cursor pages the related rows of the
  // parent the cursor row belongs to; the other parents get none
  auto db = blog();
  auto users = db.user.find_many(include(user::posts.cursor(post::id == 2).order_by(post::id.asc())), order_by(user::id.asc()));
  REQUIRE(users.size() == 5);
  CHECK(titles(users[0].posts) == std::vector<std::string>{"B"});
  for (std::size_t i = 1; i < 5; ++i) CHECK(titles(users[i].posts).empty());
  users = db.user.find_many(include(user::posts.cursor(post::id == 4)), order_by(user::id.asc()));
  CHECK(titles(users[3].posts) == std::vector<std::string>{"D", "E"});
  CHECK(titles(users[0].posts).empty());
  // skip / take after the cursor, per parent; ties in the order broken by the id
  users = db.user.find_many(include(user::posts.cursor(post::id == 3).order_by(post::id.desc()).skip(1).take(1)),
                            order_by(user::id.asc()));
  for (const auto& u : users) CHECK(titles(u.posts).empty());
  users = db.user.find_many(include(user::posts.cursor(post::id == 1).skip(1).take(1)), order_by(user::id.asc()));
  CHECK(titles(users[0].posts) == std::vector<std::string>{"B"});
  users = db.user.find_many(include(user::posts.cursor(post::id == 5).order_by(post::views.desc())), order_by(user::id.asc()));
  CHECK(titles(users[3].posts) == std::vector<std::string>{"E"});
  // no such cursor row: nobody gets any
  users = db.user.find_many(include(user::posts.cursor(post::id == 99)), order_by(user::id.asc()));
  for (const auto& u : users) CHECK(titles(u.posts).empty());
  // distinct: the first related row of each value, per parent, then take
  users = db.user.find_many(include(user::posts.distinct(post::views).order_by(post::id.asc())), order_by(user::id.asc()));
  std::vector<std::vector<std::string>> got;
  for (const auto& u : users) got.push_back(titles(u.posts));
  CHECK(got == std::vector<std::vector<std::string>>{{"A", "B"}, {"C"}, {}, {"D"}, {"F"}});
  users = db.user.find_many(include(user::posts.distinct(post::published).order_by(post::id.desc()).take(1)),
                            order_by(user::id.asc()));
  got.clear();
  for (const auto& u : users) got.push_back(titles(u.posts));
  CHECK(got == std::vector<std::vector<std::string>>{{"B"}, {"C"}, {}, {"E"}, {"F"}});
}

TEST_CASE("createManyAndReturn with include", "[shapes][writes]") {
  auto db = blog();
  auto rows = db.post.create_many_and_return({{.title = "X", .authorId = 1}, {.title = "Y", .authorId = 2}}, false,
                                             include(post::author));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].title == "X");
  CHECK(rows[0].author.email == "alice@x.io");
  CHECK(rows[1].author.email == "bob@x.io");
  CHECK(db.post.count() == 8);
}

TEST_CASE("a client-wide omit leaves fields out of every result unless a query selects them", "[shapes][extension]") {
  auto db = blog();
  auto safe = db.extend(omit_everywhere(user::email, post::content));
  auto one = safe.user.find_unique(user::id == 1);
  REQUIRE(one);
  static_assert(!has_email<std::remove_cvref_t<decltype(*one)>>);
  CHECK(one->name == "Alice");
  auto many = safe.user.find_many(include(user::posts), order_by(user::id.asc()));
  static_assert(!has_email<std::remove_cvref_t<decltype(many[0])>>);
  static_assert(!has_content<std::remove_cvref_t<decltype(many[0].posts[0])>>);  // in includes too
  CHECK(titles(many[0].posts) == std::vector<std::string>{"A", "B"});
  // a query's own select or omit wins
  auto emails = safe.user.find_many(select(user::email), order_by(user::id.asc()));
  CHECK(emails[0].email == "alice@x.io");
  // write results too
  auto created = safe.user.create({.email = "new@x.io", .name = "New"});
  static_assert(!has_email<decltype(created)>);
  CHECK(created.name == "New");
  auto updated = safe.post.update(post::id == 1, {.views = 11});
  static_assert(!has_content<decltype(updated)> && has_title<decltype(updated)>);
  CHECK(updated.views == 11);
  CHECK(safe.user.count() == 6);
  CHECK(db.user.find_unique(user::id == 1)->email == "alice@x.io");  // the client itself unchanged
}
