// Relations: include (every kind, nested, with its own clauses, _count), one query per level,
// relation filters (some / every / none / is / is_not) and ordering by relations.
//   users 1 alice 2 bob 3 carol 4 dave 5 eve; posts A(1) B(1) C(2) D(4) E(4) F(5)
//   comments: A: a1 a2 a3, C: c1, D: d1 d2; profiles: alice, dave
//   categories: news {A, C, D}, tech {A, E}, empty {}; mentors: bob -> alice, carol -> alice, eve -> dave
#include "suite.hpp"

using namespace prisma_suite;

namespace {

Client relations() {
  auto db = blog();
  for (auto [post, text] : std::vector<std::pair<int, const char*>>{{1, "a1"}, {1, "a2"}, {1, "a3"}, {3, "c1"}, {4, "d1"}, {4, "d2"}})
    db.comment.create({.text = text, .postId = post});
  db.profile.create({.bio = "math", .userId = 1});
  db.profile.create({.bio = "tea", .userId = 4});
  db.category.create({.name = "news"});
  db.category.create({.name = "tech"});
  db.category.create({.name = "empty"});
  exec_sql(db, "INSERT INTO \"_CategoryToPost\" (\"A\", \"B\") VALUES (1, 1), (1, 3), (1, 4), (2, 1), (2, 5)");
  db.user.update_many(user::id == 2 || user::id == 3, {.mentorId = 1});
  db.user.update(user::id == 5, {.mentorId = 4});
  return db;
}

template <class Rows>
std::vector<std::string> titles(const Rows& posts) {
  std::vector<std::string> out;
  for (const auto& p : posts) out.push_back(p.title);
  return out;
}
using Titles = std::vector<std::string>;

}  // namespace

TEST_CASE("include of a to-many relation adds a vector member", "[relation][include]") {
  auto db = relations();
  auto users = db.user.find_many(include(user::posts), order_by(user::id.asc()));
  STATIC_REQUIRE(std::is_same_v<decltype(users[0].posts), std::vector<Post>>);
  STATIC_REQUIRE(std::is_base_of_v<User, decltype(users)::value_type>);
  REQUIRE(users.size() == 5);
  CHECK(titles(users[0].posts) == Titles{"A", "B"});
  CHECK(titles(users[1].posts) == Titles{"C"});
  CHECK(users[2].posts.empty());
  CHECK(titles(users[3].posts) == Titles{"D", "E"});
  CHECK(users[0].email == "alice@x.io");  // the model's own members are all there
}

TEST_CASE("include takes where, order_by, skip and take per relation", "[relation][include]") {
  auto db = relations();
  auto users = db.user.find_many(
      include(user::posts.where(post::views > 0).order_by(post::views.desc(), post::id.asc()).take(1)), order_by(user::id.asc()));
  CHECK(titles(users[0].posts) == Titles{"A"});
  CHECK(titles(users[3].posts) == Titles{"D"});  // D and E both have 7 views: D by id
  auto last = db.user.find_many(include(user::posts.order_by(post::id.asc()).take(-1)), where(user::id == 4));
  CHECK(titles(last[0].posts) == Titles{"E"});
  auto skipped = db.user.find_unique(user::id == 1, select(user::email));
  CHECK(skipped->email == "alice@x.io");
  auto second = db.user.find_first(include(user::posts.order_by(post::id.asc()).skip(1)), where(user::id == 1));
  CHECK(titles(second->posts) == Titles{"B"});
}

TEST_CASE("include of to-one relations: required, optional, both sides of 1:1", "[relation][include]") {
  auto db = relations();
  auto posts = db.post.find_many(include(post::author), order_by(post::id.asc()));
  STATIC_REQUIRE(std::is_same_v<decltype(posts[0].author), User>);
  CHECK(posts[0].author.email == "alice@x.io");
  CHECK(posts[2].author.email == "bob@x.io");
  CHECK(posts[5].author.id == 5);
  auto users = db.user.find_many(include(user::profile), order_by(user::id.asc()));
  STATIC_REQUIRE(std::is_same_v<decltype(users[0].profile), std::optional<Profile>>);
  CHECK(users[0].profile->bio == "math");
  CHECK_FALSE(users[1].profile.has_value());
  CHECK(users[3].profile->bio == "tea");
  auto profile = db.profile.find_unique(profile::userId == 4, include(profile::user));
  CHECK(profile->user.email == "dave_1@x.io");
}

TEST_CASE("include nests to any depth with one query per level", "[relation][include]") {
  auto db = relations();
  auto before = db.statements_run();
  auto users = db.user.find_many(
      include(user::posts.order_by(post::id.asc()).include(post::comments.order_by(comment::text.desc()), post::categories),
              user::profile),
      order_by(user::id.asc()));
  CHECK(db.statements_run() - before == 5);  // users, posts, comments, categories, profiles
  REQUIRE(users[0].posts.size() == 2);
  const auto& a = users[0].posts[0];
  STATIC_REQUIRE(std::is_same_v<decltype(a.comments), std::vector<Comment>>);
  std::vector<std::string> texts;
  for (const auto& c : a.comments) texts.push_back(c.text);
  CHECK(texts == std::vector<std::string>{"a3", "a2", "a1"});
  REQUIRE(a.categories.size() == 2);
  CHECK(a.categories[0].name == "news");
  CHECK(a.categories[1].name == "tech");
  CHECK(users[0].posts[1].comments.empty());
  CHECK(users[3].posts[0].comments.size() == 2);
  // three levels down and back up
  auto deep = db.comment.find_many(include(comment::post.include(post::author.include(user::mentor))),
                                   where(comment::text == "c1"));
  REQUIRE(deep.size() == 1);
  CHECK(deep[0].post.title == "C");
  CHECK(deep[0].post.author.email == "bob@x.io");
  CHECK(deep[0].post.author.mentor->email == "alice@x.io");
}

TEST_CASE("include of an implicit many-to-many from both sides", "[relation][include]") {
  auto db = relations();
  auto cats = db.category.find_many(include(category::posts.order_by(post::title.asc())), order_by(category::id.asc()));
  CHECK(titles(cats[0].posts) == Titles{"A", "C", "D"});
  CHECK(titles(cats[1].posts) == Titles{"A", "E"});
  CHECK(cats[2].posts.empty());
  auto posts = db.post.find_many(include(post::categories), where(post::title == "A"));
  REQUIRE(posts[0].categories.size() == 2);
}

TEST_CASE("include of a self-relation in both directions", "[relation][include]") {
  auto db = relations();
  auto users = db.user.find_many(include(user::mentor, user::mentees.order_by(user::id.asc())), order_by(user::id.asc()));
  CHECK_FALSE(users[0].mentor.has_value());
  REQUIRE(users[0].mentees.size() == 2);
  CHECK(users[0].mentees[0].email == "bob@x.io");
  CHECK(users[1].mentor->email == "alice@x.io");
  CHECK(users[4].mentor->email == "dave_1@x.io");
  CHECK(users[3].mentees.size() == 1);
}

TEST_CASE("count_of includes the number of related rows", "[relation][include]") {
  auto db = relations();
  auto users = db.user.find_many(include(count_of(user::posts, user::mentees)), order_by(user::id.asc()));
  CHECK(users[0]._count.posts == 2);
  CHECK(users[0]._count.mentees == 2);
  CHECK(users[2]._count.posts == 0);
  auto cats = db.category.find_many(include(count_of(category::posts)), order_by(category::id.asc()));
  CHECK(cats[0]._count.posts == 3);
  CHECK(cats[2]._count.posts == 0);
}

TEST_CASE("some, every and none filter by related rows", "[relation][filter]") {
  auto db = relations();
  auto by_id = order_by(user::id.asc());
  CHECK(row_ids(db.user.find_many(where(user::posts.some(post::views >= 7)), by_id)) == Ids{1, 4});
  CHECK(row_ids(db.user.find_many(where(user::posts.every(post::published == true)), by_id)) == Ids{2, 3, 5});
  CHECK(row_ids(db.user.find_many(where(user::posts.none(post::published == true)), by_id)) == Ids{3});
  CHECK(row_ids(db.user.find_many(where(user::posts.none()), by_id)) == Ids{3});
  CHECK(row_ids(db.user.find_many(where(user::posts.some(post::comments.some(comment::text == "d2"))), by_id)) == Ids{4});
  CHECK(row_ids(db.user.find_many(where(user::posts.some(post::categories.some(category::name == "tech")) ||
                                        user::age < 18),
                                  by_id)) == Ids{1, 3, 4});
  CHECK(row_ids(db.user.find_many(where(!user::posts.some(post::views > 5) && user::name.is_not_null()), by_id)) ==
        Ids{2, 5});
  CHECK(db.category.count(where(category::posts.none())) == 1);
}

TEST_CASE("is and is_not filter by a to-one relation", "[relation][filter]") {
  auto db = relations();
  auto by_id = order_by(post::id.asc());
  CHECK(row_ids(db.post.find_many(where(post::author.is(user::role == Role::ADMIN)), by_id)) == Ids{1, 2, 6});
  CHECK(row_ids(db.post.find_many(where(post::author.is_not(user::role == Role::ADMIN)), by_id)) == Ids{3, 4, 5});
  auto users = order_by(user::id.asc());
  CHECK(row_ids(db.user.find_many(where(user::mentor.is(user::email == "alice@x.io")), users)) == Ids{2, 3});
  CHECK(row_ids(db.user.find_many(where(user::mentor.is_null()), users)) == Ids{1, 4});
  CHECK(row_ids(db.user.find_many(where(user::profile.is_not_null()), users)) == Ids{1, 4});
  CHECK(row_ids(db.user.find_many(where(user::mentor.is(user::mentor.is_null() && user::profile.is_not_null())), users)) ==
        Ids{2, 3, 5});
  CHECK(db.comment.count(where(comment::post.is(post::author.is(user::email == "dave_1@x.io")))) == 2);
}

TEST_CASE("order by a to-one relation's field and by a to-many relation's count", "[relation][order]") {
  auto db = relations();
  CHECK(row_ids(db.post.find_many(order_by(post::author.field(user::email).desc(), post::id.asc()))) ==
        Ids{6, 4, 5, 3, 1, 2});
  CHECK(row_ids(db.user.find_many(order_by(user::posts.count().desc(), user::id.asc()))) == Ids{1, 4, 2, 5, 3});
  CHECK(row_ids(db.user.find_many(order_by(user::posts.count().asc(), user::id.desc()), take(2))) == Ids{3, 5});
}

TEST_CASE("referential actions of the schema run in the database", "[relation][write]") {
  auto db = relations();
  // Post.author is required: Restrict (Prisma's default) keeps dave while he has posts
  CHECK_THROWS_AS(db.user.delete_(user::id == 4), ForeignKeyViolation);
  CHECK(db.post.delete_many(post::authorId == 4) == 2);
  CHECK(db.comment.count(where(comment::postId == 4)) == 0);  // Comment.post: onDelete Cascade
  db.user.delete_(user::id == 4);
  CHECK(db.profile.count(where(profile::userId == 4)) == 0);  // Profile.user: onDelete Cascade
  CHECK(db.user.find_unique_or_throw(user::id == 5).mentorId == std::nullopt);  // optional: SetNull
  // deleting a post removes its m:n links (the join table cascades), not the categories
  db.post.delete_(post::id == 1);
  auto cats = db.category.find_many(include(count_of(category::posts)), order_by(category::id.asc()));
  CHECK(cats.size() == 3);
  CHECK(cats[0]._count.posts == 1);  // news: C (D went with dave)
  CHECK(cats[1]._count.posts == 0);  // tech: A and E are gone
}

TEST_CASE("relation filters work in update_many, delete_many, count and aggregates", "[relation][filter]") {
  auto db = relations();
  CHECK(db.post.update_many(post::author.is(user::role == Role::ADMIN), {.views = 100}) == 3);
  CHECK(db.post.count(where(post::views == 100)) == 3);
  auto [total] = db.post.aggregate(sum(post::views), where(post::categories.some(category::name == "news")));
  CHECK(total == 100 + 5 + 7);  // A (alice, now 100), C, D
  CHECK(db.comment.delete_many(comment::post.is(post::author.is(user::email == "dave_1@x.io"))) == 2);
  CHECK(db.comment.count() == 4);
  auto groups = db.post.group_by(by(post::authorId), count(), where(post::comments.some(comment::text.starts_with("a"))));
  REQUIRE(groups.size() == 1);
  CHECK(std::get<0>(groups[0]) == 1);
}
