#include "serve/values.hpp"

#include <cstring>

#include <prisma/driver/sqlite.hpp>

namespace prisma_cpp::serve::values {

namespace {
thread_local bool json_as_text = false;
}

JsonAsText::JsonAsText() : previous_(json_as_text) { json_as_text = true; }
JsonAsText::~JsonAsText() { json_as_text = previous_; }

// Out of range: P2033, as Prisma's engine answers a number that does not fit 64 bits.
[[noreturn]] void too_big_integer(const json::value& v) {
  throw QueryError("P2033", "A number used in the query does not fit into a 64 bit signed integer: " + json::serialize(v) +
                                ". Consider using `BigInt` as field type if you're trying to store large integers");
}

// An integer given as text (BigInt's "$type" form): all of it digits, within 64 bits.
std::int64_t integer_text(const std::string& text) {
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::out_of_range&) {
    too_big_integer(json::value(text));
  }
  if (used != text.size()) throw std::invalid_argument("'" + text + "' is not an integer");
  return n;
}

// JSON has no Infinity or NaN; a number too large for a double (1e400) parses as one: refused,
// as Prisma's engine refuses it, rather than stored and answered as non-JSON later.
double finite(double d, const std::string& field, const std::string& path) {
  if (!std::isfinite(d))
    invalid("Unable to fit float value (or large JS integer serialized in exponent notation) into a 64-bit float for field '" +
            field + "' at `" + path + "`: it is out of range");
  return d;
}

std::string list_literal(const ir::Schema& s, const ir::Field& f, const json::value& list, const std::string& path) {
  if (!list.is_array()) invalid("Invalid value for argument `" + f.name + "` at `" + path + "`: expected a list");
  ir::Field e = element_of(f);
  std::string out = "{", item;
  std::size_t i = 0;
  for (const auto& x : list.as_array()) {
    Value v = to_value(s, e, x, path + "." + std::to_string(i++));
    std::visit([&](const auto& y) {
      if constexpr (std::is_same_v<std::decay_t<decltype(y)>, std::monostate>) invalid("a list holds no null at `" + path + "`");
      else prisma::driver::postgres::text::put(item, y);
    }, v);
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::optional<std::string> in_list_param(bool sqlite, const ir::Schema& s, const ir::Field& f, const json::array& list,
                                         const std::string& path) {
  if (f.kind == ir::FieldKind::Scalar && (f.scalar == ir::ScalarType::Bytes || f.scalar == ir::ScalarType::Json)) return {};
  std::string out = sqlite ? "[" : "{", item;
  std::size_t i = 0;
  for (const auto& x : list) {
    if (out.size() > 1) out += ',';
    Value v = to_value(s, f, x, path + "." + std::to_string(i++));
    std::visit([&](const auto& y) {
      using T = std::decay_t<decltype(y)>;
      if constexpr (std::is_same_v<T, std::monostate>) {
        out += sqlite ? "null" : "NULL";  // matches nothing, as `col IN (NULL)` does
      } else if (sqlite) {
        if constexpr (std::is_same_v<T, prisma::Bytes> || std::is_same_v<T, prisma::Json>) invalid("no list of this type at `" + path + "`");
        else prisma::driver::sqlite::json_list_item(out, y);
      } else {
        prisma::driver::postgres::text::put(item, y);
        out += '"';
        for (char c : item) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        out += '"';
      }
    }, v);
  }
  return out + (sqlite ? "]" : "}");
}

namespace detail {
std::vector<std::string> array_items(std::string_view s) {
  std::vector<std::string> out;
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') throw std::runtime_error("not an array: '" + std::string(s) + "'");
  std::size_t i = 1, end = s.size() - 1;
  while (i < end) {
    std::string item;
    if (s[i] == '"') {
      ++i;
      while (i < end && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < end) ++i;
        item += s[i++];
      }
      ++i;
    } else {
      while (i < end && s[i] != ',') item += s[i++];
    }
    out.push_back(std::move(item));
    if (i < end && s[i] == ',') ++i;
  }
  return out;
}
}  // namespace detail

// A JSON value (plain, or `{"$type": ..., "value": ...}`) as the field's type.
Value to_value(const ir::Schema& s, const ir::Field& f, const json::value& v, const std::string& path) {
  if (f.list) {
    if (v.is_null()) invalid("Argument `" + f.name + "` must not be null at `" + path + "` (a list is [] when empty)");
    return list_literal(s, f, v, path);
  }
  if (v.is_null()) {
    if (!f.optional) invalid("Argument `" + f.name + "` must not be null at `" + path + "`");
    return std::monostate{};
  }
  const json::value* x = &v;
  std::string tag;
  if (v.is_object() && v.as_object().contains("$type")) {
    tag = str(v.as_object().at("$type"));
    x = &v.as_object().at("value");
  }
  auto wrong = [&](const char* want) -> Value {
    invalid("Invalid value for argument `" + f.name + "` at `" + path + "`: expected " + want);
  };
  try {
    if (f.kind == ir::FieldKind::Enum) {
      if (!x->is_string()) return wrong("an enum value");
      std::string name = str(*x);
      for (const auto& ev : s.enums[f.enum_index].values)
        if (ev.name == name) return ev.db_name;
      invalid("Invalid value `" + name + "` for the enum `" + s.enums[f.enum_index].name + "` at `" + path + "`");
    }
    switch (f.scalar) {
      case ir::ScalarType::String:
        if (!x->is_string()) return wrong("a String");
        return str(*x);
      case ir::ScalarType::Boolean:
        if (!x->is_bool()) return wrong("a Boolean");
        return x->as_bool();
      case ir::ScalarType::Int:
      case ir::ScalarType::BigInt: {
        std::int64_t n = 0;
        if (x->is_int64()) n = x->as_int64();
        else if (x->is_uint64()) too_big_integer(*x);
        else if (x->is_double()) {  // 1e3 is an integer; 1.5 is not; 1e19 does not fit
          double d = x->as_double();
          if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) too_big_integer(*x);
          if (d != std::trunc(d)) return wrong(f.scalar == ir::ScalarType::Int ? "an Int" : "a BigInt");
          n = static_cast<std::int64_t>(d);
        }
        else if (x->is_string()) n = integer_text(str(*x));
        else return wrong(f.scalar == ir::ScalarType::Int ? "an Int" : "a BigInt");
        // Prisma's Int is 32 bits (the typed client's std::int32_t): as Prisma's engine says it
        if (f.scalar == ir::ScalarType::Int && (n < INT32_MIN || n > INT32_MAX))
          invalid("Unable to fit integer value '" + std::to_string(n) + "' into a 32-bit signed integer for field '" +
                  f.name + "' at `" + path + "`");
        return n;
      }
      case ir::ScalarType::Float:
        if (x->is_number()) return finite(x->to_number<double>(), f.name, path);
        return wrong("a Float");
      case ir::ScalarType::Decimal:
        if (x->is_string()) return prisma::Decimal(str(*x));
        if (x->is_number()) return prisma::Decimal(json::serialize(*x));
        return wrong("a Decimal");
      case ir::ScalarType::DateTime:
        if (!x->is_string()) return wrong("a DateTime");
        return prisma::DateTime::parse(str(*x));
      case ir::ScalarType::Json:
        if (tag == "Json" && x->is_string()) return prisma::Json(str(*x));
        if (tag == "Enum" && x->is_string() && (x->as_string() == "JsonNull" || x->as_string() == "DbNull")) {
          // Prisma's Prisma.JsonNull (the JSON null) and Prisma.DbNull (SQL NULL)
          if (x->as_string() == "JsonNull") return prisma::Json("null");
          if (!f.optional) invalid("Argument `" + f.name + "` must not be DbNull at `" + path + "`: the field is required");
          return std::monostate{};
        }
        if (json_as_text && x->is_string()) {
          boost::system::error_code ec;
          (void)json::parse(x->as_string(), ec);
          if (ec) invalid("Invalid value for argument `" + f.name + "` at `" + path + "`: not JSON text (" + ec.message() + ")");
          return prisma::Json(str(*x));
        }
        return prisma::Json(json::serialize(*x));
      case ir::ScalarType::Bytes: {
        if (!x->is_string()) return wrong("Bytes (base64)");
        std::string b64 = str(*x);
        std::string raw(boost::beast::detail::base64::decoded_size(b64.size()), '\0');
        auto [n, used] = boost::beast::detail::base64::decode(raw.data(), b64.data(), b64.size());
        (void)used;
        prisma::Bytes out(n);
        std::memcpy(out.data(), raw.data(), n);
        return out;
      }
    }
  } catch (const QueryError&) {
    throw;
  } catch (const std::exception& e) {
    invalid("Invalid value for argument `" + f.name + "` at `" + path + "`: " + e.what());
  }
  return std::monostate{};
}

}  // namespace prisma_cpp::serve::values
