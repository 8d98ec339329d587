// expect: cursor\(\) needs a unique criterion
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_many(prisma::cursor(blog::user::name == std::string("x")), prisma::take(2)); }
