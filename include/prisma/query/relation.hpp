// Relations: the handle (`user::posts`), relation filters (some / every / none / is / is_not,
// rendered as EXISTS subqueries), ordering by a to-one relation's field or a to-many relation's
// count, and include specs (`include(user::posts.where(...).order_by(...).take(5).include(...))`).
#pragma once
#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "prisma/query/clauses.hpp"
#include "prisma/query/unique.hpp"
#include "prisma/sql/names.hpp"

namespace prisma {

namespace detail {

// A filter that is always true (none() without a filter).
struct NoFilter {
  static constexpr bool is_filter = true;
  using model = meta::AnyModel;
  static constexpr std::size_t params = 0;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink&, std::size_t) {}
  template <class B>
  void bind(B&) const {}
};

// `FROM <target> AS "r<d>" WHERE <target key> = <outer key>` (or through the m:n join table),
// the part every relation subquery shares (sql::related_from), the target named "r<Depth + 1>"; the outer table is named as the
// enclosing query names it at Depth.
template <class Desc, sql::Dialect D, int Depth, class Sink>
constexpr void relation_from(Sink& s) {
  using M = typename Desc::model;
  using T = typename Desc::target;
  constexpr auto keys = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<std::array<std::string_view, 2>, sizeof...(I)>{
        {{sql::column_name<T, meta::remote_of<Desc>[I]>(), sql::column_name<M, Desc::local[I]>()}...}};
  }(std::make_index_sequence<Desc::local.size()>{});
  sql::related_from(
      s, D, {sql::table_of<T>(), {Desc::join_schema, Desc::join_table}, Desc::join_remote, Desc::join_local},
      [](auto& o) { sql::scope_name<T, D, Depth + 1>(o); },
      [](auto& o) {
        o.append("\"j");
        sql::append_number(o, std::size_t{Depth + 1});
        o.append('"');
      },
      [](auto& o) { sql::scope_name<M, D, Depth>(o); }, keys.size(), [&](std::size_t i) { return keys[i][0]; },
      [&](std::size_t i) { return keys[i][1]; });
}

}  // namespace detail

enum class RelationFilterKind { Some, Every, None, Is, IsNot };

// EXISTS / NOT EXISTS (SELECT 1 FROM <related rows> [AND <filter>]).
template <class Desc, RelationFilterKind K, class F>
struct RelationFilter {
  static constexpr bool is_filter = true;
  using model = typename Desc::model;
  static constexpr std::size_t params = F::params;
  F inner;

  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    constexpr bool negated = K == RelationFilterKind::Every || K == RelationFilterKind::None ||
                             K == RelationFilterKind::IsNot;
    sql::exists(
        s, negated, [](auto& o) { detail::relation_from<Desc, D, Depth>(o); }, !std::is_same_v<F, detail::NoFilter>,
        K == RelationFilterKind::Every, [first](auto& o) { F::template render<D, Depth + 1>(o, first); });
  }
  template <class B>
  void bind(B& b) const { inner.bind(b); }
};

// The count of a to-many relation, for ordering: (SELECT COUNT(*) FROM <related rows>).
template <class Desc, bool Descending>
struct RelationCountOrder {
  static constexpr bool is_relation_order = true;
  using model = typename Desc::model;
  template <sql::Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s) {
    sql::order_term(
        s, D,
        [](auto& o) { sql::related_value(o, sql::Piece{"COUNT(*)"}, [](auto& r) { detail::relation_from<Desc, D, 0>(r); }); },
        Descending != Reversed, 0);
  }
};

// A field of a to-one relation, for ordering: (SELECT <field> FROM <related row>).
template <class Desc, class Col, bool Descending>
struct RelationFieldOrder {
  static constexpr bool is_relation_order = true;
  using model = typename Desc::model;
  template <sql::Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s) {
    sql::order_term(
        s, D,
        [](auto& o) {
          sql::related_value(
              o,
              [](auto& l) {
                sql::scope_name<typename Desc::target, D, 1>(l);
                l.append('.');
                sql::quote_ident(l, Col::db_name);
              },
              [](auto& r) { detail::relation_from<Desc, D, 0>(r); });
        },
        Descending != Reversed, 0);
  }
};

template <class Desc, class Col>
struct RelationField {
  constexpr RelationFieldOrder<Desc, Col, false> asc() const { return {}; }
  constexpr RelationFieldOrder<Desc, Col, true> desc() const { return {}; }
};
template <class Desc>
struct RelationCount {
  constexpr RelationCountOrder<Desc, false> asc() const { return {}; }
  constexpr RelationCountOrder<Desc, true> desc() const { return {}; }
};

template <class Rel, class... Clauses>
struct RelationQuery;

// `user::posts`: a handle on one relation field. Desc holds `model`, `target`, `name`,
// `relation_name`, `kind`, `is_list`, `is_optional`, the key columns that join the two tables
// (`local` in model, `remote` in target), `owns_foreign_key`, for implicit m:n the join table with
// the column that points at `model` (`join_local`) and at `target` (`join_remote`), and the
// `_holder<T>` / `_count_holder` members include() adds to a row.
template <class Desc>
struct Relation {
  using descriptor = Desc;
  using model = typename Desc::model;
  using target = typename Desc::target;
  static constexpr std::string_view name = Desc::name;
  static constexpr bool is_list = Desc::is_list;
  static constexpr bool is_optional = Desc::is_optional;

  // ---- relation filters ----
  template <Filter F>
  constexpr auto some(F f) const {
    static_assert(is_list, "prisma: some() applies to list relations; use is() on a to-one relation");
    check_target<F>();
    return RelationFilter<Desc, RelationFilterKind::Some, F>{std::move(f)};
  }
  template <Filter F>
  constexpr auto every(F f) const {
    static_assert(is_list, "prisma: every() applies to list relations; use is() on a to-one relation");
    check_target<F>();
    return RelationFilter<Desc, RelationFilterKind::Every, F>{std::move(f)};
  }
  template <Filter F>
  constexpr auto none(F f) const {
    static_assert(is_list, "prisma: none() applies to list relations; use is_not() on a to-one relation");
    check_target<F>();
    return RelationFilter<Desc, RelationFilterKind::None, F>{std::move(f)};
  }
  // No related row at all.
  constexpr auto none() const {
    static_assert(is_list, "prisma: none() applies to list relations; use is_null() on a to-one relation");
    return RelationFilter<Desc, RelationFilterKind::None, detail::NoFilter>{};
  }
  template <Filter F>
  constexpr auto is(F f) const {
    static_assert(!is_list, "prisma: is() applies to to-one relations; use some() on a list relation");
    check_target<F>();
    return RelationFilter<Desc, RelationFilterKind::Is, F>{std::move(f)};
  }
  template <Filter F>
  constexpr auto is_not(F f) const {
    static_assert(!is_list, "prisma: is_not() applies to to-one relations; use none() on a list relation");
    check_target<F>();
    return RelationFilter<Desc, RelationFilterKind::IsNot, F>{std::move(f)};
  }
  // An optional to-one relation with no related row / with one.
  constexpr auto is_null() const {
    static_assert(!is_list && is_optional, "prisma: is_null() applies to optional to-one relations");
    return RelationFilter<Desc, RelationFilterKind::IsNot, detail::NoFilter>{};
  }
  constexpr auto is_not_null() const {
    static_assert(!is_list && is_optional, "prisma: is_not_null() applies to optional to-one relations");
    return RelationFilter<Desc, RelationFilterKind::Is, detail::NoFilter>{};
  }

  // ---- ordering by a relation ----
  // order_by(post::author.field(user::name).asc())
  template <class CD>
  constexpr RelationField<Desc, Column<CD>> field(Column<CD>) const {
    static_assert(!is_list, "prisma: order by a field applies to to-one relations; order a list by count()");
    static_assert(std::is_same_v<typename Column<CD>::model, target>, "prisma: the field belongs to another model than the relation's");
    return {};
  }
  // order_by(user::posts.count().desc())
  constexpr RelationCount<Desc> count() const {
    static_assert(is_list, "prisma: count() ordering applies to list relations");
    return {};
  }

  // ---- include arguments: user::posts.where(...).order_by(...).skip(n).take(n).include(...) ----
  template <class... A> constexpr auto where(A... a) const { return RelationQuery<Relation>{}.where(a...); }
  template <class... A> constexpr auto order_by(A... a) const { return RelationQuery<Relation>{}.order_by(a...); }
  constexpr auto take(std::int64_t n) const { return RelationQuery<Relation>{}.take(n); }
  constexpr auto skip(std::int64_t n) const { return RelationQuery<Relation>{}.skip(n); }
  template <class... A> constexpr auto include(A... a) const { return RelationQuery<Relation>{}.include(a...); }
  template <class... A> constexpr auto select(A... a) const { return RelationQuery<Relation>{}.select(a...); }
  template <class... A> constexpr auto omit(A... a) const { return RelationQuery<Relation>{}.omit(a...); }
  template <class F> constexpr auto cursor(F f) const { return RelationQuery<Relation>{}.cursor(std::move(f)); }
  template <class... C> constexpr auto distinct(C... c) const { return RelationQuery<Relation>{}.distinct(c...); }

 private:
  template <class F>
  static constexpr void check_target() {
    static_assert(std::is_same_v<typename F::model, target> || std::is_same_v<typename F::model, meta::AnyModel>,
                  "prisma: the relation filter's condition is on another model than the relation's target");
  }
};

template <class T> struct is_relation : std::false_type {};
template <class D> struct is_relation<Relation<D>> : std::true_type {};

template <class T> struct is_relation_query;
template <class... Specs> struct Include;

// select(user::email, user::posts, user::profile.select(profile::bio), count_of(user::posts)):
// Prisma's select of scalars and relations at one level. The row has the selected fields, the
// keys the relations are loaded by, and one member per relation.
template <class Sel, class Inc>
struct SelectWith {
  static constexpr bool is_clause = true;
  static constexpr bool is_include_clause = true;
  using selection = Sel;
  using include_type = Inc;
  using key_descriptors = typename Inc::key_descriptors;
  Inc include;
};

namespace detail {
template <class S>
constexpr bool is_relation_spec = is_relation<S>::value || is_relation_query<S>::value || requires { S::is_count_spec; };
template <class C>
constexpr auto scalar_part(C c) {
  if constexpr (is_column<C>::value) return std::tuple<C>{c};
  else return std::tuple<>{};
}
template <class C>
constexpr auto relation_part(C c) {
  if constexpr (is_relation_spec<C>) return std::tuple{as_spec(c)};
  else return std::tuple<>{};
}
}  // namespace detail

template <class... C>
  requires(detail::is_relation_spec<C> || ...)
constexpr auto select(C... c) {
  static_assert(((is_column<C>::value || detail::is_relation_spec<C>) && ...),
                "prisma: select takes fields (user::id), relations (user::posts, with their own arguments) and "
                "count_of(...)");
  using Sel = decltype(std::apply([](auto... s) { return Selection<decltype(s)...>{}; },
                                  std::tuple_cat(detail::scalar_part(c)...)));
  auto inc = std::apply([](auto... r) { return Include<decltype(r)...>{{r...}}; }, std::tuple_cat(detail::relation_part(c)...));
  return SelectWith<Sel, decltype(inc)>{std::move(inc)};
}

// include(...) of a relation with its own clauses; `Clauses` are where / order_by / take / skip
// / select / omit and a nested Include.
template <class Rel, class... Clauses>
struct RelationQuery {
  using relation = Rel;
  using key_descriptors = std::tuple<typename Rel::descriptor>;  // whose parent-side key the load needs
  std::tuple<Clauses...> clauses;

  template <class C>
  constexpr auto with(C c) const {
    return std::apply([&](const auto&... cs) { return RelationQuery<Rel, Clauses..., C>{{cs..., c}}; }, clauses);
  }
  template <class F>
  constexpr auto where(F f) const {
    static_assert(Filter<F>, "prisma: where() takes a filter");
    static_assert(std::is_same_v<typename F::model, typename Rel::target> || std::is_same_v<typename F::model, meta::AnyModel>,
                  "prisma: the include's where() is on another model than the relation's target");
    return with(prisma::where(std::move(f)));
  }
  template <class... T> constexpr auto order_by(T... t) const { return with(prisma::order_by(t...)); }
  constexpr auto take(std::int64_t n) const { return with(prisma::take(n)); }
  constexpr auto skip(std::int64_t n) const { return with(prisma::skip(n)); }
  template <class... C> constexpr auto select(C... c) const { return with(prisma::select(c...)); }
  template <class... C> constexpr auto omit(C... c) const { return with(prisma::omit(c...)); }
  template <class... Specs> constexpr auto include(Specs... specs) const;
  // The related rows of each parent from the cursor row's place in their order (a unique
  // criterion on the target), and the first of each distinct combination of fields.
  template <class F>
  constexpr auto cursor(F f) const {
    static_assert(Filter<F> && std::is_same_v<typename F::model, typename Rel::target>,
                  "prisma: the include's cursor() is a unique criterion on the relation's target");
    static_assert(detail::is_unique_filter<typename Rel::target, F>::value,
                  "prisma: cursor() needs a unique criterion (== on the id or on a @unique field)");
    return with(prisma::cursor(std::move(f)));
  }
  template <class... C>
  constexpr auto distinct(C... c) const {
    static_assert(((std::is_same_v<typename C::model, typename Rel::target>) && ...),
                  "prisma: the include's distinct() names fields of the relation's target");
    return with(prisma::distinct(c...));
  }
};

// `_count` of relations in an include: include(count_of(user::posts, user::comments)) adds
// `row._count.posts`.
template <class... Rels>
struct CountOf {
  static constexpr bool is_count_spec = true;
  using key_descriptors = std::tuple<typename Rels::descriptor...>;
};
template <class... D>
constexpr CountOf<Relation<D>...> count_of(Relation<D>...) {
  static_assert((Relation<D>::is_list && ...), "prisma: count_of() counts list relations");
  return {};
}

template <class T> struct is_relation_query : std::false_type {};
template <class R, class... C> struct is_relation_query<RelationQuery<R, C...>> : std::true_type {};

template <class S>
constexpr auto as_spec(S s) {
  if constexpr (is_relation<S>::value) return RelationQuery<S>{};
  else return s;
}

// include(user::posts, post::author, count_of(user::posts), ...): the relations to load with
// the rows, each one query per level.
template <class... Specs>
struct Include {
  static constexpr bool is_clause = true;
  static constexpr bool is_include_clause = true;
  using key_descriptors = decltype(std::tuple_cat(std::declval<typename Specs::key_descriptors>()...));
  std::tuple<Specs...> specs;
};
template <class... S>
constexpr auto include(S... s) {
  static_assert(sizeof...(S) > 0, "prisma: include needs at least one relation");
  static_assert(((is_relation<S>::value || is_relation_query<S>::value || requires { S::is_count_spec; }) && ...),
                "prisma: include takes relations (user::posts), their queries (user::posts.take(5)) or count_of(...)");
  return Include<decltype(as_spec(s))...>{{as_spec(s)...}};
}

template <class Rel, class... Clauses>
template <class... Specs>
constexpr auto RelationQuery<Rel, Clauses...>::include(Specs... specs) const {
  return with(prisma::include(specs...));
}

}  // namespace prisma
