// A fresh PostgreSQL database per test binary on the suite's server (the private one the
// ctest fixture started, or PRISMA_CPP_TEST_PG_URL), dropped again at exit.
#pragma once
#include <fstream>
#include <stdexcept>
#include <string>

#include <pqxx/pqxx>
#include <unistd.h>

namespace prisma_test {

// The server URL: PRISMA_CPP_TEST_PG_URL, else what scripts/pg-test-server wrote. A missing
// server is an error, never a skip.
inline std::string pg_server_url() {
  if (const char* env = std::getenv("PRISMA_CPP_TEST_PG_URL"); env && *env) return env;
  std::ifstream in(std::string(PRISMA_CPP_BINARY_DIR) + "/pg-test/url");
  std::string url;
  if (!(in >> url) || url.empty())
    throw std::runtime_error(
        "no PostgreSQL for the tests: run them through ctest (the postgres_server_start fixture "
        "starts one) or set PRISMA_CPP_TEST_PG_URL");
  return url;
}

// `postgresql://u@h:p/db?x=y` with the database name replaced.
inline std::string with_database(const std::string& url, const std::string& db) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  auto query = url.find('?');
  std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + db + rest;
}

class PgTestDatabase {
 public:
  explicit PgTestDatabase(const std::string& tag)
      : server_(pg_server_url()), name_("prisma_cpp_" + tag + "_" + std::to_string(::getpid())) {
    pqxx::connection c(server_);
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS \"" + name_ + "\"");
    tx.exec("CREATE DATABASE \"" + name_ + "\"");
    url_ = with_database(server_, name_);
  }
  ~PgTestDatabase() {
    try {
      pqxx::connection c(server_);
      pqxx::nontransaction tx(c);
      tx.exec("DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
    } catch (...) {
    }
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string server_, name_, url_;
};

}  // namespace prisma_test
