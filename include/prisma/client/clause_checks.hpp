// What a delegate checks and reads of an operation's clauses at compile time: which clauses an
// operation takes, that every filter, column and order term is on the delegate's model, the
// result types of aggregates and group_by's keys, and a distinct row's key.
#pragma once
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "prisma/client/include.hpp"
#include "prisma/client/rows.hpp"
#include "prisma/query/aggregate.hpp"
#include "prisma/sql/select.hpp"

namespace prisma {

namespace detail {

// Which clauses each operation takes, with the message that names the misuse.
template <class C> constexpr bool is_read_clause =
    sql::detail::is_where<C>::value || sql::detail::is_order_by<C>::value || std::is_same_v<C, Take> ||
    std::is_same_v<C, Skip> || sql::detail::is_cursor<C>::value || sql::detail::is_distinct<C>::value ||
    sql::detail::is_selection<C>::value || sql::detail::is_omission<C>::value || is_include<C>::value;

// The shape of a write's result (create / update / upsert / delete_): select, omit or include.
template <class C>
concept result_shape =
    sql::detail::is_selection<C>::value || sql::detail::is_omission<C>::value || is_include<C>::value;

template <class Model, class T>
constexpr bool on_model() {
  using M = typename T::model;
  return std::is_same_v<M, Model> || std::is_same_v<M, meta::AnyModel>;
}

template <class Model, class... Ts>
constexpr bool columns_on_model(const std::tuple<Ts...>*) {
  return (on_model<Model, Ts>() && ...);
}
template <class Model, template <class...> class Tmpl, class... Ts>
constexpr bool columns_on_model(const Tmpl<Ts...>*) {
  return (on_model<Model, Ts>() && ...);
}

// Every filter, column and order term of a clause belongs to Model.
template <class Model, class C>
constexpr bool clause_on_model() {
  if constexpr (sql::detail::is_where<C>::value || sql::detail::is_cursor<C>::value ||
                sql::detail::is_having<C>::value)
    return on_model<Model, decltype(C::filter)>();
  else if constexpr (sql::detail::is_order_by<C>::value)
    return columns_on_model<Model>(static_cast<decltype(C::terms)*>(nullptr));
  else if constexpr (requires { typename C::selection; })  // select(...) with relations: its fields
    return columns_on_model<Model>(static_cast<typename C::selection*>(nullptr));
  else if constexpr (sql::detail::is_distinct<C>::value || sql::detail::is_selection<C>::value ||
                     sql::detail::is_omission<C>::value || sql::detail::is_by<C>::value)
    return columns_on_model<Model>(static_cast<C*>(nullptr));
  else if constexpr (AggregateExpr<C>)
    return on_model<Model, C>();
  else
    return true;
}

template <class T> struct is_plain_order_term : std::false_type {};
template <class C, bool D, Nulls N> struct is_plain_order_term<OrderTerm<C, D, N>> : std::true_type {};
template <class... Ts>
constexpr bool only_column_terms(const std::tuple<Ts...>*) {
  return ((is_plain_order_term<Ts>::value || requires { Ts::is_relation_order; } ||
           requires { Ts::is_relevance_order; }) && ...);
}
template <class... Ts>
constexpr bool has_relation_terms(const std::tuple<Ts...>*) {
  return (requires { Ts::is_relation_order; } || ...);
}
template <class C>
constexpr bool column_order() {
  if constexpr (sql::detail::is_order_by<C>::value)
    return only_column_terms(static_cast<decltype(C::terms)*>(nullptr));
  else
    return true;
}

template <class Tuple> struct aggregate_results;
template <class... A> struct aggregate_results<std::tuple<A...>> {
  using type = std::tuple<typename A::result...>;
};

template <class... Cs>
struct aggregates_of {
  using type = decltype(std::tuple_cat(
      std::declval<std::conditional_t<AggregateExpr<Cs>, std::tuple<Cs>, std::tuple<>>>()...));
};

template <class By> struct by_values;
template <class... Cols> struct by_values<By<Cols...>> {
  using type = std::tuple<typename Cols::value_type...>;
};

template <class Tuple, class Cursor, std::size_t Offset, std::size_t... I>
void read_tuple(const Cursor& c, Tuple& t, std::index_sequence<I...>) {
  (c.read(static_cast<int>(Offset + I), std::get<Offset + I>(t)), ...);
}


}  // namespace detail

}  // namespace prisma
