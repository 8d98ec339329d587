// The model actions of the JSON protocol: run() parses a query into a Call and hands it to the
// action's function (reads, aggregates, the single-row writes, upsert, createMany, deletes). The
// statements come from the runtime's shapes (prisma/sql/statements.hpp), as the typed client's do.
#include "serve/engine_impl.hpp"

#include <prisma/sql/statements.hpp>

namespace prisma_cpp::serve {

namespace {
namespace sql = prisma::sql;

// A part of a statement the engine built as text.
sql::Piece piece(const std::string& s) { return sql::Piece{s}; }

json::value p2025(const std::string& model, const std::string& cause) {
  throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. " + cause,
                   json::object{{"modelName", model}, {"cause", cause}});
}
}  // namespace

auto Engine::Impl::where_of(Call& c) -> std::string {
  return c.args.contains("where") ? where_sql(c.M, c.args.at("where"), c.sql, c.path + ".where") : std::string();
}

auto Engine::Impl::limited_where(Call& c, std::string where) -> std::string {
  const json::value* l = c.args.if_contains("limit");
  if (!l || l->is_null()) return where;
  if (!l->is_int64() || l->as_int64() < 0) invalid("`limit` takes an Int >= 0 at `" + c.path + ".limit`");
  std::string keys;
  auto uniques = unique_keys(*c.M.m);  // kept: a range-for over a temporary's member dangles
  for (const auto* f : uniques.at(0).fields) keys += (keys.empty() ? "" : ", ") + quoted_ident(f->db_name);
  c.sql.params.emplace_back(l->as_int64());
  std::string out;
  sql::StringSink s{out};
  sql::limited(s, c.sql.dialect(), piece(keys), piece(table_sql(*c.M.m)), !where.empty(), piece(where), c.sql.params.size());
  return out;
}

auto Engine::Impl::fields_of(Call& c) -> std::vector<const ir::Field*> {
  return selected(c.M, c.selection, c.path + ".selection", &c.hidden, c.args.if_contains("omit"));
}

auto Engine::Impl::finish(Call& c, json::array rows) -> json::array {
  attach(c.db, c.M, rows, c.selection, c.hidden, c.path + ".selection");
  return rows;
}

auto Engine::Impl::finish_one(Call& c, json::value row) -> json::value {
  if (row.is_null()) return row;
  return finish(c, json::array{row}).at(0);
}

auto Engine::Impl::run(Db& db, const json::object& query) -> json::value {
  if (auto* a = query.if_contains("action"); a && a->is_string() && (a->as_string() == "queryRaw" || a->as_string() == "executeRaw"))
    return raw(db, str(*a), query);
  if (!query.contains("modelName") || !query.contains("action"))
    invalid("a query needs `modelName` and `action`");
  std::string model_name = str(query.at("modelName"));
  const ir::Model* m = model(model_name);
  if (!m) invalid("Unknown model `" + model_name + "`");
  json::object q = query.contains("query") && query.at("query").is_object() ? query.at("query").as_object() : json::object{};
  std::string action = str(query.at("action"));
  Call c{db,
         Model{m, &schema},
         model_name,
         action,
         "Query." + action + model_name,
         q.contains("arguments") && q.at("arguments").is_object() ? q.at("arguments").as_object() : json::object{},
         q.contains("selection") ? q.at("selection") : json::value(json::object{{"$scalars", true}}),
         Sql{db.sqlite, "", {}},
         {}};
  for (const auto& [key, v] : c.args) {
    static const std::set<std::string> known = {"where", "orderBy", "take", "skip", "data", "cursor", "distinct",
                                                "create", "update", "skipDuplicates", "by", "having", "omit",
                                                "limit", "\x1fskipDuplicates"};
    if (!known.count(std::string(key))) invalid("Unknown argument `" + std::string(key) + "` at `" + c.path + "`");
  }
  if (c.args.contains("limit") && action != "updateMany" && action != "updateManyAndReturn" && action != "deleteMany")
    invalid("Unknown argument `limit` at `" + c.path + "` (updateMany, updateManyAndReturn and deleteMany take it)");
  if (action == "findMany" || action == "findFirst" || action == "findFirstOrThrow" || action == "findUnique" ||
      action == "findUniqueOrThrow")
    return find_rows(c);
  if (action == "aggregate" || action == "groupBy") return aggregate_rows(c);
  if (action == "updateOne" || action == "deleteOne" || action == "upsertOne") require_unique(c.M, c.args, c.path);
  if (action == "createOne" || action == "updateOne" || action == "updateMany" || action == "updateManyAndReturn")
    return write_row(c);
  if (action == "upsertOne") return upsert(c);
  if (action == "createMany" || action == "createManyAndReturn") return create_many(c);
  if (action == "deleteOne" || action == "deleteMany") return delete_rows(c);
  invalid("the action `" + action + "` is not served by prisma-cpp's engine yet");
}

auto Engine::Impl::find_rows(Call& c) -> json::value {
  const auto& args = c.args;
  bool many = c.action == "findMany";
  if (c.action.rfind("findUnique", 0) == 0) {
    for (const char* k : {"orderBy", "take", "skip", "cursor", "distinct"})
      if (args.contains(k)) invalid(std::string("Unknown argument `") + k + "` at `" + c.path + "` (findUnique takes where)");
    require_unique(c.M, args, c.path);
  }
  std::vector<const ir::Field*> distinct;
  if (auto* d = args.if_contains("distinct")) {
    json::array names = d->is_array() ? d->as_array() : json::array{*d};
    for (const auto& n : names) {
      if (!n.is_string()) invalid("`distinct` takes field names at `" + c.path + ".distinct`");
      distinct.push_back(&c.M.scalar(str(n), c.path + ".distinct"));
    }
  }
  auto fs = fields_of(c);
  for (const auto* f : distinct)
    if (std::find(fs.begin(), fs.end(), f) == fs.end()) {
      fs.push_back(f);
      c.hidden.insert(f->name);
    }
  Paging pg = paging(args, c.path, many);
  if (!distinct.empty()) pg.sql_paging = false;
  c.sql.text = select_sql(c.sql, c.M, args, columns(fs), c.path, pg);
  auto rows = c.db.rows(schema, c.sql, fs);
  if (pg.reversed) std::reverse(rows.begin(), rows.end());
  if (!distinct.empty()) {
    json::array firsts;
    std::set<std::string> seen;
    for (auto& r : rows)
      if (seen.insert(row_key_nulls(r.as_object(), distinct)).second) firsts.push_back(std::move(r));
    rows = page(std::move(firsts), pg.skip, pg.take, pg.has_take);
  }
  rows = finish(c, std::move(rows));
  if (many) return rows;
  if (rows.empty()) {
    if (c.action.find("OrThrow") != std::string::npos)
      throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. No record was found for a query.",
                       json::object{{"modelName", c.model_name}});
    return nullptr;
  }
  return rows[0];
}

auto Engine::Impl::aggregate_rows(Call& c) -> json::value {
  const auto& args = c.args;
  const auto& path = c.path;
  if (!c.selection.is_object()) invalid("`" + c.action + "` needs a selection at `" + path + "`");
  bool group = c.action == "groupBy";
  std::vector<const ir::Field*> by;
  auto aggs = aggregates_of(c.M, c.selection.as_object(), path + ".selection", group ? &by : nullptr);
  if (group) {
    if (!args.contains("by") || !args.at("by").is_array()) invalid("groupBy needs `by`, a list of fields, at `" + path + "`");
    for (const auto& b : args.at("by").as_array()) {
      if (!b.is_string()) invalid("`by` takes field names at `" + path + ".by`");
      const ir::Field& f = c.M.scalar(str(b), path + ".by");
      if (std::find(by.begin(), by.end(), &f) == by.end()) by.push_back(&f);
    }
    if (by.empty()) invalid("groupBy needs at least one field in `by` at `" + path + "`");
  } else {
    for (const char* k : {"by", "having"})
      if (args.contains(k)) invalid(std::string("Unknown argument `") + k + "` at `" + path + "` (aggregate)");
  }
  std::string by_list, cols;
  for (const auto* f : by) by_list += (by_list.empty() ? "" : ", ") + quoted_ident(f->db_name);
  cols = by_list;
  for (const auto& a : aggs) cols += (cols.empty() ? "" : ", ") + aggregate_sql(a);
  if (cols.empty()) invalid("the selection at `" + path + "` asks for nothing");
  std::string table = table_sql(*c.M.m);
  sql::StringSink s{c.sql.text};
  if (group) {
    std::string where = where_of(c);
    std::string having, order;
    if (auto* h = args.if_contains("having")) having = having_sql(c.M, *h, c.sql, path + ".having");
    if (args.contains("orderBy")) order = group_order(c.M, args.at("orderBy"), path + ".orderBy", by, c.db.sqlite);
    Paging pg = paging(args, path, true);
    if (args.contains("cursor")) invalid("`cursor` is not an argument of groupBy at `" + path + "`");
    if (pg.has_take && pg.take < 0) invalid("groupBy takes a `take` >= 0 at `" + path + "`");
    std::size_t p = c.sql.params.size() + 1;
    if (pg.has_take) c.sql.params.emplace_back(pg.take);
    if (pg.skip > 0) c.sql.params.emplace_back(pg.skip);
    sql::group_by(s, c.sql.dialect(), {!where.empty(), !having.empty(), !order.empty(), pg.has_take, pg.skip > 0},
                  piece(cols), piece(table), piece(where), piece(by_list), piece(having), piece(order), p);
  } else if (args.contains("take") || args.contains("skip") || args.contains("cursor") || args.contains("orderBy")) {
    // over the page of rows the arguments describe, as Prisma's aggregate
    Paging pg = paging(args, path, true);
    std::string page = select_sql(c.sql, c.M, args, "*", path, pg);
    sql::select_over(s, piece(cols), piece(page));
  } else {
    std::string where = where_of(c);
    std::size_t p = 0;
    sql::select(s, c.sql.dialect(), {.where = !where.empty()}, piece(cols), piece(table), piece(where), sql::None{}, p);
  }
  json::array out = c.db.with_cursor(c.sql, [&](auto& cur, auto) {
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

auto Engine::Impl::assignments_of(Call& c, bool create) -> std::vector<Assignment> {
  const auto& data = c.args.at("data").as_object();
  std::vector<Assignment> sets;
  std::set<std::string> given;
  for (const auto& [key, v] : data) {
    std::string k(key);
    std::string p = c.path + ".data." + k;
    const ir::Field& f = c.M.scalar(k, p, true);
    given.insert(f.name);
    if (f.list && v.is_object()) {  // {set: [...]} (create and update), {push: x | [...]} (update)
      const auto& op = v.as_object();
      if (op.size() != 1) invalid("one operation per list field at `" + p + "`");
      std::string name(op.begin()->key());
      const json::value& arg = op.begin()->value();
      if (name == "set") {
        sets.push_back({&f, sql::Assign::Set, c.sql.param(to_value(schema, f, arg, p + ".set"))});
      } else if (name == "push" && !create) {
        json::value items = arg.is_array() ? arg : json::value(json::array{arg});
        sets.push_back({&f, sql::Assign::Push, c.sql.param(to_value(schema, f, items, p + ".push"))});
      } else {
        invalid("Unknown list operation `" + name + "` at `" + p + "` (set" + (create ? ")" : ", push)"));
      }
      continue;
    }
    if (!create && v.is_object() && !v.as_object().contains("$type")) {
      const auto& op = v.as_object();
      if (op.size() != 1) invalid("one update operation per field at `" + p + "`");
      static const std::map<std::string, sql::Assign> ops = {{"set", sql::Assign::Set},
                                                             {"increment", sql::Assign::Add},
                                                             {"decrement", sql::Assign::Subtract},
                                                             {"multiply", sql::Assign::Multiply},
                                                             {"divide", sql::Assign::Divide}};
      std::string name(op.begin()->key());
      auto it = ops.find(name);
      if (it == ops.end()) invalid("Unknown update operation `" + name + "` at `" + p + "`");
      sets.push_back({&f, it->second, c.sql.param(to_value(schema, f, op.begin()->value(), p))});
      continue;
    }
    sets.push_back({&f, sql::Assign::Set, c.sql.param(to_value(schema, f, v, p))});
  }
  for (const auto& f : c.M.m->fields) {
    if (f.kind == ir::FieldKind::Relation || given.count(f.name)) continue;
    // a required field without a default, left out: refused before the database sees it, as
    // Prisma's engine refuses it (P2012; Prisma Client Python's MissingRequiredValueError)
    if (create && !f.optional && !f.list && !f.default_value && !f.is_updated_at && !f.is_ignored &&
        f.kind != ir::FieldKind::Unsupported)
      throw QueryError("P2012", "Missing a required value at `" + c.path + ".data." + f.name +
                                    "`: A value is required but not set",
                       json::object{{"path", c.path + ".data." + f.name}});
    if (create) {
      if (auto d = client_default(*c.M.m, f)) sets.push_back({&f, sql::Assign::Set, c.sql.param(*d)});
    } else if (f.is_updated_at) {
      sets.push_back({&f, sql::Assign::Set, c.sql.param(prisma::DateTime::now())});
    }
  }
  return sets;
}

auto Engine::Impl::write_row(Call& c) -> json::value {
  const auto& args = c.args;
  bool create = c.action == "createOne";
  if ((create || c.action == "updateOne") && args.contains("data") && args.at("data").is_object()) {
    bool nested = false;
    for (const auto& [key, v] : args.at("data").as_object()) {
      const ir::Field* f = c.M.field(std::string(key));
      nested = nested || (f && f->kind == ir::FieldKind::Relation);
    }
    // relationMode = "prisma": an update of a column other rows point at goes through the
    // executor too, which carries out the relations' actions
    if (nested || (!create && acts(c.M) && touches_referenced(c.M, args.at("data"))))
      return nested_write(c.db, c.M, args.at("data").as_object(), c.selection, c.path,
                          c.action == "updateOne" ? &args.at("where") : nullptr);
  }
  if ((c.action == "updateMany" || c.action == "updateManyAndReturn") && acts(c.M) && args.contains("data") &&
      touches_referenced(c.M, args.at("data")))
    return acted_update_many(c);
  if (!args.contains("data") || !args.at("data").is_object()) invalid("`data` is required at `" + c.path + "`");
  auto sets = assignments_of(c, create);
  sql::Table table = table_of(*c.M.m);
  sql::StringSink s{c.sql.text};
  auto d = c.sql.dialect();
  if (create) {
    auto fs = fields_of(c);
    std::string returning = columns(fs);
    // createMany's skipDuplicates: a row that conflicts with a unique is left out (as the typed client)
    sql::insert(
        s, d, table, sets.size(), [&](auto& o, std::size_t i) { sql::quote_ident(o, sets[i].field->db_name); }, 1,
        [&](auto& o, std::size_t, std::size_t i) { o.append(sets[i].value); },
        {args.contains("\x1fskipDuplicates"), returning});
    auto made = c.db.rows(schema, c.sql, fs);
    if (made.empty()) return nullptr;  // skipped
    return finish_one(c, made.at(0));
  }
  if (sets.empty()) invalid("`data` sets no field at `" + c.path + "`");
  auto assign = [&](auto& o) {
    for (std::size_t i = 0; i < sets.size(); ++i) {
      if (i) o.append(", ");
      sql::assignment(o, sets[i].field->db_name, sets[i].op, piece(sets[i].value));
    }
  };
  std::string where = limited_where(c, where_of(c));
  if (c.action == "updateMany") {
    sql::update(s, d, table, assign, !where.empty(), piece(where));
    return json::object{{"count", c.db.count(c.sql)}};
  }
  if (c.action == "updateManyAndReturn") {  // every updated row, as selected (relations loaded after)
    auto fs = fields_of(c);
    std::string returning = columns(fs);
    sql::update(s, d, table, assign, !where.empty(), piece(where), {.returning = returning});
    return finish(c, c.db.rows(schema, c.sql, fs));
  }
  auto fs = fields_of(c);
  std::string returning = columns(fs);
  sql::update(s, d, table, assign, !where.empty(), piece(where), {.returning = returning});
  auto rows = c.db.rows(schema, c.sql, fs);
  if (rows.empty()) p2025(c.model_name, "Record to update not found.");
  return finish_one(c, rows[0]);
}

auto Engine::Impl::upsert(Call& c) -> json::value {
  // in one transaction (a savepoint inside another): update the row the unique `where` names,
  // else create it
  for (const char* k : {"where", "create", "update"})
    if (!c.args.contains(k)) invalid(std::string("`") + k + "` is required at `" + c.path + "`");
  auto body = [&]() -> json::value {
    json::value found = sub(c.db, c.model_name, "findFirst", json::object{{"where", c.args.at("where")}}, c.selection);
    if (!found.is_null())
      return sub(c.db, c.model_name, "updateOne", json::object{{"where", c.args.at("where")}, {"data", c.args.at("update")}},
                 c.selection);
    return sub(c.db, c.model_name, "createOne", json::object{{"data", c.args.at("create")}}, c.selection);
  };
  return c.db.atomic(body);
}

auto Engine::Impl::create_many(Call& c) -> json::value {
  if (!c.args.contains("data")) invalid("`data` is required at `" + c.path + "`");
  json::array rows = items(c.args.at("data"));
  bool skip = false;
  if (auto* sd = c.args.if_contains("skipDuplicates"); sd && sd->is_bool()) skip = sd->as_bool();
  auto body = [&]() -> json::value {
    json::array made;
    std::int64_t n = 0;
    for (const auto& row : rows) {
      json::object a{{"data", row}};
      if (skip) a["\x1fskipDuplicates"] = true;
      json::value one = sub(c.db, c.model_name, "createOne", std::move(a), c.selection);
      if (one.is_null()) continue;
      made.push_back(std::move(one));
      ++n;
    }
    if (c.action == "createMany") return json::object{{"count", n}};
    return made;
  };
  return c.db.atomic(body);
}

auto Engine::Impl::delete_rows(Call& c) -> json::value {
  if (acts(c.M)) return acted_delete(c);  // relationMode = "prisma": the relations' actions too
  sql::Table table = table_of(*c.M.m);
  sql::StringSink s{c.sql.text};
  std::string where = limited_where(c, where_of(c));
  if (c.action == "deleteMany") {
    sql::delete_from(s, c.sql.dialect(), table, !where.empty(), piece(where));
    return json::object{{"count", c.db.count(c.sql)}};
  }
  auto fs = fields_of(c);
  std::string returning = columns(fs);
  sql::delete_from(s, c.sql.dialect(), table, !where.empty(), piece(where), {.returning = returning});
  auto rows = c.db.rows(schema, c.sql, fs);
  if (rows.empty()) p2025(c.model_name, "Record to delete does not exist.");
  return finish_one(c, rows[0]);
}

}  // namespace prisma_cpp::serve
