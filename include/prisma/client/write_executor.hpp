// The nested-write executor: runs a write tree (client/write_plan.hpp) on one connection inside
// the caller's transaction (a failure anywhere rolls every statement back). Not a template: one
// body for every model and backend, so a schema's nested writes cost nothing to compile per
// model (before, the typed client instantiated this work per relation member type).
//
//   create:  relations whose foreign key this model holds are resolved first (create / connect /
//            connect_or_create of the parent), then the INSERT, then the relations whose foreign
//            key the other model holds and many-to-many links (create, create_many, connect,
//            connect_or_create).
//   update:  the same order around the UPDATE; after it, per relation: set, disconnect,
//            delete_, delete_many, update, update_many, upsert, create, create_many, connect,
//            connect_or_create. The record is read again at the end when a nested write may
//            have changed it (a referential action, a moved foreign key).
//
// Statement texts are built per call: nested writes run several statements anyway, and the
// drivers keep prepared statements by text.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prisma/client/write_plan.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/core/ids.hpp"
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

inline std::size_t nanoid_length(std::string_view n) {
  if (n.empty()) return 21;
  std::size_t v = 0;
  for (char c : n) v = v * 10 + static_cast<std::size_t>(c - '0');
  return v;
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
    case K::Nanoid: return ids::nanoid(nanoid_length(c.default_literal));
    case K::Ulid: return ids::ulid();
    default: return null_value();
  }
}

}  // namespace detail

class Executor {
  using Where = detail::Where;

 public:
  Executor(Connection& conn, sql::Dialect dialect, DateTime now) : conn_(conn), d_(dialect), now_(now) {}

  // Creates one record of `in` with every nested write in it; `fixed` holds the foreign keys a
  // parent fills.
  Row create(const Data& in) { return create(in, Fixed(*in.model)); }
  Row create(const Data& in, Fixed fixed) {
    for (const auto& rw : in.relations) resolve_owned(rw, fixed);
    check_required(in, fixed);
    Row row = *insert_row(in, fixed, false);
    for (const auto& rw : in.relations) create_side(rw, row);
    return row;
  }

  // Updates the record `where` names with `in` and every nested write in it; nothing when there
  // is no such record.
  std::optional<Row> update(const Data& in, const Criterion& where) {
    Where w;
    add(w, where);
    return update(in, w);
  }

  // Every required relation whose foreign key the model holds is given: by its scalars, or by
  // a nested write that resolved into `fixed`.
  static void check_required(const Data& in, const Fixed& fixed) {
    const ModelInfo& m = *in.model;
    for (const auto& r : m.required) {
      bool given = true;
      for (std::size_t c : r.local)
        given = given && (fixed.values[c].has_value() || in.scalar(c) ||
                          (m.columns[c].flags & meta::flags::has_default) != 0);
      if (!given)
        throw ValidationError("Argument `" + std::string(r.name) + "` is missing: create of " + std::string(m.name) +
                              " needs its " + std::string(r.name) +
                              ", by its foreign key field or by a nested create / connect / connect_or_create");
    }
  }

 private:
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
    ps.emplace_back(std::in_place_type<Value>, row[r.local[0]]);
    detail::placeholder(text, d_, ps);
    text += ", ";
    ps.emplace_back(std::in_place_type<Value>, target[r.remote[0]]);
    detail::placeholder(text, d_, ps);
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
    ps.emplace_back(std::in_place_type<Value>, row[r.local[0]]);
    detail::placeholder(text, d_, ps);
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

  // ---- create -------------------------------------------------------------------------------

  // A to-one relation whose foreign key this model holds: create / connect / connect_or_create
  // (and in an update: disconnect) decide the foreign key before the row is written.
  void resolve_owned(const RelationWrite& rw, Fixed& fixed) {
    const RelationInfo& r = *rw.relation;
    if (!r.owns_foreign_key) return;
    int ways = static_cast<int>(rw.create.size() + rw.connect.size() + rw.connect_or_create.size()) + (rw.disconnect ? 1 : 0);
    if (ways > 1) throw ValidationError("relation " + label(r) + ": give one of create, connect, connect_or_create, disconnect");
    if (!rw.create.empty()) fix_local(r, fixed, create(rw.create.front()));
    else if (!rw.connect.empty()) fix_local(r, fixed, find_connect(r, rw.connect.front()));
    else if (!rw.connect_or_create.empty()) fix_local(r, fixed, connect_or_create_target(r, rw.connect_or_create.front()));
    if (rw.disconnect && r.can_disconnect) fix_null(fixed, r.local);
  }

  Row find_connect(const RelationInfo& r, const Criterion& unique) {
    Where w;
    add(w, unique);
    auto t = select_one(*r.target, w);
    if (!t) not_found(r, "connect");
    return std::move(*t);
  }

  Row connect_or_create_target(const RelationInfo& r, const ConnectOrCreate& coc) {
    Where w;
    add(w, coc.where);
    if (auto t = select_one(*r.target, w)) return std::move(*t);
    return create(coc.create);
  }

  // The relations whose foreign key the other model holds, and many-to-many: after the row.
  void create_side(const RelationWrite& rw, const Row& row) {
    const RelationInfo& r = *rw.relation;
    if (r.owns_foreign_key) return;
    if (!r.is_list && rw.create.size() + rw.connect.size() + rw.connect_or_create.size() > 1)
      throw ValidationError("relation " + label(r) + ": give one of create, connect, connect_or_create");
    for (const auto& c : rw.create) create_linked(r, row, c);
    create_many_linked(r, row, rw);
    for (const auto& u : rw.connect) connect_linked(r, row, u);
    for (const auto& coc : rw.connect_or_create) connect_or_create_linked(r, row, coc);
  }

  Row create_linked(const RelationInfo& r, const Row& row, const Data& c) {
    if (r.kind == meta::RelationKind::ManyToMany) {
      Row t = create(c);
      link(r, row, t);
      return t;
    }
    Fixed f(*r.target);
    fix_remote(r, f, row);
    return create(c, std::move(f));
  }

  void create_many_linked(const RelationInfo& r, const Row& row, const RelationWrite& rw) {
    for (const auto& c : rw.create_many) {
      if (!c.relations.empty())
        throw ValidationError("create_many in relation " + label(r) + " takes scalar fields only; nest further writes with create");
      if (r.kind == meta::RelationKind::ManyToMany) {
        create_linked(r, row, c);
      } else {
        Fixed f(*r.target);
        fix_remote(r, f, row);
        check_required(c, f);
        insert_row(c, f, rw.skip_duplicates);
      }
    }
  }

  void connect_linked(const RelationInfo& r, const Row& row, const Criterion& unique) {
    if (r.kind == meta::RelationKind::ManyToMany) return link(r, row, find_connect(r, unique));
    if (!r.is_list) take_over_to_one(r, row, &unique);
    Fixed f(*r.target);
    fix_remote(r, f, row);
    Where w;
    add(w, unique);
    if (set_columns(*r.target, f, w) == 0) not_found(r, "connect");
  }

  void connect_or_create_linked(const RelationInfo& r, const Row& row, const ConnectOrCreate& coc) {
    Where w;
    add(w, coc.where);
    if (select_one(*r.target, w)) connect_linked(r, row, coc.where);
    else create_linked(r, row, coc.create);
  }

  // Before a to-one relation whose foreign key the target holds gets a new record: the record
  // connected now lets go (its optional foreign key set to NULL), or, when its foreign key is
  // required, the change is refused (P2014). `incoming` is the record being connected (it may be
  // the one connected already).
  void take_over_to_one(const RelationInfo& r, const Row& row, const Criterion* incoming) {
    const ModelInfo& t = *r.target;
    Where scope;
    add_scope(scope, r, row);
    if (r.foreign_key_optional) {
      Fixed f(t);
      fix_null(f, r.remote);
      if (incoming) {  // leave the incoming record alone if it is the connected one
        Where others = scope;
        add_not(others, *incoming);
        set_columns(t, f, others);
      } else {
        set_columns(t, f, scope);
      }
      return;
    }
    if (!select_one(t, scope)) return;
    if (incoming) {
      Where same = scope;
      add(same, *incoming);
      if (select_one(t, same)) return;  // connecting the record that is connected already
    }
    throw RelationViolation("The change you are trying to make would violate the required relation " + label(r) +
                            " between the `" + std::string(r.model->name) + "` and `" + std::string(t.name) + "` models");
  }

  // ---- update -------------------------------------------------------------------------------

  std::optional<Row> update(const Data& in, const Where& where) {
    Fixed fixed(*in.model);
    for (const auto& rw : in.relations) resolve_owned(rw, fixed);
    auto rows = update_rows(in, fixed, where, true);
    if (rows.empty()) return std::nullopt;
    Row row = std::move(rows.front());
    bool changed = false;
    for (const auto& rw : in.relations) update_side(rw, row, changed);
    if (changed) {  // read it again: a nested write may have moved its foreign keys
      Where self;
      add_self(self, *in.model, row);
      if (auto again = select_one(*in.model, self)) row = std::move(*again);
    }
    return row;
  }

  // update_many: scalar members only.
  std::int64_t update_many(const Data& in, const Where& where) {
    if (!in.relations.empty())
      throw ValidationError("update_many takes scalar fields only; nested writes go through update");
    std::int64_t n = 0;
    update_rows(in, Fixed(*in.model), where, false, &n);
    return n;
  }

  void update_side(const RelationWrite& rw, const Row& row, bool& changed) {
    const RelationInfo& r = *rw.relation;
    if (rw.empty()) return;
    if (r.owns_foreign_key) {
      // create / connect / connect_or_create / disconnect happened before the UPDATE
      if (rw.update.empty() && rw.upsert.empty() && !rw.delete_one) return;
      if (rw.to_one_ways() > 1) throw ValidationError("relation " + label(r) + ": give one nested write");
      changed = true;
      // the target whose referenced columns equal row's foreign key
      if (!rw.update.empty()) {
        const auto& u = rw.update.front();
        if (!has_link(r, row) || !update(u.data, scoped(r, row, &u.where))) not_found(r, "update");
      } else if (!rw.upsert.empty()) {
        const auto& u = rw.upsert.front();
        if (!has_link(r, row) || !update(u.update, scoped(r, row, &u.where))) {
          Fixed f(*r.model);
          fix_local(r, f, create(u.create));
          Where self;
          add_self(self, *r.model, row);
          set_columns(*r.model, f, self);
        }
      } else if (!has_link(r, row) || delete_where(*r.target, scoped(r, row, first(rw.delete_items))) == 0) {
        not_found(r, "delete");
      }
      return;
    }
    changed = true;
    if (r.is_list) list_update(rw, row);
    else one_update(rw, row);
  }

  // The target rows of `r` that belong to `row`, and that match `c` when given (not empty).
  Where scoped(const RelationInfo& r, const Row& row, const Criterion* c) const {
    Where w;
    add_scope(w, r, row);
    if (c && !c->empty()) add(w, *c);
    return w;
  }
  static const Criterion* first(const std::vector<Criterion>& cs) { return cs.empty() ? nullptr : &cs.front(); }

  void list_update(const RelationWrite& rw, const Row& row) {
    const RelationInfo& r = *rw.relation;
    const ModelInfo& t = *r.target;
    const bool m2m = r.kind == meta::RelationKind::ManyToMany;
    if (rw.set && r.can_disconnect) {  // set: nothing but the given records stays connected
      if (m2m) {
        unlink(r, row, nullptr);
      } else {
        Fixed f(t);
        fix_null(f, r.remote);
        set_columns(t, f, scoped(r, row, nullptr));
      }
      for (const auto& u : rw.set_items) connect_linked(r, row, u);
    }
    if (rw.disconnect && r.can_disconnect) {
      for (const auto& u : rw.disconnect_items) {
        if (m2m) {
          Where w;
          add(w, u);
          unlink(r, row, &w);
        } else {
          Fixed f(t);
          fix_null(f, r.remote);
          set_columns(t, f, scoped(r, row, &u));
        }
      }
    }
    for (const auto& u : rw.delete_items)
      if (delete_where(t, scoped(r, row, &u)) == 0) not_found(r, "delete");
    for (const auto& f : rw.delete_many) delete_where(t, scoped(r, row, &f));
    for (const auto& u : rw.update)
      if (!update(u.data, scoped(r, row, &u.where))) not_found(r, "update");
    for (const auto& u : rw.update_many) update_many(u.data, scoped(r, row, &u.where));
    for (const auto& u : rw.upsert)
      if (!update(u.update, scoped(r, row, &u.where))) create_linked(r, row, u.create);
    for (const auto& c : rw.create) create_linked(r, row, c);
    create_many_linked(r, row, rw);
    for (const auto& u : rw.connect) connect_linked(r, row, u);
    for (const auto& coc : rw.connect_or_create) connect_or_create_linked(r, row, coc);
  }

  // A to-one relation whose foreign key the target holds (User.profile).
  void one_update(const RelationWrite& rw, const Row& row) {
    const RelationInfo& r = *rw.relation;
    const ModelInfo& t = *r.target;
    if (rw.to_one_ways() > 1) throw ValidationError("relation " + label(r) + ": give one nested write");
    if (!rw.create.empty()) {
      take_over_to_one(r, row, nullptr);
      create_linked(r, row, rw.create.front());
    } else if (!rw.connect.empty()) {
      connect_linked(r, row, rw.connect.front());
    } else if (!rw.connect_or_create.empty()) {
      const auto& coc = rw.connect_or_create.front();
      Where w;
      add(w, coc.where);
      if (select_one(t, w)) {
        connect_linked(r, row, coc.where);
      } else {
        take_over_to_one(r, row, nullptr);
        create_linked(r, row, coc.create);
      }
    } else if (rw.disconnect) {
      if (r.can_disconnect) {
        Fixed f(t);
        fix_null(f, r.remote);
        set_columns(t, f, scoped(r, row, first(rw.disconnect_items)));
      }
    } else if (rw.delete_one) {
      if (delete_where(t, scoped(r, row, first(rw.delete_items))) == 0) not_found(r, "delete");
    } else if (!rw.update.empty()) {
      const auto& u = rw.update.front();
      if (!update(u.data, scoped(r, row, &u.where))) not_found(r, "update");
    } else if (!rw.upsert.empty()) {
      const auto& u = rw.upsert.front();
      if (!update(u.update, scoped(r, row, &u.where))) create_linked(r, row, u.create);
    }
  }

  Connection& conn_;
  sql::Dialect d_;
  DateTime now_;
};

// The executor's entry points declared in write_plan.hpp, defined here: this header is included
// by the generated nested-write library's first part and by the run-time engine, not by the
// translation units that write (weak: two generated libraries in one program define them once).
PRISMA_WEAK Row run_create(Connection& conn, sql::Dialect dialect, DateTime now, const Data& data) {
  return Executor(conn, dialect, now).create(data);
}
PRISMA_WEAK std::optional<Row> run_update(Connection& conn, sql::Dialect dialect, DateTime now, const Data& data,
                                          const Criterion& where) {
  return Executor(conn, dialect, now).update(data, where);
}

}  // namespace prisma::write
