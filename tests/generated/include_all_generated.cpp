// Compiled by clang with -Wall -Wextra -Wpedantic -Werror: every generated header, together.
#include <blog/all.hpp>
#include <kitchen/all.hpp>
#include <kitchen_sqlite/all.hpp>

int main() { return 0; }
