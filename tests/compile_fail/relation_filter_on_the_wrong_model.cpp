// expect: the relation filter.*s condition is on another model
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_many(prisma::where(blog::user::posts.some(blog::user::age > 3))); }
