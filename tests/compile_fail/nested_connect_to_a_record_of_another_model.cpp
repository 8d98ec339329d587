// expect: this nested write names a record of another model
#include <blog/all.hpp>
void f(blog::Client& db) {
  db.user.create({.email = "a@x.io", .posts = {.connect = {blog::user::id == 1}}});
}
