// The Prisma Schema Language parser: text -> ast::SchemaFile. Hand-written recursive descent over
// the bytes of one file; recovers at line and block boundaries so every syntax error of a file is
// reported in one run. It always makes progress and bounds its nesting, so no input can hang it
// or exhaust the stack.
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "psl/parser.hpp"

namespace prisma_cpp::psl {
namespace {

constexpr int kMaxDepth = 64;  // nesting of arrays and function calls in one expression

bool is_ident_start(unsigned char c) { return std::isalpha(c) || c >= 0x80; }
bool is_ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c >= 0x80; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

class Parser {
 public:
  Parser(const SourceFile& src, std::uint32_t file, Diagnostics& diags)
      : text_(src.text()), file_(file), diags_(diags) {}

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
  // ---- characters -------------------------------------------------------------------------
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

  // ---- attributes and expressions ------------------------------------------------------------
  ast::Attribute parse_attribute() {
    ast::Attribute a;
    std::uint32_t s = pos_;
    ++pos_;
    if (peek() == '@') {
      ++pos_;
      a.block = true;
    }
    a.name = read_path();
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

  // Arguments after an opening paren (pos_ at it) up to `close`; consumes the closing char.
  std::vector<ast::Argument> parse_args(int depth, char close) {
    std::vector<ast::Argument> args;
    std::uint32_t open = pos_;
    ++pos_;
    while (true) {
      skip_ws_nl();
      if (eof()) {
        diags_.error(span(open, pos_), std::string("Error validating: Expected a closing `") + close + "`.",
                     std::string("Add the missing `") + close + "`.");
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
      skip_ws_nl();
      if (peek() != ',' && peek() != close && !eof()) arg.value = parse_expr(depth + 1);
      arg.span = span(s, pos_);
      if (!arg.value && !arg.name) {
        // garbage: skip one character so we always progress
        std::uint32_t bad = pos_;
        if (peek() == ',') {
          diags_.error(span(bad, bad + 1), "Error validating: Unexpected `,`: an argument is missing.",
                       "Remove the extra comma.");
        } else {
          ++pos_;
          diags_.error(span(bad, pos_), "Error validating: Unexpected token in the argument list.",
                       "Arguments are values (\"text\", 12, Constant, fn(), [a, b]) or `name: value`.");
          recover_to(close);
          continue;
        }
      } else {
        args.push_back(std::move(arg));
      }
      skip_ws_nl();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == close) {
        ++pos_;
        return args;
      }
      if (eof() || peek() == '}') {
        diags_.error(span(open, pos_), std::string("Error validating: Expected a closing `") + close + "`.",
                     std::string("Add the missing `") + close + "`.");
        return args;
      }
      std::uint32_t bad = pos_;
      diags_.error(span(bad, bad + 1), std::string("Error validating: Expected `,` or `") + close + "`.",
                   "Separate arguments with commas.");
      recover_to(close);
    }
  }

  void skip_ws_nl() {
    while (!eof() && (is_space(peek()) || peek() == '\n')) ++pos_;
  }

  // Skip to the next `,` or the closing char on this nesting level (not past a newline-`}`).
  void recover_to(char close) {
    while (!eof() && peek() != ',' && peek() != close && peek() != '\n') ++pos_;
    if (peek() == '\n') {
      // Unclosed list at the end of the line: leave the newline for the caller.
      while (!eof() && peek() != close && peek() != '\n') ++pos_;
    }
    if (peek() == '\n' && close != ']') {
      // Do not swallow the rest of the block.
      ++pos_;
    }
  }

  std::optional<ast::Expr> parse_string() {
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

  std::optional<ast::Expr> parse_expr(int depth) {
    if (depth > kMaxDepth) {
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
        skip_ws_nl();
        if (eof()) {
          diags_.error(span(s, pos_), "Error validating: Expected a closing `]`.", "Add the missing `]`.");
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
        if (peek() == '}' || peek() == ')') {
          diags_.error(span(s, pos_), "Error validating: Expected a closing `]`.", "Add the missing `]`.");
          break;
        }
        auto item = parse_expr(depth + 1);
        if (!item) {
          std::uint32_t bad = pos_;
          if (!eof() && peek() != '\n') ++pos_;
          diags_.error(span(bad, pos_), "Error validating: Unexpected token in a list.",
                       "List items are values separated by commas: [a, b].");
          while (!eof() && peek() != ',' && peek() != ']' && peek() != '\n') ++pos_;
        } else {
          e.items.push_back(std::move(*item));
        }
        skip_ws_nl();
        if (peek() == ',') ++pos_;
        else if (peek() != ']') {
          if (eof() || peek() == '}' || peek() == ')') continue;
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

  std::string_view text_;
  std::uint32_t file_;
  Diagnostics& diags_;
  std::uint32_t pos_ = 0;
  std::vector<std::size_t> doc_comment_indices_;
  bool invalid_line_ = false;
};

}  // namespace

ast::SchemaFile parse(const SourceFile& source, std::uint32_t file_index, Diagnostics& diags) {
  return Parser(source, file_index, diags).run();
}

}  // namespace prisma_cpp::psl
