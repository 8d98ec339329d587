// expect: a clause names a field or filter of another model
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_many(prisma::select(blog::post::title)); }
