// `prisma-cpp format`: Prisma's canonical layout, and formatting twice changes nothing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "psl/format.hpp"

#include "psl/parser.hpp"

using prisma_cpp::psl::format_text;

TEST_CASE("format aligns field names, types and attributes", "[format]") {
  CHECK(format_text("model A {\n  id Int @id\n  longName String? @unique\n}\n") ==
        "model A {\n  id       Int     @id\n  longName String? @unique\n}\n");
}

TEST_CASE("format aligns datasource properties on =", "[format]") {
  CHECK(format_text("datasource db {\nprovider = \"sqlite\"\n  url=\"file:x\"\n}\n") ==
        "datasource db {\n  provider = \"sqlite\"\n  url      = \"file:x\"\n}\n");
}

TEST_CASE("format moves block attributes last, in Prisma's order, after a blank line", "[format]") {
  CHECK(format_text("model A {\n  @@map(\"a\")\n  a Int\n  b Int\n  @@index([b])\n  @@id([a, b])\n}\n") ==
        "model A {\n  a Int\n  b Int\n\n  @@id([a, b])\n  @@index([b])\n  @@map(\"a\")\n}\n");
}

TEST_CASE("format orders field attributes as Prisma does", "[format]") {
  CHECK(format_text("model A {\n  id Int @map(\"x\") @default(1) @id\n}\n") ==
        "model A {\n  id Int @id @default(1) @map(\"x\")\n}\n");
}

TEST_CASE("format separates blocks by exactly one blank line", "[format]") {
  CHECK(format_text("\n\nmodel A {\n  id Int @id\n}\n\n\n\nmodel B {\n  id Int @id\n}") ==
        "model A {\n  id Int @id\n}\n\nmodel B {\n  id Int @id\n}\n");
}

TEST_CASE("format keeps comments and trailing comments", "[format]") {
  CHECK(format_text("// head\nmodel A {\n  // c\n  id Int @id   // why\n}\n") ==
        "// head\nmodel A {\n  // c\n  id Int @id // why\n}\n");
}

TEST_CASE("format collapses blank lines inside blocks and drops them at the edges", "[format]") {
  CHECK(format_text("model A {\n\n  a Int @id\n\n\n  b Int\n\n}\n") ==
        "model A {\n  a Int @id\n\n  b Int\n}\n");
}

TEST_CASE("format normalises argument spacing", "[format]") {
  CHECK(format_text("model A {\n  id Int @id\n  b B @relation(fields:[bId],references:[ id ])\n  bId Int\n}\n") ==
        "model A {\n  id  Int @id\n  b   B   @relation(fields: [bId], references: [id])\n  bId Int\n}\n");
}

TEST_CASE("format is idempotent on every schema of the repository and leaves fixtures parseable", "[format]") {
  namespace fs = std::filesystem;
  int n = 0;
  for (const char* dir : {"tests/fixtures", "examples"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(PRISMA_CPP_SOURCE_DIR) / dir)) {
      if (e.path().extension() != ".prisma") continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      std::string once = format_text(ss.str());
      INFO(e.path().string());
      CHECK(format_text(once) == once);
      // Formatting never turns a schema that parses into one that does not.
      prisma_cpp::psl::SourceSet before, after;
      before.files.emplace_back("a.prisma", ss.str());
      after.files.emplace_back("b.prisma", once);
      prisma_cpp::psl::Diagnostics d1, d2;
      prisma_cpp::psl::parse(before[0], 0, d1);
      prisma_cpp::psl::parse(after[0], 0, d2);
      CHECK(d1.has_errors() == d2.has_errors());
      ++n;
    }
  }
  CHECK(n >= 5);
}

TEST_CASE("format can keep attributes in the order written", "[format]") {
  prisma_cpp::psl::FormatOptions keep;
  keep.keep_attribute_order = true;
  CHECK(format_text("model A {\n  @@map(\"a\")\n  id Int @map(\"x\") @id\n}\n", keep) ==
        "model A {\n  id Int @map(\"x\") @id\n\n  @@map(\"a\")\n}\n");
}

TEST_CASE("format aligns enum values and their attributes", "[format]") {
  CHECK(format_text("enum Role {\n  USER @map(\"user\")\n  ADMINISTRATOR\n  X @map(\"x\") // c\n}\n") ==
        "enum Role {\n  USER          @map(\"user\")\n  ADMINISTRATOR\n  X             @map(\"x\") // c\n}\n");
}

TEST_CASE("format keeps doc comments where they are, blank lines included", "[format]") {
  CHECK(format_text("/// A model\nmodel A {\n  /// the id\n\n  id Int @id\n  ///x\n  name String\n}\n") ==
        "/// A model\nmodel A {\n  /// the id\n\n  id   Int    @id\n  ///x\n  name String\n}\n");
}

TEST_CASE("format moves a comment right above a block attribute along with it", "[format]") {
  CHECK(format_text("model A {\n  a Int\n  // why the map\n  @@map(\"as\")\n  b Int\n}\n") ==
        "model A {\n  a Int\n  b Int\n\n  // why the map\n  @@map(\"as\")\n}\n");
}

TEST_CASE("format drops blank lines before block attributes, so the fields around them align", "[format]") {
  CHECK(format_text("model A {\n  a Int\n\n  @@map(\"x\")\n  bbbb String\n}\n") ==
        "model A {\n  a    Int\n  bbbb String\n\n  @@map(\"x\")\n}\n");
}

TEST_CASE("format writes unreadable lines back unchanged without breaking the columns", "[format]") {
  CHECK(format_text("model Post {\n  id   Int @id\n  this is an invalid line\n  anotherField String\n}\n") ==
        "model Post {\n  id           Int    @id\n  this is an invalid line\n  anotherField String\n}\n");
  CHECK(format_text("$ /a/b/c:.\nmodel Post {\n  id Int @id\n}\n") == "$ /a/b/c:.\nmodel Post {\n  id Int @id\n}\n");
  CHECK(format_text("datasource db {\n  provider = \"sqlite\"\n  test\n}\n") ==
        "datasource db {\n  provider = \"sqlite\"\n  test\n}\n");
}

TEST_CASE("format rewrites legacy field syntax the modern way", "[format]") {
  CHECK(format_text("model Site {\n  name: String\n  title String!\n  tags [String]\n}\n") ==
        "model Site {\n  name  String\n  title String\n  tags  String[]\n}\n");
}

TEST_CASE("format keeps trailing comments on properties and block attributes", "[format]") {
  CHECK(format_text("generator c {\n  provider = \"x\"   // p\n  output = \"y\"\n}\nmodel A {\n  id Int\n"
                    "  @@id([id])   // key\n}\n") ==
        "generator c {\n  provider = \"x\" // p\n  output   = \"y\"\n}\n\nmodel A {\n  id Int\n\n"
        "  @@id([id]) // key\n}\n");
}

TEST_CASE("format adds a missing back-relation field", "[format][relations]") {
  CHECK(format_text("model User {\n  id Int @id\n  postId Int\n  post Post @relation(fields: [postId], references: [id])\n}\n\n"
                    "model Post {\n  id Int @id\n}\n") ==
        "model User {\n  id     Int  @id\n  postId Int\n  post   Post @relation(fields: [postId], references: [id])\n}\n\n"
        "model Post {\n  id    Int    @id\n  users User[]\n}\n");
}

TEST_CASE("format adds the forward field and its scalar field for a list without a partner", "[format][relations]") {
  CHECK(format_text("model Blog {\n  id Int @id\n  posts Post[]\n}\n\nmodel Post {\n  id Int @id\n}\n") ==
        "model Blog {\n  id    Int    @id\n  posts Post[]\n}\n\n"
        "model Post {\n  id     Int   @id\n  blog   Blog? @relation(fields: [blogId], references: [id])\n  blogId Int?\n}\n");
}

TEST_CASE("format completes the arguments of an incomplete @relation", "[format][relations]") {
  CHECK(format_text("model Blog {\n  id Int @id\n  posts Post[]\n}\n\nmodel Post {\n  id Int @id\n"
                    "  blog Blog? @relation(fields: [blogId])\n  blogId Int?\n}\n") ==
        "model Blog {\n  id    Int    @id\n  posts Post[]\n}\n\nmodel Post {\n  id     Int   @id\n"
        "  blog   Blog? @relation(fields: [blogId], references: [id])\n  blogId Int?\n}\n");
}

TEST_CASE("format keeps the name of a relation on the side it adds, so a second run changes nothing", "[format][relations]") {
  std::string once = format_text("model A {\n  id Int @id\n  bs B[] @relation(\"ab\")\n}\n\nmodel B {\n  id Int @id\n}\n");
  CHECK(once ==
        "model A {\n  id Int @id\n  bs B[] @relation(\"ab\")\n}\n\n"
        "model B {\n  id  Int  @id\n  a   A?   @relation(\"ab\", fields: [aId], references: [id])\n  aId Int?\n}\n");
  CHECK(format_text(once) == once);
}

TEST_CASE("format completes nothing when a type does not resolve or the file has syntax errors", "[format][relations]") {
  std::string unknown = "model Blog {\n  id    Int     @id\n  posts Post[]\n  x     Missing\n}\n\nmodel Post {\n  id Int @id\n}\n";
  CHECK(format_text(unknown) == unknown);
  std::string broken = "model Blog {\n  id    Int    @id\n  posts Post[]\n  ???\n}\n\nmodel Post {\n  id Int @id\n}\n";
  CHECK(format_text(broken) == broken);
}

TEST_CASE("format completes relations across the files of a schema", "[format][relations]") {
  namespace psl = prisma_cpp::psl;
  psl::SourceSet set;
  set.files.emplace_back("user.prisma", "model User {\n  id Int @id\n  posts Post[]\n}\n");
  set.files.emplace_back("post.prisma", "model Post {\n  id Int @id\n}\n");
  psl::Diagnostics diags;
  std::vector<psl::ast::SchemaFile> files;
  for (std::uint32_t i = 0; i < 2; ++i) files.push_back(psl::parse(set[i], i, diags));
  auto out = psl::format_files(set, files);
  REQUIRE(out.size() == 2);
  CHECK(out[0] == "model User {\n  id    Int    @id\n  posts Post[]\n}\n");
  CHECK(out[1] == "model Post {\n  id     Int   @id\n  user   User? @relation(fields: [userId], references: [id])\n  userId Int?\n}\n");
}
