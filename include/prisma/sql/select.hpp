// The read and delete statements of a model (find_many / find_first, count, delete_many),
// rendered at compile time from the model's metadata and the clause types.
#pragma once
#include <tuple>
#include <type_traits>

#include "prisma/meta/model.hpp"
#include "prisma/query/clauses.hpp"
#include "prisma/sql/text.hpp"

namespace prisma::sql {

namespace detail {

template <template <class...> class Tmpl, class T>
struct is_instance : std::false_type {};
template <template <class...> class Tmpl, class... A>
struct is_instance<Tmpl, Tmpl<A...>> : std::true_type {};

template <class T> struct is_where : std::false_type {};
template <class F> struct is_where<Where<F>> : std::true_type {};

// The first clause of Cs... satisfying Pred, or void.
template <template <class> class Pred, class... Cs>
struct find_clause { using type = void; };
template <template <class> class Pred, class C, class... Cs>
struct find_clause<Pred, C, Cs...> {
  using type = std::conditional_t<Pred<C>::value, C, typename find_clause<Pred, Cs...>::type>;
};

template <class T> struct is_order_by : is_instance<OrderBy, T> {};
template <class T> struct is_take : std::is_same<T, Take> {};
template <class T> struct is_skip : std::is_same<T, Skip> {};

template <class Model, Dialect D, class Sink>
constexpr void table_name(Sink& s) {
  using T = meta::model_traits<Model>;
  if constexpr (D == Dialect::Postgresql && !T::schema.empty()) {
    quote_ident(s, T::schema);
    s.append('.');
  }
  quote_ident(s, T::db_name);
}

template <Dialect D, bool Reversed, class Sink, class... Terms>
constexpr void order_terms(Sink& s, const std::tuple<Terms...>*) {
  bool first = true;
  ((s.append(first ? "" : ", "), first = false, Terms::template render<D, Reversed>(s)), ...);
}

template <class Model, Dialect D, bool Reversed, class Sink, std::size_t... I>
constexpr void pk_order(Sink& s, std::index_sequence<I...>) {
  using T = meta::model_traits<Model>;
  using PK = typename T::primary_key;
  bool first = true;
  ((s.append(first ? "" : ", "), first = false,
    quote_ident(s, std::tuple_element_t<PK::columns[I], typename T::columns>::db_name),
    s.append(Reversed ? " DESC" : " ASC")),
   ...);
}

}  // namespace detail

// SELECT <columns> FROM <table> [WHERE ...] [ORDER BY ...] [LIMIT ?] [OFFSET ?]
template <class Model, class... Clauses>
struct Select {
  using where_t = typename detail::find_clause<detail::is_where, Clauses...>::type;
  using order_t = typename detail::find_clause<detail::is_order_by, Clauses...>::type;
  static constexpr bool has_where = !std::is_void_v<where_t>;
  static constexpr bool has_order = !std::is_void_v<order_t>;
  static constexpr bool has_take = (std::is_same_v<Clauses, Take> || ...);
  static constexpr bool has_skip = (std::is_same_v<Clauses, Skip> || ...);

  template <Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s) {
    using T = meta::model_traits<Model>;
    s.append("SELECT ");
    s.append(T::column_list);
    s.append(" FROM ");
    detail::table_name<Model, D>(s);
    std::size_t p = 1;
    if constexpr (has_where) {
      using F = decltype(where_t::filter);
      s.append(" WHERE ");
      F::template render<D>(s, p);
      p += F::params;
    }
    if constexpr (has_order) {
      s.append(" ORDER BY ");
      detail::order_terms<D, Reversed>(s, static_cast<decltype(order_t::terms)*>(nullptr));
    } else if constexpr (Reversed && !std::is_void_v<typename T::primary_key>) {
      s.append(" ORDER BY ");
      detail::pk_order<Model, D, true>(
          s, std::make_index_sequence<T::primary_key::columns.size()>{});
    }
    if constexpr (has_take) {
      s.append(" LIMIT ");
      placeholder<D>(s, p++);
    } else if constexpr (has_skip && D == Dialect::Sqlite) {
      s.append(" LIMIT -1");
    }
    if constexpr (has_skip) {
      s.append(" OFFSET ");
      placeholder<D>(s, p++);
    }
  }

  template <Dialect D, bool Reversed = false>
  static constexpr auto text = build([](auto& s) { Select::render<D, Reversed>(s); });
};

// SELECT COUNT(*) FROM <table> [WHERE ...]
template <class Model, class... Clauses>
struct Count {
  using where_t = typename detail::find_clause<detail::is_where, Clauses...>::type;
  static_assert(((detail::is_where<Clauses>::value) && ...),
                "prisma: count takes where(...) only (skip/take/order_by come with issue 3)");

  template <Dialect D, class Sink>
  static constexpr void render(Sink& s) {
    s.append("SELECT COUNT(*) FROM ");
    detail::table_name<Model, D>(s);
    if constexpr (!std::is_void_v<where_t>) {
      s.append(" WHERE ");
      decltype(where_t::filter)::template render<D>(s, 1);
    }
  }
  template <Dialect D>
  static constexpr auto text = build([](auto& s) { Count::render<D>(s); });
};

// DELETE FROM <table> WHERE <filter>
template <class Model, class F>
struct DeleteWhere {
  template <Dialect D, class Sink>
  static constexpr void render(Sink& s) {
    s.append("DELETE FROM ");
    detail::table_name<Model, D>(s);
    s.append(" WHERE ");
    F::template render<D>(s, 1);
  }
  template <Dialect D>
  static constexpr auto text = build([](auto& s) { DeleteWhere::render<D>(s); });
};

}  // namespace prisma::sql
