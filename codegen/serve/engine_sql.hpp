// The run-time engine's query layer (serve/engine.cpp runs it): the schema's view of a model and
// its unique keys, relation links, SQL with its parameters, filters (where, fields, scalar lists,
// relations), order, selections, aggregates, and Db, one connection type over both drivers. What
// differs between the dialects comes from <prisma/sql/dialect.hpp>, as in the typed client.
#pragma once
#include "schema/ir.hpp"
#include "serve/values.hpp"

#include <boost/json.hpp>

#include <prisma/driver/postgres.hpp>
#include <prisma/driver/sqlite.hpp>
#include <prisma/sql/dialect.hpp>
#include <prisma/sql/filters.hpp>
#include <prisma/sql/statements.hpp>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace prisma_cpp::serve::engine_sql {

using prisma::sql::quoted_ident;
namespace json = boost::json;
using namespace values;  // QueryError, invalid, Value, to_value, read_field, ...

// ---- the schema's view --------------------------------------------------------------------

struct Model {
  const ir::Model* m;
  const ir::Schema* s;
  // A field of the client's API: Unsupported(...) and @ignore fields are not part of it (Prisma
  // leaves them out of its client; the database fills them).
  const ir::Field* field(const std::string& name) const {
    for (const auto& f : m->fields)
      if (f.name == name) return f.is_ignored || f.kind == ir::FieldKind::Unsupported ? nullptr : &f;
    return nullptr;
  }
  // A scalar field; a scalar list only where `lists` (filters, selections, writes: not in orderBy,
  // aggregates, groupBy or distinct, as in Prisma).
  const ir::Field& scalar(const std::string& name, const std::string& where, bool lists = false) const {
    const ir::Field* f = field(name);
    if (!f) invalid("Unknown field `" + name + "` for model `" + m->name + "` at `" + where + "`");
    if (f->kind == ir::FieldKind::Relation)
      invalid("the relation field `" + name + "` at `" + where +
              "` is not served by prisma-cpp's engine yet (relations in filters, selections and writes)");
    if (f->list && !lists) invalid("the scalar list field `" + name + "` at `" + where + "` cannot be used there");
    return *f;
  }
};

// The unique criteria of a model (its id, then each unique), each as fields and the name Prisma's
// client gives a compound one (`orderId_sku`, or `name:`).
struct UniqueKey {
  std::vector<const ir::Field*> fields;
  std::string name;  // compound only
};
std::vector<UniqueKey> unique_keys(const ir::Model& m);

// A relation field seen from its model: how its rows join the related model's rows. Direct
// (1:1, 1:n): local[i] = remote[i]; implicit many-to-many: local = this model's id, remote = the
// target's id, through the join table's columns A and B.
struct Link {
  const ir::Field* field = nullptr;
  const ir::Model* target = nullptr;
  const ir::Field* back = nullptr;  // the relation field on the other side
  bool m2m = false;
  bool holds_fk = false;  // this model's row holds the foreign key
  std::vector<const ir::Field*> local, remote;
  std::string join_table, join_self, join_other;
  std::string join_schema;  // model A's schema (PostgreSQL), where Prisma puts the join table
};

// A model's table as SQL names it: schema-qualified when the model has @@schema (PostgreSQL), as
// the typed client names it (sql::table_name).
// ` RETURNING <columns>` (sql/dialect.hpp)
std::string returning_sql(const std::string& columns);

// Run where the server's dialect is PostgreSQL (a schema is refused on SQLite by validation).
// The model's table as the statement shapes take it (its @@schema, if any, and name).
prisma::sql::Table table_of(const ir::Model& m);
std::string table_sql(const ir::Model& m);

Link link_of(const Model& M, const ir::Field& f);

// A fresh alias for a table in a subquery.
std::string new_alias();

// The related rows of `self`'s row: "FROM <target> AS <alias> [JOIN <join table>] WHERE <correlation>".
std::string related_from(const Link& l, const std::string& self, const std::string& alias_raw);

// ---- SQL with its parameters ----------------------------------------------------------------

struct Sql {
  bool sqlite;
  std::string text;
  std::vector<Value> params;
  prisma::sql::Dialect dialect() const { return sqlite ? prisma::sql::Dialect::Sqlite : prisma::sql::Dialect::Postgresql; }
  std::string param(Value v) {
    params.push_back(std::move(v));
    std::string out;
    prisma::sql::StringSink sink{out};
    prisma::sql::placeholder(sink, dialect(), params.size());
    return out;
  }
  // ` LIMIT $n OFFSET $m` (the shared rule: sql/dialect.hpp), the values bound here
  void limit_offset(std::string& out, std::optional<std::int64_t> take, std::optional<std::int64_t> skip) {
    std::size_t p = params.size() + 1;
    if (take) params.emplace_back(*take);
    if (skip) params.emplace_back(*skip);
    prisma::sql::StringSink sink{out};
    prisma::sql::limit_offset(sink, dialect(), take.has_value(), skip.has_value(), p);
  }
};

// Conditions joined with AND (a where's fields; `1 = 1` for none), and a where's AND / OR / NOT
// over its sub-conditions ((a) OR (b); NOT ((a) AND (b)); an empty OR is false).
std::string and_sql(const std::vector<std::string>& parts);
std::string logic_sql(const std::string& op, const std::vector<std::string>& subs);
// <cond> AND (<filter>) (sql::narrowed).
std::string narrowed(const std::string& cond, const std::string& filter);

// `self`: how the model's table is named in the statement (its table, or a subquery's alias).
std::string where_sql(const Model& M, const json::value& w, Sql& q, const std::string& path, const std::string& self = {});

// A scalar list (PostgreSQL arrays): has, hasSome, hasEvery, isEmpty, equals (a plain list is
// equals), rendered as the typed client renders them (ListFilter): `$1 = ANY(col)`, `col && $1`,
// `col @> $1`, `cardinality(col) = 0`, `col = $1`.
std::string list_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                        const std::string& col);

// `expr`: the filtered expression when not the field's column (groupBy's having on an aggregate).
// A filter's parts as one condition: the part itself, or (<p0> AND <p1> ...); `1 = 1` for none.
std::string all_parts(const std::vector<std::string>& parts);
// What a shape renders into a sink, as a string.
template <class F>
std::string render(F&& f) {
  std::string out;
  prisma::sql::StringSink s{out};
  f(s);
  return out;
}
// A field reference ({"$type": "FieldRef", ...}) as the referenced column of the same row; nothing
// when `v` is not one (engine_json.cpp).
std::optional<std::string> field_ref(const Model& M, const ir::Field& f, const json::value& v, const std::string& path,
                                     const std::string& self);
// A Json field's filter object (engine_json.cpp).
std::string json_filter(const Model& M, const ir::Field& f, const json::object& o, Sql& q, const std::string& path,
                        const std::string& col);
std::string field_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                         const std::string& self, const std::string& expr = {});

// A relation filter: EXISTS over the related rows, correlated on the relation's key (or through
// the join table). to-many: some / every / none; to-one: is / isNot (or the related filter itself, as `is`).
std::string relation_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                            const std::string& self);


// One term of an order: a column (or a relation's count / a to-one relation's column, as a
// correlated subquery), its direction and where NULLs go (0 default, 1 first, 2 last).
struct OrderTerm {
  std::string expr;
  bool desc = false;
  int nulls = 0;
  const ir::Field* field = nullptr;  // a scalar of the model itself (cursors order by these only)
  // `_relevance` (PostgreSQL): its columns and query; expr is rendered by order_list, which binds
  // the query where the ORDER BY stands among the statement's parameters
  std::vector<std::string> relevance_columns;
  std::optional<std::string> relevance_query;
};

std::vector<OrderTerm> order_terms(const Model& M, const json::value& o, const std::string& path, const std::string& self);

// ORDER BY's list (without the keyword); `reversed` reads backwards (a negative take).
// `sql`: where a `_relevance` term binds its query (without one, such a term is refused).
std::string order_list(const std::vector<OrderTerm>& terms, bool reversed, bool sqlite, Sql* sql = nullptr);

// The scalar fields a selection asks for (`$scalars`, fields named true, fields named false or in
// `omit` left out), plus (in `hidden`) the key fields its relation selections need to stitch rows
// together.
std::vector<const ir::Field*> selected(const Model& M, const json::value& sel, const std::string& path,
                                      std::set<std::string>* hidden = nullptr, const json::value* omit = nullptr);

std::string columns(const std::vector<const ir::Field*>& fs);

// ---- running on a connection ------------------------------------------------------------------

// One connection of the engine's pool (a lease, or an interactive transaction's), for one request.
struct Db {
  bool sqlite = true;
  prisma::driver::sqlite::Connection* lite = nullptr;
  prisma::driver::postgres::Connection* pg = nullptr;

  template <class F>
  auto with_cursor(const Sql& q, F&& f) {
    if (sqlite) {
      auto cur = lite->cursor(q.text);
      for (std::size_t i = 0; i < q.params.size(); ++i) {
        int n = static_cast<int>(i) + 1;
        std::visit([&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) cur.bind_null(n);
          else cur.bind(n, v);
        }, q.params[i]);
      }
      return f(cur, [&] { return lite->changes(); });
    }
    auto cur = pg->cursor(q.text);
    for (const auto& p : q.params)
      std::visit([&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) cur.null();
        else cur(v);
      }, p);
    return f(cur, [&] { return cur.affected(); });
  }

  json::array rows(const ir::Schema& s, const Sql& q, const std::vector<const ir::Field*>& fields) {
    std::vector<std::string> names;
    for (const auto* f : fields) names.push_back(f->name);
    return rows_named(s, q, fields, names);
  }
  // Rows whose columns read as `fields` and are named `names` in the output.
  json::array rows_named(const ir::Schema& s, const Sql& q, const std::vector<const ir::Field*>& fields,
                         const std::vector<std::string>& names) {
    return with_cursor(q, [&](auto& cur, auto) {
      json::array out;
      while (cur.step()) {
        json::object row;
        for (std::size_t i = 0; i < fields.size(); ++i) row[names[i]] = read_field(s, *fields[i], cur, static_cast<int>(i));
        out.push_back(std::move(row));
      }
      return out;
    });
  }
  // Runs a write to its end; the rows it changed.
  std::int64_t count(const Sql& q) {
    return with_cursor(q, [&](auto& cur, auto changes) {
      cur.finish();
      return static_cast<std::int64_t>(changes());
    });
  }
  std::int64_t scalar(const Sql& q) {
    return with_cursor(q, [&](auto& cur, auto) {
      std::int64_t n = 0;
      if (cur.step()) cur.read(0, n);
      return n;
    });
  }
  void exec(const std::string& sql) {
    if (sqlite) lite->exec(sql);
    else pg->exec(sql);
  }
  // body() all or nothing: a transaction (`begin`, or BEGIN IMMEDIATE / BEGIN), or a savepoint when
  // one is open already (begin empty).
  // `begin`: the statement that begins a transaction of the client's (a batch's: its isolation
  // level); empty for the engine's own (a savepoint inside a transaction already open).
  template <class F>
  json::value atomic(F&& body, const std::string& begin = {}) {
    auto run = [&](auto& t) {
      json::value out = body();
      t.commit();
      return out;
    };
    if (sqlite) {
      auto t = !begin.empty() ? std::make_unique<prisma::driver::sqlite::Atomic>(*lite, begin)
                              : std::make_unique<prisma::driver::sqlite::Atomic>(*lite);
      return run(*t);
    }
    auto t = !begin.empty() ? std::make_unique<prisma::driver::postgres::Atomic>(*pg, begin)
                            : std::make_unique<prisma::driver::postgres::Atomic>(*pg);
    return run(*t);
  }
};

// The aggregates a selection asks for: _count (with _all), _sum, _avg, _min, _max over scalars.
// The BEGIN of a client's transaction with its options' `isolationLevel` (Prisma's names), as the
// typed client begins one (prisma::detail::begin_statement: SQLite is Serializable only).
std::string begin_statement(bool sqlite, const json::value& options);

struct Agg {
  std::string op;          // _count, _sum, _avg, _min, _max
  const ir::Field* field;  // nullptr: _count._all
};

std::vector<Agg> aggregates_of(const Model& M, const json::object& sel, const std::string& path,
                               std::vector<const ir::Field*>* by_fields = nullptr);

std::string aggregate_sql(const Agg& a);

// Reads aggregate `a` at `col` into `out[a.op][field or _all]`, in Prisma's output types.
template <class Cursor>
void read_aggregate(const ir::Schema& s, const Agg& a, Cursor& cur, int col, json::object& out) {
  json::object& group = out[a.op].is_object() ? out[a.op].as_object() : out[a.op].emplace_object();
  std::string name = a.field ? a.field->name : "_all";
  if (a.op == "_count") {
    std::int64_t n = 0;
    if (!cur.is_null(col)) cur.read(col, n);
    group[name] = n;
    return;
  }
  if (cur.is_null(col)) {
    group[name] = nullptr;
    return;
  }
  if (a.op == "_avg" && a.field->scalar != ir::ScalarType::Decimal) {
    double v = 0;
    cur.read(col, v);
    group[name] = std::isfinite(v) ? json::value(v) : json::value(nullptr);
    return;
  }
  if (a.op == "_sum" && a.field->scalar == ir::ScalarType::Int) {
    std::int64_t v = 0;
    cur.read(col, v);
    group[name] = v;
    return;
  }
  group[name] = read_field(s, *a.field, cur, col);
}

}  // namespace prisma_cpp::serve::engine_sql
