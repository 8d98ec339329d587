// prisma::Json: a JSON document held as its text. Convert to and from your JSON library's value
// with its own parse/dump; the ORM stores and compares the text as Prisma does.
#pragma once
#include <string>
#include <string_view>

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

}  // namespace prisma
