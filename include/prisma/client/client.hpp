// The generated Client's base for SQLite schemas (the generated client.hpp of a sqlite schema
// includes it; PostgreSQL builds never see sqlite3.h): opens the database named by a Prisma URL and
// owns the connection every delegate uses (client_postgres.hpp: PostgreSQL and its pool).
#pragma once
#include <charconv>
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

}  // namespace detail

template <class Schema>
class ClientBase<Schema, meta::Provider::Sqlite> {
 public:
  // What the delegates run on.
  using source_type = driver::sqlite::Source;
  // Runs the schema's DDL: creates every table, index and foreign key in an empty database.
  void push_schema() { conn_->exec(std::string(Schema::ddl_sqlite)); }

  // The URL this client opened, after the defaults were applied.
  const std::string& url() const { return url_; }
  driver::sqlite::Connection& native_connection() { return *conn_; }
  // How many SQL statements this client has run (includes count one per level).
  std::uint64_t statements_run() const { return conn_->statements_run(); }

  // Prisma's metrics (ClientOptions{.metrics = true}): counters, gauges and the query duration
  // histogram; `.json()`, `.prometheus()`.
  MetricsSnapshot metrics() const {
    if (!instr_ || !instr_->metrics_on())
      throw ValidationError("metrics are off: open the client with prisma::ClientOptions{.metrics = true}");
    return instr_->snapshot(PoolStats{1, 1, 0, 1, 0, 0});
  }

 protected:
  explicit ClientBase(std::string_view url, ClientOptions options = {}) : url_(detail::choose_url<Schema>(url)) {
    if (url_.rfind("file:", 0) != 0 && url_.rfind("sqlite:", 0) != 0 && url_ != ":memory:")
      throw ConnectionError("P1013", "The database URL '" + url_ +
                                         "' is not a SQLite URL (file:./dev.db); this client "
                                         "was generated for the sqlite provider");
    conn_ = std::make_unique<driver::sqlite::Connection>(
        driver::sqlite::Connection::open(detail::sqlite_path(url_, Schema::schema_dir), sqlite_options(url_)));
    src_ = std::make_unique<source_type>(source_type{conn_.get()});
    if (detail::Instrumentation::needed(options)) {
      instr_ = std::make_unique<detail::Instrumentation>(std::move(options));
      conn_->set_hook(instr_.get());
      instr_->info("Opened the SQLite database " + detail::sqlite_path(url_, Schema::schema_dir));
    }
  }
  // What the generated Client's delegates run on (heap-held: a moved Client keeps it).
  source_type* source() { return src_.get(); }

 private:

  // `?socket_timeout=<seconds>` (Prisma's SQLite URL parameter) sets how long a statement waits
  // for another connection's lock before failing with SQLITE_BUSY (default 5 s).
  static driver::sqlite::Options sqlite_options(std::string_view url) {
    driver::sqlite::Options opt;
    auto q = url.find('?');
    if (q == std::string_view::npos) return opt;
    std::string_view rest = url.substr(q + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      std::string_view kv = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      auto eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view key = kv.substr(0, eq), value = kv.substr(eq + 1);
      if (key == "socket_timeout") {
        double seconds = 0;
        auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (r.ec != std::errc() || r.ptr != value.data() + value.size() || seconds < 0)
          throw ConnectionError("P1013", "socket_timeout in the database URL must be a number of seconds, not '" +
                                             std::string(value) + "'");
        opt.busy_timeout_ms = static_cast<int>(seconds * 1000);
      }
    }
    return opt;
  }

  std::string url_;
  std::unique_ptr<detail::Instrumentation> instr_;
  std::unique_ptr<driver::sqlite::Connection> conn_;
  std::unique_ptr<source_type> src_;
};

}  // namespace prisma
