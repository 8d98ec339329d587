// expect: nested write need a unique criterion
#include <blog/client.hpp>
void f(blog::Client& db) {
  db.user.create({.email = "a@x.io", .posts = {.connect = {blog::post::title == "not unique"}}});
}
