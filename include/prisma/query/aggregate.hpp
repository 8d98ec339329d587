// Aggregates and grouping: count(), count(col), sum, avg, min, max; by(...) and having(...) for
// group_by. Each aggregate knows its SQL and its C++ result type at compile time:
//   count(), count(col)      std::int64_t
//   avg(col)                 std::optional<double> (std::optional<Decimal> on Decimal fields)
//   sum(col)                 std::optional<std::int64_t> on Int/BigInt, else the field's type
//   min(col), max(col)       std::optional<the field's type>
// (null when no row is aggregated, as Prisma's `_sum: null`).
#pragma once
#include <cstdint>
#include <optional>
#include <type_traits>

#include "prisma/query/clauses.hpp"

namespace prisma {

enum class AggFn { Count, CountColumn, Sum, Avg, Min, Max };

namespace detail {

template <AggFn Fn, class Col>
struct agg_result {
  using scalar = typename Col::scalar_type;
  using type = std::conditional_t<
      Fn == AggFn::Avg,
      std::optional<std::conditional_t<std::is_same_v<scalar, Decimal>, Decimal, double>>,
      std::conditional_t<Fn == AggFn::Sum && std::is_integral_v<scalar>, std::optional<std::int64_t>,
                         std::optional<scalar>>>;
};
template <class Col> struct agg_model { using type = typename Col::model; };
template <> struct agg_model<void> { using type = meta::AnyModel; };

template <class Col>
struct agg_result<AggFn::Count, Col> { using type = std::int64_t; };
template <class Col>
struct agg_result<AggFn::CountColumn, Col> { using type = std::int64_t; };

constexpr std::string_view agg_sql(AggFn f) {
  switch (f) {
    case AggFn::Count:
    case AggFn::CountColumn: return "COUNT(";
    case AggFn::Sum: return "SUM(";
    case AggFn::Avg: return "AVG(";
    case AggFn::Min: return "MIN(";
    case AggFn::Max: return "MAX(";
  }
  return "";
}

}  // namespace detail

template <class A, bool Descending>
struct AggregateOrderTerm {
  static constexpr bool is_aggregate_order = true;
  using model = typename A::model;
  template <sql::Dialect D, bool Reversed, class Sink>
  static constexpr void render(Sink& s) {
    A::template render<D>(s);
    s.append(Descending != Reversed ? " DESC" : " ASC");
  }
};

// One aggregate. Col is void for count().
template <AggFn Fn, class Col = void>
struct Aggregate {
  static constexpr bool is_aggregate = true;
  static constexpr AggFn fn = Fn;
  using column = Col;
  using model = typename detail::agg_model<Col>::type;
  using result = typename detail::agg_result<Fn, std::conditional_t<std::is_void_v<Col>, Aggregate, Col>>::type;
  using value_type = meta::unwrap_t<result>;  // what having() compares with

  template <sql::Dialect D, class Sink>
  static constexpr void render(Sink& s) {
    s.append(detail::agg_sql(Fn));
    if constexpr (std::is_void_v<Col>) {
      s.append('*');
    } else {
      sql::quote_ident(s, Col::db_name);
    }
    s.append(')');
  }
  constexpr AggregateOrderTerm<Aggregate, false> asc() const { return {}; }
  constexpr AggregateOrderTerm<Aggregate, true> desc() const { return {}; }
};

template <class T>
concept AggregateExpr = requires { T::is_aggregate; };

constexpr Aggregate<AggFn::Count> count() { return {}; }
template <class D>
constexpr Aggregate<AggFn::CountColumn, Column<D>> count(Column<D>) {
  static_assert(!Column<D>::is_list, "prisma: count(field) takes a scalar field");
  return {};
}

namespace detail {
template <class Col>
constexpr bool numeric_column() {
  using S = typename Col::scalar_type;
  return (std::is_arithmetic_v<S> && !std::is_same_v<S, bool>) || std::is_same_v<S, Decimal>;
}
template <class Col>
constexpr bool ordered_column() {
  constexpr auto k = Col::descriptor::kind;
  return !Col::is_list && k != meta::ScalarKind::Json && k != meta::ScalarKind::Bytes;
}
}  // namespace detail

template <class D>
constexpr Aggregate<AggFn::Sum, Column<D>> sum(Column<D>) {
  static_assert(detail::numeric_column<Column<D>>(), "prisma: sum() applies to Int, BigInt, Float and Decimal fields");
  return {};
}
template <class D>
constexpr Aggregate<AggFn::Avg, Column<D>> avg(Column<D>) {
  static_assert(detail::numeric_column<Column<D>>(), "prisma: avg() applies to Int, BigInt, Float and Decimal fields");
  return {};
}
template <class D>
constexpr Aggregate<AggFn::Min, Column<D>> min(Column<D>) {
  static_assert(detail::ordered_column<Column<D>>(), "prisma: min() does not apply to Json, Bytes or list fields");
  return {};
}
template <class D>
constexpr Aggregate<AggFn::Max, Column<D>> max(Column<D>) {
  static_assert(detail::ordered_column<Column<D>>(), "prisma: max() does not apply to Json, Bytes or list fields");
  return {};
}

// <aggregate> <op> value, for having(...).
template <class A, detail::CmpOp Op>
struct AggregateCompare {
  static constexpr bool is_filter = true;
  using model = typename A::model;
  static constexpr std::size_t params = 1;
  typename A::value_type value;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    sql::compare(s, [](auto& o) { A::template render<D>(o); }, detail::cmp_of(Op), detail::ParamPart<D>{first});
  }
  template <class B>
  void bind(B& b) const { b(value); }
};

#define PRISMA_DETAIL_AGG_COMPARE(OPERATOR, OP)                                                    \
  template <AggFn Fn, class C, class V>                                                            \
  auto operator OPERATOR(Aggregate<Fn, C>, V&& v) {                                                \
    using A = Aggregate<Fn, C>;                                                                    \
    static_assert(detail::value_fits<typename A::value_type, V>(),                                 \
                  "prisma: the value compared with this aggregate does not have its type");       \
    return AggregateCompare<A, detail::CmpOp::OP>{                                                 \
        detail::to_scalar<typename A::value_type>(std::forward<V>(v))};                            \
  }
PRISMA_DETAIL_AGG_COMPARE(==, Eq)
PRISMA_DETAIL_AGG_COMPARE(!=, Ne)
PRISMA_DETAIL_AGG_COMPARE(<, Lt)
PRISMA_DETAIL_AGG_COMPARE(<=, Le)
PRISMA_DETAIL_AGG_COMPARE(>, Gt)
PRISMA_DETAIL_AGG_COMPARE(>=, Ge)
#undef PRISMA_DETAIL_AGG_COMPARE

// group_by's fields: by(post::authorId, post::published).
template <class... Cols>
struct By {
  static constexpr bool is_clause = true;
};
template <class... C>
constexpr auto by(C...) {
  static_assert(sizeof...(C) > 0, "prisma: by() needs at least one field");
  static_assert((is_column<C>::value && ...), "prisma: by() takes scalar fields (post::authorId)");
  return By<C...>{};
}

// having(count() > 5 && avg(post::views) >= 10.0): a filter on the groups.
template <Filter F>
struct Having {
  static constexpr bool is_clause = true;
  F filter;
};
template <class F>
constexpr auto having(F f) {
  static_assert(Filter<F>, "prisma: having() takes a filter on aggregates or by() fields, such as count() > 5");
  return Having<F>{std::move(f)};
}

}  // namespace prisma
