// The nested-write executor: runs a write tree (query/write_tree.hpp) on one connection inside
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
#include <optional>

#include "prisma/client/referential_actions.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/query/write_tree.hpp"

namespace prisma::write {

class Executor : Actions {
 public:
  Executor(Connection& conn, sql::Dialect dialect, DateTime now) : Actions(conn, dialect, now) {}

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

  // Updates every row `where` names (all of them without one) with the data's scalars; how many.
  std::int64_t update_many(const Data& in, const Criterion& where) {
    Where w;
    if (!where.empty()) add(w, where);
    return update_many(in, w);
  }

  // Deletes the rows `where` names (all of them without one), after the relations pointing at
  // them have acted (relationMode = "prisma"); how many. `read`: the deleted rows, as they were.
  std::int64_t delete_many(const ModelInfo& m, const Criterion& where, std::vector<Row>* read = nullptr) {
    Where w;
    if (!where.empty()) add(w, where);
    return remove(m, w, read);
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
    auto rows = change(in, fixed, where, true);
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
    change(in, Fixed(*in.model), where, false, &n);
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
      } else if (!has_link(r, row) || remove(*r.target, scoped(r, row, first(rw.delete_items))) == 0) {
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
      if (remove(t, scoped(r, row, &u)) == 0) not_found(r, "delete");
    for (const auto& f : rw.delete_many) remove(t, scoped(r, row, &f));
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
      if (remove(t, scoped(r, row, first(rw.delete_items))) == 0) not_found(r, "delete");
    } else if (!rw.update.empty()) {
      const auto& u = rw.update.front();
      if (!update(u.data, scoped(r, row, &u.where))) not_found(r, "update");
    } else if (!rw.upsert.empty()) {
      const auto& u = rw.upsert.front();
      if (!update(u.update, scoped(r, row, &u.where))) create_linked(r, row, u.create);
    }
  }
};

// The executor's entry points declared in write_plan.hpp, defined here: this header is included
// by the generated nested-write library's first part and by the run-time engine, not by the
// translation units that write (weak: two generated libraries in one program define them once).
PRISMA_WEAK Row run_create(Connection& conn, sql::Dialect dialect, DateTime now, const Data& data) {
  return Executor(conn, dialect, now).create(data);
}
PRISMA_WEAK std::int64_t run_update_many(Connection& conn, sql::Dialect dialect, DateTime now, const Data& data,
                                         const Criterion& where) {
  return Executor(conn, dialect, now).update_many(data, where);
}
PRISMA_WEAK std::int64_t run_delete(Connection& conn, sql::Dialect dialect, DateTime now, const ModelInfo& model,
                                    const Criterion& where, std::vector<Row>* read) {
  return Executor(conn, dialect, now).delete_many(model, where, read);
}
PRISMA_WEAK std::optional<Row> run_update(Connection& conn, sql::Dialect dialect, DateTime now, const Data& data,
                                          const Criterion& where) {
  return Executor(conn, dialect, now).update(data, where);
}

}  // namespace prisma::write
