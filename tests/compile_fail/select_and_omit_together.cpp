// expect: use select or omit, not both
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_many(prisma::select(blog::user::id), prisma::omit(blog::user::name)); }
