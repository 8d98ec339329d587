// expect: include\(\) names a relation of another model
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_many(prisma::include(blog::post::author)); }
