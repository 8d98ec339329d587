// Migrations on PostgreSQL (migrate/core.hpp): the `_prisma_migrations` table exactly as Prisma's
// schema engine creates it, in the URL's `schema`; `pg_advisory_lock(72707369)` (Prisma's key)
// held for the whole deploy, so two deploys racing apply nothing twice. Each script runs as one
// simple-protocol query, as Prisma sends it: PostgreSQL runs it as one implicit transaction unless
// it holds its own BEGIN/COMMIT.
#pragma once
#include <string>
#include <vector>

#include "prisma/client/client_postgres.hpp"
#include "prisma/driver/postgres.hpp"
#include "prisma/migrate/core.hpp"

namespace prisma::migrate::postgres {

inline constexpr const char* kMigrationsTable =
    "CREATE TABLE IF NOT EXISTS \"_prisma_migrations\" (\n"
    "    \"id\"                    VARCHAR(36) PRIMARY KEY NOT NULL,\n"
    "    \"checksum\"              VARCHAR(64) NOT NULL,\n"
    "    \"finished_at\"           TIMESTAMPTZ,\n"
    "    \"migration_name\"        VARCHAR(255) NOT NULL,\n"
    "    \"logs\"                  TEXT,\n"
    "    \"rolled_back_at\"        TIMESTAMPTZ,\n"
    "    \"started_at\"            TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
    "    \"applied_steps_count\"   INTEGER NOT NULL DEFAULT 0\n"
    ");";

inline constexpr long long kAdvisoryLockKey = 72707369;

class Target : public migrate::Target {
 public:
  // A Prisma URL (postgresql://user:pass@host:port/db?schema=s).
  explicit Target(std::string_view url) {
    auto parsed = prisma::detail::parse_postgres_url(url);
    schema_ = parsed.schema;
    c_ = std::make_unique<driver::postgres::Connection>(parsed.conninfo, parsed.pgbouncer);
  }

  std::string provider() const override { return "postgresql"; }

  void lock() override {
    if (depth_++ == 0) c_->exec("SELECT pg_advisory_lock(" + std::to_string(kAdvisoryLockKey) + ")");
  }
  void unlock() noexcept override {
    if (--depth_ != 0) return;
    try {
      c_->exec("SELECT pg_advisory_unlock(" + std::to_string(kAdvisoryLockKey) + ")");
    } catch (...) {
    }
  }

  bool has_migrations_table() override {
    return scalar("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND "
                  "tablename = '_prisma_migrations'") > 0;
  }
  bool is_empty() override {
    return scalar("SELECT (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                  "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p', 'f') AND "
                  "c.relname <> '_prisma_migrations') + (SELECT count(*) FROM pg_catalog.pg_type t JOIN "
                  "pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() AND "
                  "t.typtype = 'e')") == 0;
  }
  void create_migrations_table() override {
    ensure_schema();
    c_->exec(kMigrationsTable);
  }

  std::vector<AppliedMigration> applied() override {
    std::vector<AppliedMigration> out;
    auto iso = [](const char* col) {
      return std::string("to_char(") + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
    };
    const std::string sql = "SELECT id, checksum, migration_name, logs, " + iso("started_at") + ", " +
                            iso("finished_at") + ", " + iso("rolled_back_at") +
                            ", applied_steps_count FROM \"_prisma_migrations\" ORDER BY started_at ASC";
    auto cur = c_->cursor(sql);
    while (cur.step()) {
      AppliedMigration m;
      m.id = std::string(cur.text(0));
      m.checksum = std::string(cur.text(1));
      m.name = std::string(cur.text(2));
      if (!cur.is_null(3)) m.logs = std::string(cur.text(3));
      m.started_at = std::string(cur.text(4));
      if (!cur.is_null(5)) m.finished_at = std::string(cur.text(5));
      if (!cur.is_null(6)) m.rolled_back_at = std::string(cur.text(6));
      std::int32_t steps = 0;
      cur.read(7, steps);
      m.applied_steps_count = steps;
      out.push_back(std::move(m));
    }
    return out;
  }

  void apply(const LocalMigration& m) override {
    std::string id = ids::uuid_v4();
    {
      auto cur = c_->cursor(
          "INSERT INTO \"_prisma_migrations\" (id, checksum, migration_name, started_at, applied_steps_count) "
          "VALUES ($1, $2, $3, now(), 0)");
      cur(id);
      cur(m.checksum);
      cur(m.name);
      cur.finish();
    }
    try {
      c_->exec(m.script);
    } catch (const std::exception& e) {
      std::string logs = failure_text(m.name, e.what());
      try {
        c_->exec("ROLLBACK");  // a script with its own BEGIN may have left one open
      } catch (...) {
      }
      auto cur = c_->cursor("UPDATE \"_prisma_migrations\" SET logs = $1 WHERE id = $2");
      cur(logs);
      cur(id);
      cur.finish();
      throw MigrationError("P3018", logs);
    }
    auto cur = c_->cursor(
        "UPDATE \"_prisma_migrations\" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1");
    cur(id);
    cur.finish();
  }

  void record_applied(const LocalMigration& m) override {
    auto cur = c_->cursor(
        "INSERT INTO \"_prisma_migrations\" (id, checksum, migration_name, started_at, finished_at, "
        "applied_steps_count) VALUES ($1, $2, $3, now(), now(), 0)");
    cur(ids::uuid_v4());
    cur(m.checksum);
    cur(m.name);
    cur.finish();
  }

  void mark_rolled_back(const std::string& name) override {
    auto cur = c_->cursor(
        "UPDATE \"_prisma_migrations\" SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL "
        "AND rolled_back_at IS NULL");
    cur(name);
    cur.finish();
  }

  void drop_everything() override {
    c_->exec("DROP SCHEMA IF EXISTS " + sql::quoted_ident(schema_) + " CASCADE");
    c_->exec("CREATE SCHEMA " + sql::quoted_ident(schema_));
  }

  std::int64_t row_count(const std::string& table) override { return scalar("SELECT count(*) FROM " + sql::quoted_ident(table)); }
  // The URL's schema, made when missing (migrations table, db push).
  void ensure_schema() { c_->exec("CREATE SCHEMA IF NOT EXISTS " + sql::quoted_ident(schema_)); }
  void execute_script(const std::string& sql) override { c_->exec(sql); }

  driver::postgres::Connection& connection() { return *c_; }
  const std::string& schema() const { return schema_; }

 private:
  std::int64_t scalar(const std::string& sql) {
    auto cur = c_->cursor(sql);
    std::int64_t n = 0;
    if (cur.step()) cur.read(0, n);
    return n;
  }

  std::unique_ptr<driver::postgres::Connection> c_;
  std::string schema_;
  int depth_ = 0;
};

}  // namespace prisma::migrate::postgres
