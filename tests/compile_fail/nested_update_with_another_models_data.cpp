// expect: a nested write takes the data of the relation.s own input type
#include <blog/all.hpp>
void f(blog::Client& db) {
  db.post.update(blog::post::id == 1, {.author = {.update = blog::PostUpdate{.title = "x"}}});
}
