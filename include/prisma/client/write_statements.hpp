// The statements of nested writes (client/write_executor.hpp runs them): the conditions a
// nested write's WHERE is built from, SELECT / INSERT / UPDATE / DELETE of one model described by
// write::ModelInfo, the m:n join table's link and unlink, and the foreign keys a write fixes.
// Texts are built per call from the metadata (identifiers from the schema only, every value a
// bound parameter); the drivers keep prepared statements by text.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prisma/client/writes.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/core/ids.hpp"
#include "prisma/query/write_tree.hpp"
#include "prisma/sql/filters.hpp"
#include "prisma/sql/statements.hpp"
#include "prisma/sql/text.hpp"

namespace prisma::write {
// Columns a write sets itself rather than taking them from its data: the foreign keys a nested
// write fills from its parent, or from the record a connect / create resolved.
struct Fixed {
  std::vector<std::optional<Value>> values;
  explicit Fixed(const ModelInfo& m) : values(m.columns.size()) {}
};

namespace detail {

// A WHERE clause assembled at run time: parts joined with AND.
struct Where {
  std::vector<std::function<void(std::string&, Params&)>> parts;
  void render(std::string& out, Params& params) const {
    sql::StringSink s{out};
    sql::all_of(s, parts.size(), true, [&](auto&, std::size_t i) { parts[i](out, params); });
  }
};

inline void placeholder(std::string& out, sql::Dialect d, const Params& params) {
  sql::StringSink s{out};
  sql::placeholder(s, d, params.size());
}
inline void ident(std::string& out, std::string_view name) {
  sql::StringSink s{out};
  sql::quote_ident(s, name);
}
inline sql::Table table_of(const ModelInfo& m) { return {m.schema, m.db_name}; }
inline sql::Table join_table_of(const RelationInfo& r) { return {r.join_schema, r.join_table}; }
// A part that appends a column's quoted name.
inline auto column_part(std::string_view name) {
  return [name](auto& o) { sql::quote_ident(o, name); };
}

// Whether the client fills the column when a create leaves it out (@updatedAt, now(), uuid()...).
inline bool client_fills(const Column& c) {
  return (c.flags & meta::flags::updated_at) != 0 || meta::client_generated(c.default_kind);
}
inline Value generated(const Column& c, const DateTime& now) {
  using K = meta::DefaultKind;
  if ((c.flags & meta::flags::updated_at) != 0 || c.default_kind == K::Now) return now;
  switch (c.default_kind) {
    case K::Uuid4: return ids::uuid_v4();
    case K::Uuid7: return ids::uuid_v7();
    case K::Cuid1:
    case K::Cuid2: return ids::cuid();
    case K::Nanoid: return ids::nanoid(prisma::detail::nanoid_length(c.default_literal));
    case K::Ulid: return ids::ulid();
    default: return null_value();
  }
}

}  // namespace detail

// What the executor builds its work from: conditions, statements and keys over a connection.
class Statements {
 protected:
  using Where = detail::Where;
  Statements(Connection& conn, sql::Dialect dialect, DateTime now) : conn_(conn), d_(dialect), now_(now) {}

  // ---- conditions ---------------------------------------------------------------------------

  void add(Where& w, const Criterion& c) const {
    w.parts.push_back([this, &c](std::string& out, Params& ps) { c.render(d_, out, ps); });
  }
  void add_not(Where& w, const Criterion& c) const {
    w.parts.push_back([this, &c](std::string& out, Params& ps) {
      sql::StringSink s{out};
      sql::negation(s, [&](auto&) { c.render(d_, out, ps); });
    });
  }
  // `T.a = ? AND T.b = ?` for T's columns `tcols`, bound with row's columns `rcols`.
  void add_equal(Where& w, const ModelInfo& t, std::span<const std::size_t> tcols, const Row& row,
                 std::span<const std::size_t> rcols) const {
    std::vector<Value> vals;
    for (std::size_t c : rcols) vals.push_back(row[c]);
    w.parts.push_back([this, &t, tcols, vals = std::move(vals)](std::string& out, Params& ps) {
      sql::StringSink s{out};
      sql::equal(
          s, tcols.size(), [&](auto& o, std::size_t i) { sql::quote_ident(o, t.columns[tcols[i]].db_name); },
          [&](auto&, std::size_t i) { bind(out, ps, vals[i]); });
    });
  }
  // The target rows of relation `r` that belong to `row` (a row of r.model).
  void add_scope(Where& w, const RelationInfo& r, const Row& row) const {
    if (r.kind != meta::RelationKind::ManyToMany) return add_equal(w, *r.target, r.remote, row, r.local);
    Value key = row[r.local[0]];
    w.parts.push_back([this, &r, key](std::string& out, Params& ps) {
      sql::StringSink s{out};
      sql::in_subquery(
          s, detail::column_part(r.target->columns[r.remote[0]].db_name), false, detail::column_part(r.join_remote),
          [&](auto& o) { sql::table(o, d_, detail::join_table_of(r)); },
          [&](auto& o) { sql::equal(o, r.join_local, [&](auto&) { bind(out, ps, key); }); });
    });
  }
  void add_self(Where& w, const ModelInfo& m, const Row& row) const { add_equal(w, m, m.key, row, m.key); }

  // ---- statements ---------------------------------------------------------------------------

  std::vector<Row> run(const std::string& text, const Params& ps, const ModelInfo* read, std::int64_t* affected = nullptr) {
    return conn_.run(text, ps, read, affected);
  }

  std::optional<Row> select_one(const ModelInfo& t, const Where& where) {
    std::string text;
    sql::StringSink s{text};
    Params ps;
    std::size_t p = 0;  // LIMIT 1 binds nothing
    sql::select(
        s, d_, {.where = true, .first = true}, sql::Piece{t.column_list},
        [&](auto& o) { sql::table(o, d_, detail::table_of(t)); }, [&](auto&) { where.render(text, ps); }, sql::None{}, p);
    auto rows = run(text, ps, &t);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

  std::int64_t delete_where(const ModelInfo& t, const Where& where) {
    std::string text;
    sql::StringSink s{text};
    Params ps;
    sql::delete_from(s, d_, detail::table_of(t), true, [&](auto&) { where.render(text, ps); });
    std::int64_t n = 0;
    run(text, ps, nullptr, &n);
    return n;
  }

  // UPDATE T SET <the fixed columns> WHERE ...: moves foreign keys (connect, disconnect, set).
  std::int64_t set_columns(const ModelInfo& t, const Fixed& fixed, const Where& where) {
    std::string text;
    sql::StringSink s{text};
    Params ps;
    auto sets = [&](auto& o) {
      bool first = true;
      for (std::size_t i = 0; i < fixed.values.size(); ++i) {
        if (!fixed.values[i]) continue;
        if (!first) o.append(", ");
        first = false;
        sql::assignment(o, t.columns[i].db_name, sql::Assign::Set, [&](auto&) { bind(text, ps, *fixed.values[i]); });
      }
    };
    sql::update(s, d_, detail::table_of(t), sets, true, [&](auto&) { where.render(text, ps); });
    std::int64_t n = 0;
    run(text, ps, nullptr, &n);
    return n;
  }

  // INSERT of one row (no nested writes), returning it unless `skip_duplicates` (then nothing:
  // ON CONFLICT DO NOTHING returns no row for a duplicate).
  std::optional<Row> insert_row(const Data& in, const Fixed& fixed, bool skip_duplicates) {
    const ModelInfo& m = *in.model;
    std::vector<std::size_t> cols;
    Params ps;
    for (std::size_t i = 0; i < m.columns.size(); ++i) {
      const Column& c = m.columns[i];
      if (fixed.values[i]) {
        ps.emplace_back(std::in_place_type<Value>, *fixed.values[i]);
      } else if (const ScalarWrite* s = in.scalar(i)) {
        ps.push_back(s->value);
      } else if (detail::client_fills(c)) {
        ps.emplace_back(std::in_place_type<Value>, detail::generated(c, now_));
      } else {
        continue;
      }
      cols.push_back(i);
    }
    std::string text;
    sql::StringSink s{text};
    sql::insert(
        s, d_, detail::table_of(m), cols.size(),
        [&](auto& o, std::size_t i) { sql::quote_ident(o, m.columns[cols[i]].db_name); }, 1,
        [&](auto& o, std::size_t, std::size_t i) { sql::placeholder(o, d_, i + 1); },
        {skip_duplicates, skip_duplicates ? std::string_view() : std::string_view(m.column_list)});
    if (skip_duplicates) {  // ON CONFLICT DO NOTHING returns no row for a duplicate
      run(text, ps, nullptr);
      return std::nullopt;
    }
    auto rows = run(text, ps, &m);
    if (rows.empty()) throw DatabaseError("the insert returned no row");
    return std::move(rows.front());
  }

  // UPDATE of the rows `where` names with the data's scalars and `fixed`.
  std::vector<Row> update_rows(const Data& in, const Fixed& fixed, const Where& where, bool returning,
                               std::int64_t* affected = nullptr) {
    const ModelInfo& m = *in.model;
    std::string text;
    sql::StringSink s{text};
    Params ps;
    auto sets = [&](auto& o) {
      bool any = false;
      for (std::size_t i = 0; i < m.columns.size(); ++i) {
        const Column& c = m.columns[i];
        const ScalarWrite* sw = fixed.values[i] ? nullptr : in.scalar(i);
        auto op = sql::Assign::Set;
        if (fixed.values[i]) ps.emplace_back(std::in_place_type<Value>, *fixed.values[i]);
        else if (sw) ps.push_back(sw->value), op = static_cast<sql::Assign>(sw->op);
        else if ((c.flags & meta::flags::updated_at) != 0) ps.emplace_back(std::in_place_type<Value>, now_);
        else continue;
        if (any) o.append(", ");
        any = true;
        sql::assignment(o, c.db_name, op, [&](auto& v) { sql::placeholder(v, d_, ps.size()); });
      }
      if (!any) sql::unchanged(o, m.columns[0].db_name);
    };
    sql::update(s, d_, detail::table_of(m), sets, true, [&](auto&) { where.render(text, ps); },
                {.returning = returning ? std::string_view(m.column_list) : std::string_view()});
    return run(text, ps, returning ? &m : nullptr, affected);
  }

  void link(const RelationInfo& r, const Row& row, const Row& target) {
    std::string text;
    sql::StringSink s{text};
    sql::link(s, d_, detail::join_table_of(r), r.join_local, r.join_remote, 1);
    Params ps;
    ps.emplace_back(std::in_place_type<Value>, row[r.local[0]]);
    ps.emplace_back(std::in_place_type<Value>, target[r.remote[0]]);
    run(text, ps, nullptr);
  }

  // Removes row's links of relation `r` (to the targets `targets` names, or all of them).
  void unlink(const RelationInfo& r, const Row& row, const Where* targets) {
    std::string text;
    sql::StringSink s{text};
    Params ps;
    auto where = [&](auto& o) {  // "A" = $1 [AND "B" IN (SELECT "id" FROM <target> WHERE <targets>)]
      sql::all_of(o, targets ? 2 : 1, false, [&](auto& w, std::size_t i) {
        if (i == 0) return sql::equal(w, r.join_local, [&](auto&) { bind(text, ps, row[r.local[0]]); });
        sql::in_subquery(
            w, detail::column_part(r.join_remote), false, detail::column_part(r.target->columns[r.remote[0]].db_name),
            [&](auto& t) { sql::table(t, d_, detail::table_of(*r.target)); },
            [&](auto&) { targets->render(text, ps); });
      });
    };
    sql::delete_from(s, d_, detail::join_table_of(r), true, where);
    run(text, ps, nullptr);
  }

  // ---- keys ---------------------------------------------------------------------------------

  static void copy_key(Fixed& fixed, const ModelInfo& m, std::span<const std::size_t> cols, const Row& src,
                       std::span<const std::size_t> src_cols) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const Value& v = src[src_cols[i]];
      if (is_null(v) && (m.columns[cols[i]].flags & meta::flags::optional) == 0)
        throw RelationViolation("a relation points at a record whose key is NULL");
      fixed.values[cols[i]] = v;
    }
  }
  // The model's foreign key (r.local) points at t; the target's (r.remote) points at m.
  static void fix_local(const RelationInfo& r, Fixed& fixed, const Row& t) {
    copy_key(fixed, *r.model, r.local, t, r.remote);
  }
  static void fix_remote(const RelationInfo& r, Fixed& fixed, const Row& m) {
    copy_key(fixed, *r.target, r.remote, m, r.local);
  }
  static void fix_null(Fixed& fixed, std::span<const std::size_t> cols) {
    for (std::size_t c : cols) fixed.values[c] = null_value();
  }
  // Whether the foreign key of an owned to-one relation is set in `row`.
  static bool has_link(const RelationInfo& r, const Row& row) {
    for (std::size_t c : r.local)
      if (is_null(row[c])) return false;
    return true;
  }

  static std::string label(const RelationInfo& r) {
    return "'" + std::string(r.relation_name) + "' (" + std::string(r.model->name) + "." + std::string(r.name) + ")";
  }
  // P2025 for a nested write whose record is missing (or not connected to the parent).
  [[noreturn]] static void not_found(const RelationInfo& r, std::string_view op) {
    throw RecordNotFound("No '" + std::string(r.target->name) + "' record was found for a nested " + std::string(op) +
                         " on relation " + label(r));
  }

  // A bound value: its placeholder appended to `text`, the value to the parameters.
  void bind(std::string& text, Params& ps, const Value& v) const {
    ps.emplace_back(std::in_place_type<Value>, v);
    detail::placeholder(text, d_, ps);
  }

  Connection& conn_;
  sql::Dialect d_;
  DateTime now_;
};

}  // namespace prisma::write
