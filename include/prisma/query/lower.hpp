// The typed client's nested writes as the write tree (query/write_tree.hpp): a `<Model>Create` /
// `<Model>Update` input lowered into its scalar values and, per relation member that is set,
// the relation's operations, each naming the schema's metadata (meta/write_info.hpp: the
// constants the generated library defines and the model headers declare).
//
// An input's own members are lowered by lower_into<Input>, instantiated where the input is
// written. The items of a relation member (`.posts = {.create = {{...}}}`) are lowered through
// the function their List / Box stored with them (query/nested.hpp: Erased::Ops::lower), which
// was instantiated where the items were built, where their type is complete: lowering an input
// never instantiates the related models' inputs, so a file that creates a User compiles the
// lowering of what it writes and nothing of the schema beyond it.
#pragma once
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "prisma/core/enums.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/meta/write_info.hpp"
#include "prisma/query/nested.hpp"
#include "prisma/query/write.hpp"
#include "prisma/query/write_tree.hpp"

// Keeps a function out of line (the lowering of one member type is called, not copied, per column).
#if defined(__GNUC__) || defined(__clang__)
#define PRISMA_NOINLINE __attribute__((noinline))
#else
#define PRISMA_NOINLINE
#endif

// A scalar list's PostgreSQL array text (driver/postgres_text.hpp defines it; only a PostgreSQL
// client, which includes it, has list columns: SQLite has none).
namespace prisma::driver::postgres::text {
template <class T>
void put_array(std::string& out, const std::vector<T>& vs);
}  // namespace prisma::driver::postgres::text

namespace prisma::detail {

template <class T> struct is_vector : std::false_type {};
template <class E> struct is_vector<std::vector<E>> : std::true_type {};
template <> struct is_vector<Bytes> : std::false_type {};  // a value, not a list

// A member's value as a bound parameter (a scalar list as one list parameter; a list of Json or
// Bytes, which has no list parameter form, as its PostgreSQL array text).
template <class T>
write::Param to_param(const T& v) {
  if constexpr (requires { v.has_value(); *v; }) {
    if (!v) return write::Param(std::in_place_type<write::Value>, write::null_value());
    return detail::to_param(*v);
  } else if constexpr (is_vector<T>::value) {
    using E = typename T::value_type;
    if constexpr (meta::SchemaEnum<E>) {
      std::vector<std::string> names;
      for (auto e : v) names.emplace_back(enum_db_name(e));
      return write::Param(std::in_place_type<write::List>, std::move(names));
    } else if constexpr (std::is_constructible_v<write::List, const T&>) {
      return write::Param(std::in_place_type<write::List>, v);
    } else {
      std::string text;
      driver::postgres::text::put_array(text, v);
      return write::Param(std::in_place_type<write::Value>, std::move(text));
    }
  } else {
    return write::Param(std::in_place_type<write::Value>, bound_value(v));
  }
}

// A kept criterion (UniqueWhere / WhereFilter) as the executor's: it renders and binds itself.
inline write::Criterion criterion(const Kept& kept) {
  return write::Criterion{[&kept](sql::Dialect d, std::string& out, write::Params& ps) { kept.render(d, out, ps); }};
}

inline write::Op write_op(AtomicOp op) {
  switch (op) {
    case AtomicOp::Set: return write::Op::Set;
    case AtomicOp::Increment: return write::Op::Increment;
    case AtomicOp::Decrement: return write::Op::Decrement;
    case AtomicOp::Multiply: return write::Op::Multiply;
    case AtomicOp::Divide: return write::Op::Divide;
    case AtomicOp::Push: return write::Op::Push;
  }
  return write::Op::Set;
}

// One scalar member of an input, if set, as the executor's (column, op, value): a function per
// member type (Required<std::string>, std::optional<int>, Update<Json>...), shared by every input
// and column of that type and kept out of line, so that lowering an input is a call per column.
template <class Member>
PRISMA_NOINLINE void lower_value(const Member& m, std::size_t column, write::Data& out) {
  if constexpr (is_required<Member>::value) {
    out.scalars.push_back({column, write::Op::Set, detail::to_param(m.get())});
  } else if constexpr (requires { m.op(); m.get(); }) {  // Update<T>
    if (const auto* v = m.get()) out.scalars.push_back({column, write_op(m.op()), detail::to_param(*v)});
  } else if (m.has_value()) {
    out.scalars.push_back({column, write::Op::Set, detail::to_param(*m)});
  }
}

template <class Input, class MP>
void lower_scalar(const Input& in, MP mp, std::size_t column, write::Data& out) {
  if constexpr (!std::is_same_v<MP, std::nullptr_t>) detail::lower_value(in.*mp, column, out);
}

// The items of a List (or the value of a Box) into nodes appended to `v`, each lowered by the
// function stored with it.
template <class E, class Node>
void lower_items(const List<E>& items, std::vector<Node>& v) {
  for (std::size_t i = 0; i < items.size(); ++i) items.lower(i, &v.emplace_back());
}
template <class E, class Node>
void lower_items(const Box<E>& item, std::vector<Node>& v) {
  if (item.has_value()) item.lower(&v.emplace_back());
}

// One relation member (NestedCreateList / One, NestedUpdateList / One) as the executor's
// RelationWrite.
template <class N>
void lower_relation(const N& n, write::RelationWrite& out) {
  using Desc = typename N::descriptor;
  out.relation = Desc::write_info;
  detail::lower_items(n.create, out.create);
  detail::lower_items(n.connect, out.connect);
  detail::lower_items(n.connect_or_create, out.connect_or_create);
  if constexpr (Desc::is_list) {
    detail::lower_items(n.create_many.data, out.create_many);
    out.skip_duplicates = n.create_many.skip_duplicates;
    if constexpr (requires { n.upsert; }) {
      out.set = n.set.is_set();
      detail::lower_items(n.set.items(), out.set_items);
      out.disconnect = n.disconnect.is_set();
      detail::lower_items(n.disconnect.items(), out.disconnect_items);
      detail::lower_items(n.delete_, out.delete_items);
      detail::lower_items(n.delete_many, out.delete_many);
      detail::lower_items(n.update, out.update);
      detail::lower_items(n.update_many, out.update_many);
      detail::lower_items(n.upsert, out.upsert);
    }
  } else if constexpr (requires { n.upsert; }) {
    out.disconnect = n.disconnect.on();
    out.delete_one = n.delete_.on();
    if (n.update.has_value()) n.update.lower(&out.update.emplace_back().data);  // the one connected
    detail::lower_items(n.upsert, out.upsert);
  }
}

template <class N>
void lower_member(const N& n, write::Data& out) {
  if (n.empty()) return;
  detail::lower_relation(n, out.relations.emplace_back());
}

// A create or update input with its nested writes, into the executor's data.
template <class Input>
void lower_into(const Input& in, write::Data& d) {
  using M = typename meta::input_traits<Input>::model;
  d.model = meta::model_traits<M>::write_info;
  meta::input_traits<Input>::members.apply([&](auto... mp) {
    std::size_t column = 0;
    (detail::lower_scalar(in, mp, column++, d), ...);
  });
  meta::input_traits<Input>::relations.apply([&](auto... mp) { (detail::lower_member(in.*mp, d), ...); });
}
template <class Input>
write::Data lower(const Input& in) {
  write::Data d;
  detail::lower_into(in, d);
  return d;
}

template <class X, template <class...> class Tmpl>
inline constexpr bool is_a = false;
template <template <class...> class Tmpl, class... A>
inline constexpr bool is_a<Tmpl<A...>, Tmpl> = true;

// One item of a relation member into its node (Erased::Ops::lower calls it where the item was
// stored): an input into write::Data, a criterion into write::Criterion, a connect_or_create,
// update or upsert item into its node.
template <class E>
void lower_element(const E& e, void* out) {
  if constexpr (std::is_base_of_v<Kept, E>) {
    *static_cast<write::Criterion*>(out) = detail::criterion(e);
  } else if constexpr (is_a<E, ConnectOrCreate>) {
    auto& node = *static_cast<write::ConnectOrCreate*>(out);
    node.where = detail::criterion(e.where);
    detail::lower_into(e.create, node.create);
  } else if constexpr (is_a<E, UpdateWhere> || is_a<E, UpdateManyWhere>) {
    auto& node = *static_cast<write::UpdateItem*>(out);
    node.where = detail::criterion(e.where);
    detail::lower_into(e.data, node.data);
  } else if constexpr (is_a<E, UpsertWhere> || is_a<E, UpsertOne>) {
    auto& node = *static_cast<write::UpsertItem*>(out);
    if constexpr (is_a<E, UpsertWhere>) node.where = detail::criterion(e.where);
    detail::lower_into(e.create, node.create);
    detail::lower_into(e.update, node.update);
  } else {
    detail::lower_into(e, *static_cast<write::Data*>(out));
  }
}

}  // namespace prisma::detail
