// Schema enums: the traits the generated header specialises for every enum, and the conversions
// between a value and its names (Prisma's name, and the database's @map name). In core/ because
// values are logged and bound by name below the model layer (core/observe.hpp, the drivers).
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace prisma {

namespace meta {

// Specialised by the generated header for every enum.
template <class Enum> struct enum_traits;

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
namespace detail {
template <class E, class Names>
constexpr std::optional<E> enum_by(const Names& names, std::string_view s) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}
}  // namespace detail
template <meta::SchemaEnum E>
constexpr std::optional<E> enum_from_db_name(std::string_view s) {
  return detail::enum_by<E>(meta::enum_traits<E>::db_names, s);
}
template <meta::SchemaEnum E>
constexpr std::optional<E> enum_from_name(std::string_view s) {
  return detail::enum_by<E>(meta::enum_traits<E>::names, s);
}

}  // namespace prisma
