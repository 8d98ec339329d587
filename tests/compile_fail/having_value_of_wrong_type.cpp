// expect: the value compared with this aggregate does not have its type
#include <blog/all.hpp>
void f(blog::Client& db) { db.post.group_by(prisma::by(blog::post::authorId), prisma::having(prisma::count() > "five")); }
