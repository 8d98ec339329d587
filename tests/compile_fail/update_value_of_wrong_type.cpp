// expect: (no known conversion|could not convert|cannot convert)
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.update(blog::user::id == 1, {.age = std::string("old")}); }
