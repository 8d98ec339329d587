// Descriptors the generated code instantiates: columns, relations, models and enums, all known
// at compile time so the query layer never derives anything from strings at run time.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "prisma/core/types.hpp"

namespace prisma {

namespace meta {

enum class Provider : std::uint8_t { Sqlite, Postgresql, Other };

enum class ScalarKind : std::uint8_t {
  String, Boolean, Int, BigInt, Float, Decimal, DateTime, Json, Bytes, Enum
};

// What fills a column the caller leaves out of a create.
enum class DefaultKind : std::uint8_t {
  None,
  Literal,        // the DDL default (and Descriptor::default_literal)
  EnumValue,      // Descriptor::default_literal holds the value's schema name
  Autoincrement,  // the database
  Sequence,
  DbGenerated,    // the database
  Now,            // the client (one timestamp per operation), DDL has CURRENT_TIMESTAMP too
  Uuid4, Uuid7, Cuid1, Cuid2, Nanoid, Ulid,  // the client
};

constexpr bool client_generated(DefaultKind k) {
  return k == DefaultKind::Now || k >= DefaultKind::Uuid4;
}

namespace flags {
inline constexpr std::uint32_t id = 1u << 0;          // part of the primary key
inline constexpr std::uint32_t unique = 1u << 1;      // @unique on the field
inline constexpr std::uint32_t optional = 1u << 2;
inline constexpr std::uint32_t list = 1u << 3;
inline constexpr std::uint32_t has_default = 1u << 4;
inline constexpr std::uint32_t updated_at = 1u << 5;
inline constexpr std::uint32_t relation_scalar = 1u << 6;  // used in a relation's `fields`
}  // namespace flags

enum class RelationKind : std::uint8_t { OneToOne, OneToMany, ManyToMany };
enum class ReferentialAction : std::uint8_t { Cascade, Restrict, NoAction, SetNull, SetDefault };

template <class T> struct unwrap { using type = T; };
template <class T> struct unwrap<std::optional<T>> { using type = T; };
template <class T> using unwrap_t = typename unwrap<T>::type;

template <class T> struct member_pointer_traits;
template <class C, class T> struct member_pointer_traits<T C::*> {
  using model = C;
  using type = T;
};

// A set of columns (by position in the model) that identifies a row: the primary key, a
// @unique or a @@unique.
template <std::size_t... Indexes>
struct key {
  static constexpr std::array<std::size_t, sizeof...(Indexes)> columns{Indexes...};
};

// Specialised by the generated header for every model struct.
template <class Model> struct model_traits;
// Specialised by the generated header for every model that can be written (not views):
// `create` and `update`, the generated `<Model>Create` / `<Model>Update` input structs.
template <class Model> struct write_types;
// Specialised by the generated header for every write input struct (`<Model>Create`,
// `<Model>UpdateWithout<Relation>`, ...): `model`, `is_update`, `members` (a member pointer per
// column in column order, nullptr where the input has none) and `relations` (member pointers to
// the nested-write members).
template <class Input> struct input_traits;
// Specialised by the generated header for every enum.
template <class Enum> struct enum_traits;

// The model of a filter that fits any model (count() > 5 in a having).
struct AnyModel {};

template <class T>
concept Model = requires { model_traits<T>::name; };
template <class T>
concept SchemaEnum = requires { enum_traits<T>::names; };

}  // namespace meta

// Enum values as stored in the database (their @map names) and back.
template <meta::SchemaEnum E>
constexpr std::string_view enum_db_name(E v) {
  return meta::enum_traits<E>::db_names[static_cast<std::size_t>(v)];
}
template <meta::SchemaEnum E>
constexpr std::string_view enum_name(E v) {
  return meta::enum_traits<E>::names[static_cast<std::size_t>(v)];
}
template <meta::SchemaEnum E>
constexpr std::optional<E> enum_from_db_name(std::string_view s) {
  const auto& names = meta::enum_traits<E>::db_names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}
template <meta::SchemaEnum E>
constexpr std::optional<E> enum_from_name(std::string_view s) {
  const auto& names = meta::enum_traits<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace prisma
