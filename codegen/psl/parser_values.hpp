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
  // Skip to the next `,`, the closing char or the end of the line.
  void recover_to(char close);
  std::optional<ast::Expr> parse_string();
  std::optional<ast::Expr> parse_expr(int depth);

  // Set once a value's line is reported as cut off (nested too deeply, or a list or argument
  // list left open): the enclosing levels then add no second error for the same line.
  bool line_reported_ = false;
};

}  // namespace prisma_cpp::psl::detail
