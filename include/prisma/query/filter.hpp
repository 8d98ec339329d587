// The filter DSL: `user::email == "a@x.io"`, `user::age >= 18 && user::name.starts_with("A")`,
// `!user::name.is_null()`. Every node knows its SQL shape at compile time (render) and binds its
// values at run time (bind); a value of the wrong type fails at the user's call with a message.
#pragma once
#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "prisma/core/json.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/sql/dialect.hpp"
#include "prisma/sql/filters.hpp"

namespace prisma {

template <class Desc>
struct Column;

namespace detail {

// Which C++ values may stand for a column's scalar type in a filter or a write.
template <class Scalar, class V>
constexpr bool value_fits() {
  using U = std::remove_cvref_t<V>;
  if constexpr (std::is_same_v<Scalar, std::string>)
    return std::is_convertible_v<U, std::string_view> && !std::is_same_v<U, std::nullptr_t>;
  else if constexpr (std::is_same_v<Scalar, bool>)
    return std::is_same_v<U, bool>;
  else if constexpr (std::is_integral_v<Scalar>)
    return std::is_integral_v<U> && !std::is_same_v<U, bool>;
  else if constexpr (std::is_floating_point_v<Scalar>)
    return std::is_arithmetic_v<U> && !std::is_same_v<U, bool>;
  else if constexpr (std::is_same_v<Scalar, Decimal>)
    return std::is_same_v<U, Decimal> || std::is_integral_v<U> || std::is_convertible_v<U, const char*>;
  else if constexpr (std::is_same_v<Scalar, DateTime>)  // or a std::chrono::sys_time (system_clock)
    return std::is_same_v<U, DateTime> || requires { std::chrono::sys_time<typename U::duration>(std::declval<U>()); };
  else
    return std::is_same_v<U, Scalar>;
}

// The value a filter keeps: the column's scalar type (strings copied once, no views kept).
template <class Scalar, class V>
Scalar to_scalar(V&& v) {
  if constexpr (std::is_same_v<Scalar, std::string>) return std::string(std::string_view(v));
  else if constexpr (std::is_same_v<Scalar, Decimal>) return Decimal(v);
  else return static_cast<Scalar>(v);
}

enum class CmpOp { Eq, Ne, Lt, Le, Gt, Ge, Like, ILike, IsNull, IsNotNull, In, NotIn };

// The comparison a CmpOp renders as (sql/filters.hpp).
constexpr sql::Cmp cmp_of(CmpOp op) {
  switch (op) {
    case CmpOp::Ne: return sql::Cmp::Ne;
    case CmpOp::Lt: return sql::Cmp::Lt;
    case CmpOp::Le: return sql::Cmp::Le;
    case CmpOp::Gt: return sql::Cmp::Gt;
    case CmpOp::Ge: return sql::Cmp::Ge;
    default: return sql::Cmp::Eq;
  }
}

// A part that appends column Col's quoted name.
template <class Col>
struct ColumnPart {
  template <class Sink>
  constexpr void operator()(Sink& s) const { sql::quote_ident(s, Col::db_name); }
};
// A part that appends the n-th placeholder.
template <sql::Dialect D>
struct ParamPart {
  std::size_t n;
  template <class Sink>
  constexpr void operator()(Sink& s) const { sql::placeholder(s, D, n); }
};


// The LIKE pattern of contains / starts_with / ends_with: the text itself with `\`, `%` and `_`
// escaped by a backslash (rendered with ESCAPE '\'), between the wildcards the operation adds.
// Prisma 7 leaves % and _ as wildcards (contains("%") matches everything: prisma/orm#23611);
// prisma-cpp matches the literal text.
inline std::string like_pattern(std::string_view text, bool any_before, bool any_after) {
  std::string out;
  out.reserve(text.size() + 2);
  if (any_before) out += '%';
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  if (any_after) out += '%';
  return out;
}

}  // namespace detail

template <class T>
concept Filter = requires { T::is_filter; };

// column <op> value
template <class Col, detail::CmpOp Op, class Scalar>
struct Compare {
  static constexpr bool is_filter = true;
  using model = typename Col::model;
  static constexpr std::size_t params = 1;
  Scalar value;

  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    // contains / starts_with / ends_with escape the value's own % and _ with a backslash
    // (detail::like_pattern): they match the text literally on both backends.
    if constexpr (Op == detail::CmpOp::Like || Op == detail::CmpOp::ILike) {
      sql::quote_ident(s, Col::db_name);
      sql::like(s, D, Op == detail::CmpOp::ILike, first);
    } else {
      sql::compare(s, detail::ColumnPart<Col>{}, detail::cmp_of(Op), detail::ParamPart<D>{first});
    }
  }
  template <class B>
  void bind(B& b) const { b(value); }
};

// Full-text search (PostgreSQL, Prisma's `search`): the column's text matches the tsquery.
template <class Col>
struct Search {
  static constexpr bool is_filter = true;
  using model = typename Col::model;
  static constexpr std::size_t params = 1;
  std::string value;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    static_assert(D == sql::Dialect::Postgresql,
                  "prisma: full-text search (search) is PostgreSQL's; Prisma has none on SQLite");
    sql::text_search(s, 1, [](auto& o, std::size_t) { detail::ColumnPart<Col>{}(o); }, detail::ParamPart<D>{first});
  }
  template <class B>
  void bind(B& b) const { b(value); }
};

// LOWER(column) = LOWER(value): equals with mode::insensitive (as Prisma renders it).
template <class Col>
struct LowerEquals {
  static constexpr bool is_filter = true;
  using model = typename Col::model;
  static constexpr std::size_t params = 1;
  std::string value;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    sql::compare(
        s, [](auto& o) { sql::lower(o, detail::ColumnPart<Col>{}); }, sql::Cmp::Eq,
        [first](auto& o) { sql::lower(o, detail::ParamPart<D>{first}); });
  }
  template <class B>
  void bind(B& b) const { b(value); }
};

enum class ListOp { Has, HasSome, HasEvery, IsEmpty, Equals };

// Filters on scalar lists (PostgreSQL arrays): has, has_some, has_every, is_empty, equals.
template <class Col, ListOp Op, class Value>
struct ListFilter {
  static constexpr bool is_filter = true;
  using model = typename Col::model;
  static constexpr std::size_t params = Op == ListOp::IsEmpty ? 0 : 1;
  Value value;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    static_assert(D == sql::Dialect::Postgresql, "prisma: scalar lists exist on PostgreSQL only");
    if constexpr (Op == ListOp::Has) {
      sql::list_has(s, detail::ColumnPart<Col>{}, detail::ParamPart<D>{first});
    } else if constexpr (Op == ListOp::IsEmpty) {
      sql::list_is_empty(s, detail::ColumnPart<Col>{});
    } else {
      constexpr auto op = Op == ListOp::HasSome    ? sql::ListCmp::HasSome
                          : Op == ListOp::HasEvery ? sql::ListCmp::HasEvery
                                                   : sql::ListCmp::Equals;
      sql::list_compare(s, detail::ColumnPart<Col>{}, op, detail::ParamPart<D>{first});
    }
  }
  template <class B>
  void bind(B& b) const {
    if constexpr (Op != ListOp::IsEmpty) b(value);
  }
};

namespace mode {
// `user::email.equals("ADA@X.IO", mode::insensitive)`, `.contains("ada", mode::insensitive)`.
struct Insensitive {};
inline constexpr Insensitive insensitive{};
}  // namespace mode

// column IS [NOT] NULL
template <class Col, bool Null>
struct NullTest {
  static constexpr bool is_filter = true;
  using model = typename Col::model;
  static constexpr std::size_t params = 0;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t) {
    sql::null_test(s, detail::ColumnPart<Col>{}, Null);
  }
  template <class B>
  void bind(B&) const {}
};

// column [NOT] IN (list): one bound parameter for the whole list, so the SQL stays static
// (sql::in_list has the dialects' forms).
template <class Col, bool Negated, class Scalar>
struct InList {
  static constexpr bool is_filter = true;
  using model = typename Col::model;
  static constexpr std::size_t params = 1;
  std::vector<Scalar> values;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    sql::quote_ident(s, Col::db_name);
    sql::in_list(s, D, Negated, first);
  }
  template <class B>
  void bind(B& b) const { b.list(values); }
};

template <Filter L, Filter R, bool IsAnd>
struct Junction {
  static constexpr bool is_filter = true;
  using model = std::conditional_t<std::is_same_v<typename L::model, meta::AnyModel>,
                                   typename R::model, typename L::model>;
  static_assert(std::is_same_v<typename L::model, typename R::model> ||
                    std::is_same_v<typename L::model, meta::AnyModel> ||
                    std::is_same_v<typename R::model, meta::AnyModel>,
                "prisma: && and || combine filters on the same model only");
  static constexpr std::size_t params = L::params + R::params;
  L left;
  R right;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    sql::junction(s, IsAnd, 2, false, [first](auto& o, std::size_t i) {
      if (i == 0) L::template render<D, Depth>(o, first);
      else R::template render<D, Depth>(o, first + L::params);
    });
  }
  template <class B>
  void bind(B& b) const {
    left.bind(b);
    right.bind(b);
  }
};

template <Filter F>
struct Negation {
  static constexpr bool is_filter = true;
  using model = typename F::model;
  static constexpr std::size_t params = F::params;
  F inner;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    sql::negation(s, [first](auto& o) { F::template render<D, Depth>(o, first); });
  }
  template <class B>
  void bind(B& b) const { inner.bind(b); }
};

template <Filter L, Filter R>
constexpr Junction<L, R, true> operator&&(L l, R r) { return {std::move(l), std::move(r)}; }
template <Filter L, Filter R>
constexpr Junction<L, R, false> operator||(L l, R r) { return {std::move(l), std::move(r)}; }
template <Filter F>
constexpr Negation<F> operator!(F f) { return {std::move(f)}; }

// ---- comparisons on a column handle ------------------------------------------------------

namespace detail {
template <class T> struct is_column : std::false_type {};
// Prisma's null kinds of a Json field (core/json.hpp): query/json_filter.hpp's own == and !=.
template <class V>
constexpr bool is_json_null = std::is_same_v<std::remove_cvref_t<V>, DbNullT> ||
                              std::is_same_v<std::remove_cvref_t<V>, JsonNullT> ||
                              std::is_same_v<std::remove_cvref_t<V>, AnyNullT>;
template <class D> struct is_column<Column<D>> : std::true_type {};
}  // namespace detail

// column <op> column of the same row (Prisma's field references: `where(product::stock <
// product::minStock)`, `{ stock: { lt: prisma.product.fields.minStock } }`): both of one model and
// of one type, nothing bound.
template <class L, detail::CmpOp Op, class R>
struct FieldCompare {
  static constexpr bool is_filter = true;
  using model = typename L::model;
  static constexpr std::size_t params = 0;
  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t) {
    sql::compare(s, detail::ColumnPart<L>{}, detail::cmp_of(Op), detail::ColumnPart<R>{});
  }
  template <class B>
  void bind(B&) const {}
};

#define PRISMA_DETAIL_COMPARE(OPERATOR, OP)                                                        \
  template <class Desc, class Desc2>                                                               \
  auto operator OPERATOR(Column<Desc>, Column<Desc2>) {                                            \
    using L = Column<Desc>;                                                                        \
    using R = Column<Desc2>;                                                                       \
    static_assert(std::is_same_v<typename L::model, typename R::model>,                           \
                  "prisma: a field reference compares two fields of the same model");            \
    static_assert(std::is_same_v<typename L::scalar_type, typename R::scalar_type> &&             \
                      L::is_list == R::is_list,                                                    \
                  "prisma: a field reference compares two fields of the same type");             \
    static_assert(!L::is_list, "prisma: list fields are not compared with a field reference");   \
    return FieldCompare<L, detail::CmpOp::OP, R>{};                                                \
  }                                                                                                \
  template <class Desc, class V>                                                                   \
    requires(!detail::is_column<std::remove_cvref_t<V>>::value && !detail::is_json_null<V>)       \
  auto operator OPERATOR(Column<Desc>, V&& v) {                                                    \
    using C = Column<Desc>;                                                                        \
    static_assert(!C::is_list, "prisma: a list column is filtered with has/has_some/has_every"); \
    static_assert(detail::value_fits<typename C::scalar_type, V>(),                                \
                  "prisma: the value compared with this column does not have the column's type"); \
    using S = typename C::scalar_type;                                                             \
    return Compare<C, detail::CmpOp::OP, S>{detail::to_scalar<S>(std::forward<V>(v))};             \
  }
PRISMA_DETAIL_COMPARE(==, Eq)
PRISMA_DETAIL_COMPARE(!=, Ne)
PRISMA_DETAIL_COMPARE(<, Lt)
PRISMA_DETAIL_COMPARE(<=, Le)
PRISMA_DETAIL_COMPARE(>, Gt)
PRISMA_DETAIL_COMPARE(>=, Ge)
#undef PRISMA_DETAIL_COMPARE

}  // namespace prisma
