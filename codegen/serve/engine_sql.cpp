#include "serve/engine_sql.hpp"

#include "schema/relation_side.hpp"

#include <prisma/client/transaction.hpp>
#include <prisma/query/filter.hpp>

#include <atomic>
#include <map>

namespace prisma_cpp::serve::engine_sql {

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

std::string returning_sql(const std::string& columns) {
  std::string out;
  prisma::sql::StringSink sink{out};
  prisma::sql::returning(sink, columns);
  return out;
}

prisma::sql::Table table_of(const ir::Model& m) {
  return {m.schema ? std::string_view(*m.schema) : std::string_view(), m.db_name};
}

std::string table_sql(const ir::Model& m) {
  std::string out;
  prisma::sql::StringSink sink{out};
  prisma::sql::table(sink, prisma::sql::Dialect::Postgresql, table_of(m));  // SQLite models have no @@schema
  return out;
}

Link link_of(const Model& M, const ir::Field& f) {
  const ir::Schema& s = *M.s;
  auto mi = static_cast<std::size_t>(M.m - s.models.data());
  auto side = schema::relation_side(s, mi, static_cast<std::size_t>(&f - M.m->fields.data()));
  Link l;
  l.field = &f;
  l.target = &s.models[side.target];
  l.back = side.back == ir::npos ? nullptr : &l.target->fields[side.back];
  l.m2m = side.many_to_many;
  l.holds_fk = side.holds_fk;
  if (l.m2m && !side.single_ids)
    invalid("the many-to-many relation `" + f.name + "` needs single-field ids on both models");
  for (std::size_t i = 0; i < side.local.size(); ++i) {
    l.local.push_back(&M.m->fields[side.local[i]]);
    l.remote.push_back(&l.target->fields[side.remote[i]]);
  }
  if (l.m2m) {
    l.join_table = side.join_table;
    l.join_schema = side.join_schema;
    l.join_self = side.join_self;
    l.join_other = side.join_other;
  }
  return l;
}

std::string new_alias() {
  static std::atomic<unsigned> counter{0};
  std::string out = "r";  // appended in place: g++ 12 at -O3 reports a false -Wrestrict in "r" + std::string
  out += std::to_string(++counter);
  return out;
}

std::string related_from(const Link& l, const std::string& self, const std::string& alias_raw) {
  std::string out;
  prisma::sql::StringSink sink{out};
  std::string alias = quoted_ident(alias_raw), join_alias = quoted_ident(alias_raw + "j");
  prisma::sql::Related r{table_of(*l.target), {l.join_schema, l.m2m ? std::string_view(l.join_table) : std::string_view()},
                         l.join_other, l.join_self};
  // a schema only on PostgreSQL (validation refuses @@schema on SQLite)
  prisma::sql::related_from(
      sink, prisma::sql::Dialect::Postgresql, r, prisma::sql::Piece{alias}, prisma::sql::Piece{join_alias},
      prisma::sql::Piece{self}, l.local.size(), [&](std::size_t i) { return std::string_view(l.remote[i]->db_name); },
      [&](std::size_t i) { return std::string_view(l.local[i]->db_name); });
  return out;
}

namespace sq = prisma::sql;

std::string all_parts(const std::vector<std::string>& parts) {
  std::string out;
  sq::StringSink s{out};
  if (parts.empty()) sq::constant(s, true);
  else if (parts.size() == 1) out = parts[0];
  else sq::junction(s, true, parts.size(), false, [&](auto& o, std::size_t i) { o.append(parts[i]); });
  return out;
}

std::string and_sql(const std::vector<std::string>& parts) {
  return render([&](auto& s) {
    if (parts.empty()) sq::constant(s, true);
    else sq::all_of(s, parts.size(), false, [&](auto& o, std::size_t i) { o.append(parts[i]); });
  });
}

std::string narrowed(const std::string& cond, const std::string& filter) {
  return render([&](auto& s) { sq::narrowed(s, sq::Piece{cond}, sq::Piece{filter}); });
}

std::string logic_sql(const std::string& op, const std::vector<std::string>& subs) {
  return render([&](auto& s) {
    auto each = [&](auto& o, std::size_t i) { o.append(subs[i]); };
    if (subs.empty()) return sq::constant(s, op != "OR");
    if (op == "NOT") return sq::negation(s, [&](auto& o) { sq::all_of(o, subs.size(), true, each); });
    sq::junction(s, op == "AND", subs.size(), true, each);
  });
}

std::string list_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                        const std::string& col) {
  if (q.sqlite) invalid("scalar lists exist on PostgreSQL only (`" + f.name + "` at `" + path + "`)");
  sq::Piece c{col};
  if (v.is_null()) return render([&](auto& s) { sq::null_test(s, c, true); });
  auto param = [&](const ir::Field& of, const json::value& x, const std::string& p) { return q.param(to_value(*M.s, of, x, p)); };
  if (!v.is_object())
    return render([&](auto& s) { sq::compare(s, c, sq::Cmp::Eq, sq::Piece{param(f, v, path)}); });
  std::vector<std::string> parts;
  for (const auto& [key, arg] : v.as_object()) {
    std::string k(key), p = path + "." + k;
    if (k == "has") {
      if (arg.is_null()) invalid("`has` takes a value at `" + p + "`");
      std::string value = param(element_of(f), arg, p);
      parts.push_back(render([&](auto& s) { sq::list_has(s, c, sq::Piece{value}); }));
    } else if (k == "hasSome" || k == "hasEvery") {
      std::string value = param(f, arg, p);
      auto op = k == "hasSome" ? sq::ListCmp::HasSome : sq::ListCmp::HasEvery;
      parts.push_back(render([&](auto& s) { sq::list_compare(s, c, op, sq::Piece{value}); }));
    } else if (k == "isEmpty") {
      if (!arg.is_bool()) invalid("`isEmpty` takes true or false at `" + p + "`");
      std::string empty = render([&](auto& s) { sq::list_is_empty(s, c); });
      parts.push_back(render([&](auto& s) {
        if (arg.as_bool()) sq::junction(s, true, 1, false, [&](auto& o, std::size_t) { o.append(empty); });
        else sq::negation(s, sq::Piece{empty});
      }));
    } else if (k == "equals") {
      if (arg.is_null()) {
        parts.push_back(render([&](auto& s) { sq::null_test(s, c, true); }));
      } else {
        std::string value = param(f, arg, p);
        parts.push_back(render([&](auto& s) { sq::list_compare(s, c, sq::ListCmp::Equals, sq::Piece{value}); }));
      }
    } else {
      invalid("Unknown filter `" + k + "` on the scalar list at `" + p + "` (has, hasSome, hasEvery, isEmpty, equals)");
    }
  }
  if (parts.empty()) return and_sql(parts);
  return render([&](auto& s) { sq::junction(s, true, parts.size(), false, [&](auto& o, std::size_t i) { o.append(parts[i]); }); });
}

std::string field_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                         const std::string& self, const std::string& expr) {
  std::string col = expr.empty() ? self + "." + quoted_ident(f.db_name) : expr;
  if (f.list) return list_filter(M, f, v, q, path, col);
  if (f.kind == ir::FieldKind::Scalar && f.scalar == ir::ScalarType::Json && v.is_object() && !v.as_object().contains("$type"))
    return json_filter(M, f, v.as_object(), q, path, col);
  sq::Piece c{col};
  bool plain = !v.is_object() || v.as_object().contains("$type");
  if (plain) {
    if (v.is_null()) return render([&](auto& s) { sq::null_test(s, c, true); });
    std::string value;
    if (auto ref = field_ref(M, f, v, path, self)) value = *ref;
    else value = q.param(to_value(*M.s, f, v, path));
    return render([&](auto& s) { sq::compare(s, c, sq::Cmp::Eq, sq::Piece{value}); });
  }
  const auto& o = v.as_object();
  bool insensitive = o.contains("mode") && o.at("mode").is_string() && o.at("mode").as_string() == "insensitive";
  std::vector<std::string> parts;
  // mode: insensitive compares LOWER(column) with LOWER(value), as Prisma renders it (and the typed
  // client: LowerEquals); contains/startsWith/endsWith use ILIKE on PostgreSQL below
  bool lower = insensitive && f.kind == ir::FieldKind::Scalar && f.scalar == ir::ScalarType::String;
  auto lowered = [&](const std::string& x) { return lower ? render([&](auto& s) { sq::lower(s, sq::Piece{x}); }) : x; };
  std::string lcol = lowered(col);
  auto value = [&](const json::value& x, const std::string& p) {
    if (auto ref = field_ref(M, f, x, p, self)) return lowered(*ref);
    return lowered(q.param(to_value(*M.s, f, x, p)));
  };
  auto cmp = [&](sq::Cmp op, const std::string& rhs) {
    return render([&](auto& s) { sq::compare(s, sq::Piece{lcol}, op, sq::Piece{rhs}); });
  };
  for (const auto& [key, arg] : o) {
    std::string k(key);
    std::string p = path + "." + k;
    if (k == "mode") continue;
    if (k == "equals") {
      parts.push_back(arg.is_null() ? render([&](auto& s) { sq::null_test(s, c, true); }) : cmp(sq::Cmp::Eq, value(arg, p)));
    } else if (k == "not") {
      // `not: value` leaves NULL rows out, as Prisma does (SQL's `<>`; the typed client's Ne)
      if (arg.is_null()) {
        parts.push_back(render([&](auto& s) { sq::null_test(s, c, false); }));
      } else if (arg.is_object() && !arg.as_object().contains("$type")) {
        json::value inner = arg;
        if (insensitive && !inner.as_object().contains("mode")) inner.as_object()["mode"] = "insensitive";
        std::string cond = field_filter(M, f, inner, q, p, self, expr);
        parts.push_back(render([&](auto& s) { sq::negation(s, sq::Piece{cond}); }));
      } else {
        parts.push_back(cmp(sq::Cmp::Ne, value(arg, p)));
      }
    } else if (k == "in" || k == "notIn") {
      if (!arg.is_array()) invalid("`" + k + "` takes a list at `" + p + "`");
      bool negated = k == "notIn";
      if (arg.as_array().empty()) {
        parts.push_back(render([&](auto& s) { sq::constant(s, negated); }));
        continue;
      }
      // one parameter for the whole list, as the typed client binds it (sql::in_list); LOWER()
      // lists (mode: insensitive, which the typed client has not) and Bytes/Json item by item
      if (auto list = lower ? std::nullopt : in_list_param(q.sqlite, *M.s, f, arg.as_array(), p)) {
        q.params.emplace_back(std::move(*list));
        parts.push_back(render([&](auto& s) {
          c(s);
          sq::in_list(s, q.dialect(), negated, q.params.size());
        }));
        continue;
      }
      std::vector<std::string> items;
      for (const auto& item : arg.as_array()) items.push_back(value(item, p));
      parts.push_back(render([&](auto& s) {
        sq::in_items(s, sq::Piece{lcol}, negated, items.size(), [&](auto& o2, std::size_t i) { o2.append(items[i]); });
      }));
    } else if (k == "lt" || k == "lte" || k == "gt" || k == "gte") {
      auto op = k == "lt" ? sq::Cmp::Lt : k == "lte" ? sq::Cmp::Le : k == "gt" ? sq::Cmp::Gt : sq::Cmp::Ge;
      parts.push_back(cmp(op, value(arg, p)));
    } else if (k == "search") {  // full-text search (PostgreSQL), as Prisma renders it
      if (q.sqlite) invalid("Unknown argument `search` at `" + p + "`: full-text search is PostgreSQL's");
      if (f.kind != ir::FieldKind::Scalar || f.scalar != ir::ScalarType::String || !arg.is_string())
        invalid("`search` takes a String on a String field at `" + p + "`");
      std::string query = q.param(str(arg));
      parts.push_back(render([&](auto& s) { sq::text_search(s, 1, [&](auto& o, std::size_t) { c(o); }, sq::Piece{query}); }));
    } else if (k == "contains" || k == "startsWith" || k == "endsWith") {
      if (f.kind != ir::FieldKind::Scalar || f.scalar != ir::ScalarType::String || !arg.is_string())
        invalid("`" + k + "` takes a String on a String field at `" + p + "`");
      q.params.emplace_back(prisma::detail::like_pattern(str(arg), k != "startsWith", k != "endsWith"));
      parts.push_back(render([&](auto& s) {
        c(s);
        sq::like(s, q.dialect(), insensitive, q.params.size());
      }));
    } else {
      invalid("Unknown filter `" + k + "` at `" + p + "`");
    }
  }
  return all_parts(parts);
}

std::string relation_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                            const std::string& self) {
  Link l = link_of(M, f);
  Model R{l.target, M.s};
  auto exists = [&](const json::value& inner, bool negate_inner, bool negated = false) {
    std::string alias = new_alias();
    std::string cond = where_sql(R, inner, q, path, quoted_ident(alias));
    std::string out;
    prisma::sql::StringSink sink{out};
    prisma::sql::exists(sink, negated, prisma::sql::Piece{related_from(l, self, alias)}, true, negate_inner,
                        prisma::sql::Piece{cond});
    return out;
  };
  if (!v.is_object() && !v.is_null()) invalid("a relation filter takes an object at `" + path + "`");
  if (f.list) {
    if (v.is_null()) invalid("a list relation filter takes some, every or none at `" + path + "`");
    std::vector<std::string> parts;
    for (const auto& [key, arg] : v.as_object()) {
      std::string k(key);
      if (k == "some") parts.push_back(exists(arg, false));
      else if (k == "none") parts.push_back(exists(arg, false, true));
      else if (k == "every") parts.push_back(exists(arg, true, true));
      else invalid("Unknown filter `" + k + "` for the list relation `" + f.name + "` at `" + path + "` (some, every, none)");
    }
    return and_sql(parts);
  }
  auto is = [&](const json::value& arg, bool negate) -> std::string {
    if (arg.is_null())  // no related row
      return exists(json::object{}, false, !negate);
    return exists(arg, false, negate);
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
    return and_sql(parts);
  }
  return is(v, false);
}

std::string where_sql(const Model& M, const json::value& w, Sql& q, const std::string& path, const std::string& self_in) {
  const std::string self = self_in.empty() ? table_sql(*M.m) : self_in;
  if (w.is_null()) return and_sql({});
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
      parts.push_back(logic_sql(k, subs));
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
        std::vector<std::string> each;
        for (const auto* uf : u.fields) {
          const json::value* x = v.as_object().if_contains(uf->name);
          if (!x) invalid("Argument `" + uf->name + "` is missing at `" + p + "`");
          each.push_back(field_filter(M, *uf, *x, q, p + "." + uf->name, self));
        }
        if (v.as_object().size() != u.fields.size()) invalid("the compound unique `" + k + "` takes exactly its fields at `" + p + "`");
        parts.push_back(render([&](auto& s) {
          sq::junction(s, true, each.size(), false, [&](auto& o, std::size_t i) { o.append(each[i]); });
        }));
        done = true;
      }
      if (done) continue;
    }
    parts.push_back(field_filter(M, M.scalar(k, p, true), v, q, p, self));
  }
  return and_sql(parts);
}

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
          prisma::sql::StringSink sink{t.expr};
          prisma::sql::related_value(sink, prisma::sql::Piece{"COUNT(*)"}, prisma::sql::Piece{related_from(l, self, alias)});
        } else {
          if (f->list) invalid("a list relation orders by its `_count` only, at `" + p + "`");
          Model R{l.target, M.s};
          prisma::sql::StringSink sink{t.expr};
          prisma::sql::related_value(sink, prisma::sql::Piece{quoted_ident(alias) + "." + quoted_ident(R.scalar(inner, p).db_name)},
                                     prisma::sql::Piece{related_from(l, self, alias)});
        }
        out.push_back(std::move(t));
        continue;
      }
      if (k == "_relevance") {  // {fields: [..] | "f", search: "...", sort: "asc" | "desc"} (PostgreSQL)
        const auto* r = dir.if_object();
        const json::value* fields = r ? r->if_contains("fields") : nullptr;
        const json::value* search = r ? r->if_contains("search") : nullptr;
        const json::value* sort = r ? r->if_contains("sort") : nullptr;
        if (!fields || !search || !search->is_string() || !sort)
          invalid("`_relevance` takes fields, search and sort at `" + p + "`");
        OrderTerm t;
        json::array names = fields->is_array() ? fields->as_array() : json::array{*fields};
        for (const auto& n : names) {
          if (!n.is_string()) invalid("`_relevance.fields` takes field names at `" + p + ".fields`");
          const ir::Field& f = M.scalar(str(n), p + ".fields");
          if (f.kind != ir::FieldKind::Scalar || f.scalar != ir::ScalarType::String || f.list)
            invalid("`_relevance` ranks String fields, not `" + f.name + "` at `" + p + ".fields`");
          t.relevance_columns.push_back(self + "." + quoted_ident(f.db_name));
        }
        if (t.relevance_columns.empty()) invalid("`_relevance` needs a field at `" + p + ".fields`");
        t.relevance_query = str(*search);
        direction(*sort, p + ".sort", t);
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

std::string order_list(const std::vector<OrderTerm>& terms_in, bool reversed, bool sqlite, Sql* sql) {
  std::string out;
  std::vector<OrderTerm> terms = terms_in;
  for (auto& t : terms) {
    if (!t.relevance_query) continue;
    if (!sql) invalid("`_relevance` orders a findMany / findFirst's own rows (not an include's, nor a groupBy's)");
    if (sqlite) invalid("Unknown argument `_relevance`: full-text search is PostgreSQL's");
    std::string p = sql->param(*t.relevance_query);
    sq::StringSink sink{t.expr};
    sq::text_rank(sink, t.relevance_columns.size(), [&](auto& o, std::size_t i) { o.append(t.relevance_columns[i]); },
                  sq::Piece{p});
  }
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

std::vector<const ir::Field*> selected(const Model& M, const json::value& sel, const std::string& path,
                                      std::set<std::string>* hidden, const json::value* omit) {
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

std::vector<Agg> aggregates_of(const Model& M, const json::object& sel, const std::string& path,
                               std::vector<const ir::Field*>* by_fields) {
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

}  // namespace prisma_cpp::serve::engine_sql
