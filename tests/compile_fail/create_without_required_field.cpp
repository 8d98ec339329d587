// expect: use of deleted function .*prisma::Required
#include <blog/all.hpp>
void f(blog::Client& db) { db.user.create({.name = "no email"}); }
