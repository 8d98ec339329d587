// The PostgreSQL driver (libpqxx 6.4 and 7.x): connections with a prepared-statement cache,
// values bound as text parameters in the forms Prisma 7 stores (DESIGN.md section 9), rows read
// from text, SQLSTATEs mapped to Prisma's codes, and a thread-safe pool. No SQL is built here
// beyond transaction control; the sql/ layer hands over finished text.
#pragma once
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <thread>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "prisma/core/errors.hpp"
#include "prisma/core/observe.hpp"
#include "prisma/core/types.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/driver/pool.hpp"
#include "prisma/driver/postgres_text.hpp"
#include "prisma/sql/dialect.hpp"

namespace prisma::driver::postgres {

namespace detail {

// `Key (email)=(a@x.io) already exists.` / `Key ("orderId", "position")=(...)` -> field names.
inline std::vector<std::string> key_columns(std::string_view msg) {
  auto k = msg.find("Key (");
  if (k == std::string_view::npos) return {};
  auto end = msg.find(")=", k);
  if (end == std::string_view::npos) return {};
  return prisma::detail::split_names(msg.substr(k + 5, end - k - 5), [](std::string_view item) {
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') item = item.substr(1, item.size() - 2);
    return item;
  });
}

// `null value in column "email" of relation "User" violates ...` -> email
inline std::string quoted_after(std::string_view msg, std::string_view marker) {
  auto p = msg.find(marker);
  if (p == std::string_view::npos) return {};
  auto q1 = msg.find('"', p + marker.size());
  if (q1 == std::string_view::npos) return {};
  auto q2 = msg.find('"', q1 + 1);
  if (q2 == std::string_view::npos) return {};
  return std::string(msg.substr(q1 + 1, q2 - q1 - 1));
}

inline std::string first_line(std::string_view s) {
  auto nl = s.find('\n');
  return std::string(s.substr(0, nl));
}

}  // namespace detail

// The prisma::Error for a statement's SQLSTATE and message (the sync and the async driver).
// `broken` is set when the connection is gone and must not be reused.
[[noreturn]] inline void throw_sqlstate(const std::string& state, const std::string& msg, bool* broken = nullptr) {
  if (state == "23505")
    throw UniqueConstraintViolation("Unique constraint failed: " + detail::first_line(msg), detail::key_columns(msg));
  if (state == "23503")
    throw ForeignKeyViolation("Foreign key constraint violated: " + detail::first_line(msg),
                              detail::quoted_after(msg, "constraint"));
  if (state == "23502")
    throw NullConstraintViolation("Null constraint violation: " + detail::first_line(msg),
                                  detail::quoted_after(msg, "column"));
  if (state == "22001")
    throw ValueTooLong("The provided value for the column is too long for the column's type: " + detail::first_line(msg));
  if (state == "40001" || state == "40P01")
    throw TransactionConflict("Transaction failed due to a write conflict or a deadlock: " + detail::first_line(msg));
  if (state.rfind("08", 0) == 0 || state == "57P01") {
    if (broken) *broken = true;
    throw ConnectionError("P1017", "Server has closed the connection: " + detail::first_line(msg));
  }
  throw DatabaseError(detail::first_line(msg) + (state.empty() ? std::string() : " (SQLSTATE " + state + ")"));
}

namespace detail {
// The SQLSTATE of a libpqxx error: its own, else its class's (libpqxx 6.4 leaves it out of some,
// e.g. insufficient_privilege); empty when the class says nothing more precise.
inline std::string sqlstate_of(const pqxx::sql_error& e) {
  if (!e.sqlstate().empty()) return e.sqlstate();
  const auto* p = &e;
  if (dynamic_cast<const pqxx::insufficient_privilege*>(p)) return "42501";
  if (dynamic_cast<const pqxx::unique_violation*>(p)) return "23505";
  if (dynamic_cast<const pqxx::foreign_key_violation*>(p)) return "23503";
  if (dynamic_cast<const pqxx::not_null_violation*>(p)) return "23502";
  if (dynamic_cast<const pqxx::check_violation*>(p)) return "23514";
  if (dynamic_cast<const pqxx::restrict_violation*>(p)) return "23001";
  if (dynamic_cast<const pqxx::undefined_table*>(p)) return "42P01";
  if (dynamic_cast<const pqxx::undefined_column*>(p)) return "42703";
  if (dynamic_cast<const pqxx::undefined_function*>(p)) return "42883";
  if (dynamic_cast<const pqxx::syntax_error*>(p)) return "42601";
  if (dynamic_cast<const pqxx::feature_not_supported*>(p)) return "0A000";
  if (dynamic_cast<const pqxx::too_many_connections*>(p)) return "53300";
  if (dynamic_cast<const pqxx::disk_full*>(p)) return "53100";
  if (dynamic_cast<const pqxx::out_of_memory*>(p)) return "53200";
  return {};
}
}  // namespace detail

// Rethrows the exception in flight (from libpqxx) as the prisma::Error for its SQLSTATE.
// `broken` is set when the connection is gone and must not be reused.
[[noreturn]] inline void rethrow(bool* broken = nullptr) {
  try {
    throw;
  } catch (const prisma::Error&) {
    throw;
  } catch (const pqxx::broken_connection& e) {
    if (broken) *broken = true;
    throw ConnectionError("P1017", std::string("Server has closed the connection: ") + detail::first_line(e.what()));
  } catch (const pqxx::sql_error& e) {
    throw_sqlstate(detail::sqlstate_of(e), e.what(), broken);
  } catch (const pqxx::transaction_rollback& e) {  // 6.4: not an sql_error (40001, 40P01)
    throw TransactionConflict("Transaction failed due to a write conflict or a deadlock: " + detail::first_line(e.what()));
  } catch (const pqxx::failure& e) {
    throw DatabaseError(detail::first_line(e.what()));
  }
}


// Parameters collected as text, in the forms Prisma 7 stores (postgres_text.hpp): what both
// PostgreSQL drivers (this blocking one and the asynchronous one) bind.
class TextParams {
 public:
  template <class T>
  void operator()(const T& v) {
    if constexpr (requires { v.has_value(); *v; }) {
      if (!v) return null();
      return (*this)(*v);
    } else if constexpr (std::is_same_v<T, std::nullopt_t>) {
      null();
    } else {
      values_.emplace_back();
      text::put(values_.back(), v);
      nulls_.push_back(false);
    }
  }
  template <class T>
  void list(const std::vector<T>& vs) {
    values_.emplace_back();
    text::put_array(values_.back(), vs);
    nulls_.push_back(false);
  }
  void null() {
    values_.emplace_back();
    nulls_.push_back(true);
  }
  // A Json filter's path, as `#>` takes it: a text[].
  void json_path(const JsonPath& p) { list(p.segments); }

 protected:
  // The parameters as a query log shows them.
  std::vector<std::string> logged() const {
    std::vector<std::string> params;
    for (std::size_t i = 0; i < values_.size(); ++i) params.push_back(nulls_[i] ? "NULL" : values_[i]);
    return params;
  }
  // The values for libpq: nullptr for NULL.
  std::vector<const char*> pointers() const {
    std::vector<const char*> ptrs(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) ptrs[i] = nulls_[i] ? nullptr : values_[i].c_str();
    return ptrs;
  }
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
};

// A row's columns read from text, and a column's fitness for a C++ type judged by its type OID
// (raw queries): what both PostgreSQL drivers read. Derived gives is_null(col), text(col) and
// type_oid(col) for the current row.
template <class Derived>
class TextRow {
 public:
  template <class T>
  void read(int col, T& out) const {
    if constexpr (requires { out.clear(); } && !std::is_same_v<T, Bytes> && !std::is_same_v<T, std::string>) {
      if (self().is_null(col)) {  // a list column Prisma created without a default: NULL reads as []
        out.clear();
        return;
      }
    }
    text::from_text(self().text(col), out);
  }
  template <class T>
  void read(int col, std::optional<T>& out) const {
    if (self().is_null(col)) {
      out.reset();
    } else {
      T v{};
      read(col, v);
      out = std::move(v);
    }
  }
  // Whether the value at `col` of the current row can be read as T (by the column's type; NULL
  // only into std::optional). Raw queries check every value.
  template <class T>
  bool fits(int col) const {
    if constexpr (requires(T v) { v.has_value(); *v; }) {
      if (self().is_null(col)) return true;
      return fits<typename T::value_type>(col);
    } else {
      if (self().is_null(col)) return false;
      unsigned oid = self().type_oid(col);
      auto in = [&](std::initializer_list<unsigned> l) { return std::find(l.begin(), l.end(), oid) != l.end(); };
      if constexpr (std::is_same_v<T, bool>) return in({16});
      else if constexpr (std::is_integral_v<T>) return in({20, 21, 23, 26});
      else if constexpr (std::is_floating_point_v<T> || std::is_same_v<T, Decimal>) return in({20, 21, 23, 700, 701, 1700, 790});
      else if constexpr (std::is_same_v<T, Bytes>) return in({17});
      else if constexpr (std::is_same_v<T, DateTime>) return in({1082, 1083, 1114, 1184});
      else if constexpr (std::is_same_v<T, Json>) return in({114, 3802, 25});
      else return in({25, 1043, 1042, 18, 19, 2950, 869, 142}) || oid >= 16384;  // text-like, uuid, inet, xml, enums
    }
  }
  std::string type_name(int col) const { return "type oid " + std::to_string(self().type_oid(col)); }

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }
};

// One connection and its prepared statements (named s1, s2, ... in the order first used).
class Connection {
 public:
  // `unnamed_statements`: PgBouncer in transaction mode (Prisma's `?pgbouncer=true`): a named
  // prepared statement lives on one server connection, which the next transaction may not get,
  // so every statement is sent unnamed with its parameters (parse, bind, execute in one trip).
  explicit Connection(const std::string& conninfo, bool unnamed_statements = false) : unnamed_(unnamed_statements) {
    try {
      c_ = std::make_unique<pqxx::connection>(conninfo);
      pqxx::nontransaction tx(*c_);
      tx.exec("SET TIME ZONE 'UTC'");
    } catch (const pqxx::broken_connection& e) {
      throw ConnectionError("P1001", "Can't reach database server: " + detail::first_line(e.what()));
    } catch (...) {
      bool broken = false;
      try {
        rethrow(&broken);
      } catch (const ConnectionError&) {
        throw;
      } catch (const Error& e) {
        throw ConnectionError("P1001", std::string("Can't reach database server: ") + e.what());
      }
    }
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  class Cursor;
  Cursor cursor(std::string_view sql);

  // Runs statements without parameters or results (DDL, BEGIN/COMMIT).
  void exec(const std::string& sql) {
    try {
      pqxx::nontransaction tx(*c_);
      tx.exec(sql);
    } catch (...) {
      rethrow(&broken_);
    }
  }

  bool broken() const { return broken_ || !c_->is_open(); }
  // The pool reuses a connection that is open and outside any transaction.
  bool reusable() const { return !broken() && depth_ == 0; }
  // Where the statements are counted (the pool's total) and the logging/metrics hook.
  void attach(std::atomic<std::uint64_t>* counter, prisma::detail::QueryHook* hook) {
    counter_ = counter;
    hook_ = hook;
  }
  void mark_broken() { broken_ = true; }
  int depth() const { return depth_; }
  std::size_t cached_statements() const { return names_.size(); }
  pqxx::connection& native() { return *c_; }

 private:
  template <class>
  friend class BasicAtomic;
  const std::string& statement_name(std::string_view sql) {
    auto it = names_.find(sql);
    if (it != names_.end()) return it->second;
    std::string name = "s" + std::to_string(names_.size() + 1);
    c_->prepare(name, std::string(sql));
    return names_.emplace(std::string(sql), std::move(name)).first->second;
  }

  std::unique_ptr<pqxx::connection> c_;
  bool unnamed_ = false;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> names_;  // SQL -> name
  bool broken_ = false;
  int depth_ = 0;  // open transactions / savepoints
  std::atomic<std::uint64_t>* counter_ = nullptr;  // the pool's statement count
  prisma::detail::QueryHook* hook_ = nullptr;               // logging and metrics (nullptr: off)
};

// Parameters are collected as text, the statement runs at the first step(), rows are read
// from the result.
class Connection::Cursor : public TextParams, public TextRow<Connection::Cursor> {
 public:
  // `name`: the prepared statement; nullptr: `sql` is sent unnamed (PgBouncer).
  Cursor(Connection& c, const std::string* name, std::string_view sql = {}) : c_(c), name_(name) {
    if (!name_) unnamed_sql_ = sql;
    if (c_.hook_) {
      sql_ = name_ ? sql : std::string_view(unnamed_sql_);  // an unnamed one's text may be a temporary
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
      e.rows = static_cast<std::int64_t>(result_.size());
      e.failed = !error_.empty();
      e.error = error_;
      hook->end(e);
    }
  }

  bool step() {
    if (!ran_) run();
    if (row_ < result_.size()) {
      // One pass over the row's fields (each pqxx::field holds a copy of the result: reading
      // them once per row keeps that cost at what hand-written libpqxx code pays).
      pqxx::row r = result_[static_cast<pqxx::result::size_type>(row_++)];
      cells_.clear();
      for (pqxx::row::size_type c = 0; c < r.size(); ++c) {
        pqxx::field f = r[c];
        cells_.push_back(f.is_null() ? Cell{nullptr, 0} : Cell{f.c_str(), f.size()});
      }
      return true;
    }
    return false;
  }
  void finish() {
    if (!ran_) run();
  }
  // How many rows the statement returned (runs it if it has not run yet).
  std::size_t size_hint() {
    if (!ran_) run();
    return result_.size();
  }
  std::int64_t affected() const { return static_cast<std::int64_t>(result_.affected_rows()); }

  int column_count() {
    if (!ran_) run();
    return static_cast<int>(result_.columns());
  }
  std::string_view column_name(int col) const { return result_.column_name(static_cast<pqxx::row::size_type>(col)); }
  unsigned type_oid(int col) const { return static_cast<unsigned>(result_.column_type(static_cast<pqxx::row::size_type>(col))); }

  bool is_null(int col) const { return cells_[static_cast<std::size_t>(col)].data == nullptr; }
  std::string_view text(int col) const {
    const Cell& c = cells_[static_cast<std::size_t>(col)];
    return c.data ? std::string_view(c.data, c.size) : std::string_view();
  }

 private:
  struct Cell {
    const char* data;  // into the result (alive as long as the cursor), nullptr for NULL
    std::size_t size;
  };

  void run() {
    ran_ = true;
    try {
      pqxx::nontransaction tx(c_.native());
#if PQXX_VERSION_MAJOR >= 7
      pqxx::params params;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        if (nulls_[i]) params.append();
        else params.append(pqxx::zview{values_[i]});
      }
      result_ = name_ ? tx.exec_prepared(*name_, params) : tx.exec_params(unnamed_sql_, params);
#else
      std::vector<const char*> ptrs = pointers();
      result_ = name_ ? tx.exec_prepared(*name_, pqxx::prepare::make_dynamic_params(ptrs))
                      : tx.exec_params(unnamed_sql_, pqxx::prepare::make_dynamic_params(ptrs));
#endif
    } catch (...) {
      if (!c_.hook_) rethrow(&c_.broken_);
      try {
        rethrow(&c_.broken_);
      } catch (const std::exception& e) {
        error_ = e.what();
        throw;
      }
    }
  }

  Connection& c_;
  const std::string* name_;
  std::string unnamed_sql_;
  std::string_view sql_;
  std::chrono::steady_clock::time_point t0_;
  std::string error_;
  pqxx::result result_;
  std::vector<Cell> cells_;
  std::size_t row_ = 0;
  bool ran_ = false;
};

inline Connection::Cursor Connection::cursor(std::string_view sql) {
  if (counter_) counter_->fetch_add(1, std::memory_order_relaxed);
  try {
    if (hook_ && hook_->comments) {  // ClientOptions::comments: the statement with its tags, sent unnamed
      if (std::string c = hook_->comment(sql); !c.empty()) return Cursor(*this, nullptr, std::string(sql) + c);
    }
    if (unnamed_) return Cursor(*this, nullptr, sql);
    return Cursor(*this, &statement_name(sql), sql);
  } catch (...) {
    rethrow(&broken_);
  }
}

// All-or-nothing for the statements of one operation: BEGIN ... COMMIT, or a savepoint inside an
// open transaction. Rolls back unless commit() was reached. Shared by the blocking and the
// asynchronous connection (both count their open transactions in `depth_`).
template <class Conn>
class BasicAtomic {
 public:
  explicit BasicAtomic(Conn& c) : c_(c), nested_(c.depth_ > 0) {
    c_.exec(nested_ ? "SAVEPOINT prisma_op_" + std::to_string(c_.depth_) : std::string("BEGIN"));
    ++c_.depth_;
  }
  // A transaction opened with `begin` (the interactive transaction's, with its isolation level).
  BasicAtomic(Conn& c, const std::string& begin) : c_(c), nested_(false) {
    c_.exec(begin);
    ++c_.depth_;
  }
  ~BasicAtomic() { rollback(); }
  // Rolls back now (the destructor does when commit() was not reached).
  void rollback() noexcept {
    if (done_) return;
    done_ = true;
    --c_.depth_;
    if (c_.broken_) return;  // never handed out again: nothing to roll back on it
    try {
      if (nested_) {
        std::string sp = "prisma_op_" + std::to_string(c_.depth_);
        c_.exec("ROLLBACK TO SAVEPOINT " + sp + "; RELEASE SAVEPOINT " + sp);
      } else {
        c_.exec("ROLLBACK");
      }
    } catch (...) {
      c_.mark_broken();  // unknown state: never hand this connection out again
    }
  }
  BasicAtomic(const BasicAtomic&) = delete;
  BasicAtomic& operator=(const BasicAtomic&) = delete;
  void commit() {
    --c_.depth_;
    done_ = true;
    try {
      c_.exec(nested_ ? "RELEASE SAVEPOINT prisma_op_" + std::to_string(c_.depth_) : std::string("COMMIT"));
    } catch (...) {
      if (!nested_) c_.mark_broken();
      throw;
    }
  }

 private:
  Conn& c_;
  bool nested_;
  bool done_ = false;
};
using Atomic = BasicAtomic<Connection>;

using PoolOptions = driver::PoolOptions;

// The thread-safe pool of PostgreSQL connections (driver/pool.hpp): a broken connection, or one
// left inside a transaction, is closed when its lease ends.
class Pool : public driver::Pool<Connection> {
 public:
  Pool(std::string conninfo, PoolOptions opt, std::vector<std::string> on_connect = {}, bool pgbouncer = false)
      : driver::Pool<Connection>(
            [info = std::move(conninfo), on_connect = std::move(on_connect), pgbouncer] {
              auto c = std::make_unique<Connection>(info, pgbouncer);
              for (const auto& sql : on_connect) c->exec(sql);
              return c;
            },
            opt) {}
};

// Read replicas (ClientOptions::replicas): a pool per replica; reads go to them in turn (round
// robin). A replica that cannot be reached (its connection fails to open, or a lease on it turns
// out broken) is skipped for `retry_after`; with none answering, reads go to the primary.
class Replicas {
 public:
  explicit Replicas(std::vector<std::unique_ptr<Pool>> pools, std::chrono::milliseconds retry_after = std::chrono::seconds(5))
      : pools_(std::move(pools)), down_until_(pools_.size()), retry_after_(retry_after) {}

  Pool::Lease acquire(Pool& primary) {
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    for (std::size_t tries = 0; tries < pools_.size(); ++tries) {
      std::size_t i = next_.fetch_add(1, std::memory_order_relaxed) % pools_.size();
      if (down_until_[i].load(std::memory_order_relaxed) > now) continue;
      try {
        auto lease = pools_[i]->acquire();
        if (!lease->broken()) return lease;
      } catch (const ConnectionError& e) {
        if (e.code() == "P2024") throw;  // the replica is up but busy: a pool timeout, as on the primary
      }
      mark_down(i);
    }
    return primary.acquire();
  }
  // Skips replica i for a while (a connection to it failed).
  void mark_down(std::size_t i) {
    down_until_[i].store((std::chrono::steady_clock::now() + retry_after_).time_since_epoch().count(), std::memory_order_relaxed);
  }
  bool healthy(std::size_t i) const {
    return down_until_[i].load(std::memory_order_relaxed) <= std::chrono::steady_clock::now().time_since_epoch().count();
  }
  std::size_t size() const { return pools_.size(); }
  Pool& pool(std::size_t i) { return *pools_[i]; }

 private:
  std::vector<std::unique_ptr<Pool>> pools_;
  std::vector<std::atomic<std::int64_t>> down_until_;  // steady_clock ticks
  std::chrono::milliseconds retry_after_;
  std::atomic<std::size_t> next_{0};
};

// What the delegates run on: a lease on a pooled connection per operation; reads (find*, count,
// aggregate, group_by) lease from the read replicas when there are any.
struct Source {
  static constexpr sql::Dialect dialect = sql::Dialect::Postgresql;
  using connection = Connection;
  using transaction = Atomic;
  Pool* pool = nullptr;
  Replicas* replicas = nullptr;  // nullptr: reads on the primary
  TransactionOptions transaction_options{};  // the client's defaults (ClientOptions)
  Pool::Lease acquire() const { return pool->acquire(); }
  Pool::Lease acquire(std::chrono::milliseconds max_wait) const { return pool->acquire(max_wait); }
  Pool::Lease acquire_read() const { return replicas ? replicas->acquire(*pool) : pool->acquire(); }
};

}  // namespace prisma::driver::postgres
