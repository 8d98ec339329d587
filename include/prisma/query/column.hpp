// Column and relation handles (`user::email`, `user::posts`): what the generated header
// instantiates and what filters, ordering and writes are written with.
#pragma once
#include <initializer_list>
#include <string_view>
#include <vector>

#include "prisma/meta/model.hpp"
#include "prisma/query/filter.hpp"

namespace prisma {

// `user::email`: a handle on one scalar column. Desc is a generated descriptor struct with
// `member` (pointer to the struct member), `index` (position among the model's columns),
// `name`, `db_name`, `kind`, `flags`, `default_kind`, `default_literal`, `native_type`.
template <class Desc>
struct Column {
  using descriptor = Desc;
  using model = typename meta::member_pointer_traits<std::remove_cv_t<decltype(Desc::member)>>::model;
  using value_type = typename meta::member_pointer_traits<std::remove_cv_t<decltype(Desc::member)>>::type;
  using scalar_type = meta::unwrap_t<value_type>;
  static constexpr std::size_t index = Desc::index;
  static constexpr std::string_view name = Desc::name;
  static constexpr std::string_view db_name = Desc::db_name;
  static constexpr bool is_optional = (Desc::flags & meta::flags::optional) != 0;
  static constexpr bool is_list = (Desc::flags & meta::flags::list) != 0;
  static constexpr bool is_id = (Desc::flags & meta::flags::id) != 0;
  static constexpr bool is_unique = (Desc::flags & meta::flags::unique) != 0;

  constexpr NullTest<Column, true> is_null() const {
    static_assert(is_optional, "prisma: is_null() applies to optional fields only");
    return {};
  }
  constexpr NullTest<Column, false> is_not_null() const {
    static_assert(is_optional, "prisma: is_not_null() applies to optional fields only");
    return {};
  }
  template <class V>
  auto equals(V&& v) const { return *this == std::forward<V>(v); }
  template <class V>
  auto not_(V&& v) const { return *this != std::forward<V>(v); }
  template <class V>
  auto lt(V&& v) const { return *this < std::forward<V>(v); }
  template <class V>
  auto lte(V&& v) const { return *this <= std::forward<V>(v); }
  template <class V>
  auto gt(V&& v) const { return *this > std::forward<V>(v); }
  template <class V>
  auto gte(V&& v) const { return *this >= std::forward<V>(v); }

  InList<Column, false, scalar_type> in(std::vector<scalar_type> values) const {
    return {std::move(values)};
  }
  InList<Column, true, scalar_type> not_in(std::vector<scalar_type> values) const {
    return {std::move(values)};
  }

  constexpr auto asc() const;
  constexpr auto desc() const;

  // LIKE with the value's own %, _ and \ escaped: the text matches literally (Prisma 7 leaves %
  // and _ as wildcards, prisma/orm#23611: contains("5%") also matches "5Xoff"; not copied).
  // SQLite's LIKE is ASCII case-insensitive.
  // With mode::insensitive: ILIKE on PostgreSQL (LIKE on SQLite, which ignores ASCII case).
  Compare<Column, detail::CmpOp::ILike, std::string> contains(std::string_view s, mode::Insensitive) const {
    static_assert(std::is_same_v<scalar_type, std::string>, "prisma: contains() applies to String fields");
    return {detail::like_pattern(s, true, true)};
  }
  Compare<Column, detail::CmpOp::ILike, std::string> starts_with(std::string_view s, mode::Insensitive) const {
    static_assert(std::is_same_v<scalar_type, std::string>, "prisma: starts_with() applies to String fields");
    return {detail::like_pattern(s, false, true)};
  }
  Compare<Column, detail::CmpOp::ILike, std::string> ends_with(std::string_view s, mode::Insensitive) const {
    static_assert(std::is_same_v<scalar_type, std::string>, "prisma: ends_with() applies to String fields");
    return {detail::like_pattern(s, true, false)};
  }
  LowerEquals<Column> equals(std::string_view s, mode::Insensitive) const {
    static_assert(std::is_same_v<scalar_type, std::string>, "prisma: mode::insensitive applies to String fields");
    return {std::string(s)};
  }

  // Scalar lists (PostgreSQL): the list contains the value / any / all of the values / nothing.
  template <class V>
  auto has(V&& v) const {
    static_assert(is_list, "prisma: has() applies to list fields (String[], Int[], ...)");
    using E = typename scalar_type::value_type;
    static_assert(detail::value_fits<E, V>(), "prisma: the value does not have the list's element type");
    return ListFilter<Column, ListOp::Has, E>{detail::to_scalar<E>(std::forward<V>(v))};
  }
  auto has_some(scalar_type vs) const {
    static_assert(is_list, "prisma: has_some() applies to list fields");
    return ListFilter<Column, ListOp::HasSome, scalar_type>{std::move(vs)};
  }
  auto has_every(scalar_type vs) const {
    static_assert(is_list, "prisma: has_every() applies to list fields");
    return ListFilter<Column, ListOp::HasEvery, scalar_type>{std::move(vs)};
  }
  constexpr auto is_empty() const {
    static_assert(is_list, "prisma: is_empty() applies to list fields");
    return ListFilter<Column, ListOp::IsEmpty, int>{0};
  }
  auto equals_list(scalar_type vs) const {
    static_assert(is_list, "prisma: equals_list() applies to list fields");
    return ListFilter<Column, ListOp::Equals, scalar_type>{std::move(vs)};
  }

  Compare<Column, detail::CmpOp::Like, std::string> contains(std::string_view s) const {
    static_assert(std::is_same_v<scalar_type, std::string>, "prisma: contains() applies to String fields");
    return {detail::like_pattern(s, true, true)};
  }
  Compare<Column, detail::CmpOp::Like, std::string> starts_with(std::string_view s) const {
    static_assert(std::is_same_v<scalar_type, std::string>, "prisma: starts_with() applies to String fields");
    return {detail::like_pattern(s, false, true)};
  }
  Compare<Column, detail::CmpOp::Like, std::string> ends_with(std::string_view s) const {
    static_assert(std::is_same_v<scalar_type, std::string>, "prisma: ends_with() applies to String fields");
    return {detail::like_pattern(s, true, false)};
  }

  // Full-text search (PostgreSQL; Prisma's `search`): `post::body.search("quick & dogs")`, the
  // query in to_tsquery's syntax (&, |, !, <->), passed as given.
  Search<Column> search(std::string query) const {
    static_assert(std::is_same_v<scalar_type, std::string> && !is_list, "prisma: search() applies to String fields");
    return {std::move(query)};
  }

  // Json fields (query/json_filter.hpp): the value at a path, and the filters on the whole value.
  auto path(std::initializer_list<std::string_view> segments) const { return json_path(*this, segments); }
  auto string_contains(std::string_view s) const { return json_root(*this).string_contains(s); }
  auto string_starts_with(std::string_view s) const { return json_root(*this).string_starts_with(s); }
  auto string_ends_with(std::string_view s) const { return json_root(*this).string_ends_with(s); }
  auto string_contains(std::string_view s, mode::Insensitive m) const { return json_root(*this).string_contains(s, m); }
  auto array_contains(const Json& v) const { return json_root(*this).array_contains(v); }
  auto array_starts_with(const Json& v) const { return json_root(*this).array_starts_with(v); }
  auto array_ends_with(const Json& v) const { return json_root(*this).array_ends_with(v); }
};

}  // namespace prisma

#include "prisma/query/json_filter.hpp"  // needs Column complete
