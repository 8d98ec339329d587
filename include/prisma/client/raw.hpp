// Raw SQL (Prisma's $queryRaw / $executeRaw): the SQL is a string literal, the values are bound
// parameters ($1, $2, ... on both backends), rows map into a std::tuple or an aggregate struct
// (Boost.PFR) with the column count and every value's type checked. The `_unsafe` forms take a
// run-time string for SQL built by the caller: nothing checks what went into it.
#pragma once
#include <boost/pfr.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "prisma/core/errors.hpp"

namespace prisma {

// P2010: a raw query failed, or its rows do not fit the type asked for.
class RawQueryError : public Error {
 public:
  explicit RawQueryError(const std::string& message) : Error("P2010", message) {}
};

// SQL text known at compile time: a run-time string does not convert (use the _unsafe forms).
struct SqlLiteral {
  consteval SqlLiteral(const char* s) : text(s) {}  // NOLINT: implicit from a literal only
  std::string_view text;
};

namespace detail {

template <class T> struct is_tuple : std::false_type {};
template <class... Ts> struct is_tuple<std::tuple<Ts...>> : std::true_type {};

template <class T>
constexpr std::size_t raw_field_count() {
  if constexpr (is_tuple<T>::value) return std::tuple_size_v<T>;
  else if constexpr (std::is_aggregate_v<T>) return boost::pfr::tuple_size_v<T>;
  else return 1;
}

template <class Cur, class V>
void read_raw_value(const Cur& cur, int col, V& out) {
  if (!cur.template fits<V>(col))
    throw RawQueryError("raw query: column " + std::to_string(col + 1) + " (\"" + std::string(cur.column_name(col)) +
                        "\") holds " + std::string(cur.type_name(col)) + ", which does not fit the field's C++ type");
  cur.read(col, out);
}

template <class T, class Cur>
T read_raw_row(const Cur& cur) {
  T row{};
  if constexpr (is_tuple<T>::value) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (read_raw_value(cur, static_cast<int>(I), std::get<I>(row)), ...);
    }(std::make_index_sequence<std::tuple_size_v<T>>{});
  } else if constexpr (std::is_aggregate_v<T>) {
    boost::pfr::for_each_field(row, [&](auto& field, std::size_t i) { read_raw_value(cur, static_cast<int>(i), field); });
  } else {
    read_raw_value(cur, 0, row);
  }
  return row;
}

template <class T, class Conn, class... Args>
std::vector<T> query_raw(Conn& conn, std::string_view sql, const Args&... args) {
  auto cur = conn.cursor(sql);
  (cur(args), ...);
  std::vector<T> rows;
  bool checked = false;
  while (cur.step()) {
    if (!checked) {
      checked = true;
      constexpr std::size_t want = raw_field_count<T>();
      if (static_cast<std::size_t>(cur.column_count()) != want)
        throw RawQueryError("raw query: it returns " + std::to_string(cur.column_count()) + " columns, the row type has " +
                            std::to_string(want) + " fields");
    }
    rows.push_back(read_raw_row<T>(cur));
  }
  return rows;
}

template <class Conn, class... Args>
std::int64_t execute_raw(Conn& conn, std::string_view sql, const Args&... args) {
  auto cur = conn.cursor(sql);
  (cur(args), ...);
  while (cur.step()) {
  }
  return cur.affected();
}

}  // namespace detail
}  // namespace prisma
