// Reading result rows straight into the model structs (no intermediate maps or strings).
#pragma once
#include <tuple>
#include <utility>

#include "prisma/meta/model.hpp"

namespace prisma::detail {

template <class Model, class Cursor, std::size_t... I>
void read_columns(const Cursor& c, Model& m, std::index_sequence<I...>) {
  using Cols = typename meta::model_traits<Model>::columns;
  (c.read(static_cast<int>(I), m.*(std::tuple_element_t<I, Cols>::descriptor::member)), ...);
}

// One row of `SELECT <column_list> ...` into a Model.
template <class Model, class Cursor>
Model read_row(const Cursor& c) {
  Model m{};
  constexpr std::size_t n = std::tuple_size_v<typename meta::model_traits<Model>::columns>;
  read_columns(c, m, std::make_index_sequence<n>{});
  return m;
}

}  // namespace prisma::detail
