// `prisma-cpp format`: Prisma's canonical layout, from the syntax tree and the source text.
// Blocks are separated by one blank line; inside a block, runs of lines (broken by blank lines)
// are aligned in columns; block attributes go last, after one blank line, in Prisma's order.
#include "psl/format.hpp"

#include <algorithm>
#include <sstream>

#include "psl/complete_relations.hpp"
#include "psl/parser.hpp"

namespace prisma_cpp::psl {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

// Prisma's order of field attributes and block attributes; unknown ones keep their place after.
int field_attribute_rank(const std::string& n) {
  static const char* order[] = {"id", "unique", "default", "updatedAt", "map", "relation", "ignore"};
  for (int i = 0; i < 7; ++i)
    if (n == order[i]) return i;
  return 7;
}
int block_attribute_rank(const std::string& n) {
  static const char* order[] = {"id", "unique", "index", "fulltext", "map"};
  for (int i = 0; i < 5; ++i)
    if (n == order[i]) return i;
  return 5;
}

class Formatter {
 public:
  Formatter(const SourceFile& src, const FormatOptions& opt) : text_(src.text()), opt_(opt) {}

  std::string run(const ast::SchemaFile& f) {
    bool blank_pending = false;
    bool last_was_block = false;
    for (const auto& m : f.members) {
      switch (m.kind) {
        case ast::TopMember::Kind::EmptyLine:
          blank_pending = !out_.empty();
          break;
        case ast::TopMember::Kind::Comment:
          if (!out_.empty() && (blank_pending || last_was_block)) out_ += "\n";
          comment_lines(f.comments[m.index].text, "");
          blank_pending = false;
          last_was_block = false;
          break;
        case ast::TopMember::Kind::Invalid:
          // Lines that did not parse are written back as they were, like comments.
          if (!out_.empty() && (blank_pending || last_was_block)) out_ += "\n";
          out_ += f.invalid_lines[m.index].text + "\n";
          blank_pending = false;
          last_was_block = false;
          break;
        case ast::TopMember::Kind::Block:
          // Comments right above a block stay attached to it.
          if (!out_.empty() && (blank_pending || last_was_block)) out_ += "\n";
          block(f.blocks[m.index]);
          blank_pending = false;
          last_was_block = true;
          break;
      }
    }
    return out_;
  }

 private:
  struct Row {
    enum class Kind { Cells, Comment, Blank, Verbatim } kind = Kind::Cells;
    std::vector<std::string> cells;  // non-empty cells; later ones may be empty strings
    std::string comment;             // trailing comment
    std::string text;                // Comment and Verbatim rows
  };

  std::string src(Span s) const {
    return std::string(text_.substr(s.start, s.end > s.start ? s.end - s.start : 0));
  }

  std::string expr(const ast::Expr& e) const {
    switch (e.kind) {
      case ast::Expr::Kind::String: return src(e.span);
      case ast::Expr::Kind::Number:
      case ast::Expr::Kind::Constant: return e.text;
      case ast::Expr::Kind::Array: {
        std::string s = "[";
        for (std::size_t i = 0; i < e.items.size(); ++i) s += (i ? ", " : "") + expr(e.items[i]);
        return s + "]";
      }
      case ast::Expr::Kind::Function: return e.text + "(" + args(e.args) + ")";
    }
    return e.text;
  }

  std::string args(const std::vector<ast::Argument>& as) const {
    std::string s;
    for (std::size_t i = 0; i < as.size(); ++i) {
      if (i) s += ", ";
      if (as[i].name) s += as[i].name->name + ": ";
      if (as[i].value) s += expr(*as[i].value);
    }
    return s;
  }

  std::string attribute(const ast::Attribute& a) const {
    std::string s = a.block ? "@@" : "@";
    s += a.name.name;
    if (a.has_parens) ((s += '(') += args(a.args)) += ')';
    return s;
  }

  std::string field_type(const ast::FieldType& t) const {
    std::string s = t.unsupported ? src(Span{t.span.file, t.name.span.start, t.span.end}) : t.name.name;
    if (t.unsupported) {
      // Re-spell the suffix; the span covers `Unsupported("x")[]?`.
      auto close = s.rfind(')');
      if (close != std::string::npos) s = s.substr(0, close + 1);
    }
    if (t.list) s += "[]";
    if (t.optional) s += "?";
    return s;
  }

  void comment_lines(const std::string& c, const std::string& indent) {
    if (c.rfind("/*", 0) == 0) {
      std::string body = c.substr(2, c.size() >= 4 ? c.size() - 4 : 0);
      while (!body.empty() && body.front() == '*') body.erase(0, 1);
      std::vector<std::string> lines;
      std::istringstream in(body);
      for (std::string l; std::getline(in, l);) {
        l = trim(l);
        if (!l.empty() && l[0] == '*') l = trim(l.substr(1));
        lines.push_back(l);
      }
      while (!lines.empty() && lines.front().empty()) lines.erase(lines.begin());
      while (!lines.empty() && lines.back().empty()) lines.pop_back();
      out_ += indent + "/**\n";
      for (const auto& l : lines) out_ += indent + " *" + (l.empty() ? "" : " " + l) + "\n";
      out_ += indent + " */\n";
      return;
    }
    out_ += indent + trim(c) + "\n";
  }

  // Aligns the cell columns within each run of rows not broken by a blank line.
  void emit_rows(const std::vector<Row>& rows) {
    std::size_t i = 0;
    while (i < rows.size()) {
      if (rows[i].kind == Row::Kind::Blank) {
        out_ += "\n";
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < rows.size() && rows[j].kind != Row::Kind::Blank) ++j;
      std::vector<std::size_t> width;
      for (std::size_t k = i; k < j; ++k) {
        if (rows[k].kind != Row::Kind::Cells) continue;
        const auto& cells = rows[k].cells;
        std::size_t last = cells.size();
        while (last > 0 && cells[last - 1].empty()) --last;
        // Every cell widens its column, even the last of its row (which is not padded).
        for (std::size_t c = 0; c < last; ++c) {
          if (width.size() <= c) width.resize(c + 1, 0);
          width[c] = std::max(width[c], cells[c].size());
        }
      }
      for (std::size_t k = i; k < j; ++k) {
        const Row& r = rows[k];
        if (r.kind == Row::Kind::Comment) {
          comment_lines(r.text, "  ");
          continue;
        }
        if (r.kind == Row::Kind::Verbatim) {
          out_ += "  " + r.text + "\n";
          continue;
        }
        std::size_t last = r.cells.size();
        while (last > 0 && r.cells[last - 1].empty()) --last;
        std::string line = "  ";
        for (std::size_t c = 0; c < last; ++c) {
          line += r.cells[c];
          if (c + 1 < last) {
            std::size_t w = c < width.size() ? width[c] : 0;
            if (r.cells[c].size() < w) line += std::string(w - r.cells[c].size(), ' ');
            line += " ";
          }
        }
        if (!r.comment.empty()) line += " " + r.comment;
        out_ += line + "\n";
      }
      i = j;
    }
  }

  void block(const ast::Block& b) {
    const char* kw = "model";
    switch (b.kind) {
      case ast::Block::Kind::Model: kw = "model"; break;
      case ast::Block::Kind::View: kw = "view"; break;
      case ast::Block::Kind::Enum: kw = "enum"; break;
      case ast::Block::Kind::Type: kw = "type"; break;
      case ast::Block::Kind::Datasource: kw = "datasource"; break;
      case ast::Block::Kind::Generator: kw = "generator"; break;
    }
    out_ += std::string(kw) + (b.name.name.empty() ? "" : " ") + b.name.name + " {\n";

    std::vector<Row> body;
    struct AttrGroup {
      std::vector<std::string> comments;
      const ast::Attribute* attr;
    };
    std::vector<AttrGroup> attrs;
    // Prisma's rules for blank lines: they collapse to one, vanish at the edges of the block and
    // before block attributes (which move to the end), and otherwise start a new run of aligned
    // columns. A group of comment lines right above a block attribute moves with it.
    const auto& ms = b.members;
    bool ate_blank = false;
    auto blank = [&] {
      if (ate_blank && !body.empty()) body.push_back({Row::Kind::Blank, {}, {}, {}});
      ate_blank = false;
    };
    for (std::size_t i = 0; i < ms.size(); ++i) {
      const auto& m = ms[i];
      switch (m.kind) {
        case ast::BlockMember::Kind::EmptyLine:
          ate_blank = true;
          break;
        case ast::BlockMember::Kind::Invalid: {
          // An unreadable line stays where it was and does not change the columns around it.
          blank();
          Row r;
          r.kind = Row::Kind::Verbatim;
          r.text = b.invalid_lines[m.index].text;
          body.push_back(std::move(r));
          break;
        }
        case ast::BlockMember::Kind::Comment: {
          std::size_t j = i;
          while (j < ms.size() && ms[j].kind == ast::BlockMember::Kind::Comment) ++j;
          if (j < ms.size() && ms[j].kind == ast::BlockMember::Kind::Attribute) {
            AttrGroup g;
            for (std::size_t k = i; k < j; ++k) g.comments.push_back(b.comments[ms[k].index].text);
            g.attr = &b.attributes[ms[j].index];
            attrs.push_back(std::move(g));
          } else {
            blank();
            for (std::size_t k = i; k < j; ++k) {
              Row r;
              r.kind = Row::Kind::Comment;
              r.text = b.comments[ms[k].index].text;
              body.push_back(std::move(r));
            }
          }
          ate_blank = false;
          i = j < ms.size() && ms[j].kind == ast::BlockMember::Kind::Attribute ? j : j - 1;
          break;
        }
        case ast::BlockMember::Kind::Attribute:
          attrs.push_back({{}, &b.attributes[m.index]});
          ate_blank = false;
          break;
        case ast::BlockMember::Kind::Field: {
          blank();
          const auto& f = b.fields[m.index];
          Row r;
          r.cells.push_back(f.name.name);
          r.cells.push_back(f.type ? field_type(*f.type) : "");
          std::vector<const ast::Attribute*> as;
          for (const auto& a : f.attributes) as.push_back(&a);
          if (!opt_.keep_attribute_order)
            std::stable_sort(as.begin(), as.end(), [](auto* x, auto* y) {
              return field_attribute_rank(x->name.name) < field_attribute_rank(y->name.name);
            });
          std::string joined;
          for (auto* a : as) (joined += joined.empty() ? "" : " ") += attribute(*a);
          r.cells.push_back(joined);
          if (f.trailing_comment) r.comment = trim(f.trailing_comment->text);
          body.push_back(std::move(r));
          break;
        }
        case ast::BlockMember::Kind::EnumValue: {
          blank();
          const auto& v = b.values[m.index];
          Row r;
          r.cells.push_back(v.name.name);
          std::string joined;
          for (const auto& a : v.attributes) (joined += joined.empty() ? "" : " ") += attribute(a);
          r.cells.push_back(joined);
          if (v.trailing_comment) r.comment = trim(v.trailing_comment->text);
          body.push_back(std::move(r));
          break;
        }
        case ast::BlockMember::Kind::Property: {
          blank();
          const auto& p = b.properties[m.index];
          Row r;
          r.cells.push_back(p.name.name);
          r.cells.push_back("= " + (p.value ? expr(*p.value) : std::string()));
          if (p.trailing_comment) r.comment = trim(p.trailing_comment->text);
          body.push_back(std::move(r));
          break;
        }
      }
    }
    // A blank line before `}` goes.
    while (!body.empty() && body.back().kind == Row::Kind::Blank) body.pop_back();
    while (!body.empty() && body.front().kind == Row::Kind::Blank) body.erase(body.begin());
    emit_rows(body);
    if (!attrs.empty()) {
      if (!body.empty()) out_ += "\n";
      if (!opt_.keep_attribute_order)
        std::stable_sort(attrs.begin(), attrs.end(), [](const AttrGroup& x, const AttrGroup& y) {
          return block_attribute_rank(x.attr->name.name) < block_attribute_rank(y.attr->name.name);
        });
      for (const auto& g : attrs) {
        for (const auto& c : g.comments) comment_lines(c, "  ");
        (out_ += "  ") += attribute(*g.attr);
        if (g.attr->trailing_comment) (out_ += ' ') += trim(g.attr->trailing_comment->text);
        out_ += '\n';
      }
    }
    out_ += "}\n";
  }

  std::string_view text_;
  FormatOptions opt_;
  std::string out_;
};

}  // namespace

std::vector<std::string> format_files(const SourceSet& sources,
                                      const std::vector<ast::SchemaFile>& files,
                                      const FormatOptions& options) {
  std::vector<std::string> out;
  // Relations are completed only on a schema without syntax errors, as Prisma does.
  Diagnostics check;
  for (const auto& f : files) parse(sources[f.file], f.file, check);
  std::vector<detail::Insertion> added;
  if (!check.has_errors()) added = detail::complete_relations(sources, files);
  if (added.empty()) {
    for (const auto& f : files) out.push_back(Formatter(sources[f.file], options).run(f));
    return out;
  }
  SourceSet completed;
  for (std::uint32_t i = 0; i < sources.files.size(); ++i) {
    const std::string& text = sources[i].text();
    std::string t;
    std::uint32_t at = 0;
    for (const auto& ins : added)
      if (ins.file == i) {
        t.append(text, at, ins.pos - at);
        t += ins.text;
        at = ins.pos;
      }
    t.append(text, at, std::string::npos);
    completed.files.emplace_back(sources[i].path(), std::move(t));
  }
  for (const auto& f : files) {
    Diagnostics d;
    out.push_back(Formatter(completed[f.file], options).run(parse(completed[f.file], f.file, d)));
  }
  return out;
}

std::string format_text(const std::string& text, const FormatOptions& options) {
  SourceSet set;
  set.files.emplace_back("schema.prisma", text);
  Diagnostics diags;
  auto file = parse(set[0], 0, diags);
  return format_files(set, {file}, options)[0];
}

}  // namespace prisma_cpp::psl
