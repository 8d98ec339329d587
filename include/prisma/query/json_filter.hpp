// Json filters (Prisma's Json filtering): on a Json column, or on the value at a path in it
// (`doc::meta.path({"pet", "name"})`, PostgreSQL's `path: ['pet', 'name']`, SQLite's
// `path: '$.pet.name'`: one C++ form for both), equals / not / lt / lte / gt / gte,
// string_contains / string_starts_with / string_ends_with (mode::insensitive), array_contains
// (PostgreSQL, as Prisma), array_starts_with / array_ends_with, and the nulls: `== prisma::DbNull`
// (SQL NULL, or nothing at the path), `== prisma::JsonNull` (the JSON null), `== prisma::AnyNull`.
// The SQL is sql/filters.hpp's json_* shapes, the same the run-time engine renders; the path is
// one bound parameter (its text is the same for every path), so the statement stays a constant.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prisma/core/json.hpp"
#include "prisma/query/column.hpp"
#include "prisma/sql/filters.hpp"

namespace prisma {

namespace detail {
enum class JsonOp { Compare, Null, Like, ArrayContains, ArrayFirst, ArrayLast };
}  // namespace detail

// One Json filter. Parameters in order: the path, the value (none for the nulls), the path again
// when the shape uses it twice.
template <class Col, detail::JsonOp Op, sql::Cmp C = sql::Cmp::Eq, sql::JsonNullKind N = sql::JsonNullKind::Db,
          bool Negated = false, bool Insensitive = false>
struct JsonFilter {
  static constexpr bool is_filter = true;
  using model = typename Col::model;
  static constexpr bool second_path = (Op == detail::JsonOp::Compare && C != sql::Cmp::Eq && C != sql::Cmp::Ne) ||
                                      (Op == detail::JsonOp::Null && N == sql::JsonNullKind::Any) ||
                                      Op == detail::JsonOp::Like || Op == detail::JsonOp::ArrayContains ||
                                      Op == detail::JsonOp::ArrayFirst || Op == detail::JsonOp::ArrayLast;
  static constexpr bool has_value = Op != detail::JsonOp::Null;
  static constexpr std::size_t params = 1 + (has_value ? 1 : 0) + (second_path ? 1 : 0);
  JsonPath path;
  std::string value;  // the JSON text, or the LIKE pattern

  template <sql::Dialect D, int Depth = 0, class Sink>
  static constexpr void render(Sink& s, std::size_t first) {
    using P = detail::ParamPart<D>;
    detail::ColumnPart<Col> col;
    P path{first}, value{first + 1}, path2{first + (has_value ? 2 : 1)};
    if constexpr (Op == detail::JsonOp::Compare) {
      sql::json_compare(s, D, col, path, C, value, path2);
    } else if constexpr (Op == detail::JsonOp::Null) {
      sql::json_null(s, D, col, path, N, Negated, path2);
    } else if constexpr (Op == detail::JsonOp::Like) {
      sql::json_like(s, D, col, path, Insensitive, value, path2);
    } else if constexpr (Op == detail::JsonOp::ArrayContains) {
      static_assert(D == sql::Dialect::Postgresql,
                    "prisma: array_contains is PostgreSQL's (Prisma has it on PostgreSQL only); on SQLite, compare "
                    "with array_starts_with / array_ends_with or equals");
      sql::json_array_contains(s, D, col, path, value, path2);
    } else {
      sql::json_array_edge(s, D, col, path, Op == detail::JsonOp::ArrayLast, value, path2);
    }
  }
  template <class B>
  void bind(B& b) const {
    b.json_path(path);
    if constexpr (has_value) b(value);
    if constexpr (second_path) b.json_path(path);
  }
};

// The value at a path of a Json column (or the column itself: the empty path).
template <class Col>
struct JsonAt {
  JsonPath at;

  template <sql::Cmp C>
  using Cmp = JsonFilter<Col, detail::JsonOp::Compare, C>;
  Cmp<sql::Cmp::Eq> equals(const Json& v) const { return {at, v.text()}; }
  Cmp<sql::Cmp::Ne> not_(const Json& v) const { return {at, v.text()}; }
  Cmp<sql::Cmp::Lt> lt(const Json& v) const { return {at, v.text()}; }
  Cmp<sql::Cmp::Le> lte(const Json& v) const { return {at, v.text()}; }
  Cmp<sql::Cmp::Gt> gt(const Json& v) const { return {at, v.text()}; }
  Cmp<sql::Cmp::Ge> gte(const Json& v) const { return {at, v.text()}; }
  template <class N>
    requires std::is_arithmetic_v<N>
  Cmp<sql::Cmp::Lt> lt(N n) const { return {at, number(n)}; }
  template <class N>
    requires std::is_arithmetic_v<N>
  Cmp<sql::Cmp::Le> lte(N n) const { return {at, number(n)}; }
  template <class N>
    requires std::is_arithmetic_v<N>
  Cmp<sql::Cmp::Gt> gt(N n) const { return {at, number(n)}; }
  template <class N>
    requires std::is_arithmetic_v<N>
  Cmp<sql::Cmp::Ge> gte(N n) const { return {at, number(n)}; }

  template <sql::JsonNullKind K, bool Negated>
  using Null = JsonFilter<Col, detail::JsonOp::Null, sql::Cmp::Eq, K, Negated>;
  Null<sql::JsonNullKind::Db, false> equals(DbNullT) const { return {at, {}}; }
  Null<sql::JsonNullKind::Json, false> equals(JsonNullT) const { return {at, {}}; }
  Null<sql::JsonNullKind::Any, false> equals(AnyNullT) const { return {at, {}}; }
  Null<sql::JsonNullKind::Db, true> not_(DbNullT) const { return {at, {}}; }
  Null<sql::JsonNullKind::Json, true> not_(JsonNullT) const { return {at, {}}; }
  Null<sql::JsonNullKind::Any, true> not_(AnyNullT) const { return {at, {}}; }

  template <bool I>
  using Like = JsonFilter<Col, detail::JsonOp::Like, sql::Cmp::Eq, sql::JsonNullKind::Db, false, I>;
  Like<false> string_contains(std::string_view s) const { return {at, detail::like_pattern(s, true, true)}; }
  Like<false> string_starts_with(std::string_view s) const { return {at, detail::like_pattern(s, false, true)}; }
  Like<false> string_ends_with(std::string_view s) const { return {at, detail::like_pattern(s, true, false)}; }
  Like<true> string_contains(std::string_view s, mode::Insensitive) const { return {at, detail::like_pattern(s, true, true)}; }
  Like<true> string_starts_with(std::string_view s, mode::Insensitive) const {
    return {at, detail::like_pattern(s, false, true)};
  }
  Like<true> string_ends_with(std::string_view s, mode::Insensitive) const {
    return {at, detail::like_pattern(s, true, false)};
  }

  JsonFilter<Col, detail::JsonOp::ArrayContains> array_contains(const Json& v) const { return {at, v.text()}; }
  JsonFilter<Col, detail::JsonOp::ArrayFirst> array_starts_with(const Json& v) const { return {at, v.text()}; }
  JsonFilter<Col, detail::JsonOp::ArrayLast> array_ends_with(const Json& v) const { return {at, v.text()}; }

 private:
  template <class N>
  static std::string number(N n) {
    if constexpr (std::is_same_v<N, bool>) return n ? "true" : "false";
    else return std::to_string(n);
  }
};

namespace detail {
template <class Col>
constexpr void check_json_column() {
  static_assert(Col::descriptor::kind == meta::ScalarKind::Json && !Col::is_list,
                "prisma: Json filters (path, string_contains, array_contains, ...) apply to Json fields");
}
}  // namespace detail

// `doc::meta.path({"pet", "name"})`: the value at that path (array positions as their digits).
template <class Desc>
JsonAt<Column<Desc>> json_path(Column<Desc>, std::initializer_list<std::string_view> segments) {
  detail::check_json_column<Column<Desc>>();
  JsonPath p;
  for (auto s : segments) p.segments.emplace_back(s);
  return {std::move(p)};
}
// The Json column itself (the root: `doc::meta` as a JsonAt).
template <class Desc>
JsonAt<Column<Desc>> json_root(Column<Desc>) {
  detail::check_json_column<Column<Desc>>();
  return {};
}

// `doc::meta == prisma::JsonNull` / DbNull / AnyNull, and != : Prisma's `equals` / `not` with a null kind.
template <class Desc>
auto operator==(Column<Desc> c, DbNullT n) { return json_root(c).equals(n); }
template <class Desc>
auto operator==(Column<Desc> c, JsonNullT n) { return json_root(c).equals(n); }
template <class Desc>
auto operator==(Column<Desc> c, AnyNullT n) { return json_root(c).equals(n); }
template <class Desc>
auto operator!=(Column<Desc> c, DbNullT n) { return json_root(c).not_(n); }
template <class Desc>
auto operator!=(Column<Desc> c, JsonNullT n) { return json_root(c).not_(n); }
template <class Desc>
auto operator!=(Column<Desc> c, AnyNullT n) { return json_root(c).not_(n); }

}  // namespace prisma
