// The Prisma Schema Language parser: text -> ast::SchemaFile. Hand-written recursive descent over
// the bytes of one file; recovers at line and block boundaries so every syntax error of a file is
// reported in one run. It always makes progress and bounds its nesting, so no input can hang it
// or exhaust the stack.
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "psl/parser.hpp"
#include "psl/parser_values.hpp"

namespace prisma_cpp::psl {
namespace {

using detail::is_ident_char;
using detail::is_ident_start;
using detail::is_space;

class Parser : detail::ValueParser {
 public:
  Parser(const SourceFile& src, std::uint32_t file, Diagnostics& diags)
      : ValueParser(src, file, diags) {}

  ast::SchemaFile run() {
    ast::SchemaFile out;
    out.file = file_;
    std::string pending_doc;
    bool pending_blank = false;
    while (!eof()) {
      skip_spaces();
      if (eof()) break;
      char c = peek();
      if (c == '\n') {
        ++pos_;
        if (line_is_blank_before_newline()) {
          // Doc comments followed by a blank line document nothing: they stay comments.
          if (!doc_comment_indices_.empty() && pending_blank && !out.members.empty())
            out.members.push_back({ast::TopMember::Kind::EmptyLine, 0});
          if (!doc_comment_indices_.empty()) pending_blank = false;
          flush_doc_as_comments(out, pending_doc);
          pending_blank = true;
        }
        continue;
      }
      if (starts_with("///")) {
        if (doc_comment_indices_.empty() && pending_blank && !out.members.empty()) {
          out.members.push_back({ast::TopMember::Kind::EmptyLine, 0});
          pending_blank = false;
        }
        auto cm = read_comment();
        if (!pending_doc.empty()) pending_doc += '\n';
        pending_doc += doc_text(cm.text);
        // Kept as a comment too so the formatter can place stray doc comments.
        out.comments.push_back(cm);
        doc_comment_indices_.push_back(out.comments.size() - 1);
        continue;
      }
      if (starts_with("//") || starts_with("/*")) {
        flush_doc_as_comments(out, pending_doc);
        if (pending_blank && !out.members.empty())
          out.members.push_back({ast::TopMember::Kind::EmptyLine, 0});
        pending_blank = false;
        out.comments.push_back(starts_with("/*") ? read_block_comment() : read_comment());
        out.members.push_back({ast::TopMember::Kind::Comment, out.comments.size() - 1});
        continue;
      }
      std::uint32_t line_start = pos_;
      if (is_ident_start(static_cast<unsigned char>(c))) {
        std::size_t save = pos_;
        ast::Identifier kw = read_ident();
        std::optional<ast::Block::Kind> kind = block_kind(kw.name);
        if (kind) {
          if (pending_blank && !out.members.empty())
            out.members.push_back({ast::TopMember::Kind::EmptyLine, 0});
          pending_blank = false;
          doc_comment_indices_.clear();
          ast::Block b = parse_block(*kind, kw, line_start);
          b.documentation = std::move(pending_doc);
          pending_doc.clear();
          out.blocks.push_back(std::move(b));
          out.members.push_back({ast::TopMember::Kind::Block, out.blocks.size() - 1});
          continue;
        }
        pos_ = static_cast<std::uint32_t>(save);
      }
      flush_doc_as_comments(out, pending_doc);
      // Not a block: report the line and move on.
      std::uint32_t end = line_end(pos_);
      diags_.error(span(line_start, end),
                   "Error validating: This line is invalid. It does not start with any known "
                   "Prisma schema keyword.",
                   "A schema consists of `model`, `view`, `enum`, `type`, `datasource` and "
                   "`generator` blocks.");
      pos_ = end;
      skip_stray_block();
    }
    flush_doc_as_comments(out, pending_doc);
    return out;
  }


 private:
  // Doc comments not followed by a declaration are ordinary comments.
  void flush_doc_as_comments(ast::SchemaFile& out, std::string& doc) {
    for (auto i : doc_comment_indices_) out.members.push_back({ast::TopMember::Kind::Comment, i});
    doc_comment_indices_.clear();
    doc.clear();
  }

  // After an invalid top-level line that opened a block, skip to its closing brace.
  void skip_stray_block() {
    std::uint32_t b = pos_;
    std::uint32_t back = b;
    while (back > 0 && text_[back - 1] != '\n') --back;
    if (text_.substr(back, b - back).find('{') == std::string_view::npos) return;
    int depth = 1;
    while (!eof() && depth > 0) {
      char c = text_[pos_++];
      if (c == '{') ++depth;
      if (c == '}') --depth;
    }
  }

  static std::optional<ast::Block::Kind> block_kind(const std::string& kw) {
    using K = ast::Block::Kind;
    if (kw == "model") return K::Model;
    if (kw == "view") return K::View;
    if (kw == "enum") return K::Enum;
    if (kw == "type") return K::Type;
    if (kw == "datasource") return K::Datasource;
    if (kw == "generator") return K::Generator;
    return std::nullopt;
  }
  static const char* kind_word(ast::Block::Kind k) {
    switch (k) {
      case ast::Block::Kind::Model: return "model";
      case ast::Block::Kind::View: return "view";
      case ast::Block::Kind::Enum: return "enum";
      case ast::Block::Kind::Type: return "composite type";
      case ast::Block::Kind::Datasource: return "datasource";
      case ast::Block::Kind::Generator: return "generator";
    }
    return "block";
  }

  // ---- blocks -----------------------------------------------------------------------------
  ast::Block parse_block(ast::Block::Kind kind, ast::Identifier kw, std::uint32_t start) {
    ast::Block b;
    b.kind = kind;
    b.keyword_span = kw.span;
    skip_spaces();
    // Names starting with a digit parse; the validator says they must not.
    if (is_ident_start(static_cast<unsigned char>(peek())) || std::isdigit(static_cast<unsigned char>(peek()))) {
      b.name = read_ident();
    } else {
      b.name.span = span(pos_, pos_);
    }
    skip_spaces();
    if (peek() != '{') {
      std::uint32_t e = line_end(pos_);
      diags_.error(span(start, e),
                   std::string("Error validating: This block is invalid. A ") + kind_word(kind) +
                       " block is written `" + kw.name + " Name {` followed by its lines and a "
                       "closing `}`.",
                   "Give the block a name and open it with `{` on the same line.");
      pos_ = e;
      skip_stray_block_after_header();
      b.span = span(start, pos_);
      return b;
    }
    if (b.name.name.empty())
      diags_.error(span(start, pos_ + 1),
                   std::string("Error validating: This ") + kind_word(kind) +
                       " block has no name.",
                   "Write `" + kw.name + " Name {`.");
    ++pos_;  // {
    std::string pending_doc;
    std::vector<std::size_t> pending_doc_comments;
    bool closed = false;
    bool pending_blank = false;
    // Text after `{` on the same line is an error (Prisma wants one declaration per line).
    skip_spaces();
    if (!eof() && peek() != '\n' && peek() != '}' && !starts_with("//")) {
      std::uint32_t e = line_end(pos_);
      auto close = text_.substr(pos_, e - pos_).find('}');
      if (close != std::string_view::npos) e = pos_ + static_cast<std::uint32_t>(close);
      bad_line(kind, b, pos_, e);
      pos_ = e;
    }
    while (!eof()) {
      skip_spaces();
      if (eof()) break;
      char c = peek();
      if (c == '\n') {
        ++pos_;
        if (line_is_blank_before_newline()) pending_blank = true;
        continue;
      }
      if (c == '}') {
        ++pos_;
        closed = true;
        break;
      }
      auto flush_docs = [&] {
        for (auto i : pending_doc_comments) b.members.push_back({ast::BlockMember::Kind::Comment, i});
        pending_doc_comments.clear();
        pending_doc.clear();
      };
      auto member = [&](ast::BlockMember::Kind k, std::size_t i) {
        if (pending_blank && !b.members.empty())
          b.members.push_back({ast::BlockMember::Kind::EmptyLine, 0});
        pending_blank = false;
        b.members.push_back({k, i});
      };
      if (starts_with("///")) {
        auto cm = read_comment();
        if (!pending_doc.empty()) pending_doc += '\n';
        pending_doc += doc_text(cm.text);
        b.comments.push_back(cm);
        if (pending_blank && !b.members.empty())
          b.members.push_back({ast::BlockMember::Kind::EmptyLine, 0});
        pending_blank = false;
        pending_doc_comments.push_back(b.comments.size() - 1);
        continue;
      }
      if (starts_with("//") || starts_with("/*")) {
        flush_docs();
        b.comments.push_back(starts_with("/*") ? read_block_comment() : read_comment());
        member(ast::BlockMember::Kind::Comment, b.comments.size() - 1);
        continue;
      }
      std::uint32_t ls = pos_;
      if (block_kind_at_line_start()) {
        // A new top-level block inside this one: the closing brace is missing.
        break;
      }
      if (starts_with("@@")) {
        if (kind == ast::Block::Kind::Datasource || kind == ast::Block::Kind::Generator) {
          bad_line(kind, b, ls, line_end(ls));
          pos_ = line_end(ls);
          continue;
        }
        pending_doc_comments.clear();
        pending_doc.clear();
        auto a = parse_attribute();
        a.trailing_comment = trailing_comment();
        b.attributes.push_back(std::move(a));
        member(ast::BlockMember::Kind::Attribute, b.attributes.size() - 1);
        finish_line(kind, b);
        continue;
      }
      if (!is_ident_start(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c))) {
        flush_docs();
        bad_line(kind, b, ls, line_end(ls));
        pos_ = line_end(ls);
        continue;
      }
      // Docs attach to this declaration; their comment lines leave the member list.
      pending_doc_comments.clear();
      switch (kind) {
        case ast::Block::Kind::Datasource:
        case ast::Block::Kind::Generator: {
          auto p = parse_property(kind, b, ls);
          if (!p) continue;
          p->documentation = std::move(pending_doc);
          pending_doc.clear();
          b.properties.push_back(std::move(*p));
          member(ast::BlockMember::Kind::Property, b.properties.size() - 1);
          break;
        }
        case ast::Block::Kind::Enum: {
          ast::EnumValue v;
          v.name = read_ident();
          v.documentation = std::move(pending_doc);
          pending_doc.clear();
          skip_spaces();
          while (peek() == '@' && peek(1) != '@') {
            v.attributes.push_back(parse_attribute());
            skip_spaces();
          }
          v.span = span(ls, pos_);
          v.trailing_comment = trailing_comment();
          b.values.push_back(std::move(v));
          member(ast::BlockMember::Kind::EnumValue, b.values.size() - 1);
          finish_line(kind, b);
          break;
        }
        default: {
          invalid_line_ = false;
          ast::Field f = parse_field(kind, b, ls);
          if (invalid_line_) break;  // reported; not a field
          f.documentation = std::move(pending_doc);
          pending_doc.clear();
          b.fields.push_back(std::move(f));
          member(ast::BlockMember::Kind::Field, b.fields.size() - 1);
          break;
        }
      }
    }
    for (auto i : pending_doc_comments) b.members.push_back({ast::BlockMember::Kind::Comment, i});
    if (!closed) {
      diags_.error(span(start, line_end(start)),
                   std::string("Error validating: This ") + kind_word(kind) + " block \"" +
                       b.name.name + "\" is not closed.",
                   "Add the closing `}` after the block's last line.");
    }
    b.span = span(start, pos_);
    return b;
  }

  void skip_stray_block_after_header() {
    // The header line was broken; if the next lines look like a body, skip to its `}`.
    std::uint32_t save = pos_;
    while (!eof() && (is_space(peek()) || peek() == '\n')) ++pos_;
    if (peek() != '{') {
      pos_ = save;
      return;
    }
    int depth = 0;
    while (!eof()) {
      char c = text_[pos_++];
      if (c == '{') ++depth;
      if (c == '}' && --depth == 0) break;
    }
  }

  bool block_kind_at_line_start() {
    std::uint32_t back = pos_;
    while (back > 0 && is_space(text_[back - 1])) --back;
    if (back > 0 && text_[back - 1] != '\n') return false;
    std::uint32_t save = pos_;
    auto id = read_ident();
    skip_spaces();
    bool is_block = block_kind(id.name).has_value() && is_ident_start(static_cast<unsigned char>(peek()));
    if (is_block) {
      read_ident();
      skip_spaces();
      is_block = peek() == '{';
    }
    pos_ = save;
    return is_block;
  }

  void bad_line(ast::Block::Kind kind, const ast::Block& b, std::uint32_t s, std::uint32_t e) {
    while (e > s && is_space(text_[e - 1])) --e;
    std::string what;
    switch (kind) {
      case ast::Block::Kind::Enum: what = "This line is not an enum value definition."; break;
      case ast::Block::Kind::Datasource:
      case ast::Block::Kind::Generator:
        what = std::string("This line is not a valid definition within a ") + kind_word(kind) + ".";
        break;
      default: what = "This line is not a valid field or attribute definition.";
    }
    diags_.error(span(s, e),
                 std::string("Error validating ") + kind_word(kind) + " \"" + b.name.name + "\": " + what,
                 kind == ast::Block::Kind::Enum ? "Write one value name per line, optionally followed by @map(\"...\")."
                 : kind == ast::Block::Kind::Datasource || kind == ast::Block::Kind::Generator
                     ? "Write one `key = value` per line."
                     : "Write one field per line (`name Type @attributes`) or a block attribute (`@@id([a, b])`).");
  }

  // After a declaration: an optional trailing comment, then the end of the line (or `}`).
  void finish_line(ast::Block::Kind kind, const ast::Block& b) {
    skip_spaces();
    if (eof() || peek() == '\n' || peek() == '}') return;
    if (starts_with("//")) {
      read_comment();
      return;
    }
    std::uint32_t s = pos_;
    std::uint32_t e = line_end(pos_);
    auto close = text_.substr(s, e - s).find('}');
    if (close != std::string_view::npos) e = s + static_cast<std::uint32_t>(close);
    bad_line(kind, b, s, e);
    pos_ = e;
  }

  std::optional<ast::Comment> trailing_comment() {
    skip_spaces();
    if (starts_with("//")) return read_comment();
    if (starts_with("/*")) {
      auto c = read_block_comment();
      skip_spaces();
      return c;
    }
    return std::nullopt;
  }

  std::optional<ast::ConfigProperty> parse_property(ast::Block::Kind kind, ast::Block& b,
                                                    std::uint32_t ls) {
    ast::ConfigProperty p;
    p.name = read_ident();
    skip_spaces();
    if (peek() != '=') {
      bad_line(kind, b, ls, line_end(ls));
      pos_ = line_end(ls);
      return std::nullopt;
    }
    ++pos_;
    skip_spaces();
    if (eof() || peek() == '\n' || starts_with("//")) {
      p.span = span(ls, pos_);
      p.trailing_comment = trailing_comment();
      return p;  // missing value: reported by the validator with the property's name
    }
    p.value = parse_expr(0);
    p.span = span(ls, pos_);
    if (!p.value) {
      pos_ = line_end(pos_);
      return p;
    }
    p.trailing_comment = trailing_comment();
    finish_line(kind, b);
    return p;
  }

  ast::Field parse_field(ast::Block::Kind kind, ast::Block& b, std::uint32_t ls) {
    ast::Field f;
    f.name = read_ident();
    skip_spaces();
    if (is_ident_start(static_cast<unsigned char>(peek()))) {
      ast::FieldType t;
      std::uint32_t ts = pos_;
      t.name = read_path();
      if (t.name.name == "Unsupported" && peek() == '(') {
        ++pos_;
        skip_spaces();
        if (peek() == '"') {
          auto s = parse_string();
          if (s) t.unsupported = s->text;
        }
        skip_spaces();
        if (peek() == ')') ++pos_;
        else diags_.error(span(ts, pos_), "Unsupported(...) takes one string, the database type: Unsupported(\"circle\").");
      }
      if (peek() == '[' && peek(1) == ']') {
        pos_ += 2;
        t.list = true;
      }
      if (peek() == '?') {
        ++pos_;
        t.optional = true;
      } else if (peek() == '!' && t.list) {
        ++pos_;
        t.legacy_required_list = true;
      }
      t.span = span(ts, pos_);
      f.type = std::move(t);
    } else if (peek() != '@' && peek() != '\n' && !eof() && !starts_with("//") && peek() != '}') {
      // `name 1`, `name ?`: neither a type nor an attribute
      bad_line(kind, b, ls, line_end(ls));
      pos_ = line_end(ls);
      f.span = span(ls, pos_);
      invalid_line_ = true;
      return f;
    }
    skip_spaces();
    while (peek() == '@') {
      if (peek(1) == '@') break;
      f.attributes.push_back(parse_attribute());
      skip_spaces();
    }
    f.span = span(ls, pos_);
    if (!f.type)
      // Prisma's span of an incomplete declaration takes in its line break.
      diags_.error(span(ls, peek() == '\n' ? pos_ + 1 : pos_),
                   std::string("Error validating ") + kind_word(kind) + " \"" + b.name.name +
                       "\": This field declaration is invalid. It is either missing a name or a type.",
                   "Write the field as `" + f.name.name + " Type`, e.g. `" + f.name.name + " String`.");
    f.trailing_comment = trailing_comment();
    finish_line(kind, b);
    return f;
  }

  std::vector<std::size_t> doc_comment_indices_;
  bool invalid_line_ = false;
};

}  // namespace

ast::SchemaFile parse(const SourceFile& source, std::uint32_t file_index, Diagnostics& diags) {
  return Parser(source, file_index, diags).run();
}

}  // namespace prisma_cpp::psl
