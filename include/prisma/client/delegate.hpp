// A model's delegate (`db.user`): the Prisma Client operations of one model on SQLite: reads
// (find_unique, find_first, find_many with where / order_by / take, negative from the end /
// skip, count) and writes (create, create_many, update, update_many, upsert, delete_,
// delete_many), each a prepared statement with bound values.
#pragma once
#include <algorithm>
#include <optional>
#include <type_traits>
#include <vector>

#include "prisma/client/rows.hpp"
#include "prisma/client/writes.hpp"
#include "prisma/query/unique.hpp"
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

  // One row by a unique criterion (`user::email == "a@x.io"`), or nothing.
  template <Filter F>
  std::optional<Model> find_unique(const F& filter) {
    check_unique<F>();
    return find_first(where(filter));
  }
  // The same, or prisma::RecordNotFound (P2025).
  template <Filter F>
  Model find_unique_or_throw(const F& filter) {
    auto row = find_unique(filter);
    if (!row) throw RecordNotFound("No " + std::string(meta::model_traits<Model>::name) + " found");
    return std::move(*row);
  }

  // Inserts one row and returns it as stored (one statement: INSERT ... RETURNING).
  template <class M = Model>  // views have no create input
  Model create(const typename meta::write_types<M>::create& data) {
    using IW = detail::InsertWriter<Model>;
    std::string shape = IW::shape(data);
    const std::string& text = insert_cache_.get(shape, [&] { return IW::text(shape); });
    auto cur = conn_->cursor(text);
    detail::SqliteBinder b{cur};
    IW::bind(b, data, shape, DateTime::now());
    if (!cur.step()) throw DatabaseError("INSERT returned no row");
    return detail::read_row<Model>(cur);
  }

  // Updates the row the unique filter names, or creates it when there is none; one transaction.
  template <Filter F, class M = Model>
  Model upsert(const F& filter, const typename meta::write_types<M>::create& create_data,
               const typename meta::write_types<M>::update& update_data) {
    check_unique<F>();
    driver::sqlite::Atomic tx(*conn_);
    auto rows = update_rows(filter, update_data);
    Model row = rows.empty() ? create(create_data) : std::move(rows.front());
    tx.commit();
    return row;
  }

  // Inserts many rows in one transaction, as multi-row INSERTs (rows of the same shape share a
  // statement, up to SQLite's bind limit); returns how many were inserted. With
  // skip_duplicates, rows that hit a unique constraint are left out instead of failing.
  template <class M = Model>
  std::int64_t create_many(const std::vector<typename meta::write_types<M>::create>& rows,
                           bool skip_duplicates = false) {
    using IW = detail::InsertWriter<Model>;
    constexpr std::size_t kMaxBinds = 32766;  // SQLITE_MAX_VARIABLE_NUMBER since 3.32
    driver::sqlite::Atomic tx(*conn_);
    std::int64_t inserted = 0;
    const DateTime now = DateTime::now();
    std::size_t i = 0;
    while (i < rows.size()) {
      std::string shape = IW::shape(rows[i]);
      std::size_t per_row = std::max<std::size_t>(1, static_cast<std::size_t>(std::count(shape.begin(), shape.end(), '1')));
      std::size_t j = i + 1;
      while (j < rows.size() && (j - i + 1) * per_row <= kMaxBinds && IW::shape(rows[j]) == shape) ++j;
      std::size_t n = per_row == 1 && shape.find('1') == std::string::npos ? 1 : j - i;
      if (n == 1) j = i + 1;
      std::string key = shape + "#" + std::to_string(n) + (skip_duplicates ? "!" : "");
      const std::string& text = insert_cache_.get(key, [&] { return IW::text(shape, n, false, skip_duplicates); });
      auto cur = conn_->cursor(text);
      detail::SqliteBinder b{cur};
      for (std::size_t k = i; k < j; ++k) IW::bind(b, rows[k], shape, now);
      while (cur.step()) {
      }
      inserted += conn_->changes();
      i = j;
    }
    tx.commit();
    return inserted;
  }

  // Updates the row the unique filter names and returns it; RecordNotFound (P2025) when none.
  template <Filter F, class M = Model>
  Model update(const F& filter, const typename meta::write_types<M>::update& data) {
    check_unique<F>();
    auto rows = update_rows(filter, data);
    if (rows.empty())
      throw RecordNotFound("Record to update not found (" + std::string(meta::model_traits<Model>::name) + ")");
    return std::move(rows.front());
  }

  // Updates every row matching the filter; returns how many changed.
  template <Filter F, class M = Model>
  std::int64_t update_many(const F& filter, const typename meta::write_types<M>::update& data) {
    return static_cast<std::int64_t>(update_rows(filter, data).size());
  }

  // Deletes the row the unique filter names and returns it; RecordNotFound (P2025) when none.
  template <Filter F>
  Model delete_(const F& filter) {
    check_unique<F>();
    static constexpr auto& text = sql::DeleteWhere<Model, F>::template text<sql::Dialect::Sqlite>;
    static const std::string returning =
        std::string(text.view()) + " RETURNING " + std::string(meta::model_traits<Model>::column_list);
    auto cur = conn_->cursor(returning);
    detail::SqliteBinder b{cur};
    filter.bind(b);
    if (!cur.step())
      throw RecordNotFound("Record to delete does not exist (" + std::string(meta::model_traits<Model>::name) + ")");
    return detail::read_row<Model>(cur);
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

  // The first row, or prisma::RecordNotFound (P2025).
  template <class... Clauses>
  Model find_first_or_throw(const Clauses&... clauses) {
    auto row = find_first(clauses...);
    if (!row) throw RecordNotFound("No " + std::string(meta::model_traits<Model>::name) + " found");
    return std::move(*row);
  }

  template <class... Clauses>
  std::optional<Model> find_first(const Clauses&... clauses) {
    static_assert(!(std::is_same_v<Clauses, Take> || ...), "prisma: find_first takes one row; drop take()");
    auto rows = find_many(clauses..., take(1));
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

 private:
  template <class F>
  static constexpr void check_unique() {
    static_assert(std::is_same_v<typename F::model, Model>, "prisma: the filter is on another model");
    static_assert(detail::is_unique_filter<Model, F>::value,
                  "prisma: find_unique/update/delete_ need a unique criterion: == on the id, on a "
                  "@unique field, or on every field of a @@id/@@unique (joined with &&)");
  }

  template <class F, class M = Model>
  std::vector<Model> update_rows(const F& filter, const typename meta::write_types<M>::update& data) {
    static_assert(std::is_same_v<typename F::model, Model>, "prisma: the filter is on another model");
    using UW = detail::UpdateWriter<Model>;
    static constexpr auto where_text = sql::build([](auto& s) { F::template render<sql::Dialect::Sqlite>(s, 1); });
    std::string shape = UW::shape(data);
    const std::string& text = update_cache_.get(shape + "|" + std::string(where_text.view()), [&] { return UW::text(shape, where_text.view()); });
    auto cur = conn_->cursor(text);
    detail::SqliteBinder b{cur};
    UW::bind(b, data, shape, DateTime::now());
    filter.bind(b);
    std::vector<Model> rows;
    while (cur.step()) rows.push_back(detail::read_row<Model>(cur));
    return rows;
  }

  template <class C>
  static void assign_take(const C& c, std::int64_t& n, bool& has) {
    if constexpr (std::is_same_v<C, Take>) { n = c.n; has = true; }
  }

  template <class C>
  static constexpr bool clause_on_model() {
    if constexpr (requires { C::is_clause; }) {
      if constexpr (requires(C c) { c.filter; })
        return std::is_same_v<typename decltype(C::filter)::model, Model>;
      else
        return true;
    } else {
      return false;
    }
  }

  template <class S, bool Reversed, class... Clauses>
  std::vector<Model> run(const Clauses&... clauses) {
    static_assert((requires { Clauses::is_clause; } && ...),
                  "prisma: find_many/find_first take clauses: where(...), order_by(...), take(n), skip(n)");
    static_assert((clause_on_model<Clauses>() && ...),
                  "prisma: where() has a filter on another model than this delegate's");
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
  // Write shapes are per model (shared by every delegate of the model), built once.
  static inline detail::ShapeCache insert_cache_;
  static inline detail::ShapeCache update_cache_;
};

}  // namespace prisma
