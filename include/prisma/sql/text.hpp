// Compile-time SQL text: a fixed-capacity buffer that works in constant evaluation on g++ and
// clang (std::string does not on clang with libstdc++ 12), and `build`, which sizes the buffer
// by running the renderer once in counting mode.
#pragma once
#include <cstddef>
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
