// expect: group_by needs exactly one by
#include <blog/all.hpp>
void f(blog::Client& db) { db.post.group_by(prisma::count()); }
