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

// A sink over a std::string, for SQL rendered at run time (the engine, migrations, the differ)
// by the same constexpr renderers the typed client runs at compile time.
struct StringSink {
  std::string& s;
  void append(std::string_view v) { s.append(v); }
  void append(char c) { s.push_back(c); }
};

// The same, as a std::string.
inline std::string quoted_ident(std::string_view id) {
  std::string out;
  out.reserve(id.size() + 2);
  StringSink sink{out};
  quote_ident(sink, id);
  return out;
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
