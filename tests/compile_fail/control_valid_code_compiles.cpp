// expect: compiles
#include <blog/all.hpp>
void f(blog::Client& db) {
  using namespace blog;
  using namespace prisma;
  db.user.find_unique(user::email == "a@x.io");
  db.user.find_many(where(user::age >= 18 && user::name.is_not_null()), order_by(user::id.desc()), take(10));
  db.user.create({.email = "a@x.io"});
  db.post.update(post::id == 1, {.views = increment(1)});
  // the valid twins of the failure cases beside this file
  db.user.find_many(select(user::id, user::email));
  db.post.aggregate(sum(post::views), avg(post::views), count());
  db.post.group_by(by(post::authorId), count(), having(count() > 5), order_by(count().desc()));
  db.user.find_many(cursor(user::email == "a@x.io"), take(2));
  db.user.find_many(omit(user::name), distinct(user::role));
  db.user.update(user::id == 1, {.age = 40});
}
void g(blog::Client& db) {
  using namespace blog;
  using namespace prisma;
  auto users = db.user.find_many(include(user::posts.where(post::views > 1).take(2)));
  (void)users[0].posts.size();
  db.user.find_many(where(user::posts.some(post::views > 3)));
  db.post.find_many(where(post::author.is(user::age > 3)), order_by(post::author.field(user::email).asc()));
}
void h(blog::Client& db) {
  using namespace blog;
  using namespace prisma;
  db.user.create({.email = "a@x.io", .posts = {.create = {{.title = "t"}}, .connect = {post::id == 1}}});
  db.post.create({.title = "t", .author = {.connect = user::email == "a@x.io"}});
  db.user.update(user::id == 1, {.posts = {.delete_ = {post::id == 2}, .delete_many = {post::views < 1},
                                          .update_many = {{.where = post::views > 1, .data = {.published = true}}}}});
  db.post.update(post::id == 1, {.author = {.update = {{.name = "n"}}}});
}
void i(blog::Client& db, const std::string& table) {
  db.query_raw<std::tuple<int>>("SELECT COUNT(*) FROM \"User\" WHERE \"id\" > $1", 0);
  db.query_raw_unsafe<std::tuple<int>>("SELECT COUNT(*) FROM " + table);
  db.transaction([](auto& tx) { return tx.user.count(); });
}
struct Published {  // the valid twin of extension_filter_on_another_model
  template <class Q> requires prisma::ModelQuery<Q, blog::Post>
  auto find_many(const Q& q) const { return q.where(blog::post::published == true); }
};
void k(blog::Client& db) {
  auto xdb = db.extend(Published{});
  std::vector<blog::Post> posts = xdb.post.find_many();
  xdb.user.find_many();
}
