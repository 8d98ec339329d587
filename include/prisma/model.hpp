// What a generated model header (`<ns>/models/User.hpp`) needs, and nothing of the client: the
// value types, the descriptors, column and relation handles with their filters and ordering, and
// the write inputs (scalar updates, nested writes). No driver, no delegate: a translation unit
// that only names a model's struct and handles pays for these alone.
#pragma once
#include "prisma/core/errors.hpp"
#include "prisma/core/types.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/query/aggregate.hpp"
#include "prisma/query/clauses.hpp"
#include "prisma/query/column.hpp"
#include "prisma/query/lower.hpp"
#include "prisma/query/nested.hpp"
#include "prisma/query/relation.hpp"
#include "prisma/query/write.hpp"

namespace prisma {
// The generated `<Model>Repository<Db>` derives from it (client/repository.hpp defines it).
template <class Model, class Db>
class Repository;
}  // namespace prisma
