// Compile-time SQL text: a fixed-capacity buffer that works in constant evaluation on g++ and
// clang (std::string does not on clang with libstdc++ 12), and `build`, which sizes the buffer
// by running the renderer once in counting mode.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace prisma::sql {

enum class Dialect { Sqlite, Postgresql };

// A sink that only counts, for the sizing pass.
struct Counter {
  std::size_t size = 0;
  constexpr void append(std::string_view s) { size += s.size(); }
  constexpr void append(char) { ++size; }
};

template <std::size_t Cap>
struct Text {
  char data[Cap + 1]{};
  std::size_t size = 0;
  constexpr void append(std::string_view s) {
    for (char c : s) data[size++] = c;
  }
  constexpr void append(char c) { data[size++] = c; }
  constexpr std::string_view view() const { return {data, size}; }
  constexpr operator std::string_view() const { return view(); }
};

// Appends a double-quoted identifier (quotes inside doubled), valid on SQLite and PostgreSQL.
template <class Sink>
constexpr void quote_ident(Sink& s, std::string_view id) {
  s.append('"');
  for (char c : id) {
    if (c == '"') s.append('"');
    s.append(c);
  }
  s.append('"');
}

// The same, as a std::string (run-time SQL: the engine, migrations, the differ).
inline std::string quoted_ident(std::string_view id) {
  struct Out {
    std::string s;
    void append(char c) { s.push_back(c); }
  } out;
  out.s.reserve(id.size() + 2);
  quote_ident(out, id);
  return std::move(out.s);
}

template <class Sink>
constexpr void append_number(Sink& s, std::size_t n) {
  char buf[20];
  int i = 0;
  do {
    buf[i++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n);
  while (i) s.append(buf[--i]);
}

// The n-th (1-based) bind placeholder of the dialect.
template <Dialect D, class Sink>
constexpr void placeholder(Sink& s, std::size_t n) {
  if constexpr (D == Dialect::Sqlite) {
    s.append('?');
  } else {
    s.append('$');
    append_number(s, n);
  }
}

// ---- what differs between the dialects, in one place ----

// `<expr>` [NOT] IN the list bound as parameter n (one parameter for the whole list, so the text
// never depends on the list's length): SQLite reads a JSON array, PostgreSQL an array.
template <Dialect D, class Sink>
constexpr void in_list(Sink& s, bool negated, std::size_t n) {
  if constexpr (D == Dialect::Sqlite) {
    s.append(negated ? " NOT IN (SELECT value FROM json_each(" : " IN (SELECT value FROM json_each(");
    placeholder<D>(s, n);
    s.append("))");
  } else {
    s.append(negated ? " <> ALL(" : " = ANY(");
    placeholder<D>(s, n);
    s.append(')');
  }
}

// The operator of a case-insensitive LIKE (SQLite's LIKE ignores ASCII case already).
template <Dialect D>
constexpr std::string_view ilike_operator() {
  return D == Dialect::Postgresql ? " ILIKE " : " LIKE ";
}

// `"col" ASC|DESC` with NULLS FIRST/LAST (nulls: 0 default, 1 first, 2 last). SQLite 3.30+ knows
// NULLS FIRST/LAST too; it is spelled out there for older system libraries.
template <Dialect D, class Sink>
constexpr void order_column(Sink& s, std::string_view column, bool descending, int nulls) {
  if (D == Dialect::Sqlite && nulls != 0) {
    s.append('(');
    quote_ident(s, column);
    s.append(nulls == 1 ? " IS NULL) DESC, " : " IS NULL) ASC, ");
  }
  quote_ident(s, column);
  s.append(descending ? " DESC" : " ASC");
  if (D == Dialect::Postgresql && nulls == 1) s.append(" NULLS FIRST");
  if (D == Dialect::Postgresql && nulls == 2) s.append(" NULLS LAST");
}

// The most parameters one statement may bind (SQLITE_MAX_VARIABLE_NUMBER since 3.32; the
// PostgreSQL protocol's 16-bit count).
template <Dialect D>
constexpr std::size_t max_binds() {
  return D == Dialect::Sqlite ? 32766 : 65535;
}

// Renders with `F` (a captureless lambda taking a sink) into a buffer of exactly the right size.
template <class F>
consteval auto build(F) {
  constexpr std::size_t n = [] {
    Counter c;
    F{}(c);
    return c.size;
  }();
  Text<n> t;
  F{}(t);
  return t;
}

}  // namespace prisma::sql
