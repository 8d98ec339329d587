// expect: is not a constant expression
#include <blog/all.hpp>
#include <string>
void f(blog::Client& db, const std::string& table) {
  // SQL text built at run time goes through query_raw_unsafe only
  db.query_raw<std::tuple<int>>(("SELECT COUNT(*) FROM " + table).c_str());
}
