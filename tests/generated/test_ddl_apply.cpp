// Every golden DDL file runs without error on a real SQLite and a real PostgreSQL database.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/pg_test_db.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> golden_ddl(const std::string& dialect) {
  std::vector<fs::path> out;
  for (const char* dir : {"tests/fixtures/golden", "tests/fixtures/ddl"}) {
    fs::path root = fs::path(PRISMA_CPP_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      std::string name = e.path().filename().string();
      if (e.is_regular_file() && name.size() > dialect.size() + 4 &&
          name.ends_with("." + dialect + ".sql"))
        out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("golden SQLite DDL creates its schema in an empty SQLite database", "[sqlite]") {
  auto files = golden_ddl("sqlite");
  REQUIRE(files.size() >= 2);
  for (const auto& f : files) {
    INFO(f.string());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    char* err = nullptr;
    int rc = sqlite3_exec(db, read(f).c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    CHECK(msg == "");
    CHECK(rc == SQLITE_OK);
    sqlite3_close(db);
  }
}

TEST_CASE("golden PostgreSQL DDL creates its schema in an empty PostgreSQL database", "[postgres]") {
  auto files = golden_ddl("postgresql");
  REQUIRE(files.size() >= 2);
  for (const auto& f : files) {
    INFO(f.string());
    prisma_test::PgTestDatabase db("ddl");
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    CHECK_NOTHROW(tx.exec(read(f)));
    tx.commit();
  }
}
