// 1,000 concurrent find_unique on PostgreSQL: from one thread through prisma::AsyncClient (libpq's
// asynchronous API, a pool of N connections awaited) against a thread per request through the
// blocking client (the same pool size), in the same run, on the same data. Prints throughput and
// p50/p99 latency of each side and their ratio; repeats and keeps the median round.
//   PRISMA_CPP_BENCH_PG_URL=postgresql://... async_load [requests=1000] [connections=8] [rounds=5]
#include <bench_pg/all.hpp>
#include <prisma/async.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace bench_pg;
using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;

namespace {

struct Round {
  double seconds = 0, p50_us = 0, p99_us = 0;
  int errors = 0;
};

Round summarize(std::vector<double>& lat, double seconds, int errors) {
  std::sort(lat.begin(), lat.end());
  Round r;
  r.seconds = seconds;
  r.errors = errors;
  r.p50_us = lat[lat.size() / 2];
  r.p99_us = lat[std::min(lat.size() - 1, lat.size() * 99 / 100)];
  return r;
}

std::string with_database(const std::string& url, const std::string& db) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme + 3);
  auto query = url.find('?');
  std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  return base + "/" + db + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

int main(int argc, char** argv) {
  const char* server = std::getenv("PRISMA_CPP_BENCH_PG_URL");
  if (!server || !*server) {
    std::fprintf(stderr, "set PRISMA_CPP_BENCH_PG_URL to a PostgreSQL server URL (scripts/pg-test-server start DIR writes one)\n");
    return 2;
  }
  int requests = argc > 1 ? std::atoi(argv[1]) : 1000;
  int connections = argc > 2 ? std::atoi(argv[2]) : 8;
  int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  std::string name = "prisma_cpp_async_load_" + std::to_string(::getpid());
  {
    pqxx::connection c(server);
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS \"" + name + "\"");
    tx.exec("CREATE DATABASE \"" + name + "\"");
  }
  std::string url = with_database(server, name) + "?connection_limit=" + std::to_string(connections);
  constexpr int kUsers = 1000;
  {
    auto db = Client::open(url);
    db.push_schema();
    std::vector<UserCreate> rows;
    for (int i = 0; i < kUsers; ++i) rows.push_back({.name = "User " + std::to_string(i)});
    db.user.create_many(rows);
    db.pool().acquire()->exec("ANALYZE");
  }
  auto db = Client::open(url);
  asio::io_context io;
  prisma::AsyncClient adb(db, io.get_executor());
  std::vector<Round> async_rounds, sync_rounds;
  for (int round = -1; round < rounds; ++round) {  // round -1 warms both pools up, uncounted
    // async: every request a coroutine on one thread
    {
      io.restart();
      std::vector<double> lat(static_cast<std::size_t>(requests));
      std::atomic<int> errors{0};
      auto t0 = Clock::now();
      for (int i = 0; i < requests; ++i)
        asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
          auto s = Clock::now();
          auto filter = user::id == (i % kUsers) + 1;
          auto u = co_await adb.of<User>().find_unique(filter);
          if (!u) ++errors;
          lat[static_cast<std::size_t>(i)] = std::chrono::duration<double, std::micro>(Clock::now() - s).count();
        }, asio::detached);
      io.run();
      if (round >= 0) async_rounds.push_back(summarize(lat, std::chrono::duration<double>(Clock::now() - t0).count(), errors));
    }
    // sync: a thread per request on the blocking client (its pool of the same size)
    {
      std::vector<double> lat(static_cast<std::size_t>(requests));
      std::atomic<int> errors{0};
      std::vector<std::thread> threads;
      threads.reserve(static_cast<std::size_t>(requests));
      auto t0 = Clock::now();
      for (int i = 0; i < requests; ++i)
        threads.emplace_back([&, i] {
          auto s = Clock::now();
          try {
            if (!db.user.find_unique(user::id == (i % kUsers) + 1)) ++errors;
          } catch (const std::exception&) {
            ++errors;
          }
          lat[static_cast<std::size_t>(i)] = std::chrono::duration<double, std::micro>(Clock::now() - s).count();
        });
      for (auto& t : threads) t.join();
      if (round >= 0) sync_rounds.push_back(summarize(lat, std::chrono::duration<double>(Clock::now() - t0).count(), errors));
    }
  }
  auto median = [](std::vector<Round> rs) {
    std::sort(rs.begin(), rs.end(), [](const Round& a, const Round& b) { return a.seconds < b.seconds; });
    return rs[rs.size() / 2];
  };
  Round a = median(async_rounds), s = median(sync_rounds);
  std::printf("%d concurrent find_unique on PostgreSQL, pool of %d, median of %d rounds\n", requests, connections, rounds);
  std::printf("  async, one thread      : %9.0f requests/s  p50 %8.0f us  p99 %8.0f us  errors %d\n", requests / a.seconds,
              a.p50_us, a.p99_us, a.errors);
  std::printf("  sync, thread per request: %9.0f requests/s  p50 %8.0f us  p99 %8.0f us  errors %d\n", requests / s.seconds,
              s.p50_us, s.p99_us, s.errors);
  std::printf("  async / sync throughput: %.2fx\n", s.seconds / a.seconds);
  {
    pqxx::connection c(server);
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
  }
  return a.errors + s.errors ? 1 : 0;
}
