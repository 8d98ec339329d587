// expect: no matching function for call to .*usersByAge
#include <tsql/all.hpp>
// usersByAge.sql's minAge is an Int: a string does not compile.
void f(tsql::Client& db) { db.sql.usersByAge(std::string("18")); }
