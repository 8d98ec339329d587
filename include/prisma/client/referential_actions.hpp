// relationMode = "prisma": the database holds no foreign keys, so the client carries out the
// referential actions, as Prisma Client does, inside the write's transaction. Every delete of a
// row other rows point at, and every change of a column they point at, goes through here when
// the model has such relations (write::ModelInfo::referrers, empty in relationMode
// "foreignKeys", where the database acts itself):
//
//   delete:  the rows the filter names are read first; then, per relation pointing at them,
//            Restrict refuses (P2014) when a row points at one of them, Cascade deletes the rows
//            that point at them (their own relations acted on in turn), SetNull sets their
//            foreign key to NULL. (NoAction and SetDefault: the schema's validation refuses them
//            with relationMode = "prisma" on SQLite and PostgreSQL, as Prisma's does.)
//            Then the rows themselves are deleted, by their keys.
//   update:  when the update writes a column a relation references: the rows are read first;
//            after the UPDATE, Restrict refuses when a row pointed at the old value, Cascade
//            writes the same change into the foreign keys that held the old value, SetNull sets
//            them to NULL. Old and new values are not compared (as Prisma: writing a key's
//            own value still cascades, and Restrict still refuses).
//
// The callers (the typed client's delete_ / delete_many / update / update_many / upsert, the
// nested-write executor's nested deletes and updates, and the run-time engine's) run all of it in
// one transaction: a refusal rolls back every statement of the write.
#pragma once
#include <set>

#include "prisma/client/write_statements.hpp"

namespace prisma::write {

class Actions : protected Statements {
 protected:
  using Statements::Statements;

  static bool acts(const ModelInfo& m) { return !m.referrers.empty(); }

  // DELETE of the rows of t that `where` names, after the relations pointing at them have acted;
  // how many were deleted. `read` (optional) receives the deleted rows.
  std::int64_t remove(const ModelInfo& t, const Where& where, std::vector<Row>* read = nullptr) {
    if (!acts(t) && !read) return delete_where(t, where);
    std::vector<Row> rows = select_rows(t, where);
    if (rows.empty()) return 0;
    std::int64_t n = 0;
    for_chunks(t, t.key, rows, [&](const Where& keyed) { n += delete_where(t, keyed); });
    if (acts(t)) on_delete(t, rows);
    if (read) *read = std::move(rows);
    return n;
  }

  // UPDATE of the rows `where` names with the data's scalars and `fixed`, then what the relations
  // pointing at a changed column do (Statements::update_rows otherwise).
  std::vector<Row> change(const Data& in, const Fixed& fixed, const Where& where, bool returning,
                          std::int64_t* affected = nullptr) {
    const ModelInfo& m = *in.model;
    if (!acts(m) || !touches_referenced(in, fixed)) return update_rows(in, fixed, where, returning, affected);
    std::vector<Row> old = select_rows(m, where);
    auto rows = update_rows(in, fixed, where, returning, affected);
    if (!old.empty()) on_update(in, fixed, old);
    return rows;
  }

 private:
  // Every row of t that `where` names (every row when it is empty).
  std::vector<Row> select_rows(const ModelInfo& t, const Where& where) {
    std::string text;
    sql::StringSink s{text};
    Params ps;
    std::size_t p = 0;
    sql::select(
        s, d_, {.where = !where.parts.empty()}, sql::Piece{t.column_list}, [&](auto& o) { sql::table(o, d_, detail::table_of(t)); },
        [&](auto&) { where.render(text, ps); }, sql::None{}, p);
    return run(text, ps, &t);
  }

  // The rows of t whose columns `cols` hold one of the rows' values in `src_cols` (rows with a
  // NULL among them point at nothing): `each` gets the condition, in chunks that keep within the
  // backend's bind limit.
  template <class Each>
  void for_chunks(const ModelInfo& t, std::span<const std::size_t> cols, const std::vector<Row>& rows, Each&& each,
                  std::span<const std::size_t> src_cols = {}) const {
    if (src_cols.empty()) src_cols = cols;
    std::vector<std::vector<Value>> keys;
    std::set<std::string> seen;
    for (const auto& r : rows) {
      std::vector<Value> k;
      bool null = false;
      for (std::size_t c : src_cols) null = null || is_null(r[c]), k.push_back(r[c]);
      if (null) continue;
      std::string id = key_text(k);
      if (seen.insert(id).second) keys.push_back(std::move(k));
    }
    const std::size_t per = std::max<std::size_t>(1, 500 / cols.size());
    for (std::size_t from = 0; from < keys.size(); from += per) {
      std::size_t to = std::min(keys.size(), from + per);
      Where w;
      w.parts.push_back([this, &t, cols, &keys, from, to](std::string& out, Params& ps) {
        sql::StringSink s{out};
        auto column = [&](std::size_t i) { return [&t, c = cols[i]](auto& o) { sql::quote_ident(o, t.columns[c].db_name); }; };
        if (cols.size() == 1)
          return sql::in_items(s, column(0), false, to - from, [&](auto&, std::size_t i) { bind(out, ps, keys[from + i][0]); });
        sql::junction(s, false, to - from, true, [&](auto& o, std::size_t i) {
          sql::equal(
              o, cols.size(), [&](auto& c, std::size_t j) { sql::quote_ident(c, t.columns[cols[j]].db_name); },
              [&](auto&, std::size_t j) { bind(out, ps, keys[from + i][j]); });
        });
      });
      each(w);
    }
  }

  static std::string key_text(const std::vector<Value>& k) {
    std::string id;
    for (const auto& v : k) {
      std::visit(
          [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>) id += "s" + x;
            else if constexpr (std::is_arithmetic_v<T>) id += "n" + std::to_string(x);
            else if constexpr (requires { x.to_iso(true); }) id += "d" + x.to_iso(true);
            else if constexpr (requires { x.str(); }) id += "x" + x.str();
            else id += "?" + std::to_string(reinterpret_cast<std::uintptr_t>(&x));  // never merged
          },
          v);
      id += '\x1f';
    }
    return id;
  }

  // After rows of t were deleted: each relation pointing at them acts.
  void on_delete(const ModelInfo& t, const std::vector<Row>& parents) {
    for (const Referrer& ref : t.referrers) {
      const RelationInfo& r = *ref.relation;  // r.model holds r.local, pointing at t's r.remote
      const ModelInfo& child = *r.model;
      for_chunks(
          child, r.local, parents,
          [&](const Where& pointing) {
            switch (ref.on_delete) {
              case Action::Restrict: refuse_if_any(r, pointing); break;
              case Action::Cascade: remove(child, pointing); break;
              case Action::SetNull: set_null(r, pointing); break;
              case Action::SetDefault: set_default(r, pointing); break;
              case Action::NoAction: break;
            }
          },
          r.remote);
    }
  }

  // After rows of m were updated from `old`: each relation pointing at a written column acts.
  void on_update(const Data& in, const Fixed& fixed, const std::vector<Row>& old) {
    const ModelInfo& m = *in.model;
    for (const Referrer& ref : m.referrers) {
      const RelationInfo& r = *ref.relation;
      if (!touches(r, in, fixed)) continue;
      const ModelInfo& child = *r.model;
      for_chunks(
          child, r.local, old,
          [&](const Where& pointing) {
            switch (ref.on_update) {
              case Action::Restrict: refuse_if_any(r, pointing); break;
              case Action::Cascade: cascade_update(r, in, fixed, pointing); break;
              case Action::SetNull: set_null(r, pointing); break;
              case Action::SetDefault: set_default(r, pointing); break;
              case Action::NoAction: break;
            }
          },
          r.remote);
    }
  }

  // The foreign keys that pointed at the old values get the same write as the columns they
  // reference (a set, or an increment: the new value either way).
  void cascade_update(const RelationInfo& r, const Data& in, const Fixed& fixed, const Where& pointing) {
    Data cd{r.model, {}, {}};
    Fixed cf(*r.model);
    for (std::size_t i = 0; i < r.remote.size(); ++i) {
      std::size_t pc = r.remote[i];
      if (fixed.values[pc]) cf.values[r.local[i]] = *fixed.values[pc];
      else if (const ScalarWrite* s = in.scalar(pc)) cd.scalars.push_back({r.local[i], s->op, s->value});
    }
    change(cd, cf, pointing, false);
  }

  void set_null(const RelationInfo& r, const Where& pointing) {
    Fixed f(*r.model);
    for (std::size_t c : r.local) f.values[c] = null_value();
    change(Data{r.model, {}, {}}, f, pointing, false);
  }

  // SetDefault: the schema's validation refuses it with relationMode = "prisma" (as Prisma's).
  [[noreturn]] static void set_default(const RelationInfo& r, const Where&) {
    throw ValidationError("relationMode = \"prisma\" cannot emulate SetDefault on relation " + label(r));
  }

  void refuse_if_any(const RelationInfo& r, const Where& pointing) {
    if (select_one(*r.model, pointing)) violation(r);
  }

  // P2014, in Prisma's words: the model holding the foreign key first.
  [[noreturn]] static void violation(const RelationInfo& r) {
    throw RelationViolation("The change you are trying to make would violate the required relation '" +
                            std::string(r.relation_name) + "' between the `" + std::string(r.model->name) +
                            "` and `" + std::string(r.target->name) + "` models.",
                            std::string(r.relation_name), std::string(r.model->name), std::string(r.target->name));
  }

  // Whether the write sets a column that relation r (pointing at in.model) references.
  static bool touches(const RelationInfo& r, const Data& in, const Fixed& fixed) {
    for (std::size_t c : r.remote)
      if (fixed.values[c] || in.scalar(c)) return true;
    return false;
  }
  static bool touches_referenced(const Data& in, const Fixed& fixed) {
    for (const Referrer& ref : in.model->referrers)
      if (touches(*ref.relation, in, fixed)) return true;
    return false;
  }
};

}  // namespace prisma::write
