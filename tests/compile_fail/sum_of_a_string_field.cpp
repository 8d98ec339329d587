// expect: sum\(\) applies to Int, BigInt, Float and Decimal fields
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.aggregate(prisma::sum(blog::user::email)); }
