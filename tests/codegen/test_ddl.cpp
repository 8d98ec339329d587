// emit::ddl against Prisma 7's own `migrate diff --from-empty --script` output: the goldens in
// tests/fixtures/ddl (see its README for how they were made), plus cases that cannot be goldens.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "emit/ddl.hpp"
#include "schema/load.hpp"

namespace {

namespace fs = std::filesystem;
using prisma_cpp::emit::ddl;
using prisma_cpp::emit::Dialect;

const fs::path kFixtures = fs::path(PRISMA_CPP_SOURCE_DIR) / "tests/fixtures/ddl";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The first line that differs, for a message that points at the problem.
std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream w(want), g(got);
  std::string lw, lg;
  for (int line = 1;; ++line) {
    bool hw = static_cast<bool>(std::getline(w, lw)), hg = static_cast<bool>(std::getline(g, lg));
    if (!hw && !hg) return "the texts differ only in their final newline";
    if (lw != lg || hw != hg)
      return "line " + std::to_string(line) + ":\n  Prisma: " + (hw ? lw : "<end>") + "\n  ours:   " + (hg ? lg : "<end>");
  }
}

prisma_cpp::schema::Loaded load(const std::string& text) {
  auto l = prisma_cpp::schema::load_text(text);
  INFO(text);
  REQUIRE(l.ok());
  return l;
}

std::string sqlite(const std::string& schema) { return ddl(load(schema).schema, Dialect::Sqlite); }
std::string postgres(const std::string& schema) { return ddl(load(schema).schema, Dialect::Postgresql); }

}  // namespace

TEST_CASE("DDL equals Prisma's migrate diff byte for byte on every golden schema", "[ddl]") {
  REQUIRE(fs::is_directory(kFixtures));
  std::set<fs::path> schemas;
  for (const auto& e : fs::directory_iterator(kFixtures))
    if (e.path().extension() == ".prisma") schemas.insert(e.path());
  REQUIRE(schemas.size() >= 10);

  int goldens = 0;
  for (const auto& schema : schemas) {
    auto loaded = prisma_cpp::schema::load_path(schema);
    INFO(schema.filename().string());
    REQUIRE(loaded.ok());
    for (auto [dialect, suffix] : {std::pair{Dialect::Sqlite, ".sqlite.sql"}, std::pair{Dialect::Postgresql, ".postgresql.sql"}}) {
      fs::path golden = schema;
      golden.replace_extension(suffix);
      if (!fs::exists(golden)) continue;
      ++goldens;
      std::string want = read(golden), got = ddl(loaded.schema, dialect);
      INFO(golden.filename().string() << "\n" << first_difference(want, got));
      CHECK(got == want);
    }
  }
  CHECK(goldens >= 17);
}

TEST_CASE("DDL of a schema without tables is Prisma's empty-migration comment", "[ddl]") {
  CHECK(sqlite("datasource db {\n  provider = \"sqlite\"\n}\n") == "-- This is an empty migration.\n");
  CHECK(postgres("datasource db {\n  provider = \"postgresql\"\n}\n") == "-- This is an empty migration.\n");
}

TEST_CASE("DDL copies Prisma's unquoted Json default on SQLite", "[ddl]") {
  // Prisma writes this invalid SQLite default; matching it keeps our DDL interchangeable with its
  // migrations, so it is checked here instead of in a golden that must run.
  std::string got = sqlite(R"(datasource db {
  provider = "sqlite"
}
model A {
  id Int    @id
  j  Json   @default("{\"a\": [1, \"x\"]}")
  s  String @unique(map: "sqlite_autoindex_custom")
}
)");
  CHECK(got == R"(-- CreateTable
CREATE TABLE "A" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "j" JSONB NOT NULL DEFAULT {"a": [1, "x"]},
    "s" TEXT NOT NULL
);

-- CreateIndex
Pragma writable_schema=1;
CREATE UNIQUE INDEX "sqlite_autoindex_custom" ON "A"("s");
Pragma writable_schema=0;
)");
}

TEST_CASE("DDL writes PostgreSQL extensions sorted, with their schema and version", "[ddl]") {
  // Not a golden: creating these needs contrib extensions in the test server's catalogue.
  const std::string schema = R"(generator c {
  provider        = "prisma-client"
  previewFeatures = ["postgresqlExtensions"]
}
datasource db {
  provider   = "postgresql"
  extensions = [pgcrypto(schema: "public"), citext(version: "1.6"), uuid_ossp(map: "uuid-ossp", schema: "x", version: "1.1")]
}
model A {
  id Int @id
}
)";
  // Prisma 7's output for this schema.
  CHECK(postgres(schema) == R"(-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "citext" WITH VERSION "1.6";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pgcrypto" WITH SCHEMA "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA "x" VERSION "1.1";

-- CreateTable
CREATE TABLE "A" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "A_pkey" PRIMARY KEY ("id")
);
)");
  // Without the details (an IR built by other means), the names alone.
  auto l = load(schema);
  REQUIRE(l.schema.datasource);
  l.schema.datasource->extension_args.clear();
  CHECK(ddl(l.schema, Dialect::Postgresql).find("CREATE EXTENSION IF NOT EXISTS \"citext\";\n\n"
                                                "-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS \"pgcrypto\";\n\n"
                                                "-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS \"uuid_ossp\";\n") !=
        std::string::npos);
}

TEST_CASE("DDL gives implicit autoincrement to a single Int id on SQLite only", "[ddl]") {
  const std::string schema = R"(datasource db {
  provider = "sqlite"
}
model A {
  id Int @id
}
model B {
  id BigInt @id @default(autoincrement())
}
)";
  CHECK(sqlite(schema).find(R"("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT)") != std::string::npos);
  CHECK(sqlite(schema).find(R"("id" BIGINT NOT NULL PRIMARY KEY)" "\n") != std::string::npos);
  CHECK(postgres(schema).find(R"("id" INTEGER NOT NULL,)") != std::string::npos);
  CHECK(postgres(schema).find(R"("id" BIGSERIAL NOT NULL,)") != std::string::npos);
}

TEST_CASE("DDL orders a model's indexes as Prisma does, not as written", "[ddl]") {
  // Field attributes first, then every @@index, then every @@unique.
  std::string got = sqlite(R"(datasource db {
  provider = "sqlite"
}
model M {
  id Int    @id
  b  String @unique
  c  String
  d  String
  @@unique([c, d])
  @@index([d])
  @@unique([d, c])
  @@index([c])
  e  String @unique
}
)");
  auto at = [&](const char* name) { return got.find(name); };
  CHECK(at("\"M_b_key\"") < at("\"M_e_key\""));
  CHECK(at("\"M_e_key\"") < at("\"M_d_idx\""));
  CHECK(at("\"M_d_idx\"") < at("\"M_c_idx\""));
  CHECK(at("\"M_c_idx\"") < at("\"M_c_d_key\""));
  CHECK(at("\"M_c_d_key\"") < at("\"M_d_c_key\""));
  CHECK(at("\"M_d_c_key\"") != std::string::npos);
}
