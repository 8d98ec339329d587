// Nested writes of the typed client: a `<Model>Create` / `<Model>Update` input whose relation
// members are set is lowered into a write tree (query/lower.hpp: its scalar values, and per
// relation member the nested operations, each naming the schema's metadata that the generated
// library defines), which the one executor (client/write_executor.hpp, compiled once, in that
// library) runs on one connection inside the caller's transaction. What is typed stays typed:
// the inputs, their compile-time checks (a unique criterion for connect, an optional relation
// for disconnect...) and the row returned.
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
#include "prisma/client/writes.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/query/lower.hpp"
#include "prisma/query/nested.hpp"
#include "prisma/query/write_tree.hpp"

// A scalar list read from its PostgreSQL array text (driver/postgres_text.hpp defines it; only a
// PostgreSQL client, which includes it, has list columns: SQLite has none).
namespace prisma::driver::postgres::text {
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

template <class Desc>
constexpr bool required_owned() {
  return Desc::owns_foreign_key && !Desc::is_optional;
}

// ---- values ---------------------------------------------------------------------------------

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
  write::Data data = detail::lower(in);
  WriteConnection<Conn> c(conn);
  return from_row<input_model<Input>>(write::run_create(c, D, DateTime::now(), data));
}

// The update of the record `filter` names through the executor (nested writes, relationMode =
// "prisma"'s actions), in the caller's transaction; nothing when no record matches.
template <sql::Dialect D, class Conn, class F, class Input>
std::optional<input_model<Input>> executor_update(Conn& conn, const F& filter, const Input& in) {
  write::Data data = detail::lower(in);
  KeptFilter<input_model<Input>> where;
  where.keep(filter);
  WriteConnection<Conn> c(conn);
  auto row = write::run_update(c, D, DateTime::now(), data, criterion(where));
  if (!row) return std::nullopt;
  return from_row<input_model<Input>>(*row);
}

// db.<model>.update(filter, data) with nested writes.
template <sql::Dialect D, class Conn, class F, class Input>
std::optional<input_model<Input>> nested_update(Conn& conn, const F& filter, const Input& in) {
  // an input without relation members never gets here (nor needs the generated library)
  if constexpr (!has_relation_members<Input>()) throw std::logic_error("prisma: no nested writes in this input");
  else return executor_update<D>(conn, filter, in);
}

// ---- relationMode = "prisma": writes that carry out referential actions ---------------------------

// Whether the model's rows are pointed at by relations whose actions the client carries out.
template <class M>
constexpr bool acts_on_relations = requires { meta::model_traits<M>::referenced_columns; };

// Whether an update writes a column such a relation references (a key of the update's shape,
// writes.hpp's UpdateWriter::shape: '0' / 'u' untouched).
template <class M>
bool touches_referenced(const std::string& shape) {
  if constexpr (acts_on_relations<M>) {
    for (std::size_t c : meta::model_traits<M>::referenced_columns)
      if (shape[c] != '0' && shape[c] != 'u') return true;
  }
  return false;
}


// The executor's criterion of a filter (every row without one), with a limit when >= 0.
template <class M, class... F>
write::Criterion acted_criterion(const KeptFilter<M>& where, std::int64_t limit) {
  write::Criterion c = sizeof...(F) ? criterion(where) : write::Criterion{};
  if (limit >= 0) c = write::limited(*meta::model_traits<M>::write_info, std::move(c), limit);
  return c;
}

// update_many of the rows `filter` names (every row without one; at most `limit` when >= 0); how many.
template <sql::Dialect D, class Conn, class Input, class... F>
std::int64_t acted_update_many(Conn& conn, std::int64_t limit, const Input& in, const F&... filter) {
  write::Data data = detail::lower(in);
  KeptFilter<input_model<Input>> where;
  (where.keep(filter), ...);
  WriteConnection<Conn> c(conn);
  return write::run_update_many(c, D, DateTime::now(), data, acted_criterion<input_model<Input>, F...>(where, limit));
}

// delete_ / delete_many of model M's rows `filter` names (every row without one; at most
// `limit` when >= 0): the rows deleted, as they were.
template <sql::Dialect D, class M, class Conn, class... F>
std::vector<M> acted_delete(Conn& conn, std::int64_t limit, const F&... filter) {
  KeptFilter<M> where;
  (where.keep(filter), ...);
  WriteConnection<Conn> c(conn);
  std::vector<write::Row> read;
  write::run_delete(c, D, DateTime::now(), *meta::model_traits<M>::write_info, acted_criterion<M, F...>(where, limit),
                    &read);
  std::vector<M> out;
  out.reserve(read.size());
  for (const auto& r : read) out.push_back(from_row<M>(r));
  return out;
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
