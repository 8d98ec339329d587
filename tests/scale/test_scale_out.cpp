// Scale-out on existing engines (issue 16): read replicas against a real streaming replica (a
// primary and a pg_basebackup standby, `scripts/pg-test-server pair`), and PgBouncer in
// transaction pooling mode (`scripts/pg-test-server bouncer`) with `?pgbouncer=true`.
#include <suite/all.hpp>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

#include "../support/pg_test_db.hpp"

using namespace suite;
using namespace prisma;

namespace {

std::string url_in(const std::string& dir) {
  std::ifstream in(std::string(PRISMA_CPP_BINARY_DIR) + "/" + dir + "/url");
  std::string url;
  if (!(in >> url)) throw std::runtime_error("no server URL in " + dir + "/url: run through ctest (its fixtures start the servers)");
  return url;
}

void exec_on(const std::string& url, const std::string& sql) {
  pqxx::connection c(url);
  pqxx::nontransaction tx(c);
  tx.exec(sql);
}

// Waits (up to 15 s) until `ready()`.
void wait_until(const std::function<bool()>& ready, const char* what) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) FAIL("timed out waiting for " << what);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// A database of its own on the pair's primary, with the suite's tables, once the replica has it.
struct PairDatabase {
  std::string name, primary, replica;
  explicit PairDatabase(const std::string& tag) : name("prisma_cpp_" + tag + "_" + std::to_string(::getpid())) {
    std::string p = url_in("pg-pair/primary"), r = url_in("pg-pair/replica");
    exec_on(p, "DROP DATABASE IF EXISTS \"" + name + "\"");
    exec_on(p, "CREATE DATABASE \"" + name + "\"");
    primary = prisma_test::with_database(p, name);
    replica = prisma_test::with_database(r, name);
    Client::open(primary).push_schema();
    wait_until([&] {  // the tables replayed on the standby
      try {
        pqxx::connection c(replica);
        pqxx::nontransaction tx(c);
        return tx.exec("SELECT 1 FROM pg_class WHERE relname = 'Account'").size() == 1;
      } catch (const std::exception&) {
        return false;
      }
    }, "the replica to have the database");
  }
  ~PairDatabase() {
    try {
      exec_on(url_in("pg-pair/primary"), "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    } catch (...) {
    }
  }
};

}  // namespace

TEST_CASE("replicas: reads go to the replica while writes and transactions and primary() use the primary", "[replica]") {
  PairDatabase d("replicas");
  auto db = Client::open(d.primary, ClientOptions{.replicas = {d.replica}});
  REQUIRE(db.replicas() != nullptr);
  auto u = db.user.create({.email = "ann@x.io"});
  wait_until([&] { return db.user.find_unique(user::id == u.id).has_value(); }, "the create to reach the replica");

  // every kind of read runs on the replica's pool, none on the primary's
  auto& replica_pool = db.replicas()->pool(0);
  auto on_primary = db.statements_run(), on_replica = replica_pool.statements_run();
  CHECK(db.user.find_many().size() == 1);
  CHECK(db.user.count() == 1);
  CHECK(std::get<0>(db.user.aggregate(count())) == 1);
  CHECK(db.user.group_by(by(user::role), count()).size() == 1);
  CHECK(db.user.find_first(include(user::posts))->email == "ann@x.io");
  CHECK(db.statements_run() == on_primary);
  CHECK(replica_pool.statements_run() >= on_replica + 6);  // the include is a second statement

  // the replica paused: reads show what it has, primary() what the primary has
  exec_on(d.replica, "SELECT pg_wal_replay_pause()");
  struct Resume {
    std::string url;
    ~Resume() {
      try {
        exec_on(url, "SELECT pg_wal_replay_resume()");
      } catch (...) {
      }
    }
  } resume{d.replica};
  wait_until([&] {
    pqxx::connection c(d.replica);
    pqxx::nontransaction tx(c);
    return tx.exec("SELECT pg_get_wal_replay_pause_state()")[0][0].as<std::string>() == "paused";
  }, "the replay to pause");
  db.user.update(user::id == u.id, {.name = "Ann"});
  CHECK(db.user.find_unique(user::id == u.id)->name == std::nullopt);     // the replica, behind
  CHECK(db.primary().user.find_unique(user::id == u.id)->name == "Ann");   // the primary
  CHECK(db.primary().user.count(where(user::name == "Ann")) == 1);
  // a transaction reads its own writes: on the primary
  db.transaction([&](auto& tx) {
    tx.user.update(user::id == u.id, {.name = "In tx"});
    CHECK(tx.user.find_unique(user::id == u.id)->name == "In tx");
  });
  // update_versioned's "stale or gone?" check reads the primary, not the lagging replica
  auto fresh = db.account.create({.owner = "bob"});
  CHECK_THROWS_AS(db.account.update_versioned(account::id == fresh.id, 5, {.balance = 1}), StaleVersion);
  exec_on(d.replica, "SELECT pg_wal_replay_resume()");
  wait_until([&] { return db.user.find_unique(user::id == u.id)->name == "In tx"; }, "the replica to catch up");
}

TEST_CASE("replicas: round robin over the replicas skips one that cannot be reached", "[replica]") {
  PairDatabase d("replicas_rr");
  auto db = Client::open(d.primary, ClientOptions{.replicas = {d.replica, d.replica}});
  for (int i = 0; i < 10; ++i) db.user.count();
  CHECK(db.replicas()->pool(0).statements_run() == 5);
  CHECK(db.replicas()->pool(1).statements_run() == 5);

  // port 1 refuses connections: that replica is skipped (and left alone for a while)
  auto mixed = Client::open(d.primary, ClientOptions{.replicas = {"postgresql://postgres@127.0.0.1:1/none", d.replica}});
  auto on_primary = mixed.statements_run();
  for (int i = 0; i < 6; ++i) CHECK(mixed.user.count() == 0);
  CHECK_FALSE(mixed.replicas()->healthy(0));
  CHECK(mixed.replicas()->healthy(1));
  CHECK(mixed.replicas()->pool(1).statements_run() == 6);
  CHECK(mixed.statements_run() == on_primary);

  // none reachable: reads go to the primary
  auto alone = Client::open(d.primary, ClientOptions{.replicas = {"postgresql://postgres@127.0.0.1:1/none"}});
  auto before = alone.statements_run();
  CHECK(alone.user.count() == 0);
  CHECK(alone.statements_run() == before + 1);
}

TEST_CASE("pgbouncer: transaction pooling with pgbouncer=true keeps every write under 8 threads", "[pgbouncer]") {
  // the bouncer fronts the pair's primary with 2 server connections for 8 client connections
  std::string name = "prisma_cpp_bouncer_" + std::to_string(::getpid());
  std::string primary = url_in("pg-pair/primary");
  exec_on(primary, "DROP DATABASE IF EXISTS \"" + name + "\"");
  exec_on(primary, "CREATE DATABASE \"" + name + "\"");
  std::string url = prisma_test::with_database(url_in("pg-bouncer"), name);
  {
    auto parsed = detail::parse_postgres_url(url + "?pgbouncer=true");
    CHECK(parsed.pgbouncer);
    CHECK(parsed.conninfo.find("options=") == std::string::npos);  // PgBouncer refuses startup options
  }
  auto db = Client::open(url + "?pgbouncer=true&connection_limit=8");
  db.push_schema();
  for (int i = 0; i < 4; ++i) db.account.create({.owner = "acct" + std::to_string(i), .balance = 1000});
  constexpr int kThreads = 8, kOps = 60;
  std::atomic<int> errors{0};
  std::string first_error;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOps; ++i) {
        try {
          auto u = db.user.create({.email = "u" + std::to_string(t) + "_" + std::to_string(i) + "@x.io"});
          // read back on (maybe) another server connection: counted here, checked after the join
          // (Catch2 v2's CHECK is not for other threads; an empty optional is a failure, not UB)
          auto back = db.user.find_unique(user::id == u.id);
          if (!back || back->email != u.email) {
            std::lock_guard lock(mu);
            if (errors++ == 0) first_error = "user " + std::to_string(u.id) + " did not read back after its create";
          }
          db.user.update(user::id == u.id, {.age = i});
          int from = (t + i) % 4, to = (t + i + 1) % 4;
          db.transaction([&](auto& tx) {
            tx.account.update(account::owner == "acct" + std::to_string(from), {.balance = decrement(1)});
            tx.account.update(account::owner == "acct" + std::to_string(to), {.balance = increment(1)});
          }, TransactionOptions{.max_retries = 5});
        } catch (const std::exception& e) {
          std::lock_guard lock(mu);
          if (errors++ == 0) first_error = e.what();
        }
      }
    });
  for (auto& th : threads) th.join();
  INFO(first_error);
  CHECK(errors == 0);
  CHECK(db.user.count() == kThreads * kOps);
  CHECK(db.user.count(where(user::age.is_not_null())) == kThreads * kOps);
  CHECK(std::get<0>(db.account.aggregate(sum(account::balance))) == 4000);
  exec_on(primary, "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
}
