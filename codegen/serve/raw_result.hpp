// A raw query's rows as Prisma's engine answers them: {"columns", "types", "rows"}, each column
// typed by what the database says of it (PostgreSQL: the column's type OID; SQLite: its declared
// type, else the value's storage class), with Prisma's type names and value forms:
//   int (number), bigint (string), float/double (number; not finite: null), decimal (string),
//   bool, string/char/uuid/xml/enum (string), bytes (base64), json (the JSON value itself),
//   datetime (RFC 3339, `2024-01-02T03:04:05.678+00:00`), date (`2024-01-02`), time (`03:04:05`),
//   and `<type>-array` for PostgreSQL arrays; `unknown` when nothing tells.
// What a client does with them: Prisma Client's deserializeRawResults, and Prisma Client Python's
// _raw_query.py (bigint -> int, decimal -> float, json kept).
#pragma once
#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>

#include <prisma/core/datetime.hpp>
#include <prisma/core/types.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <string_view>

#include "serve/values.hpp"

namespace prisma_cpp::serve::raw {

namespace json = boost::json;

// Prisma's type name for a PostgreSQL type OID ("" when it is not one Prisma names).
inline std::string pg_type(unsigned oid) {
  switch (oid) {
    case 16: return "bool";
    case 17: return "bytes";
    case 18: case 1042: return "char";
    case 19: case 25: case 1043: return "string";
    case 20: case 26: return "bigint";
    case 21: case 23: return "int";
    case 114: case 3802: return "json";
    case 142: return "xml";
    case 700: return "float";
    case 701: return "double";
    case 790: case 1700: return "decimal";
    case 1082: return "date";
    case 1083: case 1266: return "time";
    case 1114: case 1184: return "datetime";
    case 2950: return "uuid";
    case 1000: return "bool-array";
    case 1001: return "bytes-array";
    case 1002: case 1014: return "char-array";
    case 1003: case 1009: case 1015: return "string-array";
    case 1016: case 1028: return "bigint-array";
    case 1005: case 1007: return "int-array";
    case 199: case 3807: return "json-array";
    case 143: return "xml-array";
    case 1021: return "float-array";
    case 1022: return "double-array";
    case 791: case 1231: return "decimal-array";
    case 1182: return "date-array";
    case 1183: case 1270: return "time-array";
    case 1115: case 1185: return "datetime-array";
    case 2951: return "uuid-array";
    default: return oid >= 16384 ? "enum" : "";  // a type of the database's own: Prisma's enums
  }
}

// Prisma's type name for an SQLite declared type (its affinity words), "" for an expression.
inline std::string sqlite_type(std::string_view declared) {
  std::string t(declared);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (auto paren = t.find('('); paren != std::string::npos) t = t.substr(0, paren);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (t.empty()) return "";
  if (t == "INT" || t == "INTEGER" || t == "SERIAL" || t == "INT2" || t == "SMALLINT" || t == "TINYINT" || t == "MEDIUMINT")
    return "int";
  if (t == "BIGINT" || t == "INT8" || t == "UNSIGNED BIG INT") return "bigint";
  if (t == "REAL" || t == "DOUBLE" || t == "DOUBLE PRECISION" || t == "FLOAT") return "double";
  if (t == "DECIMAL" || t == "NUMERIC") return "decimal";
  if (t == "BOOLEAN" || t == "BOOL") return "bool";
  if (t == "DATETIME" || t == "TIMESTAMP") return "datetime";
  if (t == "DATE") return "date";
  if (t == "TIME") return "time";
  if (t == "BLOB") return "bytes";
  if (t == "JSON" || t == "JSONB") return "json";
  if (t.find("CHAR") != std::string::npos || t.find("TEXT") != std::string::npos || t.find("CLOB") != std::string::npos)
    return "string";
  return "";
}

inline std::string base64(const prisma::Bytes& b) {
  std::string out(boost::beast::detail::base64::encoded_size(b.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), b.data(), b.size()));
  return out;
}

// RFC 3339 with the offset written out, as Prisma's engine writes a datetime.
inline std::string rfc3339(const prisma::DateTime& d) {
  std::string s = d.to_iso(true);  // ...Z
  if (!s.empty() && s.back() == 'Z') s.replace(s.size() - 1, 1, "+00:00");
  return s;
}

// An element of a PostgreSQL array (its text) as the JSON value of Prisma's `type`.
inline json::value pg_text_value(const std::string& type, const std::string& text) {
  namespace pt = prisma::driver::postgres::text;
  if (type == "int" || type == "bigint") {
    std::int64_t n = 0;
    pt::from_text(text, n);
    return type == "int" ? json::value(n) : json::value(std::to_string(n));
  }
  if (type == "float" || type == "double") {
    double d = 0;
    pt::from_text(text, d);
    return std::isfinite(d) ? json::value(d) : json::value(nullptr);
  }
  if (type == "bool") return json::value(text == "t" || text == "true");
  if (type == "bytes") {
    prisma::Bytes b;
    pt::from_text(text, b);
    return json::value(base64(b));
  }
  if (type == "json") {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    return ec ? json::value(text) : v;
  }
  if (type == "datetime") {
    prisma::DateTime d;
    pt::from_text(text, d);
    return json::value(rfc3339(d));
  }
  return json::value(text);  // decimal, string, char, uuid, xml, enum, date, time: as PostgreSQL writes them
}

// The value of column `col` in the current row, of Prisma's `type` (decided for the column).
template <class Cursor>
json::value cell(Cursor& cur, int col, const std::string& type, bool sqlite) {
  if (cur.is_null(col)) return nullptr;
  if (!sqlite) {
    std::string text;
    cur.read(col, text);
    if (type.size() > 6 && type.compare(type.size() - 6, 6, "-array") == 0) {
      std::string element = type.substr(0, type.size() - 6);
      json::array out;
      for (const auto& item : values::detail::array_items(text)) out.push_back(pg_text_value(element, item));
      return out;
    }
    return pg_text_value(type, text);
  }
  // SQLite: by the column's type where the value fits it, else by the value's storage class
  if (type == "int" || type == "bigint" || type == "bool") {
    if (cur.template fits<std::int64_t>(col)) {
      std::int64_t n = 0;
      cur.read(col, n);
      if (type == "bool") return json::value(n != 0);
      return type == "int" ? json::value(n) : json::value(std::to_string(n));
    }
  } else if (type == "double") {
    if (cur.template fits<double>(col)) {
      double d = 0;
      cur.read(col, d);
      return std::isfinite(d) ? json::value(d) : json::value(nullptr);
    }
  } else if (type == "decimal") {
    prisma::Decimal d;
    cur.read(col, d);
    return json::value(d.str());
  } else if (type == "datetime") {
    try {
      prisma::DateTime d;
      cur.read(col, d);
      return json::value(rfc3339(d));
    } catch (const std::exception&) {
      // not a date after all: the text as it is, below
    }
  } else if (type == "json") {
    std::string text;
    cur.read(col, text);
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    return ec ? json::value(text) : v;
  }
  if (cur.template fits<std::int64_t>(col)) {
    std::int64_t n = 0;
    cur.read(col, n);
    return json::value(std::to_string(n));
  }
  if (cur.template fits<double>(col)) {
    double d = 0;
    cur.read(col, d);
    return std::isfinite(d) ? json::value(d) : json::value(nullptr);
  }
  if (cur.template fits<prisma::Bytes>(col)) {
    prisma::Bytes b;
    cur.read(col, b);
    return json::value(base64(b));
  }
  std::string text;
  cur.read(col, text);
  return json::value(text);
}

// The type SQLite's value at `col` has, for a column without a declared type (an expression):
// Prisma's engine types an integer expression (count(*)) as bigint.
template <class Cursor>
std::string sqlite_value_type(Cursor& cur, int col) {
  if (cur.is_null(col)) return "";
  if (cur.template fits<std::int64_t>(col)) return "bigint";
  if (cur.template fits<double>(col)) return "double";
  if (cur.template fits<prisma::Bytes>(col)) return "bytes";
  return "string";
}

// The whole answer of a raw query.
template <class Cursor>
json::value result(Cursor& cur, bool sqlite) {
  json::array columns, types, rows;
  std::vector<std::string> type;
  int n = -1;
  auto describe = [&] {
    n = cur.column_count();
    for (int c = 0; c < n; ++c) {
      columns.emplace_back(std::string(cur.column_name(c)));
      std::string t;
      if constexpr (requires { cur.type_oid(c); }) t = pg_type(cur.type_oid(c));
      if constexpr (requires { cur.declared_type(c); }) t = sqlite_type(cur.declared_type(c));
      type.push_back(t);
    }
  };
  while (cur.step()) {
    if (n < 0) describe();
    json::array row;
    for (int c = 0; c < n; ++c) {
      auto& t = type[static_cast<std::size_t>(c)];
      if (t.empty() && sqlite) t = sqlite_value_type(cur, c);  // the first non-null value tells
      row.push_back(cell(cur, c, t.empty() ? std::string("unknown") : t, sqlite));
    }
    rows.push_back(std::move(row));
  }
  if (n < 0) describe();  // no row: the columns and what the database says of them
  for (const auto& t : type) types.emplace_back(t.empty() ? "unknown" : t);
  return json::object{{"columns", std::move(columns)}, {"types", std::move(types)}, {"rows", std::move(rows)}};
}

}  // namespace prisma_cpp::serve::raw
