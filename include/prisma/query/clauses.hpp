// Clauses of the read operations: where, order_by (asc/desc, nulls first/last), take, skip.
// Their SQL shape is part of their type; take/skip values are bound at run time.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "prisma/query/column.hpp"

namespace prisma {

enum class Nulls { Default, First, Last };

template <class Col, bool Descending, Nulls N = Nulls::Default>
struct OrderTerm {
  using column = Col;
  using model = typename Col::model;
  static constexpr bool descending = Descending;
  static constexpr Nulls nulls = N;
  constexpr OrderTerm<Col, Descending, Nulls::First> nulls_first() const { return {}; }
  constexpr OrderTerm<Col, Descending, Nulls::Last> nulls_last() const { return {}; }

  // `reversed` renders the opposite order (negative take reads backwards, then flips rows).
  template <sql::Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s) {
    constexpr bool desc = Descending != Reversed;
    constexpr Nulls n = !Reversed ? N : N == Nulls::First ? Nulls::Last
                                      : N == Nulls::Last  ? Nulls::First : Nulls::Default;
    sql::order_column(s, D, Col::db_name, desc, n == Nulls::First ? 1 : n == Nulls::Last ? 2 : 0);
  }
};

// Ordering by full-text relevance (PostgreSQL; Prisma's `_relevance`):
// `order_by(relevance("quick & dogs", post::title, post::body).desc())`: ts_rank of the columns'
// text against the query, the query bound where the ORDER BY stands.
template <bool Descending, class... Cols>
struct RelevanceOrder {
  static constexpr bool is_relevance_order = true;
  using model = typename std::tuple_element_t<0, std::tuple<Cols...>>::model;
  static constexpr std::size_t params = 1;
  std::string query;
  template <sql::Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s, std::size_t& p) {
    static_assert(D == sql::Dialect::Postgresql, "prisma: ordering by relevance is PostgreSQL's full-text search");
    constexpr std::array<std::string_view, sizeof...(Cols)> names{Cols::db_name...};
    sql::text_rank(s, names.size(), [&](auto& o, std::size_t i) { sql::quote_ident(o, names[i]); },
                   [&](auto& o) { sql::placeholder(o, D, p); });
    ++p;
    s.append(Descending != Reversed ? " DESC" : " ASC");
  }
  template <class B>
  void bind(B& b) const { b(query); }
};
template <class... Cols>
struct Relevance {
  std::string query;
  RelevanceOrder<false, Cols...> asc() const { return {query}; }
  RelevanceOrder<true, Cols...> desc() const { return {query}; }
};
template <class... Desc>
Relevance<Column<Desc>...> relevance(std::string query, Column<Desc>...) {
  static_assert(sizeof...(Desc) > 0, "prisma: relevance() ranks at least one String field");
  static_assert(((std::is_same_v<typename Column<Desc>::scalar_type, std::string> && !Column<Desc>::is_list) && ...),
                "prisma: relevance() ranks String fields");
  return {std::move(query)};
}

template <class T> struct is_order_term : std::false_type {};
template <class C, bool D, Nulls N> struct is_order_term<OrderTerm<C, D, N>> : std::true_type {};

template <class... Terms>
struct OrderBy {
  static constexpr bool is_clause = true;
  std::tuple<Terms...> terms;
};

template <class... T>
constexpr auto order_by(T... t) {
  static_assert(sizeof...(T) > 0, "prisma: order_by needs at least one field");
  static_assert(((is_order_term<T>::value || requires { T::is_aggregate_order; } ||
                  requires { T::is_relation_order; } || requires { T::is_relevance_order; }) && ...),
                "prisma: order_by takes column.asc() / column.desc() (a relation list cannot be "
                "ordered by)");
  return OrderBy<T...>{{t...}};
}

template <Filter F>
struct Where {
  static constexpr bool is_clause = true;
  F filter;
};
template <class F>
constexpr auto where(F f) {
  static_assert(Filter<F>, "prisma: where() takes a filter such as user::age >= 18");
  return Where<F>{std::move(f)};
}

struct Take {
  static constexpr bool is_clause = true;
  std::int64_t n;
};
struct Skip {
  static constexpr bool is_clause = true;
  std::int64_t n;
};
constexpr Take take(std::int64_t n) { return {n}; }
constexpr Skip skip(std::int64_t n) {
  return {n};
}
// update_many / update_many_and_return / delete_many: at most n of the rows the filter names
// (Prisma's `limit`).
struct Limit {
  std::int64_t n;
};
constexpr Limit limit(std::int64_t n) { return {n}; }

// cursor(user::id == 10): the page starts at that row (included; add skip(1) to leave it out)
// in the query's order, which gets the primary key appended so that it is total. Rows compare
// with the cursor row's values through a subquery, as Prisma's engine does.
template <Filter F>
struct CursorAt {
  static constexpr bool is_clause = true;
  F filter;
};
template <class F>
constexpr auto cursor(F f) {
  static_assert(Filter<F>, "prisma: cursor() takes a unique criterion such as user::id == 10");
  return CursorAt<F>{std::move(f)};
}

template <class T> struct is_column : std::false_type {};
template <class D> struct is_column<Column<D>> : std::true_type {};

// distinct(user::role): the first row of each distinct combination of the fields, in the
// query's order; skip/take apply after it (as Prisma Client applies them).
template <class... Cols>
struct Distinct {
  static constexpr bool is_clause = true;
};
template <class... C>
constexpr auto distinct(C...) {
  static_assert(sizeof...(C) > 0, "prisma: distinct needs at least one field");
  static_assert((is_column<C>::value && ...), "prisma: distinct takes scalar fields (user::role)");
  return Distinct<C...>{};
}

// select(user::id, user::email): rows with exactly those members. omit(user::password): rows
// with every member but those.
template <class... Cols>
struct Selection {
  static constexpr bool is_clause = true;
};
template <class... C>
constexpr auto select(C...) {
  static_assert(sizeof...(C) > 0, "prisma: select needs at least one field");
  static_assert((is_column<C>::value && ...),
                "prisma: select takes scalar fields (user::id); relations come through include");
  return Selection<C...>{};
}
template <class... Cols>
struct Omission {
  static constexpr bool is_clause = true;
};
template <class... C>
constexpr auto omit(C...) {
  static_assert(sizeof...(C) > 0, "prisma: omit needs at least one field");
  static_assert((is_column<C>::value && ...), "prisma: omit takes scalar fields (user::password)");
  return Omission<C...>{};
}

}  // namespace prisma

namespace prisma {
template <class Desc>
constexpr auto Column<Desc>::asc() const {
  static_assert(!Column::is_list, "prisma: a list field cannot be ordered by");
  return OrderTerm<Column, false>{};
}
template <class Desc>
constexpr auto Column<Desc>::desc() const {
  static_assert(!Column::is_list, "prisma: a list field cannot be ordered by");
  return OrderTerm<Column, true>{};
}
}  // namespace prisma
