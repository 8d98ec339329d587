// Migrations on SQLite (migrate/core.hpp): the `_prisma_migrations` table as Prisma's schema
// engine creates it on SQLite, times written as integer Unix milliseconds as its native engine
// writes them (ISO text, what the driver-adapter engine writes, reads too).
//
// Stronger than Prisma here: the deploy runs in one BEGIN IMMEDIATE transaction (a second deploy
// waits for it, then finds everything applied), each migration in a savepoint with foreign keys
// enforced only at its end (`PRAGMA foreign_key_check`), so a migration that fails half-way leaves
// nothing of itself behind, only its row recording the failure. Migration scripts must therefore
// not contain BEGIN/COMMIT of their own (Prisma's never do).
#pragma once
#include <string>
#include <vector>

#include "prisma/driver/sqlite.hpp"
#include "prisma/migrate/core.hpp"

namespace prisma::migrate::sqlite {

inline constexpr const char* kMigrationsTable =
    "CREATE TABLE IF NOT EXISTS \"_prisma_migrations\" (\n"
    "    \"id\"                    TEXT PRIMARY KEY NOT NULL,\n"
    "    \"checksum\"              TEXT NOT NULL,\n"
    "    \"finished_at\"           DATETIME,\n"
    "    \"migration_name\"        TEXT NOT NULL,\n"
    "    \"logs\"                  TEXT,\n"
    "    \"rolled_back_at\"        DATETIME,\n"
    "    \"started_at\"            DATETIME NOT NULL DEFAULT current_timestamp,\n"
    "    \"applied_steps_count\"   INTEGER UNSIGNED NOT NULL DEFAULT 0\n"
    ");";

class Target : public migrate::Target {
 public:
  // `path` as sqlite3_open takes it (the client's detail::sqlite_path resolves URLs). Foreign keys
  // stay off on this connection: a redefined table's DROP must not cascade into its children.
  explicit Target(const std::string& path, int busy_timeout_ms = 60000)
      : c_(driver::sqlite::Connection::open(path, driver::sqlite::Options{busy_timeout_ms, true, false})) {
    c_.exec("PRAGMA foreign_keys = OFF");
  }

  std::string provider() const override { return "sqlite"; }

  void lock() override {
    if (depth_++ == 0) c_.exec("BEGIN IMMEDIATE");
  }
  void unlock() noexcept override {
    if (--depth_ != 0) return;
    try {
      c_.exec("COMMIT");
    } catch (...) {
      try {
        c_.exec("ROLLBACK");
      } catch (...) {
      }
    }
  }

  bool has_migrations_table() override {
    return scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'") > 0;
  }
  bool is_empty() override {
    return scalar("SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
                  "AND name <> '_prisma_migrations'") == 0;
  }
  void create_migrations_table() override { c_.exec(kMigrationsTable); }

  std::vector<AppliedMigration> applied() override {
    std::vector<AppliedMigration> out;
    auto cur = c_.cursor(
        "SELECT id, checksum, migration_name, logs, started_at, finished_at, rolled_back_at, applied_steps_count "
        "FROM \"_prisma_migrations\" ORDER BY started_at ASC, rowid ASC");
    while (cur.step()) {
      AppliedMigration m;
      m.id = std::string(cur.text(0));
      m.checksum = std::string(cur.text(1));
      m.name = std::string(cur.text(2));
      if (!cur.is_null(3)) m.logs = std::string(cur.text(3));
      m.started_at = time_at(cur, 4).value_or("");
      m.finished_at = time_at(cur, 5);
      m.rolled_back_at = time_at(cur, 6);
      std::int64_t steps = 0;
      cur.read(7, steps);
      m.applied_steps_count = static_cast<int>(steps);
      out.push_back(std::move(m));
    }
    return out;
  }

  void apply(const LocalMigration& m) override {
    std::string id = ids::uuid_v4();
    lock();
    c_.exec("SAVEPOINT prisma_migration");
    try {
      insert(id, m, /*finished=*/false, 0);
      c_.exec(m.script);
      check_foreign_keys();
      auto cur = c_.cursor("UPDATE \"_prisma_migrations\" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?");
      cur.bind(1, unix_ms_now());
      cur.bind(2, id);
      cur.finish();
      c_.exec("RELEASE prisma_migration");
    } catch (const std::exception& e) {
      try {
        c_.exec("ROLLBACK TO prisma_migration; RELEASE prisma_migration");
      } catch (...) {
      }
      std::string logs = failure_text(m.name, e.what());
      insert(id, m, false, 0, logs);
      unlock();  // commits the record of the failure (and every migration before it)
      throw MigrationError("P3018", logs);
    }
    unlock();
  }

  void record_applied(const LocalMigration& m) override { insert(ids::uuid_v4(), m, true, 0); }

  void mark_rolled_back(const std::string& name) override {
    auto cur = c_.cursor(
        "UPDATE \"_prisma_migrations\" SET rolled_back_at = ? WHERE migration_name = ? AND finished_at IS NULL "
        "AND rolled_back_at IS NULL");
    cur.bind(1, unix_ms_now());
    cur.bind(2, name);
    cur.finish();
  }

  void drop_everything() override {
    std::vector<std::pair<std::string, std::string>> objects;  // type, name
    {
      auto cur = c_.cursor(
          "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' "
          "ORDER BY type = 'table', name");
      while (cur.step()) objects.emplace_back(std::string(cur.text(0)), std::string(cur.text(1)));
    }
    for (const auto& [type, name] : objects) c_.exec("DROP " + std::string(type == "view" ? "VIEW" : "TABLE") + " " + sql::quoted_ident(name));
    if (scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'") > 0) c_.exec("DELETE FROM sqlite_sequence");
  }

  std::int64_t row_count(const std::string& table) override {
    return scalar(("SELECT count(*) FROM " + sql::quoted_ident(table)).c_str());
  }
  void execute_script(const std::string& sql) override { c_.exec(sql); }

  driver::sqlite::Connection& connection() { return c_; }

 private:
  std::int64_t scalar(const char* sql) {
    auto cur = c_.cursor(sql);
    std::int64_t n = 0;
    if (cur.step()) cur.read(0, n);
    return n;
  }
  static std::optional<std::string> time_at(driver::sqlite::Cursor& cur, int col) {
    if (cur.is_null(col)) return std::nullopt;
    DateTime t;
    cur.read(col, t);
    return t.to_iso(true);
  }
  // Deferred-style check at the migration's end (foreign keys are off on this connection).
  void check_foreign_keys() {
    auto cur = c_.cursor("PRAGMA foreign_key_check");
    if (cur.step())
      throw ForeignKeyViolation("Foreign key constraint violated after the migration: a row of \"" +
                                std::string(cur.text(0)) + "\" refers to a missing row of \"" +
                                std::string(cur.text(2)) + "\"");
  }
  void insert(const std::string& id, const LocalMigration& m, bool finished, int steps,
              const std::optional<std::string>& logs = std::nullopt) {
    auto cur = c_.cursor(
        "INSERT INTO \"_prisma_migrations\" (id, checksum, finished_at, migration_name, logs, started_at, "
        "applied_steps_count) VALUES (?, ?, ?, ?, ?, ?, ?)");
    auto now = unix_ms_now();
    cur.bind(1, id);
    cur.bind(2, m.checksum);
    if (finished) cur.bind(3, now);
    else cur.bind_null(3);
    cur.bind(4, m.name);
    if (logs) cur.bind(5, *logs);
    else cur.bind_null(5);
    cur.bind(6, now);
    cur.bind(7, std::int64_t{steps});
    cur.finish();
  }
  driver::sqlite::Connection c_;
  int depth_ = 0;
};

}  // namespace prisma::migrate::sqlite
