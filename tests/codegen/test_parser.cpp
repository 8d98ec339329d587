// The PSL parser: every construct lands in the tree with its span; syntax errors are reported
// at their line and column, all of them in one run, and parsing always finishes.
#include <catch2/catch.hpp>

#include <string>

#include "psl/parser.hpp"

using namespace prisma_cpp::psl;

namespace {

struct Parsed {
  SourceSet set;
  ast::SchemaFile file;
  Diagnostics diags;
};

Parsed parse_text(std::string text) {
  Parsed p;
  p.set.files.emplace_back("schema.prisma", std::move(text));
  p.file = parse(p.set[0], 0, p.diags);
  return p;
}

LineCol at(const Parsed& p, Span s) { return p.set[0].line_col(s.start); }
std::string text_of(const Parsed& p, Span s) { return p.set[0].text().substr(s.start, s.end - s.start); }

const ast::Block& only_block(const Parsed& p) {
  REQUIRE(p.file.blocks.size() == 1);
  return p.file.blocks[0];
}

}  // namespace

TEST_CASE("parser reads every kind of block", "[psl]") {
  auto p = parse_text(
      "datasource db {\n  provider = \"sqlite\"\n}\ngenerator c {\n  provider = \"x\"\n}\n"
      "model A {\n  id Int @id\n}\nview V {\n  id Int @unique\n}\nenum E {\n  X\n}\n"
      "type T {\n  x Int\n}\n");
  REQUIRE(p.diags.all().empty());
  REQUIRE(p.file.blocks.size() == 6);
  using K = ast::Block::Kind;
  CHECK(p.file.blocks[0].kind == K::Datasource);
  CHECK(p.file.blocks[1].kind == K::Generator);
  CHECK(p.file.blocks[2].kind == K::Model);
  CHECK(p.file.blocks[3].kind == K::View);
  CHECK(p.file.blocks[4].kind == K::Enum);
  CHECK(p.file.blocks[5].kind == K::Type);
  CHECK(p.file.blocks[4].name.name == "E");
}

TEST_CASE("parser keeps field names, types and their modifiers", "[psl]") {
  auto p = parse_text("model A {\n  id Int @id\n  name String?\n  tags String[]\n  bad Int[]?\n}\n");
  const auto& b = only_block(p);
  REQUIRE(b.fields.size() == 4);
  CHECK(b.fields[1].type->optional);
  CHECK(b.fields[2].type->list);
  CHECK_FALSE(b.fields[2].type->optional);
  CHECK(b.fields[3].type->list);
  CHECK(b.fields[3].type->optional);  // optional lists are rejected by the validator, not here
  CHECK(text_of(p, b.fields[1].type->span) == "String?");
}

TEST_CASE("parser reads Unsupported types with their database type", "[psl]") {
  auto p = parse_text("model A {\n  id Int @id\n  g Unsupported(\"circle\")?\n}\n");
  const auto& f = only_block(p).fields[1];
  REQUIRE(f.type->unsupported);
  CHECK(*f.type->unsupported == "circle");
  CHECK(f.type->optional);
}

TEST_CASE("parser reads field attributes with positional and named arguments", "[psl]") {
  auto p = parse_text(
      "model A {\n  id Int @id @default(autoincrement())\n"
      "  b  B @relation(\"name\", fields: [bId], references: [id], onDelete: Cascade)\n  bId Int\n}\n");
  const auto& b = only_block(p);
  REQUIRE(b.fields[0].attributes.size() == 2);
  CHECK(b.fields[0].attributes[1].name.name == "default");
  const auto& def = *b.fields[0].attributes[1].args[0].value;
  CHECK(def.kind == ast::Expr::Kind::Function);
  CHECK(def.text == "autoincrement");
  const auto& rel = b.fields[1].attributes[0];
  REQUIRE(rel.args.size() == 4);
  CHECK_FALSE(rel.args[0].name);
  CHECK(rel.args[0].value->text == "name");
  CHECK(rel.args[1].name->name == "fields");
  CHECK(rel.args[1].value->kind == ast::Expr::Kind::Array);
  CHECK(rel.args[3].value->kind == ast::Expr::Kind::Constant);
  CHECK(rel.args[3].value->text == "Cascade");
}

TEST_CASE("parser reads native type attributes with dotted names", "[psl]") {
  auto p = parse_text("model A {\n  id String @id @db.VarChar(200)\n  d Decimal @db.Decimal(10, 2)\n}\n");
  const auto& b = only_block(p);
  CHECK(b.fields[0].attributes[1].name.name == "db.VarChar");
  REQUIRE(b.fields[1].attributes[0].args.size() == 2);
  CHECK(b.fields[1].attributes[0].args[1].value->text == "2");
}

TEST_CASE("parser reads block attributes with nested function arguments", "[psl]") {
  auto p = parse_text(
      "model A {\n  a Int\n  b Int\n\n  @@id([a, b])\n"
      "  @@index([a(sort: Desc), b(ops: raw(\"x\"))], type: Gin, map: \"ix\")\n}\n");
  const auto& b = only_block(p);
  REQUIRE(b.attributes.size() == 2);
  CHECK(b.attributes[0].block);
  const auto& items = b.attributes[1].args[0].value->items;
  REQUIRE(items.size() == 2);
  CHECK(items[0].kind == ast::Expr::Kind::Function);
  CHECK(items[0].args[0].name->name == "sort");
  CHECK(items[1].args[0].value->kind == ast::Expr::Kind::Function);
  CHECK(items[1].args[0].value->args[0].value->text == "x");
  CHECK(b.attributes[1].args[2].name->name == "map");
}

TEST_CASE("parser unescapes strings", "[psl]") {
  auto p = parse_text("model A {\n  id String @id @default(\"a\\\"b\\\\c\\n\\u00e9\")\n}\n");
  REQUIRE(p.diags.all().empty());
  CHECK(only_block(p).fields[0].attributes[1].args[0].value->text == "a\"b\\c\n\xc3\xa9");
}

TEST_CASE("parser reads negative and decimal numbers", "[psl]") {
  auto p = parse_text("model A {\n  id Int @id @default(-1)\n  f Float @default(1.5e3)\n}\n");
  REQUIRE(p.diags.all().empty());
  const auto& b = only_block(p);
  CHECK(b.fields[0].attributes[1].args[0].value->text == "-1");
  CHECK(b.fields[1].attributes[0].args[0].value->kind == ast::Expr::Kind::Number);
}

TEST_CASE("parser reads config properties with env() and arrays", "[psl]") {
  auto p = parse_text(
      "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n"
      "  schemas  = [\"a\", \"b\",]\n}\n");
  const auto& b = only_block(p);
  REQUIRE(p.diags.all().empty());
  REQUIRE(b.properties.size() == 3);
  CHECK(b.properties[1].value->kind == ast::Expr::Kind::Function);
  CHECK(b.properties[1].value->args[0].value->text == "DATABASE_URL");
  CHECK(b.properties[2].value->items.size() == 2);  // trailing comma allowed
}

TEST_CASE("parser attaches doc comments to the next declaration", "[psl]") {
  auto p = parse_text("/// The user.\n/// Second line.\nmodel A {\n  /// The id.\n  id Int @id\n}\n");
  const auto& b = only_block(p);
  CHECK(b.documentation == "The user.\nSecond line.");
  CHECK(b.fields[0].documentation == "The id.");
}

TEST_CASE("parser keeps free and trailing comments for the formatter", "[psl]") {
  auto p = parse_text("// top\nmodel A {\n  // inside\n  id Int @id // why\n}\n");
  REQUIRE(p.file.comments.size() == 1);
  CHECK(p.file.comments[0].text == "// top");
  const auto& b = only_block(p);
  REQUIRE(b.comments.size() == 1);
  CHECK(b.comments[0].text == "// inside");
  REQUIRE(b.fields[0].trailing_comment);
  CHECK(b.fields[0].trailing_comment->text == "// why");
}

TEST_CASE("parser records block members in source order with blank lines", "[psl]") {
  auto p = parse_text("model A {\n  a Int\n\n  // c\n  b Int\n  @@id([a])\n}\n");
  using K = ast::BlockMember::Kind;
  const auto& m = only_block(p).members;
  REQUIRE(m.size() == 5);
  CHECK(m[0].kind == K::Field);
  CHECK(m[1].kind == K::EmptyLine);
  CHECK(m[2].kind == K::Comment);
  CHECK(m[3].kind == K::Field);
  CHECK(m[4].kind == K::Attribute);
}

TEST_CASE("parser reads enum values with @map and block attributes", "[psl]") {
  auto p = parse_text("enum Role {\n  USER\n  ADMIN @map(\"admin\")\n\n  @@map(\"roles\")\n}\n");
  const auto& b = only_block(p);
  REQUIRE(b.values.size() == 2);
  CHECK(b.values[1].attributes[0].name.name == "map");
  CHECK(b.attributes[0].name.name == "map");
}

TEST_CASE("parser accepts non-ASCII identifiers", "[psl]") {
  auto p = parse_text("model Schöne {\n  größe Int @id\n}\n");
  CHECK(p.diags.all().empty());
  CHECK(only_block(p).name.name == "Schöne");
}

TEST_CASE("parser spans point at the source text", "[psl]") {
  auto p = parse_text("model A {\n  id   Int @id @default(1)\n}\n");
  const auto& f = only_block(p).fields[0];
  CHECK(text_of(p, f.name.span) == "id");
  CHECK(text_of(p, f.attributes[1].span) == "@default(1)");
  CHECK(at(p, f.attributes[1].span).line == 2);
  CHECK(at(p, f.attributes[1].span).col == 16);
}

TEST_CASE("parser reads /* */ comments", "[psl]") {
  auto p = parse_text("/* a\n   b */\nmodel A {\n  id Int @id /* c */\n}\n");
  CHECK(p.diags.all().empty());
  CHECK(p.file.comments.size() == 1);
  CHECK(only_block(p).fields[0].trailing_comment->text == "/* c */");
}

TEST_CASE("parser accepts CRLF line endings", "[psl]") {
  auto p = parse_text("model A {\r\n  id Int @id\r\n  n String\r\n}\r\n");
  CHECK(p.diags.all().empty());
  CHECK(only_block(p).fields.size() == 2);
}

// ---- syntax errors -------------------------------------------------------------------------

TEST_CASE("a line outside any block is an error at that line", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @id\n}\nfoo bar\n");
  REQUIRE(p.diags.all().size() == 1);
  const auto& d = p.diags.all()[0];
  CHECK(d.message ==
        "Error validating: This line is invalid. It does not start with any known Prisma schema keyword.");
  CHECK(at(p, d.span).line == 4);
  CHECK(at(p, d.span).col == 1);
  CHECK_FALSE(d.hint.empty());
}

TEST_CASE("a field without a type is an error at the field", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @id\n  val\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  const auto& d = p.diags.all()[0];
  CHECK(d.message ==
        "Error validating model \"A\": This field declaration is invalid. It is either missing a name or a type.");
  CHECK(at(p, d.span).line == 3);
  CHECK(at(p, d.span).col == 3);
}

TEST_CASE("an invalid line inside a model is an error and parsing goes on", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @id\n  1 2 3\n  name String\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message ==
        "Error validating model \"A\": This line is not a valid field or attribute definition.");
  CHECK(at(p, p.diags.all()[0].span).line == 3);
  CHECK(only_block(p).fields.size() == 2);
}

TEST_CASE("an invalid line in an enum names the enum", "[psl][errors]") {
  auto p = parse_text("enum E {\n  A\n  B C D\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating enum \"E\": This line is not an enum value definition.");
  CHECK(at(p, p.diags.all()[0].span).line == 3);
  CHECK(at(p, p.diags.all()[0].span).col == 5);
}

TEST_CASE("an unterminated string is an error at the string", "[psl][errors]") {
  auto p = parse_text("model A {\n  id String @id @default(\"abc)\n}\n");
  REQUIRE_FALSE(p.diags.all().empty());
  CHECK(p.diags.all()[0].message == "Error validating: This string is not terminated.");
  CHECK(at(p, p.diags.all()[0].span).line == 2);
  CHECK(at(p, p.diags.all()[0].span).col == 26);
}

TEST_CASE("a block that is never closed is an error at its first line", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @id\n\nmodel B {\n  id Int @id\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: This model block \"A\" is not closed.");
  CHECK(at(p, p.diags.all()[0].span).line == 1);
  CHECK(p.file.blocks.size() == 2);  // B is still read
}

TEST_CASE("a missing closing parenthesis is reported", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @id @default(autoincrement()\n}\n");
  REQUIRE_FALSE(p.diags.all().empty());
  CHECK(p.diags.all()[0].message.find("Expected a closing `)`") != std::string::npos);
  CHECK(at(p, p.diags.all()[0].span).line == 2);
}

TEST_CASE("a missing comma between arguments is reported at the token", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @id\n  @@index([id] map: \"x\")\n}\n");
  REQUIRE_FALSE(p.diags.all().empty());
  CHECK(p.diags.all()[0].message == "Error validating: Expected `,` or `)`.");
  CHECK(at(p, p.diags.all()[0].span).line == 3);
  CHECK(at(p, p.diags.all()[0].span).col == 16);
}

TEST_CASE("every syntax error of a file is reported in one run", "[psl][errors]") {
  auto p = parse_text("oops\nmodel A {\n  id Int @id\n  x\n}\nenum E {\n  A B\n}\nwhat\n");
  CHECK(p.diags.all().size() == 4);
}

TEST_CASE("a datasource line without = is an error", "[psl][errors]") {
  auto p = parse_text("datasource db {\n  provider \"sqlite\"\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message ==
        "Error validating datasource \"db\": This line is not a valid definition within a datasource.");
}

TEST_CASE("parser finishes on hostile input", "[psl][errors]") {
  std::string deep(100000, '[');
  auto a = parse_text("model A {\n  id Int @default(" + deep + ")\n}\n");
  CHECK(a.diags.has_errors());
  auto b = parse_text(std::string("model \0 {", 9) + "\n\n\"\n@@(((");
  CHECK(b.diags.has_errors());
  auto c = parse_text("}}}}{{{{");
  CHECK(c.diags.has_errors());
  auto d = parse_text("");
  CHECK(d.file.blocks.empty());
}
