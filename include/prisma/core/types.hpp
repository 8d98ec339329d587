// The C++ types of Prisma's scalars (DESIGN.md section 9).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prisma/core/datetime.hpp"
#include "prisma/core/decimal.hpp"
#include "prisma/core/json.hpp"

namespace prisma {

using Bytes = std::vector<std::byte>;
using BigInt = std::int64_t;

}  // namespace prisma
