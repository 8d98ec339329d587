// A model's delegate (`db.user`): the Prisma Client operations of one model. Reads (find_unique,
// find_first, find_many with where / cursor / order_by / take, negative from the end / skip /
// distinct / select / omit, count, aggregate, group_by) and writes (create, create_many,
// create_many_and_return, update, update_many, upsert, delete_, delete_many), each a prepared
// statement with bound values. The backend is the Source (driver::sqlite::Source, ...): the
// delegate itself holds no dialect-specific code; the statement texts come from sql/ and
// client/writes.hpp rendered for Source::dialect.
#pragma once
#include <algorithm>
#include <chrono>
#include <exception>
#include <string_view>
#include <optional>
#include <set>
#include <tuple>
#include <type_traits>
#include <vector>

#include "prisma/client/clause_checks.hpp"
#include "prisma/client/include.hpp"
#include "prisma/client/operation_span.hpp"
#include "prisma/client/write_shapes.hpp"
#include "prisma/client/nested_writes.hpp"
#include "prisma/client/rows.hpp"
#include "prisma/client/writes.hpp"
#include "prisma/core/observe.hpp"
#include "prisma/query/aggregate.hpp"
#include "prisma/query/unique.hpp"
#include "prisma/sql/select.hpp"

namespace prisma {

template <class Model, class Source>
class Delegate {
  static constexpr sql::Dialect D = Source::dialect;
  using Tx = typename Source::transaction;

 public:
  using model = Model;  // code written once for several schemas reads its model through this
  explicit Delegate(Source* src) : src_(src) {}

 private:
  detail::OperationSpan span(std::string_view method) const {
    return detail::OperationSpan(detail::hook_of(*src_), meta::model_traits<Model>::name, method);
  }

 public:

  // ---- reads --------------------------------------------------------------------------------

  // Rows matching the clauses: where(f), order_by(...), take(n) (negative: the last n in the
  // order, returned in the order), skip(n), cursor(u), distinct(...), select(...) / omit(...).
  template <class... Clauses>
  auto find_many(const Clauses&... clauses) {
    auto op = span("findMany");
    check_read_clauses<Clauses...>();
    using S = sql::Select<Model, Clauses...>;
    using Inc = typename sql::detail::find_clause<detail::is_include, Clauses...>::type;
    using Base = detail::row_type<Model, typename S::columns>;
    static_assert(!detail::select_beside_include<Clauses...>,
                  "prisma: select and include on the same level: put the relations in the select "
                  "(select(user::email, user::posts)), or include them beside omit(...)");
    using R = typename detail::included_row<Base, std::conditional_t<std::is_void_v<Inc>, int, Inc>, Model>::type;
    std::int64_t take_n = 0, skip_n = 0;
    bool has_take = false;
    ((read_paging(clauses, take_n, has_take, skip_n)), ...);
    std::vector<R> rows;
    if (has_take && take_n < 0 && S::sql_paging) {
      rows = run<S, R, true>(clauses...);
      std::reverse(rows.begin(), rows.end());
    } else {
      rows = run<S, R, false>(clauses...);
    }
    if constexpr (!std::is_void_v<Inc>) {
      if (!rows.empty()) {
        // distinct and the page first: only the rows returned get their relations loaded
        if constexpr (S::has_distinct)
          rows = distinct_page<typename S::distinct_t>(std::move(rows), skip_n, take_n, has_take);
        auto lease = src_->acquire_read();
        (load_clause_includes(*lease, rows, clauses), ...);
      }
      return rows;
    } else if constexpr (S::has_distinct) {
      return distinct_page<typename S::distinct_t>(std::move(rows), skip_n, take_n, has_take);
    } else {
      return rows;
    }
  }

 private:
  template <class Conn, class Rows, class C>
  static void load_clause_includes(Conn& conn, Rows& rows, const C& c) {
    if constexpr (detail::is_include<C>::value) detail::load_includes<D>(conn, rows, detail::include_of(c));
  }

  // The first row of each distinct combination, then skip/take over those (Prisma's order).
  template <class DistinctT, class R>
  static std::vector<R> distinct_page(std::vector<R> rows, std::int64_t skip_n, std::int64_t take_n, bool has_take) {
    using K = decltype(detail::distinct_key(std::declval<const R&>(), static_cast<DistinctT*>(nullptr)));
    std::set<K> seen;
    std::vector<R> kept;
    for (auto& r : rows)
      if (seen.insert(detail::distinct_key(r, static_cast<DistinctT*>(nullptr))).second) kept.push_back(std::move(r));
    std::size_t from = static_cast<std::size_t>(std::min<std::int64_t>(skip_n, static_cast<std::int64_t>(kept.size())));
    std::size_t n = kept.size() - from;
    if (has_take) n = std::min<std::size_t>(n, static_cast<std::size_t>(take_n < 0 ? -take_n : take_n));
    std::size_t begin = has_take && take_n < 0 ? kept.size() - from - n : from;  // negative take: from the end
    return std::vector<R>(std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(begin)),
                          std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(begin + n)));
  }

 public:
  // The first row in the order, or nothing. A take(n) counts by its sign only, as Prisma's
  // findFirst: take(-1) (any negative n) is the last row in the order.
  template <class... Clauses>
  auto find_first(const Clauses&... clauses) {
    auto op = span("findFirst");
    auto rows = [&] {
      if constexpr ((std::is_same_v<Clauses, Take> || ...)) return find_many(first_of(clauses)...);
      else return find_many(clauses..., take(1));
    }();
    using R = typename decltype(rows)::value_type;
    if (rows.empty()) return std::optional<R>();
    return std::optional<R>(std::move(rows.front()));
  }

 private:
  template <class C>
  static const C& first_of(const C& c) { return c; }
  static Take first_of(const Take& t) { return take(t.n < 0 ? -1 : 1); }

 public:
  // The same, or prisma::RecordNotFound (P2025).
  template <class... Clauses>
  auto find_first_or_throw(const Clauses&... clauses) {
    auto op = span("findFirstOrThrow");
    auto row = find_first(clauses...);
    if (!row) throw RecordNotFound("No " + std::string(meta::model_traits<Model>::name) + " found");
    return std::move(*row);
  }

  // One row by a unique criterion (`user::email == "a@x.io"`), or nothing. Takes select(...) or
  // omit(...) after the criterion.
  template <Filter F, class... Shape>
  auto find_unique(const F& filter, const Shape&... shape) {
    auto op = span("findUnique");
    check_unique<F>();
    static_assert(((sql::detail::is_selection<Shape>::value || sql::detail::is_omission<Shape>::value ||
                    detail::is_include<Shape>::value) && ...),
                  "prisma: find_unique takes the unique criterion, then select(...), omit(...) or include(...)");
    return find_first(where(filter), shape...);
  }
  // The same, or prisma::RecordNotFound (P2025).
  template <Filter F, class... Shape>
  auto find_unique_or_throw(const F& filter, const Shape&... shape) {
    auto op = span("findUniqueOrThrow");
    auto row = find_unique(filter, shape...);
    if (!row) throw RecordNotFound("No " + std::string(meta::model_traits<Model>::name) + " found");
    return std::move(*row);
  }

  // The number of rows matching where(...), or of the page that take/skip/cursor describe.
  template <class... Clauses>
  std::int64_t count(const Clauses&... clauses) {
    auto op = span("count");
    return count_on<false>(clauses...);
  }

 private:
  // count on a read replica when there is one, or (OnPrimary) on the primary.
  template <bool OnPrimary, class... Clauses>
  std::int64_t count_on(const Clauses&... clauses) {
    check_read_clauses<Clauses...>();
    using C = sql::Count<Model, Clauses...>;
    std::int64_t n = 0;
    bool reversed = negative_take(clauses...);
    auto run_count = [&](const auto& text) {
      auto lease = [&] {
        if constexpr (OnPrimary) return src_->acquire();
        else return src_->acquire_read();
      }();
      auto cur = lease->cursor(text.view());
      bind_read<typename C::S>(cur, clauses...);
      if (cur.step()) cur.read(0, n);
    };
    if (reversed) run_count(C::template text<D, true>);
    else run_count(C::template text<D, false>);
    return n;
  }

 public:

  // aggregate(avg(post::views), max(post::views), count(), where(...), take(n), ...): a tuple of
  // the aggregates' results in argument order (see query/aggregate.hpp for their types).
  template <class... Clauses>
  auto aggregate(const Clauses&... clauses) {
    auto op = span("aggregate");
    static_assert((AggregateExpr<Clauses> || ...), "prisma: aggregate needs at least one of count(), sum(f), avg(f), min(f), max(f)");
    static_assert(((AggregateExpr<Clauses> || (detail::is_read_clause<Clauses> &&
                                               !sql::detail::is_selection<Clauses>::value &&
                                               !sql::detail::is_omission<Clauses>::value &&
                                               !sql::detail::is_distinct<Clauses>::value)) && ...),
                  "prisma: aggregate takes aggregates and where / order_by / cursor / take / skip");
    static_assert((detail::clause_on_model<Model, Clauses>() && ...),
                  "prisma: an aggregate or filter names a field of another model");
    using Q = sql::AggregateQuery<Model, Clauses...>;
    using Aggs = typename detail::aggregates_of<Clauses...>::type;
    using Result = typename detail::aggregate_results<Aggs>::type;
    Result out{};
    auto go = [&](const auto& text) {
      auto lease = src_->acquire_read();
      auto cur = lease->cursor(text.view());
      bind_read<typename Q::S>(cur, clauses...);
      if (cur.step())
        detail::read_tuple<Result, decltype(cur), 0>(cur, out, std::make_index_sequence<std::tuple_size_v<Result>>{});
    };
    if (negative_take(clauses...)) go(Q::template text<D, true>);
    else go(Q::template text<D, false>);
    return out;
  }

  // group_by(by(post::authorId), count(), sum(post::views), where(...), having(count() > 1),
  // order_by(...), take(n), skip(n)): one tuple per group, the by() fields first, then the
  // aggregates in argument order.
  template <class... Clauses>
  auto group_by(const Clauses&... clauses) {
    auto op = span("groupBy");
    static_assert(sql::detail::count_clauses<sql::detail::is_by, Clauses...> == 1,
                  "prisma: group_by needs exactly one by(...)");
    static_assert(((AggregateExpr<Clauses> || sql::detail::is_by<Clauses>::value ||
                    sql::detail::is_where<Clauses>::value || sql::detail::is_having<Clauses>::value ||
                    sql::detail::is_order_by<Clauses>::value || std::is_same_v<Clauses, Take> ||
                    std::is_same_v<Clauses, Skip>) && ...),
                  "prisma: group_by takes by(...), aggregates, where, having, order_by, take, skip");
    static_assert((detail::clause_on_model<Model, Clauses>() && ...),
                  "prisma: a field, aggregate or filter of group_by belongs to another model");
    using G = sql::GroupBy<Model, Clauses...>;
    using ByT = typename detail::by_values<typename G::by_t>::type;
    using Aggs = typename detail::aggregates_of<Clauses...>::type;
    using Result = decltype(std::tuple_cat(std::declval<ByT>(),
                                           std::declval<typename detail::aggregate_results<Aggs>::type>()));
    std::vector<Result> rows;
    bool reversed = negative_take(clauses...);
    auto go = [&](const auto& text) {
      auto lease = src_->acquire_read();
      auto cur = lease->cursor(text.view());
      (detail::bind_where(cur, clauses), ...);
      (detail::bind_having(cur, clauses), ...);
      (detail::bind_limit<Take>(cur, clauses), ...);
      (detail::bind_limit<Skip>(cur, clauses), ...);
      while (cur.step()) {
        Result r{};
        detail::read_tuple<Result, decltype(cur), 0>(cur, r, std::make_index_sequence<std::tuple_size_v<Result>>{});
        rows.push_back(std::move(r));
      }
    };
    if (reversed) {
      go(G::template text<D, true>);
      std::reverse(rows.begin(), rows.end());
    } else {
      go(G::template text<D, false>);
    }
    return rows;
  }

  // ---- writes -------------------------------------------------------------------------------

  // Inserts one row and returns it as stored (one statement: INSERT ... RETURNING).
  // With nested writes in its relation members (`.posts = {.create = {...}}`), every statement
  // runs in one transaction.
  template <class M = Model>  // views have no create input
  Model create(const typename meta::write_types<M>::create& data) {
    auto op = span("create");
    auto lease = src_->acquire();
    if (detail::has_nested_writes(data)) {
      Tx tx(*lease);
      Model row = detail::nested_create<D>(*lease, data);
      tx.commit();
      return row;
    }
    return create_on(*lease, data);
  }

  // The written record in a shape, as Prisma's select / omit / include on create, update,
  // upsert and delete: `db.user.create({...}, include(user::posts))`, `db.user.update(f, data,
  // select(user::id, user::email))`. The write and the read of the relations run in one
  // transaction.
  template <class Shape, class M = Model>
    requires detail::result_shape<Shape>
  auto create(const typename meta::write_types<M>::create& data, const Shape& shape) {
    auto op = span("create");
    auto lease = src_->acquire();
    Tx tx(*lease);
    Model row = detail::has_nested_writes(data) ? detail::nested_create<D>(*lease, data) : create_on(*lease, data);
    auto out = detail::shaped<D>(*lease, std::move(row), shape);
    tx.commit();
    return out;
  }
  template <Filter F, class Shape, class M = Model>
    requires detail::result_shape<Shape>
  auto update(const F& filter, const typename meta::write_types<M>::update& data, const Shape& shape) {
    auto op = span("update");
    check_unique<F>();
    auto lease = src_->acquire();
    Tx tx(*lease);
    std::optional<Model> row = update_in_tx(*lease, filter, data);
    if (!row) throw RecordNotFound("Record to update not found (" + std::string(meta::model_traits<Model>::name) + ")");
    auto out = detail::shaped<D>(*lease, std::move(*row), shape);
    tx.commit();
    return out;
  }
  template <Filter F, class Shape, class M = Model>
    requires detail::result_shape<Shape>
  auto upsert(const F& filter, const typename meta::write_types<M>::create& create_data,
              const typename meta::write_types<M>::update& update_data, const Shape& shape) {
    auto op = span("upsert");
    check_unique<F>();
    auto lease = src_->acquire();
    Tx tx(*lease);
    std::optional<Model> row = update_in_tx(*lease, filter, update_data);
    Model written = row ? std::move(*row)
                        : detail::has_nested_writes(create_data) ? detail::nested_create<D>(*lease, create_data)
                                                                 : create_on(*lease, create_data);
    auto out = detail::shaped<D>(*lease, std::move(written), shape);
    tx.commit();
    return out;
  }
  // delete_ in a shape: select(...) or omit(...) of the deleted record (its relations are gone
  // with it: include is for create, update and upsert).
  template <Filter F, class Shape>
    requires((sql::detail::is_selection<Shape>::value || sql::detail::is_omission<Shape>::value) &&
             !detail::is_include<Shape>::value)
  auto delete_(const F& filter, const Shape& shape) {
    auto op = span("delete");
    (void)shape;
    return detail::project<Shape>(delete_(filter));
  }

 public:
  // Inserts many rows in one transaction, as multi-row INSERTs (rows of the same shape share a
  // statement, up to the bind limit); returns how many were inserted. With skip_duplicates,
  // rows that hit a unique constraint are left out instead of failing.
  template <class M = Model>
  std::int64_t create_many(const std::vector<typename meta::write_types<M>::create>& rows,
                           bool skip_duplicates = false) {
    auto op = span("createMany");
    std::int64_t inserted = 0;
    insert_batches(rows, skip_duplicates, false, [&](auto& cur) {
      while (cur.step()) {
      }
      inserted += cur.affected();
    });
    return inserted;
  }

  // The same, returning the inserted rows (as Prisma's createManyAndReturn).
  template <class M = Model>
  std::vector<Model> create_many_and_return(const std::vector<typename meta::write_types<M>::create>& rows,
                                            bool skip_duplicates = false) {
    auto op = span("createManyAndReturn");
    std::vector<Model> out;
    out.reserve(rows.size());
    insert_batches(rows, skip_duplicates, true, [&](auto& cur) {
      while (cur.step()) out.push_back(detail::read_row<Model>(cur));
    });
    return out;
  }

  // The same, each row in a select(...) / omit(...) shape (Prisma's createManyAndReturn with select
  // or omit).
  template <class Shape, class M = Model>
    requires((sql::detail::is_selection<Shape>::value || sql::detail::is_omission<Shape>::value) &&
             !detail::is_include<Shape>::value)
  auto create_many_and_return(const std::vector<typename meta::write_types<M>::create>& rows, bool skip_duplicates,
                              const Shape&) {
    auto op = span("createManyAndReturn");
    std::vector<decltype(detail::project<Shape>(std::declval<Model>()))> out;
    for (auto& row : create_many_and_return(rows, skip_duplicates)) out.push_back(detail::project<Shape>(std::move(row)));
    return out;
  }
  // The same with their relations (include(...), or select(...) with relations), loaded in the
  // inserts' transaction, one query per relation for all the rows.
  template <class Shape, class M = Model>
    requires detail::is_include<Shape>::value
  auto create_many_and_return(const std::vector<typename meta::write_types<M>::create>& rows, bool skip_duplicates,
                              const Shape& shape) {
    auto op = span("createManyAndReturn");
    using Base = detail::row_type<Model, typename sql::Select<Model, Shape>::columns>;
    using R = typename detail::included_row<Base, Shape, Model>::type;
    std::vector<R> out;
    insert_batches(
        rows, skip_duplicates, true,
        [&](auto& cur) {
          while (cur.step()) {
            out.emplace_back();
            if constexpr (std::is_same_v<Base, Model>) static_cast<Model&>(out.back()) = detail::read_row<Model>(cur);
            else static_cast<Base&>(out.back()) = detail::project<Shape>(detail::read_row<Model>(cur));
          }
        },
        [&](auto& conn) {
          if (!out.empty()) detail::load_includes<D>(conn, out, detail::include_of(shape));
        });
    return out;
  }

  // Updates the row the unique filter names and returns it; RecordNotFound (P2025) when none.
  template <Filter F, class M = Model>
  Model update(const F& filter, const typename meta::write_types<M>::update& data) {
    auto op = span("update");
    check_unique<F>();
    auto lease = src_->acquire();
    std::optional<Model> row = update_on(*lease, filter, data);
    if (!row) throw RecordNotFound("Record to update not found (" + std::string(meta::model_traits<Model>::name) + ")");
    return std::move(*row);
  }

  // Optimistic locking (a model with a version field, the generator's `versionField`, default
  // `version`): updates the row the unique filter names only if its version is still
  // `expected_version`, and increments the version with the write. StaleVersion (a
  // RecordNotFound, P2025) when another writer got there first; RecordNotFound when there is no
  // such row at all.
  template <Filter F, class M = Model>
  Model update_versioned(const F& filter, std::int64_t expected_version,
                         typename meta::write_types<M>::update data) {
    auto op = span("update");
    constexpr std::size_t V = meta::model_traits<M>::version_column;
    static_assert(V != static_cast<std::size_t>(-1),
                  "prisma: update_versioned needs a version field: an Int or BigInt field named `version` "
                  "(or the generator's versionField)");
    if constexpr (V != static_cast<std::size_t>(-1)) {
      check_unique<F>();
      using VCol = std::tuple_element_t<V, typename meta::model_traits<M>::columns>;
      using Input = typename meta::write_types<M>::update;
      data.*detail::input_member<Input, V>() = increment(1);
      auto guarded = filter && (VCol{} == static_cast<typename VCol::scalar_type>(expected_version));
      std::optional<Model> row;
      {
        auto lease = src_->acquire();  // back to the pool before the check below leases one
        row = update_on(*lease, guarded, data);
      }
      if (row) return std::move(*row);
      if (count_on<true>(where(filter)) > 0)  // on the primary: a replica may lag behind the write
        throw StaleVersion("Record to update has changed since it was read: " + std::string(meta::model_traits<Model>::name) +
                           " is no longer at version " + std::to_string(expected_version));
      throw RecordNotFound("Record to update not found (" + std::string(meta::model_traits<Model>::name) + ")");
    }
  }

  // Updates every row matching the filter (at most limit(n) of them); returns how many changed.
  template <Filter F, class M = Model>
  std::int64_t update_many(const F& filter, const typename meta::write_types<M>::update& data) {
    auto op = span("updateMany");
    return update_rows<false>(filter, data, -1, [](auto& cur) {
      while (cur.step()) {
      }
      return cur.affected();
    });
  }
  template <Filter F, class M = Model>
  std::int64_t update_many(const F& filter, const typename meta::write_types<M>::update& data, Limit n) {
    auto op = span("updateMany");
    if (n.n < 0) throw ValidationError("limit takes a number >= 0");
    return update_rows<false>(filter, data, n.n, [](auto& cur) {
      while (cur.step()) {
      }
      return cur.affected();
    });
  }

  // The same, returning the updated rows (Prisma's updateManyAndReturn).
  template <Filter F, class M = Model>
  std::vector<Model> update_many_and_return(const F& filter, const typename meta::write_types<M>::update& data) {
    auto op = span("updateManyAndReturn");
    return update_rows<true>(filter, data, -1, [](auto& cur) { return read_all(cur); });
  }
  template <Filter F, class M = Model>
  std::vector<Model> update_many_and_return(const F& filter, const typename meta::write_types<M>::update& data, Limit n) {
    auto op = span("updateManyAndReturn");
    if (n.n < 0) throw ValidationError("limit takes a number >= 0");
    return update_rows<true>(filter, data, n.n, [](auto& cur) { return read_all(cur); });
  }

 private:
  template <class Cur>
  static std::vector<Model> read_all(Cur& cur) {
    std::vector<Model> out;
    while (cur.step()) out.push_back(detail::read_row<Model>(cur));
    return out;
  }

  // limit < 0: none (not a std::optional: g++ 12 warns that one may be read uninitialized).
  template <bool Returning, class F, class Read, class M = Model>
  auto update_rows(const F& filter, const typename meta::write_types<M>::update& data, std::int64_t limit, Read&& read) {
    static_assert(detail::on_model<Model, F>(), "prisma: the filter is on another model");
    using UW = detail::UpdateWriter<Model, typename meta::write_types<M>::update>;
    if (detail::has_nested_writes(data))
      throw ValidationError("update_many takes scalar fields only; nested writes go through update");
    std::string shape = UW::shape(data);
    auto lease = src_->acquire();
    if constexpr (detail::acts_on_relations<Model>) {
      if (detail::touches_referenced<Model>(shape)) {  // relationMode = "prisma": the actions too
        if constexpr (Returning)
          throw ValidationError("update_many_and_return of a key other models' rows point at (relationMode = \"prisma\") "
                                "is not supported: use update_many, then read the rows");
        Tx tx(*lease);
        std::int64_t n = detail::acted_update_many<D>(*lease, limit, data, filter);
        tx.commit();
        return n;
      }
    }
    const bool limited = limit >= 0;
    std::string key = shape + (Returning ? "#r" : "#n") + (limited ? "l" : "");
    const std::string& text = update_cache<F>().get(key, [&] { return UW::template text<D, F>(shape, Returning, limited); });
    auto cur = lease->cursor(text);
    UW::bind(cur, data, shape, DateTime::now());
    filter.bind(cur);
    if (limited) cur(limit);
    return read(cur);
  }

 public:
  // Updates the row the unique filter names, or creates it when there is none; one transaction.
  template <Filter F, class M = Model>
  Model upsert(const F& filter, const typename meta::write_types<M>::create& create_data,
               const typename meta::write_types<M>::update& update_data) {
    auto op = span("upsert");
    check_unique<F>();
    auto lease = src_->acquire();
    Tx tx(*lease);
    std::optional<Model> row = update_in_tx(*lease, filter, update_data);
    Model out = row ? std::move(*row)
                : detail::has_nested_writes(create_data)
                    ? detail::nested_create<D>(*lease, create_data)
                    : create_on(*lease, create_data);
    tx.commit();
    return out;
  }

  // Deletes the row the unique filter names and returns it; RecordNotFound (P2025) when none.
  template <Filter F>
  Model delete_(const F& filter) {
    auto op = span("delete");
    check_unique<F>();
    if constexpr (detail::acts_on_relations<Model>) {  // relationMode = "prisma": the actions too
      auto lease = src_->acquire();
      Tx tx(*lease);
      auto rows = detail::acted_delete<D, Model>(*lease, -1, filter);
      if (rows.empty())
        throw RecordNotFound("Record to delete does not exist (" + std::string(meta::model_traits<Model>::name) + ")");
      tx.commit();
      return std::move(rows.front());
    }
    static constexpr auto text = sql::build([](auto& s) {
      sql::delete_from(s, D, sql::table_of<Model>(), true, [](auto& o) { F::template render<D>(o, 1); },
                       {.returning = meta::model_traits<Model>::column_list});
    });
    auto lease = src_->acquire();
    auto cur = lease->cursor(text.view());
    filter.bind(cur);
    if (!cur.step())
      throw RecordNotFound("Record to delete does not exist (" + std::string(meta::model_traits<Model>::name) + ")");
    Model row = detail::read_row<Model>(cur);
    cur.finish();
    return row;
  }

  // Deletes at most n of the rows matching the filter (Prisma's `limit`); returns how many went.
  template <Filter F>
  std::int64_t delete_many(const F& filter, Limit n) {
    auto op = span("deleteMany");
    static_assert(detail::on_model<Model, F>(), "prisma: delete_many takes a filter on this delegate's model");
    if (n.n < 0) throw ValidationError("limit takes a number >= 0");
    if constexpr (detail::acts_on_relations<Model>) {  // relationMode = "prisma": the actions too
      auto lease = src_->acquire();
      Tx tx(*lease);
      auto count = static_cast<std::int64_t>(detail::acted_delete<D, Model>(*lease, n.n, filter).size());
      tx.commit();
      return count;
    }
    static constexpr auto text = sql::build([](auto& s) {
      sql::delete_from(s, D, sql::table_of<Model>(), true, [](auto& o) {
        sql::limited(o, D, sql::KeyList<Model>{}, [](auto& t) { sql::table(t, D, sql::table_of<Model>()); }, true,
                     [](auto& w) { F::template render<D>(w, 1); }, 1 + F::params);
      });
    });
    auto lease = src_->acquire();
    auto cur = lease->cursor(text.view());
    filter.bind(cur);
    cur(n.n);
    while (cur.step()) {
    }
    return cur.affected();
  }

  // Deletes the rows matching the filter (every row without one); returns how many went.
  template <class... F>
  std::int64_t delete_many(const F&... filter) {
    auto op = span("deleteMany");
    static_assert(sizeof...(F) <= 1, "prisma: delete_many takes one filter (combine with && and ||)");
    static_assert(((Filter<F> && detail::on_model<Model, F>()) && ...),
                  "prisma: delete_many takes a filter on this delegate's model");
    if constexpr (detail::acts_on_relations<Model>) {  // relationMode = "prisma": the actions too
      auto lease = src_->acquire();
      Tx tx(*lease);
      auto n = static_cast<std::int64_t>(detail::acted_delete<D, Model>(*lease, -1, filter...).size());
      tx.commit();
      return n;
    }
    static constexpr auto text = sql::build([](auto& s) {
      sql::delete_from(s, D, sql::table_of<Model>(), sizeof...(F) == 1,
                       [](auto& o) { (F::template render<D>(o, 1), ...); });
    });
    auto lease = src_->acquire();
    auto cur = lease->cursor(text.view());
    (filter.bind(cur), ...);
    while (cur.step()) {
    }
    return cur.affected();
  }

 private:
  template <class F>
  static constexpr void check_unique() {
    static_assert(std::is_same_v<typename F::model, Model>, "prisma: the filter is on another model");
    static_assert(detail::is_unique_filter<Model, F>::value,
                  "prisma: find_unique/update/delete_ need a unique criterion: == on the id, on a "
                  "@unique field, or on every field of a @@id/@@unique (joined with &&)");
  }

  template <class... Clauses>
  static constexpr void check_read_clauses() {
    static_assert((detail::is_read_clause<Clauses> && ...),
                  "prisma: find_many/find_first/count take clauses: where(...), order_by(...), take(n), "
                  "skip(n), cursor(...), distinct(...), select(...), omit(...)");
    static_assert((detail::clause_on_model<Model, Clauses>() && ...),
                  "prisma: a clause names a field or filter of another model than this delegate's");
    static_assert((detail::column_order<Clauses>() && ...),
                  "prisma: order by an aggregate applies to group_by only");
    static_assert(sql::detail::count_clauses<sql::detail::is_where, Clauses...> <= 1,
                  "prisma: one where(...) per query; combine filters with && and ||");
    (check_cursor<Clauses>(), ...);
  }
  template <class C>
  static constexpr void check_cursor() {
    if constexpr (sql::detail::is_cursor<C>::value)
      static_assert(detail::is_unique_filter<Model, decltype(C::filter)>::value,
                    "prisma: cursor() needs a unique criterion (== on the id or on a @unique field)");
  }

  template <class... Clauses>
  static bool negative_take(const Clauses&... clauses) {
    bool neg = false;
    ((neg = neg || [&] {
       if constexpr (std::is_same_v<Clauses, Take>) return clauses.n < 0;
       else return false;
     }()), ...);
    return neg;
  }

  template <class C>
  static void read_paging(const C& c, std::int64_t& take_n, bool& has_take, std::int64_t& skip_n) {
    if constexpr (std::is_same_v<C, Take>) { take_n = c.n; has_take = true; }
    if constexpr (std::is_same_v<C, Skip>) skip_n = c.n;
  }

  // Binds where, cursor, take, skip of a Select in placeholder order.
  template <class S, class Cur, class... Clauses>
  static void bind_read(Cur& cur, const Clauses&... clauses) {
    (detail::bind_where(cur, clauses), ...);
    (detail::bind_cursor(cur, clauses, S::cursor_repeats), ...);
    (detail::bind_order(cur, clauses), ...);
    if constexpr (S::sql_paging) {
      (detail::bind_limit<Take>(cur, clauses), ...);
      (detail::bind_limit<Skip>(cur, clauses), ...);
    }
  }

  template <class S, class R, bool Reversed, class... Clauses>
  std::vector<R> run(const Clauses&... clauses) {
    static constexpr auto& text = S::template text<D, Reversed>;
    auto lease = src_->acquire_read();
    auto cur = lease->cursor(text.view());
    bind_read<S>(cur, clauses...);
    std::vector<R> rows;
    if constexpr (requires { cur.size_hint(); }) rows.reserve(cur.size_hint());
    while (cur.step()) rows.push_back(detail::read_row_as<R, typename S::columns>(cur));
    return rows;
  }

  // The update of the record `filter` names: one statement, or (nested writes; relationMode =
  // "prisma" writing a column other rows point at) the executor in a transaction of its own.
  template <class Conn, class F, class M = Model>
  std::optional<Model> update_on(Conn& conn, const F& filter, const typename meta::write_types<M>::update& data) {
    if (!executor_update(data)) return update_one(conn, filter, data);
    Tx tx(conn);
    auto row = update_in_tx(conn, filter, data);
    if (row) tx.commit();
    return row;
  }
  // The same, in the caller's transaction.
  template <class Conn, class F, class M = Model>
  std::optional<Model> update_in_tx(Conn& conn, const F& filter, const typename meta::write_types<M>::update& data) {
    if (!executor_update(data)) return update_one(conn, filter, data);
    if constexpr (detail::acts_on_relations<Model>) return detail::executor_update<D>(conn, filter, data);
    else return nested_update(conn, filter, data);
  }
  template <class M = Model>
  static bool executor_update(const typename meta::write_types<M>::update& data) {
    if (detail::has_nested_writes(data)) return true;
    if constexpr (detail::acts_on_relations<Model>) {
      using UW = detail::UpdateWriter<Model, typename meta::write_types<M>::update>;
      return detail::touches_referenced<Model>(UW::shape(data));
    }
    return false;
  }

  template <class Conn, class F, class M = Model>
  static std::optional<Model> nested_update(Conn& conn, const F& filter, const typename meta::write_types<M>::update& data) {
    return detail::nested_update<D>(conn, filter, data);
  }

  template <class Conn, class M = Model>
  Model create_on(Conn& conn, const typename meta::write_types<M>::create& data) {
    using Input = typename meta::write_types<M>::create;
    using IW = detail::InsertWriter<Model, Input>;
    detail::check_required(data);
    std::string shape = IW::shape(data);
    const std::string& text = insert_cache_.get(shape, [&] { return IW::template text<D>(shape); });
    auto cur = conn.cursor(text);
    IW::bind(cur, data, shape, DateTime::now());
    if (!cur.step()) throw DatabaseError("the insert returned no row");
    Model row = detail::read_row<Model>(cur);
    cur.finish();
    return row;
  }

  template <class F, class Conn, class M = Model>
  std::optional<Model> update_one(Conn& conn, const F& filter, const typename meta::write_types<M>::update& data) {
    using UW = detail::UpdateWriter<Model, typename meta::write_types<M>::update>;
    std::string shape = UW::shape(data);
    const std::string& text = update_cache<F>().get(shape, [&] { return UW::template text<D, F>(shape, true); });
    auto cur = conn.cursor(text);
    UW::bind(cur, data, shape, DateTime::now());
    filter.bind(cur);
    if (!cur.step()) return std::nullopt;
    std::optional<Model> row = detail::read_row<Model>(cur);
    cur.finish();
    return row;
  }

  // Groups rows of one shape into multi-row INSERTs within one transaction; `each` consumes
  // every executed statement's cursor.
  template <class Rows, class Each>
  void insert_batches(const Rows& rows, bool skip_duplicates, bool returning, Each&& each) {
    insert_batches(rows, skip_duplicates, returning, each, [](auto&) {});
  }
  // The same; `finish(connection)` runs after the last insert, in their transaction.
  template <class Rows, class Each, class Finish>
  void insert_batches(const Rows& rows, bool skip_duplicates, bool returning, Each&& each, Finish&& finish) {
    using Input = typename Rows::value_type;
    using IW = detail::InsertWriter<Model, Input>;
    constexpr std::size_t kMaxBinds = sql::max_binds(D);
    if (rows.empty()) return;
    for (const auto& r : rows) {
      if (detail::has_nested_writes(r))
        throw ValidationError("create_many takes scalar fields only; nested writes go through create");
      detail::check_required(r);
    }
    auto lease = src_->acquire();
    Tx tx(*lease);
    const DateTime now = DateTime::now();
    std::size_t i = 0;
    while (i < rows.size()) {
      std::string shape = IW::shape(rows[i]);
      std::size_t per_row = static_cast<std::size_t>(std::count(shape.begin(), shape.end(), '1'));
      std::size_t j = i + 1;
      if (per_row > 0)
        while (j < rows.size() && (j - i + 1) * per_row <= kMaxBinds && IW::shape(rows[j]) == shape) ++j;
      std::size_t n = j - i;
      std::string key = shape + "#" + std::to_string(n) + (skip_duplicates ? "!" : "") + (returning ? "r" : "");
      const std::string& text = insert_cache_.get(key, [&] { return IW::template text<D>(shape, n, returning, skip_duplicates); });
      auto cur = lease->cursor(text);
      for (std::size_t k = i; k < j; ++k) IW::bind(cur, rows[k], shape, now);
      each(cur);
      i = j;
    }
    finish(*lease);
    tx.commit();
  }

  // Statement texts per write shape, per model (shared by every delegate of the model), built
  // once. Updates keep one cache per filter type, whose text is part of the statement.
  template <class F>
  static detail::ShapeCache& update_cache() {
    static detail::ShapeCache cache;
    return cache;
  }

  Source* src_;
  static inline detail::ShapeCache insert_cache_;
};

}  // namespace prisma
