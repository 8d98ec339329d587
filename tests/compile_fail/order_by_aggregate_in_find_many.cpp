// expect: order by an aggregate applies to group_by only
#include <blog/all.hpp>
void f(blog::Client& db) { db.post.find_many(prisma::order_by(prisma::count().desc())); }
