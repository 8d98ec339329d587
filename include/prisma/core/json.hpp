// prisma::Json: a JSON document held as its text. Convert to and from your JSON library's value
// with its own parse/dump; the ORM stores and compares the text as Prisma does.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace prisma {

class Json {
 public:
  Json() : text_("null") {}
  explicit Json(std::string text) : text_(std::move(text)) {}
  static Json string(std::string_view s);    // a JSON string value, escaped
  const std::string& text() const { return text_; }
  friend bool operator==(const Json&, const Json&) = default;

 private:
  std::string text_;
};

inline Json Json::string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return Json(out + "\"");
}

// Prisma's three nulls of a Json field: `DbNull` (the column is SQL NULL), `JsonNull` (it holds the
// JSON value null) and, in filters, `AnyNull` (either). In writes JsonNull is the JSON null
// (`.meta = Json(prisma::JsonNull)`), and std::nullopt of an optional field is DbNull.
struct DbNullT {};
struct JsonNullT {
  operator Json() const { return Json("null"); }
};
struct AnyNullT {};
inline constexpr DbNullT DbNull{};
inline constexpr JsonNullT JsonNull{};
inline constexpr AnyNullT AnyNull{};

// A path into a JSON value (Json filters' `path`): object keys, and array positions as their
// digits. PostgreSQL takes it as a text[] (`#>`), SQLite as a JSON path (`$.pet.name`, `$.tags[0]`;
// keys other than letters, digits and _ quoted: `$."a b"`).
struct JsonPath {
  std::vector<std::string> segments;
};

inline std::string sqlite_json_path(const std::vector<std::string>& segments) {
  std::string out = "$";
  for (const auto& seg : segments) {
    bool digits = !seg.empty(), plain = !seg.empty();
    for (unsigned char c : seg) {
      digits = digits && c >= '0' && c <= '9';
      plain = plain && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_');
    }
    if (digits) {
      out += "[" + seg + "]";
    } else if (plain) {
      out += "." + seg;
    } else {
      out += ".\"";
      for (char c : seg) out += c == '"' ? std::string("\\\"") : std::string(1, c);
      out += '"';
    }
  }
  return out;
}

}  // namespace prisma
