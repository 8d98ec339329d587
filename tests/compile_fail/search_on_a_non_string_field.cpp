// expect: search\(\) applies to String fields
#include <blog/all.hpp>
auto f = blog::post::views.search("x");
