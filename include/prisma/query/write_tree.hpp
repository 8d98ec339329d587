// A write with nested writes as run-time data: the write as a tree (scalar values, then per
// relation the nested operations), over the schema's metadata (meta/write_info.hpp: tables,
// columns, keys, relation sides). The typed client lowers its `<Model>Create` / `<Model>Update`
// inputs into this tree (query/lower.hpp); the executor (client/write_executor.hpp) runs it with
// one connection in the caller's transaction, the same code for every model, every backend and
// every front end that builds the tree (it holds no C++ type of the schema).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "prisma/core/types.hpp"
#include "prisma/meta/write_info.hpp"
#include "prisma/query/bound.hpp"
#include "prisma/sql/dialect.hpp"
#include "prisma/sql/statements.hpp"

// A definition that two libraries of one program may both hold (the linker keeps one).
#if defined(__GNUC__) || defined(__clang__)
#define PRISMA_WEAK __attribute__((weak))
#else
#define PRISMA_WEAK inline
#endif

namespace prisma::write {

// One bound value: a column's value, or a criterion's parameter; a list bound as one parameter
// (a scalar list column's value on PostgreSQL, an in / not_in list); either.
using Value = prisma::detail::BoundValue;
using List = prisma::detail::BoundList;
using Param = prisma::detail::Bound;
using Params = std::vector<Param>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::nullopt_t>(v); }
inline Value null_value() { return Value(std::in_place_type<std::nullopt_t>, std::nullopt); }

// A criterion on a target model (a unique one for connect / disconnect / delete / update /
// upsert, any filter for delete_many / update_many): its SQL, rendered into a statement whose
// parameters so far are `params` (placeholders number on from there), appending its own.
struct Criterion {
  std::function<void(sql::Dialect, std::string&, Params&)> render;
  bool empty() const { return !render; }
};

enum class Op : char { Set = '=', Increment = '+', Decrement = '-', Multiply = '*', Divide = '/', Push = 'p' };

struct ScalarWrite {
  std::size_t column = 0;
  Op op = Op::Set;
  Param value;
};

struct RelationWrite;

// One create or update input: its scalar members that are set, and its nested writes.
struct Data {
  const ModelInfo* model = nullptr;
  std::vector<ScalarWrite> scalars;
  std::vector<RelationWrite> relations;
  const ScalarWrite* scalar(std::size_t column) const {
    for (const auto& s : scalars)
      if (s.column == column) return &s;
    return nullptr;
  }
};

struct ConnectOrCreate {
  Criterion where;
  Data create;
};
struct UpdateItem {
  Criterion where;  // may be empty on a to-one relation: the one connected
  Data data;
};
struct UpsertItem {
  Criterion where;  // may be empty on a to-one relation
  Data create, update;
};

// The nested writes through one relation member. On a to-one relation every list holds at most
// one item (and `disconnect` / `delete_one` are its flags); several set at once is refused.
struct RelationWrite {
  const RelationInfo* relation = nullptr;
  std::vector<Data> create;
  std::vector<Data> create_many;
  bool skip_duplicates = false;
  std::vector<Criterion> connect;
  std::vector<ConnectOrCreate> connect_or_create;
  bool set = false;  // to-many `set`: these stay connected, every other one lets go
  std::vector<Criterion> set_items;
  bool disconnect = false;  // to-many: the items; to-one: the one connected (if it matches the item)
  std::vector<Criterion> disconnect_items;
  bool delete_one = false;  // to-one (if it matches the item); to-many: the items
  std::vector<Criterion> delete_items;
  std::vector<Criterion> delete_many;
  std::vector<UpdateItem> update;
  std::vector<UpdateItem> update_many;
  std::vector<UpsertItem> upsert;

  // How many of the ways of a to-one relation are given (one at most).
  int to_one_ways() const {
    return static_cast<int>(create.size() + connect.size() + connect_or_create.size() + update.size() + upsert.size()) +
           (disconnect ? 1 : 0) + (delete_one ? 1 : 0);
  }
  bool empty() const {
    return create.empty() && create_many.empty() && connect.empty() && connect_or_create.empty() && !set &&
           !disconnect && disconnect_items.empty() && !delete_one && delete_items.empty() && delete_many.empty() &&
           update.empty() && update_many.empty() && upsert.empty();
  }
};

// `c` (every row when empty) narrowed to at most n of the rows it names, by the model's key
// (updateMany / deleteMany's `limit`, sql::limited).
inline Criterion limited(const ModelInfo& m, Criterion c, std::int64_t n) {
  return Criterion{[&m, c = std::move(c), n](sql::Dialect d, std::string& out, Params& ps) {
    std::string where;
    if (!c.empty()) c.render(d, where, ps);
    ps.emplace_back(std::in_place_type<Value>, n);
    sql::StringSink s{out};
    auto keys = [&](auto& o) {
      for (std::size_t i = 0; i < m.key.size(); ++i) {
        if (i) o.append(", ");
        sql::quote_ident(o, m.columns[m.key[i]].db_name);
      }
    };
    sql::limited(s, d, keys, [&](auto& o) { sql::table(o, d, sql::Table{m.schema, m.db_name}); }, !c.empty(), sql::Piece{where},
                 ps.size());
  }};
}

// A row as read by the executor: one value per column of its model (a scalar list column as
// its array text).
using Row = std::vector<Value>;

// What the executor needs of a connection: run one statement with its parameters; with `read`,
// return its rows as that model's columns (SELECT / RETURNING of ModelInfo::column_list).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual std::vector<Row> run(std::string_view text, const Params& params, const ModelInfo* read,
                               std::int64_t* affected) = 0;
};

// The executor (client/write_executor.hpp) run on a tree: create (the row created) and update of
// the record `where` names (nothing when there is none). Compiled once per program, not in every
// translation unit that writes: in the generated nested-write library and in the run-time engine.
Row run_create(Connection& conn, sql::Dialect dialect, DateTime now, const Data& data);
std::optional<Row> run_update(Connection& conn, sql::Dialect dialect, DateTime now, const Data& data,
                              const Criterion& where);
// relationMode = "prisma" (a model with ModelInfo::referrers): update of every row `where` names
// (all without one; scalars only), and delete of them (the deleted rows into `read` when given),
// with the referential actions of the relations pointing at them (client/referential_actions.hpp).
std::int64_t run_update_many(Connection& conn, sql::Dialect dialect, DateTime now, const Data& data,
                             const Criterion& where);
std::int64_t run_delete(Connection& conn, sql::Dialect dialect, DateTime now, const ModelInfo& model,
                        const Criterion& where, std::vector<Row>* read);

}  // namespace prisma::write
