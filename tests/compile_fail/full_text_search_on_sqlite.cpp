// expect: full-text search \(search\) is PostgreSQL's; Prisma has none on SQLite
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.find_many(prisma::where(blog::user::name.search("quick & dogs"))); }
