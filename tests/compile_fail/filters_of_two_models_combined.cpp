// expect: && and \|\| combine filters on the same model only
#include <blog/all.hpp>
auto f = blog::user::id == 1 && blog::post::id == 2;
