// The read statements of a model, rendered at compile time from the model's metadata and the
// clause types: find_many / find_first (where, cursor, order_by, take, skip, select / omit),
// count, aggregate, group_by, and delete_many's DELETE. Values are never part of the text.
#pragma once
#include <array>
#include <tuple>
#include <type_traits>

#include "prisma/meta/model.hpp"
#include "prisma/query/aggregate.hpp"
#include "prisma/query/clauses.hpp"
#include "prisma/sql/names.hpp"
#include "prisma/sql/dialect.hpp"

namespace prisma::sql {

namespace detail {

template <template <class...> class Tmpl, class T>
struct is_instance : std::false_type {};
template <template <class...> class Tmpl, class... A>
struct is_instance<Tmpl, Tmpl<A...>> : std::true_type {};

template <class T> struct is_where : std::false_type {};
template <class F> struct is_where<Where<F>> : std::true_type {};
template <class T> struct is_cursor : std::false_type {};
template <class F> struct is_cursor<CursorAt<F>> : std::true_type {};
template <class T> struct is_having : std::false_type {};
template <class F> struct is_having<Having<F>> : std::true_type {};
template <class T> struct is_order_by : is_instance<OrderBy, T> {};
template <class T> struct is_distinct : is_instance<Distinct, T> {};
template <class T> struct is_selection : is_instance<Selection, T> {};
template <class T> struct is_omission : is_instance<Omission, T> {};
template <class T> struct is_by : is_instance<By, T> {};
template <class T> struct is_take : std::is_same<T, Take> {};
template <class T> struct is_skip : std::is_same<T, Skip> {};
template <class T> struct is_aggregate : std::bool_constant<AggregateExpr<T>> {};

// The first clause of Cs... satisfying Pred, or void.
template <template <class> class Pred, class... Cs>
struct find_clause { using type = void; };
template <template <class> class Pred, class C, class... Cs>
struct find_clause<Pred, C, Cs...> {
  using type = std::conditional_t<Pred<C>::value, C, typename find_clause<Pred, Cs...>::type>;
};
template <template <class> class Pred, class... Cs>
constexpr std::size_t count_clauses = (std::size_t{Pred<Cs>::value} + ... + 0);

// ---- the columns a read returns -------------------------------------------------------------

template <class Col, class... Cs>
constexpr bool contains_column = (std::is_same_v<std::remove_cv_t<Col>, std::remove_cv_t<Cs>> || ...);

template <class Tuple, class Omitted> struct without;
template <class... Omitted>
struct without<std::tuple<>, Omission<Omitted...>> { using type = std::tuple<>; };
template <class C, class... Rest, class... Omitted>
struct without<std::tuple<C, Rest...>, Omission<Omitted...>> {
  using tail = typename without<std::tuple<Rest...>, Omission<Omitted...>>::type;
  using type = std::conditional_t<
      contains_column<C, Omitted...>, tail,
      decltype(std::tuple_cat(std::declval<std::tuple<C>>(), std::declval<tail>()))>;
};

template <class Model, class Sel, class Omit>
struct selected_columns_impl { using type = typename meta::model_traits<Model>::columns; };
template <class Model>
struct selected_columns_impl<Model, void, void> { using type = typename meta::model_traits<Model>::columns; };
template <class Model, class... Cols>
struct selected_columns_impl<Model, Selection<Cols...>, void> { using type = std::tuple<Cols...>; };
template <class Model, class Omit>
struct selected_columns_impl<Model, void, Omit> {
  using type = typename without<typename meta::model_traits<Model>::columns, Omit>::type;
};

template <class Model, class... Clauses>
struct selected_columns {
  using sel = typename find_clause<is_selection, Clauses...>::type;
  using omit = typename find_clause<is_omission, Clauses...>::type;
  static_assert(std::is_void_v<sel> || std::is_void_v<omit>, "prisma: use select or omit, not both");
  using type = typename selected_columns_impl<Model, sel, omit>::type;
};

template <class Model, class Sink, class... Cols>
constexpr void column_names(Sink& s, const std::tuple<Cols...>*) {
  bool first = true;
  ((s.append(first ? "" : ", "), first = false, quote_ident(s, Cols::db_name)), ...);
}


template <Dialect D, bool Reversed, class Sink, class... Terms>
constexpr void order_terms(Sink& s, const std::tuple<Terms...>*) {
  bool first = true;
  ((s.append(first ? "" : ", "), first = false, Terms::template render<D, Reversed>(s)), ...);
}

// ---- cursor pagination ----------------------------------------------------------------------

struct OrderColumn {
  std::string_view db_name;
  bool descending = false;
};

// The order a cursor query runs in: the order_by terms, then the primary key columns not in them.
template <class Model, class OrderT>
struct cursor_order {
  using T = meta::model_traits<Model>;
  using PK = typename T::primary_key;
  template <class Tuple> struct term_count;
  template <class... Ts> struct term_count<std::tuple<Ts...>> { static constexpr std::size_t value = sizeof...(Ts); };
  static constexpr std::size_t n_terms = [] {
    if constexpr (std::is_void_v<OrderT>) return std::size_t{0};
    else return term_count<decltype(OrderT::terms)>::value;
  }();
  static constexpr std::size_t n_pk = PK::columns.size();

  template <std::size_t... I>
  static constexpr std::array<std::string_view, sizeof...(I)> pk_names(std::index_sequence<I...>) {
    return {std::tuple_element_t<PK::columns[I], typename T::columns>::db_name...};
  }
  template <class... Ts>
  static constexpr std::array<OrderColumn, sizeof...(Ts)> term_columns(const std::tuple<Ts...>*) {
    return {OrderColumn{Ts::column::db_name, Ts::descending}...};
  }

  struct List {
    std::array<OrderColumn, n_terms + n_pk> items{};
    std::size_t size = 0;
  };
  static constexpr List columns = [] {
    List l;
    if constexpr (n_terms > 0) {
      for (auto c : term_columns(static_cast<decltype(OrderT::terms)*>(nullptr))) l.items[l.size++] = c;
    }
    for (auto name : pk_names(std::make_index_sequence<n_pk>{})) {
      bool present = false;
      for (std::size_t i = 0; i < l.size; ++i) present = present || l.items[i].db_name == name;
      if (!present) l.items[l.size++] = OrderColumn{name, false};
    }
    return l;
  }();
  // How many times the cursor's filter appears in the condition.
  static constexpr std::size_t repeats = columns.size * (columns.size + 1) / 2;
};

// (c1 > cur.c1) OR (c1 = cur.c1 AND c2 > cur.c2) OR ... (c1 = cur.c1 AND ... AND ck >= cur.ck),
// each cur.x a subquery selecting x from the cursor row.
template <class Model, class OrderT, class F, Dialect D, bool Reversed, class Sink>
constexpr void cursor_condition(Sink& s, std::size_t& p) {
  using O = cursor_order<Model, OrderT>;
  auto sub = [&](std::string_view col) {
    s.append("(SELECT ");
    quote_ident(s, col);
    s.append(" FROM ");
    sql::table_name<Model, D>(s);
    s.append(" WHERE ");
    F::template render<D>(s, p);
    p += F::params;
    s.append(')');
  };
  s.append('(');
  for (std::size_t j = 0; j < O::columns.size; ++j) {
    if (j) s.append(" OR ");
    s.append('(');
    for (std::size_t i = 0; i < j; ++i) {
      quote_ident(s, O::columns.items[i].db_name);
      s.append(" = ");
      sub(O::columns.items[i].db_name);
      s.append(" AND ");
    }
    const auto& c = O::columns.items[j];
    bool desc = c.descending != Reversed;
    bool last = j + 1 == O::columns.size;
    quote_ident(s, c.db_name);
    s.append(desc ? (last ? " <= " : " < ") : (last ? " >= " : " > "));
    sub(c.db_name);
    s.append(')');
  }
  s.append(')');
}

template <class Model, Dialect D, bool Reversed, class Sink>
constexpr void pk_order(Sink& s) {
  using O = cursor_order<Model, void>;
  for (std::size_t i = 0; i < O::columns.size; ++i) {
    if (i) s.append(", ");
    quote_ident(s, O::columns.items[i].db_name);
    s.append(Reversed ? " DESC" : " ASC");
  }
}

}  // namespace detail

// What the SELECT list is.
enum class Projection { Columns, One, All };

// SELECT <columns> FROM <table> [WHERE <where> [AND <cursor>]] [ORDER BY ...] [LIMIT ?] [OFFSET ?]
// Parameters, in order: the where filter's, the cursor filter's (`cursor_repeats` times), the
// take, the skip. With distinct, take and skip are applied after reading (sql_paging false).
template <class Model, class... Clauses>
struct Select {
  using where_t = typename detail::find_clause<detail::is_where, Clauses...>::type;
  using order_t = typename detail::find_clause<detail::is_order_by, Clauses...>::type;
  using cursor_t = typename detail::find_clause<detail::is_cursor, Clauses...>::type;
  using distinct_t = typename detail::find_clause<detail::is_distinct, Clauses...>::type;
  using columns = typename detail::selected_columns<Model, Clauses...>::type;
  static constexpr bool has_where = !std::is_void_v<where_t>;
  static constexpr bool has_order = !std::is_void_v<order_t>;
  static constexpr bool has_cursor = !std::is_void_v<cursor_t>;
  static constexpr bool has_distinct = !std::is_void_v<distinct_t>;
  static constexpr bool has_take = (std::is_same_v<Clauses, Take> || ...);
  static constexpr bool has_skip = (std::is_same_v<Clauses, Skip> || ...);
  static constexpr bool sql_paging = !has_distinct;
  static constexpr std::size_t cursor_repeats = [] {
    if constexpr (has_cursor) return detail::cursor_order<Model, order_t>::repeats;
    else return std::size_t{0};
  }();

  template <Dialect D, bool Reversed, Projection P = Projection::Columns, class Sink>
  static constexpr void render(Sink& s) {
    using T = meta::model_traits<Model>;
    s.append("SELECT ");
    if constexpr (P == Projection::One) s.append('1');
    else if constexpr (P == Projection::All) s.append(T::column_list);
    else detail::column_names<Model>(s, static_cast<columns*>(nullptr));
    s.append(" FROM ");
    sql::table_name<Model, D>(s);
    std::size_t p = 1;
    if constexpr (has_where || has_cursor) s.append(" WHERE ");
    if constexpr (has_where) {
      using F = decltype(where_t::filter);
      F::template render<D>(s, p);
      p += F::params;
    }
    if constexpr (has_cursor) {
      if constexpr (has_where) s.append(" AND ");
      detail::cursor_condition<Model, order_t, decltype(cursor_t::filter), D, Reversed>(s, p);
    }
    if constexpr (has_cursor) {
      using O = detail::cursor_order<Model, order_t>;
      s.append(" ORDER BY ");
      for (std::size_t i = 0; i < O::columns.size; ++i) {
        if (i) s.append(", ");
        quote_ident(s, O::columns.items[i].db_name);
        s.append(O::columns.items[i].descending != Reversed ? " DESC" : " ASC");
      }
    } else if constexpr (has_order) {
      s.append(" ORDER BY ");
      detail::order_terms<D, Reversed>(s, static_cast<decltype(order_t::terms)*>(nullptr));
    } else if constexpr (Reversed && !std::is_void_v<typename T::primary_key>) {
      s.append(" ORDER BY ");
      detail::pk_order<Model, D, true>(s);
    }
    limit_offset(s, D, sql_paging && has_take, sql_paging && has_skip, p);
  }

  template <Dialect D, bool Reversed = false>
  static constexpr auto text = build([](auto& s) { Select::render<D, Reversed>(s); });
};

// SELECT COUNT(*) FROM <table> [WHERE ...], or over the paged rows:
// SELECT COUNT(*) FROM (SELECT 1 FROM ... LIMIT ? OFFSET ?) AS "sub"
template <class Model, class... Clauses>
struct Count {
  using S = Select<Model, Clauses...>;
  static constexpr bool paged = S::has_take || S::has_skip || S::has_cursor;
  static_assert(!S::has_distinct, "prisma: count does not take distinct");

  template <Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s) {
    if constexpr (paged) {
      s.append("SELECT COUNT(*) FROM (");
      S::template render<D, Reversed, Projection::One>(s);
      s.append(") AS \"sub\"");
    } else {
      S::template render<D, false, Projection::One>(s);  // filter only
    }
  }
  template <Dialect D, bool Reversed = false>
  static constexpr auto text = build([](auto& s) {
    if constexpr (paged) {
      Count::render<D, Reversed>(s);
    } else {
      s.append("SELECT COUNT(*) FROM ");
      sql::table_name<Model, D>(s);
      if constexpr (S::has_where) {
        s.append(" WHERE ");
        decltype(S::where_t::filter)::template render<D>(s, 1);
      }
    }
  });
};

// SELECT <aggregates> FROM <table> [WHERE ...] (or FROM the paged rows, as Count).
template <class Model, class... Clauses>
struct AggregateQuery {
  using S = Select<Model, Clauses...>;
  static constexpr bool paged = S::has_take || S::has_skip || S::has_cursor;
  static_assert(!S::has_distinct, "prisma: aggregate does not take distinct");

  template <Dialect D, class Sink, class C>
  static constexpr void one(Sink& s, bool& first) {
    if constexpr (AggregateExpr<C>) {
      if (!first) s.append(", ");
      first = false;
      C::template render<D>(s);
    }
  }

  template <Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s) {
    s.append("SELECT ");
    bool first = true;
    (one<D, Sink, Clauses>(s, first), ...);
    if constexpr (paged) {
      s.append(" FROM (");
      S::template render<D, Reversed, Projection::All>(s);
      s.append(") AS \"sub\"");
    } else {
      s.append(" FROM ");
      sql::table_name<Model, D>(s);
      if constexpr (S::has_where) {
        s.append(" WHERE ");
        decltype(S::where_t::filter)::template render<D>(s, 1);
      }
    }
  }
  template <Dialect D, bool Reversed = false>
  static constexpr auto text = build([](auto& s) { AggregateQuery::render<D, Reversed>(s); });
};

// SELECT <by columns>, <aggregates> FROM <table> [WHERE ...] GROUP BY <by columns>
// [HAVING ...] [ORDER BY ...] [LIMIT ?] [OFFSET ?]
template <class Model, class... Clauses>
struct GroupBy {
  using by_t = typename detail::find_clause<detail::is_by, Clauses...>::type;
  using where_t = typename detail::find_clause<detail::is_where, Clauses...>::type;
  using having_t = typename detail::find_clause<detail::is_having, Clauses...>::type;
  using order_t = typename detail::find_clause<detail::is_order_by, Clauses...>::type;
  static constexpr bool has_take = (std::is_same_v<Clauses, Take> || ...);
  static constexpr bool has_skip = (std::is_same_v<Clauses, Skip> || ...);

  template <class Sink, class... Cols>
  static constexpr void by_list(Sink& s, const By<Cols...>*) {
    bool first = true;
    ((s.append(first ? "" : ", "), first = false, quote_ident(s, Cols::db_name)), ...);
  }

  template <Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s) {
    s.append("SELECT ");
    by_list(s, static_cast<by_t*>(nullptr));
    bool first = false;
    (AggregateQuery<Model>::template one<D, Sink, Clauses>(s, first), ...);
    s.append(" FROM ");
    sql::table_name<Model, D>(s);
    std::size_t p = 1;
    if constexpr (!std::is_void_v<where_t>) {
      using F = decltype(where_t::filter);
      s.append(" WHERE ");
      F::template render<D>(s, p);
      p += F::params;
    }
    s.append(" GROUP BY ");
    by_list(s, static_cast<by_t*>(nullptr));
    if constexpr (!std::is_void_v<having_t>) {
      using F = decltype(having_t::filter);
      s.append(" HAVING ");
      F::template render<D>(s, p);
      p += F::params;
    }
    if constexpr (!std::is_void_v<order_t>) {
      s.append(" ORDER BY ");
      detail::order_terms<D, Reversed>(s, static_cast<decltype(order_t::terms)*>(nullptr));
    } else if constexpr (Reversed) {
      s.append(" ORDER BY ");
      by_order(s, static_cast<by_t*>(nullptr));
    }
    limit_offset(s, D, has_take, has_skip, p);
  }
  template <class Sink, class... Cols>
  static constexpr void by_order(Sink& s, const By<Cols...>*) {
    bool first = true;
    ((s.append(first ? "" : ", "), first = false, quote_ident(s, Cols::db_name), s.append(" DESC")), ...);
  }
  template <Dialect D, bool Reversed = false>
  static constexpr auto text = build([](auto& s) { GroupBy::render<D, Reversed>(s); });
};

// DELETE FROM <table> WHERE <filter>
template <class Model, class F>
struct DeleteWhere {
  template <Dialect D, class Sink>
  static constexpr void render(Sink& s) {
    s.append("DELETE FROM ");
    sql::table_name<Model, D>(s);
    s.append(" WHERE ");
    F::template render<D>(s, 1);
  }
  template <Dialect D>
  static constexpr auto text = build([](auto& s) { DeleteWhere::render<D>(s); });
};

}  // namespace prisma::sql
