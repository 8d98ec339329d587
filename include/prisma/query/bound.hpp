// Bound values as data: what a filter or a write binds, recorded in placeholder order (a value,
// or a list bound as one parameter), and replayed onto a driver's cursor later. The values of a
// kept criterion (query/nested.hpp) and of the nested-write tree (query/write_tree.hpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "prisma/core/types.hpp"
#include "prisma/meta/model.hpp"

namespace prisma::detail {

// One bound value of a kept criterion, and a bound list (in / not_in).
using BoundValue = std::variant<std::nullopt_t, bool, std::int32_t, std::int64_t, double, std::string, DateTime,
                                Decimal, Json, Bytes>;
using BoundList = std::variant<std::vector<std::int32_t>, std::vector<std::int64_t>, std::vector<double>,
                               std::vector<std::string>, std::vector<DateTime>, std::vector<Decimal>,
                               std::vector<bool>>;
// A Json filter's path: a text[] on PostgreSQL, a JSON path text on SQLite (the cursor decides).
using Bound = std::variant<BoundValue, BoundList, JsonPath>;

template <class T>
BoundValue bound_value(const T& v) {
  if constexpr (requires { v.has_value(); *v; }) {
    if (!v) return BoundValue(std::in_place_type<std::nullopt_t>, std::nullopt);
    return bound_value(*v);
  } else if constexpr (std::is_same_v<T, std::nullopt_t>) {
    return BoundValue(std::in_place_type<std::nullopt_t>, std::nullopt);
  } else if constexpr (meta::SchemaEnum<T>) {
    return BoundValue(std::in_place_type<std::string>, std::string(enum_db_name(v)));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return BoundValue(std::in_place_type<std::string>, std::string(std::string_view(v)));
  } else {
    return BoundValue(std::in_place_type<T>, v);
  }
}

// Records what a filter binds, in placeholder order.
struct BindRecorder {
  std::vector<Bound>& out;
  template <class T>
  void operator()(const T& v) { out.emplace_back(std::in_place_type<BoundValue>, bound_value(v)); }
  void json_path(const JsonPath& p) { out.emplace_back(std::in_place_type<JsonPath>, p); }
  template <class T>
  void list(const std::vector<T>& vs) {
    if constexpr (meta::SchemaEnum<T>) {
      std::vector<std::string> names;
      for (auto v : vs) names.emplace_back(enum_db_name(v));
      out.emplace_back(std::in_place_type<BoundList>, std::move(names));
    } else {
      out.emplace_back(std::in_place_type<BoundList>, vs);
    }
  }
};

template <class Cur>
void replay(Cur& cur, const std::vector<Bound>& binds) {
  for (const auto& b : binds) {
    if (const auto* v = std::get_if<BoundValue>(&b))
      std::visit([&](const auto& x) { cur(x); }, *v);
    else if (const auto* p = std::get_if<JsonPath>(&b))
      cur.json_path(*p);
    else
      std::visit([&](const auto& xs) { cur.list(xs); }, std::get<BoundList>(b));
  }
}

}  // namespace prisma::detail
