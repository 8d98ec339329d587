// Attributes, argument lists and expressions of the Prisma Schema Language.
#include <cctype>
#include <string>

#include "psl/parser_values.hpp"

namespace prisma_cpp::psl::detail {

ast::Attribute ValueParser::parse_attribute() {
  ast::Attribute a;
  std::uint32_t s = pos_;
  ++pos_;
  if (peek() == '@') {
    ++pos_;
    a.block = true;
  }
  a.name = read_path();
  line_reported_ = false;
  if (a.name.name.empty()) {
    diags_.error(span(s, pos_ + (eof() ? 0 : 1)),
                 "Error validating: This attribute has no name.",
                 "Write the attribute's name right after the @, e.g. @id or @@index([a]).");
  }
  if (peek() == '(') {
    a.has_parens = true;
    std::uint32_t as = pos_ + 1;
    a.args = parse_args(0, ')');
    a.args_span = span(as, pos_ > as ? pos_ - 1 : as);
  }
  a.span = span(s, pos_);
  return a;
}

std::vector<ast::Argument> ValueParser::parse_args(int depth, char close) {
  std::vector<ast::Argument> args;
  std::uint32_t open = pos_;
  ++pos_;
  // Prisma's grammar keeps an argument list on one line: a line break ends it, so one missing
  // `)` does not swallow the lines after it.
  auto unclosed = [&] {
    if (line_reported_) return;  // an inner value already reported this line's end
    line_reported_ = true;
    diags_.error(span(open, pos_), std::string("Error validating: Expected a closing `") + close + "`.",
                 std::string("Add the missing `") + close +
                     "` on the same line (an argument list does not continue on the next line).");
  };
  while (true) {
    skip_spaces();
    if (eof() || peek() == '\n') {
      unclosed();
      return args;
    }
    if (peek() == close) {
      ++pos_;
      return args;
    }
    ast::Argument arg;
    std::uint32_t s = pos_;
    // `name: value`
    if (is_ident_start(static_cast<unsigned char>(peek()))) {
      std::uint32_t save = pos_;
      auto id = read_ident();
      skip_spaces();
      if (peek() == ':') {
        ++pos_;
        arg.name = id;
      } else {
        pos_ = save;
      }
    }
    skip_spaces();
    if (peek() != ',' && peek() != close && peek() != '\n' && !eof()) arg.value = parse_expr(depth + 1);
    arg.span = span(s, pos_);
    if (!arg.value && !arg.name) {
      std::uint32_t bad = pos_;
      if (peek() == ',') {
        diags_.error(span(bad, bad + 1), "Error validating: Unexpected `,`: an argument is missing.",
                     "Remove the extra comma.");
      } else {
        // Garbage: step over it so that parsing always makes progress.
        if (!eof() && peek() != '\n') ++pos_;
        diags_.error(span(bad, pos_), "Error validating: Unexpected token in the argument list.",
                     "Arguments are values (\"text\", 12, Constant, fn(), [a, b]) or `name: value`.");
        recover_to(close);
        continue;
      }
    } else {
      args.push_back(std::move(arg));
    }
    skip_spaces();
    if (peek() == ',') {
      ++pos_;
      continue;
    }
    if (peek() == close) {
      ++pos_;
      return args;
    }
    if (eof() || peek() == '\n' || peek() == '}') {
      unclosed();
      return args;
    }
    std::uint32_t bad = pos_;
    diags_.error(span(bad, bad + 1), std::string("Error validating: Expected `,` or `") + close + "`.",
                 "Separate arguments with commas.");
    recover_to(close);
  }
}

void ValueParser::recover_to(char close) {
  while (!eof() && peek() != ',' && peek() != close && peek() != '\n') ++pos_;
}

std::optional<ast::Expr> ValueParser::parse_string() {
  ast::Expr e;
  e.kind = ast::Expr::Kind::String;
  std::uint32_t s = pos_;
  ++pos_;
  std::string out;
  while (!eof() && peek() != '"' && peek() != '\n') {
    char c = text_[pos_++];
    if (c == '\\' && !eof() && peek() != '\n') {
      char n = text_[pos_++];
      switch (n) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          unsigned cp = 0;
          int k = 0;
          for (; k < 4 && std::isxdigit(static_cast<unsigned char>(peek())); ++k, ++pos_)
            cp = cp * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(peek())) ? peek() - '0' : (std::tolower(peek()) - 'a' + 10));
          if (k < 4) {
            diags_.error(span(pos_ - static_cast<std::uint32_t>(k) - 2, pos_), "Error validating: Invalid \\u escape in a string.",
                         "Write \\u followed by four hex digits.");
            break;
          }
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default: out += '\\'; out += n;
      }
    } else {
      out += c;
    }
  }
  if (peek() != '"') {
    diags_.error(span(s, pos_), "Error validating: This string is not terminated.",
                 "Close the string with `\"` on the same line.");
    e.text = std::move(out);
    e.span = span(s, pos_);
    return e;
  }
  ++pos_;
  e.text = std::move(out);
  e.span = span(s, pos_);
  return e;
}

std::optional<ast::Expr> ValueParser::parse_expr(int depth) {
  if (depth == 0) line_reported_ = false;
  if (depth > kMaxDepth) {
    line_reported_ = true;
    std::uint32_t s = pos_;
    pos_ = line_end(pos_);
    diags_.error(span(s, pos_), "Error validating: This value is nested too deeply.",
                 "Arrays and function calls nest at most 64 levels.");
    return std::nullopt;
  }
  skip_spaces();
  char c = peek();
  std::uint32_t s = pos_;
  if (c == '"') return parse_string();
  if (c == '[') {
    ast::Expr e;
    e.kind = ast::Expr::Kind::Array;
    ++pos_;
    while (true) {
      skip_spaces();
      if (eof() || peek() == '\n' || peek() == '}' || peek() == ')') {
        if (!line_reported_)
          diags_.error(span(s, pos_), "Error validating: Expected a closing `]`.",
                       "Add the missing `]` on the same line (a list does not continue on the next line).");
        line_reported_ = true;
        break;
      }
      if (peek() == ']') {
        ++pos_;
        break;
      }
      if (peek() == ',') {
        diags_.error(span(pos_, pos_ + 1), "Error validating: Unexpected `,` in a list.",
                     "Remove the extra comma.");
        ++pos_;
        continue;
      }
      auto item = parse_expr(depth + 1);
      if (!item) {
        std::uint32_t bad = pos_;
        if (!eof() && peek() != '\n') ++pos_;
        if (!line_reported_)
          diags_.error(span(bad, pos_), "Error validating: Unexpected token in a list.",
                       "List items are values separated by commas: [a, b].");
        while (!eof() && peek() != ',' && peek() != ']' && peek() != '\n') ++pos_;
      } else {
        e.items.push_back(std::move(*item));
      }
      skip_spaces();
      if (peek() == ',') {
        ++pos_;
      } else if (peek() != ']' && !eof() && peek() != '\n' && peek() != '}' && peek() != ')') {
        std::uint32_t bad = pos_;
        diags_.error(span(bad, bad + 1), "Error validating: Expected `,` or `]` in a list.",
                     "Separate list items with commas.");
        while (!eof() && peek() != ',' && peek() != ']' && peek() != '\n') ++pos_;
        if (peek() == ',') ++pos_;
      }
    }
    e.span = span(s, pos_);
    return e;
  }
  if (c == '-' || c == '+' || std::isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && std::isdigit(static_cast<unsigned char>(peek(1))))) {
    ast::Expr e;
    e.kind = ast::Expr::Kind::Number;
    ++pos_;
    while (!eof() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '.' ||
                      ((peek() == '-' || peek() == '+') && (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E'))))
      ++pos_;
    e.text = std::string(text_.substr(s, pos_ - s));
    e.span = span(s, pos_);
    bool ok = e.text != "-" && e.text != "+";
    for (std::size_t i = 0; i < e.text.size() && ok; ++i) {
      char d = e.text[i];
      ok = std::isdigit(static_cast<unsigned char>(d)) || d == '.' || d == 'e' || d == 'E' ||
           ((d == '-' || d == '+') && (i == 0 || e.text[i - 1] == 'e' || e.text[i - 1] == 'E'));
    }
    if (!ok)
      diags_.error(e.span, "Error validating: `" + e.text + "` is not a valid number.",
                   "Write numbers like 12, -3 or 1.5.");
    return e;
  }
  if (is_ident_start(static_cast<unsigned char>(c))) {
    ast::Expr e;
    auto id = read_path();
    e.text = id.name;
    if (peek() == '(') {
      e.kind = ast::Expr::Kind::Function;
      e.args = parse_args(depth + 1, ')');
    } else {
      e.kind = ast::Expr::Kind::Constant;
    }
    e.span = span(s, pos_);
    return e;
  }
  return std::nullopt;
}

}  // namespace prisma_cpp::psl::detail
