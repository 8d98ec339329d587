// Migrations on each backend from one source: deploy, the _prisma_migrations table as Prisma makes
// it, failures recorded and blocking, resolve, status (pending, edited, missing), reset, two
// deploys racing, and the C++ entry point.
#include <prisma/migrate.hpp>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <unistd.h>

#ifdef PRISMA_MIGRATE_POSTGRES
#include "../support/pg_test_db.hpp"
#endif

namespace fs = std::filesystem;
using namespace prisma;
using namespace prisma::migrate;

namespace {

#ifdef PRISMA_MIGRATE_POSTGRES
constexpr const char* kProvider = "postgresql";
#else
constexpr const char* kProvider = "sqlite";
#endif

// A migrations folder and an empty database of its own for each test.
struct Fixture {
  fs::path root;
  fs::path dir;
  std::string url;

  Fixture() {
    static int n = 0;
    std::string tag = std::to_string(::getpid()) + "_" + std::to_string(++n);
    root = fs::temp_directory_path() / ("prisma_migrate_" + std::string(kProvider) + "_" + tag);
    fs::remove_all(root);
    dir = root / "migrations";
    fs::create_directories(dir);
    write(dir / "migration_lock.toml", lock_file_text(kProvider));
#ifdef PRISMA_MIGRATE_POSTGRES
    static prisma_test::PgTestDatabase database("migrate");
    url = database.url() + "?schema=m_" + tag;  // a schema per test, there and empty
    postgres::Target(url).execute_script("CREATE SCHEMA \"m_" + tag + "\"");
#else
    url = "file:" + (root / "dev.db").string();
#endif
  }
  ~Fixture() { fs::remove_all(root); }

  static void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  void add(const std::string& name, const std::string& sql) const { write(dir / name / "migration.sql", sql); }
  std::unique_ptr<Target> target() const { return open_target(url); }
  std::vector<AppliedMigration> rows() const {
    auto t = target();
    return t->has_migrations_table() ? t->applied() : std::vector<AppliedMigration>{};
  }
  std::int64_t count(const std::string& table) const { return target()->row_count(table); }
  bool has_table(const std::string& table) const {
#ifdef PRISMA_MIGRATE_POSTGRES
    postgres::Target t(url);
    auto cur = t.connection().cursor(
        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1");
    cur(table);
#else
    sqlite::Target t(prisma::detail::sqlite_path(url, ""));
    auto cur = t.connection().cursor("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    cur.bind(1, table);
#endif
    std::int64_t n = 0;
    if (cur.step()) cur.read(0, n);
    return n > 0;
  }
};

const std::string kInit = "CREATE TABLE \"User\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"email\" TEXT NOT NULL);\n";
const std::string kPost =
    "CREATE TABLE \"Post\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"userId\" INTEGER NOT NULL REFERENCES \"User\"(\"id\"));\n";
// Creates a table, then fails: nothing of it may stay half-applied where the backend can help it.
const std::string kBroken = "CREATE TABLE \"Half\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO \"Nope\" VALUES (1);\n";

}  // namespace

TEST_CASE("deploy applies pending migrations in name order and records each as Prisma does", "[migrate]") {
  Fixture f;
  f.add("20240102000000_post", kPost);
  f.add("20240101000000_init", kInit);
  auto report = migrate_deploy(f.url, f.dir);
  REQUIRE(report.applied == std::vector<std::string>{"20240101000000_init", "20240102000000_post"});
  CHECK(report.warnings.empty());
  auto rows = f.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].name == "20240101000000_init");
  CHECK(rows[0].checksum == sha256_hex(kInit));
  CHECK(rows[0].checksum.size() == 64);
  CHECK(rows[0].id.size() == 36);
  CHECK(rows[0].applied_steps_count == 1);
  CHECK(rows[0].finished_at);
  CHECK_FALSE(rows[0].logs);
  CHECK_FALSE(rows[0].rolled_back_at);
  CHECK(f.has_table("User"));
  CHECK(f.has_table("Post"));
  // a second deploy has nothing to do
  CHECK(migrate_deploy(f.url, f.dir).applied.empty());
  CHECK(f.rows().size() == 2);
  // a new migration later: only it runs
  f.add("20240103000000_more", "CREATE TABLE \"Tag\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n");
  CHECK(migrate_deploy(f.url, f.dir).applied == std::vector<std::string>{"20240103000000_more"});
}

TEST_CASE("the checksum is the SHA-256 of migration.sql, in hex", "[migrate]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the _prisma_migrations table has Prisma's columns and types", "[migrate]") {
  Fixture f;
  f.add("20240101000000_init", kInit);
  migrate_deploy(f.url, f.dir);
#ifdef PRISMA_MIGRATE_POSTGRES
  postgres::Target t(f.url);
  auto cur = t.connection().cursor(
      "SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || "
      "is_nullable || ' ' || coalesce(column_default, '-') FROM information_schema.columns WHERE table_schema = "
      "current_schema() AND table_name = '_prisma_migrations' ORDER BY ordinal_position");
  std::vector<std::string> cols;
  while (cur.step()) cols.emplace_back(cur.text(0));
  CHECK(cols == std::vector<std::string>{
                    "id character varying(36) NO -", "checksum character varying(64) NO -",
                    "finished_at timestamp with time zone YES -", "migration_name character varying(255) NO -",
                    "logs text YES -", "rolled_back_at timestamp with time zone YES -",
                    "started_at timestamp with time zone NO now()", "applied_steps_count integer NO 0"});
#else
  sqlite::Target t(prisma::detail::sqlite_path(f.url, ""));
  auto cur = t.connection().cursor("SELECT sql FROM sqlite_master WHERE name = '_prisma_migrations'");
  REQUIRE(cur.step());
  // byte for byte what Prisma 7.10's schema engine left in sqlite_master (read from a database it migrated)
  CHECK(std::string(cur.text(0)) ==
        "CREATE TABLE \"_prisma_migrations\" (\n"
        "    \"id\"                    TEXT PRIMARY KEY NOT NULL,\n"
        "    \"checksum\"              TEXT NOT NULL,\n"
        "    \"finished_at\"           DATETIME,\n"
        "    \"migration_name\"        TEXT NOT NULL,\n"
        "    \"logs\"                  TEXT,\n"
        "    \"rolled_back_at\"        DATETIME,\n"
        "    \"started_at\"            DATETIME NOT NULL DEFAULT current_timestamp,\n"
        "    \"applied_steps_count\"   INTEGER UNSIGNED NOT NULL DEFAULT 0\n"
        ")");
  // times as integer Unix milliseconds, as Prisma's native engine writes them
  auto times = t.connection().cursor("SELECT typeof(started_at), typeof(finished_at) FROM _prisma_migrations");
  REQUIRE(times.step());
  CHECK(times.text(0) == "integer");
  CHECK(times.text(1) == "integer");
#endif
}

TEST_CASE("a failing migration is recorded with its error, keeps the earlier ones and blocks deploy until resolved",
          "[migrate]") {
  Fixture f;
  f.add("20240101000000_init", kInit);
  f.add("20240102000000_broken", kBroken);
  f.add("20240103000000_post", kPost);
  try {
    migrate_deploy(f.url, f.dir);
    FAIL("the broken migration applied");
  } catch (const MigrationError& e) {
    CHECK(e.code() == "P3018");
    CHECK(std::string(e.what()).find("Migration name: 20240102000000_broken") != std::string::npos);
    CHECK(std::string(e.what()).find("Nope") != std::string::npos);
  }
  auto rows = f.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].applied());
  CHECK(rows[1].name == "20240102000000_broken");
  CHECK(rows[1].failed());
  CHECK_FALSE(rows[1].finished_at);
  REQUIRE(rows[1].logs);
  CHECK(rows[1].logs->find("Nope") != std::string::npos);
  CHECK(rows[1].applied_steps_count == 0);
  CHECK(f.has_table("User"));
  CHECK_FALSE(f.has_table("Half"));  // SQLite: its savepoint; PostgreSQL: the script's implicit transaction
  CHECK_FALSE(f.has_table("Post"));  // nothing after the failure ran
  // blocked: P3009 names the failed migration
  try {
    migrate_deploy(f.url, f.dir);
    FAIL("deploy went past a failed migration");
  } catch (const MigrationError& e) {
    CHECK(e.code() == "P3009");
    CHECK(std::string(e.what()).find("`20240102000000_broken` migration started at") != std::string::npos);
  }
  auto s = status(*f.target(), f.dir);
  CHECK(s.failed == std::vector<std::string>{"20240102000000_broken"});
  CHECK_FALSE(s.up_to_date());
  // fixed and marked rolled back: deploy runs it again, then the rest
  f.add("20240102000000_broken", "CREATE TABLE \"Half\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n");
  resolve_rolled_back(*f.target(), "20240102000000_broken");
  CHECK(migrate_deploy(f.url, f.dir).applied ==
        std::vector<std::string>{"20240102000000_broken", "20240103000000_post"});
  rows = f.rows();
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].rolled_back_at);
  CHECK(status(*f.target(), f.dir).up_to_date());
}

TEST_CASE("resolve --applied records without running; its errors carry Prisma's codes", "[migrate]") {
  Fixture f;
  f.add("20240101000000_init", kInit);
  f.add("20240102000000_post", kPost);
  resolve_applied(*f.target(), f.dir, "20240101000000_init");  // baselining: the table exists already
  CHECK_FALSE(f.has_table("User"));
  auto rows = f.rows();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].applied());
  CHECK(rows[0].applied_steps_count == 0);
  auto code_of = [](auto&& fn) {
    try {
      fn();
    } catch (const MigrationError& e) {
      return e.code();
    }
    return std::string("none");
  };
  CHECK(code_of([&] { resolve_applied(*f.target(), f.dir, "20240101000000_init"); }) == "P3008");
  CHECK(code_of([&] { resolve_applied(*f.target(), f.dir, "20240101_typo"); }) == "P3017");
  CHECK(code_of([&] { resolve_rolled_back(*f.target(), "20240101000000_init"); }) == "P3012");
  CHECK(code_of([&] { resolve_rolled_back(*f.target(), "20240109000000_never"); }) == "P3011");
  // a failed migration resolved as applied (fixed by hand) no longer blocks
  f.add("20240103000000_broken", kBroken);
  f.target()->execute_script(kInit);  // what the baselined migration would have made
  CHECK(code_of([&] { migrate_deploy(f.url, f.dir); }) == "P3018");
  resolve_applied(*f.target(), f.dir, "20240103000000_broken");
  CHECK(migrate_deploy(f.url, f.dir).applied.empty());
  CHECK(status(*f.target(), f.dir).up_to_date());
}

TEST_CASE("status reports pending, edited and missing migrations", "[migrate]") {
  Fixture f;
  f.add("20240101000000_init", kInit);
  auto s = status(*f.target(), f.dir);
  CHECK_FALSE(s.has_table);
  CHECK(s.pending == std::vector<std::string>{"20240101000000_init"});
  migrate_deploy(f.url, f.dir);
  CHECK(status(*f.target(), f.dir).up_to_date());
  f.add("20240101000000_init", kInit + "-- edited by hand\n");
  f.add("20240102000000_post", kPost);
  s = status(*f.target(), f.dir);
  CHECK(s.edited == std::vector<std::string>{"20240101000000_init"});
  CHECK(s.pending == std::vector<std::string>{"20240102000000_post"});
  auto report = migrate_deploy(f.url, f.dir);  // deploy goes on, and says so
  REQUIRE(report.warnings.size() == 1);
  CHECK(report.warnings[0].find("20240101000000_init` was modified after it was applied") != std::string::npos);
  fs::remove_all(f.dir / "20240102000000_post");
  s = status(*f.target(), f.dir);
  CHECK(s.missing == std::vector<std::string>{"20240102000000_post"});
  CHECK_FALSE(s.up_to_date());
}

TEST_CASE("deploy refuses a database that has tables but no migration history (P3005)", "[migrate]") {
  Fixture f;
  f.add("20240101000000_init", kInit);
  f.target()->execute_script("CREATE TABLE \"Legacy\" (\"id\" INTEGER NOT NULL PRIMARY KEY);");
  try {
    migrate_deploy(f.url, f.dir);
    FAIL("deployed over an unknown schema");
  } catch (const MigrationError& e) {
    CHECK(e.code() == "P3005");
  }
  CHECK_FALSE(f.has_table("User"));
}

TEST_CASE("a folder locked to another provider is refused (P3019), a directory without migration.sql is P3015",
          "[migrate]") {
  Fixture f;
  f.add("20240101000000_init", kInit);
  Fixture::write(f.dir / "migration_lock.toml", lock_file_text("mysql"));
  try {
    migrate_deploy(f.url, f.dir);
    FAIL("deployed another provider's folder");
  } catch (const MigrationError& e) {
    CHECK(e.code() == "P3019");
  }
  Fixture::write(f.dir / "migration_lock.toml", lock_file_text(kProvider));
  fs::create_directories(f.dir / "20240102000000_empty");
  try {
    migrate_deploy(f.url, f.dir);
    FAIL("a directory without its script passed");
  } catch (const MigrationError& e) {
    CHECK(e.code() == "P3015");
  }
}

TEST_CASE("reset drops everything and applies every migration again", "[migrate]") {
  Fixture f;
  f.add("20240101000000_init", kInit);
  migrate_deploy(f.url, f.dir);
  f.target()->execute_script("INSERT INTO \"User\" VALUES (1, 'a@x.io'); CREATE TABLE \"Stray\" (\"id\" INTEGER);");
  auto report = reset(*f.target(), f.dir);
  CHECK(report.applied == std::vector<std::string>{"20240101000000_init"});
  CHECK(f.count("User") == 0);
  CHECK_FALSE(f.has_table("Stray"));
  CHECK(f.rows().size() == 1);
}

TEST_CASE("two deploys racing apply each migration once", "[migrate]") {
  Fixture f;
  f.add("20240101000000_init", kInit);
  for (int i = 2; i <= 9; ++i)
    f.add("2024010" + std::to_string(i) + "000000_t" + std::to_string(i),
          "CREATE TABLE \"T" + std::to_string(i) + "\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n");
  std::vector<std::string> a, b;
  std::string error;
  std::mutex mu;
  auto run = [&](std::vector<std::string>& out) {
    try {
      out = migrate_deploy(f.url, f.dir).applied;
    } catch (const std::exception& e) {
      std::lock_guard lock(mu);
      error = e.what();
    }
  };
  std::thread t1(run, std::ref(a)), t2(run, std::ref(b));
  t1.join();
  t2.join();
  INFO(error);
  CHECK(error.empty());
  CHECK(a.size() + b.size() == 9);  // all by one of them: the other found nothing pending
  CHECK((a.empty() || b.empty()));
  CHECK(f.rows().size() == 9);
}
