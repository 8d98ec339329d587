// A string usable as a template argument and in constant evaluation (std::string is not, on
// clang with libstdc++ 12): names of tables and columns, and compile-time SQL text.
#pragma once
#include <algorithm>
#include <cstddef>
#include <string_view>

namespace prisma {

template <std::size_t N>
struct fixed_string {
  char data[N + 1]{};

  constexpr fixed_string() = default;
  constexpr fixed_string(const char (&s)[N + 1]) { std::copy_n(s, N + 1, data); }

  static constexpr std::size_t size() { return N; }
  constexpr std::string_view view() const { return {data, N}; }
  constexpr operator std::string_view() const { return view(); }
  constexpr const char* c_str() const { return data; }

  template <std::size_t M>
  constexpr bool operator==(const fixed_string<M>& o) const {
    return view() == o.view();
  }
};

template <std::size_t N>
fixed_string(const char (&)[N]) -> fixed_string<N - 1>;

template <std::size_t N, std::size_t M>
constexpr fixed_string<N + M> operator+(const fixed_string<N>& a, const fixed_string<M>& b) {
  fixed_string<N + M> r;
  std::copy_n(a.data, N, r.data);
  std::copy_n(b.data, M + 1, r.data + N);
  return r;
}

}  // namespace prisma
