// expect: an include's rows are not ordered by relevance
#include <blog/all.hpp>
void f(blog::Client& db) {
  db.user.find_many(prisma::include(blog::user::posts.order_by(prisma::relevance("x", blog::post::title).desc())));
}
