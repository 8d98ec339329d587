// The non-blocking PostgreSQL driver under prisma::AsyncClient: libpq's asynchronous API
// (PQconnectStart/PQconnectPoll, PQsendPrepare/PQsendQueryPrepared, PQflush, PQconsumeInput,
// PQisBusy/PQgetResult) with socket readiness awaited through Boost.Asio. Each operation runs in a
// stackful coroutine (asio::spawn, Boost.Context) that suspends at every wait, so the delegates'
// own code (the SQL the compile-time renderers built, the binding as text, the row reading from
// text: postgres_text.hpp) runs unchanged, and one thread serves many operations at once.
//
// Cancellation (Asio cancellation slots, e.g. a timeout through awaitable operators) cancels the
// statement on the server (PQcancel), drains its result and keeps the connection; if that fails
// the connection is dropped when its lease ends.
#pragma once
#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <list>

#include "prisma/driver/postgres.hpp"

namespace prisma::driver::postgres::async {

namespace asio = boost::asio;

// An operation cancelled through its cancellation slot (a timeout, a caller that gave up).
class Cancelled : public Error {
 public:
  explicit Cancelled(const std::string& message) : Error("P1008", message) {}
};

class Connection {
 public:
  // Connects without blocking the thread: every wait suspends the coroutine of `yield`.
  Connection(const std::string& conninfo, asio::any_io_executor ex, asio::yield_context& yield, bool unnamed)
      : sock_(ex), yield_(&yield), unnamed_(unnamed) {
    conn_ = PQconnectStart(conninfo.c_str());
    if (!conn_) throw ConnectionError("P1001", "Can't reach database server: out of memory");
    if (PQstatus(conn_) == CONNECTION_BAD) fail_connect();
    PQsetnonblocking(conn_, 1);
    for (PostgresPollingStatusType st = PGRES_POLLING_WRITING;;) {
      if (st == PGRES_POLLING_OK) break;
      if (st == PGRES_POLLING_FAILED) fail_connect();
      assign_socket();
      wait(st == PGRES_POLLING_WRITING);
      st = PQconnectPoll(conn_);
    }
    assign_socket();
    exec("SET TIME ZONE 'UTC'");
  }
  ~Connection() {
    if (sock_.is_open()) sock_.release();  // libpq owns the socket
    if (conn_) PQfinish(conn_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  class Cursor;
  Cursor cursor(std::string_view sql);

  // Statements without parameters or rows (transaction control, SET).
  void exec(const std::string& sql) {
    if (!PQsendQuery(conn_, sql.c_str())) lost();
    PGresult* r = collect();
    check(r);
    PQclear(r);
  }

  // The coroutine whose waits this connection suspends (set at each lease).
  void use(asio::yield_context& yield) { yield_ = &yield; }
  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  bool reusable() const { return !broken() && depth_ == 0; }
  void attach(std::atomic<std::uint64_t>* counter, prisma::detail::QueryHook* hook) {
    counter_ = counter;
    hook_ = hook;
  }
  void mark_broken() { broken_ = true; }
  int depth() const { return depth_; }

 private:
  template <class>
  friend class postgres::BasicAtomic;

  [[noreturn]] void fail_connect() {
    std::string msg = PQerrorMessage(conn_);
    throw ConnectionError("P1001", "Can't reach database server: " + postgres::detail::first_line(msg));
  }
  [[noreturn]] void lost() {
    broken_ = true;
    throw ConnectionError("P1017", "Server has closed the connection: " + postgres::detail::first_line(PQerrorMessage(conn_)));
  }

  void assign_socket() {
    int fd = PQsocket(conn_);
    if (fd < 0) fail_connect();
    if (sock_.is_open() && sock_.native_handle() == fd) return;
    if (sock_.is_open()) sock_.release();
    sock_.assign(fd);
  }

  // Suspends until the socket is writable (or readable); a cancellation cancels the statement.
  void wait(bool write) {
    boost::system::error_code ec;
    sock_.async_wait(write ? asio::posix::stream_descriptor::wait_write : asio::posix::stream_descriptor::wait_read,
                     (*yield_)[ec]);
    if (ec == asio::error::operation_aborted) cancel_statement();
    if (ec) lost();
  }

  // The server stops the statement; its result is drained (blocking briefly) so the connection
  // can be used again, else it is dropped.
  [[noreturn]] void cancel_statement() {
    if (PGcancel* c = PQgetCancel(conn_)) {
      char buf[256];
      if (!PQcancel(c, buf, sizeof buf)) broken_ = true;
      PQfreeCancel(c);
    } else {
      broken_ = true;
    }
    if (!broken_) {
      PQsetnonblocking(conn_, 0);
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
      PQsetnonblocking(conn_, 1);
      if (PQstatus(conn_) != CONNECTION_OK) broken_ = true;
    }
    if (depth_ > 0) broken_ = true;  // the open transaction is aborted: this lease is done with it
    throw Cancelled("The operation was cancelled (a timeout or its caller): the statement was cancelled on the server");
  }

  // Sends what is queued, then reads until the statement's results are complete; returns the first
  // failed result, else the last one.
  PGresult* collect() {
    for (;;) {
      int f = PQflush(conn_);
      if (f == 0) break;
      if (f < 0) lost();
      wait(true);
      if (!PQconsumeInput(conn_)) lost();
    }
    PGresult* keep = nullptr;
    for (;;) {
      while (PQisBusy(conn_)) {
        wait(false);
        if (!PQconsumeInput(conn_)) lost();
      }
      PGresult* r = PQgetResult(conn_);
      if (!r) break;
      bool failed = PQresultStatus(r) == PGRES_FATAL_ERROR;
      if (!keep || (failed && PQresultStatus(keep) != PGRES_FATAL_ERROR)) {
        if (keep) PQclear(keep);
        keep = r;
      } else {
        PQclear(r);
      }
    }
    if (!keep) lost();
    return keep;
  }

  // Throws the prisma::Error of a failed result (and frees it).
  void check(PGresult* r) {
    auto st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    std::string msg = PQresultErrorMessage(r);
    std::string code = state ? state : "";
    PQclear(r);
    if (PQstatus(conn_) != CONNECTION_OK) lost();
    throw_sqlstate(code, msg, &broken_);
  }

  // The prepared statement for `sql` (prepared on first use, named s1, s2, ...).
  const std::string& statement_name(std::string_view sql) {
    auto it = names_.find(sql);
    if (it != names_.end()) return it->second;
    std::string name = "s" + std::to_string(names_.size() + 1);
    std::string text(sql);
    if (!PQsendPrepare(conn_, name.c_str(), text.c_str(), 0, nullptr)) lost();
    PGresult* r = collect();
    check(r);
    PQclear(r);
    return names_.emplace(std::move(text), std::move(name)).first->second;
  }

  PGconn* conn_ = nullptr;
  asio::posix::stream_descriptor sock_;
  asio::yield_context* yield_;
  bool unnamed_ = false;
  bool broken_ = false;
  int depth_ = 0;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> names_;
  std::atomic<std::uint64_t>* counter_ = nullptr;
  prisma::detail::QueryHook* hook_ = nullptr;
};

// The blocking driver's cursor over a PGresult: the same binding (TextParams) and row reading (TextRow).
class Connection::Cursor : public TextParams, public TextRow<Connection::Cursor> {
 public:
  Cursor(Connection& c, std::string_view sql) : c_(c), sql_(sql) {
    if (c_.hook_) {
      t0_ = std::chrono::steady_clock::now();
      c_.hook_->begin();
    }
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() {
    if (auto* hook = c_.hook_) {
      std::vector<std::string> params;
      if (hook->wants_params) params = logged();
      QueryEvent e;
      e.sql = sql_;
      e.params = hook->wants_params ? &params : nullptr;
      e.duration = std::chrono::steady_clock::now() - t0_;
      e.rows = res_ ? PQntuples(res_) : 0;
      e.failed = !error_.empty();
      e.error = error_;
      hook->end(e);
    }
    if (res_) PQclear(res_);
  }

  bool step() {
    if (!ran_) run();
    if (row_ < rows_) {
      cur_ = row_++;
      return true;
    }
    return false;
  }
  void finish() {
    if (!ran_) run();
  }
  std::size_t size_hint() {
    if (!ran_) run();
    return static_cast<std::size_t>(rows_);
  }
  std::int64_t affected() const {
    const char* n = res_ ? PQcmdTuples(res_) : "";
    return *n ? std::atoll(n) : 0;
  }
  int column_count() {
    if (!ran_) run();
    return PQnfields(res_);
  }
  std::string_view column_name(int col) const { return PQfname(res_, col); }
  unsigned type_oid(int col) const { return PQftype(res_, col); }

  bool is_null(int col) const { return PQgetisnull(res_, cur_, col) != 0; }
  std::string_view text(int col) const {
    return std::string_view(PQgetvalue(res_, cur_, col), static_cast<std::size_t>(PQgetlength(res_, cur_, col)));
  }
 private:
  void run() {
    ran_ = true;
    try {
      std::vector<const char*> ptrs = pointers();
      int n = static_cast<int>(ptrs.size());
      int sent;
      if (c_.unnamed_) {
        std::string text(sql_);
        sent = PQsendQueryParams(c_.conn_, text.c_str(), n, nullptr, ptrs.data(), nullptr, nullptr, 0);
      } else {
        const std::string& name = c_.statement_name(sql_);
        sent = PQsendQueryPrepared(c_.conn_, name.c_str(), n, ptrs.data(), nullptr, nullptr, 0);
      }
      if (!sent) c_.lost();
      PGresult* r = c_.collect();
      c_.check(r);
      res_ = r;
      rows_ = PQntuples(res_);
    } catch (const std::exception& e) {
      error_ = e.what();
      throw;
    }
  }

  Connection& c_;
  std::string_view sql_;
  std::chrono::steady_clock::time_point t0_;
  std::string error_;
  PGresult* res_ = nullptr;
  int rows_ = 0, row_ = 0, cur_ = 0;
  bool ran_ = false;
};

inline Connection::Cursor Connection::cursor(std::string_view sql) {
  if (counter_) counter_->fetch_add(1, std::memory_order_relaxed);
  return Cursor(*this, sql);
}

// BEGIN ... COMMIT, or a savepoint inside an open transaction: the blocking driver's.
using Atomic = postgres::BasicAtomic<Connection>;

// The asynchronous pool: connections opened on demand up to `size` (each open awaited); a caller
// that finds none free waits on a timer (its coroutine suspended, the thread free) until one comes
// back or `timeout` passes (P2024). Waiters are served in order.
class Pool {
 public:
  Pool(std::string conninfo, asio::any_io_executor ex, PoolOptions opt, std::vector<std::string> on_connect = {},
       bool pgbouncer = false)
      : conninfo_(std::move(conninfo)), ex_(std::move(ex)), opt_(opt.resolved()), on_connect_(std::move(on_connect)),
        pgbouncer_(pgbouncer) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Pool* p, std::unique_ptr<Connection> c) : pool_(p), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), c_(std::move(o.c_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->give_back(std::move(c_));
    }
    Connection& operator*() const { return *c_; }
    Connection* operator->() const { return c_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> c_;
  };

  Lease acquire(asio::yield_context& yield) {
    auto deadline = std::chrono::steady_clock::now() + opt_.timeout;
    for (;;) {
      std::unique_lock lock(mu_);
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        lock.unlock();
        c->use(yield);
        return Lease(this, std::move(c));
      }
      if (open_ < opt_.size) {
        ++open_;
        lock.unlock();
        try {
          auto c = std::make_unique<Connection>(conninfo_, ex_, yield, pgbouncer_);
          for (const auto& sql : on_connect_) c->exec(sql);
          c->attach(&statements_, hook_);
          if (hook_) hook_->info("Opened an async pool connection (" + std::to_string(opened_.fetch_add(1) + 1) + ")");
          return Lease(this, std::move(c));
        } catch (...) {
          std::lock_guard relock(mu_);
          --open_;
          wake_one();
          throw;
        }
      }
      // none free: wait for one to come back (the timer is cancelled then), or the timeout
      auto timer = std::make_shared<asio::steady_timer>(ex_, deadline);
      waiters_.push_back(timer);
      auto it = std::prev(waiters_.end());
      lock.unlock();
      boost::system::error_code ec;
      timer->async_wait(yield[ec]);
      lock.lock();
      bool woken = std::find(waiters_.begin(), waiters_.end(), timer) == waiters_.end();  // wake_one took it
      if (!woken) waiters_.erase(it);
      lock.unlock();
      if (!woken && std::chrono::steady_clock::now() >= deadline)
        throw ConnectionError("P2024", "Timed out fetching a new connection from the connection pool (connection limit: " +
                                           std::to_string(opt_.size) + ", timeout: " +
                                           std::to_string(opt_.timeout.count() / 1000.0) + " s)");
      if (!woken && ec == asio::error::operation_aborted)
        throw Cancelled("The operation was cancelled while it waited for a connection");
    }
  }

  std::uint64_t statements_run() const { return statements_.load(std::memory_order_relaxed); }
  void set_hook(prisma::detail::QueryHook* hook) { hook_ = hook; }
  std::size_t size() const { return opt_.size; }
  std::size_t open_connections() const {
    std::lock_guard lock(mu_);
    return open_;
  }

 private:
  void give_back(std::unique_ptr<Connection> c) {
    bool drop = !c->reusable();
    if (drop) c.reset();
    std::lock_guard lock(mu_);
    if (drop) --open_;
    else idle_.push_back(std::move(c));
    wake_one();
  }
  // under mu_: the first waiter's timer is cancelled (on its executor), so it tries again
  void wake_one() {
    if (waiters_.empty()) return;
    auto t = waiters_.front();
    waiters_.pop_front();
    asio::post(t->get_executor(), [t] { t->cancel(); });
  }

  std::string conninfo_;
  asio::any_io_executor ex_;
  PoolOptions opt_;
  std::vector<std::string> on_connect_;
  bool pgbouncer_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::list<std::shared_ptr<asio::steady_timer>> waiters_;
  std::size_t open_ = 0;
  std::atomic<std::uint64_t> statements_{0}, opened_{0};
  prisma::detail::QueryHook* hook_ = nullptr;
};

// What the delegates run on inside one asynchronous operation: the pool and the operation's
// coroutine (every lease's waits suspend it).
struct Source {
  static constexpr sql::Dialect dialect = sql::Dialect::Postgresql;
  using connection = Connection;
  using transaction = Atomic;
  Pool* pool = nullptr;
  asio::yield_context* yield = nullptr;
  Pool::Lease acquire() const { return pool->acquire(*yield); }
  Pool::Lease acquire_read() const { return pool->acquire(*yield); }
};

}  // namespace prisma::driver::postgres::async

