// expect: has no member named.*posts
#include <blog/all.hpp>
auto f(blog::Client& db) { return db.user.find_many()[0].posts.size(); }
