#include "emit/cpp_ident.hpp"

#include <algorithm>
#include <iterator>

namespace prisma_cpp::emit {

bool is_cpp_keyword(std::string_view s) {
  static constexpr std::string_view kw[] = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
      "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
      // names that are macros or reserved in practice and would break the generated header
      "NULL", "EOF", "errno", "assert", "final", "override"};
  return std::find(std::begin(kw), std::end(kw), s) != std::end(kw);
}

std::string cpp_ident(std::string_view name) {
  std::string out(name);
  if (is_cpp_keyword(name)) out += '_';
  return out;
}

std::string cpp_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '?': out += "\\?"; break;  // no trigraph surprises
      default:
        if (c < 0x20 || c == 0x7f) {
          const char* hex = "01234567";
          out += '\\';
          out += hex[(c >> 6) & 7];
          out += hex[(c >> 3) & 7];
          out += hex[c & 7];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace prisma_cpp::emit
