// expect: select and include on the same level
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_many(prisma::select(blog::user::id), prisma::include(blog::user::posts)); }
