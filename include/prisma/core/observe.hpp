// Query logging and metrics (Prisma's `log` option, `$on('query')` and `$metrics`).
//
// The drivers call a QueryHook around every statement when the client was opened with logging or
// metrics on; without them the hook is null and a statement pays one pointer test.
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <utility>
#include <iomanip>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "prisma/core/enums.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/core/sql_comment.hpp"
#include "prisma/core/types.hpp"
#include "prisma/core/transaction_options.hpp"

namespace prisma {

enum class LogLevel { Query, Info, Warn, Error };

inline std::string_view to_string(LogLevel l) {
  switch (l) {
    case LogLevel::Query: return "query";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
  }
  return "info";
}

// One statement as it ran: its SQL, its parameters as text (when query logging is on), how long
// it took (from its first step to its end) and how many rows it returned.
struct QueryEvent {
  std::string_view sql;
  const std::vector<std::string>* params = nullptr;
  std::chrono::nanoseconds duration{0};
  std::int64_t rows = 0;
  bool failed = false;
  std::string_view error;

  double duration_ms() const { return std::chrono::duration<double, std::milli>(duration).count(); }
};

// What a client logs: a query (LogLevel::Query, with `query`), a slow query (Warn, with `query`),
// a failed statement (Error, with `query`), connection events (Info).
struct LogEvent {
  LogLevel level;
  std::string message;
  const QueryEvent* query = nullptr;
};

// A finished tracing span, as OpenTelemetry takes one, with Prisma 7's span names and attributes:
//   prisma:client:operation        per operation of a delegate or raw SQL call: `method` (the client's
//                                  name: findMany, create, count, queryRaw), `model`, `name` ("User.create")
//   prisma:client:db_query         per statement: `db.query.text` (the SQL as sent, its comment too),
//                                  `db.system.name` ("sqlite", "postgresql"); OpenTelemetry kind CLIENT
//   prisma:client:transaction      per transaction(...) / batch(...): `method` = "$transaction"
//   prisma:client:start_transaction, prisma:client:commit_transaction, prisma:client:rollback_transaction
// `id` is unique in the process, `parent_id` the span this one lies within (0: a root), so an
// exporter rebuilds the tree (spans end, and arrive, children first). Export them from
// ClientOptions::on_span into an OpenTelemetry SDK.
struct Span {
  std::string_view name;
  std::chrono::system_clock::time_point start, end;
  std::vector<std::pair<std::string_view, std::string>> attributes;
  bool failed = false;  // the span's status: an error
  std::uint64_t id = 0;
  std::uint64_t parent_id = 0;
  bool client_kind = false;  // OpenTelemetry's SpanKind CLIENT (db_query); else INTERNAL
};

struct ClientOptions {
  // The levels to emit (Prisma's `log: ['query', 'warn']`); none by default.
  std::vector<LogLevel> log{};
  // Receives each event of those levels; unset: one line per event on stderr ("prisma:query ...").
  std::function<void(const LogEvent&)> on_log{};
  // A statement at least this long emits a Warn event (when Warn is logged); zero: off.
  std::chrono::milliseconds slow_query{0};
  // Collect db.metrics() (Prisma's `metrics` preview feature).
  bool metrics = false;
  // SQL run on every connection the client opens, before its first query: settings that live per
  // connection (`PRAGMA synchronous = NORMAL`, `SET statement_timeout = 5000`). Never user data.
  std::vector<std::string> on_connect{};
  // PostgreSQL read replicas (Prisma's read-replicas extension): reads that are not in a
  // transaction (find*, count, aggregate, group_by) go to these in turn, skipping one that cannot be
  // reached; writes, transactions, raw SQL and `db.primary()` go to the primary.
  std::vector<std::string> replicas{};
  // Every transaction's defaults (Prisma's `transactionOptions`: maxWait, timeout, isolation
  // level); what a `transaction(f, options)` sets wins, field by field.
  TransactionOptions transaction_options{};
  // Receives each finished tracing span (Prisma's tracing: see Span); unset: no span is made.
  std::function<void(const Span&)> on_span{};
  // SQL comments (Prisma 7's `comments`, sqlcommenter format; core/sql_comment.hpp): each
  // statement of an operation gets the tags these return for it, a later commenter's key winning:
  // `.comments = {prisma::query_tags(), [](const prisma::SqlCommentContext& c) { return
  // prisma::SqlTags{{"application", "billing"}}; }}`. A commented statement is prepared on its
  // own (not from the statement cache) when its text is new.
  std::vector<SqlCommenter> comments{};
};

namespace detail {

// Called by the drivers around each statement.
class QueryHook {
 public:
  virtual ~QueryHook() = default;
  virtual void begin() noexcept = 0;
  virtual void end(const QueryEvent& e) noexcept = 0;
  virtual void info(const std::string& message) noexcept = 0;
  // A span finished (ClientOptions::on_span); its id and parent are set.
  virtual void finish(Span&) noexcept {}
  // The comment for a statement of the current operation (` /*...*/`), or "" (ClientOptions::comments).
  // What a commenter throws fails the statement before it runs (as Prisma's plugins).
  virtual std::string comment(std::string_view) { return {}; }
  bool wants_params = false;
  bool tracing = false;   // finish() exports spans
  bool comments = false;  // comment() has commenters
};

// The operation running on this thread (its outermost: Prisma's model and client method), for
// the comments' context; and the span statements and inner spans lie within.
struct CurrentOperation {
  std::string_view model, method;
};
inline CurrentOperation& current_operation() {
  thread_local CurrentOperation op;
  return op;
}
inline std::uint64_t& current_span() {
  thread_local std::uint64_t id = 0;
  return id;
}
inline std::uint64_t next_span_id() {
  static std::atomic<std::uint64_t> n{0};
  return n.fetch_add(1, std::memory_order_relaxed) + 1;
}

// A span from construction to destruction, the current one on this thread meanwhile; nothing
// without a hook that traces. Failed when it ends by an exception.
class SpanScope {
 public:
  SpanScope(QueryHook* h, std::string_view name, std::vector<std::pair<std::string_view, std::string>> attrs = {})
      : h_(h && h->tracing ? h : nullptr) {
    if (!h_) return;
    span_.name = name;
    span_.attributes = std::move(attrs);
    span_.id = next_span_id();
    span_.parent_id = std::exchange(current_span(), span_.id);
    span_.start = std::chrono::system_clock::now();
    exceptions_ = std::uncaught_exceptions();
  }
  SpanScope(const SpanScope&) = delete;
  SpanScope& operator=(const SpanScope&) = delete;
  ~SpanScope() {
    if (!h_) return;
    current_span() = span_.parent_id;
    span_.end = std::chrono::system_clock::now();
    span_.failed = std::uncaught_exceptions() > exceptions_;
    h_->finish(span_);
  }

 private:
  QueryHook* h_;
  Span span_;
  int exceptions_ = 0;
};

// Prisma's protocol action of a client method (the comments' `action`): create -> createOne,
// update -> updateOne, upsert -> upsertOne, delete -> deleteOne, count -> aggregate.
constexpr std::string_view protocol_action(std::string_view method) {
  if (method == "create") return "createOne";
  if (method == "update") return "updateOne";
  if (method == "upsert") return "upsertOne";
  if (method == "delete") return "deleteOne";
  if (method == "count") return "aggregate";
  if (method == "queryRawUnsafe") return "queryRaw";
  if (method == "executeRawUnsafe") return "executeRaw";
  return method;
}

// A bound value as a log shows it.
template <class T>
std::string param_text(const T& v) {
  if constexpr (requires { v.has_value(); *v; }) {
    return v ? param_text(*v) : std::string("NULL");
  } else if constexpr (std::is_same_v<T, std::nullopt_t>) {
    return "NULL";
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_arithmetic_v<T>) {
    std::ostringstream o;
    o << v;
    return o.str();
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return "\"" + std::string(std::string_view(v)) + "\"";
  } else if constexpr (std::is_same_v<T, DateTime>) {
    return v.to_iso();
  } else if constexpr (std::is_same_v<T, Decimal>) {
    return v.str();
  } else if constexpr (std::is_same_v<T, Json>) {
    return std::string(v.text());
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return "<" + std::to_string(v.size()) + " bytes>";
  } else if constexpr (requires { enum_db_name(v); }) {
    return "\"" + std::string(enum_db_name(v)) + "\"";
  } else if constexpr (requires { v.size(); v.begin(); }) {
    std::string out = "[";
    for (const auto& x : v) out += (out.size() > 1 ? "," : "") + param_text(x);
    return out + "]";
  } else {
    return "?";
  }
}

}  // namespace detail

// The pool's state, for the connection gauges.
struct PoolStats {
  std::uint64_t open = 0, idle = 0, busy = 0, opened_total = 0, closed_total = 0;
  std::uint64_t waiting = 0;  // callers waiting for a free connection
};

// A snapshot of the client's metrics under Prisma's names, as JSON (`$metrics.json()`) or as
// Prometheus text (`$metrics.prometheus()`).
struct MetricsSnapshot {
  struct Value {
    std::string key;
    double value;
    std::string description;
  };
  struct Histogram {
    std::string key;
    std::vector<std::pair<double, std::uint64_t>> buckets;  // upper bound, count in the bucket
    double sum = 0;
    std::uint64_t count = 0;
    std::string description;
  };
  std::vector<Value> counters, gauges;
  std::vector<Histogram> histograms;

  double counter(std::string_view key) const { return find(counters, key); }
  double gauge(std::string_view key) const { return find(gauges, key); }
  const Histogram* histogram(std::string_view key) const {
    for (const auto& h : histograms)
      if (h.key == key) return &h;
    return nullptr;
  }

  std::string json() const {
    std::ostringstream o;
    o << std::setprecision(15);
    auto str = [&](std::string_view s) {
      o << '"';
      for (char c : s) {
        if (c == '"' || c == '\\') o << '\\';
        o << c;
      }
      o << '"';
    };
    auto values = [&](const char* name, const std::vector<Value>& vs) {
      o << '"' << name << "\":[";
      for (std::size_t i = 0; i < vs.size(); ++i) {
        o << (i ? "," : "") << "{\"key\":";
        str(vs[i].key);
        o << ",\"labels\":{},\"value\":" << vs[i].value << ",\"description\":";
        str(vs[i].description);
        o << '}';
      }
      o << ']';
    };
    o << '{';
    values("counters", counters);
    o << ',';
    values("gauges", gauges);
    o << ",\"histograms\":[";
    for (std::size_t i = 0; i < histograms.size(); ++i) {
      const auto& h = histograms[i];
      o << (i ? "," : "") << "{\"key\":";
      str(h.key);
      o << ",\"labels\":{},\"value\":{\"buckets\":[";
      for (std::size_t b = 0; b < h.buckets.size(); ++b)
        o << (b ? "," : "") << '[' << h.buckets[b].first << ',' << h.buckets[b].second << ']';
      o << "],\"sum\":" << h.sum << ",\"count\":" << h.count << "},\"description\":";
      str(h.description);
      o << '}';
    }
    o << "]}";
    return o.str();
  }

  std::string prometheus() const {
    std::ostringstream o;
    o << std::setprecision(15);
    for (const auto& c : counters)
      o << "# HELP " << c.key << ' ' << c.description << "\n# TYPE " << c.key << " counter\n" << c.key << ' '
        << c.value << "\n\n";
    for (const auto& g : gauges)
      o << "# HELP " << g.key << ' ' << g.description << "\n# TYPE " << g.key << " gauge\n" << g.key << ' '
        << g.value << "\n\n";
    for (const auto& h : histograms) {
      o << "# HELP " << h.key << ' ' << h.description << "\n# TYPE " << h.key << " histogram\n";
      std::uint64_t cumulative = 0;
      for (const auto& [le, n] : h.buckets) {
        cumulative += n;
        o << h.key << "_bucket{le=\"" << le << "\"} " << cumulative << '\n';
      }
      o << h.key << "_bucket{le=\"+Inf\"} " << h.count << '\n'
        << h.key << "_sum " << h.sum << '\n' << h.key << "_count " << h.count << "\n\n";
    }
    return o.str();
  }

 private:
  static double find(const std::vector<Value>& vs, std::string_view key) {
    for (const auto& v : vs)
      if (v.key == key) return v.value;
    return 0;
  }
};

namespace detail {

// The client's logger and metrics: the QueryHook its connections call.
class Instrumentation final : public QueryHook {
 public:
  static constexpr std::array<double, 10> kBuckets{0, 1, 5, 10, 50, 100, 500, 1000, 5000, 50000};

  explicit Instrumentation(ClientOptions o) : opt_(std::move(o)) {
    tracing = static_cast<bool>(opt_.on_span);
    comments = !opt_.comments.empty();
    for (auto l : opt_.log) levels_[static_cast<std::size_t>(l)] = true;
    wants_params = levels_[static_cast<std::size_t>(LogLevel::Query)] ||
                   (levels_[static_cast<std::size_t>(LogLevel::Warn)] && opt_.slow_query.count() > 0);
  }
  static bool needed(const ClientOptions& o) {
    return o.metrics || !o.log.empty() || o.on_span || !o.comments.empty();
  }
  // The database, as the spans' `db.system.name` names it ("sqlite", "postgresql").
  void set_db_system(std::string_view system) { db_system_ = system; }

  void begin() noexcept override { active_.fetch_add(1, std::memory_order_relaxed); }

  void end(const QueryEvent& e) noexcept override {
    active_.fetch_sub(1, std::memory_order_relaxed);
    if (opt_.metrics) {
      double ms = e.duration_ms();
      std::lock_guard lock(mu_);
      ++total_;
      sum_ms_ += ms;
      std::size_t b = 0;
      while (b + 1 < kBuckets.size() && ms > kBuckets[b]) ++b;
      if (ms > kBuckets.back()) b = kBuckets.size();  // past the last bound: only +Inf
      if (b < kBuckets.size()) ++buckets_[b];
    }
    if (opt_.on_span) {
      auto end = std::chrono::system_clock::now();
      Span span{"prisma:client:db_query",
                end - std::chrono::duration_cast<std::chrono::system_clock::duration>(e.duration),
                end,
                {{"db.query.text", std::string(e.sql)}, {"db.system.name", std::string(db_system_)}},
                e.failed,
                next_span_id(),
                current_span(),
                true};
      finish(span);
    }
    if (e.failed && on(LogLevel::Error))
      emit({LogLevel::Error, "Query failed: " + std::string(e.error) + " (" + std::string(e.sql) + ")", &e});
    if (on(LogLevel::Query)) emit({LogLevel::Query, std::string(e.sql), &e});
    if (opt_.slow_query.count() > 0 && on(LogLevel::Warn) && e.duration >= opt_.slow_query)
      emit({LogLevel::Warn,
            "Slow query (" + std::to_string(static_cast<long long>(e.duration_ms())) + " ms, threshold " +
                std::to_string(opt_.slow_query.count()) + " ms): " + std::string(e.sql),
            &e});
  }

  void info(const std::string& message) noexcept override {
    if (on(LogLevel::Info)) emit({LogLevel::Info, message, nullptr});
  }

  void finish(Span& span) noexcept override {
    try {
      opt_.on_span(span);
    } catch (...) {  // an exporter's failure is not the query's
    }
  }

  // The tags of the commenters for this statement of the current operation, as a comment.
  std::string comment(std::string_view sql) override {
    const auto& op = current_operation();
    SqlCommentContext ctx{op.model, protocol_action(op.method), sql};
    SqlTags tags;
    for (const auto& c : opt_.comments) {
      auto more = c(ctx);
      for (auto& t : more) tags.push_back(std::move(t));
    }
    return sql_comment(std::move(tags));
  }

  bool metrics_on() const { return opt_.metrics; }

  MetricsSnapshot snapshot(const PoolStats& pool) const {
    MetricsSnapshot s;
    std::lock_guard lock(mu_);
    double total = static_cast<double>(total_);
    s.counters = {
        {"prisma_client_queries_total", total, "The total number of Prisma Client queries executed"},
        {"prisma_datasource_queries_total", total, "The total number of datasource queries executed"},
        {"prisma_pool_connections_closed_total", static_cast<double>(pool.closed_total),
         "The total number of pool connections closed"},
        {"prisma_pool_connections_opened_total", static_cast<double>(pool.opened_total),
         "The total number of pool connections opened"},
    };
    s.gauges = {
        {"prisma_client_queries_active", static_cast<double>(active_.load()),
         "The number of currently active Prisma Client queries"},
        {"prisma_client_queries_wait", static_cast<double>(pool.waiting),
         "The number of datasource queries currently waiting for a free connection"},
        {"prisma_pool_connections_busy", static_cast<double>(pool.busy), "The number of pool connections currently executing datasource queries"},
        {"prisma_pool_connections_idle", static_cast<double>(pool.idle), "The number of pool connections that are not busy running a query"},
        {"prisma_pool_connections_open", static_cast<double>(pool.open), "The number of pool connections currently open"},
    };
    for (const char* key : {"prisma_client_queries_duration_histogram_ms", "prisma_datasource_queries_duration_histogram_ms"}) {
      MetricsSnapshot::Histogram h;
      h.key = key;
      for (std::size_t b = 0; b < kBuckets.size(); ++b) h.buckets.push_back({kBuckets[b], buckets_[b]});
      h.sum = sum_ms_;
      h.count = total_;
      h.description = std::string(key).find("client") != std::string::npos
                          ? "The distribution of the time Prisma Client queries took to run end to end"
                          : "The distribution of the time datasource queries took to run";
      s.histograms.push_back(std::move(h));
    }
    return s;
  }

 private:
  bool on(LogLevel l) const { return levels_[static_cast<std::size_t>(l)]; }

  void emit(const LogEvent& e) noexcept {
    try {
      if (opt_.on_log) {
        opt_.on_log(e);
        return;
      }
      std::string line = "prisma:" + std::string(to_string(e.level)) + ' ' + e.message;
      if (e.query && e.level == LogLevel::Query) {
        if (e.query->params) {
          line += " [";
          for (std::size_t i = 0; i < e.query->params->size(); ++i) line += (i ? "," : "") + (*e.query->params)[i];
          line += ']';
        }
        line += " " + std::to_string(e.query->duration_ms()) + "ms";
      }
      std::fprintf(stderr, "%s\n", line.c_str());
    } catch (...) {
      // a logger must never turn a query into a failure
    }
  }

  ClientOptions opt_;
  std::string_view db_system_ = "sqlite";
  std::array<bool, 4> levels_{};
  std::atomic<std::int64_t> active_{0};
  mutable std::mutex mu_;
  std::uint64_t total_ = 0;
  double sum_ms_ = 0;
  std::array<std::uint64_t, kBuckets.size()> buckets_{};
};

}  // namespace detail
}  // namespace prisma
