// expect: order_by takes column.asc\(\) / column.desc\(\)
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_many(prisma::order_by(blog::user::posts)); }
