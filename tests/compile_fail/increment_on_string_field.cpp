// expect: increment/decrement/multiply/divide apply to numeric fields only
#include <blog/all.hpp>
blog::UserUpdate u{.email = prisma::increment(1)};
