// Nested writes of the typed client: a `<Model>Create` / `<Model>Update` input whose relation
// members are set is lowered into a write tree (client/write_plan.hpp: its scalar values, and per
// relation member the nested operations, each naming the schema's relation metadata), which the
// one executor (client/write_executor.hpp) runs on one connection inside the caller's
// transaction. What is typed stays typed: the inputs, their compile-time checks (a unique
// criterion for connect, an optional relation for disconnect...) and the row returned.
//
// The lowering of one relation member (`.posts` of a UserCreate) is not called directly: lower()
// calls prisma_nested_lower(member, out), which the generated model header declares per relation
// member type and the generated library (prisma_generate(), <ns>/nested_<k>.cpp) defines as a
// call of lower_relation below. So a create or update instantiates the lowering of its own
// input only; the related models' inputs (and theirs, through the whole schema) are lowered by
// code compiled once, in that library, and no backend is named there.
#pragma once
#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "prisma/client/rows.hpp"
#include "prisma/client/write_plan.hpp"
#include "prisma/client/writes.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/query/nested.hpp"

// Keeps a function out of line (the lowering of one member type is called, not copied, per column).
#if defined(__GNUC__) || defined(__clang__)
#define PRISMA_NOINLINE __attribute__((noinline))
#else
#define PRISMA_NOINLINE
#endif

// A scalar list's PostgreSQL array text, both ways (driver/postgres_text.hpp defines them; only a
// PostgreSQL client, which includes it, has list columns: SQLite has none).
namespace prisma::driver::postgres::text {
template <class T>
void put_array(std::string& out, const std::vector<T>& vs);
template <class T>
void from_text(std::string_view s, std::vector<T>& out);
}  // namespace prisma::driver::postgres::text

namespace prisma {

namespace detail {

template <class Input>
using input_model = typename meta::input_traits<Input>::model;

// Whether any relation member of the input holds a nested write.
template <class Input>
bool has_nested_writes(const Input& in) {
  return meta::input_traits<Input>::relations.apply([&](auto... mp) { return (!(in.*mp).empty() || ...); });
}

// ---- the schema's metadata as run-time data -------------------------------------------------

template <class Col>
constexpr write::Column column_info() {
  using D = typename Col::descriptor;
  return write::Column{D::name, D::db_name, D::kind, D::flags, D::default_kind, D::default_literal};
}

template <class Desc>
constexpr bool required_owned() {
  return Desc::owns_foreign_key && !Desc::is_optional;
}

// A model's columns, key and required relations as write::ModelInfo: one constant per model.
template <class M>
struct model_info {
  using T = meta::model_traits<M>;
  using Cols = typename T::columns;
  using Key = std::conditional_t<std::is_void_v<typename T::primary_key>,
                                 std::tuple_element_t<0, typename T::unique_keys>, typename T::primary_key>;
  template <class Rel>
  using desc = typename Rel::descriptor;
  static constexpr auto columns = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<write::Column, sizeof...(I)>{column_info<std::tuple_element_t<I, Cols>>()...};
  }(std::make_index_sequence<std::tuple_size_v<Cols>>{});
  static constexpr auto required = []<class... R>(std::type_identity<std::tuple<R...>>) {
    constexpr std::size_t n = (std::size_t{0} + ... + (required_owned<desc<R>>() ? 1 : 0));
    std::array<write::RequiredRelation, n> out{};
    std::size_t i = 0;
    ((required_owned<desc<R>>() ? (out[i++] = write::RequiredRelation{desc<R>::name, desc<R>::local}, 0) : 0), ...);
    return out;
  }(std::type_identity<typename T::relations>{});
  static constexpr write::ModelInfo value{T::name, T::db_name, T::schema, columns, Key::columns, T::column_list, required};
};

template <class Desc>
struct relation_info {
  static constexpr write::RelationInfo value{Desc::name,
                                             Desc::relation_name,
                                             &model_info<typename Desc::model>::value,
                                             &model_info<typename Desc::target>::value,
                                             Desc::kind,
                                             Desc::is_list,
                                             Desc::owns_foreign_key,
                                             can_disconnect<Desc>(),
                                             foreign_key_optional<Desc>(),
                                             Desc::local,
                                             Desc::remote,
                                             Desc::join_schema,
                                             Desc::join_table,
                                             Desc::join_local,
                                             Desc::join_remote};
};

// ---- values ---------------------------------------------------------------------------------

template <class T> struct is_vector : std::false_type {};
template <class E> struct is_vector<std::vector<E>> : std::true_type {};
template <> struct is_vector<Bytes> : std::false_type {};  // a value, not a list

// A member's value as a bound parameter (a scalar list as one list parameter; a list of Json or
// Bytes, which has no list parameter form, as its PostgreSQL array text).
template <class T>
write::Param to_param(const T& v) {
  if constexpr (requires { v.has_value(); *v; }) {
    if (!v) return write::Param(std::in_place_type<write::Value>, write::null_value());
    return to_param(*v);
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

// A value the executor read into a member of the model struct.
template <class X>
void assign_cell(X& out, const write::Value& v) {
  if constexpr (requires { out.has_value(); out.reset(); }) {
    if (write::is_null(v)) {
      out.reset();
    } else {
      typename X::value_type x{};
      assign_cell(x, v);
      out = std::move(x);
    }
  } else if constexpr (meta::SchemaEnum<X>) {
    auto e = enum_from_db_name<X>(std::get<std::string>(v));
    if (!e) throw DatabaseError("Value '" + std::get<std::string>(v) + "' not found in enum");
    out = *e;
  } else if constexpr (is_vector<X>::value) {
    out.clear();
    if (!write::is_null(v)) driver::postgres::text::from_text(std::get<std::string>(v), out);
  } else {
    out = std::get<X>(v);
  }
}

// The row the executor returned, as the model struct.
template <class M>
M from_row(const write::Row& row) {
  using Cols = typename meta::model_traits<M>::columns;
  M m{};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (assign_cell(m.*(std::tuple_element_t<I, Cols>::descriptor::member), row[I]), ...);
  }(std::make_index_sequence<std::tuple_size_v<Cols>>{});
  return m;
}

// A kept criterion (UniqueWhere / WhereFilter) as the executor's: it renders and binds itself.
inline write::Criterion criterion(const Kept& kept) {
  return write::Criterion{[&kept](sql::Dialect d, std::string& out, write::Params& ps) { kept.render(d, out, ps); }};
}

// ---- lowering -------------------------------------------------------------------------------

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
    out.scalars.push_back({column, write::Op::Set, to_param(m.get())});
  } else if constexpr (requires { m.op(); m.get(); }) {  // Update<T>
    if (const auto* v = m.get()) out.scalars.push_back({column, write_op(m.op()), to_param(*v)});
  } else if (m.has_value()) {
    out.scalars.push_back({column, write::Op::Set, to_param(*m)});
  }
}

template <class Input, class MP>
void lower_scalar(const Input& in, MP mp, std::size_t column, write::Data& out) {
  if constexpr (!std::is_same_v<MP, std::nullptr_t>) lower_value(in.*mp, column, out);
}

template <class N>
void lower_member(const N& n, write::Data& out) {
  if (n.empty()) return;
  out.relations.emplace_back();
  prisma_nested_lower(n, out.relations.back());  // the generated library's (found by ADL)
}

// A create or update input with its nested writes, into the executor's data.
template <class Input>
void lower_into(const Input& in, write::Data& d) {
  using M = input_model<Input>;
  d.model = &model_info<M>::value;
  meta::input_traits<Input>::members.apply([&](auto... mp) {
    std::size_t column = 0;
    (lower_scalar(in, mp, column++, d), ...);
  });
  meta::input_traits<Input>::relations.apply([&](auto... mp) { (lower_member(in.*mp, d), ...); });
}
template <class Input>
write::Data lower(const Input& in) {
  write::Data d;
  lower_into(in, d);
  return d;
}

// The items of a RelationWrite, appended out of line (the same code for every relation).
PRISMA_NOINLINE inline write::Data& add_data(std::vector<write::Data>& v) { return v.emplace_back(); }
PRISMA_NOINLINE inline void add_criterion(std::vector<write::Criterion>& v, const Kept& k) { v.push_back(criterion(k)); }
PRISMA_NOINLINE inline write::Data& add_connect_or_create(std::vector<write::ConnectOrCreate>& v, const Kept& k) {
  return v.emplace_back(write::ConnectOrCreate{criterion(k), {}}).create;
}
PRISMA_NOINLINE inline write::Data& add_update(std::vector<write::UpdateItem>& v, const Kept* k) {
  return v.emplace_back(write::UpdateItem{k ? criterion(*k) : write::Criterion{}, {}}).data;
}
PRISMA_NOINLINE inline write::UpsertItem& add_upsert(std::vector<write::UpsertItem>& v, const Kept* k) {
  return v.emplace_back(write::UpsertItem{k ? criterion(*k) : write::Criterion{}, {}, {}});
}

// One relation member (NestedCreateList / One, NestedUpdateList / One) as the executor's
// RelationWrite: what the generated library's prisma_nested_lower does.
template <class N>
void lower_relation(const N& n, write::RelationWrite& out) {
  using Desc = typename N::descriptor;
  out.relation = &relation_info<Desc>::value;
  if constexpr (Desc::is_list) {
    for (const auto& c : n.create) lower_into(c, add_data(out.create));
    for (const auto& c : n.create_many.data) lower_into(c, add_data(out.create_many));
    out.skip_duplicates = n.create_many.skip_duplicates;
    for (const auto& u : n.connect) add_criterion(out.connect, u);
    for (const auto& c : n.connect_or_create) lower_into(c.create, add_connect_or_create(out.connect_or_create, c.where));
    if constexpr (requires { n.upsert; }) {
      out.set = n.set.is_set();
      for (const auto& u : n.set.items()) add_criterion(out.set_items, u);
      out.disconnect = n.disconnect.is_set();
      for (const auto& u : n.disconnect.items()) add_criterion(out.disconnect_items, u);
      for (const auto& u : n.delete_) add_criterion(out.delete_items, u);
      for (const auto& f : n.delete_many) add_criterion(out.delete_many, f);
      for (const auto& u : n.update) lower_into(u.data, add_update(out.update, &u.where));
      for (const auto& u : n.update_many) lower_into(u.data, add_update(out.update_many, &u.where));
      for (const auto& u : n.upsert) {
        write::UpsertItem& item = add_upsert(out.upsert, &u.where);
        lower_into(u.create, item.create);
        lower_into(u.update, item.update);
      }
    }
  } else {
    if (n.create) lower_into(*n.create, add_data(out.create));
    if (n.connect) add_criterion(out.connect, *n.connect);
    if (n.connect_or_create)
      lower_into(n.connect_or_create->create, add_connect_or_create(out.connect_or_create, n.connect_or_create->where));
    if constexpr (requires { n.upsert; }) {
      out.disconnect = n.disconnect.on();
      out.delete_one = n.delete_.on();
      if (n.update) lower_into(*n.update, add_update(out.update, nullptr));
      if (n.upsert) {
        write::UpsertItem& item = add_upsert(out.upsert, nullptr);
        lower_into(n.upsert->create, item.create);
        lower_into(n.upsert->update, item.update);
      }
    }
  }
}

// ---- running --------------------------------------------------------------------------------

// A column of the cursor's row as the executor's value, by the column's kind.
template <class Cur>
write::Value read_value(const Cur& cur, int i, const write::Column& c) {
  if (cur.is_null(i)) return write::null_value();
  auto as = [&]<class T>(std::type_identity<T>) -> write::Value {
    T v{};
    cur.read(i, v);
    return write::Value(std::in_place_type<T>, std::move(v));
  };
  using K = meta::ScalarKind;
  if ((c.flags & meta::flags::list) != 0) return as(std::type_identity<std::string>{});  // its array text
  switch (c.kind) {
    case K::Boolean: return as(std::type_identity<bool>{});
    case K::Int: return as(std::type_identity<std::int32_t>{});
    case K::BigInt: return as(std::type_identity<std::int64_t>{});
    case K::Float: return as(std::type_identity<double>{});
    case K::Decimal: return as(std::type_identity<Decimal>{});
    case K::DateTime: return as(std::type_identity<DateTime>{});
    case K::Json: return as(std::type_identity<Json>{});
    case K::Bytes: return as(std::type_identity<Bytes>{});
    case K::String:
    case K::Enum: break;
  }
  return as(std::type_identity<std::string>{});
}

// The executor's connection over one of the drivers' (blocking SQLite, blocking or asynchronous
// PostgreSQL).
template <class Conn>
class WriteConnection final : public write::Connection {
 public:
  explicit WriteConnection(Conn& c) : c_(c) {}
  std::vector<write::Row> run(std::string_view text, const write::Params& params, const write::ModelInfo* read,
                              std::int64_t* affected) override {
    auto cur = c_.cursor(text);
    replay(cur, params);
    std::vector<write::Row> rows;
    while (cur.step()) {
      if (!read) continue;
      write::Row row;
      row.reserve(read->columns.size());
      for (std::size_t i = 0; i < read->columns.size(); ++i)
        row.push_back(read_value(cur, static_cast<int>(i), read->columns[i]));
      rows.push_back(std::move(row));
    }
    if (affected) *affected = cur.affected();
    return rows;
  }

 private:
  Conn& c_;
};

// db.<model>.create(data) with nested writes: every statement on `conn`, in the caller's
// transaction.
template <class Input>
constexpr bool has_relation_members() {
  return std::remove_cv_t<decltype(meta::input_traits<Input>::relations)>::size > 0;
}

template <sql::Dialect D, class Conn, class Input>
input_model<Input> nested_create(Conn& conn, const Input& in) {
  // an input without relation members never gets here (nor needs the generated library)
  if constexpr (!has_relation_members<Input>()) throw std::logic_error("prisma: no nested writes in this input");
  write::Data data = lower(in);
  WriteConnection<Conn> c(conn);
  return from_row<input_model<Input>>(write::run_create(c, D, DateTime::now(), data));
}

// db.<model>.update(filter, data) with nested writes; nothing when no record matches.
template <sql::Dialect D, class Conn, class F, class Input>
std::optional<input_model<Input>> nested_update(Conn& conn, const F& filter, const Input& in) {
  if constexpr (!has_relation_members<Input>()) throw std::logic_error("prisma: no nested writes in this input");
  write::Data data = lower(in);
  KeptFilter<input_model<Input>> where;
  where.keep(filter);
  WriteConnection<Conn> c(conn);
  auto row = write::run_update(c, D, DateTime::now(), data, criterion(where));
  if (!row) return std::nullopt;
  return from_row<input_model<Input>>(*row);
}

// ---- checks of a create without nested writes -------------------------------------------------

template <class Input, std::size_t I>
bool scalar_given(const Input& in) {
  constexpr auto mp = input_member<Input, I>();
  if constexpr (std::is_same_v<std::remove_cv_t<decltype(mp)>, std::nullptr_t>) {
    return false;
  } else {
    using Col = std::tuple_element_t<I, typename meta::model_traits<input_model<Input>>::columns>;
    const auto& m = in.*mp;
    if constexpr (is_required<std::remove_cvref_t<decltype(m)>>::value) return true;
    else return m.has_value() || (Col::descriptor::flags & meta::flags::has_default) != 0;
  }
}

template <class Input, class Desc>
void check_relation(const Input& in) {
  if constexpr (required_owned<Desc>()) {
    bool given = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return (scalar_given<Input, Desc::local[I]>(in) && ...);
    }(std::make_index_sequence<Desc::local.size()>{});
    if (!given)
      throw ValidationError("Argument `" + std::string(Desc::name) + "` is missing: create of " +
                            std::string(meta::model_traits<input_model<Input>>::name) + " needs its " +
                            std::string(Desc::name) +
                            ", by its foreign key field or by a nested create / connect / connect_or_create");
  }
}

// Every required relation whose foreign key this model holds is given by its scalars (a create
// with nested writes checks this in the executor, where a nested write may give it).
template <class Input>
void check_required(const Input& in) {
  constexpr auto rels = meta::input_traits<Input>::relations;
  [&]<std::size_t... R>(std::index_sequence<R...>) {
    (check_relation<Input, typename std::remove_cvref_t<decltype(in.*meta::get<R>(rels))>::descriptor>(in), ...);
  }(std::make_index_sequence<decltype(rels)::size>{});
}

}  // namespace detail
}  // namespace prisma
