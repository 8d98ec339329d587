// Engine::Impl, the run-time engine's state and operations, defined by concern: engine.cpp (the
// actions' dispatch, transactions, the public API), engine_reads.cpp (selections, includes,
// relation counts, paging, the SELECT of a query, groupBy, raw queries), engine_writes.cpp
// (nested writes). The SQL pieces are in engine_sql.hpp.
#pragma once
#include "serve/engine.hpp"
#include "serve/engine_sql.hpp"
#include "serve/raw_result.hpp"
#include "serve/secrets.hpp"
#include "serve/values.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <prisma/client/transaction.hpp>
#include <prisma/core/ids.hpp>
#include <prisma/sql/dialect.hpp>
#include <prisma/sql/statements.hpp>
#include <prisma/migrate.hpp>

#include <prisma/client/write_executor.hpp>

#include <atomic>
#include <deque>
#include <cmath>
#include <cstring>
#include <set>
#include <map>
#include <optional>
#include <variant>

namespace prisma_cpp::serve {

using prisma::sql::quoted_ident;
namespace json = boost::json;
using namespace values;      // QueryError, invalid, Value, to_value, read_field, ...
using namespace engine_sql;  // the query layer (serve/engine_sql.hpp)

// The schema as the nested-write executor's metadata (prisma/query/write_tree.hpp), built once
// from the IR: per model its columns (the scalar fields a row reads, in field order), key and
// required relations; per relation field its sides.
struct WriteSchema {
  explicit WriteSchema(const ir::Schema& s);
  std::vector<prisma::write::ModelInfo> models;  // by the IR's model index
  std::vector<std::vector<prisma::write::Column>> columns;
  std::vector<std::vector<const ir::Field*>> fields;  // the field of each column
  std::vector<std::vector<std::size_t>> keys;
  std::vector<std::string> column_lists;
  std::vector<std::vector<prisma::write::RequiredRelation>> required;
  std::map<const ir::Field*, prisma::write::RelationInfo> relations;
  std::vector<std::vector<prisma::write::Referrer>> referrers;  // relationMode = "prisma"
  // The column of field f of model mi.
  std::size_t column(std::size_t mi, const ir::Field& f) const;

 private:
  std::string_view text(std::string s);
  std::deque<std::vector<std::size_t>> indexes;
  std::deque<std::string> strings;
};

struct Engine::Impl {
  ir::Schema schema;
  std::unique_ptr<WriteSchema> wschema;
  EngineOptions options;
  bool sqlite = true;
  // Prisma's metrics for /metrics (query counts and durations, the pool's gauges)
  std::unique_ptr<prisma::detail::Instrumentation> instr =
      std::make_unique<prisma::detail::Instrumentation>(prisma::ClientOptions{.metrics = true});
  std::unique_ptr<prisma::driver::sqlite::Pool> lpool;
  std::unique_ptr<prisma::driver::postgres::Pool> ppool;

  // An interactive transaction: its connection, held until commit, rollback or the timeout.
  struct Tx {
    std::string id;
    std::mutex m;  // one request at a time on the transaction's connection
    std::optional<prisma::driver::sqlite::Pool::Lease> llease;
    std::optional<prisma::driver::postgres::Pool::Lease> please;
    std::unique_ptr<prisma::driver::sqlite::Atomic> latomic;
    std::unique_ptr<prisma::driver::postgres::Atomic> patomic;
    std::chrono::steady_clock::time_point started, deadline;
    std::chrono::milliseconds timeout{5000};
    Db db() {
      Db d;
      d.sqlite = llease.has_value();
      if (llease) d.lite = &**llease;
      else d.pg = &**please;
      return d;
    }
    void end(bool commit) {
      if (commit) {
        if (latomic) latomic->commit();
        if (patomic) patomic->commit();
      }
      latomic.reset();  // rolls back unless committed, before the connection goes back
      patomic.reset();
      llease.reset();
      please.reset();
    }
  };
  std::mutex txs_mu;
  std::map<std::string, std::shared_ptr<Tx>> txs;
  // Transactions rolled back at their timeout, remembered (10 minutes, at most 10,000) so that the
  // client's next request on one is told it expired (P2028 "Transaction already closed"), as
  // Prisma's engine tells it, rather than that it never existed.
  struct Expired {
    std::chrono::steady_clock::time_point started, at;
    std::chrono::milliseconds timeout;
  };
  std::map<std::string, Expired> expired_txs;

  // P2028 for a request (`what`: "A query", "A commit", "A rollback") on an expired transaction.
  static json::value expired_error(const char* what, const Expired& e);
  // The expired transaction `id`, if remembered (the caller holds txs_mu).
  std::optional<Expired> expired_tx(const std::string& id);

  // Rolls back a transaction past its timeout; the caller holds tx->m (never txs_mu).
  void expire(const std::shared_ptr<Tx>& tx);

  // A lease on a pooled connection for one request.
  template <class F>
  auto with_db(F&& f) {
    if (sqlite) {
      auto lease = lpool->acquire();
      Db d{true, &*lease, nullptr};
      return f(d);
    }
    auto lease = ppool->acquire();
    Db d{false, nullptr, &*lease};
    return f(d);
  }

  // A model of the client's API (an @@ignore model is not one).
  const ir::Model* model(const std::string& name);

  // A value the client fills in: now(), uuid(), cuid(), nanoid(), ulid(), @updatedAt.
  std::optional<Value> client_default(const ir::Model& m, const ir::Field& f);

  // The key a row has for relation `l` (its local fields' values), as text; empty when a part is null.
  static std::string row_key(const json::object& row, const std::vector<const ir::Field*>& fields);

  // `cols IN (...)` (or, over a compound key, `(a = ? AND b = ?) OR ...`) for the parents' keys.
  std::string key_condition(Sql& sql, const std::vector<std::string>& cols, const std::vector<const ir::Field*>& key_fields,
                            const json::array& rows, const std::vector<const ir::Field*>& row_fields, const std::string& p);

  // Loads the relation selections of `sel` into `rows` (one query per relation and level, WHERE key
  // IN (...), as the typed client's include; many-to-many through the join table) and the `_count`
  // of relations, then drops the key fields only loaded for that.
  void attach(Db& db, const Model& M, json::array& rows, const json::value& sel, const std::set<std::string>& hidden,
              const std::string& path);

  // One relation of a selection loaded into the rows (its arguments checked), then its own.
  void include(Db& db, const Model& M, json::array& rows, const ir::Field& f, const json::value& v, const std::string& p);
  // The related rows of `rows` for an include (one query: WHERE key IN (...) [AND where] ORDER BY),
  // with each child's key in child_keys; key columns read only for that go into child_hidden.
  json::array load_children(Db& db, const Link& l, const json::array& rows, const json::object& args,
                            const std::vector<const ir::Field*>& fs, std::set<std::string>& child_hidden,
                            std::vector<std::string>& child_keys, const std::string& p);
  // The FROM of a relation's target rows for a batch of parents (sql::keyed_from), under a new
  // alias, and the columns that hold each row's parent key.
  struct Keyed {
    std::string alias, from;
    std::vector<std::string> key_cols;
  };
  static Keyed keyed(const Link& l);

  // skip, then take (negative: the last n before the skipped ones, as the typed client).
  static json::array page(json::array all, std::int64_t skip, std::int64_t take, bool has_take);

  // `_count: {selection: {posts: true, comments: {arguments: {where}}}}`: one grouped COUNT per relation.
  void attach_counts(Db& db, const Model& M, json::array& rows, const json::value& v, const std::string& path);

  // queryRaw / executeRaw: the SQL as given (the raw API says so: only its parameters are bound).
  json::value raw(Db& db, const std::string& action, const json::object& query);

  // A query of this engine's own, on another model.
  json::value sub(Db& db, const std::string& model, const char* action, json::object args, json::value selection);

  [[noreturn]] static void not_found(const std::string& model, const std::string& what);
  static json::array items(const json::value& x);
  static json::object obj(const json::value& x, const std::string& p);

  // A where of model T (JSON protocol) as the executor's criterion: rendered by where_sql into the
  // statement it ends up in.
  prisma::write::Criterion criterion(const Model& T, const json::value& where, const std::string& p);
  // One scalar member of a create's or update's data (a value, or {set|increment|...|push: x}).
  prisma::write::ScalarWrite scalar_write(const ir::Field& f, std::size_t column, const json::value& v, const std::string& p,
                                          bool update);
  // A create's or update's data with its nested writes as the executor's write tree; P2012 for a
  // required field left out of a create.
  prisma::write::Data lower(const Model& M, const json::value& data, const std::string& path, bool update);
  prisma::write::RelationWrite lower_relation(const Model& M, const ir::Field& f, const json::value& v, const std::string& path,
                                              bool update);
  void lower_updates(const Model& T, const std::string& op, const json::value& arg, const std::string& p, bool list,
                     prisma::write::RelationWrite& rw);
  // A key column's value as a where's JSON.
  static json::value key_json(const prisma::write::Value& v);

  // createOne / updateOne with nested writes, all in one transaction (a savepoint inside another),
  // run by the runtime's executor (prisma/client/write_executor.hpp, as the typed client runs
  // them); then the row read back with the selection.
  json::value nested_write(Db& db, const Model& M, const json::object& data, const json::value& selection, const std::string& path,
                           const json::value* update_where);

  // The take/skip of a read: a negative take reads backwards (then the rows are flipped).
  struct Paging {
    std::int64_t take = 0, skip = 0;
    bool has_take = false, reversed = false, sql_paging = true;
  };
  static Paging paging(const json::object& args, const std::string& path, bool many);

  // The distinct key of a row (nulls included, as values).
  static std::string row_key_nulls(const json::object& row, const std::vector<const ir::Field*>& fields);

  // A where that names a unique criterion (findUnique, cursor, updateOne, deleteOne, upsertOne):
  // every field of the id or of a unique, or a compound unique by its name.
  void require_unique(const Model& M, const json::object& args, const std::string& path, const char* arg = "where");

  // SELECT <list> FROM <table> WHERE <where> [AND <cursor>] [ORDER BY ...] [LIMIT ?] [OFFSET ?], the
  // typed client's Select: a cursor orders by the order's fields then the id's, and starts at its row.
  std::string select_sql(Sql& sql, const Model& M, const json::object& args, const std::string& list, const std::string& path,
                         const Paging& pg);

  // groupBy's having: AND/OR/NOT, a by-field's own filter, or an aggregate of a field
  // (`{"views": {"_sum": {"gt": 5}}}`).
  std::string having_sql(const Model& M, const json::value& h, Sql& sql, const std::string& path);

  // groupBy's orderBy: by-fields, or aggregates (`{"_count": {"authorId": "desc"}}`).
  std::string group_order(const Model& M, const json::value& o, const std::string& path, const std::vector<const ir::Field*>& by,
                          bool sqlite);

  // One model query being answered: run() parses it, the action's function answers it.
  struct Call {
    Db& db;
    Model M;
    std::string model_name, action, path;  // path: where in the query an error points ("Query.findManyUser")
    json::object args;
    json::value selection;
    Sql sql;                        // the statement being built, and its parameters
    std::set<std::string> hidden;   // fields read only for an include or distinct, dropped from the answer
  };
  // One assignment of a create's or update's data: the column, the operation, the value's SQL
  // (a placeholder).
  struct Assignment {
    const ir::Field* field;
    prisma::sql::Assign op;
    std::string value;
  };

  json::value run(Db& db, const json::object& query);
  json::value find_rows(Call& c);       // findMany, findFirst(OrThrow), findUnique(OrThrow)
  json::value aggregate_rows(Call& c);  // aggregate, groupBy
  json::value write_row(Call& c);       // createOne, updateOne, updateMany(AndReturn) (nested writes: nested_write)
  json::value upsert(Call& c);          // upsertOne
  json::value create_many(Call& c);     // createMany, createManyAndReturn
  json::value delete_rows(Call& c);     // deleteOne, deleteMany
  // relationMode = "prisma": whether rows of M are pointed at by relations whose actions the
  // engine carries out, and whether an update's data writes a column such a relation references;
  // updateMany and deleteOne / deleteMany of such rows through the executor, which acts.
  bool acts(const Model& M) const;
  bool touches_referenced(const Model& M, const json::value& data) const;
  json::value acted_update_many(Call& c);
  prisma::write::Criterion acted_where(Call& c);
  json::value acted_delete(Call& c);
  // The nested-write executor's connection over the query's connection.
  std::unique_ptr<prisma::write::Connection> write_connection(Db& db);
  // The data's assignments, with the client's defaults (create) or @updatedAt (update) added;
  // P2012 for a required field a create leaves out.
  std::vector<Assignment> assignments_of(Call& c, bool create);
  std::string where_of(Call& c);  // the where's condition; empty without one
  // `where`, or with the `limit` argument (updateMany, deleteMany): at most that many of the rows
  // it names, by their key.
  std::string limited_where(Call& c, std::string where);
  std::vector<const ir::Field*> fields_of(Call& c);
  json::array finish(Call& c, json::array rows);  // the selection's relations loaded into the rows
  json::value finish_one(Call& c, json::value row);

  static json::value error_response(const std::string& code, const std::string& message, const json::object& meta);

  json::value one(Db& db, const json::object& query);

  // The engine's options, on every query (a batch's items too): codes the Studio answers with 403.
  void allow(const std::string& action) const;
};

}  // namespace prisma_cpp::serve
