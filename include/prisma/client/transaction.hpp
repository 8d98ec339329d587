// Interactive transactions: `db.transaction([&](auto& tx) { tx.account.update(...); ... })`.
//
// The callable gets every delegate bound to one connection that holds the transaction open. It
// commits when the callable returns and rolls back when it throws (the exception propagates).
// `tx.transaction(...)` inside opens a savepoint. Options (core/transaction_options.hpp; the
// client's ClientOptions::transaction_options fill what a call leaves unset): isolation level,
// maxWait (how long to wait for a connection to begin on), a timeout (from BEGIN: a query or the
// commit after it throws P2028 and the transaction rolls back; on PostgreSQL also the statements'
// `statement_timeout`), and automatic retry with exponential backoff when the transaction fails
// with P2034 (a serialization failure, a deadlock, SQLite's busy database): the callable then runs
// again from the start, on a fresh transaction. A `tx` kept past its callable throws
// TransactionClosed (P2028) at its next use.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

#include "prisma/client/operation_span.hpp"
#include "prisma/client/raw.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/core/transaction_options.hpp"
#include "prisma/sql/dialect.hpp"

namespace prisma {

// A Source that hands out the one connection of an open transaction. It is closed (every use
// throws TransactionClosed) when the transaction's callable returns.
template <class Base>
struct PinnedSource {
  static constexpr sql::Dialect dialect = Base::dialect;
  using connection = typename Base::connection;
  using transaction = typename Base::transaction;
  connection* conn = nullptr;
  const Base* base = nullptr;  // the client's own source (metrics, options)
  // The transaction's timeout (zero: none), from its BEGIN.
  std::chrono::steady_clock::time_point started{};
  std::chrono::milliseconds timeout{0};

  connection* acquire() const {
    if (!conn)
      throw TransactionClosed("Transaction already closed: a transaction cannot be used after its callable returned");
    check_time("A query");
    return conn;
  }
  // P2028 once the timeout has passed, in Prisma's words (`what`: "A query", "A commit").
  void check_time(const char* what) const {
    if (timeout.count() <= 0) return;
    auto passed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (passed > timeout)
      throw TransactionClosed(std::string("Transaction already closed: ") + what +
                              " cannot be executed on an expired transaction. The timeout for this transaction was " +
                              std::to_string(timeout.count()) + " ms, however " + std::to_string(passed.count()) +
                              " ms passed since the start of the transaction. Consider increasing the interactive "
                              "transaction timeout or doing less work in the transaction.");
  }
  connection* acquire_read() const { return acquire(); }  // a transaction reads on its own connection
};

namespace detail {

template <class T> struct is_pinned : std::false_type {};
template <class B> struct is_pinned<PinnedSource<B>> : std::true_type {};

}  // namespace detail

// A source under a query extension (client/extension.hpp).
template <class Inner, class Ext>
struct Extended;

namespace detail {

template <class T> struct is_extended : std::false_type {};
template <class I, class E> struct is_extended<Extended<I, E>> : std::true_type {};

// The source a transaction's delegates run on, for a client's source `S`: its connection pinned,
// under the same extensions.
template <class S> struct tx_source { using type = PinnedSource<S>; };
template <class B> struct tx_source<PinnedSource<B>> { using type = PinnedSource<B>; };
template <class I, class E> struct tx_source<Extended<I, E>> { using type = Extended<typename tx_source<I>::type, E>; };

// The source below every extension.
template <class S>
auto& root_source(S& s) {
  if constexpr (is_extended<std::remove_const_t<S>>::value) return root_source(*s.inner);
  else return s;
}

// `S`'s transaction source over the pinned (or, in a transaction, the same) root source.
template <class S, class Root>
std::pair<typename tx_source<S>::type*, std::shared_ptr<void>> wrap_tx_source(S& s, Root* pinned, std::shared_ptr<void> keep) {
  using T = typename tx_source<S>::type;
  if constexpr (std::is_same_v<T, S>) {
    return {&s, std::move(keep)};  // already a transaction's: a savepoint on it
  } else if constexpr (is_extended<S>::value) {
    auto [inner, inner_keep] = wrap_tx_source(*s.inner, pinned, std::move(keep));
    auto x = std::make_shared<T>(T{inner, s.ext, std::move(inner_keep)});
    return {x.get(), x};
  } else {
    return {pinned, std::move(keep)};
  }
}


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

// A connection to begin on, waiting at most `max_wait` (P2028 after that, as Prisma).
template <class Source>
auto acquire_for_transaction(const Source& src, std::chrono::milliseconds max_wait) {
  if constexpr (requires { src.acquire(max_wait); }) {
    try {
      return src.acquire(max_wait);
    } catch (const ConnectionError& e) {
      if (e.code() != "P2024") throw;
      throw TransactionClosed("Transaction API error: Unable to start a transaction in the given time.");
    }
  } else {
    return src.acquire();
  }
}

// The client's transaction defaults (ClientOptions::transaction_options), from its source.
template <class Source>
TransactionOptions client_defaults(const Source& src) {
  if constexpr (requires { src.transaction_options; }) return src.transaction_options;
  else if constexpr (requires { src.base->transaction_options; }) return src.base->transaction_options;
  else return {};
}

// Runs f(tx) in a transaction on `src` (the client's source), per the options (over the client's).
// `wrap(pinned, keep)` makes the source the transaction's Models run on (under the client's
// extensions) and what keeps it alive.
template <class Models, class Source, class F, class Wrap>
auto run_transaction(const Source& src, F& f, const TransactionOptions& given, Wrap&& wrap) -> tx_result<F, Models> {
  using R = tx_result<F, Models>;
  if constexpr (is_pinned<Source>::value) {
    // nested: a savepoint on the transaction's connection; the options of the outer one hold
    auto* conn = src.acquire();
    typename Source::transaction sp(*conn);
    auto [tx_src, keep] = wrap(const_cast<Source*>(&src), std::shared_ptr<void>());
    Models tx(tx_src, std::move(keep));
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
    const TransactionOptions opt = given.over(client_defaults(src));
    const auto timeout = opt.timeout_or_default();
    std::mt19937 jitter(std::random_device{}());
    QueryHook* hook = hook_of(src);  // Prisma's transaction spans, when tracing
    SpanScope tx_span(hook, "prisma:client:transaction", {{"method", "$transaction"}});
    for (int attempt = 0;; ++attempt) {
      try {
        std::optional<SpanScope> starting(std::in_place, hook, "prisma:client:start_transaction");
        auto lease = acquire_for_transaction(src, opt.max_wait_or_default());
        auto pinned = std::make_shared<Pinned>(Pinned{&*lease, &src});
        struct Close {  // the tx closes with its callable, whatever way it leaves
          std::shared_ptr<Pinned> p;
          ~Close() { p->conn = nullptr; }
        } close{pinned};
        typename Source::transaction t(*lease, begin_statement(Source::dialect, opt.isolation_or_default()));
        pinned->started = std::chrono::steady_clock::now();  // the timeout runs from BEGIN (Prisma's)
        pinned->timeout = timeout;
        if constexpr (Source::dialect == sql::Dialect::Postgresql)
          if (timeout.count() > 0) lease->exec("SET LOCAL statement_timeout = " + std::to_string(timeout.count()));
        starting.reset();
        auto [tx_src, keep] = wrap(pinned.get(), pinned);
        Models tx(tx_src, std::move(keep));
        auto commit = [&] {
          SpanScope committing(hook, "prisma:client:commit_transaction");
          pinned->check_time("A commit");
          t.commit();
        };
        try {
          if constexpr (std::is_void_v<R>) {
            f(tx);
            commit();
            return;
          } else {
            R r = f(tx);
            commit();
            return r;
          }
        } catch (...) {
          SpanScope rolling_back(hook, "prisma:client:rollback_transaction");
          t.rollback();
          throw;
        }
      } catch (const TransactionConflict&) {
        if (attempt >= opt.max_retries_or_default()) throw;
        auto pause = opt.backoff_or_default() * (1LL << std::min(attempt, 20));
        if (pause > opt.max_backoff_or_default()) pause = opt.max_backoff_or_default();
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
  // it throws. Inside a transaction: a savepoint. Options unset here come from the client's
  // ClientOptions::transaction_options, then Prisma's defaults.
  template <class F>
  auto transaction(F&& f, const TransactionOptions& options = {}) {
    using Tx = typename detail::rebind_models<Derived, typename detail::tx_source<Src>::type>::type;
    return detail::run_transaction<Tx>(detail::root_source(*src_), f, options, [this](auto* pinned, std::shared_ptr<void> keep) {
      return detail::wrap_tx_source(*src_, pinned, std::move(keep));
    });
  }

  // The same delegates with a query extension's hooks in front (client/extension.hpp; Prisma's
  // `$extends({ query })`): `auto xdb = db.extend(SoftDelete{});`. This client is unchanged and
  // must outlive what extend returns.
  template <class Ext>
  auto extend(Ext extension) {
    using X = Extended<Src, Ext>;
    auto x = std::make_shared<X>(X{src_, std::make_shared<Ext>(std::move(extension)), keep_});
    return typename detail::rebind_models<Derived, X>::type(x.get(), x);
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
    detail::OperationSpan op(detail::hook_of(*src_), {}, "queryRaw");
    auto lease = src_->acquire();
    return detail::query_raw<T>(*lease, sql.text, args...);
  }
  // The affected row count.
  template <class... Args>
  std::int64_t execute_raw(SqlLiteral sql, const Args&... args) {
    detail::OperationSpan op(detail::hook_of(*src_), {}, "executeRaw");
    auto lease = src_->acquire();
    return detail::execute_raw(*lease, sql.text, args...);
  }
  // The same for SQL text built at run time. Unsafe: whatever went into `sql` runs; pass values
  // as arguments, never spliced into the text.
  template <class T, class... Args>
  std::vector<T> query_raw_unsafe(std::string_view sql, const Args&... args) {
    detail::OperationSpan op(detail::hook_of(*src_), {}, "queryRawUnsafe");
    auto lease = src_->acquire();
    return detail::query_raw<T>(*lease, sql, args...);
  }
  template <class... Args>
  std::int64_t execute_raw_unsafe(std::string_view sql, const Args&... args) {
    detail::OperationSpan op(detail::hook_of(*src_), {}, "executeRawUnsafe");
    auto lease = src_->acquire();
    return detail::execute_raw(*lease, sql, args...);
  }

 protected:
  Src* src_;
  std::shared_ptr<void> keep_;  // a transaction's pinned source outlives a kept `tx`
};

}  // namespace prisma
