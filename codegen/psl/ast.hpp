// The syntax tree of the Prisma Schema Language: what was written, with a span on every node.
// No name resolution happens here (that is schema/); the formatter works from this tree alone.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "psl/source.hpp"

namespace prisma_cpp::psl::ast {

struct Identifier {
  std::string name;
  Span span;
};

struct Argument;

// A value: "string", 12 / -1.5, a constant (`Cascade`, `true`, `Foo.bar`), [a, b], fn(args).
struct Expr {
  enum class Kind { String, Number, Constant, Array, Function };
  Kind kind = Kind::Constant;
  std::string text;             // String: unescaped value; Number: as written; Constant/Function: name
  std::vector<Expr> items;      // Array elements
  std::vector<Argument> args;   // Function arguments (`uuid(7)`, `env("X")`, `sort: Desc`)
  Span span;
};

// `value` or `name: value` (in attributes and function calls); an empty name means positional.
struct Argument {
  std::optional<Identifier> name;
  std::optional<Expr> value;    // missing when written `name:` without a value (an error later)
  Span span;
};

// A comment on its own line inside or between blocks (`// x`; `///` doc comments attach to the
// next declaration instead).
struct Comment {
  std::string text;             // including the leading // or ///
  Span span;
};

// A line the parser could not read (it reported a syntax error for it), kept verbatim so that
// the formatter writes it back unchanged, as `prisma format` does. May span several lines (a
// block opened by an unknown keyword).
struct InvalidLine {
  std::string text;             // without the trailing newline
  Span span;
};

// `@id`, `@db.VarChar(200)`, `@@index([a, b], map: "x")`.
struct Attribute {
  Identifier name;              // without the @ / @@ (`id`, `db.VarChar`, `relation`)
  bool block = false;           // @@
  bool has_parens = false;
  std::vector<Argument> args;
  Span span;                    // from the first @ to the closing paren
  Span args_span;               // inside the parentheses (empty when none)
  std::optional<Comment> trailing_comment;  // block attributes only: `@@id([a]) // why`
};

// `Int`, `String?`, `Post[]`, `Unsupported("circle")`; optional lists (`Int[]?`) are kept so the
// validator can reject them with a clear message.
struct FieldType {
  Identifier name;
  bool optional = false;
  bool list = false;
  bool legacy_required_list = false;  // `Int[]!` (old syntax): rejected later
  std::optional<std::string> unsupported;  // the string inside Unsupported("...")
  Span span;
};


struct Field {
  Identifier name;
  std::optional<FieldType> type;        // missing type: reported by the validator
  std::vector<Attribute> attributes;
  std::string documentation;            // joined /// lines, without the slashes, '\n'-separated
  std::optional<Comment> trailing_comment;
  Span span;
};

struct EnumValue {
  Identifier name;
  std::vector<Attribute> attributes;    // @map
  std::string documentation;
  std::optional<Comment> trailing_comment;
  Span span;
};

// `key = value` in datasource and generator blocks.
struct ConfigProperty {
  Identifier name;
  std::optional<Expr> value;
  std::string documentation;
  std::optional<Comment> trailing_comment;
  Span span;
};

// One line inside a block, in source order (the formatter walks this list).
struct BlockMember {
  enum class Kind { Field, Attribute, Property, EnumValue, Comment, EmptyLine, Invalid };
  Kind kind;
  std::size_t index = 0;  // into the block's vector of that kind
};

struct Block {
  enum class Kind { Model, View, Enum, Type, Datasource, Generator };
  Kind kind = Kind::Model;
  Identifier name;
  std::vector<Field> fields;             // Model, View, Type
  std::vector<Attribute> attributes;     // block attributes (@@...) of Model/View/Enum/Type
  std::vector<EnumValue> values;         // Enum
  std::vector<ConfigProperty> properties;  // Datasource, Generator
  std::vector<Comment> comments;         // free-standing comments inside the block
  std::vector<InvalidLine> invalid_lines;  // lines that are not declarations (syntax errors)
  std::vector<BlockMember> members;      // every item above, in source order
  std::string documentation;             // /// lines right before the block
  Span span;                             // the whole block
  Span keyword_span;
};

// A top-level item, in source order (blocks and comments between them).
struct TopMember {
  enum class Kind { Block, Comment, EmptyLine, Invalid };
  Kind kind;
  std::size_t index = 0;
};

struct SchemaFile {
  std::uint32_t file = 0;                // index in the SourceSet
  std::vector<Block> blocks;
  std::vector<Comment> comments;         // top-level comments
  std::vector<InvalidLine> invalid_lines;  // top-level lines and blocks that are not schema items
  std::vector<TopMember> members;
};

}  // namespace prisma_cpp::psl::ast
