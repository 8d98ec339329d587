// expect: some\(\) applies to list relations
#include <blog/all.hpp>
void f(blog::Client& db) { db.post.find_many(prisma::where(blog::post::author.some(blog::user::age > 3))); }
