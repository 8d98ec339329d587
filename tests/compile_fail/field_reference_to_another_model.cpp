// expect: a field reference compares two fields of the same model
#include <blog/all.hpp>
auto f = blog::post::views > blog::user::age;
