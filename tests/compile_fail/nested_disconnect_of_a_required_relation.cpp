// expect: disconnect / set need an optional relation
#include <blog/all.hpp>
void f(blog::Client& db) {
  db.user.update(blog::user::id == 1, {.posts = {.disconnect = {blog::post::id == 2}}});
}
