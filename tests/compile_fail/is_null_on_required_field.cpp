// expect: is_null\(\) applies to optional fields only
#include <blog/all.hpp>
auto f = blog::user::email.is_null();
