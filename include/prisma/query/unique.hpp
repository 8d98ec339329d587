// Whether a filter names exactly one row: equality on every column of the primary key or of a
// @unique / @@unique, ANDed with any other filters (Prisma's extended where unique: the row must
// match them too). find_unique, update, delete_, upsert, cursor and connect take only such filters.
#pragma once
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "prisma/query/filter.hpp"

namespace prisma::detail {

// The columns a filter pins with `==`: `a == x`, or the `==` terms of an AND (an OR, a NOT or
// any other term pins nothing).
template <class F>
struct pinned {
  static constexpr std::array<std::size_t, 0> columns{};
};
template <class Col, class S>
struct pinned<Compare<Col, CmpOp::Eq, S>> {
  static constexpr std::array<std::size_t, 1> columns{Col::index};
};
template <class L, class R>
struct pinned<Junction<L, R, true>> {
  static constexpr auto columns = [] {
    std::array<std::size_t, pinned<L>::columns.size() + pinned<R>::columns.size()> out{};
    std::size_t i = 0;
    for (auto c : pinned<L>::columns) out[i++] = c;
    for (auto c : pinned<R>::columns) out[i++] = c;
    return out;
  }();
};

template <class Key, class F>
constexpr bool covers() {
  for (auto k : Key::columns) {
    bool found = false;
    for (auto c : pinned<F>::columns) found |= c == k;
    if (!found) return false;
  }
  return true;
}

template <class Model, class F, class Keys = typename meta::model_traits<Model>::unique_keys>
struct is_unique_filter;
template <class Model, class F, class... Keys>
struct is_unique_filter<Model, F, std::tuple<Keys...>>
    : std::bool_constant<(covers<Keys, F>() || ...)> {};

}  // namespace prisma::detail
