// Concurrent funds transfers on PostgreSQL (seed 004's ACID transfer, in C++): 8 threads move
// money between 10 accounts through interactive transactions. Each transfer decrements the
// sender, refuses to let a balance go negative (the transaction rolls back), increments the
// recipient and records the transfer. Serialization failures and deadlocks (P2034) are retried.
// At the end the total is what it was, no balance is negative, and the ledger matches the
// balances. Exit status 0 when every invariant holds.
//
//   DATABASE_URL=postgresql://user@127.0.0.1:5432/db transfer [threads] [transfers per thread]
#include <bank/all.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace prisma;
using namespace bank;

namespace {

struct InsufficientFunds : std::runtime_error {
  InsufficientFunds() : std::runtime_error("insufficient funds") {}
};

std::atomic<int> attempts{0};  // runs of a transfer's callable, retries included

// The transfer of seed 004, one transaction: all of it happens or none of it.
void transfer_funds(Client& db, int from, int to, int amount) {
  db.transaction(
      [&](auto& tx) {
        ++attempts;
        auto sender = tx.account.update(account::id == from, {.balance = decrement(amount)});
        if (sender.balance < 0) throw InsufficientFunds();  // rolls the decrement back
        tx.account.update(account::id == to, {.balance = increment(amount)});
        tx.transfer.create({.fromAccountId = from, .toAccountId = to, .amount = amount, .type = TransferType::TRANSFER});
      },
      TransactionOptions{.isolation = IsolationLevel::Serializable, .timeout = std::chrono::seconds(10),
                         .max_retries = 50, .backoff = std::chrono::milliseconds(2)});
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 8;
  const int per_thread = argc > 2 ? std::atoi(argv[2]) : 200;
  const char* url = std::getenv("DATABASE_URL");
  if (!url) {
    std::fprintf(stderr, "set DATABASE_URL to a PostgreSQL database\n");
    return 2;
  }
  // the example's own schema in that database, made fresh
  std::string base = url;
  {
    auto admin = Client::open(base + (base.find('?') == std::string::npos ? "?" : "&") + "connection_limit=1");
    admin.execute_raw("DROP SCHEMA IF EXISTS transfer_example CASCADE");
    admin.execute_raw("CREATE SCHEMA transfer_example");
  }
  auto db = Client::open(base + (base.find('?') == std::string::npos ? "?" : "&") +
                         "schema=transfer_example&connection_limit=" + std::to_string(threads + 1));
  db.push_schema();

  const int accounts = 10, initial = 1000;
  for (int i = 0; i < accounts; ++i) db.account.create({.owner = "owner" + std::to_string(i), .balance = initial});

  std::atomic<int> done{0}, refused{0}, failed{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t * 7919 + 1));
      std::uniform_int_distribution<int> acct(1, accounts), amount(1, 400);
      for (int i = 0; i < per_thread; ++i) {
        int from = acct(rng), to = acct(rng);
        if (from == to) to = from % accounts + 1;
        try {
          transfer_funds(db, from, to, amount(rng));
          ++done;
        } catch (const InsufficientFunds&) {
          ++refused;
        } catch (const std::exception& e) {
          ++failed;
          std::fprintf(stderr, "transfer failed: %s\n", e.what());
        }
      }
    });
  for (auto& th : pool) th.join();

  auto [total, lowest] = db.account.aggregate(sum(account::balance), min(account::balance));
  auto ledger = db.transfer.count();
  // the ledger replayed from the initial balances gives every balance
  bool ledger_matches = true;
  for (const auto& a : db.account.find_many(include(account::sent, account::received))) {
    long long expect = initial;
    for (const auto& t : a.sent) expect -= t.amount;
    for (const auto& t : a.received) expect += t.amount;
    ledger_matches = ledger_matches && expect == a.balance;
  }
  std::printf("transfers: %d done, %d refused (insufficient funds), %d failed; ledger rows %lld; "
              "%d runs retried after a serialization failure or deadlock (P2034)\n",
              done.load(), refused.load(), failed.load(), static_cast<long long>(ledger),
              attempts.load() - threads * per_thread);
  std::printf("total balance %lld (expected %d), lowest balance %d, ledger matches balances: %s\n",
              static_cast<long long>(total.value_or(0)), accounts * initial, lowest.value_or(0),
              ledger_matches ? "yes" : "no");
  bool ok = failed == 0 && total.value_or(0) == accounts * initial && lowest.value_or(0) >= 0 && ledger_matches &&
            ledger == done && done + refused == threads * per_thread;
  std::printf("%s\n", ok ? "OK: every invariant holds" : "FAILED");
  return ok ? 0 : 1;
}
