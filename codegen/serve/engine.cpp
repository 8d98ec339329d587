#include "serve/engine_impl.hpp"

namespace prisma_cpp::serve {

auto Engine::Impl::expired_error(const char* what, const Expired& e) -> json::value {
  auto passed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - e.started);
  return error_response("P2028", std::string("Transaction already closed: ") + what +
                                     " cannot be executed on an expired transaction. The timeout for this transaction was " +
                                     std::to_string(e.timeout.count()) + " ms, however " + std::to_string(passed.count()) +
                                     " ms passed since the start of the transaction. Consider increasing the interactive "
                                     "transaction timeout or doing less work in the transaction.",
                        {});
}

auto Engine::Impl::expired_tx(const std::string& id) -> std::optional<Expired> {
  auto it = expired_txs.find(id);
  if (it == expired_txs.end()) return std::nullopt;
  return it->second;
}

auto Engine::Impl::expire(const std::shared_ptr<Tx>& tx) -> void {
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

auto Engine::Impl::model(const std::string& name) -> const ir::Model* {
  for (const auto& m : schema.models)
    if (m.name == name) return m.is_ignored ? nullptr : &m;
  return nullptr;
}

auto Engine::Impl::not_found(const std::string& model, const std::string& what) -> void {
  throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. " + what,
                   json::object{{"modelName", model}, {"cause", what}});
}

auto Engine::Impl::items(const json::value& x) -> json::array { return x.is_array() ? x.as_array() : json::array{x}; }


auto Engine::Impl::run(Db& db, const json::object& query) -> json::value {
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

auto Engine::Impl::error_response(const std::string& code, const std::string& message, const json::object& meta) -> json::value {
  json::object ufe{{"is_panic", false}, {"message", message}, {"meta", meta}, {"error_code", code}};
  return json::object{{"errors", json::array{json::object{{"error", message}, {"user_facing_error", ufe}}}}};
}

auto Engine::Impl::one(Db& db, const json::object& query) -> json::value {
  std::string action = query.contains("action") && query.at("action").is_string() ? str(query.at("action")) : "";
  allow(action);
  std::string key = action + (query.contains("modelName") && query.at("modelName").is_string() ? str(query.at("modelName")) : "");
  return json::object{{"data", json::object{{key, run(db, query)}}}};
}

auto Engine::Impl::allow(const std::string& action) const -> void {
  if (!options.raw && (action == "queryRaw" || action == "executeRaw"))
    throw QueryError(kRawRefused, "Raw queries are not run here (`" + action + "`)");
  static const std::set<std::string> reads = {"findMany", "findFirst", "findFirstOrThrow", "findUnique",
                                              "findUniqueOrThrow", "aggregate", "groupBy"};
  if (options.read_only && !reads.count(action))
    throw QueryError(kReadOnly, "This Studio is read-only (--read-only): `" + action + "` was refused by the server.");
}

Engine::Engine(ir::Schema schema, const std::string& url, const std::string& base_dir, std::size_t connections,
               prisma::ClientOptions observe, EngineOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->schema = std::move(schema);
  impl_->wschema = std::make_unique<WriteSchema>(impl_->schema);
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
