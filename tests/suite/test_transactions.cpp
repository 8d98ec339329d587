// Interactive transactions, batches, optimistic locking, the repository, raw SQL, logging and
// metrics: the production patterns of issue 6, on every backend.
#include <atomic>
#include <filesystem>
#include <unistd.h>
#include <array>
#include <map>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "suite.hpp"

using namespace prisma_suite;

namespace {

struct Boom : std::runtime_error {
  Boom() : std::runtime_error("boom") {}
};

}  // namespace

TEST_CASE("a transaction commits when its callable returns and rolls back when it throws", "[transaction]") {
  auto db = fresh();
  auto n = db.transaction([&](auto& tx) {
    tx.user.create({.email = "a@x.io"});
    tx.post.create({.title = "t", .author = {.connect = user::email == "a@x.io"}});
    return tx.user.count();
  });
  CHECK(n == 1);
  CHECK(db.post.count() == 1);
  CHECK_THROWS_AS(db.transaction([&](auto& tx) {
                    tx.user.create({.email = "b@x.io"});
                    tx.user.update(user::email == "a@x.io", {.name = "changed"});
                    throw Boom();
                  }),
                  Boom);
  CHECK(db.user.count() == 1);
  CHECK(db.user.find_unique_or_throw(user::email == "a@x.io").name == std::nullopt);
  // a database error inside rolls back too, and propagates as itself
  CHECK_THROWS_AS(db.transaction([&](auto& tx) {
                    tx.user.create({.email = "c@x.io"});
                    tx.user.create({.email = "a@x.io"});
                  }),
                  UniqueConstraintViolation);
  CHECK(db.user.count() == 1);
  // the client works afterwards
  CHECK(db.user.create({.email = "d@x.io"}).email == "d@x.io");
}

TEST_CASE("nested transactions are savepoints", "[transaction]") {
  auto db = fresh();
  db.transaction([&](auto& tx) {
    tx.user.create({.email = "outer@x.io"});
    CHECK_THROWS_AS(tx.transaction([&](auto& inner) {
                      inner.user.create({.email = "inner@x.io"});
                      throw Boom();
                    }),
                    Boom);
    tx.transaction([&](auto& inner) { inner.user.create({.email = "kept@x.io"}); });
    CHECK(tx.user.count() == 2);
  });
  auto users = db.user.find_many(order_by(user::email.asc()));
  REQUIRE(users.size() == 2);
  CHECK(users[0].email == "kept@x.io");
  CHECK(users[1].email == "outer@x.io");
}

TEST_CASE("a transaction cannot be used after its callable returned", "[transaction]") {
  auto db = fresh();
  auto escape = db.transaction([&](auto& tx) { return std::move(tx); });
  try {
    escape.user.count();
    FAIL("no error");
  } catch (const TransactionClosed& e) {
    CHECK(e.code() == "P2028");
  }
  CHECK(db.user.count() == 0);
}

TEST_CASE("a transaction that runs past its timeout is rolled back", "[transaction]") {
  auto db = fresh();
  try {
    db.transaction(
        [&](auto& tx) {
          tx.user.create({.email = "slow@x.io"});
          std::this_thread::sleep_for(std::chrono::milliseconds(60));
        },
        TransactionOptions{.timeout = std::chrono::milliseconds(20)});
    FAIL("no error");
  } catch (const TransactionClosed& e) {
    CHECK(std::string(e.what()).find("timeout") != std::string::npos);
  }
  CHECK(db.user.count() == 0);
}

TEST_CASE("a query after the timeout is P2028 in Prisma's words and the transaction rolls back", "[transaction]") {
  auto db = fresh();
  try {
    db.transaction(
        [&](auto& tx) {
          tx.user.create({.email = "slow@x.io"});
          std::this_thread::sleep_for(std::chrono::milliseconds(60));
          tx.user.count();  // past the timeout: refused before it runs
          FAIL("the query ran");
        },
        TransactionOptions{.timeout = std::chrono::milliseconds(20)});
    FAIL("no error");
  } catch (const TransactionClosed& e) {
    CHECK(e.code() == "P2028");
    CHECK(e.message().rfind("Transaction already closed: A query cannot be executed on an expired transaction. The "
                            "timeout for this transaction was 20 ms, however ", 0) == 0);
  }
  CHECK(db.user.count() == 0);
}

TEST_CASE("maxWait: a transaction that gets no connection in time is P2028", "[transaction]") {
  auto db = fresh();
  std::vector<decltype(db.pool().acquire())> held;  // every connection of the pool taken
  for (std::size_t i = 0; i < db.pool().size(); ++i) held.push_back(db.pool().acquire());
  auto started = std::chrono::steady_clock::now();
  try {
    db.transaction([&](auto& tx) { tx.user.count(); }, TransactionOptions{.max_wait = std::chrono::milliseconds(50)});
    FAIL("no error");
  } catch (const TransactionClosed& e) {
    CHECK(e.code() == "P2028");
    CHECK(e.message() == "Transaction API error: Unable to start a transaction in the given time.");
  }
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));  // maxWait, not pool_timeout
  held.clear();
  CHECK(db.transaction([&](auto& tx) { return tx.user.count(); }) == 0);
}

TEST_CASE("the client's transaction_options are every transaction's defaults; a call's own win", "[transaction]") {
  auto db = fresh_with(ClientOptions{.transaction_options = {.timeout = std::chrono::milliseconds(20)}});
  auto slow = [&](auto& tx) {
    tx.user.create({.email = "slow@x.io"});
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
  };
  CHECK_THROWS_AS(db.transaction(slow), TransactionClosed);  // the client's 20 ms
  CHECK(db.user.count() == 0);
  db.transaction(slow, TransactionOptions{.timeout = std::chrono::milliseconds(0)});  // none for this one
  CHECK(db.user.count() == 1);
}

TEST_CASE("a transaction failing with P2034 runs again, up to max_retries", "[transaction]") {
  auto db = fresh();
  int attempts = 0;
  db.transaction(
      [&](auto& tx) {
        ++attempts;
        tx.user.create({.email = "u" + std::to_string(attempts) + "@x.io"});
        if (attempts < 3) throw TransactionConflict("simulated serialization failure");
      },
      TransactionOptions{.max_retries = 5, .backoff = std::chrono::milliseconds(1)});
  CHECK(attempts == 3);
  CHECK(db.user.count() == 1);  // the failed attempts left nothing
  CHECK(db.user.find_unique(user::email == "u3@x.io"));
  attempts = 0;
  CHECK_THROWS_AS(db.transaction(
                      [&](auto&) {
                        ++attempts;
                        throw TransactionConflict("always");
                      },
                      TransactionOptions{.max_retries = 2, .backoff = std::chrono::milliseconds(1)}),
                  TransactionConflict);
  CHECK(attempts == 3);
}

TEST_CASE("isolation levels", "[transaction]") {
  auto db = fresh();
  auto n = db.transaction([&](auto& tx) { return tx.user.count(); },
                          TransactionOptions{.isolation = IsolationLevel::Serializable});
  CHECK(n == 0);
#ifdef PRISMA_SUITE_POSTGRES
  // The level the server reports inside the transaction, for every level asked for (a test
  // that an ignored option cannot pass).
  auto level_of = [&](IsolationLevel l) {
    auto rows = db.transaction(
        [&](auto& tx) { return tx.template query_raw<std::tuple<std::string>>("SHOW transaction_isolation"); },
        TransactionOptions{.isolation = l});
    return std::get<0>(rows.at(0));
  };
  CHECK(level_of(IsolationLevel::Serializable) == "serializable");
  CHECK(level_of(IsolationLevel::RepeatableRead) == "repeatable read");
  CHECK(level_of(IsolationLevel::ReadCommitted) == "read committed");
  CHECK(level_of(IsolationLevel::ReadUncommitted) == "read uncommitted");
#else
  CHECK_THROWS_AS(db.transaction([&](auto& tx) { return tx.user.count(); },
                                 TransactionOptions{.isolation = IsolationLevel::ReadCommitted}),
                  ValidationError);
#endif
}

TEST_CASE("batch runs several operations atomically and returns every result", "[transaction][batch]") {
  auto db = fresh();
  auto [ann, posts, users] = db.batch([](auto& tx) { return tx.user.create({.email = "ann@x.io"}); },
                                      [](auto& tx) { return tx.post.create({.title = "p", .authorId = 1}); },
                                      [](auto& tx) { return tx.user.count(); });
  CHECK(ann.email == "ann@x.io");
  CHECK(posts.authorId == ann.id);
  CHECK(users == 1);
  CHECK_THROWS_AS(db.batch([](auto& tx) { return tx.user.create({.email = "bob@x.io"}); },
                           [](auto& tx) { return tx.user.create({.email = "ann@x.io"}); }),
                  UniqueConstraintViolation);
  CHECK(db.user.count() == 1);
}

TEST_CASE("update_versioned bumps the version and refuses a stale one", "[optimistic]") {
  auto db = fresh();
  auto a = db.account.create({.owner = "ann", .balance = 100});
  CHECK(a.version == 0);
  auto b = db.account.update_versioned(account::id == a.id, a.version, {.balance = 150});
  CHECK(b.version == 1);
  CHECK(b.balance == 150);
  try {
    db.account.update_versioned(account::id == a.id, a.version, {.balance = 999});  // read at version 0
    FAIL("no error");
  } catch (const StaleVersion& e) {
    CHECK(e.code() == "P2025");
  }
  CHECK(db.account.find_unique_or_throw(account::id == a.id).balance == 150);
  CHECK_THROWS_AS(db.account.update_versioned(account::id == 999, 0, {.balance = 1}), RecordNotFound);
  try {
    db.account.update_versioned(account::id == 999, 0, {.balance = 1});
  } catch (const StaleVersion&) {
    FAIL("a missing record is not a stale one");
  } catch (const RecordNotFound&) {
  }
}

TEST_CASE("two competing writers: exactly one wins each round, no update is lost", "[optimistic]") {
  auto db = fresh();
  auto acct = db.account.create({.owner = "shared", .balance = 0});
  const int rounds = 40;
  int wins = 0, stale = 0;
  for (int r = 0; r < rounds; ++r) {
    // both writers read the same version, then both write
    auto first = db.account.find_unique_or_throw(account::id == acct.id);
    auto second = db.account.find_unique_or_throw(account::id == acct.id);
    for (auto* seen : {&first, &second}) {
      try {
        db.account.update_versioned(account::id == acct.id, seen->version, {.balance = seen->balance + 1});
        ++wins;
      } catch (const StaleVersion&) {
        ++stale;
      }
    }
  }
  CHECK(wins == rounds);
  CHECK(stale == rounds);
  auto end = db.account.find_unique_or_throw(account::id == acct.id);
  CHECK(end.balance == rounds);  // every win counted once: nothing overwritten
  CHECK(end.version == rounds);
  // and from two threads at once, retrying on StaleVersion: every increment lands
  std::atomic<int> conflicts{0};
  auto writer = [&] {
    for (int i = 0; i < 50; ++i)
      for (;;) {
        auto cur = db.account.find_unique_or_throw(account::id == acct.id);
        try {
          db.account.update_versioned(account::id == acct.id, cur.version, {.balance = cur.balance + 1});
          break;
        } catch (const StaleVersion&) {
          ++conflicts;
        }
      }
  };
  std::thread t1(writer), t2(writer);
  t1.join();
  t2.join();
  CHECK(db.account.find_unique_or_throw(account::id == acct.id).balance == rounds + 100);
}

TEST_CASE("8 threads of reads, writes and transactions on one client keep every write and every invariant",
          "[concurrency]") {
  // SQLite: a WAL file and a pool of 4 connections (readers side by side, writers in turn);
  // PostgreSQL: the pool of 4.
  auto db = fresh_shared();
  constexpr int kAccounts = 8, kThreads = 8, kRounds = 60, kStart = 1000, kMove = 5;
  std::vector<int> ids;
  for (int k = 0; k < kAccounts; ++k)
    ids.push_back(db.account.create({.owner = "acct" + std::to_string(k), .balance = kStart}).id);
  auto counter = db.account.create({.owner = "counter", .balance = 0});
  std::array<std::atomic<int>, kAccounts> in{}, out{};
  std::atomic<int> users{0}, bumps{0}, torn_reads{0}, raw_rows{0};
  std::mutex errors_mu;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kRounds; ++i) {
          switch ((t + i) % 5) {
            case 0:  // a plain write
              db.user.create({.email = "t" + std::to_string(t) + "_" + std::to_string(i) + "@x.io"});
              ++users;
              break;
            case 1: {  // a transfer in an interactive transaction
              int from = (t + i) % kAccounts, to = (t + i + 3) % kAccounts;
              db.transaction(
                  [&](auto& tx) {
                    auto a = tx.account.find_unique_or_throw(account::id == ids[from]);
                    tx.account.update(account::id == ids[from], {.balance = a.balance - kMove});
                    tx.account.update(account::id == ids[to], {.balance = increment(kMove)});
                  },
                  // read-then-write is safe only where the transaction is serializable (SQLite's
                  // always are); PostgreSQL's serialization failures (P2034) run it again
                  TransactionOptions{.isolation = IsolationLevel::Serializable,
                                     .timeout = std::chrono::milliseconds(0),
                                     .max_retries = 100,
                                     .backoff = std::chrono::milliseconds(1),
                                     .max_backoff = std::chrono::milliseconds(20)});
              ++out[from];
              ++in[to];
              break;
            }
            case 2:  // optimistic locking, retried on StaleVersion
              for (;;) {
                auto cur = db.account.find_unique_or_throw(account::id == counter.id);
                try {
                  db.account.update_versioned(account::id == counter.id, cur.version, {.balance = cur.balance + 1});
                  ++bumps;
                  break;
                } catch (const StaleVersion&) {
                }
              }
              break;
            case 3: {  // a read sees every transfer whole or not at all
              auto [held] = db.account.aggregate(sum(account::balance), where(account::owner.starts_with("acct")));
              if (held.value_or(0) != kAccounts * kStart) ++torn_reads;
              break;
            }
            default: {  // raw SQL and a count, each checked against what it must see
              auto counted = db.query_raw<std::tuple<std::int64_t>>("SELECT COUNT(*) FROM \"Account\"");
              if (counted.size() == 1 && std::get<0>(counted[0]) == kAccounts + 1) ++raw_rows;  // the accounts and the counter
              auto n = db.user.count();
              if (n < 0 || n > kThreads * kRounds / 5) ++torn_reads;  // never more users than are ever created
            }
          }
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(errors_mu);
        errors.push_back(e.what());
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& e : errors) UNSCOPED_INFO(e);
  CHECK(errors.empty());
  CHECK(torn_reads == 0);
  CHECK(db.user.count() == users.load());
  CHECK(users == kThreads * kRounds / 5);
  auto c = db.account.find_unique_or_throw(account::id == counter.id);
  CHECK(c.balance == bumps.load());
  CHECK(c.version == bumps.load());
  CHECK(bumps == kThreads * kRounds / 5);
  int total = 0;
  for (int k = 0; k < kAccounts; ++k) {
    auto a = db.account.find_unique_or_throw(account::id == ids[k]);
    CHECK(a.balance == kStart + kMove * (in[k] - out[k]));
    total += a.balance;
  }
  CHECK(total == kAccounts * kStart);
  CHECK(raw_rows == kThreads * kRounds / 5);
}

TEST_CASE("the repository finds, pages, creates, updates, saves and removes", "[repository]") {
  auto db = fresh();
  UserRepository<Client> users(db);
  auto ann = users.create({.email = "ann@x.io", .name = "Ann"});
  CHECK(users.find_by_id(ann.id)->email == "ann@x.io");
  CHECK(users.find_by_email("ann@x.io")->id == ann.id);
  CHECK_FALSE(users.find_by_email("nobody@x.io"));
  for (int i = 0; i < 5; ++i) users.create({.email = "u" + std::to_string(i) + "@x.io"});
  auto page = users.find_many(Page{.skip = 2, .take = 2});
  REQUIRE(page.size() == 2);
  CHECK(page[0].id == ann.id + 2);
  auto filtered = users.find_many(Page{.skip = 0, .take = 10}, where(user::name.is_null()), order_by(user::id.desc()));
  CHECK(filtered.size() == 5);
  CHECK(users.update(ann.id, {.age = 31}).age == 31);
  // save: an unsaved struct (no id) is inserted, a loaded one written back
  auto bob = users.save(User{.email = "bob@x.io", .name = "Bob"});
  CHECK(bob.id > 0);
  bob.name = "Robert";
  CHECK(users.save(bob).name == std::optional<std::string>("Robert"));
  CHECK(users.find_by_id(bob.id)->name == std::optional<std::string>("Robert"));
  CHECK(users.remove(bob.id).email == "bob@x.io");
  CHECK_FALSE(users.find_by_id(bob.id));
  CHECK(users.count() == 6);

  // save with a version field is a versioned update
  AccountRepository<Client> accounts(db);
  auto a = accounts.save(Account{.owner = "ann", .balance = 10});
  auto copy = a;
  a.balance = 20;
  a = accounts.save(a);
  CHECK(a.version == 1);
  copy.balance = 30;
  CHECK_THROWS_AS(accounts.save(copy), StaleVersion);
  CHECK(accounts.find_by_owner("ann")->balance == 20);

  // inside a transaction, on the transaction's connection
  CHECK_THROWS_AS(db.transaction([&](auto& tx) {
                    UserRepository<std::remove_reference_t<decltype(tx)>> in_tx(tx);
                    in_tx.create({.email = "tx@x.io"});
                    CHECK(in_tx.find_by_email("tx@x.io"));
                    throw Boom();
                  }),
                  Boom);
  CHECK_FALSE(users.find_by_email("tx@x.io"));
}

namespace {
struct EmailRow {
  int id;
  std::string email;
  std::optional<std::string> name;
};
}  // namespace

TEST_CASE("raw SQL maps rows into tuples and structs with checked columns", "[raw]") {
  auto db = fresh();
  db.user.create({.email = "ann@x.io", .name = "Ann"});
  db.user.create({.email = "bob@x.io"});
  auto rows = db.query_raw<std::tuple<int, std::string>>(
      "SELECT \"id\", \"email\" FROM \"User\" WHERE \"email\" <> $1 ORDER BY \"id\"", "bob@x.io");
  REQUIRE(rows.size() == 1);
  CHECK(std::get<1>(rows[0]) == "ann@x.io");
  auto structs = db.query_raw<EmailRow>("SELECT \"id\", \"email\", \"name\" FROM \"User\" ORDER BY \"id\"");
  REQUIRE(structs.size() == 2);
  CHECK(structs[0].name == std::optional<std::string>("Ann"));
  CHECK(structs[1].name == std::nullopt);
  // a value that would be an injection as text is only ever a bound value
  CHECK(db.query_raw<std::tuple<std::int64_t>>("SELECT COUNT(*) FROM \"User\" WHERE \"email\" = $1",
                                               "x' OR '1'='1")[0] == std::tuple<std::int64_t>{0});
  try {
    db.query_raw<std::tuple<int>>("SELECT \"id\", \"email\" FROM \"User\"");
    FAIL("no error");
  } catch (const RawQueryError& e) {
    CHECK(e.code() == "P2010");
    CHECK(std::string(e.what()).find("2 columns") != std::string::npos);
  }
  CHECK_THROWS_AS((db.query_raw<std::tuple<int, int>>("SELECT \"id\", \"email\" FROM \"User\"")), RawQueryError);
  CHECK_THROWS_AS((db.query_raw<std::tuple<std::string>>("SELECT \"name\" FROM \"User\" ORDER BY \"id\"")), RawQueryError);
  CHECK(db.execute_raw("UPDATE \"User\" SET \"age\" = $1 WHERE \"name\" IS NULL", 40) == 1);
  std::string table = "User";  // dynamic SQL goes through the unsafe forms only
  CHECK(db.query_raw_unsafe<std::tuple<std::int64_t>>("SELECT COUNT(*) FROM \"" + table + "\" WHERE \"age\" = $1", 40)
            .size() == 1);
  CHECK(db.execute_raw_unsafe("DELETE FROM \"" + table + "\" WHERE \"age\" = $1", 40) == 1);
}

TEST_CASE("query events carry the SQL, parameters, duration and rows; slow queries warn", "[logging]") {
  std::vector<LogEvent> events;
  std::vector<std::string> params;
  std::int64_t rows = -1;
  ClientOptions opt{.log = {LogLevel::Query, LogLevel::Warn, LogLevel::Error},
                    .on_log =
                        [&](const LogEvent& e) {
                          events.push_back({e.level, e.message, nullptr});
                          if (e.level == LogLevel::Query && e.query && e.message.find("SELECT") == 0) {
                            params = *e.query->params;
                            rows = e.query->rows;
                          }
                        },
                    .slow_query = std::chrono::milliseconds(1)};
  auto db = fresh_with(opt);
  events.clear();
  db.user.create({.email = "ann@x.io"});
  db.user.find_many(where(user::email == "ann@x.io"));
  REQUIRE_FALSE(events.empty());
  CHECK(events.front().level == LogLevel::Query);
  CHECK(events.front().message.find("INSERT INTO") == 0);
  CHECK(params.size() == 1);
  CHECK(params[0].find("ann@x.io") != std::string::npos);
  CHECK(rows == 1);
  events.clear();
  // a statement that takes several milliseconds: a warn event besides the query event
  db.query_raw<std::tuple<std::int64_t>>(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT COUNT(*) FROM c");
  bool warned = false;
  for (const auto& e : events) warned = warned || (e.level == LogLevel::Warn && e.message.find("Slow query") == 0);
  CHECK(warned);
  events.clear();
  CHECK_THROWS(db.user.create({.email = "ann@x.io"}));
  bool error_logged = false;
  for (const auto& e : events) error_logged = error_logged || e.level == LogLevel::Error;
  CHECK(error_logged);
}

TEST_CASE("metrics count queries under Prisma's names, as JSON and Prometheus text", "[metrics]") {
  auto db = fresh_with(ClientOptions{.metrics = true});
  auto before = db.metrics().counter("prisma_client_queries_total");
  db.user.create({.email = "ann@x.io"});
  db.user.count();
  db.user.find_many();
  auto m = db.metrics();
  CHECK(m.counter("prisma_client_queries_total") == before + 3);
  CHECK(m.gauge("prisma_client_queries_active") == 0);
  CHECK(m.gauge("prisma_pool_connections_open") >= 1);
  const auto* h = m.histogram("prisma_client_queries_duration_histogram_ms");
  REQUIRE(h);
  CHECK(h->count == static_cast<std::uint64_t>(before + 3));
  CHECK(m.json().find("\"key\":\"prisma_client_queries_total\"") != std::string::npos);
  auto text = m.prometheus();
  CHECK(text.find("# TYPE prisma_client_queries_duration_histogram_ms histogram") != std::string::npos);
  CHECK(text.find("prisma_client_queries_duration_histogram_ms_bucket{le=\"+Inf\"}") != std::string::npos);
#ifdef PRISMA_SUITE_POSTGRES
  {  // every pooled connection (4) taken: a query waits, and the wait gauge shows it
    std::vector<driver::postgres::Pool::Lease> held;
    for (int i = 0; i < 4; ++i) held.push_back(db.pool().acquire());
    CHECK(db.metrics().gauge("prisma_pool_connections_busy") == 4);
    std::thread waiter([&] { db.user.count(); });
    double seen = 0;
    for (int i = 0; i < 200 && seen == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      seen = db.metrics().gauge("prisma_client_queries_wait");
    }
    CHECK(seen == 1);
    held.clear();
    waiter.join();
    CHECK(db.metrics().gauge("prisma_client_queries_wait") == 0);
  }
#endif
  // without the option there are none
  auto plain = fresh();
  CHECK_THROWS_AS(plain.metrics(), ValidationError);
}

#ifndef PRISMA_SUITE_POSTGRES
TEST_CASE("a transaction retries while another connection holds SQLite's write lock", "[transaction]") {
  // (PostgreSQL's serialization failures and deadlocks are retried in examples/transfer's ctest.)
  auto path = std::filesystem::temp_directory_path() / ("prisma_busy_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  auto url = "file:" + path.string();
  auto holder = Client::open(url);
  holder.push_schema();
  auto db = Client::open(url + "?socket_timeout=0.02");  // gives up waiting for the lock after 20 ms
  auto held = holder.pool().acquire();
  held->exec("BEGIN IMMEDIATE");
  // without retries the busy database is P2034 at once
  CHECK_THROWS_AS(db.transaction([&](auto& tx) { tx.user.create({.email = "early@x.io"}); }), TransactionConflict);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    held->exec("COMMIT");
  });
  int attempts = 0;
  db.transaction(
      [&](auto& tx) {
        ++attempts;
        tx.user.create({.email = "late@x.io"});
      },
      TransactionOptions{.max_retries = 20, .backoff = std::chrono::milliseconds(10), .max_backoff = std::chrono::milliseconds(40)});
  release.join();
  CHECK(attempts == 1);  // BEGIN IMMEDIATE itself waited: the callable ran once, on the lock
  CHECK(db.user.count() == 1);
  std::filesystem::remove(path);
}
#endif

TEST_CASE("tracing: operations and statements are spans with Prisma's names and attributes", "[observe][tracing]") {
  struct Seen {
    std::string name;
    std::map<std::string, std::string> attrs;
  };
  std::vector<Seen> spans;
  std::mutex m;
  auto db = fresh_with(ClientOptions{.on_span = [&](const Span& s) {
    std::lock_guard lock(m);
    CHECK(s.end >= s.start);
    spans.push_back({std::string(s.name), {s.attributes.begin(), s.attributes.end()}});
  }});
  spans.clear();  // the schema's DDL
  db.user.create({.email = "t@x.io"});
  db.user.find_unique(user::email == "t@x.io");  // one operation, however it runs inside
  REQUIRE(spans.size() == 4);
  // a statement's span ends inside its operation's (Prisma 7.10's names and attributes)
  CHECK(spans[0].name == "prisma:client:db_query");
  CHECK(spans[0].attrs.at("db.query.text").rfind("INSERT INTO", 0) == 0);
#ifdef PRISMA_SUITE_POSTGRES
  CHECK(spans[0].attrs.at("db.system.name") == "postgresql");
#else
  CHECK(spans[0].attrs.at("db.system.name") == "sqlite");
#endif
  CHECK(spans[1].name == "prisma:client:operation");
  CHECK(spans[1].attrs == std::map<std::string, std::string>{{"method", "create"}, {"model", "User"}, {"name", "User.create"}});
  CHECK(spans[2].name == "prisma:client:db_query");
  CHECK(spans[2].attrs.at("db.query.text").rfind("SELECT", 0) == 0);
  CHECK(spans[3].attrs.at("name") == "User.findUnique");
  spans.clear();
  db.user.count();
  db.query_raw<std::tuple<std::int64_t>>("SELECT 1");
  REQUIRE(spans.size() == 4);
  CHECK(spans[1].attrs == std::map<std::string, std::string>{{"method", "count"}, {"model", "User"}, {"name", "User.count"}});
  CHECK(spans[3].attrs == std::map<std::string, std::string>{{"method", "queryRaw"}, {"name", "queryRaw"}});
}

TEST_CASE("tracing: a transaction is a span tree of start, its operations and commit or rollback", "[observe][tracing]") {
  std::vector<Span> spans;  // names and attributes point into the client's storage: kept while it lives
  std::vector<std::map<std::string, std::string>> attrs;
  std::mutex m;
  auto db = fresh_with(ClientOptions{.on_span = [&](const Span& s) {
    std::lock_guard lock(m);
    spans.push_back(s);
    attrs.push_back({s.attributes.begin(), s.attributes.end()});
  }});
  spans.clear();
  attrs.clear();
  db.transaction([](auto& tx) { tx.user.count(); });
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& s : spans) out.emplace_back(s.name);
    return out;
  };
  // children end (and arrive) before their parents
  REQUIRE(names() == std::vector<std::string>{"prisma:client:start_transaction", "prisma:client:db_query",
                                              "prisma:client:operation", "prisma:client:commit_transaction",
                                              "prisma:client:transaction"});
  const auto& tx = spans[4];
  CHECK(attrs[4] == std::map<std::string, std::string>{{"method", "$transaction"}});
  CHECK(tx.parent_id == 0);
  CHECK(spans[0].parent_id == tx.id);
  CHECK(spans[2].parent_id == tx.id);
  CHECK(spans[1].parent_id == spans[2].id);  // the statement within its operation
  CHECK(spans[1].client_kind);
  CHECK_FALSE(spans[2].client_kind);
  CHECK(spans[3].parent_id == tx.id);
  CHECK_FALSE(tx.failed);
  std::set<std::uint64_t> ids;
  for (const auto& s : spans) ids.insert(s.id);
  CHECK(ids.size() == spans.size());

  spans.clear();
  attrs.clear();
  CHECK_THROWS_AS(db.transaction([](auto& tx) {
                    tx.user.create({.email = "gone@x.io"});
                    throw Boom();
                  }),
                  Boom);
  REQUIRE(names() == std::vector<std::string>{"prisma:client:start_transaction", "prisma:client:db_query",
                                              "prisma:client:operation", "prisma:client:rollback_transaction",
                                              "prisma:client:transaction"});
  CHECK(spans[3].parent_id == spans[4].id);
  CHECK(spans[4].failed);
  CHECK(db.user.count() == 0);
}

TEST_CASE("sql comments: sqlcommenter tags on every statement as Prisma 7 writes them", "[observe][comments]") {
  // Prisma 7.10's own output for these tags (its `comments` option, @prisma/sqlcommenter):
  CHECK(sql_comment({{"application", "my app"}, {"route", "/users/:id's"}, {"z", "last"}, {"a", "first"}}) ==
        " /*a='first',application='my%20app',route='%2Fusers%2F%3Aid\\'s',z='last'*/");
  CHECK(sql_comment({{"b", "1"}, {"B", "2"}, {"a", "3"}, {"A", "4"}, {"_x", "5"}, {"1", "6"}, {"a-b", "7"}, {"aa", "8"}, {"Z", "10"}}) ==
        " /*_x='5',1='6',a='3',A='4',a-b='7',aa='8',b='1',B='2',Z='10'*/");
  CHECK(sql_comment({{"k", "*/ = , % \"\n+"}, {"empty", ""}}) == " /*empty='',k='*%2F%20%3D%20%2C%20%25%20%22%0A%2B'*/");
  CHECK(sql_comment({{"shared", "one"}, {"shared", "two"}}) == " /*shared='two'*/");  // the later wins
  CHECK(sql_comment({}).empty());

  std::vector<std::string> statements;
  std::mutex m;
  auto db = fresh_with(ClientOptions{
      .log = {LogLevel::Query},
      .on_log = [&](const LogEvent& e) {
        std::lock_guard lock(m);
        statements.emplace_back(e.query->sql);
      },
      .comments = {query_tags(), [](const SqlCommentContext& c) {
                     return SqlTags{{"application", "billing"}, {"action", std::string(c.action)}, {"model", std::string(c.model)}};
                   }}});
  statements.clear();
  db.user.create({.email = "c@x.io"});
  db.user.find_many(where(user::email == "c@x.io"), include(user::posts));  // two statements, both tagged
  db.user.count();
  with_query_tags({{"route", "/x"}, {"requestId", "abc"}}, [&] { db.user.find_first(); });
  db.query_raw<std::tuple<std::int64_t>>("SELECT 1");
  REQUIRE(statements.size() == 6);
  auto ends_with = [](const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  CHECK(ends_with(statements[0], " /*action='createOne',application='billing',model='User'*/"));
  CHECK(statements[0].rfind("INSERT INTO", 0) == 0);
  CHECK(ends_with(statements[1], " /*action='findMany',application='billing',model='User'*/"));
  CHECK(ends_with(statements[2], " /*action='findMany',application='billing',model='User'*/"));
  CHECK(statements[2].find("Post") != std::string::npos);
  CHECK(ends_with(statements[3], " /*action='aggregate',application='billing',model='User'*/"));
  CHECK(ends_with(statements[4], " /*action='findFirst',application='billing',model='User',requestId='abc',route='%2Fx'*/"));
  CHECK(ends_with(statements[5], " /*action='queryRaw',application='billing',model=''*/"));
  // the statements ran as commented, and varying tags do not grow the statement cache
  auto cached = db.pool().acquire()->cached_statements();
  for (int i = 0; i < 100; ++i)
    with_query_tags({{"requestId", std::to_string(i)}}, [&] { CHECK(db.user.count(where(user::email == "c@x.io")) == 1); });
  CHECK(db.pool().acquire()->cached_statements() <= cached + 1);
}

TEST_CASE("sql comments: a commenter that throws fails the operation before its statement runs", "[observe][comments]") {
  bool fail = false;
  auto db = fresh_with(ClientOptions{.comments = {[&](const SqlCommentContext&) {
    if (fail) throw std::runtime_error("commenter failed");
    return SqlTags{};
  }}});
  db.user.create({.email = "a@x.io"});
  fail = true;
  CHECK_THROWS_WITH(db.user.create({.email = "b@x.io"}), "commenter failed");
  fail = false;
  CHECK(db.user.count() == 1);
}
