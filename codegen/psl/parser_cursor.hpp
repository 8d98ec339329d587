// The parser's cursor over one source file: characters, comments, identifiers and spans.
// Shared by the value parser (attributes, expressions) and the block parser.
#pragma once
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "psl/ast.hpp"
#include "psl/diagnostics.hpp"

namespace prisma_cpp::psl::detail {

inline bool is_ident_start(unsigned char c) { return std::isalpha(c) || c >= 0x80; }
inline bool is_ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c >= 0x80; }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

class Cursor {
 protected:
  Cursor(const SourceFile& src, std::uint32_t file, Diagnostics& diags)
      : text_(src.text()), file_(file), diags_(diags) {}

  bool eof() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool starts_with(std::string_view s) const {
    return pos_ + s.size() <= text_.size() && text_.compare(pos_, s.size(), s) == 0;
  }
  void skip_spaces() {
    while (!eof() && is_space(peek())) ++pos_;
  }
  std::uint32_t line_end(std::uint32_t from) const {
    auto nl = text_.find('\n', from);
    return nl == std::string::npos ? static_cast<std::uint32_t>(text_.size())
                                   : static_cast<std::uint32_t>(nl);
  }
  Span span(std::uint32_t b, std::uint32_t e) const { return {file_, b, e}; }

  // True when the line that the newline at pos_-1 ends held only spaces (an empty line).
  bool line_is_blank_before_newline() const {
    if (pos_ < 1) return false;
    std::size_t i = pos_ - 1;
    while (i > 0 && is_space(text_[i - 1])) --i;
    return i == 0 || text_[i - 1] == '\n';
  }

  ast::Comment read_comment() {
    std::uint32_t b = pos_;
    std::uint32_t e = line_end(pos_);
    std::uint32_t te = e;
    while (te > b && is_space(text_[te - 1])) --te;
    pos_ = e;
    return {std::string(text_.substr(b, te - b)), span(b, te)};
  }
  // `/* ... */`, possibly over several lines.
  ast::Comment read_block_comment() {
    std::uint32_t b = pos_;
    auto close = text_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) {
      pos_ = static_cast<std::uint32_t>(text_.size());
      diags_.error(span(b, pos_), "Error validating: This comment is not closed.",
                   "Close the comment with `*/`.");
    } else {
      pos_ = static_cast<std::uint32_t>(close + 2);
    }
    return {std::string(text_.substr(b, pos_ - b)), span(b, pos_)};
  }

  static std::string doc_text(const std::string& comment) {
    std::string_view v(comment);
    v.remove_prefix(3);
    if (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    return std::string(v);
  }
  ast::Identifier read_ident() {
    std::uint32_t b = pos_;
    while (!eof() && is_ident_char(static_cast<unsigned char>(peek()))) ++pos_;
    return {std::string(text_.substr(b, pos_ - b)), span(b, pos_)};
  }
  // `db.VarChar`, `Foo.bar`
  ast::Identifier read_path() {
    ast::Identifier id = read_ident();
    while (peek() == '.' && is_ident_start(static_cast<unsigned char>(peek(1)))) {
      ++pos_;
      auto more = read_ident();
      id.name += "." + more.name;
      id.span.end = more.span.end;
    }
    return id;
  }

  std::string_view text_;
  std::uint32_t file_;
  Diagnostics& diags_;
  std::uint32_t pos_ = 0;
};

}  // namespace prisma_cpp::psl::detail
