// expect: group_by needs exactly one by
#include <blog/client.hpp>
void f(blog::Client& db) { db.post.group_by(prisma::count()); }
