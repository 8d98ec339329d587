// expect: order_by takes column.asc\(\) / column.desc\(\)
#include <blog/all.hpp>
auto o = prisma::order_by(blog::user::id);
