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
    for (std::size_t i = 0; i < parts.size(); ++i) {
      out += i ? " AND (" : "(";
      parts[i](out, params);
      out += ')';
    }
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
inline void table(std::string& out, sql::Dialect d, const ModelInfo& m) {
  sql::StringSink s{out};
  sql::qualified_name(s, d, m.schema, m.db_name);
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
      out += "NOT (";
      c.render(d_, out, ps);
      out += ')';
    });
  }
  // `T.a = ? AND T.b = ?` for T's columns `tcols`, bound with row's columns `rcols`.
  void add_equal(Where& w, const ModelInfo& t, std::span<const std::size_t> tcols, const Row& row,
                 std::span<const std::size_t> rcols) const {
    std::vector<Value> vals;
    for (std::size_t c : rcols) vals.push_back(row[c]);
    w.parts.push_back([this, &t, tcols, vals = std::move(vals)](std::string& out, Params& ps) {
      for (std::size_t i = 0; i < tcols.size(); ++i) {
        if (i) out += " AND ";
        detail::ident(out, t.columns[tcols[i]].db_name);
        out += " = ";
        ps.emplace_back(std::in_place_type<Value>, vals[i]);
        detail::placeholder(out, d_, ps);
      }
    });
  }
  // The target rows of relation `r` that belong to `row` (a row of r.model).
  void add_scope(Where& w, const RelationInfo& r, const Row& row) const {
    if (r.kind != meta::RelationKind::ManyToMany) return add_equal(w, *r.target, r.remote, row, r.local);
    Value key = row[r.local[0]];
    w.parts.push_back([this, &r, key](std::string& out, Params& ps) {
      detail::ident(out, r.target->columns[r.remote[0]].db_name);
      out += " IN (SELECT ";
      detail::ident(out, r.join_remote);
      out += " FROM ";
      join_table(out, r);
      out += " WHERE ";
      detail::ident(out, r.join_local);
      out += " = ";
      ps.emplace_back(std::in_place_type<Value>, key);
      detail::placeholder(out, d_, ps);
      out += ')';
    });
  }
  void add_self(Where& w, const ModelInfo& m, const Row& row) const { add_equal(w, m, m.key, row, m.key); }

  void join_table(std::string& out, const RelationInfo& r) const {
    sql::StringSink s{out};
    sql::qualified_name(s, d_, r.join_schema, r.join_table);
  }

  // ---- statements ---------------------------------------------------------------------------

  std::vector<Row> run(const std::string& text, const Params& ps, const ModelInfo* read, std::int64_t* affected = nullptr) {
    return conn_.run(text, ps, read, affected);
  }

  std::optional<Row> select_one(const ModelInfo& t, const Where& where) {
    std::string text = "SELECT " + std::string(t.column_list) + " FROM ";
    detail::table(text, d_, t);
    text += " WHERE ";
    Params ps;
    where.render(text, ps);
    text += " LIMIT 1";
    auto rows = run(text, ps, &t);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

  std::int64_t delete_where(const ModelInfo& t, const Where& where) {
    std::string text = "DELETE FROM ";
    detail::table(text, d_, t);
    text += " WHERE ";
    Params ps;
    where.render(text, ps);
    std::int64_t n = 0;
    run(text, ps, nullptr, &n);
    return n;
  }

  // UPDATE T SET <the fixed columns> WHERE ...: moves foreign keys (connect, disconnect, set).
  std::int64_t set_columns(const ModelInfo& t, const Fixed& fixed, const Where& where) {
    std::string text = "UPDATE ";
    detail::table(text, d_, t);
    text += " SET ";
    Params ps;
    bool first = true;
    for (std::size_t i = 0; i < fixed.values.size(); ++i) {
      if (!fixed.values[i]) continue;
      if (!first) text += ", ";
      first = false;
      detail::ident(text, t.columns[i].db_name);
      text += " = ";
      ps.emplace_back(std::in_place_type<Value>, *fixed.values[i]);
      detail::placeholder(text, d_, ps);
    }
    text += " WHERE ";
    where.render(text, ps);
    std::int64_t n = 0;
    run(text, ps, nullptr, &n);
    return n;
  }

  // INSERT of one row (no nested writes), returning it unless `skip_duplicates` (then nothing:
  // ON CONFLICT DO NOTHING returns no row for a duplicate).
  std::optional<Row> insert_row(const Data& in, const Fixed& fixed, bool skip_duplicates) {
    const ModelInfo& m = *in.model;
    std::string cols, vals;
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
      if (!cols.empty()) {
        cols += ", ";
        vals += ", ";
      }
      detail::ident(cols, c.db_name);
      detail::placeholder(vals, d_, ps);
    }
    std::string text = "INSERT INTO ";
    detail::table(text, d_, m);
    if (cols.empty()) text += " DEFAULT VALUES";
    else text += " (" + cols + ") VALUES (" + vals + ")";
    if (skip_duplicates) {
      text += sql::skip_duplicates;
      run(text, ps, nullptr);
      return std::nullopt;
    }
    sql::StringSink s{text};
    sql::returning(s, m.column_list);
    auto rows = run(text, ps, &m);
    if (rows.empty()) throw DatabaseError("INSERT returned no row");
    return std::move(rows.front());
  }

  // UPDATE of the rows `where` names with the data's scalars and `fixed`.
  std::vector<Row> update_rows(const Data& in, const Fixed& fixed, const Where& where, bool returning,
                               std::int64_t* affected = nullptr) {
    const ModelInfo& m = *in.model;
    std::string sets;
    Params ps;
    for (std::size_t i = 0; i < m.columns.size(); ++i) {
      const Column& c = m.columns[i];
      const ScalarWrite* s = fixed.values[i] ? nullptr : in.scalar(i);
      char op = '=';
      if (fixed.values[i]) ps.emplace_back(std::in_place_type<Value>, *fixed.values[i]);
      else if (s) ps.push_back(s->value), op = static_cast<char>(s->op);
      else if ((c.flags & meta::flags::updated_at) != 0) ps.emplace_back(std::in_place_type<Value>, now_);
      else continue;
      if (!sets.empty()) sets += ", ";
      detail::ident(sets, c.db_name);
      sets += " = ";
      if (op == 'p') {  // list || values
        detail::ident(sets, c.db_name);
        sets += " || ";
      } else if (op != '=') {
        detail::ident(sets, c.db_name);
        sets += std::string(" ") + op + " ";
      }
      detail::placeholder(sets, d_, ps);
    }
    if (sets.empty()) {  // nothing to change: still one statement that returns the row
      detail::ident(sets, m.columns[0].db_name);
      sets += " = ";
      detail::ident(sets, m.columns[0].db_name);
    }
    std::string text = "UPDATE ";
    detail::table(text, d_, m);
    text += " SET " + sets + " WHERE ";
    where.render(text, ps);
    if (returning) {
      sql::StringSink o{text};
      sql::returning(o, m.column_list);
    }
    return run(text, ps, returning ? &m : nullptr, affected);
  }

  void link(const RelationInfo& r, const Row& row, const Row& target) {
    std::string text = "INSERT INTO ";
    join_table(text, r);
    text += " (";
    detail::ident(text, r.join_local);
    text += ", ";
    detail::ident(text, r.join_remote);
    text += ") VALUES (";
    Params ps;
    bind(text, ps, row[r.local[0]]);
    text += ", ";
    bind(text, ps, target[r.remote[0]]);
    text += ')';
    text += sql::skip_duplicates;
    run(text, ps, nullptr);
  }

  // Removes row's links of relation `r` (to the targets `targets` names, or all of them).
  void unlink(const RelationInfo& r, const Row& row, const Where* targets) {
    std::string text = "DELETE FROM ";
    join_table(text, r);
    text += " WHERE ";
    detail::ident(text, r.join_local);
    text += " = ";
    Params ps;
    bind(text, ps, row[r.local[0]]);
    if (targets) {
      text += " AND ";
      detail::ident(text, r.join_remote);
      text += " IN (SELECT ";
      detail::ident(text, r.target->columns[r.remote[0]].db_name);
      text += " FROM ";
      detail::table(text, d_, *r.target);
      text += " WHERE ";
      targets->render(text, ps);
      text += ')';
    }
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
