#include "serve/engine.hpp"
#include "serve/raw_result.hpp"
#include "serve/secrets.hpp"
#include "serve/values.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <prisma/client/transaction.hpp>
#include <prisma/core/ids.hpp>
#include <prisma/sql/dialect.hpp>
#include <prisma/migrate.hpp>

#include <atomic>
#include <cmath>
#include <cstring>
#include <set>
#include <map>
#include <optional>
#include <variant>

namespace prisma_cpp::serve {

using prisma::sql::quoted_ident;
namespace json = boost::json;
using namespace values;  // QueryError, invalid, Value, to_value, read_field, ...

namespace {

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
std::vector<UniqueKey> unique_keys(const ir::Model& m) {
  std::vector<UniqueKey> out;
  auto add = [&](const std::vector<ir::IndexField>& ifs, const std::optional<std::string>& name) {
    UniqueKey k;
    for (const auto& x : ifs) k.fields.push_back(&m.fields[x.field]);
    if (k.fields.size() > 1) {
      if (name) k.name = *name;
      else
        for (const auto* f : k.fields) k.name += (k.name.empty() ? "" : "_") + f->name;
    }
    out.push_back(std::move(k));
  };
  if (m.primary_key) add(m.primary_key->fields, m.primary_key->name);
  for (const auto& ix : m.indexes)
    if (ix.type == ir::Index::Type::Unique) add(ix.fields, ix.name);
  return out;
}

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
  std::string join_sql;  // the join table as SQL names it (in model A's schema, as Prisma puts it)
};

// A model's table as SQL names it: schema-qualified when the model has @@schema (PostgreSQL), as
// the typed client names it (sql::table_name).
// ` RETURNING <columns>` (sql/dialect.hpp)
std::string returning_sql(const std::string& columns) {
  std::string out;
  prisma::sql::StringSink sink{out};
  prisma::sql::returning(sink, columns);
  return out;
}

// Run where the server's dialect is PostgreSQL (a schema is refused on SQLite by validation).
std::string table_sql(const ir::Model& m) {
  std::string out;
  prisma::sql::StringSink sink{out};
  prisma::sql::qualified_name(sink, prisma::sql::Dialect::Postgresql, m.schema.value_or(""), m.db_name);
  return out;
}

Link link_of(const Model& M, const ir::Field& f) {
  const ir::Schema& s = *M.s;
  const ir::Relation& r = s.relations[f.relation];
  Link l;
  l.field = &f;
  l.target = &s.models[f.related_model];
  bool is_a = &s.models[r.model_a] == M.m && &M.m->fields[r.field_a] == &f;
  l.back = is_a ? &s.models[r.model_b].fields[r.field_b] : &s.models[r.model_a].fields[r.field_a];
  if (r.kind == ir::Relation::Kind::ManyToMany) {
    l.m2m = true;
    if (!M.m->primary_key || M.m->primary_key->fields.size() != 1 || !l.target->primary_key ||
        l.target->primary_key->fields.size() != 1)
      invalid("the many-to-many relation `" + f.name + "` needs single-field ids on both models");
    l.local.push_back(&M.m->fields[M.m->primary_key->fields[0].field]);
    l.remote.push_back(&l.target->fields[l.target->primary_key->fields[0].field]);
    l.join_table = r.join_table;
    const ir::Model& a = s.models[r.model_a];
    l.join_sql = a.schema ? quoted_ident(*a.schema) + "." + quoted_ident(r.join_table) : quoted_ident(r.join_table);
    l.join_self = is_a ? "A" : "B";
    l.join_other = is_a ? "B" : "A";
    return l;
  }
  l.holds_fk = is_a;
  for (std::size_t i = 0; i < r.fields.size(); ++i) {
    l.local.push_back(&M.m->fields[is_a ? r.fields[i] : r.references[i]]);
    l.remote.push_back(&l.target->fields[is_a ? r.references[i] : r.fields[i]]);
  }
  return l;
}

// A fresh alias for a table in a subquery.
std::string new_alias() {
  static std::atomic<unsigned> counter{0};
  return "r" + std::to_string(++counter);
}

// The related rows of `self`'s row: "FROM <target> AS <alias> [JOIN <join table>] WHERE <correlation>".
std::string related_from(const Link& l, const std::string& self, const std::string& alias_raw) {
  std::string alias = quoted_ident(alias_raw);
  std::string out = " FROM " + table_sql(*l.target) + " AS " + alias;
  if (l.m2m) {
    std::string j = quoted_ident(alias_raw + "j");
    out += " JOIN " + l.join_sql + " AS " + j + " ON " + j + "." + quoted_ident(l.join_other) + " = " + alias + "." +
           quoted_ident(l.remote[0]->db_name) + " WHERE " + j + "." + quoted_ident(l.join_self) + " = " + self + "." +
           quoted_ident(l.local[0]->db_name);
    return out;
  }
  for (std::size_t i = 0; i < l.local.size(); ++i)
    out += std::string(i ? " AND " : " WHERE ") + alias + "." + quoted_ident(l.remote[i]->db_name) + " = " + self + "." +
           quoted_ident(l.local[i]->db_name);
  return out;
}

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

// `self`: how the model's table is named in the statement (its table, or a subquery's alias).
std::string where_sql(const Model& M, const json::value& w, Sql& q, const std::string& path, const std::string& self = {});

// A scalar list (PostgreSQL arrays): has, hasSome, hasEvery, isEmpty, equals (a plain list is
// equals), rendered as the typed client renders them (ListFilter): `$1 = ANY(col)`, `col && $1`,
// `col @> $1`, `cardinality(col) = 0`, `col = $1`.
std::string list_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                        const std::string& col) {
  if (q.sqlite) invalid("scalar lists exist on PostgreSQL only (`" + f.name + "` at `" + path + "`)");
  if (v.is_null()) return col + " IS NULL";
  if (!v.is_object()) return col + " = " + q.param(to_value(*M.s, f, v, path));
  std::vector<std::string> parts;
  for (const auto& [key, arg] : v.as_object()) {
    std::string k(key), p = path + "." + k;
    if (k == "has") {
      if (arg.is_null()) invalid("`has` takes a value at `" + p + "`");
      parts.push_back(q.param(to_value(*M.s, element_of(f), arg, p)) + " = ANY(" + col + ")");
    } else if (k == "hasSome") parts.push_back(col + " && " + q.param(to_value(*M.s, f, arg, p)));
    else if (k == "hasEvery") parts.push_back(col + " @> " + q.param(to_value(*M.s, f, arg, p)));
    else if (k == "isEmpty") {
      if (!arg.is_bool()) invalid("`isEmpty` takes true or false at `" + p + "`");
      parts.push_back(std::string(arg.as_bool() ? "" : "NOT ") + "(cardinality(" + col + ") = 0)");
    } else if (k == "equals") parts.push_back(arg.is_null() ? col + " IS NULL" : col + " = " + q.param(to_value(*M.s, f, arg, p)));
    else invalid("Unknown filter `" + k + "` on the scalar list at `" + p + "` (has, hasSome, hasEvery, isEmpty, equals)");
  }
  if (parts.empty()) return "1 = 1";
  std::string out;
  for (const auto& s : parts) out += (out.empty() ? "" : " AND ") + s;
  return "(" + out + ")";
}

// `expr`: the filtered expression when not the field's column (groupBy's having on an aggregate).
std::string field_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                         const std::string& self, const std::string& expr = {}) {
  std::string col = expr.empty() ? self + "." + quoted_ident(f.db_name) : expr;
  if (f.list) return list_filter(M, f, v, q, path, col);
  bool plain = !v.is_object() || v.as_object().contains("$type");
  if (plain) {
    if (v.is_null()) return col + " IS NULL";
    return col + " = " + q.param(to_value(*M.s, f, v, path));
  }
  const auto& o = v.as_object();
  bool insensitive = o.contains("mode") && o.at("mode").is_string() && o.at("mode").as_string() == "insensitive";
  std::vector<std::string> parts;
  // mode: insensitive compares LOWER(column) with LOWER(value), as Prisma renders it (and the typed
  // client: LowerEquals); contains/startsWith/endsWith use ILIKE on PostgreSQL below
  bool lower = insensitive && f.kind == ir::FieldKind::Scalar && f.scalar == ir::ScalarType::String;
  std::string lcol = lower ? "LOWER(" + col + ")" : col;
  auto value = [&](const json::value& x, const std::string& p) {
    std::string param = q.param(to_value(*M.s, f, x, p));
    return lower ? "LOWER(" + param + ")" : param;
  };
  for (const auto& [key, arg] : o) {
    std::string k(key);
    std::string p = path + "." + k;
    if (k == "mode") continue;
    if (k == "equals") parts.push_back(arg.is_null() ? col + " IS NULL" : lcol + " = " + value(arg, p));
    else if (k == "not") {
      // `not: value` leaves NULL rows out, as Prisma does (SQL's `<>`; the typed client's Ne)
      if (arg.is_null()) parts.push_back(col + " IS NOT NULL");
      else if (arg.is_object() && !arg.as_object().contains("$type")) {
        json::value inner = arg;
        if (insensitive && !inner.as_object().contains("mode")) inner.as_object()["mode"] = "insensitive";
        parts.push_back("NOT (" + field_filter(M, f, inner, q, p, self, expr) + ")");
      } else parts.push_back(lcol + " <> " + value(arg, p));
    } else if (k == "in" || k == "notIn") {
      if (!arg.is_array()) invalid("`" + k + "` takes a list at `" + p + "`");
      if (arg.as_array().empty()) {
        parts.push_back(k == "in" ? "1 = 0" : "1 = 1");
        continue;
      }
      // one parameter for the whole list, as the typed client binds it (sql::in_list); LOWER()
      // lists (mode: insensitive, which the typed client has not) and Bytes/Json item by item
      if (auto list = lower ? std::nullopt : in_list_param(q.sqlite, *M.s, f, arg.as_array(), p)) {
        q.params.emplace_back(std::move(*list));
        std::string cond = col;
        prisma::sql::StringSink sink{cond};
        prisma::sql::in_list(sink, q.dialect(), k == "notIn", q.params.size());
        parts.push_back(std::move(cond));
        continue;
      }
      std::string list;
      for (const auto& item : arg.as_array()) list += (list.empty() ? "" : ", ") + value(item, p);
      parts.push_back(lcol + (k == "in" ? " IN (" : " NOT IN (") + list + ")");
    } else if (k == "lt" || k == "lte" || k == "gt" || k == "gte") {
      const char* op = k == "lt" ? " < " : k == "lte" ? " <= " : k == "gt" ? " > " : " >= ";
      parts.push_back(lcol + op + value(arg, p));
    } else if (k == "contains" || k == "startsWith" || k == "endsWith") {
      if (f.kind != ir::FieldKind::Scalar || f.scalar != ir::ScalarType::String || !arg.is_string())
        invalid("`" + k + "` takes a String on a String field at `" + p + "`");
      std::string pattern = prisma::detail::like_pattern(str(arg), k != "startsWith", k != "endsWith");
      q.params.emplace_back(std::move(pattern));
      std::string cond = col;
      prisma::sql::StringSink sink{cond};
      prisma::sql::like(sink, q.dialect(), insensitive, q.params.size());
      parts.push_back(std::move(cond));
    } else {
      invalid("Unknown filter `" + k + "` at `" + p + "`");
    }
  }
  if (parts.empty()) return "1 = 1";
  std::string out;
  for (const auto& s : parts) out += (out.empty() ? "" : " AND ") + s;
  return parts.size() == 1 ? out : "(" + out + ")";
}

// A relation filter: EXISTS over the related rows, correlated on the relation's key (or through
// the join table). to-many: some / every / none; to-one: is / isNot (or the related filter itself, as `is`).
std::string relation_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                            const std::string& self) {
  Link l = link_of(M, f);
  Model R{l.target, M.s};
  auto exists = [&](const json::value& inner, bool negate_inner) {
    std::string alias = new_alias();
    std::string cond = where_sql(R, inner, q, path, quoted_ident(alias));
    return "EXISTS (SELECT 1" + related_from(l, self, alias) + " AND " + (negate_inner ? "NOT (" + cond + ")" : "(" + cond + ")") + ")";
  };
  if (!v.is_object() && !v.is_null()) invalid("a relation filter takes an object at `" + path + "`");
  if (f.list) {
    if (v.is_null()) invalid("a list relation filter takes some, every or none at `" + path + "`");
    std::vector<std::string> parts;
    for (const auto& [key, arg] : v.as_object()) {
      std::string k(key);
      if (k == "some") parts.push_back(exists(arg, false));
      else if (k == "none") parts.push_back("NOT " + exists(arg, false));
      else if (k == "every") parts.push_back("NOT " + exists(arg, true));
      else invalid("Unknown filter `" + k + "` for the list relation `" + f.name + "` at `" + path + "` (some, every, none)");
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " AND ") + p;
    return out.empty() ? "1 = 1" : out;
  }
  auto is = [&](const json::value& arg, bool negate) -> std::string {
    if (arg.is_null())  // no related row
      return negate ? exists(json::object{}, false) : "NOT " + exists(json::object{}, false);
    return negate ? "NOT " + exists(arg, false) : exists(arg, false);
  };
  if (v.is_null()) return is(v, false);
  const auto& o = v.as_object();
  if (o.contains("is") || o.contains("isNot")) {
    std::vector<std::string> parts;
    for (const auto& [key, arg] : o) {
      std::string k(key);
      if (k == "is") parts.push_back(is(arg, false));
      else if (k == "isNot") parts.push_back(is(arg, true));
      else invalid("Unknown filter `" + k + "` for the relation `" + f.name + "` at `" + path + "` (is, isNot)");
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " AND ") + p;
    return out;
  }
  return is(v, false);
}

std::string where_sql(const Model& M, const json::value& w, Sql& q, const std::string& path, const std::string& self_in) {
  const std::string self = self_in.empty() ? table_sql(*M.m) : self_in;
  if (w.is_null()) return "1 = 1";
  if (!w.is_object()) invalid("`where` takes an object at `" + path + "`");
  std::vector<std::string> parts;
  for (const auto& [key, v] : w.as_object()) {
    std::string k(key);
    std::string p = path + "." + k;
    if (k == "AND" || k == "OR" || k == "NOT") {
      std::vector<std::string> subs;
      if (v.is_array())
        for (const auto& item : v.as_array()) subs.push_back(where_sql(M, item, q, p, self));
      else
        subs.push_back(where_sql(M, v, q, p, self));
      std::string joined;
      const char* sep = k == "OR" ? " OR " : " AND ";
      for (const auto& s : subs) joined += (joined.empty() ? "" : sep) + ("(" + s + ")");
      if (k == "OR") parts.push_back(subs.empty() ? "1 = 0" : "(" + joined + ")");
      else if (k == "AND") parts.push_back(subs.empty() ? "1 = 1" : "(" + joined + ")");
      else parts.push_back(subs.empty() ? "1 = 1" : "NOT (" + joined + ")");
      continue;
    }
    if (const ir::Field* rf = M.field(k); rf && rf->kind == ir::FieldKind::Relation) {
      parts.push_back(relation_filter(M, *rf, v, q, p, self));
      continue;
    }
    if (!M.field(k)) {  // a compound unique by its client name: `orderId_sku: {orderId, sku}`
      bool done = false;
      for (const auto& u : unique_keys(*M.m)) {
        if (u.name != k) continue;
        if (!v.is_object()) invalid("the compound unique `" + k + "` takes an object of its fields at `" + p + "`");
        std::string all;
        for (const auto* uf : u.fields) {
          const json::value* x = v.as_object().if_contains(uf->name);
          if (!x) invalid("Argument `" + uf->name + "` is missing at `" + p + "`");
          all += (all.empty() ? "" : " AND ") + field_filter(M, *uf, *x, q, p + "." + uf->name, self);
        }
        if (v.as_object().size() != u.fields.size()) invalid("the compound unique `" + k + "` takes exactly its fields at `" + p + "`");
        parts.push_back("(" + all + ")");
        done = true;
      }
      if (done) continue;
    }
    parts.push_back(field_filter(M, M.scalar(k, p, true), v, q, p, self));
  }
  std::string out;
  for (const auto& s : parts) out += (out.empty() ? "" : " AND ") + s;
  return out.empty() ? "1 = 1" : out;
}

// One term of an order: a column (or a relation's count / a to-one relation's column, as a
// correlated subquery), its direction and where NULLs go (0 default, 1 first, 2 last).
struct OrderTerm {
  std::string expr;
  bool desc = false;
  int nulls = 0;
  const ir::Field* field = nullptr;  // a scalar of the model itself (cursors order by these only)
};

std::vector<OrderTerm> order_terms(const Model& M, const json::value& o, const std::string& path, const std::string& self) {
  std::vector<OrderTerm> out;
  auto direction = [&](const json::value& dir, const std::string& p, OrderTerm& t) {
    std::string d;
    if (dir.is_string()) d = str(dir);
    else if (dir.is_object() && dir.as_object().contains("sort") && dir.as_object().at("sort").is_string()) {
      d = str(dir.as_object().at("sort"));
      if (auto* n = dir.as_object().if_contains("nulls")) {
        if (!n->is_string() || (n->as_string() != "first" && n->as_string() != "last"))
          invalid("`nulls` takes \"first\" or \"last\" at `" + p + "`");
        t.nulls = n->as_string() == "first" ? 1 : 2;
      }
    }
    if (d != "asc" && d != "desc") invalid("`orderBy` takes \"asc\" or \"desc\" at `" + p + "`");
    t.desc = d == "desc";
  };
  auto one = [&](const json::object& obj) {
    for (const auto& [key, dir] : obj) {
      std::string k(key), p = path + "." + k;
      const ir::Field* f = M.field(k);
      if (f && f->kind == ir::FieldKind::Relation) {
        // {"posts": {"_count": "desc"}} or {"author": {"name": "asc"}}
        if (!dir.is_object() || dir.as_object().size() != 1)
          invalid("ordering by the relation `" + k + "` takes one field (or `_count`) at `" + p + "`");
        Link l = link_of(M, *f);
        std::string inner(dir.as_object().begin()->key());
        std::string alias = new_alias();
        OrderTerm t;
        direction(dir.as_object().begin()->value(), p + "." + inner, t);
        if (inner == "_count") {
          if (!f->list) invalid("`_count` orders by a list relation at `" + p + "`");
          t.expr = "(SELECT COUNT(*)" + related_from(l, self, alias) + ")";
        } else {
          if (f->list) invalid("a list relation orders by its `_count` only, at `" + p + "`");
          Model R{l.target, M.s};
          t.expr = "(SELECT " + quoted_ident(alias) + "." + quoted_ident(R.scalar(inner, p).db_name) + related_from(l, self, alias) + ")";
        }
        out.push_back(std::move(t));
        continue;
      }
      OrderTerm t;
      t.field = &M.scalar(k, p);
      t.expr = self + "." + quoted_ident(t.field->db_name);
      direction(dir, p, t);
      out.push_back(std::move(t));
    }
  };
  if (o.is_object()) one(o.as_object());
  else if (o.is_array())
    for (const auto& item : o.as_array()) {
      if (!item.is_object()) invalid("`orderBy` takes objects at `" + path + "`");
      one(item.as_object());
    }
  else if (!o.is_null()) invalid("`orderBy` takes an object or a list at `" + path + "`");
  return out;
}

// ORDER BY's list (without the keyword); `reversed` reads backwards (a negative take).
std::string order_list(const std::vector<OrderTerm>& terms, bool reversed, bool sqlite) {
  std::string out;
  for (const auto& t : terms) {
    bool desc = t.desc != reversed;
    int nulls = !reversed ? t.nulls : t.nulls == 1 ? 2 : t.nulls == 2 ? 1 : 0;
    if (!out.empty()) out += ", ";
    prisma::sql::StringSink sink{out};
    prisma::sql::order_term(sink, sqlite ? prisma::sql::Dialect::Sqlite : prisma::sql::Dialect::Postgresql,
                            [&](auto& o) { o.append(t.expr); }, desc, nulls);
  }
  return out;
}

// The scalar fields a selection asks for (`$scalars`, fields named true, fields named false or in
// `omit` left out), plus (in `hidden`) the key fields its relation selections need to stitch rows
// together.
std::vector<const ir::Field*> selected(const Model& M, const json::value& sel, const std::string& path,
                                      std::set<std::string>* hidden = nullptr, const json::value* omit = nullptr) {
  std::vector<const ir::Field*> out;
  bool all = !sel.is_object() || (sel.as_object().contains("$scalars") && sel.as_object().at("$scalars").is_bool() &&
                                   sel.as_object().at("$scalars").as_bool());
  std::set<const ir::Field*> left_out;
  if (omit && !omit->is_null()) {
    if (!omit->is_object()) invalid("`omit` takes an object of fields at `" + path + "`");
    for (const auto& [key, v] : omit->as_object())
      if (!v.is_bool()) invalid("`omit` takes true or false per field at `" + path + ".omit." + std::string(key) + "`");
      else if (v.as_bool()) left_out.insert(&M.scalar(std::string(key), path + ".omit." + std::string(key), true));
  }
  if (sel.is_object())
    for (const auto& [key, v] : sel.as_object())
      if (v.is_bool() && !v.as_bool())
        if (const ir::Field* f = M.field(std::string(key)); f && f->kind != ir::FieldKind::Relation) left_out.insert(f);
  for (const auto& f : M.m->fields) {
    if (f.kind == ir::FieldKind::Relation || f.kind == ir::FieldKind::Unsupported || f.is_ignored) continue;
    if (all && !left_out.count(&f)) out.push_back(&f);
  }
  auto add_hidden = [&](const ir::Field* f) {
    if (std::find(out.begin(), out.end(), f) != out.end()) return;
    out.push_back(f);
    if (hidden) hidden->insert(f->name);
  };
  if (sel.is_object())
    for (const auto& [key, v] : sel.as_object()) {
      std::string k(key);
      if (k == "$scalars" || k == "$composites") continue;
      if (k == "_count") {  // counts of relations: their keys are needed
        if (!v.is_object() && !v.is_bool()) invalid("`_count` takes a selection of relations at `" + path + "._count`");
        for (const auto& f : M.m->fields)
          if (f.kind == ir::FieldKind::Relation && f.list)
            for (const auto* lf : link_of(M, f).local) add_hidden(lf);
        continue;
      }
      const ir::Field* f = M.field(k);
      if (!f) invalid("Unknown field `" + k + "` for model `" + M.m->name + "` at `" + path + "." + k + "`");
      if (f->kind == ir::FieldKind::Relation) {
        if (v.is_bool() && !v.as_bool()) continue;
        for (const auto* lf : link_of(M, *f).local) add_hidden(lf);
        continue;
      }
      const ir::Field& sf = M.scalar(k, path + "." + k, true);
      if (!v.is_bool()) invalid("a scalar field takes true or false at `" + path + "." + k + "`");
      if (!all && v.as_bool() && std::find(out.begin(), out.end(), &sf) == out.end()) out.push_back(&sf);
      if (!all && v.as_bool() && hidden) hidden->erase(sf.name);
    }
  if (out.empty()) invalid("the selection at `" + path + "` selects no field");
  return out;
}

std::string columns(const std::vector<const ir::Field*>& fs) {
  std::string out;
  for (const auto* f : fs) out += (out.empty() ? "" : ", ") + quoted_ident(f->db_name);
  return out;
}

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
std::string begin_statement(bool sqlite, const json::value& options) {
  prisma::IsolationLevel level = prisma::IsolationLevel::Default;
  if (const auto* o = options.if_object())
    if (const auto* l = o->if_contains("isolationLevel"); l && !l->is_null()) {
      static const std::map<std::string, prisma::IsolationLevel> names = {
          {"ReadUncommitted", prisma::IsolationLevel::ReadUncommitted},
          {"ReadCommitted", prisma::IsolationLevel::ReadCommitted},
          {"RepeatableRead", prisma::IsolationLevel::RepeatableRead},
          {"Serializable", prisma::IsolationLevel::Serializable}};
      auto it = l->is_string() ? names.find(str(*l)) : names.end();
      if (it == names.end())
        invalid("Invalid isolation level `" + json::serialize(*l) + "` (ReadUncommitted, ReadCommitted, RepeatableRead, Serializable)");
      level = it->second;
    }
  try {
    return prisma::detail::begin_statement(sqlite ? prisma::sql::Dialect::Sqlite : prisma::sql::Dialect::Postgresql, level);
  } catch (const prisma::Error& e) {  // SQLite and a level other than Serializable: as the typed client refuses it
    throw QueryError(e.code(), e.what());
  }
}

struct Agg {
  std::string op;          // _count, _sum, _avg, _min, _max
  const ir::Field* field;  // nullptr: _count._all
};

std::vector<Agg> aggregates_of(const Model& M, const json::object& sel, const std::string& path,
                               std::vector<const ir::Field*>* by_fields = nullptr) {
  std::vector<Agg> out;
  for (const auto& [key, v] : sel) {
    std::string op(key);
    if (op != "_count" && op != "_sum" && op != "_avg" && op != "_min" && op != "_max") {
      if (by_fields && v.is_bool() && v.as_bool()) {  // groupBy: a grouped field
        by_fields->push_back(&M.scalar(op, path + "." + op));
        continue;
      }
      invalid("Unknown aggregate `" + op + "` at `" + path + "` (_count, _sum, _avg, _min, _max)");
    }
    const json::value* fields = &v;
    if (v.is_object() && v.as_object().contains("selection")) fields = &v.as_object().at("selection");
    if (v.is_bool() && op == "_count") {
      out.push_back({op, nullptr});
      continue;
    }
    if (!fields->is_object()) invalid("`" + op + "` takes a selection of fields at `" + path + "`");
    for (const auto& [fname, on] : fields->as_object()) {
      if (!on.is_bool() || !on.as_bool()) continue;
      std::string fn(fname);
      if (op == "_count" && fn == "_all") {
        out.push_back({op, nullptr});
        continue;
      }
      const ir::Field& f = M.scalar(fn, path + "." + op + "." + fn);
      bool numeric = f.kind == ir::FieldKind::Scalar &&
                     (f.scalar == ir::ScalarType::Int || f.scalar == ir::ScalarType::BigInt ||
                      f.scalar == ir::ScalarType::Float || f.scalar == ir::ScalarType::Decimal);
      if ((op == "_sum" || op == "_avg") && !numeric)
        invalid("`" + op + "` takes numeric fields, not `" + fn + "` at `" + path + "`");
      out.push_back({op, &f});
    }
  }
  return out;
}

std::string aggregate_sql(const Agg& a) {
  if (!a.field) return "COUNT(*)";
  std::string col = quoted_ident(a.field->db_name);
  if (a.op == "_count") return "COUNT(" + col + ")";
  if (a.op == "_sum") return "SUM(" + col + ")";
  if (a.op == "_avg") return "AVG(" + col + ")";
  return (a.op == "_min" ? "MIN(" : "MAX(") + col + ")";
}

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

}  // namespace

struct Engine::Impl {
  ir::Schema schema;
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
  static json::value expired_error(const char* what, const Expired& e) {
    auto passed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - e.started);
    return error_response("P2028", std::string("Transaction already closed: ") + what +
                                       " cannot be executed on an expired transaction. The timeout for this transaction was " +
                                       std::to_string(e.timeout.count()) + " ms, however " + std::to_string(passed.count()) +
                                       " ms passed since the start of the transaction. Consider increasing the interactive "
                                       "transaction timeout or doing less work in the transaction.",
                          {});
  }
  // The expired transaction `id`, if remembered (the caller holds txs_mu).
  std::optional<Expired> expired_tx(const std::string& id) {
    auto it = expired_txs.find(id);
    if (it == expired_txs.end()) return std::nullopt;
    return it->second;
  }

  // Rolls back a transaction past its timeout; the caller holds tx->m (never txs_mu).
  void expire(const std::shared_ptr<Tx>& tx) {
    {
      std::lock_guard lock(txs_mu);
      if (auto it = txs.find(tx->id); it != txs.end() && it->second == tx) txs.erase(it);
      auto now = std::chrono::steady_clock::now();
      for (auto it = expired_txs.begin(); it != expired_txs.end();)
        it = now - it->second.at > std::chrono::minutes(10) ? expired_txs.erase(it) : std::next(it);
      if (expired_txs.size() >= 10'000) expired_txs.erase(expired_txs.begin());
      expired_txs[tx->id] = Expired{tx->started, now, tx->timeout};
    }
    try {
      tx->end(false);  // rolled back: the connection (and SQLite's write turn) go back
    } catch (const std::exception&) {
      // a broken connection: the pool drops it
    }
  }

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
  const ir::Model* model(const std::string& name) {
    for (const auto& m : schema.models)
      if (m.name == name) return m.is_ignored ? nullptr : &m;
    return nullptr;
  }

  // A value the client fills in: now(), uuid(), cuid(), nanoid(), ulid(), @updatedAt.
  static std::optional<Value> client_default(const ir::Field& f) {
    if (f.is_updated_at) return prisma::DateTime::now();
    if (!f.default_value) return std::nullopt;
    using K = ir::DefaultValue::Kind;
    switch (f.default_value->kind) {
      case K::Now: return prisma::DateTime::now();
      case K::Uuid: return f.default_value->version == 7 ? prisma::ids::uuid_v7() : prisma::ids::uuid_v4();
      case K::Cuid: return prisma::ids::cuid();
      case K::Nanoid: return prisma::ids::nanoid(static_cast<std::size_t>(f.default_value->length.value_or(21)));
      case K::Ulid: return prisma::ids::ulid();
      default: return std::nullopt;
    }
  }

  // The key a row has for relation `l` (its local fields' values), as text; empty when a part is null.
  static std::string row_key(const json::object& row, const std::vector<const ir::Field*>& fields) {
    std::string k;
    for (const auto* f : fields) {
      const json::value* v = row.if_contains(f->name);
      if (!v || v->is_null()) return {};
      k += json::serialize(*v) + "\x1f";
    }
    return k;
  }

  // `cols IN (...)` (or, over a compound key, `(a = ? AND b = ?) OR ...`) for the parents' keys.
  std::string key_condition(Sql& sql, const std::vector<std::string>& cols, const std::vector<const ir::Field*>& key_fields,
                            const json::array& rows, const std::vector<const ir::Field*>& row_fields, const std::string& p) {
    std::set<std::string> seen;
    std::string list;
    std::size_t n = 0;
    for (const auto& row : rows) {
      const auto& ro = row.as_object();
      std::string k = row_key(ro, row_fields);
      if (k.empty() || !seen.insert(k).second) continue;
      if (cols.size() == 1) {
        list += (list.empty() ? "" : ", ") + sql.param(to_value(schema, *key_fields[0], ro.at(row_fields[0]->name), p));
      } else {
        std::string one;
        for (std::size_t i = 0; i < cols.size(); ++i)
          one += (i ? " AND " : "") + cols[i] + " = " + sql.param(to_value(schema, *key_fields[i], ro.at(row_fields[i]->name), p));
        list += (list.empty() ? "(" : " OR (") + one + ")";
      }
      ++n;
    }
    if (!n) return {};
    return cols.size() == 1 ? cols[0] + " IN (" + list + ")" : "(" + list + ")";
  }

  // Loads the relation selections of `sel` into `rows` (one query per relation and level, WHERE key
  // IN (...), as the typed client's include; many-to-many through the join table) and the `_count`
  // of relations, then drops the key fields only loaded for that.
  void attach(Db& db, const Model& M, json::array& rows, const json::value& sel, const std::set<std::string>& hidden,
              const std::string& path) {
    if (sel.is_object() && !rows.empty())
      for (const auto& [key, v] : sel.as_object()) {
        std::string k(key);
        if (k == "_count") {
          attach_counts(db, M, rows, v, path + "._count");
          continue;
        }
        const ir::Field* f = M.field(k);
        if (!f || f->kind != ir::FieldKind::Relation || (v.is_bool() && !v.as_bool())) continue;
        std::string p = path + "." + k;
        Link l = link_of(M, *f);
        Model R{l.target, &schema};
        json::object args;
        json::value child_sel = json::object{{"$scalars", true}};
        if (v.is_object()) {
          const auto& o = v.as_object();
          for (const auto& [ok, ov] : o)
            if (ok != "arguments" && ok != "selection") invalid("Unknown key `" + std::string(ok) + "` at `" + p + "` (arguments, selection)");
          if (auto* a = o.if_contains("arguments"); a && a->is_object()) args = a->as_object();
          if (auto* s2 = o.if_contains("selection")) child_sel = *s2;
        } else if (!v.is_bool()) {
          invalid("a relation selection takes true or {arguments, selection} at `" + p + "`");
        }
        for (const auto& [ak, av] : args) {
          static const std::set<std::string> known = {"where", "orderBy", "take", "skip", "omit"};
          if (!known.count(std::string(ak))) invalid("Unknown argument `" + std::string(ak) + "` at `" + p + "`");
          (void)av;
        }
        if (!f->list)
          for (const char* a : {"orderBy", "take", "skip"})
            if (args.contains(a)) invalid(std::string("`") + a + "` is for list relations, not `" + k + "` at `" + p + "`");
        std::set<std::string> child_hidden;
        const json::value* omit = args.if_contains("omit");
        auto fs = selected(R, child_sel, p + ".selection", &child_hidden, omit);
        std::string alias_raw = new_alias();
        std::string alias = quoted_ident(alias_raw);
        Sql sql{db.sqlite, "", {}};
        std::vector<const ir::Field*> read = fs;  // the child columns, then (m:n) the parent's key
        std::vector<std::string> names;
        for (const auto* cf : fs) names.push_back(cf->name);
        std::string cols;
        for (const auto* cf : fs) cols += (cols.empty() ? "" : ", ") + alias + "." + quoted_ident(cf->db_name);
        std::string from = " FROM " + table_sql(*l.target) + " AS " + alias;
        std::vector<std::string> key_cols;
        std::vector<std::string> child_key_names;
        if (l.m2m) {
          std::string j = quoted_ident(alias_raw + "j");
          from += " JOIN " + l.join_sql + " AS " + j + " ON " + j + "." + quoted_ident(l.join_other) + " = " + alias + "." +
                  quoted_ident(l.remote[0]->db_name);
          key_cols.push_back(j + "." + quoted_ident(l.join_self));
          cols += ", " + key_cols[0];
          read.push_back(l.local[0]);
          names.push_back("\x1fparent");
          child_key_names.push_back("\x1fparent");
        } else {
          for (std::size_t i = 0; i < l.remote.size(); ++i) {
            key_cols.push_back(alias + "." + quoted_ident(l.remote[i]->db_name));
            if (std::find(fs.begin(), fs.end(), l.remote[i]) == fs.end()) {
              cols += ", " + key_cols.back();
              read.push_back(l.remote[i]);
              names.push_back(l.remote[i]->name);
              child_hidden.insert(l.remote[i]->name);
            }
            child_key_names.push_back(l.remote[i]->name);
          }
        }
        json::array children;
        std::string cond = key_condition(sql, key_cols, l.m2m ? l.local : l.remote, rows, l.local, p);
        if (!cond.empty()) {
          sql.text = "SELECT " + cols + from + " WHERE " + cond;
          if (args.contains("where")) sql.text += " AND (" + where_sql(R, args.at("where"), sql, p + ".where", alias) + ")";
          std::vector<OrderTerm> terms;
          if (args.contains("orderBy")) terms = order_terms(R, args.at("orderBy"), p + ".orderBy", alias);
          if (terms.empty() && l.target->primary_key)
            for (const auto& pk : l.target->primary_key->fields)
              terms.push_back({alias + "." + quoted_ident(l.target->fields[pk.field].db_name), false, 0, nullptr});
          if (!terms.empty()) sql.text += " ORDER BY " + order_list(terms, false, db.sqlite);
          children = db.rows_named(schema, sql, read, names);
        }
        std::vector<std::string> child_keys;  // each child's key, before attach() drops hidden fields
        for (auto& c : children) {
          json::object& co = c.as_object();
          std::string ck;
          for (const auto& n : child_key_names) ck += json::serialize(co.at(n)) + "\x1f";
          child_keys.push_back(std::move(ck));
          co.erase("\x1fparent");
        }
        attach(db, R, children, child_sel, child_hidden, p + ".selection");
        std::int64_t take = 0, skip = 0;
        bool has_take = false;
        if (auto* t = args.if_contains("take")) {
          if (!t->is_int64()) invalid("`take` takes an Int at `" + p + "`");
          take = t->as_int64(), has_take = true;
        }
        if (auto* sk = args.if_contains("skip")) {
          if (!sk->is_int64() || sk->as_int64() < 0) invalid("`skip` takes an Int >= 0 at `" + p + "`");
          skip = sk->as_int64();
        }
        std::map<std::string, json::array> by_key;
        for (std::size_t i = 0; i < children.size(); ++i) by_key[child_keys[i]].push_back(std::move(children[i]));
        for (auto& row : rows) {
          json::object& ro = row.as_object();
          std::string rk = row_key(ro, l.local);
          auto it = rk.empty() ? by_key.end() : by_key.find(rk);
          if (f->list) {
            json::array all = it == by_key.end() ? json::array{} : it->second;
            ro[f->name] = page(std::move(all), skip, take, has_take);
          } else {
            ro[f->name] = it == by_key.end() || it->second.empty() ? json::value(nullptr) : it->second.front();
          }
        }
      }
    for (auto& row : rows)
      for (const auto& h : hidden) row.as_object().erase(h);
  }

  // skip, then take (negative: the last n before the skipped ones, as the typed client).
  static json::array page(json::array all, std::int64_t skip, std::int64_t take, bool has_take) {
    json::array out;
    auto n = static_cast<std::int64_t>(all.size());
    if (has_take && take < 0) {
      std::int64_t end = std::max<std::int64_t>(0, n - skip), begin = std::max<std::int64_t>(0, end + take);
      for (std::int64_t i = begin; i < end; ++i) out.push_back(all[static_cast<std::size_t>(i)]);
      return out;
    }
    for (std::int64_t i = skip; i < n && (!has_take || static_cast<std::int64_t>(out.size()) < take); ++i)
      out.push_back(all[static_cast<std::size_t>(i)]);
    return out;
  }

  // `_count: {selection: {posts: true, comments: {arguments: {where}}}}`: one grouped COUNT per relation.
  void attach_counts(Db& db, const Model& M, json::array& rows, const json::value& v, const std::string& path) {
    json::object which;
    if (v.is_bool()) {
      if (!v.as_bool()) return;
      for (const auto& f : M.m->fields)
        if (f.kind == ir::FieldKind::Relation && f.list) which[f.name] = true;
    } else if (v.is_object() && v.as_object().contains("selection") && v.as_object().at("selection").is_object()) {
      which = v.as_object().at("selection").as_object();
    } else {
      invalid("`_count` takes {selection: {relation: true}} at `" + path + "`");
    }
    std::map<std::string, json::object> counts;  // row key -> {relation: n}
    for (auto& row : rows) row.as_object()["_count"] = json::object{};
    for (const auto& [key, on] : which) {
      std::string k(key), p = path + "." + k;
      const ir::Field* f = M.field(k);
      if (!f || f->kind != ir::FieldKind::Relation || !f->list)
        invalid("Unknown list relation `" + k + "` for `_count` of model `" + M.m->name + "` at `" + p + "`");
      if (on.is_bool() && !on.as_bool()) continue;
      json::value where;
      if (on.is_object())
        if (auto* a = on.as_object().if_contains("arguments"); a && a->is_object())
          if (auto* w = a->as_object().if_contains("where")) where = *w;
      Link l = link_of(M, *f);
      Model R{l.target, &schema};
      std::string alias_raw = new_alias(), alias = quoted_ident(alias_raw);
      Sql sql{db.sqlite, "", {}};
      std::vector<std::string> key_cols;
      std::string from = " FROM " + table_sql(*l.target) + " AS " + alias;
      if (l.m2m) {
        std::string j = quoted_ident(alias_raw + "j");
        from += " JOIN " + l.join_sql + " AS " + j + " ON " + j + "." + quoted_ident(l.join_other) + " = " + alias + "." +
                quoted_ident(l.remote[0]->db_name);
        key_cols.push_back(j + "." + quoted_ident(l.join_self));
      } else {
        for (const auto* rf : l.remote) key_cols.push_back(alias + "." + quoted_ident(rf->db_name));
      }
      std::string cond = key_condition(sql, key_cols, l.m2m ? l.local : l.remote, rows, l.local, p);
      std::map<std::string, std::int64_t> n_by_key;
      if (!cond.empty()) {
        std::string group;
        for (const auto& c : key_cols) group += (group.empty() ? "" : ", ") + c;
        sql.text = "SELECT " + group + ", COUNT(*)" + from + " WHERE " + cond;
        if (!where.is_null()) sql.text += " AND (" + where_sql(R, where, sql, p + ".where", alias) + ")";
        sql.text += " GROUP BY " + group;
        std::vector<const ir::Field*> read = l.m2m ? l.local : l.remote;
        db.with_cursor(sql, [&](auto& cur, auto) {
          while (cur.step()) {
            std::string rk;
            for (std::size_t i = 0; i < read.size(); ++i) rk += json::serialize(read_field(schema, *read[i], cur, static_cast<int>(i))) + "\x1f";
            std::int64_t n = 0;
            cur.read(static_cast<int>(read.size()), n);
            n_by_key[rk] = n;
          }
          return 0;
        });
      }
      for (auto& row : rows) {
        json::object& ro = row.as_object();
        std::string rk = row_key(ro, l.local);
        auto it = rk.empty() ? n_by_key.end() : n_by_key.find(rk);
        ro["_count"].as_object()[k] = it == n_by_key.end() ? 0 : it->second;
      }
    }
  }

  // queryRaw / executeRaw: the SQL as given (the raw API says so: only its parameters are bound).
  json::value raw(Db& db, const std::string& action, const json::object& query) {
    json::object args;
    if (auto* q = query.if_contains("query"); q && q->is_object())
      if (auto* a = q->as_object().if_contains("arguments"); a && a->is_object()) args = a->as_object();
    if (!args.contains("query") || !args.at("query").is_string()) invalid("`" + action + "` needs `query`, the SQL text");
    Sql sql{db.sqlite, str(args.at("query")), {}};
    json::value params = json::array{};
    if (auto* p = args.if_contains("parameters")) params = p->is_string() ? json::parse(p->as_string()) : *p;
    if (!params.is_array()) invalid("`parameters` is a list (or its JSON text)");
    for (const auto& v : params.as_array()) {
      if (v.is_null()) sql.params.emplace_back(std::monostate{});
      else if (v.is_bool()) sql.params.emplace_back(v.as_bool());
      else if (v.is_int64()) sql.params.emplace_back(v.as_int64());
      else if (v.is_uint64()) too_big_integer(v);
      else if (v.is_double()) sql.params.emplace_back(finite(v.as_double(), "parameters", "queryRaw"));
      else if (v.is_string()) sql.params.emplace_back(str(v));
      else if (v.is_object() && v.as_object().contains("$type")) {
        std::string t = str(v.as_object().at("$type"));
        const json::value& x = v.as_object().at("value");
        if (t == "DateTime") sql.params.emplace_back(prisma::DateTime::parse(str(x)));
        else if (t == "BigInt") sql.params.emplace_back(integer_text(str(x)));
        else if (t == "Decimal") sql.params.emplace_back(prisma::Decimal(str(x)));
        else if (t == "Json") sql.params.emplace_back(prisma::Json(x.is_string() ? str(x) : json::serialize(x)));
        else sql.params.emplace_back(str(x));
      } else {
        sql.params.emplace_back(prisma::Json(json::serialize(v)));
      }
    }
    if (action == "executeRaw") return db.count(sql);
    // typed as Prisma types them (serve/raw_result.hpp)
    return db.with_cursor(sql, [&](auto& cur, auto) { return raw::result(cur, db.sqlite); });
  }

  // A query of this engine's own, on another model.
  json::value sub(Db& db, const std::string& model, const char* action, json::object args, json::value selection) {
    json::object q{{"modelName", model}, {"action", action},
                   {"query", json::object{{"arguments", std::move(args)}, {"selection", std::move(selection)}}}};
    return run(db, q);
  }

  [[noreturn]] static void not_found(const std::string& model, const std::string& what) {
    throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. " + what,
                     json::object{{"modelName", model}, {"cause", what}});
  }
  static json::array items(const json::value& x) { return x.is_array() ? x.as_array() : json::array{x}; }
  static json::object obj(const json::value& x, const std::string& p) {
    if (!x.is_object()) invalid("a nested write takes an object at `" + p + "`");
    return x.as_object();
  }
  static json::value both(json::value a, json::value b) { return json::object{{"AND", json::array{std::move(a), std::move(b)}}}; }

  // The fields of `fs` of a row, as a selection.
  static json::object select_of(const std::vector<const ir::Field*>& fs) {
    json::object s;
    for (const auto* f : fs) s[f->name] = true;
    return s;
  }

  // The target rows of relation `l` that belong to `row`: a where on the target.
  json::value belongs(const Link& l, const json::object& row) {
    if (l.m2m)
      return json::object{{l.back->name, json::object{{"some", json::object{{l.local[0]->name, row.at(l.local[0]->name)}}}}}};
    json::object w;
    for (std::size_t i = 0; i < l.local.size(); ++i) w[l.remote[i]->name] = row.at(l.local[i]->name);
    return w;
  }

  // A row of relation `l`'s target that must exist (a nested connect): its key fields.
  json::object must_find(Db& db, const Link& l, const json::value& where, const std::vector<const ir::Field*>& fs,
                         const std::string& p) {
    if (!where.is_object()) invalid("a nested connect takes a unique criterion at `" + p + "`");
    require_unique(Model{l.target, &schema}, json::object{{"where", where}}, p);
    json::value found = sub(db, l.target->name, "findFirst", json::object{{"where", where}}, select_of(fs));
    if (found.is_null())
      not_found(l.target->name, "No '" + l.target->name + "' record was found for a nested connect on relation '" + l.field->name + "'.");
    return found.as_object();
  }

  // Links `row` and the target row `other` in an implicit many-to-many join table (once).
  void join_insert(Db& db, const Link& l, const json::object& row, const json::object& other, const std::string& p) {
    Sql sql{db.sqlite, "", {}};
    std::string a = sql.param(to_value(schema, *l.local[0], row.at(l.local[0]->name), p));
    std::string b = sql.param(to_value(schema, *l.remote[0], other.at(l.remote[0]->name), p));
    // one form on both backends, as the typed client writes it (SQLite has it since 3.24)
    sql.text = "INSERT INTO " + l.join_sql + " (" + quoted_ident(l.join_self) + ", " + quoted_ident(l.join_other) +
               ") VALUES (" + a + ", " + b + ")" + std::string(prisma::sql::skip_duplicates);
    db.count(sql);
  }
  // Unlinks `row` from the target rows matching `where` (all of them without one).
  void join_delete(Db& db, const Link& l, const json::object& row, const json::value* where, const std::string& p) {
    Sql sql{db.sqlite, "", {}};
    Model T{l.target, &schema};
    sql.text = "DELETE FROM " + l.join_sql + " WHERE " + quoted_ident(l.join_self) + " = " +
               sql.param(to_value(schema, *l.local[0], row.at(l.local[0]->name), p));
    if (where)
      sql.text += " AND " + quoted_ident(l.join_other) + " IN (SELECT " + quoted_ident(l.remote[0]->db_name) + " FROM " +
                  table_sql(*l.target) + " WHERE " + where_sql(T, *where, sql, p) + ")";
    db.count(sql);
  }

  // Points the target row `other` at `row` (a direct relation whose target holds the key), or links
  // them (many-to-many).
  void link_rows(Db& db, const Link& l, const json::object& row, const json::object& other_where, const std::string& p) {
    if (l.m2m) {
      join_insert(db, l, row, must_find(db, l, other_where, l.remote, p), p);
      return;
    }
    must_find(db, l, other_where, l.remote, p);
    json::object data;
    for (std::size_t i = 0; i < l.local.size(); ++i) data[l.remote[i]->name] = row.at(l.local[i]->name);
    sub(db, l.target->name, "updateMany", json::object{{"where", other_where}, {"data", data}}, json::object{});
  }

  // Creates a target row for `row`: its key set to point here, or linked through the join table.
  void create_for(Db& db, const Link& l, const json::object& row, const json::value& data, const std::string& p) {
    json::object d = obj(data, p);
    if (!l.m2m) {
      for (std::size_t i = 0; i < l.local.size(); ++i) d[l.remote[i]->name] = row.at(l.local[i]->name);
      sub(db, l.target->name, "createOne", json::object{{"data", d}}, select_of(l.remote));
      return;
    }
    json::value made = sub(db, l.target->name, "createOne", json::object{{"data", d}}, select_of(l.remote));
    join_insert(db, l, row, made.as_object(), p);
  }

  // The nested writes on a relation whose target rows hold the key (a list, the back side of a 1:1)
  // or on a many-to-many relation, after `row` exists.
  void child_ops(Db& db, const Link& l, const json::object& row, const json::value& ops, bool update, const std::string& path) {
    const std::string& T = l.target->name;
    bool list = l.field->list;
    json::value mine = belongs(l, row);
    for (const auto& [key, arg] : ops.as_object()) {
      std::string op(key), p = path + "." + op;
      static const std::set<std::string> on_create = {"create", "createMany", "connect", "connectOrCreate"};
      if (!update && !on_create.count(op))
        invalid("Unknown nested write `" + op + "` at `" + p + "` (a create takes create, createMany, connect, connectOrCreate)");
      if (op == "create") {
        for (const auto& item : items(arg)) create_for(db, l, row, item, p);
      } else if (op == "createMany") {
        if (!list || l.m2m) invalid("`createMany` is for one-to-many relations at `" + p + "`");
        json::object a = obj(arg, p);
        json::array rows;
        for (const auto& item : items(a.contains("data") ? a.at("data") : json::value(json::array{}))) {
          json::object d = obj(item, p);
          for (std::size_t i = 0; i < l.local.size(); ++i) d[l.remote[i]->name] = row.at(l.local[i]->name);
          rows.push_back(d);
        }
        json::object args{{"data", rows}};
        if (auto* sd = a.if_contains("skipDuplicates")) args["skipDuplicates"] = *sd;
        sub(db, T, "createMany", args, json::object{});
      } else if (op == "connect") {
        for (const auto& w : items(arg)) link_rows(db, l, row, obj(w, p), p);
      } else if (op == "connectOrCreate") {
        for (const auto& item : items(arg)) {
          json::object a = obj(item, p);
          if (!a.contains("where") || !a.contains("create")) invalid("`connectOrCreate` takes where and create at `" + p + "`");
          json::value found = sub(db, T, "findFirst", json::object{{"where", a.at("where")}}, select_of(l.remote));
          if (found.is_null()) create_for(db, l, row, a.at("create"), p);
          else link_rows(db, l, row, obj(a.at("where"), p), p);
        }
      } else if (op == "disconnect" || op == "set") {
        if (op == "set" && !list) invalid("`set` is for list relations at `" + p + "`");
        std::vector<json::value> which;
        if (op == "set" || (!list && arg.is_bool())) {
          if (!list && !arg.as_bool()) continue;
          which.push_back(nullptr);  // all of this row's
        } else {
          for (const auto& w : items(arg)) which.push_back(obj(w, p));
        }
        for (const auto& w : which) {
          if (l.m2m) {
            join_delete(db, l, row, w.is_null() ? nullptr : &w, p);
            continue;
          }
          json::object data;
          for (const auto* rf : l.remote) data[rf->name] = nullptr;
          sub(db, T, "updateMany", json::object{{"where", w.is_null() ? mine : both(w, mine)}, {"data", data}}, json::object{});
        }
        if (op == "set")
          for (const auto& w : items(arg)) link_rows(db, l, row, obj(w, p), p);
      } else if (op == "delete") {
        std::vector<json::value> which;
        if (!list) {
          if (!arg.is_bool() && !arg.is_object()) invalid("`delete` takes true (or a filter) at `" + p + "`");
          if (arg.is_bool() && !arg.as_bool()) continue;
          which.push_back(arg.is_object() ? both(arg, mine) : mine);
        } else {
          for (const auto& w : items(arg)) which.push_back(both(obj(w, p), mine));
        }
        for (const auto& w : which) {
          json::value n = sub(db, T, "deleteMany", json::object{{"where", w}}, json::object{});
          if (n.as_object().at("count").as_int64() == 0)
            not_found(T, "No '" + T + "' record was found for a nested delete on relation '" + l.field->name + "'.");
        }
      } else if (op == "deleteMany") {
        for (const auto& w : items(arg)) sub(db, T, "deleteMany", json::object{{"where", both(obj(w, p), mine)}}, json::object{});
      } else if (op == "update" || op == "updateMany") {
        for (const auto& item : items(arg)) {
          json::object a = obj(item, p);
          json::value where = mine, data;
          if (list || op == "updateMany" || a.contains("where")) {
            if (!a.contains("data")) invalid("`" + op + "` takes where and data at `" + p + "`");
            if (a.contains("where")) where = both(a.at("where"), mine);
            data = a.at("data");
          } else {
            data = a.contains("data") && a.size() == 1 ? a.at("data") : json::value(a);
          }
          json::value n = sub(db, T, "updateMany", json::object{{"where", where}, {"data", data}}, json::object{});
          if (op == "update" && n.as_object().at("count").as_int64() == 0)
            not_found(T, "No '" + T + "' record was found for a nested update on relation '" + l.field->name + "'.");
        }
      } else if (op == "upsert") {
        for (const auto& item : items(arg)) {
          json::object a = obj(item, p);
          if (!a.contains("create") || !a.contains("update")) invalid("`upsert` takes create and update at `" + p + "`");
          json::value where = a.contains("where") ? both(a.at("where"), mine) : mine;
          json::value n = sub(db, T, "updateMany", json::object{{"where", where}, {"data", a.at("update")}}, json::object{});
          if (n.as_object().at("count").as_int64() == 0) create_for(db, l, row, a.at("create"), p);
        }
      } else {
        invalid("Unknown nested write `" + op + "` at `" + p + "`");
      }
    }
  }

  // createOne / updateOne with nested writes, all in one transaction (a savepoint inside another):
  // to-one relations whose key this row holds first (create, connect, connectOrCreate, disconnect set
  // the key), then the row, then the relations whose rows hold the key and many-to-many ones
  // (child_ops), then the row read back with the selection.
  json::value nested_write(Db& db, const Model& M, const json::object& data, const json::value& selection, const std::string& path,
                           const json::value* update_where) {
    return db.atomic([&]() -> json::value {
      json::object scalars;
      std::vector<std::pair<Link, const json::value*>> later;
      std::vector<std::pair<Link, json::object>> owner_later;  // update/upsert/delete of the row this one points at
      for (const auto& [key, v] : data) {
        std::string k(key);
        std::string p = path + ".data." + k;
        const ir::Field* f = M.field(k);
        if (!f || f->kind != ir::FieldKind::Relation) {
          scalars[k] = v;
          continue;
        }
        Link l = link_of(M, *f);
        if (!v.is_object()) invalid("a nested write takes an object at `" + p + "`");
        if (!l.holds_fk) {
          later.emplace_back(l, &v);
          continue;
        }
        auto point_at = [&](const json::object& other) {
          for (std::size_t i = 0; i < l.local.size(); ++i) scalars[l.local[i]->name] = other.at(l.remote[i]->name);
        };
        json::object rest;
        for (const auto& [okey, arg] : v.as_object()) {
          std::string op(okey), q = p + "." + op;
          if (op == "create") {
            point_at(sub(db, l.target->name, "createOne", json::object{{"data", arg}}, select_of(l.remote)).as_object());
          } else if (op == "connect") {
            point_at(must_find(db, l, arg, l.remote, q));
          } else if (op == "connectOrCreate") {
            json::object a = obj(arg, q);
            if (!a.contains("where") || !a.contains("create")) invalid("`connectOrCreate` takes where and create at `" + q + "`");
            json::value found = sub(db, l.target->name, "findFirst", json::object{{"where", a.at("where")}}, select_of(l.remote));
            point_at(found.is_null() ? sub(db, l.target->name, "createOne", json::object{{"data", a.at("create")}}, select_of(l.remote)).as_object()
                                     : found.as_object());
          } else if (update_where && op == "disconnect") {
            if (!f->optional) invalid("the required relation `" + k + "` cannot be disconnected at `" + q + "`");
            if (arg.is_bool() && !arg.as_bool()) continue;
            for (const auto* lf : l.local) scalars[lf->name] = nullptr;
          } else if (update_where && (op == "update" || op == "upsert" || op == "delete")) {
            rest[okey] = arg;
          } else {
            invalid("Unknown nested write `" + op + "` at `" + q + "`");
          }
        }
        if (!rest.empty()) owner_later.emplace_back(l, std::move(rest));
      }
      json::value row;
      std::string name = M.m->name;
      if (update_where) {
        json::value before = sub(db, name, "findFirst", json::object{{"where", *update_where}}, json::object{{"$scalars", true}});
        if (before.is_null()) not_found(name, "Record to update not found.");
        // the row's own key, in case the update changes what `where` matched
        json::object key;
        for (const auto& u : unique_keys(*M.m)) {
          for (const auto* f : u.fields) key[f->name] = before.as_object().at(f->name);
          break;
        }
        for (auto& [l, ops] : owner_later) {
          json::value target_where = json::object{};
          bool has = true;
          for (std::size_t i = 0; i < l.local.size(); ++i) {
            const json::value& kv = before.as_object().at(l.local[i]->name);
            has = has && !kv.is_null();
            target_where.as_object()[l.remote[i]->name] = kv;
          }
          for (const auto& [okey, arg] : ops) {
            std::string op(okey), q = path + ".data." + l.field->name + "." + op;
            if (op == "update") {
              json::object a = obj(arg, q);
              json::value d = a.contains("data") && a.size() <= 2 ? a.at("data") : json::value(a);
              if (!has) not_found(l.target->name, "No '" + l.target->name + "' record was found for a nested update on relation '" + l.field->name + "'.");
              sub(db, l.target->name, "updateMany", json::object{{"where", target_where}, {"data", d}}, json::object{});
            } else if (op == "upsert") {
              json::object a = obj(arg, q);
              if (!a.contains("create") || !a.contains("update")) invalid("`upsert` takes create and update at `" + q + "`");
              if (has) {
                sub(db, l.target->name, "updateMany", json::object{{"where", target_where}, {"data", a.at("update")}}, json::object{});
              } else {
                json::value made = sub(db, l.target->name, "createOne", json::object{{"data", a.at("create")}}, select_of(l.remote));
                for (std::size_t i = 0; i < l.local.size(); ++i) scalars[l.local[i]->name] = made.as_object().at(l.remote[i]->name);
              }
            } else {  // delete: the row this one points at (this row's key cleared first when optional)
              if (arg.is_bool() && !arg.as_bool()) continue;
              if (!has) not_found(l.target->name, "No '" + l.target->name + "' record was found for a nested delete on relation '" + l.field->name + "'.");
              if (l.field->optional) {
                json::object cleared;
                for (const auto* lf : l.local) cleared[lf->name] = nullptr;
                sub(db, name, "updateMany", json::object{{"where", key}, {"data", cleared}}, json::object{});
              }
              sub(db, l.target->name, "deleteMany", json::object{{"where", target_where}}, json::object{});
            }
          }
        }
        if (!scalars.empty()) sub(db, name, "updateMany", json::object{{"where", key}, {"data", scalars}}, json::object{});
        else if (M.m->fields.end() != std::find_if(M.m->fields.begin(), M.m->fields.end(), [](const ir::Field& f) { return f.is_updated_at; }))
          sub(db, name, "updateMany", json::object{{"where", key}, {"data", json::object{}}}, json::object{});
        row = sub(db, name, "findFirst", json::object{{"where", key}}, json::object{{"$scalars", true}});
      } else {
        row = sub(db, name, "createOne", json::object{{"data", scalars}}, json::object{{"$scalars", true}});
      }
      for (const auto& [l, v] : later) child_ops(db, l, row.as_object(), *v, update_where != nullptr, path + ".data." + l.field->name);
      // the row as asked for, relations included
      json::object where;
      for (const auto& u : unique_keys(*M.m)) {
        for (const auto* f : u.fields) where[f->name] = row.as_object().at(f->name);
        break;
      }
      if (where.empty()) return row;
      return sub(db, name, "findFirst", json::object{{"where", where}}, selection);
    });
  }

  // The take/skip of a read: a negative take reads backwards (then the rows are flipped).
  struct Paging {
    std::int64_t take = 0, skip = 0;
    bool has_take = false, reversed = false, sql_paging = true;
  };
  static Paging paging(const json::object& args, const std::string& path, bool many) {
    Paging pg;
    if (auto* t = args.if_contains("take")) {
      if (!t->is_int64()) invalid("`take` takes an Int at `" + path + ".take`");
      pg.take = t->as_int64();
      pg.has_take = true;
    }
    if (auto* k = args.if_contains("skip")) {
      if (!k->is_int64() || k->as_int64() < 0) invalid("`skip` takes an Int >= 0 at `" + path + ".skip`");
      pg.skip = k->as_int64();
    }
    if (!many) {
      pg.take = pg.has_take && pg.take < 0 ? -1 : 1;
      pg.has_take = true;
    }
    pg.reversed = pg.has_take && pg.take < 0;
    return pg;
  }

  // The distinct key of a row (nulls included, as values).
  static std::string row_key_nulls(const json::object& row, const std::vector<const ir::Field*>& fields) {
    std::string k;
    for (const auto* f : fields) k += json::serialize(row.at(f->name)) + "\x1f";
    return k;
  }

  // A where that names a unique criterion (findUnique, cursor, updateOne, deleteOne, upsertOne):
  // every field of the id or of a unique, or a compound unique by its name.
  void require_unique(const Model& M, const json::object& args, const std::string& path, const char* arg = "where") {
    const json::value* w = args.if_contains(arg);
    if (!w || !w->is_object()) invalid(std::string("Argument `") + arg + "` is missing at `" + path + "`");
    std::string names;
    for (const auto& u : unique_keys(*M.m)) {
      bool ok = !u.name.empty() && w->as_object().contains(u.name);
      if (!ok) {
        ok = true;
        for (const auto* f : u.fields) ok = ok && w->as_object().contains(f->name);
      }
      if (ok) return;
      names += (names.empty() ? "" : ", ") + (u.name.empty() ? u.fields[0]->name : u.name);
    }
    invalid("Argument `" + std::string(arg) + "` of type " + M.m->name + "WhereUniqueInput needs at least one of " + names +
            " at `" + path + "." + arg + "`");
  }

  // SELECT <list> FROM <table> WHERE <where> [AND <cursor>] [ORDER BY ...] [LIMIT ?] [OFFSET ?], the
  // typed client's Select: a cursor orders by the order's fields then the id's, and starts at its row.
  std::string select_sql(Sql& sql, const Model& M, const json::object& args, const std::string& list, const std::string& path,
                         const Paging& pg) {
    std::string table = table_sql(*M.m);
    std::vector<OrderTerm> terms;
    if (auto* o = args.if_contains("orderBy")) terms = order_terms(M, *o, path + ".orderBy", table);
    std::string text = "SELECT " + list + " FROM " + table;
    std::string where;
    if (auto* w = args.if_contains("where")) where = where_sql(M, *w, sql, path + ".where");
    const json::value* cursor = args.if_contains("cursor");
    if (cursor) {
      require_unique(M, args, path, "cursor");
      for (const auto& t : terms)
        if (!t.field) invalid("a `cursor` pages in an order of the model's own fields at `" + path + ".orderBy`");
      if (M.m->primary_key)
        for (const auto& pk : M.m->primary_key->fields) {
          const ir::Field* f = &M.m->fields[pk.field];
          bool present = false;
          for (const auto& t : terms) present = present || t.field == f;
          if (!present) terms.push_back({table + "." + quoted_ident(f->db_name), false, 0, f});
        }
      for (auto& t : terms) t.nulls = 0;
      std::string cond;
      for (std::size_t j = 0; j < terms.size(); ++j) {
        auto sub = [&](const ir::Field* f) {
          std::string alias = quoted_ident(new_alias());
          return "(SELECT " + alias + "." + quoted_ident(f->db_name) + " FROM " + table + " AS " + alias + " WHERE " +
                 where_sql(M, *cursor, sql, path + ".cursor", alias) + ")";
        };
        std::string one;
        for (std::size_t i = 0; i < j; ++i) one += terms[i].expr + " = " + sub(terms[i].field) + " AND ";
        bool desc = terms[j].desc != pg.reversed;
        bool last = j + 1 == terms.size();
        one += terms[j].expr + (desc ? (last ? " <= " : " < ") : (last ? " >= " : " > ")) + sub(terms[j].field);
        cond += (cond.empty() ? "(" : " OR (") + one + ")";
      }
      where = where.empty() ? "(" + cond + ")" : where + " AND (" + cond + ")";
    }
    if (!where.empty()) text += " WHERE " + where;
    if (terms.empty() && pg.reversed && M.m->primary_key)
      for (const auto& pk : M.m->primary_key->fields)
        terms.push_back({table + "." + quoted_ident(M.m->fields[pk.field].db_name), false, 0, &M.m->fields[pk.field]});
    if (!terms.empty()) text += " ORDER BY " + order_list(terms, pg.reversed && pg.sql_paging, sql.sqlite);
    if (pg.sql_paging)
      sql.limit_offset(text, pg.has_take ? std::optional<std::int64_t>(pg.take < 0 ? -pg.take : pg.take) : std::nullopt,
                       pg.skip > 0 ? std::optional<std::int64_t>(pg.skip) : std::nullopt);
    return text;
  }

  // groupBy's having: AND/OR/NOT, a by-field's own filter, or an aggregate of a field
  // (`{"views": {"_sum": {"gt": 5}}}`).
  std::string having_sql(const Model& M, const json::value& h, Sql& sql, const std::string& path) {
    if (!h.is_object()) invalid("`having` takes an object at `" + path + "`");
    std::string table = table_sql(*M.m);
    std::vector<std::string> parts;
    for (const auto& [key, v] : h.as_object()) {
      std::string k(key), p = path + "." + k;
      if (k == "AND" || k == "OR" || k == "NOT") {
        std::vector<std::string> subs;
        if (v.is_array())
          for (const auto& item : v.as_array()) subs.push_back("(" + having_sql(M, item, sql, p) + ")");
        else
          subs.push_back("(" + having_sql(M, v, sql, p) + ")");
        std::string joined;
        for (const auto& x : subs) joined += (joined.empty() ? "" : k == "OR" ? " OR " : " AND ") + x;
        if (subs.empty()) parts.push_back(k == "OR" ? "1 = 0" : "1 = 1");
        else parts.push_back(k == "NOT" ? "NOT (" + joined + ")" : "(" + joined + ")");
        continue;
      }
      const ir::Field& f = M.scalar(k, p);
      if (!v.is_object() || v.as_object().contains("$type")) {
        parts.push_back(field_filter(M, f, v, sql, p, table));
        continue;
      }
      json::object plain;
      for (const auto& [op, filter] : v.as_object()) {
        std::string o(op);
        if (o != "_count" && o != "_sum" && o != "_avg" && o != "_min" && o != "_max") {
          plain[op] = filter;
          continue;
        }
        Agg a{o, &f};
        static const ir::Field count_field = [] {
          ir::Field c;
          c.name = "_count";
          c.kind = ir::FieldKind::Scalar;
          c.scalar = ir::ScalarType::Int;
          return c;
        }();
        static const ir::Field avg_field = [] {
          ir::Field c;
          c.name = "_avg";
          c.kind = ir::FieldKind::Scalar;
          c.scalar = ir::ScalarType::Float;
          c.optional = true;
          return c;
        }();
        const ir::Field* type = &f;
        if (o == "_count") type = &count_field;
        else if (o == "_avg" && f.scalar != ir::ScalarType::Decimal) type = &avg_field;
        if ((o == "_sum" || o == "_avg") &&
            !(f.kind == ir::FieldKind::Scalar && (f.scalar == ir::ScalarType::Int || f.scalar == ir::ScalarType::BigInt ||
                                                  f.scalar == ir::ScalarType::Float || f.scalar == ir::ScalarType::Decimal)))
          invalid("`" + o + "` takes a numeric field, not `" + k + "` at `" + p + "`");
        parts.push_back(field_filter(M, *type, filter, sql, p + "." + o, table, aggregate_sql(a)));
      }
      if (!plain.empty()) parts.push_back(field_filter(M, f, plain, sql, p, table));
    }
    std::string out;
    for (const auto& x : parts) out += (out.empty() ? "" : " AND ") + x;
    return out.empty() ? "1 = 1" : out;
  }

  // groupBy's orderBy: by-fields, or aggregates (`{"_count": {"authorId": "desc"}}`).
  std::string group_order(const Model& M, const json::value& o, const std::string& path, const std::vector<const ir::Field*>& by,
                          bool sqlite) {
    std::vector<OrderTerm> terms;
    auto one = [&](const json::object& obj) {
      for (const auto& [key, dir] : obj) {
        std::string k(key), p = path + "." + k;
        if (k == "_count" || k == "_sum" || k == "_avg" || k == "_min" || k == "_max") {
          if (!dir.is_object()) invalid("`" + k + "` orders by fields at `" + p + "`");
          for (const auto& [fk, fd] : dir.as_object()) {
            std::string fn(fk);
            Agg a{k, fn == "_all" && k == "_count" ? nullptr : &M.scalar(fn, p + "." + fn)};
            OrderTerm term;
            term.expr = aggregate_sql(a);
            std::string d = fd.is_string() ? str(fd) : fd.is_object() && fd.as_object().contains("sort") ? str(fd.as_object().at("sort")) : "";
            if (d != "asc" && d != "desc") invalid("`orderBy` takes \"asc\" or \"desc\" at `" + p + "." + fn + "`");
            term.desc = d == "desc";
            terms.push_back(term);
          }
          continue;
        }
        auto t = order_terms(M, json::object{{k, dir}}, path, table_sql(*M.m));
        for (auto& x : t) {
          if (!x.field || std::find(by.begin(), by.end(), x.field) == by.end())
            invalid("Every field used for orderBy must be included in the by-arguments of the query: `" + k + "` at `" + p + "`");
          terms.push_back(std::move(x));
        }
      }
    };
    if (o.is_object()) one(o.as_object());
    else if (o.is_array())
      for (const auto& item : o.as_array()) {
        if (!item.is_object()) invalid("`orderBy` takes objects at `" + path + "`");
        one(item.as_object());
      }
    else invalid("`orderBy` takes an object or a list at `" + path + "`");
    return order_list(terms, false, sqlite);
  }

  json::value run(Db& db, const json::object& query) {
    if (auto* a = query.if_contains("action"); a && a->is_string() && (a->as_string() == "queryRaw" || a->as_string() == "executeRaw"))
      return raw(db, str(*a), query);
    if (!query.contains("modelName") || !query.contains("action"))
      invalid("a query needs `modelName` and `action`");
    std::string model_name = str(query.at("modelName"));
    std::string action = str(query.at("action"));
    const ir::Model* m = model(model_name);
    if (!m) invalid("Unknown model `" + model_name + "`");
    Model M{m, &schema};
    json::object q = query.contains("query") && query.at("query").is_object() ? query.at("query").as_object() : json::object{};
    json::object args = q.contains("arguments") && q.at("arguments").is_object() ? q.at("arguments").as_object() : json::object{};
    json::value selection = q.contains("selection") ? q.at("selection") : json::value(json::object{{"$scalars", true}});
    std::string path = "Query." + action + model_name;
    std::string table = table_sql(*m);
    for (const auto& [key, v] : args) {
      static const std::set<std::string> known = {"where", "orderBy", "take", "skip", "data", "cursor", "distinct",
                                                  "create", "update", "skipDuplicates", "by", "having", "omit",
                                                  "\x1fskipDuplicates"};
      if (!known.count(std::string(key))) invalid("Unknown argument `" + std::string(key) + "` at `" + path + "`");
    }
    Sql sql{db.sqlite, "", {}};
    auto where_of = [&] { return args.contains("where") ? where_sql(M, args.at("where"), sql, path + ".where") : std::string("1 = 1"); };
    std::set<std::string> hidden;
    auto fields = [&] { return selected(M, selection, path + ".selection", &hidden, args.if_contains("omit")); };
    // relations of the selection, loaded into the rows (or the one row)
    auto finish = [&](json::array rows) {
      attach(db, M, rows, selection, hidden, path + ".selection");
      return rows;
    };
    auto finish_one = [&](json::value row) -> json::value {
      if (row.is_null()) return row;
      return finish(json::array{row}).at(0);
    };

    if (action == "findMany" || action == "findFirst" || action == "findFirstOrThrow" || action == "findUnique" ||
        action == "findUniqueOrThrow") {
      bool many = action == "findMany";
      if (action.rfind("findUnique", 0) == 0) {
        for (const char* k : {"orderBy", "take", "skip", "cursor", "distinct"})
          if (args.contains(k)) invalid(std::string("Unknown argument `") + k + "` at `" + path + "` (findUnique takes where)");
        require_unique(M, args, path);
      }
      std::vector<const ir::Field*> distinct;
      if (auto* d = args.if_contains("distinct")) {
        json::array names = d->is_array() ? d->as_array() : json::array{*d};
        for (const auto& n : names) {
          if (!n.is_string()) invalid("`distinct` takes field names at `" + path + ".distinct`");
          distinct.push_back(&M.scalar(str(n), path + ".distinct"));
        }
      }
      auto fs = fields();
      for (const auto* f : distinct)
        if (std::find(fs.begin(), fs.end(), f) == fs.end()) {
          fs.push_back(f);
          hidden.insert(f->name);
        }
      Paging pg = paging(args, path, many);
      if (!distinct.empty()) pg.sql_paging = false;
      sql.text = select_sql(sql, M, args, columns(fs), path, pg);
      auto rows = db.rows(schema, sql, fs);
      if (pg.reversed) std::reverse(rows.begin(), rows.end());
      if (!distinct.empty()) {
        json::array firsts;
        std::set<std::string> seen;
        for (auto& r : rows)
          if (seen.insert(row_key_nulls(r.as_object(), distinct)).second) firsts.push_back(std::move(r));
        rows = page(std::move(firsts), pg.skip, pg.take, pg.has_take);
      }
      rows = finish(std::move(rows));
      if (many) return rows;
      if (rows.empty()) {
        if (action.find("OrThrow") != std::string::npos)
          throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. No record was found for a query.",
                           json::object{{"modelName", model_name}});
        return nullptr;
      }
      return rows[0];
    }
    if (action == "aggregate" || action == "groupBy") {
      if (!selection.is_object()) invalid("`" + action + "` needs a selection at `" + path + "`");
      bool group = action == "groupBy";
      std::vector<const ir::Field*> by;
      auto aggs = aggregates_of(M, selection.as_object(), path + ".selection", group ? &by : nullptr);
      if (group) {
        if (!args.contains("by") || !args.at("by").is_array()) invalid("groupBy needs `by`, a list of fields, at `" + path + "`");
        for (const auto& b : args.at("by").as_array()) {
          if (!b.is_string()) invalid("`by` takes field names at `" + path + ".by`");
          const ir::Field& f = M.scalar(str(b), path + ".by");
          if (std::find(by.begin(), by.end(), &f) == by.end()) by.push_back(&f);
        }
        if (by.empty()) invalid("groupBy needs at least one field in `by` at `" + path + "`");
      } else {
        for (const char* k : {"by", "having"})
          if (args.contains(k)) invalid(std::string("Unknown argument `") + k + "` at `" + path + "` (aggregate)");
      }
      std::string cols;
      for (const auto* f : by) cols += (cols.empty() ? "" : ", ") + quoted_ident(f->db_name);
      for (const auto& a : aggs) cols += (cols.empty() ? "" : ", ") + aggregate_sql(a);
      if (cols.empty()) invalid("the selection at `" + path + "` asks for nothing");
      if (group) {
        sql.text = "SELECT " + cols + " FROM " + table + " WHERE " + where_of();
        std::string g;
        for (const auto* f : by) g += (g.empty() ? "" : ", ") + quoted_ident(f->db_name);
        sql.text += " GROUP BY " + g;
        if (auto* h = args.if_contains("having")) sql.text += " HAVING " + having_sql(M, *h, sql, path + ".having");
        if (args.contains("orderBy"))
          if (auto o = group_order(M, args.at("orderBy"), path + ".orderBy", by, db.sqlite); !o.empty()) sql.text += " ORDER BY " + o;
        Paging pg = paging(args, path, true);
        if (args.contains("cursor")) invalid("`cursor` is not an argument of groupBy at `" + path + "`");
        if (pg.has_take && pg.take < 0) invalid("groupBy takes a `take` >= 0 at `" + path + "`");
        sql.limit_offset(sql.text, pg.has_take ? std::optional<std::int64_t>(pg.take) : std::nullopt,
                         pg.skip > 0 ? std::optional<std::int64_t>(pg.skip) : std::nullopt);
      } else if (args.contains("take") || args.contains("skip") || args.contains("cursor") || args.contains("orderBy")) {
        // over the page of rows the arguments describe, as Prisma's aggregate
        Paging pg = paging(args, path, true);
        sql.text = "SELECT " + cols + " FROM (" + select_sql(sql, M, args, "*", path, pg) + ") AS " + quoted_ident("sub");
      } else {
        sql.text = "SELECT " + cols + " FROM " + table + " WHERE " + where_of();
      }
      json::array out = db.with_cursor(sql, [&](auto& cur, auto) {
        json::array rows;
        while (cur.step()) {
          json::object row;
          int col = 0;
          for (const auto* f : by) row[f->name] = read_field(schema, *f, cur, col++);
          for (const auto& a : aggs) read_aggregate(schema, a, cur, col++, row);
          rows.push_back(std::move(row));
        }
        return rows;
      });
      if (group) return out;
      return out.empty() ? json::value(json::object{}) : out[0];
    }
    if (action == "updateOne" || action == "deleteOne" || action == "upsertOne") require_unique(M, args, path);
    if ((action == "createOne" || action == "updateOne") && args.contains("data") && args.at("data").is_object()) {
      bool nested = false;
      for (const auto& [key, v] : args.at("data").as_object()) {
        const ir::Field* f = M.field(std::string(key));
        nested = nested || (f && f->kind == ir::FieldKind::Relation);
      }
      if (nested)
        return nested_write(db, M, args.at("data").as_object(), selection, path, action == "updateOne" ? &args.at("where") : nullptr);
    }
    if (action == "createOne" || action == "updateOne" || action == "updateMany") {
      if (!args.contains("data") || !args.at("data").is_object()) invalid("`data` is required at `" + path + "`");
      const auto& data = args.at("data").as_object();
      std::vector<std::pair<const ir::Field*, std::string>> sets;  // field, SQL value expression
      std::set<std::string> given;
      bool create = action == "createOne";
      for (const auto& [key, v] : data) {
        std::string k(key);
        std::string p = path + ".data." + k;
        const ir::Field& f = M.scalar(k, p, true);
        given.insert(f.name);
        if (f.list && v.is_object()) {  // {set: [...]} (create and update), {push: x | [...]} (update)
          const auto& op = v.as_object();
          if (op.size() != 1) invalid("one operation per list field at `" + p + "`");
          std::string name(op.begin()->key());
          const json::value& arg = op.begin()->value();
          if (name == "set") sets.emplace_back(&f, sql.param(to_value(schema, f, arg, p + ".set")));
          else if (name == "push" && !create) {
            json::value items = arg.is_array() ? arg : json::value(json::array{arg});
            std::string col = quoted_ident(f.db_name);
            sets.emplace_back(&f, col + " || " + sql.param(to_value(schema, f, items, p + ".push")));
          } else invalid("Unknown list operation `" + name + "` at `" + p + "` (set" + (create ? ")" : ", push)"));
          continue;
        }
        if (!create && v.is_object() && !v.as_object().contains("$type")) {
          const auto& op = v.as_object();
          if (op.size() != 1) invalid("one update operation per field at `" + p + "`");
          std::string name(op.begin()->key());
          const json::value& arg = op.begin()->value();
          std::string col = quoted_ident(f.db_name);
          if (name == "set") sets.emplace_back(&f, sql.param(to_value(schema, f, arg, p)));
          else if (name == "increment") sets.emplace_back(&f, col + " + " + sql.param(to_value(schema, f, arg, p)));
          else if (name == "decrement") sets.emplace_back(&f, col + " - " + sql.param(to_value(schema, f, arg, p)));
          else if (name == "multiply") sets.emplace_back(&f, col + " * " + sql.param(to_value(schema, f, arg, p)));
          else if (name == "divide") sets.emplace_back(&f, col + " / " + sql.param(to_value(schema, f, arg, p)));
          else invalid("Unknown update operation `" + name + "` at `" + p + "`");
          continue;
        }
        sets.emplace_back(&f, sql.param(to_value(schema, f, v, p)));
      }
      for (const auto& f : m->fields) {
        if (f.kind == ir::FieldKind::Relation || given.count(f.name)) continue;
        // a required field without a default, left out: refused before the database sees it, as
        // Prisma's engine refuses it (P2012; Prisma Client Python's MissingRequiredValueError)
        if (create && !f.optional && !f.list && !f.default_value && !f.is_updated_at && !f.is_ignored &&
            f.kind != ir::FieldKind::Unsupported)
          throw QueryError("P2012", "Missing a required value at `" + path + ".data." + f.name +
                                        "`: A value is required but not set",
                           json::object{{"path", path + ".data." + f.name}});
        if (create) {
          if (auto d = client_default(f)) sets.emplace_back(&f, sql.param(*d));
        } else if (f.is_updated_at) {
          sets.emplace_back(&f, sql.param(prisma::DateTime::now()));
        }
      }
      if (create) {
        auto fs = fields();
        if (sets.empty()) {
          sql.text = "INSERT INTO " + table + " DEFAULT VALUES" + returning_sql(columns(fs));
        } else {
          std::string cols, vals;
          for (const auto& [f, expr] : sets) {
            cols += (cols.empty() ? "" : ", ") + quoted_ident(f->db_name);
            vals += (vals.empty() ? "" : ", ") + expr;
          }
          // createMany's skipDuplicates: a row that conflicts with a unique is left out (as the typed client)
          std::string skip_dup(args.contains("\x1fskipDuplicates") ? prisma::sql::skip_duplicates : "");
          sql.text = "INSERT INTO " + table + " (" + cols + ") VALUES (" + vals + ")" + skip_dup + returning_sql(columns(fs));
        }
        auto made = db.rows(schema, sql, fs);
        if (made.empty()) return nullptr;  // skipped
        return finish_one(made.at(0));
      }
      if (sets.empty()) invalid("`data` sets no field at `" + path + "`");
      std::string assigns;
      for (const auto& [f, expr] : sets) assigns += (assigns.empty() ? "" : ", ") + quoted_ident(f->db_name) + " = " + expr;
      std::string head = "UPDATE " + table + " SET " + assigns + " WHERE ";
      if (action == "updateMany") {
        sql.text = head + where_of();
        return json::object{{"count", db.count(sql)}};
      }
      auto fs = fields();
      sql.text = head + where_of() + returning_sql(columns(fs));
      auto rows = db.rows(schema, sql, fs);
      if (rows.empty())
        throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. Record to update not found.",
                         json::object{{"modelName", model_name}, {"cause", "Record to update not found."}});
      return finish_one(rows[0]);
    }
    if (action == "upsertOne") {
      // in one transaction (a savepoint inside another): update the row the unique `where` names,
      // else create it
      for (const char* k : {"where", "create", "update"})
        if (!args.contains(k)) invalid(std::string("`") + k + "` is required at `" + path + "`");
      auto sub = [&](const char* sub_action, json::object sub_args) {
        json::object q2{{"modelName", model_name}, {"action", sub_action},
                        {"query", json::object{{"arguments", std::move(sub_args)}, {"selection", selection}}}};
        return run(db, q2);
      };
      auto body = [&]() -> json::value {
        json::value found = sub("findFirst", json::object{{"where", args.at("where")}});
        if (!found.is_null()) return sub("updateOne", json::object{{"where", args.at("where")}, {"data", args.at("update")}});
        return sub("createOne", json::object{{"data", args.at("create")}});
      };
      return db.atomic(body);
    }
    if (action == "createMany" || action == "createManyAndReturn") {
      if (!args.contains("data")) invalid("`data` is required at `" + path + "`");
      json::array rows;
      if (args.at("data").is_array()) rows = args.at("data").as_array();
      else rows.push_back(args.at("data"));
      bool skip = false;
      if (auto* sd = args.if_contains("skipDuplicates"); sd && sd->is_bool()) skip = sd->as_bool();
      auto body = [&]() -> json::value {
        json::array made;
        std::int64_t n = 0;
        for (const auto& row : rows) {
          json::object a{{"data", row}};
          if (skip) a["\x1fskipDuplicates"] = true;
          json::object q2{{"modelName", model_name}, {"action", "createOne"},
                          {"query", json::object{{"arguments", a}, {"selection", selection}}}};
          json::value one = run(db, q2);
          if (one.is_null()) continue;
          made.push_back(std::move(one));
          ++n;
        }
        if (action == "createMany") return json::object{{"count", n}};
        return made;
      };
      return db.atomic(body);
    }
    if (action == "deleteOne") {
      auto fs = fields();
      sql.text = "DELETE FROM " + table + " WHERE " + where_of() + returning_sql(columns(fs));
      auto rows = db.rows(schema, sql, fs);
      if (rows.empty())
        throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. Record to delete does not exist.",
                         json::object{{"modelName", model_name}, {"cause", "Record to delete does not exist."}});
      return finish_one(rows[0]);
    }
    if (action == "deleteMany") {
      sql.text = "DELETE FROM " + table + " WHERE " + where_of();
      return json::object{{"count", db.count(sql)}};
    }
    invalid("the action `" + action + "` is not served by prisma-cpp's engine yet");
  }

  static json::value error_response(const std::string& code, const std::string& message, const json::object& meta) {
    json::object ufe{{"is_panic", false}, {"message", message}, {"meta", meta}, {"error_code", code}};
    return json::object{{"errors", json::array{json::object{{"error", message}, {"user_facing_error", ufe}}}}};
  }

  json::value one(Db& db, const json::object& query) {
    std::string action = query.contains("action") && query.at("action").is_string() ? str(query.at("action")) : "";
    allow(action);
    std::string key = action + (query.contains("modelName") && query.at("modelName").is_string() ? str(query.at("modelName")) : "");
    return json::object{{"data", json::object{{key, run(db, query)}}}};
  }

  // The engine's options, on every query (a batch's items too): codes the Studio answers with 403.
  void allow(const std::string& action) const {
    if (!options.raw && (action == "queryRaw" || action == "executeRaw"))
      throw QueryError(kRawRefused, "Raw queries are not run here (`" + action + "`)");
    static const std::set<std::string> reads = {"findMany", "findFirst", "findFirstOrThrow", "findUnique",
                                                "findUniqueOrThrow", "aggregate", "groupBy"};
    if (options.read_only && !reads.count(action))
      throw QueryError(kReadOnly, "This Studio is read-only (--read-only): `" + action + "` was refused by the server.");
  }

};

Engine::Engine(ir::Schema schema, const std::string& url, const std::string& base_dir, std::size_t connections,
               prisma::ClientOptions observe, EngineOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->schema = std::move(schema);
  impl_->options = options;
  observe.metrics = true;
  impl_->instr = std::make_unique<prisma::detail::Instrumentation>(std::move(observe));
  prisma::driver::PoolOptions pool;
  pool.size = connections;
  auto dialect = prisma::sql::dialect_of_url(url);
  if (dialect == prisma::sql::Dialect::Sqlite) {
    impl_->sqlite = true;
    auto parsed = prisma::detail::sqlite_url_options(url);
    if (connections) parsed.pool.size = connections;
    impl_->lpool = std::make_unique<prisma::driver::sqlite::Pool>(prisma::detail::sqlite_path(url, base_dir),
                                                                  parsed.connection, parsed.pool);
    impl_->lpool->set_hook(impl_->instr.get());
    impl_->lpool->acquire();  // fail now rather than at the first query
  } else if (dialect == prisma::sql::Dialect::Postgresql) {
    impl_->sqlite = false;
    auto parsed = prisma::detail::parse_postgres_url(url);
    if (connections) parsed.pool.size = connections;
    impl_->ppool = std::make_unique<prisma::driver::postgres::Pool>(parsed.conninfo, parsed.pool, std::vector<std::string>{}, parsed.pgbouncer);
    impl_->ppool->set_hook(impl_->instr.get());
    impl_->ppool->acquire();
  } else {
    throw prisma::ConnectionError("P1013", "The database URL is neither file: nor postgresql://");
  }
}

Engine::~Engine() = default;

bool Engine::reachable() {
  try {
    impl_->with_db([](Db& db) {
      db.exec("SELECT 1");
      return 0;
    });
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

namespace {
json::value closed_error(const std::string& id) {
  return json::object{{"errors", json::array{json::object{
      {"error", "Transaction not found"},
      {"user_facing_error",
       json::object{{"is_panic", false},
                    {"message", "Transaction API error: Transaction not found. Transaction ID is invalid, refers to an "
                                "old closed transaction Prisma doesn't have information about anymore, or was "
                                "obtained before disconnecting: " + id},
                    {"meta", json::object{}},
                    {"error_code", "P2028"}}}}}}};
}
}  // namespace

json::value Engine::start_transaction(const json::object& options) {
  // {"timeout": ms, "maxWait": ms} as Prisma's client sends them (and "max_wait")
  auto millis = [&](std::initializer_list<const char*> names, long long fallback, std::chrono::milliseconds max,
                    const char* flag) -> long long {
    for (const char* name : names) {
      const json::value* v = options.if_contains(name);
      if (!v || v->is_null()) continue;
      auto fail = [&](const std::string& why) { throw QueryError("P2028", std::string("Transaction API error: `") + name + "` " + why); };
      if (!v->is_number()) fail("is a number of milliseconds");
      double ms = v->to_number<double>();  // 1e12 and 2^64 alike: compared, never converted first
      if (!(ms > 0)) fail("must be positive");
      if (ms > static_cast<double>(max.count()))
        fail("of " + json::serialize(*v) + " ms is over this server's maximum of " + std::to_string(max.count()) + " ms (" + flag + ")");
      return static_cast<long long>(ms);
    }
    return fallback;
  };
  auto tx = std::make_shared<Impl::Tx>();
  try {
    auto timeout = std::chrono::milliseconds(millis({"timeout"}, 5000, impl_->options.max_transaction_timeout, "--max-transaction-timeout"));
    auto max_wait = std::chrono::milliseconds(millis({"maxWait", "max_wait"}, 2000, impl_->options.max_transaction_wait, "--max-transaction-wait"));
    sweep();
    tx->timeout = timeout;
    std::string begin = begin_statement(impl_->sqlite, options);
    if (impl_->sqlite) {
      tx->llease.emplace(impl_->lpool->acquire(max_wait));
      tx->latomic = std::make_unique<prisma::driver::sqlite::Atomic>(**tx->llease, begin);
    } else {
      tx->please.emplace(impl_->ppool->acquire(max_wait));
      tx->patomic = std::make_unique<prisma::driver::postgres::Atomic>(**tx->please, begin);
    }
    // the timeout runs from when the transaction has begun (Prisma: maxWait, then timeout)
    tx->started = std::chrono::steady_clock::now();
    tx->deadline = tx->started + timeout;
  } catch (const QueryError& e) {
    return Impl::error_response(e.code, e.what(), e.meta);
  } catch (const prisma::Error& e) {
    return Impl::error_response(e.code(), e.what(), {});
  }
  tx->id = random_uuid();  // no client can guess another's
  std::lock_guard lock(impl_->txs_mu);
  impl_->txs[tx->id] = tx;
  return json::object{{"id", tx->id}};
}

json::value Engine::end_transaction(const std::string& id, bool commit) {
  std::shared_ptr<Impl::Tx> tx;
  {
    std::lock_guard lock(impl_->txs_mu);
    auto it = impl_->txs.find(id);
    if (it == impl_->txs.end()) {
      if (auto e = impl_->expired_tx(id)) return Impl::expired_error(commit ? "A commit" : "A rollback", *e);
      return closed_error(id);
    }
    tx = it->second;
    impl_->txs.erase(it);
  }
  std::lock_guard lock(tx->m);
  if (!tx->latomic && !tx->patomic) return closed_error(id);
  if (std::chrono::steady_clock::now() > tx->deadline) {
    tx->end(false);
    return Impl::expired_error(commit ? "A commit" : "A rollback", {tx->started, tx->deadline, tx->timeout});
  }
  try {
    tx->end(commit);
  } catch (const prisma::Error& e) {
    return Impl::error_response(e.code().empty() ? "P2034" : e.code(), e.what(), {});
  }
  return json::object{};
}

std::string Engine::metrics_prometheus() {
  auto stats = impl_->sqlite ? impl_->lpool->stats() : impl_->ppool->stats();
  return impl_->instr->snapshot(stats).prometheus();
}

json::value Engine::metrics_json(const json::object& labels) {
  auto stats = impl_->sqlite ? impl_->lpool->stats() : impl_->ppool->stats();
  json::value out = json::parse(impl_->instr->snapshot(stats).json());
  for (const char* kind : {"counters", "gauges", "histograms"})
    for (auto& m : out.as_object()[kind].as_array()) m.as_object()["labels"] = labels;
  return out;
}

const ir::Schema& Engine::schema() const { return impl_->schema; }

void Engine::sweep() {
  // Lock order: txs_mu is never held while waiting for a transaction's mutex. A transaction busy
  // with a query is not waited for (the query path ends it, or the next sweep does).
  std::vector<std::shared_ptr<Impl::Tx>> expired;
  {
    std::lock_guard lock(impl_->txs_mu);
    auto now = std::chrono::steady_clock::now();
    for (const auto& [id, tx] : impl_->txs)
      if (now > tx->deadline) expired.push_back(tx);
  }
  for (auto& tx : expired) {
    std::unique_lock lock(tx->m, std::try_to_lock);
    if (!lock.owns_lock()) continue;
    impl_->expire(tx);
  }
}

json::value Engine::execute(const json::value& request, const std::string& tx_id) {
  // a batch's failing query is named in the error's meta (`batch_request_idx`, as Prisma's engine)
  std::optional<std::size_t> failed_at;
  json::value out = execute_one(request, tx_id, failed_at);
  if (failed_at && out.is_object())
    if (auto* errors = out.as_object().if_contains("errors"); errors && errors->is_array() && !errors->as_array().empty())
      if (auto* ufe = errors->as_array()[0].as_object().if_contains("user_facing_error"); ufe && ufe->is_object()) {
        json::value& meta = ufe->as_object()["meta"];
        if (!meta.is_object()) meta = json::object{};
        meta.as_object()["batch_request_idx"] = *failed_at;
      }
  return out;
}

json::value Engine::execute_one(const json::value& request, const std::string& tx_id, std::optional<std::size_t>& failed_at) {
  try {
    if (!request.is_object()) invalid("a request is a JSON object");
    const auto& r = request.as_object();
    auto run_batch = [&](Db& db, bool own_tx) -> json::value {
      if (!r.at("batch").is_array()) invalid("`batch` is a list of queries");
      auto body = [&]() {
        json::array results;
        std::size_t i = 0;
        for (const auto& q : r.at("batch").as_array()) {
          failed_at = i++;
          if (!q.is_object()) invalid("each query of a batch is an object");
          results.push_back(impl_->one(db, q.as_object()));
        }
        failed_at.reset();
        return json::value(json::object{{"batchResult", results}});
      };
      if (!own_tx) return body();
      return db.atomic(body, begin_statement(db.sqlite, r.at("transaction")));
    };
    if (!tx_id.empty()) {
      std::shared_ptr<Impl::Tx> tx;
      {
        std::lock_guard lock(impl_->txs_mu);
        auto it = impl_->txs.find(tx_id);
        if (it == impl_->txs.end()) {
          if (auto e = impl_->expired_tx(tx_id)) return Impl::expired_error("A query", *e);
          return closed_error(tx_id);
        }
        tx = it->second;
      }
      std::lock_guard lock(tx->m);
      if (!tx->latomic && !tx->patomic) return closed_error(tx_id);
      if (std::chrono::steady_clock::now() > tx->deadline) {
        impl_->expire(tx);  // rolled back here and now, under the lock this request holds
        return Impl::expired_error("A query", {tx->started, tx->deadline, tx->timeout});
      }
      Db db = tx->db();
      if (r.contains("batch")) return run_batch(db, false);
      return impl_->one(db, r);
    }
    return impl_->with_db([&](Db& db) -> json::value {
      if (r.contains("batch")) return run_batch(db, r.contains("transaction"));
      return impl_->one(db, r);
    });
  } catch (const QueryError& e) {
    return Impl::error_response(e.code, e.what(), e.meta);
  } catch (const prisma::UniqueConstraintViolation& e) {
    json::array target;
    for (const auto& f : e.fields()) target.push_back(json::value(f));
    return Impl::error_response("P2002", std::string("Unique constraint failed on the fields: ") + e.what(),
                                json::object{{"target", target}});
  } catch (const prisma::Error& e) {
    return Impl::error_response(e.code().empty() ? "P2010" : e.code(), e.what(), {});
  } catch (const std::exception& e) {
    return Impl::error_response("P2009", std::string("Failed to validate the query: ") + e.what(), {});
  }
}

}  // namespace prisma_cpp::serve
