// The generated Client's base for SQLite schemas (the generated client.hpp of a sqlite schema
// includes it; PostgreSQL builds never see sqlite3.h): opens the database named by a Prisma URL and
// owns the pool of connections the delegates lease from, one operation at a time (a Client is
// shared by threads; client_postgres.hpp: PostgreSQL and its pool).
#pragma once
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "prisma/client/client_base.hpp"
#include "prisma/driver/sqlite.hpp"

namespace prisma {

namespace detail {

// `file:./dev.db`, `file:/abs.db`, `file::memory:`, `:memory:`, `sqlite:dev.db`: the path for
// sqlite3_open. Relative paths are relative to `schema_dir` as Prisma 6 resolved them (or to the
// working directory when the header was generated with --portable).
inline std::string sqlite_path(std::string_view url, std::string_view schema_dir) {
  std::string_view p = url;
  for (std::string_view prefix : {"file:", "sqlite:"})
    if (p.substr(0, prefix.size()) == prefix) p.remove_prefix(prefix.size());
  if (auto q = p.find('?'); q != std::string_view::npos) p = p.substr(0, q);
  if (p == ":memory:" || p.empty()) return ":memory:";
  std::filesystem::path path{std::string(p)};
  if (path.is_relative() && !schema_dir.empty()) path = std::filesystem::path(schema_dir) / path;
  return path.lexically_normal().string();
}

// What a SQLite URL's parameters set: `socket_timeout` (seconds a writer waits for the write
// lock, default 5), `connection_limit` (default num_cpus * 2 + 1; an in-memory database has one)
// and `pool_timeout` (seconds a caller waits for a free connection, default 10; 0: no wait).
struct SqliteUrlOptions {
  driver::sqlite::Options connection;
  driver::PoolOptions pool;
};

inline SqliteUrlOptions sqlite_url_options(std::string_view url) {
  SqliteUrlOptions out;
  auto q = url.find('?');
  if (q == std::string_view::npos) return out;
  auto seconds = [](std::string_view key, std::string_view value) {
    double v = 0;
    auto r = std::from_chars(value.data(), value.data() + value.size(), v);
    if (r.ec != std::errc() || r.ptr != value.data() + value.size() || v < 0)
      throw ConnectionError("P1013", std::string(key) + " in the database URL must be a number of seconds, not '" +
                                         std::string(value) + "'");
    return std::chrono::milliseconds(static_cast<long long>(v * 1000));
  };
  std::string_view rest = url.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view kv = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = kv.substr(0, eq), value = kv.substr(eq + 1);
    if (key == "socket_timeout") {
      out.connection.busy_timeout_ms = static_cast<int>(seconds(key, value).count());
    } else if (key == "pool_timeout") {
      out.pool.timeout = seconds(key, value);
    } else if (key == "connection_limit") {
      std::size_t n = 0;
      auto r = std::from_chars(value.data(), value.data() + value.size(), n);
      if (r.ec != std::errc() || r.ptr != value.data() + value.size() || n == 0)
        throw ConnectionError("P1013", "connection_limit in the database URL must be a number of at least 1, not '" +
                                           std::string(value) + "'");
      out.pool.size = n;
    }
  }
  return out;
}

}  // namespace detail

template <class Schema>
class ClientBase<Schema, meta::Provider::Sqlite> {
 public:
  // What the delegates run on.
  using source_type = driver::sqlite::Source;
  // Runs the schema's DDL: creates every table, index and foreign key in an empty database.
  void push_schema() {
    auto lease = pool_->acquire();
    driver::sqlite::WriteTurn turn(*lease);
    lease->exec(std::string(Schema::ddl_sqlite));
  }

  // The URL this client opened, after the defaults were applied.
  const std::string& url() const { return url_; }
  // The client's connections: `db.pool().acquire()` leases one (`->exec(sql)`, `->cursor(sql)`,
  // `->native()` for sqlite3*) until the lease ends.
  driver::sqlite::Pool& pool() { return *pool_; }
  // How many SQL statements this client has run (includes count one per level).
  std::uint64_t statements_run() const { return pool_->statements_run(); }

  // Prisma's metrics (ClientOptions{.metrics = true}): counters, gauges (the pool's among them)
  // and the query duration histogram; `.json()`, `.prometheus()`.
  MetricsSnapshot metrics() const {
    if (!instr_ || !instr_->metrics_on())
      throw ValidationError("metrics are off: open the client with prisma::ClientOptions{.metrics = true}");
    return instr_->snapshot(pool_->stats());
  }

 protected:
  explicit ClientBase(std::string_view url, ClientOptions options = {}) : url_(detail::choose_url<Schema>(url)) {
    if (url_.rfind("file:", 0) != 0 && url_.rfind("sqlite:", 0) != 0 && url_ != ":memory:")
      throw ConnectionError("P1013", "The database URL '" + url_ +
                                         "' is not a SQLite URL (file:./dev.db); this client "
                                         "was generated for the sqlite provider");
    if (!options.replicas.empty())
      throw ValidationError("read replicas (ClientOptions::replicas) are for PostgreSQL; SQLite has one database file");
    auto path = detail::sqlite_path(url_, Schema::schema_dir);
    auto parsed = detail::sqlite_url_options(url_);
    const TransactionOptions tx_defaults = options.transaction_options;
    pool_ = std::make_unique<driver::sqlite::Pool>(path, parsed.connection, parsed.pool, options.on_connect);
    if (detail::Instrumentation::needed(options)) {
      instr_ = std::make_unique<detail::Instrumentation>(std::move(options));
      pool_->set_hook(instr_.get());
      instr_->info("Opened the SQLite database " + path + " (connection limit " + std::to_string(pool_->size()) + ")");
    }
    pool_->acquire();  // fail now (P1003) rather than at the first query
    src_ = std::make_unique<source_type>(source_type{pool_.get(), tx_defaults});
  }
  // What the generated Client's delegates run on (heap-held: a moved Client keeps it).
  source_type* source() { return src_.get(); }
  // `db.primary()`: SQLite has no replicas, so the same source.
  source_type* primary_source() { return src_.get(); }

 private:
  std::string url_;
  std::unique_ptr<detail::Instrumentation> instr_;
  std::unique_ptr<driver::sqlite::Pool> pool_;
  std::unique_ptr<source_type> src_;
};

}  // namespace prisma
