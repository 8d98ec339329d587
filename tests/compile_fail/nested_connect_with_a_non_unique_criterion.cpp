// expect: nested write need a unique criterion
#include <blog/all.hpp>
void f(blog::Client& db) {
  db.user.create({.email = "a@x.io", .posts = {.connect = {blog::post::title == "not unique"}}});
}
