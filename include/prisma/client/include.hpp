// Loading included relations: one query per include level (`WHERE key IN (<all parents' keys>)`,
// the keys bound as one list parameter, so no chunking is needed below the backends' parameter
// limits), rows stitched to their parents in memory, per-parent skip/take applied after.
// The row types: With<Model, holders...> adds one member per included relation (`u.posts`).
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <type_traits>
#include <vector>

#include "prisma/client/rows.hpp"
#include "prisma/sql/filters.hpp"
#include "prisma/query/relation.hpp"
#include "prisma/sql/select.hpp"

namespace prisma {

// A row with included relations: the model's (or a selection's) members and one member per
// included relation, named as the relation field.
template <class Base, class... Holders>
struct With : Base, Holders... {};

// `row._count.posts`: the counts count_of(...) includes.
template <class... Rels>
struct Counts : Rels::descriptor::_count_holder... {};
template <class... Rels>
struct CountHolder {
  Counts<Rels...> _count;
};

namespace detail {

template <class T> struct is_plain_include : sql::detail::is_instance<Include, T> {};
template <class T> struct is_plain_selection : sql::detail::is_instance<Selection, T> {};

template <class Want, class C>
void bind_limit(auto& b, const C& c) {
  if constexpr (std::is_same_v<C, Want>) b(c.n < 0 ? -c.n : c.n);
}
template <class C>
void bind_where(auto& b, const C& c) {
  if constexpr (sql::detail::is_where<C>::value) c.filter.bind(b);
}
template <class C>
void bind_cursor(auto& b, const C& c, std::size_t repeats) {
  if constexpr (sql::detail::is_cursor<C>::value)
    for (std::size_t i = 0; i < repeats; ++i) c.filter.bind(b);
}
// An order_by's bound values (ordering by relevance), in term order.
template <class T>
void bind_term(auto& b, const T& t) {
  if constexpr (requires { T::is_relevance_order; }) t.bind(b);
}
template <class C>
void bind_order(auto& b, const C& c) {
  if constexpr (sql::detail::order_binds<C>::value)
    std::apply([&](const auto&... t) { (bind_term(b, t), ...); }, c.terms);
}
template <class C>
void bind_having(auto& b, const C& c) {
  if constexpr (sql::detail::is_having<C>::value) c.filter.bind(b);
}

// The distinct key of a row: the values of the distinct columns, compared as a tuple.
template <class Row, class... Cols>
auto distinct_key(const Row& r, const Distinct<Cols...>*) {
  return std::make_tuple(column_member<Cols>(const_cast<Row&>(r))...);
}

template <class T> struct is_include : std::false_type {};
template <class... S> struct is_include<Include<S...>> : std::true_type {};
template <class S, class I> struct is_include<SelectWith<S, I>> : std::true_type {};
// The Include of an include(...) clause, or of a select(...) with relations.
template <class... S>
const Include<S...>& include_of(const Include<S...>& inc) { return inc; }
template <class S, class I>
const I& include_of(const SelectWith<S, I>& sel) { return sel.include; }
// An include(...) beside a select(...) of fields (Prisma refuses both at one level too).
template <class... Cs>
constexpr bool select_beside_include =
    sql::detail::count_clauses<is_plain_include, Cs...> > 0 && sql::detail::count_clauses<is_plain_selection, Cs...> > 0;
template <class T> struct is_count_of : std::false_type {};
template <class... R> struct is_count_of<CountOf<R...>> : std::true_type {};

template <class Model, class Spec> struct spec_traits;

// The row type of Model's rows read as Base (Model, or the Row of a select / omit) with the
// specs of an Include (or Base itself without one).
template <class Base, class Inc, class Model = Base> struct included_row { using type = Base; };
template <class Base, class... Specs, class Model>
struct included_row<Base, Include<Specs...>, Model> {
  using type = With<Base, typename spec_traits<Model, Specs>::holder...>;
};
template <class Base, class S, class I, class Model>
struct included_row<Base, SelectWith<S, I>, Model> : included_row<Base, I, Model> {};

template <class Model, class Rel, class... Clauses>
struct spec_traits<Model, RelationQuery<Rel, Clauses...>> {
  static_assert(std::is_same_v<typename Rel::model, Model>,
                "prisma: include() names a relation of another model than the query's");
  using Desc = typename Rel::descriptor;
  using target = typename Rel::target;
  using include_t = typename sql::detail::find_clause<is_include, Clauses...>::type;
  using select_t = sql::Select<target, Clauses...>;
  using columns = typename select_t::columns;
  using base_row = detail::row_type<target, columns>;
  static_assert(!select_beside_include<Clauses...>,
                "prisma: select and include on the same level: put the relations in the select "
                "(select(user::email, user::posts)), or include them beside omit(...)");
  using child = typename included_row<base_row, std::conditional_t<std::is_void_v<include_t>, int, include_t>, target>::type;
  using member = std::conditional_t<Desc::is_list, std::vector<child>,
                                    std::conditional_t<Desc::is_optional, std::optional<child>, child>>;
  using holder = typename Desc::template _holder<member>;
};

template <class Model, class... Rels>
struct spec_traits<Model, CountOf<Rels...>> {
  static_assert((std::is_same_v<typename Rels::model, Model> && ...),
                "prisma: count_of() names a relation of another model");
  using holder = CountHolder<Rels...>;
};

// The relation's key column on the parent side (the parent rows' values go into the IN list).
template <class Desc>
using local_column = std::tuple_element_t<Desc::local[0], typename meta::model_traits<typename Desc::model>::columns>;

// `<key> IN (list)` on the child query's key expression, the list bound as parameter 1.
template <class Desc, sql::Dialect D, class Sink>
constexpr void key_expr(Sink& s) {
  using T = typename Desc::target;
  if constexpr (!Desc::join_table.empty()) {
    s.append("\"j\".");
    sql::quote_ident(s, Desc::join_local);
  } else {
    sql::table_name<T, D>(s);
    s.append('.');
    sql::quote_ident(s, sql::column_name<T, meta::remote_of<Desc>[0]>());
  }
}
template <class Desc, sql::Dialect D, class Sink>
constexpr void key_in_list(Sink& s) {
  key_expr<Desc, D>(s);
  sql::in_list(s, D, false, 1);
}
template <class Desc, sql::Dialect D, class Sink>
constexpr void from_related(Sink& s) {
  using T = typename Desc::target;
  sql::keyed_from(
      s, D, {sql::table_of<T>(), {Desc::join_schema, Desc::join_table}, Desc::join_remote, Desc::join_local}, false,
      sql::None{}, sql::Piece{"\"j\""}, sql::column_name<T, meta::remote_of<Desc>[0]>());
}

template <class T, sql::Dialect D, class Sink, class... Cols>
constexpr void qualified_columns(Sink& s, const std::tuple<Cols...>*) {
  bool first = true;
  ((s.append(first ? "" : ", "), first = false, sql::table_name<T, D>(s), s.append('.'),
    sql::quote_ident(s, Cols::db_name)),
   ...);
}

// The primary key of T: its columns' names, the tuple of their values, and the statement that
// finds the cursor row's (`SELECT <pk> FROM T WHERE <cursor filter>`).
template <class T>
constexpr auto cursor_pk_names() {
  using PK = typename meta::model_traits<T>::primary_key;
  static_assert(!std::is_void_v<PK>, "prisma: a cursor inside an include needs the target model's @id / @@id");
  std::array<std::string_view, PK::columns.size()> out{};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((out[I] = sql::column_name<T, PK::columns[I]>()), ...);
  }(std::make_index_sequence<PK::columns.size()>{});
  return out;
}
template <class T, class Seq = std::make_index_sequence<meta::model_traits<T>::primary_key::columns.size()>>
struct pk_values;
template <class T, std::size_t... I>
struct pk_values<T, std::index_sequence<I...>> {
  using type = std::tuple<typename std::tuple_element_t<meta::model_traits<T>::primary_key::columns[I],
                                                        typename meta::model_traits<T>::columns>::scalar_type...>;
};
template <bool HasCursor, class T> struct cursor_pk_type { using type = std::tuple<>; };
template <class T> struct cursor_pk_type<true, T> { using type = typename pk_values<T>::type; };
template <class T, class F, sql::Dialect D, class Sink>
constexpr void render_cursor_row(Sink& s) {
  std::size_t p = 0;
  sql::select(
      s, D, {.where = true},
      [](auto& o) {
        constexpr auto names = cursor_pk_names<T>();
        for (std::size_t i = 0; i < names.size(); ++i) {
          if (i) o.append(", ");
          sql::quote_ident(o, names[i]);
        }
      },
      [](auto& o) { sql::table_name<T, D>(o); }, [](auto& o) { F::template render<D>(o, 1); }, sql::None{}, p);
}
template <class Cur, class Tuple, std::size_t... I>
void read_at(Cur& cur, int first, Tuple& t, std::index_sequence<I...>) {
  (cur.read(first + static_cast<int>(I), std::get<I>(t)), ...);
}

// SELECT <child columns>, <key> FROM <target> [JOIN <m:n table>] WHERE <key> IN (...)
// [AND (<where>)] ORDER BY <order_by, else the target's primary key>
template <class Spec, sql::Dialect D, class Sink>
constexpr void render_load(Sink& s) {
  using Tr = spec_traits<typename Spec::relation::model, Spec>;
  using Desc = typename Tr::Desc;
  using S = typename Tr::select_t;
  using T = typename Tr::target;
  std::size_t p = 0;  // no LIMIT: an include pages in memory, per parent
  sql::select(
      s, D, {.where = true, .order = true},
      [](auto& o) {
        qualified_columns<T, D>(o, static_cast<typename Tr::columns*>(nullptr));
        o.append(", ");
        key_expr<Desc, D>(o);
        if constexpr (S::has_cursor) {  // each row's primary key: which one is the cursor row
          using PK = typename meta::model_traits<T>::primary_key;
          for (std::size_t i = 0; i < PK::columns.size(); ++i) {
            o.append(", ");
            sql::table_name<T, D>(o);
            o.append('.');
            sql::quote_ident(o, cursor_pk_names<T>()[i]);
          }
        }
      },
      [](auto& o) { from_related<Desc, D>(o); },
      [](auto& o) {
        auto keys = [](auto& k) { key_in_list<Desc, D>(k); };
        if constexpr (S::has_where || S::has_cursor)
          sql::narrowed(o, keys, [](auto& w) {
            std::size_t at = 2;
            if constexpr (S::has_where) {
              using F = decltype(S::where_t::filter);
              F::template render<D>(w, at);
              at += F::params;
            }
            if constexpr (S::has_cursor) {  // the rows from the cursor row's place in the order
              if constexpr (S::has_where) w.append(" AND ");
              sql::detail::cursor_condition<T, typename S::order_t, decltype(S::cursor_t::filter), D, false>(w, at);
            }
          });
        else
          keys(o);
      },
      [](auto& o) {
        if constexpr (S::has_cursor) {
          using O = sql::detail::cursor_order<T, typename S::order_t>;
          for (std::size_t i = 0; i < O::columns.size; ++i) {
            if (i) o.append(", ");
            sql::order_column(o, D, O::columns.items[i].db_name, O::columns.items[i].descending, 0);
          }
        } else if constexpr (S::has_order) {
          static_assert(!sql::detail::order_binds<typename S::order_t>::value,
                        "prisma: an include's rows are not ordered by relevance");
          std::size_t none = 0;
          sql::detail::order_terms<D, false>(o, none, static_cast<decltype(S::order_t::terms)*>(nullptr));
        } else {
          using PK = typename meta::model_traits<T>::primary_key;
          [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((o.append(I ? ", " : ""),
              sql::order_term(
                  o, D,
                  [](auto& q) {
                    sql::table_name<T, D>(q);
                    q.append('.');
                    sql::quote_ident(q, sql::column_name<T, PK::columns[I]>());
                  },
                  false, 0)),
             ...);
          }(std::make_index_sequence<PK::columns.size()>{});
        }
      },
      p);
}

// SELECT <key>, COUNT(*) FROM <target> [JOIN ...] WHERE <key> IN (...) GROUP BY <key>
template <class Rel, sql::Dialect D, class Sink>
constexpr void render_count(Sink& s) {
  using Desc = typename Rel::descriptor;
  std::size_t p = 0;
  auto key = [](auto& o) { key_expr<Desc, D>(o); };
  sql::group_by(
      s, D, {.where = true}, [&](auto& o) {
        key(o);
        o.append(", COUNT(*)");
      }, [](auto& o) { from_related<Desc, D>(o); },
      [](auto& o) { key_in_list<Desc, D>(o); }, key, sql::None{}, sql::None{}, p);
}

template <class Col, class Rows>
auto parent_keys(const Rows& parents) {
  using K = typename Col::scalar_type;
  std::vector<K> keys;
  keys.reserve(parents.size());
  for (const auto& p : parents) {
    const auto& v = column_member<Col>(const_cast<typename Rows::value_type&>(p));
    if constexpr (requires { v.has_value(); }) {
      if (v) keys.push_back(*v);
    } else {
      keys.push_back(v);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

template <class Col, class Row>
std::optional<typename Col::scalar_type> parent_key(const Row& p) {
  const auto& v = column_member<Col>(const_cast<Row&>(p));
  if constexpr (requires { v.has_value(); }) {
    if (!v) return std::nullopt;
    return *v;
  } else {
    return v;
  }
}

template <sql::Dialect D, class Conn, class Rows, class... Specs>
void load_includes(Conn& conn, Rows& parents, const Include<Specs...>& inc);

template <sql::Dialect D, class Conn, class Rows, class Rel, class... Clauses>
void load_spec(Conn& conn, Rows& parents, const RelationQuery<Rel, Clauses...>& spec) {
  using Spec = RelationQuery<Rel, Clauses...>;
  using Tr = spec_traits<typename Rel::model, Spec>;
  using Desc = typename Tr::Desc;
  using Child = typename Tr::child;
  using LocalCol = local_column<Desc>;
  using K = typename LocalCol::scalar_type;
  static_assert(Desc::local.size() == 1,
                "prisma: include of a relation over a compound key is not supported yet");
  auto keys = parent_keys<LocalCol>(parents);
  std::vector<Child> children;
  std::vector<K> child_keys;
  // A cursor (as Prisma): each parent's related rows from the cursor row on, for the parent the
  // cursor row is related to; none for the others, nor when there is no such row.
  constexpr bool has_cursor = Tr::select_t::has_cursor;
  using PKV = typename cursor_pk_type<has_cursor, typename Tr::target>::type;
  std::optional<PKV> cursor_pk;
  std::vector<PKV> child_pks;
  if constexpr (has_cursor) {
    if (!keys.empty()) {
      using F = decltype(Tr::select_t::cursor_t::filter);
      static constexpr auto text = sql::build([](auto& s) { render_cursor_row<typename Tr::target, F, D>(s); });
      auto cur = conn.cursor(text.view());
      std::apply([&](const auto&... c) { (bind_cursor(cur, c, 1), ...); }, spec.clauses);
      if (cur.step()) {
        PKV v{};
        read_at(cur, 0, v, std::make_index_sequence<std::tuple_size_v<PKV>>{});
        cursor_pk = std::move(v);
      }
    }
    if (!cursor_pk) keys.clear();  // no cursor row: no related rows for anyone
  }
  if (!keys.empty()) {
    static constexpr auto text = sql::build([](auto& s) { render_load<Spec, D>(s); });
    auto cur = conn.cursor(text.view());
    cur.list(keys);
    std::apply([&](const auto&... c) { (bind_where(cur, c), ...); }, spec.clauses);
    std::apply([&](const auto&... c) { (bind_cursor(cur, c, Tr::select_t::cursor_repeats), ...); }, spec.clauses);
    constexpr int key_col = static_cast<int>(std::tuple_size_v<typename Tr::columns>);
    while (cur.step()) {
      children.push_back(read_row_as<Child, typename Tr::columns>(cur));
      K k{};
      cur.read(key_col, k);
      child_keys.push_back(std::move(k));
      if constexpr (has_cursor) {
        PKV v{};
        read_at(cur, key_col + 1, v, std::make_index_sequence<std::tuple_size_v<PKV>>{});
        child_pks.push_back(std::move(v));
      }
    }
  }
  // The next level, one query for all children of this level.
  std::apply([&](const auto&... c) {
    ([&](const auto& clause) {
      if constexpr (is_include<std::remove_cvref_t<decltype(clause)>>::value)
        if (!children.empty()) load_includes<D>(conn, children, include_of(clause));
    }(c), ...);
  }, spec.clauses);

  std::int64_t take_n = 0, skip_n = 0;
  bool has_take = false;
  std::apply([&](const auto&... c) {
    ([&](const auto& clause) {
      using C = std::remove_cvref_t<decltype(clause)>;
      if constexpr (std::is_same_v<C, Take>) { take_n = clause.n; has_take = true; }
      if constexpr (std::is_same_v<C, Skip>) skip_n = clause.n;
    }(c), ...);
  }, spec.clauses);

  std::map<K, std::vector<std::size_t>> by_key;
  for (std::size_t i = 0; i < children.size(); ++i) by_key[child_keys[i]].push_back(i);
  // Which children each parent gets (after its own skip/take), and how often each is used, so
  // that a child used once is moved rather than copied.
  std::vector<std::vector<std::size_t>> picks(parents.size());
  std::vector<std::size_t> uses(children.size(), 0);
  for (std::size_t p = 0; p < parents.size(); ++p) {
    auto k = parent_key<LocalCol>(parents[p]);
    if (!k) continue;
    auto it = by_key.find(*k);
    if (it == by_key.end()) continue;
    const std::vector<std::size_t>* rows_of = &it->second;
    std::vector<std::size_t> distinct_rows;
    if constexpr (Tr::select_t::has_distinct) {  // the first child of each combination, this parent's
      using DistinctT = typename Tr::select_t::distinct_t;
      using DK = decltype(distinct_key(children[0], static_cast<DistinctT*>(nullptr)));
      std::set<DK> seen;
      for (std::size_t i : it->second)
        if (seen.insert(distinct_key(children[i], static_cast<DistinctT*>(nullptr))).second) distinct_rows.push_back(i);
      rows_of = &distinct_rows;
    }
    const auto& all = *rows_of;
    if constexpr (has_cursor)  // the rows come from the cursor row's place on: it is this parent's first
      if (all.empty() || child_pks[all.front()] != *cursor_pk) continue;
    std::size_t n = all.size();
    std::size_t from = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(skip_n, 0)), n);
    std::size_t count = n - from;
    if (has_take) count = std::min<std::size_t>(count, static_cast<std::size_t>(take_n < 0 ? -take_n : take_n));
    std::size_t begin = has_take && take_n < 0 ? n - from - count : from;
    for (std::size_t i = begin; i < begin + count; ++i) {
      picks[p].push_back(all[i]);
      ++uses[all[i]];
    }
  }
  auto give = [&](std::size_t i) -> Child {
    if (--uses[i] == 0) return std::move(children[i]);
    return children[i];
  };
  for (std::size_t p = 0; p < parents.size(); ++p) {
    auto& member = static_cast<typename Tr::holder&>(parents[p]);
    auto& [value] = member;
    if constexpr (Desc::is_list) {
      value.clear();
      value.reserve(picks[p].size());
      for (std::size_t i : picks[p]) value.push_back(give(i));
    } else if constexpr (Desc::is_optional) {
      if (!picks[p].empty()) value = give(picks[p].front());
      else value.reset();
    } else {
      if (!picks[p].empty()) value = give(picks[p].front());
    }
  }
}

template <sql::Dialect D, class Conn, class Rows, class... Rels>
void load_spec(Conn& conn, Rows& parents, const CountOf<Rels...>&) {
  ([&] {
    using Desc = typename Rels::descriptor;
    using LocalCol = local_column<Desc>;
    using K = typename LocalCol::scalar_type;
    auto keys = parent_keys<LocalCol>(parents);
    std::map<K, std::int64_t> counts;
    if (!keys.empty()) {
      static constexpr auto text = sql::build([](auto& s) { render_count<Rels, D>(s); });
      auto cur = conn.cursor(text.view());
      cur.list(keys);
      while (cur.step()) {
        K k{};
        std::int64_t n = 0;
        cur.read(0, k);
        cur.read(1, n);
        counts[std::move(k)] = n;
      }
    }
    for (auto& p : parents) {
      auto& counted = static_cast<typename Desc::_count_holder&>(static_cast<CountHolder<Rels...>&>(p)._count);
      auto& [value] = counted;
      auto k = parent_key<LocalCol>(p);
      auto it = k ? counts.find(*k) : counts.end();
      value = it == counts.end() ? 0 : it->second;
    }
  }(), ...);
}

template <sql::Dialect D, class Conn, class Rows, class... Specs>
void load_includes(Conn& conn, Rows& parents, const Include<Specs...>& inc) {
  std::apply([&](const auto&... spec) { (load_spec<D>(conn, parents, spec), ...); }, inc.specs);
}

}  // namespace detail
}  // namespace prisma
