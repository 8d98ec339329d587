// PostgreSQL's text forms of prisma-cpp's values: what the driver binds (as text parameters the
// server parses for the parameter's inferred type) and how it reads result fields back.
#pragma once
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "prisma/core/errors.hpp"
#include "prisma/core/types.hpp"
#include "prisma/meta/model.hpp"

namespace prisma::driver::postgres {

// Text forms of values, as PostgreSQL parses them for the parameter's inferred type.
namespace text {

inline void put(std::string& out, bool v) { out = v ? "t" : "f"; }
inline void put(std::string& out, std::int32_t v) { out = std::to_string(v); }
inline void put(std::string& out, std::int64_t v) { out = std::to_string(v); }
inline void put(std::string& out, double v) {
  if (v == 0) v = 0;  // -0.0 is stored as 0, as Prisma (node-postgres) sends it
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.assign(buf, r.ptr);
  if (out == "inf") out = "Infinity";
  else if (out == "-inf") out = "-Infinity";
  else if (out == "nan" || out == "-nan") out = "NaN";
}
inline void put(std::string& out, std::string_view v) { out.assign(v); }
inline void put(std::string& out, const std::string& v) { out = v; }
inline void put(std::string& out, const char* v) { out = v; }
// `2024-01-02 03:04:05.678+00:00`: with a space, which `timestamp`, `timestamptz`, `date` and
// `time` all accept (`time` rejects the ISO `T`); `timestamp` ignores the offset.
inline void put(std::string& out, const DateTime& v) {
  out = v.to_iso();
  if (auto t = out.find('T'); t != std::string::npos) out[t] = ' ';
}
inline void put(std::string& out, const Decimal& v) { out = v.str(); }
inline void put(std::string& out, const Json& v) { out = v.text(); }
inline void put(std::string& out, const Bytes& v) {
  static constexpr char hex[] = "0123456789abcdef";
  out = "\\x";
  for (std::byte b : v) {
    out += hex[static_cast<unsigned>(b) >> 4];
    out += hex[static_cast<unsigned>(b) & 15];
  }
}
template <meta::SchemaEnum E>
void put(std::string& out, E v) { out.assign(enum_db_name(v)); }
// pgvector's text form: [1,2.5,-3]
inline void put(std::string& out, const Vector& v) {
  out = "[";
  char buf[32];
  for (std::size_t i = 0; i < v.values.size(); ++i) {
    if (i) out += ',';
    auto r = std::to_chars(buf, buf + sizeof buf, v.values[i]);
    out.append(buf, r.ptr);
  }
  out += ']';
}

// An array literal: {"a","b\"c",NULL}
template <class T>
void put_array(std::string& out, const std::vector<T>& vs) {
  out = "{";
  std::string item;
  for (std::size_t i = 0; i < vs.size(); ++i) {
    if (i) out += ',';
    put(item, vs[i]);
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
}

// Scalar lists (String[], Int[], ...) as array literals.
template <class T>
void put(std::string& out, const std::vector<T>& vs) { put_array(out, vs); }

inline bool parse_bool(std::string_view s) { return s == "t" || s == "true"; }
template <class Int>
Int parse_int(std::string_view s) {
  Int v{};
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc()) throw ValueError("not an integer: '" + std::string(s) + "'");
  return v;
}
inline double parse_double(std::string_view s) {
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc()) throw ValueError("not a number: '" + std::string(s) + "'");
  return v;
}
inline Bytes parse_bytea(std::string_view s) {
  Bytes out;
  if (s.size() < 2 || s[0] != '\\' || s[1] != 'x') throw ValueError("bytea not in hex format");
  auto nib = [](char c) -> unsigned {
    return c <= '9' ? static_cast<unsigned>(c - '0') : static_cast<unsigned>((c | 0x20) - 'a' + 10);
  };
  out.reserve((s.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < s.size(); i += 2) out.push_back(static_cast<std::byte>(nib(s[i]) << 4 | nib(s[i + 1])));
  return out;
}

// One value from its text form.
inline void from_text(std::string_view s, bool& out) { out = parse_bool(s); }
inline void from_text(std::string_view s, std::int32_t& out) { out = parse_int<std::int32_t>(s); }
inline void from_text(std::string_view s, std::int64_t& out) { out = parse_int<std::int64_t>(s); }
inline void from_text(std::string_view s, double& out) { out = parse_double(s); }
inline void from_text(std::string_view s, std::string& out) { out.assign(s); }
inline void from_text(std::string_view s, Bytes& out) { out = parse_bytea(s); }
inline void from_text(std::string_view s, Json& out) { out = Json(std::string(s)); }
// timestamp, timestamptz, date, or `time` (`12:34:56.789`, read on 1970-01-01 as Prisma does).
inline void from_text(std::string_view s, DateTime& out) {
  if (s.size() >= 3 && s[2] == ':') out = DateTime::parse("1970-01-01 " + std::string(s));
  else out = DateTime::parse(s);
}
// numeric, or `money` as the server prints it (`$1,234.56`, `-$0.50`).
inline void from_text(std::string_view s, Decimal& out) {
  if (s.find('$') == std::string_view::npos) {
    out = Decimal(s);
    return;
  }
  std::string plain;
  for (char c : s)
    if (c != '$' && c != ',') plain += c;
  out = Decimal(plain);
}
// pgvector: [1,2.5,-3]
inline void from_text(std::string_view s, Vector& out) {
  out.values.clear();
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') throw ValueError("not a vector: '" + std::string(s) + "'");
  std::size_t i = 1, end = s.size() - 1;
  while (i < end) {
    while (i < end && s[i] == ' ') ++i;
    float v = 0;
    auto r = std::from_chars(s.data() + i, s.data() + end, v);
    if (r.ec != std::errc()) throw ValueError("not a vector: '" + std::string(s) + "'");
    out.values.push_back(v);
    i = static_cast<std::size_t>(r.ptr - s.data());
    while (i < end && (s[i] == ' ' || s[i] == ',')) ++i;
  }
}
template <meta::SchemaEnum E>
void from_text(std::string_view s, E& out) {
  auto v = enum_from_db_name<E>(s);
  if (!v) throw ValueError("value '" + std::string(s) + "' is not in enum " + std::string(meta::enum_traits<E>::name));
  out = *v;
}
// `{a,"b c","d\"e"}` (one dimension; NULL elements are not allowed in Prisma's lists).
template <class T>
void from_text(std::string_view s, std::vector<T>& out) {
  out.clear();
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') throw ValueError("not an array: '" + std::string(s) + "'");
  std::size_t i = 1, end = s.size() - 1;
  std::string item;
  while (i < end) {
    item.clear();
    bool quoted = s[i] == '"';
    if (quoted) {
      ++i;
      while (i < end && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < end) ++i;
        item += s[i++];
      }
      ++i;  // closing quote
    } else {
      while (i < end && s[i] != ',') item += s[i++];
      if (item == "NULL") throw ValueError("a NULL element in a scalar list");
    }
    T v{};
    from_text(item, v);
    out.push_back(std::move(v));
    if (i < end && s[i] == ',') ++i;
  }
}

}  // namespace text

}  // namespace prisma::driver::postgres
