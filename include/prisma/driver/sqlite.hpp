// The SQLite driver: connections with their prepared-statement caches, typed binds and reads in
// the storage formats Prisma 7 uses on SQLite (DESIGN.md section 9), native errors mapped to
// Prisma's codes, and the pool a Client shares between threads (WAL: readers run side by side,
// writers take turns at the pool's write gate). No SQL is built here; the sql/ layer hands over
// finished text.
#pragma once
#include <sqlite3.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <deque>
#include <cstring>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "prisma/core/errors.hpp"
#include "prisma/core/observe.hpp"
#include "prisma/core/types.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/driver/pool.hpp"
#include "prisma/driver/sqlite_errors.hpp"
#include "prisma/sql/dialect.hpp"

namespace prisma::driver::sqlite {

// One writer at a time among the connections of one pool. SQLite itself lets one connection write
// at a time and makes the others wait in its busy handler (sleeps of 1 to 100 ms); the gate queues
// them on a mutex instead, so a writer starts as soon as the previous one commits. Other processes
// are still kept out by SQLite's own lock. A writer that waits longer than the busy timeout gets
// P2034, as SQLITE_BUSY would give it.
class WriteGate {
 public:
  explicit WriteGate(std::chrono::milliseconds wait) : wait_(wait) {}
  // Waits for the gate, up to the busy timeout (then P2034).
  void enter() {
    std::unique_lock lock(m_);
    if (taken_ && !free_.wait_for(lock, wait_, [&] { return !taken_; }))
      throw TransactionConflict(
          "The database is locked by another connection: another writer of this client held the write lock "
          "for longer than the busy timeout (" + std::to_string(wait_.count()) +
          " ms; set it with ?socket_timeout=<seconds> in the URL)");
    taken_ = true;
  }
  void leave() noexcept {
    {
      std::lock_guard lock(m_);
      taken_ = false;
    }
    free_.notify_one();
  }

 private:
  std::mutex m_;
  std::condition_variable free_;
  bool taken_ = false;
  std::chrono::milliseconds wait_;
};

class Connection;

// A connection's turn at its pool's write gate, held while a statement that writes runs outside a
// transaction or while a transaction is open. Turns nest on one connection (a second writing
// statement while the first is still open takes no second lock); the gate is released when the
// connection's last turn ends. Nothing to hold for a connection without a pool.
class WriteTurn {
 public:
  WriteTurn() = default;
  explicit WriteTurn(Connection& c);
  WriteTurn(WriteTurn&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
  WriteTurn& operator=(WriteTurn&& o) noexcept {
    if (this != &o) {
      release();
      c_ = std::exchange(o.c_, nullptr);
    }
    return *this;
  }
  WriteTurn(const WriteTurn&) = delete;
  WriteTurn& operator=(const WriteTurn&) = delete;
  ~WriteTurn() { release(); }
  void release() noexcept;

 private:
  Connection* c_ = nullptr;
};

// A prepared statement owned by its connection's cache. Use it through a Cursor, which binds,
// steps and always resets it, so no exception leaves it half-run.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* s) : stmt_(s) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

// One item of a list bound as one parameter (a JSON array that json_each reads), in the form
// the column stores it: text as a JSON string, DateTime as its ISO text, Boolean as 0/1, enums
// by their database name, numbers exactly (shortest round-trip form for floating point).
inline void json_list_item(std::string& out, const std::string& v) { out += Json::string(v).text(); }
inline void json_list_item(std::string& out, const DateTime& v) { out += '"' + v.to_iso() + '"'; }
inline void json_list_item(std::string& out, const Decimal& v) { out += v.str(); }
inline void json_list_item(std::string& out, bool v) { out += v ? "1" : "0"; }
template <class T>
void json_list_item(std::string& out, const T& v) {
  if constexpr (meta::SchemaEnum<T>) {
    out += Json::string(enum_db_name(v)).text();
  } else if constexpr (std::is_floating_point_v<T>) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  } else if constexpr (std::is_arithmetic_v<T>) {
    out += std::to_string(v);
  } else {
    static_assert(sizeof(T) == 0, "prisma: in()/not_in() is not available for this type");
  }
}

class Cursor {
 public:
  // `write`: the pool's write gate, held until the statement is reset (its implicit transaction
  // has then ended).
  Cursor(sqlite3* db, Statement& s, prisma::detail::QueryHook* hook = nullptr, std::string_view sql = {},
         WriteTurn write = {})
      : db_(db), s_(s.get()), hook_(hook), write_(std::move(write)) {
    if (hook_) {
      sql_ = sql;
      t0_ = std::chrono::steady_clock::now();
      hook_->begin();
    }
  }
  ~Cursor() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    if (hook_) {
      QueryEvent e;
      e.sql = sql_;
      e.params = hook_->wants_params ? &params_ : nullptr;
      e.duration = std::chrono::steady_clock::now() - t0_;
      e.rows = rows_;
      e.failed = !error_.empty();
      e.error = error_;
      hook_->end(e);
    }
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  // Binds are 1-based like SQLite's own.
  void bind_null(int i) { check(sqlite3_bind_null(s_, i)); }
  void bind(int i, std::nullopt_t) { bind_null(i); }
  void bind(int i, bool v) { check(sqlite3_bind_int(s_, i, v ? 1 : 0)); }
  void bind(int i, std::int32_t v) { check(sqlite3_bind_int(s_, i, v)); }
  void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(s_, i, v)); }
  void bind(int i, double v) { check(sqlite3_bind_double(s_, i, v)); }
  void bind(int i, std::string_view v) {
    check(sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void bind(int i, const std::string& v) { bind(i, std::string_view(v)); }
  void bind(int i, const char* v) { bind(i, std::string_view(v)); }
  void bind(int i, const Bytes& v) {
    check(sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT));
  }
  void bind(int i, const DateTime& v) { bind(i, v.to_iso()); }
  // Prisma 7 stores Decimal as an SQLite REAL.
  void bind(int i, const Decimal& v) { bind(i, v.to_double()); }
  void bind(int i, const Json& v) { bind(i, std::string_view(v.text())); }
  template <meta::SchemaEnum E>
  void bind(int i, E v) { bind(i, enum_db_name(v)); }
  template <class T>
  void bind(int i, const std::optional<T>& v) {
    if (v) bind(i, *v);
    else bind_null(i);
  }

  // Binds the next placeholder (the delegates bind in placeholder order).
  template <class T>
  void operator()(const T& v) {
    if (hook_ && hook_->wants_params) params_.push_back(prisma::detail::param_text(v));
    bind(next_++, v);
  }
  // A whole list as one parameter: a JSON array that `IN (SELECT value FROM json_each(?))` reads.
  template <class T>
  void list(const std::vector<T>& vs) {
    std::string json = "[";
    for (std::size_t k = 0; k < vs.size(); ++k) {
      if (k) json += ',';
      json_list_item(json, vs[k]);
    }
    json += ']';
    if (hook_ && hook_->wants_params) params_.push_back(json);
    bind(next_++, json);
  }
  // A Json filter's path, as SQLite's JSON functions take it (`$.pet.name`).
  void json_path(const JsonPath& p) { (*this)(sqlite_json_path(p.segments)); }
  // Rows changed by the statement just run (INSERT, UPDATE, DELETE).
  std::int64_t affected() const { return sqlite3_changes64(db_); }

  // True while a row is available; throws the mapped prisma::Error on failure.
  bool step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) {
      if (hook_) ++rows_;
      return true;
    }
    if (rc == SQLITE_DONE) return false;
    if (hook_) {
      try {
        throw_error(db_, sqlite3_extended_errcode(db_));
      } catch (const std::exception& e) {
        error_ = e.what();
        throw;
      }
    }
    throw_error(db_, sqlite3_extended_errcode(db_));
  }

  // Runs the statement to its end. A write with RETURNING changes its rows on the first step
  // but checks deferred work (foreign keys) only at the end: always finish after reading it.
  void finish() {
    while (step()) {
    }
  }

  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  int column_count() const { return sqlite3_column_count(s_); }
  std::string_view column_name(int col) const {
    const char* n = sqlite3_column_name(s_, col);
    return n ? n : "";
  }
  // The column's declared type (`BIGINT`, `DATETIME`...); empty for an expression.
  std::string_view declared_type(int col) const {
    const char* t = sqlite3_column_decltype(s_, col);
    return t ? t : "";
  }
  // Whether the current row's value at `col` can be read as T without a silent conversion (raw
  // queries check every value; NULL only into std::optional).
  template <class T>
  bool fits(int col) const {
    int t = sqlite3_column_type(s_, col);
    if constexpr (requires(T v) { v.has_value(); *v; }) {
      if (t == SQLITE_NULL) return true;
      return fits<typename T::value_type>(col);
    } else if constexpr (std::is_same_v<T, SqlValue>) {
      return true;  // whatever the row holds
    } else {
      if (t == SQLITE_NULL) return false;
      if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T>) return t == SQLITE_INTEGER;
      else if constexpr (std::is_floating_point_v<T> || std::is_same_v<T, Decimal>) return t == SQLITE_INTEGER || t == SQLITE_FLOAT;
      else if constexpr (std::is_same_v<T, Bytes>) return t == SQLITE_BLOB;
      else if constexpr (std::is_same_v<T, DateTime>) return t == SQLITE_TEXT || t == SQLITE_INTEGER;
      else return t == SQLITE_TEXT;  // strings, Json, enums
    }
  }
  std::string_view type_name(int col) const {
    switch (sqlite3_column_type(s_, col)) {
      case SQLITE_INTEGER: return "INTEGER";
      case SQLITE_FLOAT: return "REAL";
      case SQLITE_TEXT: return "TEXT";
      case SQLITE_BLOB: return "BLOB";
      default: return "NULL";
    }
  }

  void read(int col, bool& out) const { out = sqlite3_column_int64(s_, col) != 0; }
  void read(int col, std::int32_t& out) const { out = sqlite3_column_int(s_, col); }
  void read(int col, std::int64_t& out) const { out = sqlite3_column_int64(s_, col); }
  void read(int col, double& out) const { out = sqlite3_column_double(s_, col); }
  void read(int col, std::string& out) const { out.assign(text(col)); }
  void read(int col, Bytes& out) const {
    auto* p = static_cast<const std::byte*>(sqlite3_column_blob(s_, col));
    out.assign(p, p + sqlite3_column_bytes(s_, col));
  }
  void read(int col, Json& out) const { out = Json(std::string(text(col))); }
  void read(int col, SqlValue& out) const {
    switch (sqlite3_column_type(s_, col)) {
      case SQLITE_INTEGER: out = static_cast<std::int64_t>(sqlite3_column_int64(s_, col)); break;
      case SQLITE_FLOAT: out = sqlite3_column_double(s_, col); break;
      case SQLITE_TEXT: out = std::string(text(col)); break;
      case SQLITE_BLOB: {
        Bytes b;
        read(col, b);
        out = std::move(b);
        break;
      }
      default: out = std::monostate{};
    }
  }
  // ISO text (Prisma 7), integer milliseconds (the older engine) or `YYYY-MM-DD HH:MM:SS`.
  void read(int col, DateTime& out) const {
    if (sqlite3_column_type(s_, col) == SQLITE_INTEGER)
      out = DateTime::from_unix_ms(sqlite3_column_int64(s_, col));
    else
      out = DateTime::parse(text(col));
  }
  void read(int col, Decimal& out) const {
    switch (sqlite3_column_type(s_, col)) {
      case SQLITE_INTEGER: out = Decimal(static_cast<long long>(sqlite3_column_int64(s_, col))); break;
      case SQLITE_FLOAT: {
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, sqlite3_column_double(s_, col));
        out = Decimal(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
        break;
      }
      default: out = Decimal(text(col));
    }
  }
  template <meta::SchemaEnum E>
  void read(int col, E& out) const {
    auto v = enum_from_db_name<E>(text(col));
    if (!v) throw ValueError("value '" + std::string(text(col)) + "' is not in enum " +
                             std::string(meta::enum_traits<E>::name));
    out = *v;
  }
  template <class T>
  void read(int col, std::optional<T>& out) const {
    if (is_null(col)) {
      out.reset();
    } else {
      T v{};
      read(col, v);
      out = std::move(v);
    }
  }

  std::string_view text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
             : std::string_view();
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw_error(db_, rc, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* s_;
  int next_ = 1;
  // logging and metrics, when the client has them on
  prisma::detail::QueryHook* hook_ = nullptr;
  std::string_view sql_;
  std::chrono::steady_clock::time_point t0_;
  std::int64_t rows_ = 0;
  std::string error_;
  std::vector<std::string> params_;
  WriteTurn write_;  // released after the reset in ~Cursor
};

struct Options {
  int busy_timeout_ms = 5000;
  bool wal = true;
  bool foreign_keys = true;
};

class Connection {
 public:
  // `path` is a file name or ":memory:" (URL parsing happens in the client layer).
  static Connection open(const std::string& path, const Options& opt = {}) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                                 SQLITE_OPEN_URI,
                             nullptr);
    Connection c(db);
    if (rc != SQLITE_OK) throw_error(db, rc, path);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, opt.busy_timeout_ms);
    if (opt.foreign_keys) c.exec("PRAGMA foreign_keys = ON");
    if (opt.wal && path != ":memory:") c.enable_wal(opt.busy_timeout_ms);
    return c;
  }

  Connection(Connection&& o) noexcept
      : db_(std::exchange(o.db_, nullptr)),
        statements_(o.statements_),
        counter_(o.counter_),
        hook_(o.hook_),
        gate_(o.gate_),
        cache_(std::move(o.cache_)) {}
  Connection& operator=(Connection&& o) noexcept {
    if (this != &o) {
      close();
      db_ = std::exchange(o.db_, nullptr);
      statements_ = o.statements_;
      counter_ = o.counter_;
      hook_ = o.hook_;
      gate_ = o.gate_;
      cache_ = std::move(o.cache_);
    }
    return *this;
  }
  ~Connection() { close(); }

  // Runs one or more statements without results (DDL, pragmas, BEGIN/COMMIT).
  void exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) throw_error(db_, sqlite3_extended_errcode(db_));
  }

  // WAL mode (kept in the file). Switching a fresh file takes an exclusive lock that SQLite does
  // not wait for through its busy handler: two connections opening one new file at once would see
  // SQLITE_BUSY, so the switch is retried until the busy timeout.
  void enable_wal(int busy_timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (int attempt = 0;; ++attempt) {
      try {
        exec("PRAGMA journal_mode = WAL");
        return;
      } catch (const TransactionConflict&) {
        if (std::chrono::steady_clock::now() >= deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(attempt < 10 ? 1 : 10));
      }
    }
  }

  // The cached statement for this SQL text, prepared on first use.
  Statement& prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return *it->second.second;
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) throw_error(db_, rc, sql);
    auto key = std::make_unique<std::string>(sql);
    std::string_view k = *key;
    auto stmt = std::make_unique<Statement>(s);
    auto& slot = cache_[k];
    slot = {std::move(key), std::move(stmt)};
    return *slot.second;
  }

  // A commented statement (ClientOptions::comments): its text differs with its tags, so it is kept
  // among the last 64 such, not in the statement cache.
  std::pair<std::unique_ptr<std::string>, std::unique_ptr<Statement>>& prepare_commented(std::string sql) {
    for (auto& entry : commented_)
      if (*entry.first == sql) return entry;
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &s, nullptr);
    if (rc != SQLITE_OK) throw_error(db_, rc, sql);
    if (commented_.size() >= 64) commented_.pop_front();
    commented_.emplace_back(std::make_unique<std::string>(std::move(sql)), std::make_unique<Statement>(s));
    return commented_.back();
  }

  // A statement that writes, outside a transaction, first takes the pool's write gate.
  Cursor cursor(std::string_view sql) {
    ++statements_;
    if (counter_) counter_->fetch_add(1, std::memory_order_relaxed);
    if (hook_ && hook_->comments) {  // ClientOptions::comments: the statement with its tags
      if (std::string c = hook_->comment(sql); !c.empty()) {
        auto& [text, st] = prepare_commented(std::string(sql) + c);
        WriteTurn write;
        if (gate_ && !in_transaction() && !sqlite3_stmt_readonly(st->get())) write = WriteTurn(*this);
        return Cursor(db_, *st, hook_, *text, std::move(write));
      }
    }
    Statement& st = prepare(sql);
    WriteTurn write;
    if (gate_ && !in_transaction() && !sqlite3_stmt_readonly(st.get())) write = WriteTurn(*this);
    return Cursor(db_, st, hook_, sql, std::move(write));
  }
  // Logging and metrics (nullptr: off).
  void set_hook(prisma::detail::QueryHook* hook) { hook_ = hook; }
  // What a pool sets on the connections it opens: the statement total, the hook, the write gate.
  void attach(std::atomic<std::uint64_t>* counter, prisma::detail::QueryHook* hook) {
    counter_ = counter;
    hook_ = hook;
  }
  void set_gate(WriteGate* gate) { gate_ = gate; }
  // The pool reuses a connection that is open and outside any transaction (one left inside a
  // transaction by raw SQL is closed, which rolls the transaction back).
  bool reusable() const { return db_ && !in_transaction(); }
  // How many statements ran through cursor() on this connection (tests count queries with it).
  std::uint64_t statements_run() const { return statements_; }

  std::int64_t changes() const { return sqlite3_changes64(db_); }
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3* native() const { return db_; }
  std::size_t cached_statements() const { return cache_.size(); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  void close() {
    commented_.clear();  // statements first
    cache_.clear();
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  sqlite3* db_ = nullptr;
  std::uint64_t statements_ = 0;
  std::atomic<std::uint64_t>* counter_ = nullptr;  // the pool's statement total
  prisma::detail::QueryHook* hook_ = nullptr;
  WriteGate* gate_ = nullptr;
  std::deque<std::pair<std::unique_ptr<std::string>, std::unique_ptr<Statement>>> commented_;
  int turns_ = 0;  // WriteTurns alive on this connection (the gate is held while > 0)
  friend class WriteTurn;
  // key -> (owned SQL text the key views, statement)
  std::unordered_map<std::string_view,
                     std::pair<std::unique_ptr<std::string>, std::unique_ptr<Statement>>>
      cache_;
};

inline WriteTurn::WriteTurn(Connection& c) : c_(&c) {
  if (c.turns_ == 0 && c.gate_) c.gate_->enter();  // throws P2034 after the busy timeout
  ++c.turns_;
}

inline void WriteTurn::release() noexcept {
  if (!c_) return;
  if (--c_->turns_ == 0 && c_->gate_) c_->gate_->leave();
  c_ = nullptr;
}

// All-or-nothing for the statements of one operation: BEGIN IMMEDIATE ... COMMIT, or a savepoint
// when a transaction is already open. Rolls back unless commit() was reached.
class Atomic {
 public:
  explicit Atomic(Connection& c) : c_(c), nested_(c.in_transaction()) {
    if (!nested_) write_ = WriteTurn(c_);
    c_.exec(nested_ ? "SAVEPOINT prisma_op" : "BEGIN IMMEDIATE");
  }
  // A transaction opened with `begin` (the interactive transaction's; never nested).
  Atomic(Connection& c, const std::string& begin) : c_(c), nested_(false), write_(c_) {
    c_.exec(begin);
  }
  ~Atomic() { rollback(); }
  // Rolls back now (the destructor does when commit() was not reached).
  void rollback() noexcept {
    if (done_) return;
    done_ = true;
    try {
      c_.exec(nested_ ? "ROLLBACK TO prisma_op; RELEASE prisma_op" : "ROLLBACK");
    } catch (...) {
    }
    write_.release();
  }
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;
  void commit() {
    c_.exec(nested_ ? "RELEASE prisma_op" : "COMMIT");
    done_ = true;
    write_.release();
  }

 private:
  Connection& c_;
  bool nested_;
  bool done_ = false;
  WriteTurn write_;  // the pool's write gate, until COMMIT or ROLLBACK
};

// The connections of one Client: up to `connection_limit` of them over one database file in WAL
// mode (readers run in parallel; writers take turns at the pool's WriteGate), each used by one
// thread at a time. An in-memory database is private to its connection, so its pool holds one.
class Pool : public driver::Pool<Connection> {
 public:
  Pool(const std::string& path, const Options& opt, PoolOptions pool,
       std::vector<std::string> on_connect = {})
      : Pool(path, opt, pool, std::move(on_connect), std::make_shared<WriteGate>(std::chrono::milliseconds(opt.busy_timeout_ms))) {}

  // True for a database that lives in one connection's memory.
  static bool in_memory(const std::string& path) {
    return path == ":memory:" || path.find("mode=memory") != std::string::npos;
  }

 private:
  Pool(const std::string& path, const Options& opt, PoolOptions pool, std::vector<std::string> on_connect,
       std::shared_ptr<WriteGate> gate)
      : driver::Pool<Connection>(
            [path, opt, gate, on_connect = std::move(on_connect)] {
              auto c = std::make_unique<Connection>(Connection::open(path, opt));
              c->set_gate(gate.get());
              for (const auto& sql : on_connect) c->exec(sql);
              return c;
            },
            in_memory(path) ? PoolOptions{1, pool.timeout} : pool) {}
};

// What the delegates run on: a lease on one of the pool's connections per operation.
struct Source {
  static constexpr sql::Dialect dialect = sql::Dialect::Sqlite;
  using connection = Connection;
  using transaction = Atomic;
  Pool* pool = nullptr;
  TransactionOptions transaction_options{};  // the client's defaults (ClientOptions)
  Pool::Lease acquire() const { return pool->acquire(); }
  Pool::Lease acquire(std::chrono::milliseconds max_wait) const { return pool->acquire(max_wait); }
  Pool::Lease acquire_read() const { return pool->acquire(); }
};

// Delegates over one bare connection, without a pool (one thread; tests, tools).
struct ConnectionSource {
  static constexpr sql::Dialect dialect = sql::Dialect::Sqlite;
  using connection = Connection;
  using transaction = Atomic;
  Connection* conn = nullptr;
  Connection* acquire() const { return conn; }
  Connection* acquire_read() const { return conn; }
};

}  // namespace prisma::driver::sqlite
