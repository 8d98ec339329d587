// The query engine at run time: a schema loaded by the codegen's own parser, queries given as data
// in Prisma's JSON protocol (the one the binary query engine spoke), executed through the runtime's
// drivers with every value bound and every identifier taken from the schema.
//
// Every action of the typed client (find*, create*, update*, upsertOne, delete*, aggregate,
// groupBy, queryRaw/executeRaw), filters (scalar, relation, compound uniques), orderBy (nulls,
// relation count/field), cursor, negative take, distinct, select/omit, relations in the selection
// (1:n, to-one, m:n, compound keys, nested) and `_count`, nested writes in createOne/updateOne.
// Requests run on a pool of connections (the runtime's driver pools; SQLite's WAL readers side by
// side, writers in turn); interactive transactions hold one connection until commit, rollback or
// their timeout.
#pragma once
#include <boost/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <prisma/core/observe.hpp>

#include "schema/ir.hpp"

namespace prisma_cpp::serve {

// What an engine allows, checked on every query, batch items included (Studio: no raw SQL; a
// read-only Studio: reads only), and its limits on interactive transactions.
struct EngineOptions {
  bool raw = true;        // queryRaw / executeRaw
  bool read_only = false; // reads only (find*, aggregate, groupBy)
  // Transactions: Prisma's defaults (timeout 5 s, maxWait 2 s); a request above a maximum is refused
  // (P2028), so no client holds a connection, or SQLite's write lock, for longer.
  std::chrono::milliseconds max_transaction_timeout{60'000};
  std::chrono::milliseconds max_transaction_wait{10'000};
};

// The error codes of a query EngineOptions refuses (not Prisma's: Prisma has no such options).
inline constexpr const char* kReadOnly = "READ_ONLY";
inline constexpr const char* kRawRefused = "RAW_REFUSED";

class Engine {
 public:
  // `url`: file:/sqlite: or postgresql:// (relative file: paths against `base_dir`); a pool of
  // `connections` (0: the URL's connection_limit, else Prisma's default).
  // `observe`: the runtime's query events (log levels, on_log, slow_query); metrics are always on.
  Engine(ir::Schema schema, const std::string& url, const std::string& base_dir, std::size_t connections = 0,
         prisma::ClientOptions observe = {}, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // One request of the protocol: a query `{"modelName", "action", "query"}` or a batch
  // `{"batch": [...], "transaction": {...}}`. Returns `{"data": ...}` or `{"errors": [...]}`.
  // With `tx_id`: on that interactive transaction's connection.
  boost::json::value execute(const boost::json::value& request, const std::string& tx_id = {});
  // Interactive transactions: {"timeout": ms, "maxWait"/"max_wait": ms} -> {"id": ...} (an id from
  // OpenSSL's CSPRNG); an error after `timeout` (rolled back by sweep() or the next request).
  boost::json::value start_transaction(const boost::json::object& options = {});
  boost::json::value end_transaction(const std::string& id, bool commit);
  // Rolls back the transactions past their timeout (the server calls it as it goes); one busy with a
  // query is left to that query's end (never waited for here).
  void sweep();
  // Prisma's metrics (queries, durations, the pool) as Prometheus text.
  std::string metrics_prometheus();
  // Prisma's metrics as JSON ({"counters", "gauges", "histograms"}), each with `labels`.
  boost::json::value metrics_json(const boost::json::object& labels = {});
  // The schema it serves.
  const ir::Schema& schema() const;
  // SELECT 1 on the database: for /health/status.
  bool reachable();

 private:
  boost::json::value execute_one(const boost::json::value& request, const std::string& tx_id,
                                 std::optional<std::size_t>& failed_at);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace prisma_cpp::serve
