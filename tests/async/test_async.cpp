// The asynchronous API (issue 16), one source for both backends: every kind of operation awaited
// from coroutines on one thread; on PostgreSQL, operations overlap on that one thread (the driver
// never blocks it), the pool is awaited, and a timeout cancels the statement and keeps the connection.
#include <suite/all.hpp>
#include <prisma/async.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#ifdef PRISMA_SUITE_POSTGRES
#include "../support/pg_test_db.hpp"
#endif

using namespace suite;
using namespace prisma;
namespace asio = boost::asio;

namespace {

#ifdef PRISMA_SUITE_POSTGRES
prisma_test::PgTestDatabase& test_database() {
  static prisma_test::PgTestDatabase database("async");
  return database;
}
Client fresh(const std::string& params = "connection_limit=4") {
  auto& database = test_database();
  {
    auto admin = Client::open(database.url() + "?connection_limit=1");
    admin.pool().acquire()->exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
  }
  auto db = Client::open(database.url() + "?" + params);
  db.push_schema();
  return db;
}
#else
Client fresh(const std::string& params = "connection_limit=4") {
  static std::string path = (std::filesystem::temp_directory_path() / ("prisma_async_" + std::to_string(::getpid()) + ".db")).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto db = Client::open("file:" + path + "?" + params);
  db.push_schema();
  return db;
}
#endif

// Runs the coroutine to its end on one thread; rethrows what it threw.
template <class F>
void run_on_one_thread(F f) {
  asio::io_context io;
  std::exception_ptr failed;
  bool done = false;
  asio::co_spawn(io, f(io), [&](std::exception_ptr e) {
    failed = e;
    done = true;
  });
  io.run();
  REQUIRE(done);
  if (failed) std::rethrow_exception(failed);
}

}  // namespace

TEST_CASE("async: every kind of operation and transactions await on one thread", "[async]") {
  auto db = fresh();
  run_on_one_thread([&](asio::io_context& io) -> asio::awaitable<void> {
    AsyncClient adb(db, io.get_executor());
    auto users = adb.of<User>();
    // inputs built before the co_await: GCC 12 miscompiles an aggregate temporary with strings built
    // from a braced list inside a co_await expression (it frees a string it never allocated)
    UserCreate ann_in{.email = "ann@x.io", .name = "Ann", .age = 30}, bob_in{.email = "bob@x.io", .age = 17};
    auto ann = co_await users.create(ann_in);
    co_await users.create(bob_in);
    PostCreate a_in{.title = "A", .authorId = ann.id};
    co_await adb.of<Post>().create(a_in);
    CHECK((co_await users.find_unique(user::email == "ann@x.io"))->name == std::optional<std::string>("Ann"));
    CHECK((co_await users.find_many(where(user::age >= 18))).size() == 1);
    auto with_posts = co_await users.find_first(include(user::posts), where(user::id == ann.id));
    REQUIRE(with_posts);
    CHECK(with_posts->posts.size() == 1);
    CHECK(co_await users.count() == 2);
    auto [total] = co_await users.aggregate(sum(user::age));
    CHECK(total == 47);
    UserUpdate older{.age = increment(1)};
    auto by_id = user::id == ann.id;
    auto updated = co_await users.update(by_id, older);
    CHECK(updated.age == std::optional<int>(31));
    UserCreate cy{.email = "cy@x.io"};
    UserUpdate never{.name = "never"};
    auto cy_email = user::email == std::string("cy@x.io");
    auto made = co_await users.upsert(cy_email, cy, never);
    CHECK(made.email == "cy@x.io");
    CHECK(co_await users.count(where(cy_email)) == 1);
    auto deleted = co_await users.delete_many(cy_email);
    CHECK(deleted == 1);
    // a transaction commits, a throwing one rolls back
    co_await adb.transaction([&](auto& tx) {
      tx.user.update(user::id == ann.id, {.name = "Ann B."});
      tx.post.create({.title = "B", .authorId = ann.id});
    });
    CHECK(co_await adb.of<Post>().count() == 2);
    try {
      co_await adb.transaction([&](auto& tx) {
        tx.post.create({.title = "C", .authorId = ann.id});
        tx.user.create({.email = "ann@x.io"});  // P2002
      });
      FAIL("no error");
    } catch (const UniqueConstraintViolation&) {
    }
    CHECK(co_await adb.of<Post>().count() == 2);
    // anything through run(): the sync API as one awaited operation
    auto titles = co_await adb.run([](auto& d) {
      std::vector<std::string> out;
      for (const auto& p : d.post.find_many(order_by(post::title.asc()))) out.push_back(p.title);
      return out;
    });
    CHECK(titles == std::vector<std::string>{"A", "B"});
    // a nested create: the one write executor over the asynchronous connection
    UserCreate dee_in{.email = "dee@x.io", .posts = {.create = {{.title = "D1"}, {.title = "D2"}}}};
    auto dee = co_await users.create(dee_in);
    auto dee_posts = post::authorId == dee.id;
    CHECK(co_await adb.of<Post>().count(where(dee_posts)) == 2);
    // errors come back as the sync API's
    try {
      co_await users.find_unique_or_throw(user::id == 999);
      FAIL("no error");
    } catch (const RecordNotFound& e) {
      CHECK(e.code() == "P2025");
    }
  });
}

TEST_CASE("async: 200 concurrent reads from one thread share a pool of 4", "[async]") {
  auto db = fresh();
  for (int i = 0; i < 20; ++i) db.user.create({.email = "u" + std::to_string(i) + "@x.io", .age = i});
  asio::io_context io;
  AsyncClient adb(db, io.get_executor(), 4);
  std::atomic<int> ok{0}, in_flight{0}, most{0}, finished{0};
  // where the operations meet the database: at most 4 at any moment, sampled while they run
  // (PostgreSQL: the async pool's open connections, every millisecond on the io thread; SQLite:
  // the operations running on the workers, counted inside each one)
  std::atomic<int> executing{0}, most_executing{0};
  std::size_t most_open = 0, samples = 0;
  if (auto* pool = adb.async_pool())
    asio::co_spawn(io, [&, pool]() -> asio::awaitable<void> {
      asio::steady_timer timer(io);
      while (finished < 200) {
        most_open = std::max(most_open, pool->open_connections());
        ++samples;
        timer.expires_after(std::chrono::milliseconds(1));
        co_await timer.async_wait(asio::use_awaitable);
      }
    }, asio::detached);
  for (int i = 0; i < 200; ++i)
    asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
      int now = ++in_flight;
      most = std::max(most.load(), now);
      auto u = co_await adb.run([&, i](auto& d) {
        int running = ++executing;
        for (int seen = most_executing.load(); running > seen && !most_executing.compare_exchange_weak(seen, running);) {
        }
        auto row = d.template of<User>().find_unique(user::email == "u" + std::to_string(i % 20) + "@x.io");
        --executing;
        return row;
      });
      if (u && u->age == i % 20) ++ok;
      --in_flight;
      ++finished;
    }, asio::detached);
  io.run();
  CHECK(ok == 200);
  CHECK(most > 4);  // more operations in flight than connections: they waited for the pool, not the thread
  if (adb.async_pool()) {
    INFO(samples << " samples of the pool while the reads ran");
    CHECK(samples >= 2);
    CHECK(most_open <= 4);
    CHECK(most_open >= 1);
  } else {
    CHECK(most_executing <= 4);  // the 4 workers
    CHECK(most_executing >= 1);
  }
}

#ifdef PRISMA_SUITE_POSTGRES  // SQLite runs on worker threads: there is no socket to wait on
TEST_CASE("async: PostgreSQL operations overlap on one thread, and a timeout cancels the statement", "[async]") {
  auto db = fresh("connection_limit=8");
  asio::io_context io;
  AsyncClient adb(db, io.get_executor());
  // eight statements of 0.3 s each on one thread: the server itself shows them running at once
  // (pg_stat_activity, sampled from another connection), not one after another
  std::atomic<int> done{0};
  std::atomic<bool> sampling{true};
  int most_sleeping = 0;
  std::thread sampler([&] {
    auto watcher = Client::open(test_database().url() + "?connection_limit=1");
    while (sampling) {
      auto n = watcher.query_raw<std::tuple<std::int64_t>>(
          "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(0.3)%' "
          "AND pid <> pg_backend_pid()");
      if (!n.empty()) most_sleeping = std::max(most_sleeping, static_cast<int>(std::get<0>(n[0])));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  for (int i = 0; i < 8; ++i)
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      auto rows = co_await adb.run([](auto& d) { return d.template query_raw<std::tuple<int>>("SELECT 1 FROM pg_sleep(0.3)"); });
      if (rows.size() == 1) ++done;
    }, asio::detached);
  io.run();
  sampling = false;
  sampler.join();
  CHECK(done == 8);
  INFO("at most " << most_sleeping << " of the 8 pg_sleep(0.3) ran at once on the server");
  CHECK(most_sleeping >= 4);  // overlapping (all 8 on an idle machine; 4 leaves room for a busy one)

  // a timeout: the statement is cancelled on the server, P1008, and the connection is kept
  asio::io_context io2;
  auto small = fresh("connection_limit=1");
  AsyncClient one(small, io2.get_executor());
  bool timed_out = false;
  int after = 0;
  asio::co_spawn(io2, [&]() -> asio::awaitable<void> {
    try {
      co_await with_timeout(one.run([](auto& d) { return d.template query_raw<std::tuple<int>>("SELECT 1 FROM pg_sleep(10)"); }),
                            std::chrono::milliseconds(200));
    } catch (const Error& e) {
      timed_out = e.code() == "P1008";
    }
    after = static_cast<int>(co_await one.of<User>().count()) + 1;  // the same (only) connection
  }, asio::detached);
  io2.run();
  CHECK(timed_out);
  CHECK(after == 1);  // the connection was kept: the cancel, not a 10 s wait, ended the statement
  CHECK(one.async_pool()->open_connections() == 1);
}
#endif
