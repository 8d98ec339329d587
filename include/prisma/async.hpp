// The asynchronous API on C++20 coroutines and Boost.Asio awaitables:
//
//   auto db = Client::open(url);
//   prisma::AsyncClient adb(db, io.get_executor());
//   asio::co_spawn(io, [&]() -> asio::awaitable<void> {
//     auto ann = co_await adb.of<User>().find_unique(user::email == "ann@x.io");
//     auto n = co_await adb.run([](auto& db) { return db.post.count(); });   // any operation
//     co_await adb.transaction([&](auto& tx) { tx.account.update(...); tx.account.update(...); });
//   }, asio::detached);
//
// PostgreSQL runs truly non-blocking (driver/postgres_async.hpp: libpq's asynchronous API, socket
// readiness through Asio, the pool awaited): each operation is the typed client's own code (the
// same SQL text, binding and row reading) run in a stackful coroutine that suspends at every wait,
// presented as an awaitable. SQLite, an embedded library with no socket to wait on, runs each
// operation on a bounded thread pool (the client's own, thread-safe pool of connections) and
// resumes the caller on its executor. Cancellation follows Asio's cancellation slots (timeouts:
// `with_timeout`); the sync API is unchanged and pays nothing for this header.
//
// Link prisma-cpp::async (Boost.Context for the stackful coroutines, libpq).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

#include "prisma/prisma.hpp"
#include "prisma/client/client_postgres.hpp"
#include "prisma/driver/postgres_async.hpp"

namespace prisma {

namespace detail {
// The generated Models<Src> a Client derives from (through Operations<Models<Src>, Src>).
template <class M, class S>
M models_base(Operations<M, S>*);
template <class Client>
using models_of = decltype(models_base(static_cast<Client*>(nullptr)));
}  // namespace detail

template <class Client>
class AsyncClient;

// `adb.of<User>()`: the model's operations as awaitables (each one `run` of the sync delegate's).
template <class Model, class Client>
class AsyncDelegate {
 public:
  explicit AsyncDelegate(AsyncClient<Client>& c) : c_(c) {}
#define PRISMA_ASYNC_OP(name)                                                                            \
  template <class... A>                                                                                  \
  auto name(A&&... a) {                                                                                  \
    return c_.run([... a = std::forward<A>(a)](auto& db) mutable { return db.template of<Model>().name(a...); }); \
  }
  PRISMA_ASYNC_OP(find_many)
  PRISMA_ASYNC_OP(find_first)
  PRISMA_ASYNC_OP(find_first_or_throw)
  PRISMA_ASYNC_OP(find_unique)
  PRISMA_ASYNC_OP(find_unique_or_throw)
  PRISMA_ASYNC_OP(count)
  PRISMA_ASYNC_OP(aggregate)
  PRISMA_ASYNC_OP(group_by)
  PRISMA_ASYNC_OP(create_many_and_return)
  PRISMA_ASYNC_OP(update_versioned)
  PRISMA_ASYNC_OP(delete_)
  PRISMA_ASYNC_OP(delete_many)
#undef PRISMA_ASYNC_OP
  // The write inputs as braced lists (`create({.email = ...})`), which a template cannot deduce.
  // Taken by reference and copied here (GCC 12 miscopies a by-value aggregate argument built from a
  // braced list inside a co_await expression).
  template <class M = Model>
  auto create(const typename meta::write_types<M>::create& data) {
    return c_.run([data](auto& db) { return db.template of<Model>().create(data); });
  }
  template <class M = Model>
  auto create_many(const std::vector<typename meta::write_types<M>::create>& rows, bool skip_duplicates = false) {
    return c_.run([rows, skip_duplicates](auto& db) { return db.template of<Model>().create_many(rows, skip_duplicates); });
  }
  template <class F, class M = Model>
  auto update(const F& filter, const typename meta::write_types<M>::update& data) {
    return c_.run([filter, data](auto& db) { return db.template of<Model>().update(filter, data); });
  }
  template <class F, class M = Model>
  auto update_many(const F& filter, const typename meta::write_types<M>::update& data) {
    return c_.run([filter, data](auto& db) { return db.template of<Model>().update_many(filter, data); });
  }
  template <class F, class M = Model>
  auto upsert(const F& filter, const typename meta::write_types<M>::create& create,
              const typename meta::write_types<M>::update& update) {
    return c_.run([filter, create, update](auto& db) { return db.template of<Model>().upsert(filter, create, update); });
  }
 private:
  AsyncClient<Client>& c_;
};

template <class Client>
class AsyncClient {
  static constexpr bool postgres = Client::source_type::dialect == sql::Dialect::Postgresql;

 public:
  // `ex`: where awaiting coroutines run (and, for PostgreSQL, where the connections' sockets are
  // waited on). SQLite: `threads` workers run the operations (default: the client's pool size).
  AsyncClient(Client& db, boost::asio::any_io_executor ex, std::size_t threads = 0) : db_(db), ex_(std::move(ex)) {
    if constexpr (postgres) {
      auto parsed = detail::parse_postgres_url(db.url());
      pool_ = std::make_unique<driver::postgres::async::Pool>(parsed.conninfo, ex_, parsed.pool, std::vector<std::string>{},
                                                              parsed.pgbouncer);
    } else {
      workers_ = std::make_unique<boost::asio::thread_pool>(threads ? threads : db.pool().size());
    }
  }
  ~AsyncClient() {
    if (workers_) workers_->join();
  }
  AsyncClient(const AsyncClient&) = delete;
  AsyncClient& operator=(const AsyncClient&) = delete;

  // Runs f(db) (every delegate, transactions, batches: the sync API) as one asynchronous operation.
  template <class F>
  auto run(F f) {
    using R = std::invoke_result_t<F&, detail::models_of<Client>&>;
    if constexpr (postgres) {
      using AsyncModels = typename detail::rebind_models<detail::models_of<Client>, driver::postgres::async::Source>::type;
      return boost::asio::spawn(
          ex_, std::allocator_arg, boost::context::protected_fixedsize_stack(stack_size_),
          [this, f = std::move(f)](boost::asio::yield_context yield) mutable -> R {
            driver::postgres::async::Source src{pool_.get(), &yield};
            AsyncModels db(&src);
            return f(db);
          },
          boost::asio::use_awaitable);
    } else {
      return boost::asio::co_spawn(
          workers_->get_executor(),
          [this, f = std::move(f)]() mutable -> boost::asio::awaitable<R> {
            if constexpr (std::is_void_v<R>) {
              f(static_cast<detail::models_of<Client>&>(db_));
              co_return;
            } else {
              co_return f(static_cast<detail::models_of<Client>&>(db_));
            }
          },
          boost::asio::use_awaitable);
    }
  }

  // f(tx) in one transaction (the sync transaction's semantics: commit, rollback, retries).
  template <class F>
  auto transaction(F f, TransactionOptions options = {}) {
    return run([f = std::move(f), options](auto& db) mutable { return db.transaction(f, options); });
  }

  template <class Model>
  AsyncDelegate<Model, Client> of() {
    return AsyncDelegate<Model, Client>(*this);
  }

  // The PostgreSQL async pool (statement counts, open connections); nullptr on SQLite.
  driver::postgres::async::Pool* async_pool() { return pool_.get(); }
  const boost::asio::any_io_executor& executor() const { return ex_; }

 private:
  Client& db_;
  boost::asio::any_io_executor ex_;
  std::unique_ptr<driver::postgres::async::Pool> pool_;
  std::unique_ptr<boost::asio::thread_pool> workers_;
  // Each PostgreSQL operation's own stack (mapped on demand, a guard page below it): the typed
  // client's deepest paths (nested writes, includes) stay well inside it.
  std::size_t stack_size_ = 1 << 20;
};

// An awaitable with a deadline: `co_await prisma::with_timeout(adb.of<User>().count(), 500ms)`.
// Past it the operation is cancelled (on PostgreSQL the statement is cancelled on the server and
// the connection kept) and P1008 is thrown; an error of the operation itself comes through as is.
template <class T>
boost::asio::awaitable<T> with_timeout(boost::asio::awaitable<T> op, std::chrono::milliseconds timeout) {
  namespace asio = boost::asio;
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex, timeout);
  auto group = asio::experimental::make_parallel_group(asio::co_spawn(ex, std::move(op), asio::deferred),
                                                       timer.async_wait(asio::deferred));
  if constexpr (std::is_void_v<T>) {
    auto [order, failed, timer_ec] = co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    (void)timer_ec;
    if (order[0] == 0) {
      if (failed) std::rethrow_exception(failed);
      co_return;
    }
  } else {
    auto [order, failed, value, timer_ec] = co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    (void)timer_ec;
    if (order[0] == 0) {
      if (failed) std::rethrow_exception(failed);
      co_return std::move(value);
    }
  }
  throw driver::postgres::async::Cancelled("Operations timed out after " + std::to_string(timeout.count()) + " ms");
}

}  // namespace prisma
