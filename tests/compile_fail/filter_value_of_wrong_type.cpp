// expect: the value compared with this column does not have the column's type
#include <blog/all.hpp>
auto f = blog::user::age == "eighteen";
