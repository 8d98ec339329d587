// expect: a field reference compares two fields of the same type
#include <blog/all.hpp>
auto f = blog::user::age < blog::user::email;
