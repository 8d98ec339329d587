// The engine's values: a JSON-protocol value as the runtime's core type of its field (refusing
// what Prisma's engine refuses: a wrong type, an Int beyond 32 bits, a number beyond 64 bits, a
// non-finite float), and a column read back as JSON-protocol output (`$type`-tagged; a non-finite
// float as null, as Prisma's engine answers). The errors carry Prisma's codes.
#pragma once
#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>

#include <prisma/core/datetime.hpp>
#include <prisma/core/decimal.hpp>
#include <prisma/core/json.hpp>
#include <prisma/core/types.hpp>
#include <prisma/driver/postgres_text.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

#include "schema/ir.hpp"

namespace prisma_cpp::serve::values {

namespace json = boost::json;

// An error with Prisma's code, answered as a user-facing error.
struct QueryError : std::runtime_error {
  QueryError(std::string c, const std::string& m, json::object meta_ = {})
      : std::runtime_error(m), code(std::move(c)), meta(std::move(meta_)) {}
  std::string code;
  json::object meta;
};

[[noreturn]] inline void invalid(const std::string& msg) {
  throw QueryError("P2009", "Failed to validate the query: " + msg);
}

using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, prisma::Bytes, prisma::Json,
                           prisma::DateTime, prisma::Decimal>;

inline std::string str(const json::value& v) { return std::string(v.as_string()); }

// P2033: a number beyond 64 bits, as Prisma's engine answers it.
[[noreturn]] void too_big_integer(const json::value& v);
// An integer given as text (BigInt's "$type" form): all of it digits, within 64 bits.
std::int64_t integer_text(const std::string& text);
// `d`, unless it is not finite (JSON has no Infinity: 1e400 parses as one): P2009.
double finite(double d, const std::string& field, const std::string& path);
// While one lives on this thread, a string given for a Json field is that field's JSON text (Prisma's
// GraphQL protocol: the client sends `json.dumps(data)`), not a JSON string value; it must parse.
class JsonAsText {
 public:
  JsonAsText();
  ~JsonAsText();
  JsonAsText(const JsonAsText&) = delete;
  JsonAsText& operator=(const JsonAsText&) = delete;

 private:
  bool previous_;
};

// A JSON value (plain, or `{"$type": ..., "value": ...}`) as the field's type; P2009 when it is not one.
Value to_value(const ir::Schema& s, const ir::Field& f, const json::value& v, const std::string& path);

// A scalar list's element: the field as one value.
inline ir::Field element_of(const ir::Field& f) {
  ir::Field e = f;
  e.list = false;
  e.optional = false;
  return e;
}
// A scalar list (PostgreSQL's arrays) as a JSON list of elements, bound as its array literal
// (`{"a","b"}`, whose type PostgreSQL infers from the column, as the typed client binds it).
std::string list_literal(const ir::Schema& s, const ir::Field& f, const json::value& list, const std::string& path);

// An `in`/`notIn` list as the one parameter the typed client binds (sql::in_list): a JSON array on
// SQLite (read by json_each, items in the driver's form), an array literal on PostgreSQL. Nothing
// when the field's type has no such form (Bytes, Json): those lists are bound item by item.
std::optional<std::string> in_list_param(bool sqlite, const ir::Schema& s, const ir::Field& f, const json::array& list,
                                         const std::string& path);

namespace detail {
// One element of an array's text as a cursor of one column (for read_field on the element).
struct TextCell {
  std::string_view text;
  bool is_null(int) const { return false; }
  template <class T>
  void read(int, T& out) const { prisma::driver::postgres::text::from_text(text, out); }
};
// `{a,"b c"}` into the elements' texts.
std::vector<std::string> array_items(std::string_view literal);
}  // namespace detail

// Column `col` of the cursor's row as the field's JSON-protocol value.
template <class Cursor>
json::value read_field(const ir::Schema& s, const ir::Field& f, Cursor& cur, int col) {
  if (f.list) {  // PostgreSQL: a list column Prisma created without a default reads NULL as []
    json::array out;
    if (cur.is_null(col)) return out;
    std::string text;
    cur.read(col, text);
    ir::Field e = element_of(f);
    for (const auto& item : detail::array_items(text)) {
      detail::TextCell cell{item};
      out.push_back(read_field(s, e, cell, 0));
    }
    return out;
  }
  if (cur.is_null(col)) return nullptr;
  auto tagged = [](const char* type, std::string value) {
    return json::value{{"$type", type}, {"value", std::move(value)}};
  };
  if (f.kind == ir::FieldKind::Enum) {
    std::string db;
    cur.read(col, db);
    for (const auto& ev : s.enums[f.enum_index].values)
      if (ev.db_name == db) return json::value(ev.name);
    return json::value(db);
  }
  switch (f.scalar) {
    case ir::ScalarType::String: {
      std::string v;
      cur.read(col, v);
      return json::value(v);
    }
    case ir::ScalarType::Boolean: {
      bool v = false;
      cur.read(col, v);
      return json::value(v);
    }
    case ir::ScalarType::Int: {
      std::int64_t v = 0;
      cur.read(col, v);
      return json::value(v);
    }
    case ir::ScalarType::BigInt: {
      std::int64_t v = 0;
      cur.read(col, v);
      return tagged("BigInt", std::to_string(v));
    }
    case ir::ScalarType::Float: {
      double v = 0;
      cur.read(col, v);
      if (!std::isfinite(v)) return nullptr;  // Infinity/NaN stored by others: null, as Prisma's engine answers (JSON has neither)
      return json::value(v);
    }
    case ir::ScalarType::Decimal: {
      prisma::Decimal v;
      cur.read(col, v);
      return tagged("Decimal", v.str());
    }
    case ir::ScalarType::DateTime: {
      prisma::DateTime v;
      cur.read(col, v);
      return tagged("DateTime", v.to_iso(true));
    }
    case ir::ScalarType::Json: {
      prisma::Json v;
      cur.read(col, v);
      return tagged("Json", v.text());
    }
    case ir::ScalarType::Bytes: {
      prisma::Bytes v;
      cur.read(col, v);
      std::string out(boost::beast::detail::base64::encoded_size(v.size()), '\0');
      out.resize(boost::beast::detail::base64::encode(out.data(), v.data(), v.size()));
      return tagged("Bytes", out);
    }
  }
  return nullptr;
}

}  // namespace prisma_cpp::serve::values
