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
      db.exec(std::string(prisma::sql::ping));
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
    auto in_time = [](auto&& acquire) {  // maxWait: P2028 in Prisma's words, not the pool's P2024
      try {
        return acquire();
      } catch (const prisma::ConnectionError& e) {
        if (e.code() != "P2024") throw;
        throw QueryError("P2028", "Transaction API error: Unable to start a transaction in the given time.");
      }
    };
    if (impl_->sqlite) {
      tx->llease.emplace(in_time([&] { return impl_->lpool->acquire(max_wait); }));
      tx->latomic = std::make_unique<prisma::driver::sqlite::Atomic>(**tx->llease, begin);
    } else {
      tx->please.emplace(in_time([&] { return impl_->ppool->acquire(max_wait); }));
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
  } catch (const prisma::RelationViolation& e) {
    json::object meta;
    if (!e.relation().empty()) {  // Prisma's meta: the operation's model, the relation, its two models
      const auto* m = request.is_object() ? request.as_object().if_contains("modelName") : nullptr;
      if (m && m->is_string()) meta["modelName"] = *m;
      meta["relation"] = e.relation();
      meta["modelA"] = e.model_a();
      meta["modelB"] = e.model_b();
    }
    return Impl::error_response("P2014", e.message(), meta);
  } catch (const prisma::Error& e) {
    return Impl::error_response(e.code().empty() ? "P2010" : e.code(), e.what(), {});
  } catch (const std::exception& e) {
    return Impl::error_response("P2009", std::string("Failed to validate the query: ") + e.what(), {});
  }
}

}  // namespace prisma_cpp::serve
