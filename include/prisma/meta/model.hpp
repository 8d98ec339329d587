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
#include <utility>
#include <vector>

#include "prisma/core/enums.hpp"
#include "prisma/core/types.hpp"
#include "prisma/meta/kinds.hpp"

namespace prisma {

namespace meta {

// The target's key columns of a relation as positions in the target model. A descriptor names
// them by the target's column descriptors (`remote_fields`), which its header only declares, so
// a model's header does not change when a related model's columns move; the positions are read
// where the relation is used, where the target's header is included.
template <class Desc>
inline constexpr auto remote_of = []<class... F>(std::tuple<F...>*) {
  return std::array<std::size_t, sizeof...(F)>{F::index...};
}(static_cast<typename Desc::remote_fields*>(nullptr));

template <class T> struct unwrap { using type = T; };
template <class T> struct unwrap<std::optional<T>> { using type = T; };
template <class T> using unwrap_t = typename unwrap<T>::type;

template <class T> struct member_pointer_traits;
template <class C, class T> struct member_pointer_traits<T C::*> {
  using model = C;
  using type = T;
};

// The base of a generated column descriptor: one line of data per column,
// `struct email_ : field<&User::email, 1, ScalarKind::String, flags::unique> { name, db_name,
// _holder }`. The strings are the derived struct's own (`name`, `db_name`, and
// `default_literal` / `native_type` where not empty), written with their lengths.
template <auto Member, std::size_t Index, ScalarKind Kind, std::uint32_t Flags = 0,
          DefaultKind Default = DefaultKind::None>
struct field {
  static constexpr auto member = Member;
  static constexpr std::size_t index = Index;
  static constexpr ScalarKind kind = Kind;
  static constexpr std::uint32_t flags = Flags;
  static constexpr DefaultKind default_kind = Default;
  static constexpr std::string_view default_literal{};
  static constexpr std::string_view native_type{};
};

// The base of a generated relation descriptor; the derived struct adds `name`, `relation_name`,
// the key columns (`local` positions; `remote_fields`, the target's column descriptors: see
// remote_of), for implicit m:n the join table, and the members
// include() adds to a row (`_holder<T>`, and `_count_holder` on a to-many relation).
template <class Model, class Target, RelationKind Kind, bool List, bool Optional, bool OwnsForeignKey,
          ReferentialAction OnDelete = ReferentialAction::NoAction,
          ReferentialAction OnUpdate = ReferentialAction::NoAction>
struct relation {
  using model = Model;
  using target = Target;
  static constexpr RelationKind kind = Kind;
  static constexpr bool is_list = List;
  static constexpr bool is_optional = Optional;
  static constexpr bool owns_foreign_key = OwnsForeignKey;
  static constexpr ReferentialAction on_delete = OnDelete;
  static constexpr ReferentialAction on_update = OnUpdate;
  static constexpr std::string_view join_schema{};
  static constexpr std::string_view join_table{};
  static constexpr std::string_view join_local{};
  static constexpr std::string_view join_remote{};
};

// A set of columns (by position in the model) that identifies a row: the primary key, a
// @unique or a @@unique.
template <std::size_t... Indexes>
struct key {
  static constexpr std::array<std::size_t, sizeof...(Indexes)> columns{Indexes...};
};

// A list of member pointers (`&UserCreate::email, nullptr, ...`) as template arguments: what the
// generated input_traits hold. A pack, not a std::tuple: naming it instantiates nothing, which
// keeps a header of hundreds of inputs cheap to include.
template <auto... Ps>
struct pointers {
  static constexpr std::size_t size = sizeof...(Ps);
  // f(Ps...): every pointer at once.
  template <class F>
  static constexpr decltype(auto) apply(F&& f) { return static_cast<F&&>(f)(Ps...); }
};

namespace detail {
// get<I>: one indexer per pack (a base per pointer, tagged with its position), then overload
// resolution picks the I-th base; no recursion over the pack per index.
template <std::size_t I, auto P>
struct indexed_pointer {};
template <class Seq, auto... Ps>
struct pointer_indexer;
template <std::size_t... Is, auto... Ps>
struct pointer_indexer<std::index_sequence<Is...>, Ps...> : indexed_pointer<Is, Ps>... {};
template <std::size_t I, auto P>
constexpr auto pick_pointer(indexed_pointer<I, P>) {
  return P;
}
}  // namespace detail

// The I-th pointer of a pointers<...> value.
template <std::size_t I, auto... Ps>
constexpr auto get(pointers<Ps...>) {
  return detail::pick_pointer<I>(detail::pointer_indexer<std::make_index_sequence<sizeof...(Ps)>, Ps...>{});
}

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
// The model of a filter that fits any model (count() > 5 in a having).
struct AnyModel {};

template <class T>
concept Model = requires { model_traits<T>::name; };

}  // namespace meta


}  // namespace prisma
