// expect: update_versioned needs a version field
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.update_versioned(blog::user::id == 1, 0, {.name = "x"}); }
