// The value parser: attributes, argument lists and expressions (strings, numbers, constants,
// arrays, function calls), with bounded nesting and recovery inside argument lists.
#pragma once
#include <optional>
#include <vector>

#include "psl/parser_cursor.hpp"

namespace prisma_cpp::psl::detail {

constexpr int kMaxDepth = 64;  // nesting of arrays and function calls in one expression

class ValueParser : protected Cursor {
 protected:
  using Cursor::Cursor;

  ast::Attribute parse_attribute();
  // Arguments after an opening paren (pos_ at it) up to `close`; consumes the closing char.
  std::vector<ast::Argument> parse_args(int depth, char close);
  void skip_ws_nl();
  // Skip to the next `,` or the closing char on this nesting level (not past a newline-`}`).
  void recover_to(char close);
  std::optional<ast::Expr> parse_string();
  std::optional<ast::Expr> parse_expr(int depth);
};

}  // namespace prisma_cpp::psl::detail
