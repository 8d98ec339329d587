// `prisma-cpp format`: Prisma's canonical layout, and formatting twice changes nothing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "psl/format.hpp"

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

TEST_CASE("format is idempotent on every schema of the repository", "[format]") {
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
