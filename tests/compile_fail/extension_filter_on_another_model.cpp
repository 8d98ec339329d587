// expect: Query::where takes a filter on the query's model
#include <blog/all.hpp>
// A query extension's hook that adds a Post filter to every model's find_many.
struct Wrong {
  template <class Q>
  auto find_many(const Q& q) const { return q.where(blog::post::published == true); }
};
void f(blog::Client& db) { db.extend(Wrong{}).user.find_many(); }
