// The generated Client's base for PostgreSQL schemas: parses Prisma's PostgreSQL URL, owns the
// connection pool every delegate leases from.
#pragma once
#include <cctype>
#include <charconv>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "prisma/client/client_base.hpp"
#include "prisma/driver/postgres.hpp"

namespace prisma {

namespace detail {

// Prisma's URL (`postgresql://u:p@h:5432/db?schema=s&connection_limit=5&pool_timeout=2`) split
// into what libpq accepts and the pool's settings. `schema` becomes the search_path.
struct PostgresUrl {
  std::string conninfo;
  driver::postgres::PoolOptions pool;
  std::string schema = "public";
  bool pgbouncer = false;  // `pgbouncer=true`: unnamed statements, no startup options for the default schema
};

inline std::string url_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

inline PostgresUrl parse_postgres_url(std::string_view url) {
  if (sql::dialect_of_url(url) != sql::Dialect::Postgresql)
    throw ConnectionError("P1013", "The database URL '" + std::string(url) +
                                       "' is not a PostgreSQL URL (postgresql://user:password@host:5432/db); this "
                                       "client was generated for the postgresql provider");
  PostgresUrl out;
  auto q = url.find('?');
  std::string base(url.substr(0, q));
  std::string keep;
  std::string_view rest = q == std::string_view::npos ? std::string_view() : url.substr(q + 1);
  auto number = [&](std::string_view key, std::string_view value) {
    double v = 0;
    auto r = std::from_chars(value.data(), value.data() + value.size(), v);
    if (r.ec != std::errc() || r.ptr != value.data() + value.size() || v < 0)
      throw ConnectionError("P1013", std::string(key) + " in the database URL must be a number, not '" +
                                         std::string(value) + "'");
    return v;
  };
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view kv = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    auto eq = kv.find('=');
    std::string_view key = kv.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : kv.substr(eq + 1);
    if (key == "schema") {
      out.schema = std::string(value);
    } else if (key == "connection_limit") {
      out.pool.size = static_cast<std::size_t>(number(key, value));
      if (out.pool.size == 0) throw ConnectionError("P1013", "connection_limit in the database URL must be at least 1");
    } else if (key == "pool_timeout") {
      out.pool.timeout = std::chrono::milliseconds(static_cast<long long>(number(key, value) * 1000));
    } else if (key == "pgbouncer") {
      if (value != "true" && value != "false")
        throw ConnectionError("P1013", "pgbouncer in the database URL takes true or false, not '" + std::string(value) + "'");
      out.pgbouncer = value == "true";
    } else if (key == "socket_timeout" || key == "statement_cache_size" ||
               key == "sslidentity" || key == "sslpassword" || key == "sslaccept") {
      // Prisma-only parameters without a libpq equivalent here.
    } else if (!key.empty()) {
      keep += (keep.empty() ? "" : "&") + std::string(kv);
    }
  }
  // the schema as the search_path, through the startup options; PgBouncer refuses startup options
  // unless told to ignore them, so with pgbouncer=true the default schema sends none
  if (!out.pgbouncer || out.schema != "public")
    keep += (keep.empty() ? "" : "&") + std::string("options=") + url_encode("-c search_path=\"" + out.schema + "\"");
  out.conninfo = keep.empty() ? base : base + "?" + keep;
  return out;
}

}  // namespace detail

template <class Schema>
class ClientBase<Schema, meta::Provider::Postgresql> {
 public:
  // What the delegates run on.
  using source_type = driver::postgres::Source;
  // Runs the schema's DDL: creates every type, table, index and foreign key in an empty schema.
  void push_schema() {
    auto lease = pool_->acquire();
    lease->exec(std::string(Schema::ddl_postgresql));
  }

  const std::string& url() const { return url_; }
  driver::postgres::Pool& pool() { return *pool_; }
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
    auto parsed = detail::parse_postgres_url(url_);
    const TransactionOptions tx_defaults = options.transaction_options;
    pool_ = std::make_unique<driver::postgres::Pool>(parsed.conninfo, parsed.pool, options.on_connect, parsed.pgbouncer);
    std::vector<std::unique_ptr<driver::postgres::Pool>> replica_pools;
    for (const auto& r : options.replicas) {
      auto rp = detail::parse_postgres_url(r);
      replica_pools.push_back(std::make_unique<driver::postgres::Pool>(rp.conninfo, rp.pool, options.on_connect, rp.pgbouncer));
    }
    if (detail::Instrumentation::needed(options)) {
      instr_ = std::make_unique<detail::Instrumentation>(std::move(options));
      instr_->set_db_system("postgresql");
      pool_->set_hook(instr_.get());
      for (auto& rp : replica_pools) rp->set_hook(instr_.get());
    }
    pool_->acquire();  // fail now (P1001) rather than at the first query; replicas are tried at their first read
    if (!replica_pools.empty()) replicas_ = std::make_unique<driver::postgres::Replicas>(std::move(replica_pools));
    src_ = std::make_unique<source_type>(source_type{pool_.get(), replicas_.get(), tx_defaults});
    primary_src_ = std::make_unique<source_type>(source_type{pool_.get(), nullptr, tx_defaults});
  }
  source_type* source() { return src_.get(); }
  // Every read on the primary (`db.primary()`).
  source_type* primary_source() { return primary_src_.get(); }

 public:
  // The read replicas (nullptr without ClientOptions::replicas).
  driver::postgres::Replicas* replicas() { return replicas_.get(); }

 private:
  std::string url_;
  std::unique_ptr<detail::Instrumentation> instr_;
  std::unique_ptr<driver::postgres::Pool> pool_;
  std::unique_ptr<driver::postgres::Replicas> replicas_;
  std::unique_ptr<source_type> src_, primary_src_;
};

}  // namespace prisma
