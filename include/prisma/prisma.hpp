// The whole runtime in one include.
#pragma once
#include "prisma/core/errors.hpp"
#include "prisma/core/fixed_string.hpp"
#include "prisma/core/ids.hpp"
#include "prisma/core/types.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/query/clauses.hpp"
#include "prisma/query/column.hpp"
#include "prisma/query/aggregate.hpp"
#include "prisma/query/relation.hpp"
#include "prisma/query/write.hpp"
#include "prisma/client/client.hpp"
