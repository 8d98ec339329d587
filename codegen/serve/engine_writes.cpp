// Engine::Impl: nested writes. A createOne / updateOne whose data names a relation is lowered into
// the write tree of the runtime (prisma/query/write_tree.hpp) and run by the same executor the
// typed client runs (prisma/client/write_executor.hpp): one set of rules for the order of the
// statements, the foreign keys a parent fills, connect / disconnect / set / delete / update /
// upsert and their errors. What is the engine's own: reading the JSON protocol's arguments into
// that tree (with Prisma's validation errors) and the schema's metadata, built once from the IR.
#include "serve/engine_impl.hpp"

#include <prisma/client/nested_writes.hpp>

#include "schema/relation_side.hpp"

namespace prisma_cpp::serve {

namespace write = prisma::write;

namespace {

prisma::meta::ScalarKind kind_of(const ir::Field& f) {
  using K = prisma::meta::ScalarKind;
  if (f.kind == ir::FieldKind::Enum) return K::Enum;
  switch (f.scalar) {
    case ir::ScalarType::String: return K::String;
    case ir::ScalarType::Boolean: return K::Boolean;
    case ir::ScalarType::Int: return K::Int;
    case ir::ScalarType::BigInt: return K::BigInt;
    case ir::ScalarType::Float: return K::Float;
    case ir::ScalarType::Decimal: return K::Decimal;
    case ir::ScalarType::DateTime: return K::DateTime;
    case ir::ScalarType::Json: return K::Json;
    case ir::ScalarType::Bytes: return K::Bytes;
  }
  return K::String;
}

prisma::meta::DefaultKind default_of(const ir::Field& f) {
  using K = prisma::meta::DefaultKind;
  using D = ir::DefaultValue::Kind;
  if (!f.default_value) return K::None;
  switch (f.default_value->kind) {
    case D::Now: return K::Now;
    case D::Uuid: return f.default_value->version == 7 ? K::Uuid7 : K::Uuid4;
    case D::Cuid: return f.default_value->version == 2 ? K::Cuid2 : K::Cuid1;
    case D::Nanoid: return K::Nanoid;
    case D::Ulid: return K::Ulid;
    case D::Autoincrement: return K::Autoincrement;
    case D::Sequence: return K::Sequence;
    case D::DbGenerated: return K::DbGenerated;
    case D::EnumValue: return K::EnumValue;
    default: return K::Literal;
  }
}

write::Value to_write_value(const Value& v) {
  if (const auto* b = std::get_if<bool>(&v)) return write::Value(std::in_place_type<bool>, *b);
  return std::visit(
      [](const auto& x) -> write::Value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate> || std::is_same_v<T, bool>) return write::null_value();
        else return write::Value(std::in_place_type<T>, x);
      },
      v);
}

}  // namespace

WriteSchema::WriteSchema(const ir::Schema& s) {
  const std::size_t n = s.models.size();
  models.resize(n);
  columns.resize(n);
  fields.resize(n);
  keys.resize(n);
  column_lists.resize(n);
  required.resize(n);
  for (std::size_t mi = 0; mi < n; ++mi) {
    const ir::Model& m = s.models[mi];
    for (const auto& f : m.fields) {
      if (f.kind == ir::FieldKind::Relation || f.kind == ir::FieldKind::Unsupported || f.is_ignored) continue;
      std::uint32_t flags = 0;
      if (f.optional) flags |= prisma::meta::flags::optional;
      if (f.list) flags |= prisma::meta::flags::list;
      if (f.default_value) flags |= prisma::meta::flags::has_default;
      if (f.is_updated_at) flags |= prisma::meta::flags::updated_at;
      std::string_view length;
      if (f.default_value && f.default_value->length) length = text(std::to_string(*f.default_value->length));
      columns[mi].push_back(write::Column{f.name, f.db_name, kind_of(f), flags, default_of(f), length});
      fields[mi].push_back(&f);
      column_lists[mi] += (column_lists[mi].empty() ? "" : ", ") + quoted_ident(f.db_name);
    }
    for (const auto& u : engine_sql::unique_keys(m)) {
      for (const auto* f : u.fields) keys[mi].push_back(column(mi, *f));
      break;
    }
  }
  for (std::size_t mi = 0; mi < n; ++mi) {
    const ir::Model& m = s.models[mi];
    for (const auto& f : m.fields) {
      if (f.kind != ir::FieldKind::Relation || f.is_ignored) continue;
      Link l = link_of(Model{&m, &s}, f);
      std::size_t ti = static_cast<std::size_t>(l.target - s.models.data());
      auto& local = indexes.emplace_back();
      auto& remote = indexes.emplace_back();
      for (std::size_t i = 0; i < l.local.size(); ++i) {
        local.push_back(column(mi, *l.local[i]));
        remote.push_back(column(ti, *l.remote[i]));
      }
      bool fk_optional = schema::relation_side(s, mi, static_cast<std::size_t>(&f - m.fields.data())).foreign_key_optional;
      const ir::Relation& r = s.relations[f.relation];
      write::RelationInfo info;
      info.name = f.name;
      info.relation_name = r.name;
      info.model = &models[mi];
      info.target = &models[ti];
      info.kind = l.m2m ? prisma::meta::RelationKind::ManyToMany
                  : r.kind == ir::Relation::Kind::OneToOne ? prisma::meta::RelationKind::OneToOne
                                                            : prisma::meta::RelationKind::OneToMany;
      info.is_list = f.list;
      info.owns_foreign_key = l.holds_fk;
      info.foreign_key_optional = fk_optional;
      info.can_disconnect = l.m2m || fk_optional;
      info.local = local;
      info.remote = remote;
      if (l.m2m) {
        info.join_schema = l.join_schema.empty() ? std::string_view{} : text(l.join_schema);
        info.join_table = text(l.join_table);
        info.join_local = text(l.join_self);
        info.join_remote = text(l.join_other);
      }
      relations.emplace(&f, info);
      if (l.holds_fk && !f.optional) required[mi].push_back(write::RequiredRelation{f.name, local});
    }
  }
  // relationMode = "prisma": the relations pointing at each model, whose actions the executor
  // carries out (as the generated library's `_referrers`)
  referrers.resize(n);
  auto action = [](ir::ReferentialAction a) {  // the IR's and the runtime's enums list the same five
    switch (a) {
      case ir::ReferentialAction::Cascade: return write::Action::Cascade;
      case ir::ReferentialAction::Restrict: return write::Action::Restrict;
      case ir::ReferentialAction::SetNull: return write::Action::SetNull;
      case ir::ReferentialAction::SetDefault: return write::Action::SetDefault;
      case ir::ReferentialAction::NoAction: break;
    }
    return write::Action::NoAction;
  };
  for (std::size_t mi = 0; mi < n; ++mi)
    for (const auto& r : schema::referrers(s, mi))
      referrers[mi].push_back(write::Referrer{&relations.at(&s.models[r.model].fields[r.field]), action(r.relation->on_delete),
                                              action(r.relation->on_update)});
  for (std::size_t mi = 0; mi < n; ++mi) {
    const ir::Model& m = s.models[mi];
    models[mi] = write::ModelInfo{m.name, m.db_name, m.schema ? text(*m.schema) : std::string_view{}, columns[mi], keys[mi],
                                  column_lists[mi], required[mi], referrers[mi]};
  }
}

std::size_t WriteSchema::column(std::size_t mi, const ir::Field& f) const {
  for (std::size_t i = 0; i < fields[mi].size(); ++i)
    if (fields[mi][i] == &f) return i;
  invalid("the field `" + f.name + "` has no column");
}

std::string_view WriteSchema::text(std::string s) { return strings.emplace_back(std::move(s)); }

// ---- the JSON protocol's data as the write tree ---------------------------------------------------

auto Engine::Impl::criterion(const Model& T, const json::value& where, const std::string& p) -> write::Criterion {
  if (!where.is_object()) invalid("a nested write takes an object at `" + p + "`");
  return write::Criterion{[this, T, where, p](prisma::sql::Dialect d, std::string& out, write::Params& ps) {
    Sql sql{d == prisma::sql::Dialect::Sqlite, "", {}};
    sql.params.resize(ps.size());  // placeholders number on from the statement's
    out += where_sql(T, where, sql, p);
    for (std::size_t i = ps.size(); i < sql.params.size(); ++i)
      ps.emplace_back(std::in_place_type<write::Value>, to_write_value(sql.params[i]));
  }};
}

auto Engine::Impl::scalar_write(const ir::Field& f, std::size_t column, const json::value& v, const std::string& p, bool update)
    -> write::ScalarWrite {
  auto value = [&](const json::value& x, const std::string& q) {
    return write::Param(std::in_place_type<write::Value>, to_write_value(to_value(schema, f, x, q)));
  };
  if (f.list && v.is_object()) {  // {set: [...]} (create and update), {push: x | [...]} (update)
    const auto& op = v.as_object();
    if (op.size() != 1) invalid("one operation per list field at `" + p + "`");
    std::string name(op.begin()->key());
    const json::value& arg = op.begin()->value();
    if (name == "set") return {column, write::Op::Set, value(arg, p + ".set")};
    if (name == "push" && update)
      return {column, write::Op::Push, value(arg.is_array() ? arg : json::value(json::array{arg}), p + ".push")};
    invalid("Unknown list operation `" + name + "` at `" + p + "` (set" + (update ? ", push)" : ")"));
  }
  if (update && v.is_object() && !v.as_object().contains("$type")) {
    const auto& op = v.as_object();
    if (op.size() != 1) invalid("one update operation per field at `" + p + "`");
    static const std::map<std::string, write::Op> ops = {{"set", write::Op::Set},
                                                         {"increment", write::Op::Increment},
                                                         {"decrement", write::Op::Decrement},
                                                         {"multiply", write::Op::Multiply},
                                                         {"divide", write::Op::Divide}};
    auto it = ops.find(std::string(op.begin()->key()));
    if (it == ops.end()) invalid("Unknown update operation `" + std::string(op.begin()->key()) + "` at `" + p + "`");
    return {column, it->second, value(op.begin()->value(), p)};
  }
  return {column, write::Op::Set, value(v, p)};
}

auto Engine::Impl::lower(const Model& M, const json::value& data, const std::string& path, bool update) -> write::Data {
  const json::object& d = obj(data, path);
  std::size_t mi = static_cast<std::size_t>(M.m - schema.models.data());
  write::Data out;
  out.model = &wschema->models[mi];
  for (const auto& [key, v] : d) {
    std::string k(key), p = path + "." + k;
    const ir::Field* f = M.field(k);
    if (f && f->kind == ir::FieldKind::Relation) {
      out.relations.push_back(lower_relation(M, *f, v, p, update));
      continue;
    }
    const ir::Field& sf = M.scalar(k, p, true);
    out.scalars.push_back(scalar_write(sf, wschema->column(mi, sf), v, p, update));
  }
  if (update) return out;
  // a required field without a default, left out: refused before the database sees it, as Prisma's
  // engine refuses it (P2012); a foreign key is the executor's to check (a nested write may fill it)
  std::set<const ir::Field*> foreign_keys;
  for (const auto& rw : out.relations)
    for (std::size_t c : rw.relation->local) foreign_keys.insert(wschema->fields[mi][c]);
  for (const auto& [f, info] : wschema->relations)
    if (info.model == out.model)
      for (std::size_t c : info.owns_foreign_key ? info.local : std::span<const std::size_t>{}) foreign_keys.insert(wschema->fields[mi][c]);
  for (std::size_t c = 0; c < wschema->fields[mi].size(); ++c) {
    const ir::Field& f = *wschema->fields[mi][c];
    if (f.optional || f.list || f.default_value || f.is_updated_at || out.scalar(c) || foreign_keys.count(&f)) continue;
    throw QueryError("P2012", "Missing a required value at `" + path + "." + f.name + "`: A value is required but not set",
                     json::object{{"path", path + "." + f.name}});
  }
  return out;
}

auto Engine::Impl::lower_relation(const Model&, const ir::Field& f, const json::value& v, const std::string& path, bool update)
    -> write::RelationWrite {
  write::RelationWrite rw;
  rw.relation = &wschema->relations.at(&f);
  const write::RelationInfo& r = *rw.relation;
  Model T{&schema.models[f.related_model], &schema};
  const bool list = f.list, m2m = r.kind == prisma::meta::RelationKind::ManyToMany;
  auto data_of = [&](const json::value& x, const std::string& p, bool upd) { return lower(T, x, p, upd); };
  auto unique = [&](const json::value& w, const std::string& p) {
    if (!w.is_object()) invalid("a nested write takes a unique criterion at `" + p + "`");
    require_unique(T, json::object{{"where", w}}, p);
    return criterion(T, w, p);
  };
  auto flag_or_filter = [&](const json::value& arg, const std::string& p, std::vector<write::Criterion>& filters) {
    if (arg.is_bool()) return arg.as_bool();
    filters.push_back(criterion(T, obj(arg, p), p));
    return true;
  };
  for (const auto& [key, arg] : obj(v, path)) {
    std::string op(key), p = path + "." + op;
    static const std::set<std::string> on_create = {"create", "createMany", "connect", "connectOrCreate"};
    if (!update && !on_create.count(op))
      invalid("Unknown nested write `" + op + "` at `" + p + "` (a create takes create, createMany, connect, connectOrCreate)");
    if ((op == "createMany" || op == "set" || op == "deleteMany" || op == "updateMany") && !list)
      invalid("`" + op + "` is for list relations at `" + p + "`");
    if ((op == "disconnect" || op == "set") && !r.can_disconnect)
      invalid("the required relation `" + f.name + "` cannot be disconnected at `" + p + "`");
    if (op == "create") {
      for (const auto& item : items(arg)) rw.create.push_back(data_of(item, p, false));
    } else if (op == "createMany") {
      if (m2m) invalid("`createMany` is for one-to-many relations at `" + p + "`");
      json::object a = obj(arg, p);
      for (const auto& item : items(a.contains("data") ? a.at("data") : json::value(json::array{})))
        rw.create_many.push_back(data_of(item, p + ".data", false));
      if (const auto* sd = a.if_contains("skipDuplicates")) rw.skip_duplicates = sd->is_bool() && sd->as_bool();
    } else if (op == "connect") {
      for (const auto& w : items(arg)) rw.connect.push_back(unique(w, p));
    } else if (op == "connectOrCreate") {
      for (const auto& item : items(arg)) {
        json::object a = obj(item, p);
        if (!a.contains("where") || !a.contains("create")) invalid("`connectOrCreate` takes where and create at `" + p + "`");
        rw.connect_or_create.push_back({unique(a.at("where"), p + ".where"), data_of(a.at("create"), p + ".create", false)});
      }
    } else if (op == "set") {
      rw.set = true;
      for (const auto& w : items(arg)) rw.set_items.push_back(unique(w, p));
    } else if (op == "disconnect") {
      if (list) {
        rw.disconnect = true;
        for (const auto& w : items(arg)) rw.disconnect_items.push_back(criterion(T, obj(w, p), p));
      } else {
        rw.disconnect = flag_or_filter(arg, p, rw.disconnect_items);
      }
    } else if (op == "delete") {
      if (list) {
        for (const auto& w : items(arg)) rw.delete_items.push_back(criterion(T, obj(w, p), p));
      } else {
        if (!arg.is_bool() && !arg.is_object()) invalid("`delete` takes true (or a filter) at `" + p + "`");
        rw.delete_one = flag_or_filter(arg, p, rw.delete_items);
      }
    } else if (op == "deleteMany") {
      for (const auto& w : items(arg)) rw.delete_many.push_back(criterion(T, obj(w, p), p));
    } else if (op == "update" || op == "updateMany" || op == "upsert") {
      lower_updates(T, op, arg, p, list, rw);
    } else {
      invalid("Unknown nested write `" + op + "` at `" + p + "`");
    }
  }
  return rw;
}

// A relation's update / updateMany / upsert items (a to-one relation's without `where`: the one
// connected).
auto Engine::Impl::lower_updates(const Model& T, const std::string& op, const json::value& arg, const std::string& p, bool list,
                                 write::RelationWrite& rw) -> void {
  if (op == "upsert") {
    for (const auto& item : items(arg)) {
      json::object a = obj(item, p);
      if (!a.contains("create") || !a.contains("update")) invalid("`upsert` takes create and update at `" + p + "`");
      write::UpsertItem u;
      if (a.contains("where")) u.where = criterion(T, obj(a.at("where"), p), p + ".where");
      u.create = lower(T, a.at("create"), p + ".create", false);
      u.update = lower(T, a.at("update"), p + ".update", true);
      rw.upsert.push_back(std::move(u));
    }
    return;
  }
  for (const auto& item : items(arg)) {
    json::object a = obj(item, p);
    write::UpdateItem u;
    if (list || op == "updateMany" || a.contains("where")) {
      if (!a.contains("data")) invalid("`" + op + "` takes where and data at `" + p + "`");
      if (a.contains("where")) u.where = criterion(T, obj(a.at("where"), p), p + ".where");
      u.data = lower(T, a.at("data"), p + ".data", true);
    } else {
      u.data = lower(T, a.contains("data") && a.size() == 1 ? a.at("data") : json::value(a), p, true);
    }
    (op == "update" ? rw.update : rw.update_many).push_back(std::move(u));
  }
}

// ---- running it -------------------------------------------------------------------------------------

auto Engine::Impl::nested_write(Db& db, const Model& M, const json::object& data, const json::value& selection, const std::string& path,
                                const json::value* update_where) -> json::value {
  return db.atomic([&]() -> json::value {
    write::Data d = lower(M, data, path + ".data", update_where != nullptr);
    auto conn = write_connection(db);
    write::Executor ex(*conn, db.sqlite ? prisma::sql::Dialect::Sqlite : prisma::sql::Dialect::Postgresql,
                       prisma::DateTime::now());
    write::Row row;
    if (update_where) {
      auto updated = ex.update(d, criterion(M, *update_where, path + ".where"));
      if (!updated) not_found(M.m->name, "Record to update not found.");
      row = std::move(*updated);
    } else {
      row = ex.create(d);
    }
    // the row as asked for, relations included, by its key
    std::size_t mi = static_cast<std::size_t>(M.m - schema.models.data());
    json::object where;
    for (std::size_t c : wschema->keys[mi]) where[wschema->fields[mi][c]->name] = key_json(row[c]);
    return sub(db, M.m->name, "findFirst", json::object{{"where", where}}, selection);
  });
}

auto Engine::Impl::write_connection(Db& db) -> std::unique_ptr<write::Connection> {
  if (db.sqlite) return std::make_unique<prisma::detail::WriteConnection<prisma::driver::sqlite::Connection>>(*db.lite);
  return std::make_unique<prisma::detail::WriteConnection<prisma::driver::postgres::Connection>>(*db.pg);
}

bool Engine::Impl::acts(const Model& M) const {
  return !wschema->referrers[static_cast<std::size_t>(M.m - schema.models.data())].empty();
}

bool Engine::Impl::touches_referenced(const Model& M, const json::value& data) const {
  if (!data.is_object()) return false;
  std::size_t mi = static_cast<std::size_t>(M.m - schema.models.data());
  for (const auto& ref : wschema->referrers[mi])
    for (std::size_t c : ref.relation->remote)
      if (data.as_object().contains(wschema->fields[mi][c]->name)) return true;
  return false;
}

// The where of a write through the executor (relationMode = "prisma"), with updateMany /
// deleteMany's `limit`.
auto Engine::Impl::acted_where(Call& c) -> write::Criterion {
  write::Criterion where;
  if (const auto* w = c.args.if_contains("where")) where = criterion(c.M, *w, c.path + ".where");
  const json::value* l = c.args.if_contains("limit");
  if (!l || l->is_null()) return where;
  if (!l->is_int64() || l->as_int64() < 0) invalid("`limit` takes an Int >= 0 at `" + c.path + ".limit`");
  return write::limited(wschema->models[static_cast<std::size_t>(c.M.m - schema.models.data())], std::move(where),
                        l->as_int64());
}

auto Engine::Impl::acted_update_many(Call& c) -> json::value {
  if (!c.args.contains("data") || !c.args.at("data").is_object()) invalid("`data` is required at `" + c.path + "`");
  if (c.action == "updateManyAndReturn")
    invalid("updateManyAndReturn of a key other models' rows point at (relationMode = \"prisma\") is not supported; use "
            "updateMany, then read the rows at `" + c.path + "`");
  return c.db.atomic([&]() -> json::value {
    write::Data d = lower(c.M, c.args.at("data").as_object(), c.path + ".data", true);
    auto conn = write_connection(c.db);
    write::Executor ex(*conn, c.db.sqlite ? prisma::sql::Dialect::Sqlite : prisma::sql::Dialect::Postgresql,
                       prisma::DateTime::now());
    return json::object{{"count", ex.update_many(d, acted_where(c))}};
  });
}

auto Engine::Impl::acted_delete(Call& c) -> json::value {
  return c.db.atomic([&]() -> json::value {
    const json::value* w = c.args.if_contains("where");
    json::value before;  // deleteOne answers with the record as it was, as selected
    if (c.action == "deleteOne")
      before = sub(c.db, c.model_name, "findFirst", json::object{{"where", w ? *w : json::object{}}}, c.selection);
    auto conn = write_connection(c.db);
    write::Executor ex(*conn, c.db.sqlite ? prisma::sql::Dialect::Sqlite : prisma::sql::Dialect::Postgresql,
                       prisma::DateTime::now());
    std::size_t mi = static_cast<std::size_t>(c.M.m - schema.models.data());
    std::int64_t n = ex.delete_many(wschema->models[mi], acted_where(c));
    if (c.action == "deleteMany") return json::object{{"count", n}};
    if (n == 0) not_found(c.M.m->name, "Record to delete does not exist.");
    return before;
  });
}

auto Engine::Impl::key_json(const write::Value& v) -> json::value {
  return std::visit(
      [](const auto& x) -> json::value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::nullopt_t>) return nullptr;
        else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, double> || std::is_same_v<T, std::string>) return json::value(x);
        else if constexpr (std::is_same_v<T, std::int32_t>) return json::value(static_cast<std::int64_t>(x));
        else if constexpr (std::is_same_v<T, std::int64_t>) return json::value{{"$type", "BigInt"}, {"value", std::to_string(x)}};
        else if constexpr (std::is_same_v<T, prisma::DateTime>) return json::value{{"$type", "DateTime"}, {"value", x.to_iso(true)}};
        else if constexpr (std::is_same_v<T, prisma::Decimal>) return json::value{{"$type", "Decimal"}, {"value", x.str()}};
        else if constexpr (std::is_same_v<T, prisma::Json>) return json::value{{"$type", "Json"}, {"value", x.text()}};
        else {
          std::string out(boost::beast::detail::base64::encoded_size(x.size()), '\0');
          out.resize(boost::beast::detail::base64::encode(out.data(), x.data(), x.size()));
          return json::value{{"$type", "Bytes"}, {"value", out}};
        }
      },
      v);
}

auto Engine::Impl::client_default(const ir::Model& m, const ir::Field& f) -> std::optional<Value> {
  if (f.kind == ir::FieldKind::Relation || f.kind == ir::FieldKind::Unsupported || f.is_ignored) return std::nullopt;
  // the executor's rule and generators (prisma/client/write_statements.hpp) over the same column
  // metadata: one filler of client-side defaults for the engine's writes, plain and nested
  auto mi = static_cast<std::size_t>(&m - schema.models.data());
  const write::Column& col = wschema->columns[mi][wschema->column(mi, f)];
  if (!write::detail::client_fills(col)) return std::nullopt;
  write::Value v = write::detail::generated(col, prisma::DateTime::now());
  if (const auto* text = std::get_if<std::string>(&v)) return *text;
  if (const auto* at = std::get_if<prisma::DateTime>(&v)) return *at;
  return std::nullopt;
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
