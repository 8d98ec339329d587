// emit::ir_json (our IR dump) and emit::dmmf_json (Prisma's DMMF datamodel, against Prisma 7's
// own output stored next to the DDL goldens in tests/fixtures/ddl).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "emit/json.hpp"
#include "json_value.hpp"
#include "schema/load.hpp"

namespace {

namespace fs = std::filesystem;
using prisma_test::JsonValue;
using prisma_test::parse_json;

const fs::path kFixtures = fs::path(PRISMA_CPP_SOURCE_DIR) / "tests/fixtures/ddl";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

prisma_cpp::schema::Loaded load(const std::string& text) {
  auto l = prisma_cpp::schema::load_text(text);
  INFO(text);
  REQUIRE(l.ok());
  return l;
}

const char* kBlog = R"(datasource db {
  provider = "postgresql"
  schemas  = ["public", "audit"]
}

generator client {
  provider        = "prisma-cpp"
  output          = "gen"
  previewFeatures = ["views"]
  namespace       = "blog"
}

/// Who may do what.
enum Role {
  USER  @map("user")
  ADMIN

  @@schema("public")
}

/// A "writer" \ author.
model User {
  id      Int      @id @default(autoincrement())
  email   String   @unique @db.VarChar(200)
  role    Role     @default(USER)
  posts   Post[]
  tags    Tag[]

  @@map("users")
  @@schema("public")
}

model Post {
  id       Int    @id
  title    String @default("say \"hi\"")
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  authorId Int

  @@index([title(sort: Desc)], map: "post_title")
  @@schema("audit")
}

model Tag {
  id    Int    @id
  users User[]

  @@schema("public")
}

model Pair {
  a Int
  b Int

  @@id([a, b], name: "ab")
  @@schema("audit")
}
)";

std::vector<std::string> keys(const JsonValue& v) { return v.key_order; }

}  // namespace

TEST_CASE("IR JSON is valid JSON with a fixed key order and every part of the IR", "[json]") {
  auto l = load(kBlog);
  std::string text = prisma_cpp::emit::ir_json(l.schema);
  CHECK(text == prisma_cpp::emit::ir_json(l.schema));
  CHECK(text.back() == '\n');
  JsonValue root = parse_json(text);

  CHECK(keys(root) == std::vector<std::string>{"provider", "datasource", "generators", "enums", "models",
                                               "compositeTypes", "relations"});
  CHECK(root.at("provider").string == "postgresql");
  const JsonValue& ds = root.at("datasource");
  CHECK(ds.at("schemas").array.size() == 2);
  CHECK(ds.has("relationMode"));
  CHECK(ds.has("extensions"));
  const JsonValue& gen = root.at("generators").array.at(0);
  CHECK(gen.at("output").string == "gen");
  CHECK(gen.at("previewFeatures").array.at(0).string == "views");
  CHECK(gen.at("config").at("namespace").string == "blog");

  const JsonValue& role = root.at("enums").array.at(0);
  CHECK(role.at("documentation").string == "Who may do what.");
  CHECK(role.at("values").array.at(0).at("dbName").string == "user");
  CHECK(role.at("schema").string == "public");

  const JsonValue& user = root.at("models").array.at(0);
  CHECK(keys(user) == std::vector<std::string>{"name", "dbName", "schema", "isView", "isIgnored", "fields",
                                               "primaryKey", "indexes", "documentation", "span"});
  CHECK(user.at("dbName").string == "users");
  CHECK(user.at("documentation").string == "A \"writer\" \\ author.");
  const JsonValue& email = user.at("fields").array.at(1);
  CHECK(keys(email) == std::vector<std::string>{"name", "dbName", "kind", "type", "scalarType", "enum",
                                                "relatedModel", "relation", "isOptional", "isList", "isId",
                                                "isUnique", "isUpdatedAt", "isIgnored", "isReadOnly", "default",
                                                "nativeType", "documentation", "span"});
  CHECK(email.at("nativeType").at("name").string == "VarChar");
  CHECK(email.at("nativeType").at("args").array.at(0).string == "200");
  CHECK(user.at("fields").array.at(0).at("default").at("kind").string == "autoincrement");
  CHECK(user.at("fields").array.at(2).at("enum").string == "Role");
  CHECK(user.at("fields").array.at(3).at("relatedModel").string == "Post");
  CHECK(user.at("primaryKey").at("dbName").string == "users_pkey");
  CHECK(user.at("indexes").array.at(0).at("dbName").string == "users_email_key");

  const JsonValue& post = root.at("models").array.at(1);
  CHECK(post.at("fields").array.at(1).at("default").at("value").string == "say \"hi\"");
  CHECK(post.at("indexes").array.at(0).at("fields").array.at(0).at("sort").string == "desc");
  const JsonValue& pair = root.at("models").array.at(3);
  CHECK(pair.at("primaryKey").at("name").string == "ab");
  CHECK(pair.at("primaryKey").at("definedOnField").boolean == false);
  CHECK(pair.at("primaryKey").at("fields").array.size() == 2);

  const auto& relations = root.at("relations").array;
  REQUIRE(relations.size() == 2);
  std::set<std::string> kinds;
  for (const auto& r : relations) {
    kinds.insert(r.at("kind").string);
    if (r.at("kind").string == "oneToMany") {
      CHECK(r.at("modelA").string == "Post");
      CHECK(r.at("fields").array.at(0).string == "authorId");
      CHECK(r.at("onDelete").string == "Cascade");
      CHECK(r.at("onDeleteExplicit").boolean);
      CHECK(r.at("fkName").string == "Post_authorId_fkey");
    } else {
      CHECK(r.at("joinTable").string == "_TagToUser");
    }
  }
  CHECK(kinds == std::set<std::string>{"oneToMany", "manyToMany"});
}

TEST_CASE("IR JSON escapes every string so it reads back unchanged", "[json]") {
  auto l = load(kBlog);
  const std::string nasty = std::string("quote \" backslash \\ newline \n tab \t bell \x07 nul-free \x1f ") +
                            "unicode \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 slash /";
  l.schema.models[0].documentation = nasty;
  l.schema.models[0].fields[0].name = nasty;
  JsonValue root = parse_json(prisma_cpp::emit::ir_json(l.schema));
  CHECK(root.at("models").array.at(0).at("documentation").string == nasty);
  CHECK(root.at("models").array.at(0).at("fields").array.at(0).at("name").string == nasty);
  CHECK(prisma_cpp::emit::ir_json(l.schema).find('\x07') == std::string::npos);
}

TEST_CASE("DMMF datamodel equals Prisma's getDMMF() on every golden schema", "[json][dmmf]") {
  REQUIRE(fs::is_directory(kFixtures));
  int compared = 0;
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    if (e.path().extension() != ".prisma") continue;
    fs::path golden = e.path();
    golden.replace_extension(".dmmf.json");
    INFO(e.path().filename().string());
    REQUIRE(fs::exists(golden));
    auto loaded = prisma_cpp::schema::load_path(e.path());
    REQUIRE(loaded.ok());
    std::string ours = prisma_cpp::emit::dmmf_json(loaded.schema);
    std::string difference = prisma_test::json_difference(parse_json(read(golden)), parse_json(ours));
    INFO(difference);
    CHECK(difference.empty());
    ++compared;
  }
  CHECK(compared >= 10);
}

TEST_CASE("DMMF datamodel is pretty-printed with Prisma's keys in Prisma's order", "[json][dmmf]") {
  auto l = load(kBlog);
  std::string text = prisma_cpp::emit::dmmf_json(l.schema);
  CHECK(text.rfind("{\n  \"enums\": [\n    {\n      \"name\": \"Role\",", 0) == 0);
  JsonValue root = parse_json(text);
  CHECK(keys(root) == std::vector<std::string>{"enums", "models", "types", "indexes"});
  const JsonValue& user = root.at("models").array.at(0);
  CHECK(keys(user) == std::vector<std::string>{"name", "dbName", "schema", "fields", "primaryKey", "uniqueFields",
                                               "uniqueIndexes", "isGenerated", "documentation"});
  CHECK(keys(user.at("fields").array.at(1)) ==
        std::vector<std::string>{"name", "kind", "isList", "isRequired", "isUnique", "isId", "isReadOnly",
                                 "hasDefaultValue", "type", "nativeType", "isGenerated", "isUpdatedAt"});
  const JsonValue& author = root.at("models").array.at(1).at("fields").array.at(2);
  CHECK(author.at("relationFromFields").array.at(0).string == "authorId");
  CHECK(author.at("relationOnDelete").string == "Cascade");
  CHECK(!author.has("relationOnUpdate"));
  // Prisma lists a model's primary key first, then its indexes in its own order.
  const auto& indexes = root.at("indexes").array;
  CHECK(indexes.at(0).at("type").string == "id");
  CHECK(indexes.at(1).at("type").string == "unique");
  CHECK(!indexes.at(1).has("dbName"));  // a generated name is not written
  CHECK(indexes.at(3).at("dbName").string == "post_title");
}
