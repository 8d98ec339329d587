// Table and column names of a model as SQL, shared by the statement renderers and the filters
// that reach into other tables (relation filters, relation ordering).
#pragma once
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "prisma/meta/model.hpp"
#include "prisma/sql/dialect.hpp"
#include "prisma/sql/statements.hpp"

namespace prisma::sql {

// The model's table, as the statement shapes take it.
template <class Model>
constexpr Table table_of() {
  using T = meta::model_traits<Model>;
  return {T::schema, T::db_name};
}

// "schema"."table" on PostgreSQL when the model has @@schema, else "table".
template <class Model, Dialect D, class Sink>
constexpr void table_name(Sink& s) {
  table(s, D, table_of<Model>());
}

// The database name of the model's I-th column.
template <class Model, std::size_t I>
constexpr std::string_view column_name() {
  return std::tuple_element_t<I, typename meta::model_traits<Model>::columns>::db_name;
}

// A part that appends the model's key columns, quoted, comma-separated: the primary key, else
// the first unique criterion (updateMany / deleteMany's `limit` picks rows by it).
template <class Model>
struct KeyList {
  template <class Sink>
  constexpr void operator()(Sink& s) const {
    using T = meta::model_traits<Model>;
    using K = std::conditional_t<std::is_void_v<typename T::primary_key>, std::tuple_element_t<0, typename T::unique_keys>,
                                 typename T::primary_key>;
    for (std::size_t i = 0; i < K::columns.size(); ++i) {
      if (i) s.append(", ");
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((I == K::columns[i] ? quote_ident(s, column_name<Model, I>()) : void()), ...);
      }(std::make_index_sequence<std::tuple_size_v<typename T::columns>>{});
    }
  }
};

// How a query at nesting depth `Depth` refers to the table of Model: by its name at the top,
// as "r<Depth>" inside relation subqueries (aliases keep self-relations apart).
template <class Model, Dialect D, int Depth, class Sink>
constexpr void scope_name(Sink& s) {
  if constexpr (Depth == 0) {
    table_name<Model, D>(s);
  } else {
    s.append("\"r");
    append_number(s, static_cast<std::size_t>(Depth));
    s.append('"');
  }
}

}  // namespace prisma::sql
