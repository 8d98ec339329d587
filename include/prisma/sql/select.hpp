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
#include "prisma/query/relation.hpp"
#include "prisma/sql/names.hpp"
#include "prisma/sql/dialect.hpp"
#include "prisma/sql/statements.hpp"

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
template <class S, class I> struct is_selection<SelectWith<S, I>> : std::true_type {};
// An include(...) or a select(...) with relations: relations to load beside the rows.
template <class T> struct has_relations : std::bool_constant<requires { T::is_include_clause; }> {};
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

template <class Model, class S, class I>
struct selected_columns_impl<Model, SelectWith<S, I>, void> : selected_columns_impl<Model, S, void> {};

// The columns of Model holding the parent-side keys of relations (their descriptors' `local`).
template <class Model, class Desc, class Seq = std::make_index_sequence<Desc::local.size()>>
struct desc_key_columns;
template <class Model, class Desc, std::size_t... I>
struct desc_key_columns<Model, Desc, std::index_sequence<I...>> {
  using type = std::tuple<std::tuple_element_t<Desc::local[I], typename meta::model_traits<Model>::columns>...>;
};
template <class Model, class Descs> struct key_columns;
template <class Model, class... Descs>
struct key_columns<Model, std::tuple<Descs...>> {
  using type = decltype(std::tuple_cat(std::declval<typename desc_key_columns<Model, Descs>::type>()...));
};
// Cols, then each of More not among them.
template <class Cols, class More> struct append_columns { using type = Cols; };
template <class... Cols, class M, class... More>
struct append_columns<std::tuple<Cols...>, std::tuple<M, More...>> {
  using next = std::conditional_t<contains_column<M, Cols...>, std::tuple<Cols...>, std::tuple<Cols..., M>>;
  using type = typename append_columns<next, std::tuple<More...>>::type;
};

template <class Model, class... Clauses>
struct selected_columns {
  using sel = typename find_clause<is_selection, Clauses...>::type;
  using omit = typename find_clause<is_omission, Clauses...>::type;
  using rel = typename find_clause<has_relations, Clauses...>::type;
  static_assert(std::is_void_v<sel> || std::is_void_v<omit>, "prisma: use select or omit, not both");
  using shaped = typename selected_columns_impl<Model, sel, omit>::type;
  // a shaped row with relations keeps the keys they are loaded by
  using type = std::conditional_t<std::is_void_v<rel> || (std::is_void_v<sel> && std::is_void_v<omit>), shaped,
                                  typename append_columns<shaped, typename key_columns<Model, typename std::conditional_t<
                                      std::is_void_v<rel>, Include<>, rel>::key_descriptors>::type>::type>;
};

template <class Model, class Sink, class... Cols>
constexpr void column_names(Sink& s, const std::tuple<Cols...>*) {
  bool first = true;
  ((s.append(first ? "" : ", "), first = false, quote_ident(s, Cols::db_name)), ...);
}


template <Dialect D, bool Reversed, class Term, class Sink>
constexpr void order_term(Sink& s, std::size_t& p) {
  if constexpr (requires { Term::is_relevance_order; }) Term::template render<D, Reversed>(s, p);  // binds its query
  else Term::template render<D, Reversed>(s);
}
template <Dialect D, bool Reversed, class Sink, class... Terms>
constexpr void order_terms(Sink& s, std::size_t& p, const std::tuple<Terms...>*) {
  bool first = true;
  ((s.append(first ? "" : ", "), first = false, order_term<D, Reversed, Terms>(s, p)), ...);
}
// Whether an order_by binds values (ordering by relevance).
template <class T> struct order_binds : std::false_type {};
template <class... Terms>
struct order_binds<OrderBy<Terms...>> : std::bool_constant<(requires { Terms::is_relevance_order; } || ...)> {};

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

// The rows after the cursor (sql::after_cursor), each of the cursor row's values a subquery
// selecting it from the row the cursor's filter names.
template <class Model, class OrderT, class F, Dialect D, bool Reversed, class Sink>
constexpr void cursor_condition(Sink& s, std::size_t& p) {
  using O = cursor_order<Model, OrderT>;
  auto name = [](std::size_t i) { return O::columns.items[i].db_name; };
  sql::after_cursor(
      s, O::columns.size, [&](auto& o, std::size_t i) { quote_ident(o, name(i)); },
      [&](auto& o, std::size_t i) {
        sql::scalar_subquery(
            o, [&](auto& q) { quote_ident(q, name(i)); }, [](auto& q) { sql::table_name<Model, D>(q); },
            [&](auto& q) {
              F::template render<D>(q, p);
              p += F::params;
            });
      },
      [](std::size_t i) { return O::columns.items[i].descending != Reversed; });
}

template <class Model, Dialect D, bool Reversed, class Sink>
constexpr void pk_order(Sink& s) {
  using O = cursor_order<Model, void>;
  for (std::size_t i = 0; i < O::columns.size; ++i) {
    if (i) s.append(", ");
    order_column(s, D, O::columns.items[i].db_name, Reversed, 0);
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
    constexpr bool reversed_pk = Reversed && !std::is_void_v<typename T::primary_key>;
    std::size_t p = 1;
    sql::select(
        s, D, {has_where || has_cursor, has_cursor || has_order || reversed_pk, sql_paging && has_take, sql_paging && has_skip},
        [](auto& o) {
          if constexpr (P == Projection::One) o.append('1');
          else if constexpr (P == Projection::All) o.append(T::column_list);
          else detail::column_names<Model>(o, static_cast<columns*>(nullptr));
        },
        [](auto& o) { sql::table_name<Model, D>(o); },
        [&](auto& o) {
          if constexpr (has_where) {
            using F = decltype(where_t::filter);
            F::template render<D>(o, p);
            p += F::params;
          }
          if constexpr (has_cursor) {
            if constexpr (has_where) o.append(" AND ");
            detail::cursor_condition<Model, order_t, decltype(cursor_t::filter), D, Reversed>(o, p);
          }
        },
        [&](auto& o) {
          if constexpr (has_cursor) {
            static_assert(!detail::order_binds<order_t>::value,
                          "prisma: a cursor pages in an order of the model's fields, not of relevance");
            using O = detail::cursor_order<Model, order_t>;
            for (std::size_t i = 0; i < O::columns.size; ++i) {
              if (i) o.append(", ");
              order_column(o, D, O::columns.items[i].db_name, O::columns.items[i].descending != Reversed, 0);
            }
          } else if constexpr (has_order) {
            detail::order_terms<D, Reversed>(o, p, static_cast<decltype(order_t::terms)*>(nullptr));
          } else if constexpr (reversed_pk) {
            detail::pk_order<Model, D, true>(o);
          }
        },
        p);
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
      sql::select_over(s, Piece{"COUNT(*)"}, [](auto& o) { S::template render<D, Reversed, Projection::One>(o); });
    } else {
      std::size_t p = 1;
      sql::select(
          s, D, {S::has_where}, Piece{"COUNT(*)"}, [](auto& o) { sql::table_name<Model, D>(o); },
          [&](auto& o) {
            if constexpr (S::has_where) decltype(S::where_t::filter)::template render<D>(o, p);
          },
          None{}, p);
    }
  }
  template <Dialect D, bool Reversed = false>
  static constexpr auto text = build([](auto& s) { Count::render<D, Reversed>(s); });
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
    auto list = [](auto& o) {
      bool first = true;
      (one<D, std::remove_cvref_t<decltype(o)>, Clauses>(o, first), ...);
    };
    if constexpr (paged) {
      sql::select_over(s, list, [](auto& o) { S::template render<D, Reversed, Projection::All>(o); });
    } else {
      std::size_t p = 1;
      sql::select(
          s, D, {S::has_where}, list, [](auto& o) { sql::table_name<Model, D>(o); },
          [&](auto& o) {
            if constexpr (S::has_where) decltype(S::where_t::filter)::template render<D>(o, p);
          },
          None{}, p);
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
    constexpr bool has_where = !std::is_void_v<where_t>;
    constexpr bool has_having = !std::is_void_v<having_t>;
    constexpr bool has_order = !std::is_void_v<order_t>;
    std::size_t p = 1;
    auto filter = [&p]<class F>(auto& o, const F*) {
      F::template render<D>(o, p);
      p += F::params;
    };
    sql::group_by(
        s, D, {has_where, has_having, has_order || Reversed, has_take, has_skip},
        [](auto& o) {
          by_list(o, static_cast<by_t*>(nullptr));
          bool first = false;
          (AggregateQuery<Model>::template one<D, std::remove_cvref_t<decltype(o)>, Clauses>(o, first), ...);
        },
        [](auto& o) { sql::table_name<Model, D>(o); },
        [&](auto& o) {
          if constexpr (has_where) filter(o, static_cast<const decltype(where_t::filter)*>(nullptr));
        },
        [](auto& o) { by_list(o, static_cast<by_t*>(nullptr)); },
        [&](auto& o) {
          if constexpr (has_having) filter(o, static_cast<const decltype(having_t::filter)*>(nullptr));
        },
        [&](auto& o) {
          static_assert(!detail::order_binds<order_t>::value, "prisma: group_by is not ordered by relevance");
          if constexpr (has_order) detail::order_terms<D, Reversed>(o, p, static_cast<decltype(order_t::terms)*>(nullptr));
          else if constexpr (Reversed) by_order<D>(o, static_cast<by_t*>(nullptr));
        },
        p);
  }
  template <Dialect D, class Sink, class... Cols>
  static constexpr void by_order(Sink& s, const By<Cols...>*) {
    bool first = true;
    ((s.append(first ? "" : ", "), first = false, order_column(s, D, Cols::db_name, true, 0)), ...);
  }
  template <Dialect D, bool Reversed = false>
  static constexpr auto text = build([](auto& s) { GroupBy::render<D, Reversed>(s); });
};

// DELETE FROM <table> WHERE <filter>
template <class Model, class F>
struct DeleteWhere {
  template <Dialect D, class Sink>
  static constexpr void render(Sink& s) {
    sql::delete_from(s, D, table_of<Model>(), true, [](auto& o) { F::template render<D>(o, 1); });
  }
  template <Dialect D>
  static constexpr auto text = build([](auto& s) { DeleteWhere::render<D>(s); });
};

}  // namespace prisma::sql
