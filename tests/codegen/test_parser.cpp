// The PSL parser: every construct lands in the tree with its span; syntax errors are reported
// at their line and column, all of them in one run, and parsing always finishes.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

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

TEST_CASE("parser keeps doc comments on the next block and field", "[psl]") {
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


TEST_CASE("parser reads every field attribute form, known or not", "[psl]") {
  auto p = parse_text(
      "model A {\n"
      "  id    String   @id @unique @default(uuid(7)) @map(\"_id\") @db.VarChar(200)\n"
      "  at    DateTime @updatedAt @ignore\n"
      "  x     Int      @custom @ns.thing(a: 1, b: [x, y])\n"
      "}\n");
  REQUIRE(p.diags.all().empty());
  const auto& b = only_block(p);
  std::vector<std::string> names;
  for (const auto& f : b.fields)
    for (const auto& a : f.attributes) names.push_back(a.name.name);
  CHECK(names == std::vector<std::string>{"id", "unique", "default", "map", "db.VarChar", "updatedAt",
                                          "ignore", "custom", "ns.thing"});
  const auto& uuid = *b.fields[0].attributes[2].args[0].value;
  CHECK(uuid.kind == ast::Expr::Kind::Function);
  CHECK(uuid.args[0].value->text == "7");
  CHECK_FALSE(b.fields[2].attributes[0].has_parens);
  CHECK(b.fields[2].attributes[1].args[1].value->items.size() == 2);
}

TEST_CASE("parser reads every block attribute form", "[psl]") {
  auto p = parse_text(
      "model A {\n  a Int\n  b String\n\n  @@id([a, b])\n  @@unique([b], name: \"bu\")\n"
      "  @@index([a(sort: Desc)], type: BTree)\n  @@fulltext([b])\n  @@map(\"as\")\n"
      "  @@schema(\"s\")\n  @@ignore\n  @@whatever.thing(1)\n}\n");
  REQUIRE(p.diags.all().empty());
  std::vector<std::string> names;
  for (const auto& a : only_block(p).attributes) {
    CHECK(a.block);
    names.push_back(a.name.name);
  }
  CHECK(names == std::vector<std::string>{"id", "unique", "index", "fulltext", "map", "schema", "ignore",
                                          "whatever.thing"});
}

TEST_CASE("parser reads calls with no, positional and named arguments", "[psl]") {
  auto p = parse_text(
      "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
      "model A {\n  id Int @id @default(autoincrement())\n  t DateTime @default(now())\n"
      "  g String @default(dbgenerated(\"gen_random_uuid()\"))\n}\n");
  REQUIRE(p.diags.all().empty());
  const auto& m = p.file.blocks[1];
  const auto& inc = *m.fields[0].attributes[1].args[0].value;
  CHECK(inc.kind == ast::Expr::Kind::Function);
  CHECK(inc.args.empty());
  CHECK(m.fields[2].attributes[0].args[0].value->args[0].value->text == "gen_random_uuid()");
}

TEST_CASE("parser reads dotted constants, booleans and empty named arguments", "[psl]") {
  auto p = parse_text("model A {\n  id Int @id\n  r Role @default(Role.USER)\n  b Boolean @default(true)\n"
                      "  @@index([id], map:)\n}\n");
  REQUIRE(p.diags.all().empty());
  const auto& b = only_block(p);
  CHECK(b.fields[1].attributes[0].args[0].value->kind == ast::Expr::Kind::Constant);
  CHECK(b.fields[1].attributes[0].args[0].value->text == "Role.USER");
  CHECK(b.fields[2].attributes[0].args[0].value->text == "true");
  const auto& empty = b.attributes[0].args[1];
  CHECK(empty.name->name == "map");
  CHECK_FALSE(empty.value);  // the validator reports it with the attribute's name
}

TEST_CASE("parser keeps doc comments on enum values and config properties", "[psl]") {
  auto p = parse_text("generator c {\n  /// where\n  provider = \"x\"\n}\nenum E {\n  /// first\n  A\n}\n");
  REQUIRE(p.diags.all().empty());
  CHECK(p.file.blocks[0].properties[0].documentation == "where");
  CHECK(p.file.blocks[1].values[0].documentation == "first");
}

TEST_CASE("parser keeps top-level doc comments followed by a blank line as free comments", "[psl]") {
  // Inside a block Prisma attaches them to the next declaration even across a blank line.
  auto p = parse_text("/// floating\n\nmodel A {\n  /// the id\n\n  id Int @id\n}\n");
  REQUIRE(p.diags.all().empty());
  const auto& b = only_block(p);
  CHECK(b.documentation.empty());
  CHECK(b.fields[0].documentation == "the id");
  using K = ast::TopMember::Kind;
  REQUIRE(p.file.members.size() == 3);
  CHECK(p.file.members[0].kind == K::Comment);
  CHECK(p.file.members[1].kind == K::EmptyLine);
  CHECK(p.file.members[2].kind == K::Block);
}

TEST_CASE("parser keeps trailing comments on block attributes, enum values and properties", "[psl]") {
  auto p = parse_text("datasource db {\n  provider = \"sqlite\" // local\n}\n"
                      "enum E {\n  A // first\n}\nmodel M {\n  id Int\n  @@id([id]) // key\n}\n");
  REQUIRE(p.diags.all().empty());
  CHECK(p.file.blocks[0].properties[0].trailing_comment->text == "// local");
  CHECK(p.file.blocks[1].values[0].trailing_comment->text == "// first");
  CHECK(p.file.blocks[2].attributes[0].trailing_comment->text == "// key");
}

TEST_CASE("parser keeps optional lists and Int[]! for the validator to reject", "[psl]") {
  auto p = parse_text("model A {\n  id Int @id\n  a Unsupported(\"x\")[]?\n  b Int[]!\n}\n");
  REQUIRE(p.diags.all().empty());
  const auto& b = only_block(p);
  CHECK(b.fields[1].type->unsupported == std::optional<std::string>("x"));
  CHECK(b.fields[1].type->list);
  CHECK(b.fields[1].type->optional);
  CHECK(b.fields[2].type->legacy_required_list);
}

TEST_CASE("parser spans carry the file index and byte offsets", "[psl]") {
  SourceSet set;
  set.files.emplace_back("a.prisma", "model A {\n  id Int @id\n}\n");
  set.files.emplace_back("b.prisma", "\n\nmodel B {\n  id Int @id\n}\n");
  Diagnostics diags;
  auto f = parse(set[1], 1, diags);
  REQUIRE(f.blocks.size() == 1);
  CHECK(f.file == 1);
  CHECK(f.blocks[0].span.file == 1);
  CHECK(f.blocks[0].fields[0].name.span.file == 1);
  CHECK(f.blocks[0].span.start == 2);
  CHECK(set[1].line_col(f.blocks[0].fields[0].name.span.start).line == 4);
}

TEST_CASE("parser keeps composite types apart from models", "[psl]") {
  auto p = parse_text("type Address {\n  street String\n  zip    String? @map(\"z\")\n}\n");
  REQUIRE(p.diags.all().empty());
  CHECK(only_block(p).kind == ast::Block::Kind::Type);
  CHECK(only_block(p).fields.size() == 2);
}

TEST_CASE("parser reads a large schema quickly", "[psl]") {
  std::string text = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n";
  for (int m = 0; m < 600; ++m) {
    text += "/// Model " + std::to_string(m) + "\nmodel M" + std::to_string(m) + " {\n";
    text += "  id Int @id @default(autoincrement())\n";
    for (int f = 0; f < 12; ++f)
      text += "  field_" + std::to_string(f) + " String? @db.VarChar(255) // note\n";
    text += "\n  @@index([field_1, field_2], map: \"ix_" + std::to_string(m) + "\")\n}\n\n";
  }
  REQUIRE(text.size() > 300000);
  auto start = std::chrono::steady_clock::now();
  auto p = parse_text(text);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  CHECK(p.diags.all().empty());
  CHECK(p.file.blocks.size() == 601);
  CHECK(ms < 1000);  // a few ms in a release build; this only catches quadratic behaviour
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
        "Error validating: This line is not a valid field or attribute definition.");
  CHECK(at(p, p.diags.all()[0].span).line == 3);
  CHECK(only_block(p).fields.size() == 2);
}

TEST_CASE("an invalid line in an enum names the enum", "[psl][errors]") {
  auto p = parse_text("enum E {\n  A\n  B C D\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: This line is not an enum value definition.");
  CHECK(at(p, p.diags.all()[0].span).line == 3);
  CHECK(at(p, p.diags.all()[0].span).col == 3);
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
        "Error validating: This line is not a valid definition within a datasource.");
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

TEST_CASE("a field line with anything left over is one invalid line, kept verbatim", "[psl][errors]") {
  auto p = parse_text("model Post {\n  id   Int @id\n  this is an invalid line\n  anotherField String\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  const auto& d = p.diags.all()[0];
  CHECK(d.message == "Error validating: This line is not a valid field or attribute definition.");
  CHECK(at(p, d.span).line == 3);
  CHECK(at(p, d.span).col == 3);
  CHECK(text_of(p, d.span) == "this is an invalid line");
  const auto& b = only_block(p);
  CHECK(b.fields.size() == 2);
  REQUIRE(b.invalid_lines.size() == 1);
  CHECK(b.invalid_lines[0].text == "this is an invalid line");
  CHECK(b.members[1].kind == ast::BlockMember::Kind::Invalid);
}

TEST_CASE("legacy field syntax is reported in Prisma's words and the field is kept", "[psl][errors]") {
  auto p = parse_text("model Site {\n  name: String\n  title String!\n  tags [String]\n}\n");
  REQUIRE(p.diags.all().size() == 3);
  const auto& d = p.diags.all();
  CHECK(d[0].message == "Field declarations don't require a `:`.");
  CHECK(at(p, d[0].span).line == 2);
  CHECK(at(p, d[0].span).col == 7);
  CHECK(d[1].message == "Fields are required by default, `!` is no longer required.");
  CHECK(at(p, d[1].span).col == 9);
  CHECK(text_of(p, d[1].span) == "String!");
  CHECK(d[2].message == "To specify a list, please use `Type[]` instead of `[Type]`.");
  CHECK(text_of(p, d[2].span) == "[String]");
  const auto& b = only_block(p);
  REQUIRE(b.fields.size() == 3);
  CHECK(b.fields[0].type->name.name == "String");
  CHECK_FALSE(b.fields[1].type->optional);
  CHECK(b.fields[2].type->list);
}

TEST_CASE("a top-level block with an unknown keyword is one error and one verbatim item", "[psl][errors]") {
  auto p = parse_text("foo {\n  x y\n}\nmodel A {\n  id Int @id\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  const auto& d = p.diags.all()[0];
  CHECK(d.message ==
        "Error validating: This block is invalid. It does not start with any known Prisma schema keyword. "
        "Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.");
  CHECK(at(p, d.span).line == 1);
  CHECK(at(p, d.span).col == 1);
  REQUIRE(p.file.invalid_lines.size() == 1);
  CHECK(p.file.invalid_lines[0].text == "foo {\n  x y\n}");
  CHECK(p.file.members[0].kind == ast::TopMember::Kind::Invalid);
  CHECK(p.file.blocks.size() == 1);
}

TEST_CASE("a block header without its brace is an error and kept verbatim", "[psl][errors]") {
  auto p = parse_text("model User {\n  id Int @id\n}\nmodel Bl");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message.find("This block is invalid. A model block is written") != std::string::npos);
  CHECK(at(p, p.diags.all()[0].span).line == 4);
  CHECK(p.file.blocks.size() == 1);
  REQUIRE(p.file.invalid_lines.size() == 1);
  CHECK(p.file.invalid_lines[0].text == "model Bl");
}

TEST_CASE("a type alias is rejected with Prisma's message", "[psl][errors]") {
  auto p = parse_text("type Id = String @id\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message ==
        "Error validating: Invalid type definition. Please check the documentation in "
        "https://pris.ly/d/composite-types");
  CHECK(at(p, p.diags.all()[0].span).col == 1);
}

TEST_CASE("text after the opening brace is an error on that line", "[psl][errors]") {
  auto p = parse_text("model A { id Int @id\n  name String\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: This line is not a valid field or attribute definition.");
  CHECK(at(p, p.diags.all()[0].span).line == 1);
  CHECK(at(p, p.diags.all()[0].span).col == 11);
  CHECK(only_block(p).fields.size() == 1);
}

TEST_CASE("a block attribute in a datasource is an error", "[psl][errors]") {
  auto p = parse_text("datasource db {\n  provider = \"sqlite\"\n  @@map(\"x\")\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: This line is not a valid definition within a datasource.");
  CHECK(at(p, p.diags.all()[0].span).line == 3);
  CHECK(at(p, p.diags.all()[0].span).col == 3);
}

TEST_CASE("an argument list ends at its line, so the next line still parses", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @id @default(autoincrement()\n  name String\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: Expected a closing `)`.");
  CHECK(at(p, p.diags.all()[0].span).line == 2);
  CHECK(at(p, p.diags.all()[0].span).col == 22);
  const auto& b = only_block(p);
  REQUIRE(b.fields.size() == 1);
  CHECK(b.fields[0].name.name == "name");
  CHECK(b.invalid_lines.size() == 1);  // the broken line is kept for the formatter
}

TEST_CASE("an unclosed list is reported at its opening bracket", "[psl][errors]") {
  auto p = parse_text("model A {\n  a Int\n  @@id([a\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: Expected a closing `]`.");
  CHECK(at(p, p.diags.all()[0].span).line == 3);
  CHECK(at(p, p.diags.all()[0].span).col == 8);
}

TEST_CASE("an attribute without a name is reported at the @", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @ id\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: This attribute has no name.");
  CHECK(at(p, p.diags.all()[0].span).col == 10);
}

TEST_CASE("an unclosed block comment is reported", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @id\n}\n/* never closed\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: This comment is not closed.");
  CHECK(at(p, p.diags.all()[0].span).line == 4);
}

TEST_CASE("values nested too deeply give one error", "[psl][errors]") {
  auto p = parse_text("model A {\n  id Int @default(" + std::string(200, '[') + ")\n  b Int\n}\n");
  REQUIRE(p.diags.all().size() == 1);
  CHECK(p.diags.all()[0].message == "Error validating: This value is nested too deeply.");
  CHECK(only_block(p).fields.size() == 1);
}

TEST_CASE("parser finishes on every prefix of a schema", "[psl][errors]") {
  const std::string full =
      "/// doc\ndatasource db {\n  provider = \"sqlite\" // x\n}\nmodel A {\n  id Int @id @default(dbgenerated(\"a\\\"b\"))\n"
      "  b B? @relation(fields: [bId], references: [id])\n  bId Int?\n  @@index([id(sort: Desc)])\n}\n"
      "enum E {\n  X @map(\"x\")\n}\n/* c */\n";
  for (std::size_t n = 0; n <= full.size(); ++n) {
    auto p = parse_text(full.substr(0, n));
    CHECK(p.file.blocks.size() <= 3);
  }
}

TEST_CASE("NUL bytes, lone carriage returns and tabs do not derail the parser", "[psl][errors]") {
  std::string nul = "model A {\n  id Int @id\n  ";
  nul += '\0';
  nul += "x Int\n}\n";
  auto a = parse_text(nul);
  CHECK(a.diags.all().size() == 1);
  CHECK(only_block(a).fields.size() == 1);
  auto b = parse_text("model A {\r  id Int @id\r}\r");
  CHECK(b.diags.has_errors());
  auto c = parse_text("model A {\n\tid\tInt\t@id\n}\n");
  CHECK(c.diags.all().empty());
  CHECK(only_block(c).fields[0].type->name.name == "Int");
}
