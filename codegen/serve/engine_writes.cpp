// Engine::Impl: nested writes (a savepoint each inside one transaction) and their helpers (declared in serve/engine_impl.hpp).
#include "serve/engine_impl.hpp"

namespace prisma_cpp::serve {

auto Engine::Impl::client_default(const ir::Field& f) -> std::optional<Value> {
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

auto Engine::Impl::sub(Db& db, const std::string& model, const char* action, json::object args, json::value selection) -> json::value {
  json::object q{{"modelName", model}, {"action", action},
                 {"query", json::object{{"arguments", std::move(args)}, {"selection", std::move(selection)}}}};
  return run(db, q);
}

auto Engine::Impl::obj(const json::value& x, const std::string& p) -> json::object {
  if (!x.is_object()) invalid("a nested write takes an object at `" + p + "`");
  return x.as_object();
}

auto Engine::Impl::select_of(const std::vector<const ir::Field*>& fs) -> json::object {
  json::object s;
  for (const auto* f : fs) s[f->name] = true;
  return s;
}

auto Engine::Impl::belongs(const Link& l, const json::object& row) -> json::value {
  if (l.m2m)
    return json::object{{l.back->name, json::object{{"some", json::object{{l.local[0]->name, row.at(l.local[0]->name)}}}}}};
  json::object w;
  for (std::size_t i = 0; i < l.local.size(); ++i) w[l.remote[i]->name] = row.at(l.local[i]->name);
  return w;
}

auto Engine::Impl::must_find(Db& db, const Link& l, const json::value& where, const std::vector<const ir::Field*>& fs,
                       const std::string& p) -> json::object {
  if (!where.is_object()) invalid("a nested connect takes a unique criterion at `" + p + "`");
  require_unique(Model{l.target, &schema}, json::object{{"where", where}}, p);
  json::value found = sub(db, l.target->name, "findFirst", json::object{{"where", where}}, select_of(fs));
  if (found.is_null())
    not_found(l.target->name, "No '" + l.target->name + "' record was found for a nested connect on relation '" + l.field->name + "'.");
  return found.as_object();
}

auto Engine::Impl::join_insert(Db& db, const Link& l, const json::object& row, const json::object& other, const std::string& p) -> void {
  Sql sql{db.sqlite, "", {}};
  std::string a = sql.param(to_value(schema, *l.local[0], row.at(l.local[0]->name), p));
  std::string b = sql.param(to_value(schema, *l.remote[0], other.at(l.remote[0]->name), p));
  // one form on both backends, as the typed client writes it (SQLite has it since 3.24)
  sql.text = "INSERT INTO " + l.join_sql + " (" + quoted_ident(l.join_self) + ", " + quoted_ident(l.join_other) +
             ") VALUES (" + a + ", " + b + ")" + std::string(prisma::sql::skip_duplicates);
  db.count(sql);
}

auto Engine::Impl::join_delete(Db& db, const Link& l, const json::object& row, const json::value* where, const std::string& p) -> void {
  Sql sql{db.sqlite, "", {}};
  Model T{l.target, &schema};
  sql.text = "DELETE FROM " + l.join_sql + " WHERE " + quoted_ident(l.join_self) + " = " +
             sql.param(to_value(schema, *l.local[0], row.at(l.local[0]->name), p));
  if (where)
    sql.text += " AND " + quoted_ident(l.join_other) + " IN (SELECT " + quoted_ident(l.remote[0]->db_name) + " FROM " +
                table_sql(*l.target) + " WHERE " + where_sql(T, *where, sql, p) + ")";
  db.count(sql);
}

auto Engine::Impl::link_rows(Db& db, const Link& l, const json::object& row, const json::object& other_where, const std::string& p) -> void {
  if (l.m2m) {
    join_insert(db, l, row, must_find(db, l, other_where, l.remote, p), p);
    return;
  }
  must_find(db, l, other_where, l.remote, p);
  json::object data;
  for (std::size_t i = 0; i < l.local.size(); ++i) data[l.remote[i]->name] = row.at(l.local[i]->name);
  sub(db, l.target->name, "updateMany", json::object{{"where", other_where}, {"data", data}}, json::object{});
}

auto Engine::Impl::create_for(Db& db, const Link& l, const json::object& row, const json::value& data, const std::string& p) -> void {
  json::object d = obj(data, p);
  if (!l.m2m) {
    for (std::size_t i = 0; i < l.local.size(); ++i) d[l.remote[i]->name] = row.at(l.local[i]->name);
    sub(db, l.target->name, "createOne", json::object{{"data", d}}, select_of(l.remote));
    return;
  }
  json::value made = sub(db, l.target->name, "createOne", json::object{{"data", d}}, select_of(l.remote));
  join_insert(db, l, row, made.as_object(), p);
}

auto Engine::Impl::child_ops(Db& db, const Link& l, const json::object& row, const json::value& ops, bool update, const std::string& path) -> void {
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

auto Engine::Impl::nested_write(Db& db, const Model& M, const json::object& data, const json::value& selection, const std::string& path,
                         const json::value* update_where) -> json::value {
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

auto Engine::Impl::require_unique(const Model& M, const json::object& args, const std::string& path, const char* arg) -> void {
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

}  // namespace prisma_cpp::serve
