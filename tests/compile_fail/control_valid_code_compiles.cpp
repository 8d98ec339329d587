// expect: compiles
#include <blog/client.hpp>
void f(blog::Client& db) {
  using namespace blog;
  using namespace prisma;
  db.user.find_unique(user::email == "a@x.io");
  db.user.find_many(where(user::age >= 18 && user::name.is_not_null()), order_by(user::id.desc()), take(10));
  db.user.create({.email = "a@x.io"});
  db.post.update(post::id == 1, {.views = increment(1)});
}
