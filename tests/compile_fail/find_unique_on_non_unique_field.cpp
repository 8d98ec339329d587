// expect: find_unique/update/delete_ need a unique criterion
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_unique(blog::user::name == "Ada"); }
