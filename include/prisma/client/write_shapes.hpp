// The record a write returns in the shape a caller asks for (create / update / upsert / delete_
// with select(...), omit(...) or include(...)): the members select / omit keep, as the Row a read of
// that shape gives, or the record with its relations loaded on the write's connection.
#pragma once
#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>

#include "prisma/client/include.hpp"
#include "prisma/client/rows.hpp"
#include "prisma/sql/select.hpp"

namespace prisma::detail {

template <class Shape, class Model>
auto project(Model row) {
  using Cols = typename sql::Select<Model, Shape>::columns;
  using R = row_type<Model, Cols>;
  R out{};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((column_member<std::tuple_element_t<I, Cols>>(out) = std::move(row.*(std::tuple_element_t<I, Cols>::descriptor::member))),
     ...);
  }(std::make_index_sequence<std::tuple_size_v<Cols>>{});
  return out;
}

template <sql::Dialect D, class Conn, class Model, class Shape>
auto shaped(Conn& conn, Model row, const Shape& shape) {
  if constexpr (is_include<Shape>::value) {  // include(...), or select(...) with relations
    using Base = row_type<Model, typename sql::Select<Model, Shape>::columns>;
    using R = typename included_row<Base, Shape, Model>::type;
    std::vector<R> rows(1);
    if constexpr (std::is_same_v<Base, Model>) static_cast<Model&>(rows[0]) = std::move(row);
    else static_cast<Base&>(rows[0]) = project<Shape>(std::move(row));
    load_includes<D>(conn, rows, include_of(shape));
    return std::move(rows[0]);
  } else {
    (void)conn;
    (void)shape;
    return project<Shape>(std::move(row));
  }
}

}  // namespace prisma::detail
