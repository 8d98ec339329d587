// expect: order_by takes column.asc\(\) / column.desc\(\)
#include <blog/client.hpp>
auto o = prisma::order_by(blog::user::id);
