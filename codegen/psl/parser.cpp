// The Prisma Schema Language parser: text -> ast::SchemaFile. Hand-written recursive descent over
// the bytes of one file; recovers at line and block boundaries so every syntax error of a file is
// reported in one run. It always makes progress and bounds its nesting, so no input can hang it
// or exhaust the stack.
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "psl/parser.hpp"
#include "psl/parser_values.hpp"

namespace prisma_cpp::psl {
namespace {

using detail::is_ident_char;
using detail::is_ident_start;
using detail::is_space;
using K = ast::Block::Kind;

bool is_name_start(char c) {
  // Names starting with a digit parse; the validator says they must not.
  return is_ident_start(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
}

std::optional<K> block_kind(const std::string& kw) {
  if (kw == "model") return K::Model;
  if (kw == "view") return K::View;
  if (kw == "enum") return K::Enum;
  if (kw == "type") return K::Type;
  if (kw == "datasource") return K::Datasource;
  if (kw == "generator") return K::Generator;
  return std::nullopt;
}

const char* kind_word(K k) {
  switch (k) {
    case K::Model: return "model";
    case K::View: return "view";
    case K::Enum: return "enum";
    case K::Type: return "composite type";
    case K::Datasource: return "datasource";
    case K::Generator: return "generator";
  }
  return "block";
}

bool is_config(K k) { return k == K::Datasource || k == K::Generator; }

class Parser : detail::ValueParser {
 public:
  Parser(const SourceFile& src, std::uint32_t file, Diagnostics& diags)
      : ValueParser(src, file, diags) {}

  ast::SchemaFile run() {
    ast::SchemaFile out;
    out.file = file_;
    // Every comment stays a member (the formatter writes them where they were); the `///` lines
    // of the comment group right above a block also become its documentation. A blank line
    // after the group leaves it floating, as in Prisma.
    std::string doc;
    bool has_doc = false;
    bool pending_blank = false;
    auto add = [&](ast::TopMember::Kind k, std::size_t i) {
      if (pending_blank && !out.members.empty()) out.members.push_back({ast::TopMember::Kind::EmptyLine, 0});
      pending_blank = false;
      out.members.push_back({k, i});
    };
    while (!eof()) {
      skip_spaces();
      if (eof()) break;
      if (peek() == '\n') {
        ++pos_;
        if (line_is_blank_before_newline()) {
          pending_blank = true;
          doc.clear();
          has_doc = false;
        }
        continue;
      }
      if (starts_with("//") || starts_with("/*")) {
        bool is_doc = starts_with("///");
        out.comments.push_back(starts_with("/*") ? read_block_comment() : read_comment());
        add(ast::TopMember::Kind::Comment, out.comments.size() - 1);
        if (is_doc) append_doc(doc, has_doc, out.comments.back().text);
        continue;
      }
      std::uint32_t line_start = pos_;
      std::optional<K> kind;
      ast::Identifier kw;
      if (is_ident_start(static_cast<unsigned char>(peek()))) {
        kw = read_ident();
        kind = block_kind(kw.name);
        if (!kind) pos_ = line_start;
      }
      std::optional<ast::Block> block;
      if (kind) {
        block = parse_block(*kind, kw, line_start);
      } else {
        invalid_top_line(line_start);
      }
      if (block) {
        block->documentation = std::move(doc);
        out.blocks.push_back(std::move(*block));
        add(ast::TopMember::Kind::Block, out.blocks.size() - 1);
      } else {
        out.invalid_lines.push_back(invalid(line_start, pos_));
        add(ast::TopMember::Kind::Invalid, out.invalid_lines.size() - 1);
      }
      doc.clear();
      has_doc = false;
    }
    return out;
  }

 private:
  ast::InvalidLine invalid(std::uint32_t b, std::uint32_t e) const {
    while (e > b && (is_space(text_[e - 1]) || text_[e - 1] == '\n')) --e;
    return {std::string(text_.substr(b, e - b)), span(b, e)};
  }

  // A top-level line that starts no block; when it opens a block of its own, the whole block
  // is one error (and one verbatim item for the formatter).
  void invalid_top_line(std::uint32_t line_start) {
    std::uint32_t end = line_end(pos_);
    std::string_view line = text_.substr(line_start, end - line_start);
    bool opens_block = line.find('{') != std::string_view::npos;
    std::uint32_t e = end;
    while (e > line_start && is_space(text_[e - 1])) --e;
    if (opens_block) {
      diags_.error(span(line_start, e),
                   "Error validating: This block is invalid. It does not start with any known Prisma "
                   "schema keyword. Valid keywords include 'model', 'enum', 'type', 'datasource' and "
                   "'generator'.",
                   "Start the block with `model`, `view`, `enum`, `type`, `datasource` or `generator`.");
    } else {
      diags_.error(span(line_start, e),
                   "Error validating: This line is invalid. It does not start with any known Prisma "
                   "schema keyword.",
                   "A schema consists of `model`, `view`, `enum`, `type`, `datasource` and "
                   "`generator` blocks; comments start with `//`.");
    }
    pos_ = end;
    if (opens_block) skip_block_body(line_start, 0);
  }

  // Skips the body of a block whose header could not be read, up to its closing brace; stops
  // early at a line that starts a known block, so a missing `}` loses nothing after it.
  void skip_block_body(std::uint32_t from, int depth) {
    for (std::uint32_t i = from; i < pos_; ++i) {
      if (text_[i] == '{') ++depth;
      if (text_[i] == '}') --depth;
    }
    while (!eof() && depth > 0) {
      if (peek() == '\n') {
        ++pos_;
        std::uint32_t save = pos_;
        skip_spaces();
        bool next_block = block_kind_at_line_start();
        pos_ = save;
        if (next_block) return;
        continue;
      }
      if (peek() == '{') ++depth;
      if (peek() == '}') --depth;
      ++pos_;
    }
  }

  // ---- blocks -----------------------------------------------------------------------------
  std::optional<ast::Block> parse_block(K kind, ast::Identifier kw, std::uint32_t start) {
    ast::Block b;
    b.kind = kind;
    b.keyword_span = kw.span;
    skip_spaces();
    if (is_name_start(peek())) {
      b.name = read_ident();
    } else {
      b.name.span = span(pos_, pos_);
    }
    skip_spaces();
    if (peek() != '{') {
      std::uint32_t e = line_end(pos_);
      std::uint32_t te = e;
      while (te > start && is_space(text_[te - 1])) --te;
      bool alias = kind == K::Type && peek() == '=';
      diags_.error(span(start, te),
                   alias ? std::string("Error validating: Invalid type definition. Please check the "
                                       "documentation in https://pris.ly/d/composite-types")
                         : std::string("Error validating: This block is invalid. A ") + kind_word(kind) +
                               " block is written `" + kw.name +
                               " Name {` followed by its lines and a closing `}`.",
                   alias ? "Declare a composite type as `type Name {` with one field per line."
                         : "Give the block a name and open it with `{` on the same line.");
      pos_ = e;
      if (text_.substr(start, e - start).find('{') != std::string_view::npos) {
        skip_block_body(start, 0);
      } else {
        skip_body_after_broken_header();
      }
      return std::nullopt;
    }
    if (b.name.name.empty())
      diags_.error(span(start, pos_ + 1),
                   std::string("Error validating: This ") + kind_word(kind) + " block has no name.",
                   "Write `" + kw.name + " Name {`.");
    ++pos_;  // {
    parse_body(b);
    b.span = span(start, pos_);
    return b;
  }

  // The header line was broken; if the next lines look like a body, skip to its `}`.
  void skip_body_after_broken_header() {
    std::uint32_t save = pos_;
    while (!eof() && (is_space(peek()) || peek() == '\n')) ++pos_;
    if (peek() != '{') {
      pos_ = save;
      return;
    }
    ++pos_;
    skip_block_body(pos_, 1);
  }

  bool block_kind_at_line_start() {
    std::uint32_t back = pos_;
    while (back > 0 && is_space(text_[back - 1])) --back;
    if (back > 0 && text_[back - 1] != '\n') return false;
    std::uint32_t save = pos_;
    auto id = read_ident();
    skip_spaces();
    bool is_block = block_kind(id.name).has_value() && is_name_start(peek());
    if (is_block) {
      read_ident();
      skip_spaces();
      is_block = peek() == '{';
    }
    pos_ = save;
    return is_block;
  }

  struct BodyState {
    std::string doc;       // `///` lines waiting for the next declaration
    bool has_doc = false;
    bool doc_stale = false;  // a blank line came after them: a new comment group replaces them
    bool blank = false;
  };

  static void append_doc(std::string& doc, bool& has_doc, const std::string& comment) {
    if (has_doc) doc += '\n';
    doc += doc_text(comment);
    has_doc = true;
  }

  void add_member(ast::Block& b, BodyState& st, ast::BlockMember::Kind k, std::size_t i) {
    if (st.blank && !b.members.empty()) b.members.push_back({ast::BlockMember::Kind::EmptyLine, 0});
    st.blank = false;
    b.members.push_back({k, i});
  }
  static void drop_doc(BodyState& st) {
    st.doc.clear();
    st.has_doc = st.doc_stale = false;
  }
  static std::string take_doc(BodyState& st) {
    std::string d = std::move(st.doc);
    drop_doc(st);
    return d;
  }

  void parse_body(ast::Block& b) {
    BodyState st;
    bool closed = false;
    // Text after `{` on the header line: Prisma wants one declaration per line.
    skip_spaces();
    if (!eof() && peek() != '\n' && peek() != '}' && !starts_with("//")) {
      std::uint32_t s = pos_;
      std::uint32_t e = line_end(pos_);
      auto close = text_.substr(s, e - s).find('}');
      if (close != std::string_view::npos) e = s + static_cast<std::uint32_t>(close);
      report_line(b.kind, s, e);
      pos_ = e;
      add_invalid(b, st, s, e);
    }
    while (!eof()) {
      skip_spaces();
      if (eof()) break;
      char c = peek();
      if (c == '\n') {
        ++pos_;
        if (line_is_blank_before_newline()) {
          st.blank = true;
          st.doc_stale = st.has_doc;
        }
        continue;
      }
      if (c == '}') {
        ++pos_;
        closed = true;
        break;
      }
      // Inside a block, Prisma gives a declaration the `///` lines of the comment group above
      // it, even across a blank line; every comment also stays a member for the formatter.
      if (starts_with("//") || starts_with("/*")) {
        if (st.doc_stale) drop_doc(st);
        bool is_doc = starts_with("///");
        b.comments.push_back(starts_with("/*") ? read_block_comment() : read_comment());
        add_member(b, st, ast::BlockMember::Kind::Comment, b.comments.size() - 1);
        if (is_doc) append_doc(st.doc, st.has_doc, b.comments.back().text);
        continue;
      }
      // A new top-level block inside this one: the closing brace is missing.
      if (block_kind_at_line_start()) break;
      parse_line(b, st);
    }
    if (!closed) {
      std::uint32_t s = b.keyword_span.start;
      diags_.error(span(s, line_end(s)),
                   std::string("Error validating: This ") + kind_word(b.kind) + " block \"" +
                       b.name.name + "\" is not closed.",
                   "Add the closing `}` after the block's last line.");
    }
  }

  // One declaration line of a block. A line that does not read completely is, as in Prisma's
  // grammar, not a declaration at all: it is reported and kept verbatim.
  void parse_line(ast::Block& b, BodyState& st) {
    std::uint32_t ls = pos_;
    std::size_t errors_before = diags_.all().size();
    std::optional<ast::BlockMember::Kind> made;
    bool ok = false;
    if (starts_with("@@") && !is_config(b.kind)) {
      auto a = parse_attribute();
      a.trailing_comment = trailing_comment();
      ok = clean_line_end(errors_before);
      if (ok) {
        b.attributes.push_back(std::move(a));
        made = ast::BlockMember::Kind::Attribute;
        drop_doc(st);  // block attributes carry no documentation
      }
    } else if (is_name_start(peek())) {
      switch (b.kind) {
        case K::Datasource:
        case K::Generator: {
          auto p = parse_property();
          ok = p && clean_line_end(errors_before);
          if (ok) {
            p->documentation = take_doc(st);
            b.properties.push_back(std::move(*p));
            made = ast::BlockMember::Kind::Property;
          }
          break;
        }
        case K::Enum: {
          ast::EnumValue v;
          v.name = read_ident();
          skip_spaces();
          while (peek() == '@' && peek(1) != '@') {
            v.attributes.push_back(parse_attribute());
            skip_spaces();
          }
          v.span = span(ls, pos_);
          v.trailing_comment = trailing_comment();
          ok = clean_line_end(errors_before);
          if (ok) {
            v.documentation = take_doc(st);
            b.values.push_back(std::move(v));
            made = ast::BlockMember::Kind::EnumValue;
          }
          break;
        }
        default: {
          auto f = parse_field(b, ls, errors_before);
          ok = f.has_value();
          if (ok) {
            f->documentation = take_doc(st);
            b.fields.push_back(std::move(*f));
            made = ast::BlockMember::Kind::Field;
          }
          break;
        }
      }
    }
    if (made) {
      add_member(b, st, *made, member_count(b, *made) - 1);
      return;
    }
    // Not a declaration: one error for the line unless a more precise one was given already.
    std::uint32_t e = rest_of_line_end();
    if (diags_.all().size() == errors_before) report_line(b.kind, ls, e);
    pos_ = e;
    drop_doc(st);
    add_invalid(b, st, ls, e);
  }

  static std::size_t member_count(const ast::Block& b, ast::BlockMember::Kind k) {
    switch (k) {
      case ast::BlockMember::Kind::Field: return b.fields.size();
      case ast::BlockMember::Kind::Attribute: return b.attributes.size();
      case ast::BlockMember::Kind::Property: return b.properties.size();
      case ast::BlockMember::Kind::EnumValue: return b.values.size();
      default: return 0;
    }
  }

  void add_invalid(ast::Block& b, BodyState& st, std::uint32_t s, std::uint32_t e) {
    b.invalid_lines.push_back(invalid(s, e));
    add_member(b, st, ast::BlockMember::Kind::Invalid, b.invalid_lines.size() - 1);
  }

  // The end of the current line, or a `}` on it that closes the block.
  std::uint32_t rest_of_line_end() const {
    std::uint32_t e = line_end(pos_);
    auto close = text_.substr(pos_, e - pos_).find('}');
    return close == std::string_view::npos ? e : pos_ + static_cast<std::uint32_t>(close);
  }

  // After a declaration and its trailing comment: only the end of the line (or the block's `}`)
  // may follow, and no syntax error may have been reported on the way.
  bool clean_line_end(std::size_t errors_before) {
    skip_spaces();
    bool at_end = eof() || peek() == '\n' || peek() == '}';
    return at_end && diags_.all().size() == errors_before;
  }

  void report_line(K kind, std::uint32_t s, std::uint32_t e) {
    while (e > s && is_space(text_[e - 1])) --e;
    std::string what;
    std::string hint;
    switch (kind) {
      case K::Enum:
        what = "This line is not an enum value definition.";
        hint = "Write one value name per line, optionally followed by @map(\"...\").";
        break;
      case K::Datasource:
      case K::Generator:
        what = std::string("This line is not a valid definition within a ") + kind_word(kind) + ".";
        hint = "Write one `key = value` per line.";
        break;
      default:
        what = "This line is not a valid field or attribute definition.";
        hint = "Write one field per line (`name Type @attributes`) or a block attribute (`@@id([a, b])`).";
    }
    diags_.error(span(s, e), "Error validating: " + what, hint);
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

  std::optional<ast::ConfigProperty> parse_property() {
    std::uint32_t ls = pos_;
    ast::ConfigProperty p;
    p.name = read_ident();
    skip_spaces();
    if (peek() != '=') return std::nullopt;
    ++pos_;
    skip_spaces();
    // A missing value is reported by the validator, with the property's name.
    if (!eof() && peek() != '\n' && peek() != '}' && !starts_with("//")) {
      p.value = parse_expr(0);
      if (!p.value) return std::nullopt;
    }
    p.span = span(ls, pos_);
    p.trailing_comment = trailing_comment();
    return p;
  }

  // `name Type? @attr(...) // comment`, with the legacy forms `name: Type`, `Type!` and `[Type]`
  // read and reported in Prisma's words (the formatter writes them the modern way).
  std::optional<ast::Field> parse_field(const ast::Block& b, std::uint32_t ls, std::size_t errors_before) {
    ast::Field f;
    f.name = read_ident();
    skip_spaces();
    std::optional<Span> legacy_colon;
    if (peek() == ':') {
      legacy_colon = span(pos_, pos_ + 1);
      ++pos_;
      skip_spaces();
    }
    std::optional<std::pair<Span, const char*>> legacy;
    if (peek() == '[' && is_ident_start(static_cast<unsigned char>(peek(1)))) {
      std::uint32_t ts = pos_;
      ++pos_;
      ast::FieldType t;
      t.name = read_path();
      if (peek() != ']') return std::nullopt;
      ++pos_;
      t.list = true;
      t.span = span(ts, pos_);
      legacy = {{t.span, "To specify a list, please use `Type[]` instead of `[Type]`."}};
      f.type = std::move(t);
    } else if (is_ident_start(static_cast<unsigned char>(peek()))) {
      f.type = parse_type();
      if (!f.type) return std::nullopt;
      if (peek() == '!' && !f.type->list) {
        ++pos_;
        f.type->span.end = pos_;
        legacy = {{f.type->span, "Fields are required by default, `!` is no longer required."}};
      }
    }
    skip_spaces();
    while (peek() == '@' && peek(1) != '@') {
      f.attributes.push_back(parse_attribute());
      skip_spaces();
    }
    f.span = span(ls, pos_);
    f.trailing_comment = trailing_comment();
    if (!clean_line_end(errors_before)) return std::nullopt;
    if (legacy_colon)
      diags_.error(*legacy_colon, "Field declarations don't require a `:`.",
                   "Remove the `:` after the field name.");
    if (legacy) diags_.error(legacy->first, legacy->second, "Write the type as `Type`, `Type?` or `Type[]`.");
    if (!f.type)
      // Prisma's span of an incomplete declaration takes in its line break.
      diags_.error(span(ls, peek() == '\n' ? pos_ + 1 : pos_),
                   std::string("Error validating ") + kind_word(b.kind) + " \"" + b.name.name +
                       "\": This field declaration is invalid. It is either missing a name or a type.",
                   "Write the field as `" + f.name.name + " Type`, e.g. `" + f.name.name + " String`.");
    return f;
  }

  // `Int`, `Post[]`, `String?`, `Int[]?` (rejected later), `Int[]!` (rejected later),
  // `Unsupported("circle")`.
  std::optional<ast::FieldType> parse_type() {
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
      if (peek() != ')' || !t.unsupported) {
        diags_.error(span(ts, pos_), "Error validating: Unsupported(...) takes one string, the database type.",
                     "Write it as Unsupported(\"circle\").");
        return std::nullopt;
      }
      ++pos_;
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
    return t;
  }
};

}  // namespace

ast::SchemaFile parse(const SourceFile& source, std::uint32_t file_index, Diagnostics& diags) {
  return Parser(source, file_index, diags).run();
}

}  // namespace prisma_cpp::psl
