// Compiled by clang with -Wall -Wextra -Wpedantic -Werror: every generated header, together.
#include <blog/client.hpp>
#include <kitchen/client.hpp>
#include <kitchen_sqlite/client.hpp>

int main() { return 0; }
