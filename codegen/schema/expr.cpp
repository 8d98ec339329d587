// Attribute and property values: printing them as Prisma does in messages, and coercing them to
// the expected kind with Prisma's type-mismatch wording.
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {

std::string string_literal(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '"': out += "\\\""; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string expr_to_string(const ast::Expr& e) {
  switch (e.kind) {
    case ast::Expr::Kind::String: return string_literal(e.text);
    case ast::Expr::Kind::Number:
    case ast::Expr::Kind::Constant: return e.text;
    case ast::Expr::Kind::Array: {
      std::string out = "[";
      for (std::size_t i = 0; i < e.items.size(); ++i) {
        if (i) out += ", ";
        out += expr_to_string(e.items[i]);
      }
      return out + "]";
    }
    case ast::Expr::Kind::Function: {
      std::string out = e.text + "(";
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ", ";
        if (e.args[i].name) out += e.args[i].name->name + ": ";
        if (e.args[i].value) out += expr_to_string(*e.args[i].value);
      }
      return out + ")";
    }
  }
  return e.text;
}

const char* describe_value_type(const ast::Expr& e) {
  switch (e.kind) {
    case ast::Expr::Kind::String: return "string";
    case ast::Expr::Kind::Number: return "numeric";
    case ast::Expr::Kind::Constant: return "literal";
    case ast::Expr::Kind::Array: return "array";
    case ast::Expr::Kind::Function: return "functional";
  }
  return "unknown";
}

void type_mismatch(Context& ctx, const ast::Expr& e, const std::string& expected) {
  ctx.error(e.span,
            "Expected a " + expected + " value, but received " + describe_value_type(e) +
                " value `" + expr_to_string(e) + "`.",
            std::string("write a ") + expected + " value here");
}

std::optional<std::string> coerce_string(Context& ctx, const ast::Expr& e, const char* expected) {
  if (e.kind == ast::Expr::Kind::String) return e.text;
  type_mismatch(ctx, e, expected);
  return std::nullopt;
}

std::optional<std::string> coerce_constant(Context& ctx, const ast::Expr& e, const char* expected) {
  if (e.kind == ast::Expr::Kind::Constant) return e.text;
  type_mismatch(ctx, e, expected);
  return std::nullopt;
}

std::optional<long long> coerce_integer(Context& ctx, const ast::Expr& e) {
  if (e.kind == ast::Expr::Kind::Number) {
    long long v = 0;
    const char* b = e.text.data();
    const char* end = b + e.text.size();
    auto r = std::from_chars(b, end, v);
    if (r.ec == std::errc() && r.ptr == end) return v;
  }
  type_mismatch(ctx, e, "numeric");
  return std::nullopt;
}

std::optional<bool> coerce_boolean(Context& ctx, const ast::Expr& e) {
  if (e.kind == ast::Expr::Kind::Constant && (e.text == "true" || e.text == "false"))
    return e.text == "true";
  type_mismatch(ctx, e, "boolean");
  return std::nullopt;
}

bool is_env_call(const ast::Expr& e) {
  return e.kind == ast::Expr::Kind::Function && e.text == "env";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      char ca = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i - 1])));
      char cb = static_cast<char>(std::tolower(static_cast<unsigned char>(b[j - 1])));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (ca == cb ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::optional<std::string> did_you_mean(const std::string& name,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace prisma_cpp::schema::detail
