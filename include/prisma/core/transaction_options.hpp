// A transaction's options (Prisma's `$transaction(fn, { maxWait, timeout, isolationLevel })`),
// per transaction and as the client's defaults (ClientOptions::transaction_options, Prisma's
// `transactionOptions`): a field left unset in the one given to `transaction()` comes from the
// client's, then from Prisma's defaults (maxWait 2 s, timeout 5 s, the database's isolation level).
#pragma once
#include <chrono>
#include <optional>

namespace prisma {

// A transaction's isolation level (Prisma's names). SQLite knows Serializable only.
enum class IsolationLevel { Default, ReadUncommitted, ReadCommitted, RepeatableRead, Serializable };

struct TransactionOptions {
  std::optional<IsolationLevel> isolation{};
  // Longest the transaction may stay open, from its BEGIN (Prisma's default 5 s; zero: no limit).
  // A query or the commit after it throws TransactionClosed (P2028) and the transaction is rolled
  // back; on PostgreSQL it is also each statement's `statement_timeout`.
  std::optional<std::chrono::milliseconds> timeout{};
  // Longest to wait for a connection to begin on (Prisma's default 2 s): then TransactionClosed
  // (P2028, "Unable to start a transaction in the given time.").
  std::optional<std::chrono::milliseconds> max_wait{};
  // How often a transaction failing with P2034 runs again (0: never), and the first pause
  // (doubled per attempt, with jitter, at most max_backoff). Not Prisma's: prisma-cpp's own.
  std::optional<int> max_retries{};
  std::optional<std::chrono::milliseconds> backoff{};
  std::optional<std::chrono::milliseconds> max_backoff{};

  // These options over `defaults`: each field set here wins.
  TransactionOptions over(const TransactionOptions& defaults) const {
    TransactionOptions o = *this;
    if (!o.isolation) o.isolation = defaults.isolation;
    if (!o.timeout) o.timeout = defaults.timeout;
    if (!o.max_wait) o.max_wait = defaults.max_wait;
    if (!o.max_retries) o.max_retries = defaults.max_retries;
    if (!o.backoff) o.backoff = defaults.backoff;
    if (!o.max_backoff) o.max_backoff = defaults.max_backoff;
    return o;
  }
  IsolationLevel isolation_or_default() const { return isolation.value_or(IsolationLevel::Default); }
  std::chrono::milliseconds timeout_or_default() const { return timeout.value_or(std::chrono::milliseconds(5000)); }
  std::chrono::milliseconds max_wait_or_default() const { return max_wait.value_or(std::chrono::milliseconds(2000)); }
  int max_retries_or_default() const { return max_retries.value_or(0); }
  std::chrono::milliseconds backoff_or_default() const { return backoff.value_or(std::chrono::milliseconds(10)); }
  std::chrono::milliseconds max_backoff_or_default() const { return max_backoff.value_or(std::chrono::milliseconds(1000)); }
};

}  // namespace prisma
