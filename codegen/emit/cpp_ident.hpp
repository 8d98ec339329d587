// C++ spellings of schema names: identifiers that dodge keywords, and escaped string literals.
#pragma once
#include <string>
#include <string_view>

namespace prisma_cpp::emit {

bool is_cpp_keyword(std::string_view s);
// The schema's own name, with `_` appended when it is a C++ keyword (`delete` -> `delete_`).
std::string cpp_ident(std::string_view name);
// A C++ string literal (quotes included) holding exactly `s`.
std::string cpp_string(std::string_view s);

}  // namespace prisma_cpp::emit
