// Engine::Impl: selections, includes and relation counts, paging, the SELECT of a query, groupBy's having and order, raw queries (declared in serve/engine_impl.hpp).
#include "serve/engine_impl.hpp"

namespace prisma_cpp::serve {

auto Engine::Impl::row_key(const json::object& row, const std::vector<const ir::Field*>& fields) -> std::string {
  std::string k;
  for (const auto* f : fields) {
    const json::value* v = row.if_contains(f->name);
    if (!v || v->is_null()) return {};
    k += json::serialize(*v) + "\x1f";
  }
  return k;
}

auto Engine::Impl::key_condition(Sql& sql, const std::vector<std::string>& cols, const std::vector<const ir::Field*>& key_fields,
                          const json::array& rows, const std::vector<const ir::Field*>& row_fields, const std::string& p) -> std::string {
  namespace sq = prisma::sql;
  std::set<std::string> seen;
  std::vector<std::vector<std::string>> keys;  // per distinct parent key: its placeholders
  for (const auto& row : rows) {
    const auto& ro = row.as_object();
    std::string k = row_key(ro, row_fields);
    if (k.empty() || !seen.insert(k).second) continue;
    auto& key = keys.emplace_back();
    for (std::size_t i = 0; i < cols.size(); ++i)
      key.push_back(sql.param(to_value(schema, *key_fields[i], ro.at(row_fields[i]->name), p)));
  }
  if (keys.empty()) return {};
  std::string out;
  sq::StringSink s{out};
  if (cols.size() == 1)  // col IN ($1, $2, ...)
    sq::in_items(s, sq::Piece{cols[0]}, false, keys.size(), [&](auto& o, std::size_t r) { o.append(keys[r][0]); });
  else  // ((a = $1 AND b = $2) OR (a = $3 AND b = $4) ...)
    sq::junction(s, false, keys.size(), true, [&](auto& o, std::size_t r) {
      sq::equal(
          o, cols.size(), [&](auto& c, std::size_t i) { c.append(cols[i]); }, [&](auto& v, std::size_t i) { v.append(keys[r][i]); });
    });
  return out;
}

auto Engine::Impl::keyed(const Link& l) -> Keyed {
  Keyed k;
  std::string alias_raw = new_alias();
  k.alias = quoted_ident(alias_raw);
  std::string join_alias = quoted_ident(alias_raw + "j");
  prisma::sql::StringSink sink{k.from};
  prisma::sql::Related r{table_of(*l.target), {l.join_schema, l.m2m ? std::string_view(l.join_table) : std::string_view()},
                         l.join_other, l.join_self};
  prisma::sql::keyed_from(sink, prisma::sql::Dialect::Postgresql, r, true, prisma::sql::Piece{k.alias},
                          prisma::sql::Piece{join_alias}, l.remote[0]->db_name);
  if (l.m2m) k.key_cols.push_back(join_alias + "." + quoted_ident(l.join_self));
  else
    for (const auto* rf : l.remote) k.key_cols.push_back(k.alias + "." + quoted_ident(rf->db_name));
  return k;
}

auto Engine::Impl::attach(Db& db, const Model& M, json::array& rows, const json::value& sel, const std::set<std::string>& hidden,
            const std::string& path) -> void {
  if (sel.is_object() && !rows.empty())
    for (const auto& [key, v] : sel.as_object()) {
      std::string k(key);
      if (k == "_count") {
        attach_counts(db, M, rows, v, path + "._count");
        continue;
      }
      const ir::Field* f = M.field(k);
      if (!f || f->kind != ir::FieldKind::Relation || (v.is_bool() && !v.as_bool())) continue;
      include(db, M, rows, *f, v, path + "." + k);
    }
  for (auto& row : rows)
    for (const auto& h : hidden) row.as_object().erase(h);
}

auto Engine::Impl::include(Db& db, const Model& M, json::array& rows, const ir::Field& f, const json::value& v,
                           const std::string& p) -> void {
  Link l = link_of(M, f);
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
  if (!f.list)
    for (const char* a : {"orderBy", "take", "skip"})
      if (args.contains(a)) invalid(std::string("`") + a + "` is for list relations, not `" + f.name + "` at `" + p + "`");
  std::set<std::string> child_hidden;
  auto fs = selected(R, child_sel, p + ".selection", &child_hidden, args.if_contains("omit"));
  std::vector<std::string> child_keys;  // each child's key, before attach() drops hidden fields
  json::array children = load_children(db, l, rows, args, fs, child_hidden, child_keys, p);
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
    if (f.list) {
      json::array all = it == by_key.end() ? json::array{} : it->second;
      ro[f.name] = page(std::move(all), skip, take, has_take);
    } else {
      ro[f.name] = it == by_key.end() || it->second.empty() ? json::value(nullptr) : it->second.front();
    }
  }
}

auto Engine::Impl::load_children(Db& db, const Link& l, const json::array& rows, const json::object& args,
                                 const std::vector<const ir::Field*>& fs, std::set<std::string>& child_hidden,
                                 std::vector<std::string>& child_keys, const std::string& p) -> json::array {
  Model R{l.target, &schema};
  Keyed k = keyed(l);
  Sql sql{db.sqlite, "", {}};
  std::vector<const ir::Field*> read = fs;  // the child columns, then the key (m:n: the parent's)
  std::vector<std::string> names;
  for (const auto* cf : fs) names.push_back(cf->name);
  std::string cols;
  for (const auto* cf : fs) cols += (cols.empty() ? "" : ", ") + k.alias + "." + quoted_ident(cf->db_name);
  std::vector<std::string> child_key_names;
  if (l.m2m) {
    cols += ", " + k.key_cols[0];
    read.push_back(l.local[0]);
    names.push_back("\x1fparent");
    child_key_names.push_back("\x1fparent");
  } else {
    for (std::size_t i = 0; i < l.remote.size(); ++i) {
      if (std::find(fs.begin(), fs.end(), l.remote[i]) == fs.end()) {
        cols += ", " + k.key_cols[i];
        read.push_back(l.remote[i]);
        names.push_back(l.remote[i]->name);
        child_hidden.insert(l.remote[i]->name);
      }
      child_key_names.push_back(l.remote[i]->name);
    }
  }
  json::array children;
  std::string cond = key_condition(sql, k.key_cols, l.m2m ? l.local : l.remote, rows, l.local, p);
  if (cond.empty()) return children;
  if (args.contains("where")) cond = narrowed(cond, where_sql(R, args.at("where"), sql, p + ".where", k.alias));
  std::vector<OrderTerm> terms;
  if (args.contains("orderBy")) terms = order_terms(R, args.at("orderBy"), p + ".orderBy", k.alias);
  if (terms.empty() && l.target->primary_key)
    for (const auto& pk : l.target->primary_key->fields)
      terms.push_back({k.alias + "." + quoted_ident(l.target->fields[pk.field].db_name), false, 0, nullptr, {}, std::nullopt});
  std::string order = order_list(terms, false, db.sqlite);
  std::size_t next = 0;  // no LIMIT: an include pages in memory, per parent
  prisma::sql::StringSink s{sql.text};
  prisma::sql::select(s, sql.dialect(), {.where = true, .order = !order.empty()}, prisma::sql::Piece{cols},
                      prisma::sql::Piece{k.from}, prisma::sql::Piece{cond}, prisma::sql::Piece{order}, next);
  children = db.rows_named(schema, sql, read, names);
  for (auto& c : children) {
    json::object& co = c.as_object();
    std::string ck;
    for (const auto& name : child_key_names) ck += json::serialize(co.at(name)) + "\x1f";
    child_keys.push_back(std::move(ck));
    co.erase("\x1fparent");
  }
  return children;
}

auto Engine::Impl::page(json::array all, std::int64_t skip, std::int64_t take, bool has_take) -> json::array {
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

auto Engine::Impl::attach_counts(Db& db, const Model& M, json::array& rows, const json::value& v, const std::string& path) -> void {
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
    Keyed kf = keyed(l);
    Sql sql{db.sqlite, "", {}};
    std::string cond = key_condition(sql, kf.key_cols, l.m2m ? l.local : l.remote, rows, l.local, p);
    std::map<std::string, std::int64_t> n_by_key;
    if (!cond.empty()) {
      std::string group;
      for (const auto& c : kf.key_cols) group += (group.empty() ? "" : ", ") + c;
      if (!where.is_null()) cond = narrowed(cond, where_sql(R, where, sql, p + ".where", kf.alias));
      std::size_t next = 0;  // no LIMIT
      prisma::sql::StringSink sink{sql.text};
      prisma::sql::group_by(sink, sql.dialect(), {.where = true}, prisma::sql::Piece{group + ", COUNT(*)"},
                            prisma::sql::Piece{kf.from}, prisma::sql::Piece{cond}, prisma::sql::Piece{group},
                            prisma::sql::None{}, prisma::sql::None{}, next);
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

auto Engine::Impl::raw(Db& db, const std::string& action, const json::object& query) -> json::value {
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

auto Engine::Impl::paging(const json::object& args, const std::string& path, bool many) -> Paging {
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

auto Engine::Impl::row_key_nulls(const json::object& row, const std::vector<const ir::Field*>& fields) -> std::string {
  std::string k;
  for (const auto* f : fields) k += json::serialize(row.at(f->name)) + "\x1f";
  return k;
}

auto Engine::Impl::select_sql(Sql& sql, const Model& M, const json::object& args, const std::string& list, const std::string& path,
                       const Paging& pg) -> std::string {
  namespace sq = prisma::sql;
  std::string table = table_sql(*M.m);
  std::vector<OrderTerm> terms;
  if (auto* o = args.if_contains("orderBy")) terms = order_terms(M, *o, path + ".orderBy", table);
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
        if (!present) terms.push_back({table + "." + quoted_ident(f->db_name), false, 0, f, {}, std::nullopt});
      }
    for (auto& t : terms) t.nulls = 0;
    // the rows after the cursor's, each of its values a subquery on the row the cursor names
    // (rendered, and its parameters bound, in the order the shape asks for them)
    std::string cond;
    sq::StringSink c{cond};
    sq::after_cursor(
        c, terms.size(), [&](auto& o, std::size_t i) { o.append(terms[i].expr); },
        [&](auto& o, std::size_t i) {
          std::string alias = quoted_ident(new_alias());
          std::string from = table + " AS " + alias;
          std::string col = alias + "." + quoted_ident(terms[i].field->db_name);
          std::string filter = where_sql(M, *cursor, sql, path + ".cursor", alias);
          sq::scalar_subquery(o, sq::Piece{col}, sq::Piece{from}, sq::Piece{filter});
        },
        [&](std::size_t i) { return terms[i].desc != pg.reversed; });
    where = where.empty() ? cond : and_sql({where, cond});
  }
  if (terms.empty() && pg.reversed && M.m->primary_key)
    for (const auto& pk : M.m->primary_key->fields)
      terms.push_back({table + "." + quoted_ident(M.m->fields[pk.field].db_name), false, 0, &M.m->fields[pk.field], {}, std::nullopt});
  for (const auto& t : terms)
    if (t.relevance_query && cursor) invalid("a `cursor` pages in an order of the model's own fields at `" + path + ".orderBy`");
  std::string order = order_list(terms, pg.reversed && pg.sql_paging, sql.sqlite, &sql);
  bool take = pg.sql_paging && pg.has_take, skip = pg.sql_paging && pg.skip > 0;
  std::size_t p = sql.params.size() + 1;
  if (take) sql.params.emplace_back(pg.take < 0 ? -pg.take : pg.take);
  if (skip) sql.params.emplace_back(pg.skip);
  std::string text;
  sq::StringSink s{text};
  sq::select(s, sql.dialect(), {!where.empty(), !order.empty(), take, skip}, sq::Piece{list}, sq::Piece{table},
             sq::Piece{where}, sq::Piece{order}, p);
  return text;
}

auto Engine::Impl::having_sql(const Model& M, const json::value& h, Sql& sql, const std::string& path) -> std::string {
  if (!h.is_object()) invalid("`having` takes an object at `" + path + "`");
  std::string table = table_sql(*M.m);
  std::vector<std::string> parts;
  for (const auto& [key, v] : h.as_object()) {
    std::string k(key), p = path + "." + k;
    if (k == "AND" || k == "OR" || k == "NOT") {
      std::vector<std::string> subs;
      if (v.is_array())
        for (const auto& item : v.as_array()) subs.push_back(having_sql(M, item, sql, p));
      else
        subs.push_back(having_sql(M, v, sql, p));
      parts.push_back(logic_sql(k, subs));
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
  return and_sql(parts);
}

auto Engine::Impl::group_order(const Model& M, const json::value& o, const std::string& path, const std::vector<const ir::Field*>& by,
                        bool sqlite) -> std::string {
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

}  // namespace prisma_cpp::serve
