// What the generated TypedSQL functions (`<ns>/sql.hpp`, `db.sql.<name>(args...)`) run on: the
// statement, its arguments bound in order, the rows read into the generated row struct (its
// columns and types checked against the statement as raw SQL's are), on the client's source or a
// transaction's; a statement without result columns returns the affected row count.
#pragma once
#include <concepts>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

#include "prisma/client/operation_span.hpp"
#include "prisma/client/raw.hpp"
#include "prisma/core/types.hpp"

namespace prisma {

// An argument for a TypedSQL parameter of type T: T itself, or what converts to it without
// narrowing (a string literal for std::string, an int for std::int64_t; not a double for an Int,
// not a std::int64_t for an Int).
template <class A, class T>
concept typed_sql_arg = std::same_as<std::remove_cvref_t<A>, T> ||
                        (std::convertible_to<const A&, T> && requires(const A& a) { T{a}; });

// An argument for a parameter whose type the database does not say (SQLite's, unannotated).
template <class A>
concept typed_sql_any = !std::is_pointer_v<std::remove_cvref_t<A>> || std::is_convertible_v<A, std::string_view>;

namespace detail {

template <class Row, class Source, class... Args>
std::vector<Row> run_typed_sql(Source& src, std::string_view name, std::string_view text, const Args&... args) {
  OperationSpan op(hook_of(src), {}, "queryRawTyped");
  (void)name;
  auto lease = src.acquire();
  return query_raw<Row>(*lease, text, args...);
}

template <class Source, class... Args>
std::int64_t run_typed_sql_write(Source& src, std::string_view text, const Args&... args) {
  OperationSpan op(hook_of(src), {}, "queryRawTyped");
  auto lease = src.acquire();
  return execute_raw(*lease, text, args...);
}

}  // namespace detail
}  // namespace prisma
