// expect: delete_ of a required to-one relation
#include <blog/all.hpp>
void f(blog::Client& db) {
  db.post.update(blog::post::id == 1, {.author = {.delete_ = true}});
}
