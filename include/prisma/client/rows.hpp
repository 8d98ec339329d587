// Reading result rows straight into the model structs, or into `Row<...>` for select/omit (no
// intermediate maps or strings).
#pragma once
#include <tuple>
#include <type_traits>
#include <utility>

#include "prisma/meta/model.hpp"

namespace prisma {

// A partial row: exactly the members of the selected columns, named as in the model struct
// (`row.id`, `row.email`), each inherited from the column descriptor's `_holder`.
template <class... Cols>
struct Row : Cols::descriptor::_holder... {
  friend bool operator==(const Row&, const Row&) = default;
};

namespace detail {

template <class Col, class Holder>
auto& holder_member(Holder& row) {
  auto& [member] = static_cast<typename Col::descriptor::_holder&>(row);
  return member;
}

template <class Col, class Model>
auto& column_member(Model& row) {
  if constexpr (std::is_base_of_v<typename Col::model, Model>) return row.*(Col::descriptor::member);
  else return holder_member<Col>(row);
}

template <class Tuple> struct row_of;
template <class... Cols> struct row_of<std::tuple<Cols...>> { using type = Row<Cols...>; };

// The row type of a read: the model when every column is read, else Row<the columns>.
template <class Model, class Columns>
using row_type = std::conditional_t<std::is_same_v<Columns, typename meta::model_traits<Model>::columns>,
                                    Model, typename row_of<Columns>::type>;

template <class Columns, class Out, class Cursor, std::size_t... I>
void read_columns(const Cursor& c, Out& m, std::index_sequence<I...>) {
  (c.read(static_cast<int>(I), column_member<std::tuple_element_t<I, Columns>>(m)), ...);
}

// One row of `SELECT <columns> ...` into Out (the model, or a Row).
template <class Out, class Columns, class Cursor>
Out read_row_as(const Cursor& c) {
  Out m{};
  read_columns<Columns>(c, m, std::make_index_sequence<std::tuple_size_v<Columns>>{});
  return m;
}

// One row of `SELECT <every column> ...` into a Model.
template <class Model, class Cursor>
Model read_row(const Cursor& c) {
  return read_row_as<Model, typename meta::model_traits<Model>::columns>(c);
}

}  // namespace detail
}  // namespace prisma
