// A model's delegate (`db.user`): the Prisma Client operations of one model. So far: find_many
// and find_first (where / order_by / take, negative from the end / skip), count, delete_many.
#pragma once
#include <algorithm>
#include <optional>
#include <type_traits>
#include <vector>

#include "prisma/client/rows.hpp"
#include "prisma/driver/sqlite.hpp"
#include "prisma/sql/select.hpp"

namespace prisma {

namespace detail {

// Binds values in placeholder order on an SQLite cursor; lists become one JSON array.
struct SqliteBinder {
  driver::sqlite::Cursor& c;
  int i = 1;
  template <class T>
  void operator()(const T& v) { c.bind(i++, v); }
  template <class T>
  void list(const std::vector<T>& vs) {
    std::string json = "[";
    for (std::size_t k = 0; k < vs.size(); ++k) {
      if (k) json += ',';
      append_json(json, vs[k]);
    }
    json += ']';
    c.bind(i++, json);
  }

 private:
  static void append_json(std::string& out, const std::string& v) { out += Json::string(v).text(); }
  static void append_json(std::string& out, const DateTime& v) { out += '"' + v.to_iso() + '"'; }
  static void append_json(std::string& out, const Decimal& v) { out += v.str(); }
  static void append_json(std::string& out, bool v) { out += v ? "1" : "0"; }
  template <class T>
  static void append_json(std::string& out, const T& v) {
    if constexpr (meta::SchemaEnum<T>) out += Json::string(enum_db_name(v)).text();
    else if constexpr (std::is_arithmetic_v<T>) out += std::to_string(v);
    else static_assert(sizeof(T) == 0, "prisma: in()/not_in() is not available for this type");
  }
};

template <class C>
void bind_clause(SqliteBinder& b, const C& c) {
  if constexpr (requires { c.filter; }) c.filter.bind(b);
}

}  // namespace detail

template <class Model>
class Delegate {
 public:
  explicit Delegate(driver::sqlite::Connection* conn) : conn_(conn) {}

  template <class... Clauses>
  std::vector<Model> find_many(const Clauses&... clauses) {
    using S = sql::Select<Model, Clauses...>;
    std::int64_t take_n = 0;
    bool has_take = false;
    ((assign_take(clauses, take_n, has_take)), ...);
    if (has_take && take_n < 0) {
      auto rows = run<S, true>(clauses...);
      std::reverse(rows.begin(), rows.end());
      return rows;
    }
    return run<S, false>(clauses...);
  }

  // The number of rows matching `where(...)` (or all rows).
  template <class... Clauses>
  std::int64_t count(const Clauses&... clauses) {
    static constexpr auto& text = sql::Count<Model, Clauses...>::template text<sql::Dialect::Sqlite>;
    auto cur = conn_->cursor(text.view());
    [[maybe_unused]] detail::SqliteBinder b{cur};
    (detail::bind_clause(b, clauses), ...);
    std::int64_t n = 0;
    if (cur.step()) cur.read(0, n);
    return n;
  }

  // Deletes the rows matching the filter; returns how many went.
  template <Filter F>
  std::int64_t delete_many(const F& filter) {
    static_assert(std::is_same_v<typename F::model, Model>, "prisma: the filter is on another model");
    static constexpr auto& text = sql::DeleteWhere<Model, F>::template text<sql::Dialect::Sqlite>;
    auto cur = conn_->cursor(text.view());
    [[maybe_unused]] detail::SqliteBinder b{cur};
    filter.bind(b);
    while (cur.step()) {
    }
    return conn_->changes();
  }

  template <class... Clauses>
  std::optional<Model> find_first(const Clauses&... clauses) {
    static_assert(!(std::is_same_v<Clauses, Take> || ...), "prisma: find_first takes one row; drop take()");
    auto rows = find_many(clauses..., take(1));
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

 private:
  template <class C>
  static void assign_take(const C& c, std::int64_t& n, bool& has) {
    if constexpr (std::is_same_v<C, Take>) { n = c.n; has = true; }
  }

  template <class S, bool Reversed, class... Clauses>
  std::vector<Model> run(const Clauses&... clauses) {
    static constexpr auto& text = S::template text<sql::Dialect::Sqlite, Reversed>;
    auto cur = conn_->cursor(text.view());
    [[maybe_unused]] detail::SqliteBinder b{cur};
    (detail::bind_clause(b, clauses), ...);
    if constexpr (S::has_take)
      ((bind_limit<Take>(b, clauses)), ...);
    if constexpr (S::has_skip)
      ((bind_limit<Skip>(b, clauses)), ...);
    std::vector<Model> rows;
    while (cur.step()) rows.push_back(detail::read_row<Model>(cur));
    return rows;
  }

  template <class Want, class C>
  static void bind_limit(detail::SqliteBinder& b, const C& c) {
    if constexpr (std::is_same_v<C, Want>) b(c.n < 0 ? -c.n : c.n);
  }

  driver::sqlite::Connection* conn_;
};

}  // namespace prisma
