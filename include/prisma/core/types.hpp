// The C++ types of Prisma's scalars (DESIGN.md section 9).
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "prisma/core/datetime.hpp"
#include "prisma/core/decimal.hpp"
#include "prisma/core/json.hpp"

namespace prisma {

using Bytes = std::vector<std::byte>;
using BigInt = std::int64_t;

// pgvector's `vector` (PostgreSQL): a TypedSQL parameter or column of that type. Built from a
// std::vector<float>, a std::span<const float> or a list; `values` are the components.
struct Vector {
  std::vector<float> values;
  Vector() = default;
  Vector(std::vector<float> v) : values(std::move(v)) {}               // NOLINT: implicit, as its components
  Vector(std::span<const float> v) : values(v.begin(), v.end()) {}     // NOLINT
  Vector(std::initializer_list<float> v) : values(v) {}
  friend bool operator==(const Vector&, const Vector&) = default;
};

// A value whose type only the row knows: a SQLite expression's column in TypedSQL (SQLite declares
// no type for `COUNT(*)` or `a + 1`), as SQLite stores it: NULL, an integer, a real, text or a blob.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string, Bytes>;

}  // namespace prisma
