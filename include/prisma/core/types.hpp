// The C++ types of Prisma's scalars (DESIGN.md section 9).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "prisma/core/datetime.hpp"
#include "prisma/core/decimal.hpp"
#include "prisma/core/json.hpp"

namespace prisma {

using Bytes = std::vector<std::byte>;
using BigInt = std::int64_t;

// A value whose type only the row knows: a SQLite expression's column in TypedSQL (SQLite declares
// no type for `COUNT(*)` or `a + 1`), as SQLite stores it: NULL, an integer, a real, text or a blob.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string, Bytes>;

}  // namespace prisma
