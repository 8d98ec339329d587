// expect: a nested create takes the data of the relation.s own input type
#include <blog/all.hpp>
void f(blog::Client& db) {
  db.user.create({.email = "a@x.io", .posts = {.create = {blog::UserCreate{.email = "b@x.io"}}}});
}
