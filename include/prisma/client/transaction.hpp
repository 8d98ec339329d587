// Interactive transactions: `db.transaction([&](auto& tx) { tx.account.update(...); ... })`.
//
// The callable gets every delegate bound to one connection that holds the transaction open. It
// commits when the callable returns and rolls back when it throws (the exception propagates).
// `tx.transaction(...)` inside opens a savepoint. Options: isolation level, a timeout (checked
// when the callable returns, and on PostgreSQL also as the statements' `statement_timeout`),
// and automatic retry with exponential backoff when the transaction fails with P2034 (a
// serialization failure, a deadlock, SQLite's busy database): the callable then runs again from
// the start, on a fresh transaction. A `tx` kept past its callable throws TransactionClosed
// (P2028) at its next use.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

#include "prisma/client/raw.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/sql/dialect.hpp"

namespace prisma {

struct TransactionOptions {
  IsolationLevel isolation = IsolationLevel::Default;
  // Longest the transaction may stay open (Prisma's default 5 s); zero: no limit.
  std::chrono::milliseconds timeout{5000};
  // How often a transaction failing with P2034 runs again (0: never), and the first pause
  // (doubled per attempt, with jitter, at most max_backoff).
  int max_retries = 0;
  std::chrono::milliseconds backoff{10};
  std::chrono::milliseconds max_backoff{1000};
};

// A Source that hands out the one connection of an open transaction. It is closed (every use
// throws TransactionClosed) when the transaction's callable returns.
template <class Base>
struct PinnedSource {
  static constexpr sql::Dialect dialect = Base::dialect;
  using connection = typename Base::connection;
  using transaction = typename Base::transaction;
  connection* conn = nullptr;
  const Base* base = nullptr;  // the client's own source (metrics, options)

  connection* acquire() const {
    if (!conn)
      throw TransactionClosed("Transaction already closed: a transaction cannot be used after its callable returned");
    return conn;
  }
  connection* acquire_read() const { return acquire(); }  // a transaction reads on its own connection
};

namespace detail {

template <class T> struct is_pinned : std::false_type {};
template <class B> struct is_pinned<PinnedSource<B>> : std::true_type {};

// Models<S> -> Models<S2>: the generated delegate set over another source.
template <class M, class S2> struct rebind_models;
template <template <class> class Models, class S, class S2>
struct rebind_models<Models<S>, S2> {
  using type = Models<S2>;
};

inline std::string begin_statement(sql::Dialect d, IsolationLevel level) {
  auto text = sql::begin(d, level);
  if (text.empty()) throw ValidationError("SQLite transactions are Serializable; it has no other isolation level");
  return std::string(text);
}

template <class F, class Tx>
using tx_result = std::invoke_result_t<F&, Tx&>;

// Runs f(tx) in a transaction on `src` (the client's source), per the options.
template <class Models, class Source, class F>
auto run_transaction(const Source& src, F& f, const TransactionOptions& opt) -> tx_result<F, Models> {
  using R = tx_result<F, Models>;
  if constexpr (is_pinned<Source>::value) {
    // nested: a savepoint on the transaction's connection; the options of the outer one hold
    auto* conn = src.acquire();
    typename Source::transaction sp(*conn);
    Models tx(const_cast<Source*>(&src));
    if constexpr (std::is_void_v<R>) {
      f(tx);
      sp.commit();
    } else {
      R r = f(tx);
      sp.commit();
      return r;
    }
  } else {
    using Pinned = PinnedSource<Source>;
    std::mt19937 jitter(std::random_device{}());
    for (int attempt = 0;; ++attempt) {
      try {
        auto lease = src.acquire();
        auto pinned = std::make_shared<Pinned>(Pinned{&*lease, &src});
        struct Close {  // the tx closes with its callable, whatever way it leaves
          std::shared_ptr<Pinned> p;
          ~Close() { p->conn = nullptr; }
        } close{pinned};
        const auto started = std::chrono::steady_clock::now();
        typename Source::transaction t(*lease, begin_statement(Source::dialect, opt.isolation));
        if constexpr (Source::dialect == sql::Dialect::Postgresql)
          if (opt.timeout.count() > 0)
            lease->exec("SET LOCAL statement_timeout = " + std::to_string(opt.timeout.count()));
        Models tx(pinned.get(), pinned);
        auto check_time = [&] {
          if (opt.timeout.count() > 0 && std::chrono::steady_clock::now() - started > opt.timeout)
            throw TransactionClosed("Transaction already closed: it ran longer than its timeout of " +
                                    std::to_string(opt.timeout.count()) + " ms and was rolled back");
        };
        if constexpr (std::is_void_v<R>) {
          f(tx);
          check_time();
          t.commit();
          return;
        } else {
          R r = f(tx);
          check_time();
          t.commit();
          return r;
        }
      } catch (const TransactionConflict&) {
        if (attempt >= opt.max_retries) throw;
        auto pause = opt.backoff * (1LL << std::min(attempt, 20));
        if (pause > opt.max_backoff) pause = opt.max_backoff;
        std::uniform_int_distribution<long long> d(pause.count() / 2, pause.count());
        std::this_thread::sleep_for(std::chrono::milliseconds(d(jitter)));
      }
    }
  }
}

}  // namespace detail

// What the generated `Models<Src>` (the Client, and every transaction's `tx`) offers besides
// its delegates: transactions and batches (raw SQL: client/raw.hpp adds to it).
template <class Derived, class Src>
class Operations {
 public:
  explicit Operations(Src* src, std::shared_ptr<void> keep = {}) : src_(src), keep_(std::move(keep)) {}

  // Runs f(tx) in one transaction: commit when f returns (its result is returned), roll back when
  // it throws. Inside a transaction: a savepoint.
  template <class F>
  auto transaction(F&& f, const TransactionOptions& options = {}) {
    using Tx = typename detail::rebind_models<Derived, std::conditional_t<detail::is_pinned<Src>::value, Src,
                                                                          PinnedSource<Src>>>::type;
    return detail::run_transaction<Tx>(*src_, f, options);
  }

  // Several operations, all or nothing: `auto [u, n] = db.batch([](auto& tx) { return
  // tx.user.create(...); }, [](auto& tx) { return tx.post.count(); });` runs them in order in one
  // transaction and returns their results as a tuple.
  template <class... Ops>
  auto batch(Ops&&... ops) {
    return transaction([&](auto& tx) {
      using Tx = std::remove_reference_t<decltype(tx)>;
      return std::tuple<detail::tx_result<Ops, Tx>...>{ops(tx)...};  // braces: left to right
    });
  }

  // Raw SQL: a string literal with $1, $2, ... for the arguments (always bound). Rows map into a
  // std::tuple or an aggregate struct, column count and value types checked (RawQueryError,
  // P2010).
  template <class T, class... Args>
  std::vector<T> query_raw(SqlLiteral sql, const Args&... args) {
    auto lease = src_->acquire();
    return detail::query_raw<T>(*lease, sql.text, args...);
  }
  // The affected row count.
  template <class... Args>
  std::int64_t execute_raw(SqlLiteral sql, const Args&... args) {
    auto lease = src_->acquire();
    return detail::execute_raw(*lease, sql.text, args...);
  }
  // The same for SQL text built at run time. Unsafe: whatever went into `sql` runs; pass values
  // as arguments, never spliced into the text.
  template <class T, class... Args>
  std::vector<T> query_raw_unsafe(std::string_view sql, const Args&... args) {
    auto lease = src_->acquire();
    return detail::query_raw<T>(*lease, sql, args...);
  }
  template <class... Args>
  std::int64_t execute_raw_unsafe(std::string_view sql, const Args&... args) {
    auto lease = src_->acquire();
    return detail::execute_raw(*lease, sql, args...);
  }

 protected:
  Src* src_;
  std::shared_ptr<void> keep_;  // a transaction's pinned source outlives a kept `tx`
};

}  // namespace prisma
