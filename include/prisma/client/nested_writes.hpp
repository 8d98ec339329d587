// Nested writes: create and update of an input whose relation members are set, run on one
// connection inside the caller's transaction (a failure anywhere rolls every statement back).
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
// Statement texts here are built per call: nested writes run several statements anyway, and the
// drivers keep prepared statements by text.
//
// The work of one relation member (`.posts` of a UserCreate) is not called directly: create()
// and update() call prisma_nested_resolve_owned / _create_side / _update_side, which the
// generated model header declares per relation member type and the generated library
// (prisma_generate(), <ns>/nested_<k>.cpp) defines as calls of resolve_owned / create_side /
// update_side below. So a create or update instantiates the work of its own model only: the
// related models' (and theirs, through the whole schema) is compiled once, in that library.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "prisma/client/rows.hpp"
#include "prisma/client/writes.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/query/nested.hpp"

namespace prisma {

namespace detail {

template <class Input>
using input_model = typename meta::input_traits<Input>::model;

// Whether any relation member of the input holds a nested write.
template <class Input>
bool has_nested_writes(const Input& in) {
  return meta::input_traits<Input>::relations.apply([&](auto... mp) { return (!(in.*mp).empty() || ...); });
}

template <class To, class From>
void assign_key(To& to, const From& from) {
  if constexpr (std::is_same_v<To, From>) {
    to = from;
  } else if constexpr (requires { from.has_value(); *from; } && !requires { to.has_value(); }) {
    if (!from) throw RelationViolation("a relation points at a record whose key is NULL");
    to = *from;
  } else {
    to = from;
  }
}

// fixed.row's columns `Cols` take `src`'s columns `SrcCols` (a foreign key and what it points at),
// and are marked as set.
template <class M, auto& Cols, class S, auto& SrcCols>
void copy_key(Fixed<M>& fixed, const S& src) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((assign_key(fixed.row.*column_member<M, Cols[I]>(), src.*column_member<S, SrcCols[I]>()),
      fixed.mask[Cols[I]] = true),
     ...);
  }(std::make_index_sequence<Cols.size()>{});
}
// This model's foreign key (Desc::local) points at t; the target's (Desc::remote) points at m.
template <class Desc, class M, class T>
void fix_local(Fixed<M>& fixed, const T& t) {
  copy_key<M, Desc::local, T, Desc::remote>(fixed, t);
}
template <class Desc, class T, class M>
void fix_remote(Fixed<T>& fixed, const M& m) {
  copy_key<T, Desc::remote, M, Desc::local>(fixed, m);
}
// The foreign key columns `Cols` of fixed.row set to NULL.
template <class M, auto& Cols>
void fix_null(Fixed<M>& fixed) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((fixed.row.*column_member<M, Cols[I]>() = std::nullopt, fixed.mask[Cols[I]] = true), ...);
  }(std::make_index_sequence<Cols.size()>{});
}

template <class Desc>
std::string relation_label();

// P2025 for a nested write whose record is missing (or not connected to the parent).
template <class Desc>
[[noreturn]] void nested_not_found(std::string_view op) {
  throw RecordNotFound("No '" + std::string(meta::model_traits<typename Desc::target>::name) +
                       "' record was found for a nested " + std::string(op) + " on relation " + relation_label<Desc>());
}

template <class Desc>
std::string relation_label() {
  return "'" + std::string(Desc::relation_name) + "' (" + std::string(meta::model_traits<typename Desc::model>::name) +
         "." + std::string(Desc::name) + ")";
}

// A WHERE clause assembled at run time: parts joined with AND, each rendering its own SQL and
// binding its own values.
template <class Cur>
class Cond {
 public:
  void add(std::function<void(std::string&, std::size_t&)> render, std::function<void(Cur&)> bind) {
    parts_.push_back({std::move(render), std::move(bind)});
  }
  void render(std::string& out, std::size_t& p) const {
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      out += i ? " AND (" : "(";
      parts_[i].render(out, p);
      out += ')';
    }
  }
  void bind(Cur& c) const {
    for (const auto& part : parts_) part.bind(c);
  }

 private:
  struct Part {
    std::function<void(std::string&, std::size_t&)> render;
    std::function<void(Cur&)> bind;
  };
  std::vector<Part> parts_;
};

template <sql::Dialect D, class Conn>
class NestedWriter {
  using Cur = decltype(std::declval<Conn&>().cursor(std::string_view{}));
  using C = Cond<Cur>;

 public:
  NestedWriter(Conn& conn, DateTime now) : conn_(conn), now_(now) {}

  // ---- conditions ---------------------------------------------------------------------------

  template <class K>
  static void add_kept(C& c, const K& kept) {
    c.add([&kept](std::string& out, std::size_t& p) { kept.template render<D>(out, p); },
          [&kept](Cur& cur) { kept.bind(cur); });
  }
  template <class F>
  static void add_filter(C& c, const F& f) {
    c.add([](std::string& out, std::size_t& p) { render_kept<F, D>(out, p); }, [&f](Cur& cur) { f.bind(cur); });
  }

  // The target rows of relation Desc that belong to `m` (a row of Desc::model).
  template <class Desc, class M>
  static void add_scope(C& c, const M& m) {
    using T = typename Desc::target;
    if constexpr (Desc::kind == meta::RelationKind::ManyToMany) {
      c.add(
          [](std::string& out, std::size_t& p) {
            StringSink s{out};
            sql::quote_ident(s, sql::column_name<T, Desc::remote[0]>());
            out += " IN (SELECT ";
            sql::quote_ident(s, Desc::join_remote);
            out += " FROM ";
            sql::join_table_name<typename Desc::model, D>(s, Desc::join_table);
            out += " WHERE ";
            sql::quote_ident(s, Desc::join_local);
            out += " = ";
            sql::placeholder(s, D, p++);
            out += ')';
          },
          [m](Cur& cur) { cur(m.*column_member<M, Desc::local[0]>()); });
    } else {
      add_equal<T, Desc::remote, M, Desc::local>(c, m);
    }
  }

  // `T.a = ? AND T.b = ?` for T's columns `TCols`, bound with m's columns `MCols` (same count).
  template <class T, auto& TCols, class M, auto& MCols>
  static void add_equal(C& c, const M& m) {
    c.add(
        [](std::string& out, std::size_t& p) {
          StringSink s{out};
          [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((out += I ? " AND " : "", sql::quote_ident(s, sql::column_name<T, TCols[I]>()), out += " = ",
              sql::placeholder(s, D, p++)),
             ...);
          }(std::make_index_sequence<TCols.size()>{});
        },
        [m](Cur& cur) {
          [&]<std::size_t... I>(std::index_sequence<I...>) {
            (cur(m.*column_member<M, MCols[I]>()), ...);
          }(std::make_index_sequence<MCols.size()>{});
        });
  }

  // The row itself, by its primary key (or its first unique key).
  template <class M>
  static void add_self(C& c, const M& m) {
    using Tr = meta::model_traits<M>;
    using Key = std::conditional_t<std::is_void_v<typename Tr::primary_key>,
                                   std::tuple_element_t<0, typename Tr::unique_keys>, typename Tr::primary_key>;
    add_equal<M, Key::columns, M, Key::columns>(c, m);
  }

  // ---- statements ---------------------------------------------------------------------------

  template <class T>
  std::optional<T> select_one(const C& where) {
    std::string text = "SELECT " + std::string(meta::model_traits<T>::column_list) + " FROM ";
    StringSink s{text};
    sql::table_name<T, D>(s);
    text += " WHERE ";
    std::size_t p = 1;
    where.render(text, p);
    text += " LIMIT 1";
    auto cur = conn_.cursor(text);
    where.bind(cur);
    if (!cur.step()) return std::nullopt;
    T row = read_row<T>(cur);
    cur.finish();
    return row;
  }

  template <class T>
  std::int64_t delete_where(const C& where) {
    std::string text = "DELETE FROM ";
    StringSink s{text};
    sql::table_name<T, D>(s);
    text += " WHERE ";
    std::size_t p = 1;
    where.render(text, p);
    auto cur = conn_.cursor(text);
    where.bind(cur);
    while (cur.step()) {
    }
    return cur.affected();
  }

  // UPDATE T SET <the fixed columns> WHERE ...: moves foreign keys (connect, disconnect, set).
  template <class T>
  std::int64_t set_columns(const Fixed<T>& fixed, const C& where) {
    std::string text = "UPDATE ";
    StringSink s{text};
    sql::table_name<T, D>(s);
    text += " SET ";
    std::size_t p = 1;
    bool first = true;
    for (std::size_t i = 0; i < Fixed<T>::N; ++i) {
      if (!fixed.mask[i]) continue;
      if (!first) text += ", ";
      first = false;
      sql::quote_ident(s, column_db_name<T>(i));
      text += " = ";
      sql::placeholder(s, D, p++);
    }
    text += " WHERE ";
    where.render(text, p);
    auto cur = conn_.cursor(text);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((fixed.mask[I] ? cur(fixed.row.*column_member<T, I>()) : void()), ...);
    }(std::make_index_sequence<Fixed<T>::N>{});
    where.bind(cur);
    while (cur.step()) {
    }
    return cur.affected();
  }

  template <class T>
  static std::string_view column_db_name(std::size_t i) {
    std::string_view out;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((i == I ? (out = sql::column_name<T, I>(), 0) : 0), ...);
    }(std::make_index_sequence<Fixed<T>::N>{});
    return out;
  }

  // INSERT of one input row (no nested writes), returning it unless `skip_duplicates` (then
  // nothing: ON CONFLICT DO NOTHING returns no row for a duplicate).
  template <class Input, class M = input_model<Input>>
  std::optional<M> insert_row(const Input& in, const Fixed<M>& fixed, bool skip_duplicates = false) {
    using IW = InsertWriter<M, Input>;
    std::string shape = IW::shape(in, &fixed);
    std::string text = IW::template text<D>(shape, 1, !skip_duplicates, skip_duplicates);
    auto cur = conn_.cursor(text);
    IW::bind(cur, in, shape, now_, &fixed);
    if (skip_duplicates) {
      while (cur.step()) {
      }
      return std::nullopt;
    }
    if (!cur.step()) throw DatabaseError("INSERT returned no row");
    M row = read_row<M>(cur);
    cur.finish();
    return row;
  }

  // UPDATE of the rows `where` names with an input's scalar members and `fixed`.
  template <class Input, class M = input_model<Input>>
  std::vector<M> update_rows(const Input& in, const Fixed<M>& fixed, const C& where, bool returning) {
    using UW = UpdateWriter<M, Input>;
    std::string shape = UW::shape(in, &fixed);
    std::size_t p = 1;
    std::string text = UW::template head<D>(shape, p);
    text += " WHERE ";
    where.render(text, p);
    if (returning) {
      StringSink s{text};
      sql::returning(s, meta::model_traits<M>::column_list);
    }
    auto cur = conn_.cursor(text);
    UW::bind(cur, in, shape, now_, &fixed);
    where.bind(cur);
    std::vector<M> rows;
    while (cur.step())
      if (returning) rows.push_back(read_row<M>(cur));
    if (!returning) affected_ = cur.affected();
    return rows;
  }

  template <class Desc, class M, class T>
  void link(const M& m, const T& t) {
    std::string text = "INSERT INTO ";
    StringSink s{text};
    sql::join_table_name<M, D>(s, Desc::join_table);
    text += " (";
    sql::quote_ident(s, Desc::join_local);
    text += ", ";
    sql::quote_ident(s, Desc::join_remote);
    text += ") VALUES (";
    sql::placeholder(s, D, 1);
    text += ", ";
    sql::placeholder(s, D, 2);
    text += ')';
    text += sql::skip_duplicates;
    auto cur = conn_.cursor(text);
    cur(m.*column_member<M, Desc::local[0]>());
    cur(t.*column_member<T, Desc::remote[0]>());
    while (cur.step()) {
    }
  }

  // Removes m's links of relation Desc (to the targets `targets` names, or all of them).
  template <class Desc, class M>
  void unlink(const M& m, const C* targets) {
    using T = typename Desc::target;
    std::string text = "DELETE FROM ";
    StringSink s{text};
    sql::join_table_name<M, D>(s, Desc::join_table);
    text += " WHERE ";
    sql::quote_ident(s, Desc::join_local);
    text += " = ";
    std::size_t p = 1;
    sql::placeholder(s, D, p++);
    if (targets) {
      text += " AND ";
      sql::quote_ident(s, Desc::join_remote);
      text += " IN (SELECT ";
      sql::quote_ident(s, sql::column_name<T, Desc::remote[0]>());
      text += " FROM ";
      sql::table_name<T, D>(s);
      text += " WHERE ";
      targets->render(text, p);
      text += ')';
    }
    auto cur = conn_.cursor(text);
    cur(m.*column_member<M, Desc::local[0]>());
    if (targets) targets->bind(cur);
    while (cur.step()) {
    }
  }

  // ---- create -------------------------------------------------------------------------------

  // Creates one record of an input with every nested write in it; `fixed` holds the foreign
  // keys a parent fills.
  template <class Input, class M = input_model<Input>>
  M create(const Input& in, Fixed<M> fixed = {}) {
    constexpr auto rels = meta::input_traits<Input>::relations;
    rels.apply([&](auto... mp) { (prisma_nested_resolve_owned(*this, in.*mp, fixed), ...); });
    check_required<Input>(in, &fixed);
    M row = *insert_row(in, fixed);
    rels.apply([&](auto... mp) { (prisma_nested_create_side(*this, in.*mp, row), ...); });
    return row;
  }

  // Every required relation whose foreign key this model holds is given: by its scalars, or by a
  // nested write that resolved into `fixed`.
  template <class Input, class M = input_model<Input>>
  static void check_required(const Input& in, const Fixed<M>* fixed) {
    constexpr auto rels = meta::input_traits<Input>::relations;
    [&]<std::size_t... R>(std::index_sequence<R...>) {
      (check_relation<Input, typename std::remove_cvref_t<decltype(in.*meta::get<R>(rels))>::descriptor>(in, fixed), ...);
    }(std::make_index_sequence<decltype(rels)::size>{});
  }

  template <class Input, class Desc, class M = input_model<Input>>
  static void check_relation(const Input& in, const Fixed<M>* fixed) {
    if constexpr (Desc::owns_foreign_key && !Desc::is_optional) {
      if (!given<Input, Desc>(in, fixed, std::make_index_sequence<Desc::local.size()>{}))
        throw ValidationError("Argument `" + std::string(Desc::name) + "` is missing: create of " +
                              std::string(meta::model_traits<M>::name) + " needs its " + std::string(Desc::name) +
                              ", by its foreign key field or by a nested create / connect / connect_or_create");
    }
  }

  template <class Input, class Desc, class M, std::size_t... I>
  static bool given(const Input& in, const Fixed<M>* fixed, std::index_sequence<I...>) {
    return (((fixed && fixed->mask[Desc::local[I]]) || scalar_given<Input, Desc::local[I]>(in)) && ...);
  }

  template <class Input, std::size_t I>
  static bool scalar_given(const Input& in) {
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

  // A to-one relation whose foreign key this model holds: create / connect / connect_or_create
  // (and in an update: disconnect) decide the foreign key before the row is written.
  template <class N, class M>
  void resolve_owned(const N& n, Fixed<M>& fixed) {
    using Desc = typename N::descriptor;
    if constexpr (Desc::owns_foreign_key) {
      int ways = (n.create ? 1 : 0) + (n.connect ? 1 : 0) + (n.connect_or_create ? 1 : 0);
      if constexpr (requires { n.disconnect; }) ways += n.disconnect ? 1 : 0;
      if (ways > 1)
        throw ValidationError("relation " + relation_label<Desc>() +
                              ": give one of create, connect, connect_or_create, disconnect");
      if (n.create) {
        fix_local<Desc>(fixed, create(*n.create));
      } else if (n.connect) {
        fix_local<Desc>(fixed, find_connect<Desc>(*n.connect));
      } else if (n.connect_or_create) {
        fix_local<Desc>(fixed, connect_or_create_target<Desc>(*n.connect_or_create));
      }
      if constexpr (requires { n.disconnect; }) {
        if constexpr (can_disconnect<Desc>())
          if (n.disconnect) fix_null<M, Desc::local>(fixed);
      }
    }
  }

  template <class Desc, class U>
  typename Desc::target find_connect(const U& unique) {
    using T = typename Desc::target;
    C where;
    add_kept(where, unique);
    auto t = select_one<T>(where);
    if (!t)
      nested_not_found<Desc>("connect");
    return std::move(*t);
  }

  template <class Desc, class CoC>
  typename Desc::target connect_or_create_target(const CoC& coc, Fixed<typename Desc::target> fixed = {}) {
    using T = typename Desc::target;
    C where;
    add_kept(where, coc.where);
    if (auto t = select_one<T>(where)) return std::move(*t);
    return create(coc.create, std::move(fixed));
  }

  // The relations whose foreign key the other model holds, and many-to-many: after the row.
  template <class N, class M>
  void create_side(const N& n, const M& row) {
    using Desc = typename N::descriptor;
    if constexpr (!Desc::owns_foreign_key) {
      if constexpr (Desc::is_list) {
        for (const auto& c : n.create) create_linked<Desc>(row, c);
        create_many_linked<Desc>(row, n.create_many);
        for (const auto& u : n.connect) connect_linked<Desc>(row, u);
        for (const auto& coc : n.connect_or_create) connect_or_create_linked<Desc>(row, coc);
      } else {
        int ways = (n.create ? 1 : 0) + (n.connect ? 1 : 0) + (n.connect_or_create ? 1 : 0);
        if (ways > 1)
          throw ValidationError("relation " + relation_label<Desc>() + ": give one of create, connect, connect_or_create");
        if (n.create) create_linked<Desc>(row, *n.create);
        if (n.connect) connect_linked<Desc>(row, *n.connect);
        if (n.connect_or_create) connect_or_create_linked<Desc>(row, *n.connect_or_create);
      }
    }
  }

  template <class Desc, class M, class CIn>
  typename Desc::target create_linked(const M& row, const CIn& c) {
    using T = typename Desc::target;
    if constexpr (Desc::kind == meta::RelationKind::ManyToMany) {
      T t = create(c);
      link<Desc>(row, t);
      return t;
    } else {
      Fixed<T> f;
      fix_remote<Desc>(f, row);
      return create(c, std::move(f));
    }
  }

  template <class Desc, class M, class CIn>
  void create_many_linked(const M& row, const CreateManyData<CIn>& many) {
    for (const auto& c : many.data) {
      if (has_nested_writes(c))
        throw ValidationError("create_many in relation " + relation_label<Desc>() +
                              " takes scalar fields only; nest further writes with create");
      if constexpr (Desc::kind == meta::RelationKind::ManyToMany) {
        create_linked<Desc>(row, c);
      } else {
        using T = typename Desc::target;
        Fixed<T> f;
        fix_remote<Desc>(f, row);
        check_required<CIn>(c, &f);
        insert_row(c, f, many.skip_duplicates);
      }
    }
  }

  template <class Desc, class M, class U>
  void connect_linked(const M& row, const U& unique) {
    using T = typename Desc::target;
    if constexpr (Desc::kind == meta::RelationKind::ManyToMany) {
      link<Desc>(row, find_connect<Desc>(unique));
    } else {
      if constexpr (!Desc::is_list) take_over_to_one<Desc>(row, &unique);
      Fixed<T> f;
      fix_remote<Desc>(f, row);
      C where;
      add_kept(where, unique);
      if (set_columns<T>(f, where) == 0)
        nested_not_found<Desc>("connect");
    }
  }

  template <class Desc, class M, class CoC>
  void connect_or_create_linked(const M& row, const CoC& coc) {
    using T = typename Desc::target;
    C where;
    add_kept(where, coc.where);
    if (select_one<T>(where)) connect_linked<Desc>(row, coc.where);
    else create_linked<Desc>(row, coc.create);
  }

  // Before a to-one relation whose foreign key the target holds gets a new record: the record
  // connected now lets go (its optional foreign key set to NULL), or, when its foreign key is
  // required, the change is refused (P2014). `incoming` is the record being connected (it may be
  // the one connected already).
  template <class Desc, class M, class U>
  void take_over_to_one(const M& row, const U* incoming) {
    using T = typename Desc::target;
    C scope;
    add_scope<Desc>(scope, row);
    if constexpr (foreign_key_optional<Desc>()) {
      Fixed<T> f;
      fix_null<T, Desc::remote>(f);
      if (incoming) {
        // leave the incoming record alone if it is the connected one
        C others = scope;
        c_not(others, *incoming);
        set_columns<T>(f, others);
      } else {
        set_columns<T>(f, scope);
      }
    } else {
      auto current = select_one<T>(scope);
      if (!current) return;
      if (incoming) {
        C same = scope;
        add_kept(same, *incoming);
        if (select_one<T>(same)) return;  // connecting the record that is connected already
      }
      throw RelationViolation("The change you are trying to make would violate the required relation " +
                              relation_label<Desc>() + " between the `" +
                              std::string(meta::model_traits<typename Desc::model>::name) + "` and `" +
                              std::string(meta::model_traits<T>::name) + "` models");
    }
  }

  template <class K>
  static void c_not(C& c, const K& kept) {
    c.add(
        [&kept](std::string& out, std::size_t& p) {
          out += "NOT (";
          kept.template render<D>(out, p);
          out += ')';
        },
        [&kept](Cur& cur) { kept.bind(cur); });
  }

  // ---- update -------------------------------------------------------------------------------

  // Updates the record `where` names with an input and every nested write in it; nothing when
  // there is no such record.
  template <class Input, class M = input_model<Input>>
  std::optional<M> update(const Input& in, const C& where) {
    constexpr auto rels = meta::input_traits<Input>::relations;
    Fixed<M> fixed;
    rels.apply([&](auto... mp) { (prisma_nested_resolve_owned(*this, in.*mp, fixed), ...); });
    auto rows = update_rows(in, fixed, where, true);
    if (rows.empty()) return std::nullopt;
    M row = std::move(rows.front());
    bool changed = false;
    rels.apply([&](auto... mp) { (prisma_nested_update_side(*this, in.*mp, row, changed), ...); });
    if (changed) {  // read it again: a nested write may have moved its foreign keys
      C self;
      add_self(self, row);
      if (auto again = select_one<M>(self)) row = std::move(*again);
    }
    return row;
  }

  // update_many: scalar members only.
  template <class Input, class M = input_model<Input>>
  std::int64_t update_many(const Input& in, const C& where) {
    if (has_nested_writes(in))
      throw ValidationError("update_many takes scalar fields only; nested writes go through update");
    update_rows(in, Fixed<M>{}, where, false);
    return affected_;
  }

  template <class N, class M>
  void update_side(const N& n, const M& row, bool& changed) {
    using Desc = typename N::descriptor;
    using T = typename Desc::target;
    if (n.empty()) return;
    if constexpr (Desc::owns_foreign_key) {
      if constexpr (requires { n.update; }) {
        // create / connect / connect_or_create / disconnect happened before the UPDATE
        if (n.update || n.upsert || n.delete_) {
          int ways = (n.update ? 1 : 0) + (n.upsert ? 1 : 0) + (n.delete_ ? 1 : 0) + (n.create ? 1 : 0) +
                     (n.connect ? 1 : 0) + (n.connect_or_create ? 1 : 0) + (n.disconnect ? 1 : 0);
          if (ways > 1) throw ValidationError("relation " + relation_label<Desc>() + ": give one nested write");
          changed = true;
          C scope;
          add_scope<Desc>(scope, row);  // the target whose referenced columns equal row's foreign key
          if (n.update) {
            if (!has_link<Desc>(row) || !update(*n.update, scope))
              nested_not_found<Desc>("update");
          } else if (n.upsert) {
            if (!has_link<Desc>(row) || !update(n.upsert->update, scope)) {
              Fixed<M> f;
              fix_local<Desc>(f, create(n.upsert->create));
              C self;
              add_self(self, row);
              set_columns<M>(f, self);
            }
          } else if (n.delete_) {
            if (!has_link<Desc>(row) || delete_where<T>(scope) == 0)
              nested_not_found<Desc>("delete");
          }
        }
      }
    } else if constexpr (Desc::is_list) {
      changed = true;
      list_update<Desc>(n, row);
    } else {
      changed = true;
      one_update<Desc>(n, row);
    }
  }

  // Whether the foreign key of an owned to-one relation is set in `row`.
  template <class Desc, class M>
  static bool has_link(const M& row) {
    bool set = true;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            const auto& v = row.*column_member<M, Desc::local[I]>();
            if constexpr (requires { v.has_value(); }) set = set && v.has_value();
          }(),
          ...);
    }(std::make_index_sequence<Desc::local.size()>{});
    return set;
  }

  template <class Desc, class N, class M>
  void list_update(const N& n, const M& row) {
    using T = typename Desc::target;
    constexpr bool m2m = Desc::kind == meta::RelationKind::ManyToMany;
    auto scoped = [&](auto&& more) {
      C c;
      add_scope<Desc>(c, row);
      more(c);
      return c;
    };
    // set: nothing but the given records stays connected
    if (n.set.is_set()) {
      if constexpr (can_disconnect<Desc>()) {
        if constexpr (m2m) {
          unlink<Desc>(row, nullptr);
        } else {
          Fixed<T> f;
          fix_null<T, Desc::remote>(f);
          set_columns<T>(f, scoped([](C&) {}));
        }
        for (const auto& u : n.set.items()) connect_linked<Desc>(row, u);
      }
    }
    if (n.disconnect.is_set()) {
      if constexpr (can_disconnect<Desc>()) {
        for (const auto& u : n.disconnect.items()) {
          if constexpr (m2m) {
            C c;
            add_kept(c, u);
            unlink<Desc>(row, &c);
          } else {
            Fixed<T> f;
            fix_null<T, Desc::remote>(f);
            set_columns<T>(f, scoped([&](C& c) { add_kept(c, u); }));
          }
        }
      }
    }
    for (const auto& u : n.delete_)
      if (delete_where<T>(scoped([&](C& c) { add_kept(c, u); })) == 0)
        nested_not_found<Desc>("delete");
    for (const auto& f : n.delete_many) delete_where<T>(scoped([&](C& c) { add_kept(c, f); }));
    for (const auto& u : n.update)
      if (!update(u.data, scoped([&](C& c) { add_kept(c, u.where); })))
        nested_not_found<Desc>("update");
    for (const auto& u : n.update_many) update_many(u.data, scoped([&](C& c) { add_kept(c, u.where); }));
    for (const auto& u : n.upsert)
      if (!update(u.update, scoped([&](C& c) { add_kept(c, u.where); }))) create_linked<Desc>(row, u.create);
    for (const auto& c : n.create) create_linked<Desc>(row, c);
    create_many_linked<Desc>(row, n.create_many);
    for (const auto& u : n.connect) connect_linked<Desc>(row, u);
    for (const auto& coc : n.connect_or_create) connect_or_create_linked<Desc>(row, coc);
  }

  // A to-one relation whose foreign key the target holds (User.profile).
  template <class Desc, class N, class M>
  void one_update(const N& n, const M& row) {
    using T = typename Desc::target;
    int ways = (n.update ? 1 : 0) + (n.upsert ? 1 : 0) + (n.delete_ ? 1 : 0) + (n.create ? 1 : 0) +
               (n.connect ? 1 : 0) + (n.connect_or_create ? 1 : 0) + (n.disconnect ? 1 : 0);
    if (ways > 1) throw ValidationError("relation " + relation_label<Desc>() + ": give one nested write");
    C scope;
    add_scope<Desc>(scope, row);
    if (n.create) {
      take_over_to_one<Desc>(row, static_cast<const UniqueWhere<T>*>(nullptr));
      create_linked<Desc>(row, *n.create);
    } else if (n.connect) {
      connect_linked<Desc>(row, *n.connect);
    } else if (n.connect_or_create) {
      C where;
      add_kept(where, n.connect_or_create->where);
      if (select_one<T>(where)) {
        connect_linked<Desc>(row, n.connect_or_create->where);
      } else {
        take_over_to_one<Desc>(row, static_cast<const UniqueWhere<T>*>(nullptr));
        create_linked<Desc>(row, n.connect_or_create->create);
      }
    } else if (n.disconnect) {
      if constexpr (can_disconnect<Desc>()) {
        Fixed<T> f;
        fix_null<T, Desc::remote>(f);
        set_columns<T>(f, scope);
      }
    } else if (n.delete_) {
      if (delete_where<T>(scope) == 0)
        nested_not_found<Desc>("delete");
    } else if (n.update) {
      if (!update(*n.update, scope))
        nested_not_found<Desc>("update");
    } else if (n.upsert) {
      if (!update(n.upsert->update, scope)) create_linked<Desc>(row, n.upsert->create);
    }
  }

  std::int64_t affected() const { return affected_; }

 private:
  Conn& conn_;
  DateTime now_;
  std::int64_t affected_ = 0;
};

}  // namespace detail
}  // namespace prisma
