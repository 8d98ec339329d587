// The whole runtime in one include.
#pragma once
#include "prisma/core/errors.hpp"
#include "prisma/core/fixed_string.hpp"
#include "prisma/core/types.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/query/column.hpp"
