// Schema validation errors: each case pins the exact line, column and message Prisma itself
// reports for the same schema (checked with Prisma 7's validator), plus the hint we add.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "schema/load.hpp"

namespace {

using prisma_cpp::psl::Severity;

struct Expected {
  std::uint32_t line;
  std::uint32_t col;
  std::string message;
};

std::string describe(const std::vector<Expected>& v) {
  std::string s;
  for (const auto& e : v) s += "  " + std::to_string(e.line) + ":" + std::to_string(e.col) + ": " + e.message + "\n";
  return s;
}

// Every error of `schema`, as line:col:message, sorted by position.
std::vector<Expected> errors_of(const std::string& schema) {
  auto loaded = prisma_cpp::schema::load_text(schema);
  std::vector<Expected> out;
  for (const auto& d : loaded.diagnostics.all()) {
    if (d.severity != Severity::Error) continue;
    INFO("no hint for: " << d.message);
    CHECK_FALSE(d.hint.empty());  // every error says how to fix it
    auto lc = loaded.sources[d.span.file].line_col(d.span.start);
    out.push_back({lc.line, lc.col, d.message});
  }
  auto key = [](const Expected& e) { return std::tie(e.line, e.col, e.message); };
  std::stable_sort(out.begin(), out.end(), [&](const Expected& a, const Expected& b) { return key(a) < key(b); });
  return out;
}

void expect_errors(const std::string& schema, std::vector<Expected> expected) {
  auto key = [](const Expected& e) { return std::tie(e.line, e.col, e.message); };
  std::stable_sort(expected.begin(), expected.end(), [&](const Expected& a, const Expected& b) { return key(a) < key(b); });
  auto got = errors_of(schema);
  INFO("expected:\n" << describe(expected) << "got:\n" << describe(got));
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].line == expected[i].line);
    CHECK(got[i].col == expected[i].col);
    CHECK(got[i].message == expected[i].message);
  }
}

}  // namespace

TEST_CASE("an unknown field type is an error at the type name", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  email Strin
}
)psl",
                {{7, 9, "Type \"Strin\" is neither a built-in type, nor refers to another model, composite type, or enum."}});
}

TEST_CASE("an unknown type in a relation position is an error at the type name", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model Post {
  id     Int  @id
  author Usr
}
)psl",
                {{7, 10, "Type \"Usr\" is neither a built-in type, nor refers to another model, composite type, or enum."}});
}

TEST_CASE("a model name used twice is an error at the second name", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id Int @id
}

model User {
  id Int @id
}
)psl",
                {{9, 7, "The model \"User\" cannot be defined because a model with that name already exists."}});
}

TEST_CASE("an enum named like a model is an error at the enum name", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model Role {
  id Int @id
}

enum Role {
  ADMIN
}
)psl",
                {{9, 6, "The enum \"Role\" cannot be defined because a model with that name already exists."}});
}

TEST_CASE("a repeated field is an error at the second field name", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  email String
  email String
}
)psl",
                {{8, 3, "Field \"email\" is already defined on model \"User\"."}});
}

TEST_CASE("a repeated enum value is an error at the second value", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

enum Role {
  USER
  ADMIN
  USER
}
)psl",
                {{8, 3, "Value \"USER\" is already defined on enum \"Role\"."}});
}

TEST_CASE("a model without any unique criterion is an error at the model", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model Log {
  message String
}
)psl",
                {{5, 1, "Error validating model \"Log\": Each model must have at least one unique criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model."}});
}

TEST_CASE("a model whose only unique field is optional lists the loose criteria", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model Log {
  message String? @unique
}
)psl",
                {{5, 1, "Error validating model \"Log\": Each model must have at least one unique criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model. The following unique criterias were not considered as they contain fields that are not required:\n- message"}});
}

TEST_CASE("a relation without an opposite field is an error at the relation field", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id Int @id
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
)psl",
                {{12, 3, "Error validating field `author` in model `Post`: The relation field `author` on model `Post` is missing an opposite relation field on the model `User`. Either run `prisma format` or add it manually."}});
}

TEST_CASE("a list relation without an opposite field is an error at the list field", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id Int @id
}
)psl",
                {{7, 3, "Error validating field `posts` in model `User`: The relation field `posts` on model `User` is missing an opposite relation field on the model `Post`. Either run `prisma format` or add it manually."}});
}

TEST_CASE("two unnamed relations to the same model are ambiguous", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id      Int    @id
  written Post[] @relation("written")
  edited  Post[] @relation("edited")
}

model Post {
  id       Int  @id
  authorId Int
  editorId Int
  author   User @relation(fields: [authorId], references: [id])
  editor   User @relation(fields: [editorId], references: [id])
}
)psl",
                {{15, 3, "Error validating model \"Post\": Ambiguous relation detected. The fields `author` and `editor` in model `Post` both refer to `User`. Please provide different relation names for them by adding `@relation(<name>)."}});
}

TEST_CASE("an unnamed self relation pair is ambiguous", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model Person {
  id        Int      @id
  parentId  Int?
  parent    Person?  @relation(fields: [parentId], references: [id])
  children  Person[]
  friends   Person[]
}
)psl",
                {{8, 3, "Error validating model \"Person\": Unnamed self relation detected. The fields `parent`, `children` and `friends` in model `Person` have no relation name. Please provide a relation name for one of them by adding `@relation(<name>)."}});
}

TEST_CASE("fields and references of different lengths are an error at the relation attribute", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  orgId    Int
  author   User @relation(fields: [authorId, orgId], references: [id])
}
)psl",
                {{14, 17, "Error validating: You must specify the same number of fields in `fields` and `references`."}});
}

TEST_CASE("fields and references of different types are an error at the relation field", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    String @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
)psl",
                {{13, 3, "Error parsing attribute \"@relation\": The type of the field `authorId` in the model `Post` is not matching the type of the referenced field `id` in model `User`."}});
}

TEST_CASE("references to a non unique field are an error at the relation field", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  email String
  posts Post[]
}

model Post {
  id          Int    @id
  authorEmail String
  author      User   @relation(fields: [authorEmail], references: [email])
}
)psl",
                {{14, 3, "Error parsing attribute \"@relation\": The argument `references` must refer to a unique criterion in the related model. Consider adding an `@unique` attribute to the field `email` in the model `User`."}});
}

TEST_CASE("references to several non unique fields suggest a compound unique", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  a     Int
  b     Int
  posts Post[]
}

model Post {
  id     Int  @id
  ua     Int
  ub     Int
  author User @relation(fields: [ua, ub], references: [a, b])
}
)psl",
                {{16, 3, "Error parsing attribute \"@relation\": The argument `references` must refer to a unique criterion in the related model. Consider adding an `@@unique([a, b])` attribute to the model `User`."}});
}

TEST_CASE("fields naming an unknown field are an error at the fields argument", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id     Int  @id
  author User @relation(fields: [authorId], references: [id])
}
)psl",
                {{12, 33, "Error validating: The argument fields must refer only to existing fields. The following fields do not exist in this model: authorId"}});
}

TEST_CASE("references naming an unknown field are an error at the relation attribute", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [uid])
}
)psl",
                {{13, 17, "Error validating: The argument `references` must refer only to existing fields in the related model `User`. The following fields do not exist in the related model: uid"}});
}

TEST_CASE("a string default on an Int field is an error at the default attribute", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id  Int @id
  age Int @default("x")
}
)psl",
                {{7, 11, "Error parsing attribute \"@default\": Expected a Int value, but found `\"x\"`."}});
}

TEST_CASE("an enum default that is not a value of the enum is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int  @id
  role Role @default(GUEST)
}

enum Role {
  USER
  ADMIN
}
)psl",
                {{7, 13, "Error parsing attribute \"@default\": The defined default value `GUEST` is not a valid value of the enum specified for the field."}});
}

TEST_CASE("a quoted enum default is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int  @id
  role Role @default("USER")
}

enum Role {
  USER
}
)psl",
                {{7, 13, "Error parsing attribute \"@default\": Expected an enum value, but found `\"USER\"`."}});
}

TEST_CASE("autoincrement on a Float field is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int   @id
  score Float @default(autoincrement())
}
)psl",
                {{7, 15, "Error parsing attribute \"@default\": The function `autoincrement()` cannot be used on fields of type `Float`."}});
}

TEST_CASE("now on an Int field is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id      Int @id
  created Int @default(now())
}
)psl",
                {{7, 15, "Error parsing attribute \"@default\": The function `now()` cannot be used on fields of type `Int`."}});
}

TEST_CASE("uuid with an unknown version is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id String @id @default(uuid(5))
}
)psl",
                {{6, 17, "Error parsing attribute \"@default\": `uuid()` takes either no argument, or a single integer argument which is either 4 or 7."}});
}

TEST_CASE("cuid with an unknown version is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id String @id @default(cuid(3))
}
)psl",
                {{6, 17, "Error parsing attribute \"@default\": `cuid()` takes either no argument, or a single integer argument which is either 1 or 2."}});
}

TEST_CASE("nanoid with a length below 2 is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id String @id @default(nanoid(1))
}
)psl",
                {{6, 17, "Error parsing attribute \"@default\": `nanoid()` takes either no argument, or a single integer argument between 2 and 255."}});
}

TEST_CASE("ulid with an argument is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id String @id @default(ulid(1))
}
)psl",
                {{6, 17, "Error parsing attribute \"@default\": The `ulid` function does not take any argument. Consider changing this default to `ulid()`."}});
}

TEST_CASE("a list default on a scalar field is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id  Int @id
  age Int @default([1])
}
)psl",
                {{7, 11, "Error parsing attribute \"@default\": The default value of a non-list field cannot be a list."}});
}

TEST_CASE("a boolean default that is not true or false is an error at the value", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id     Int     @id
  active Boolean @default(yes)
}
)psl",
                {{7, 27, "Error parsing attribute \"@default\": A boolean literal must be `true` or `false`."}});
}

TEST_CASE("an empty dbgenerated is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  code String @default(dbgenerated(""))
}
)psl",
                {{7, 15, "Error parsing attribute \"@default\": dbgenerated() takes either no argument, or a single nonempty string argument."}});
}

TEST_CASE("a default on a relation field is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id]) @default(1)
}
)psl",
                {{13, 65, "Error parsing attribute \"@default\": Cannot set a default value on a relation field."}});
}

TEST_CASE("updatedAt on a String field is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id      Int    @id
  changed String @updatedAt
}
)psl",
                {{7, 18, "Error parsing attribute \"@updatedAt\": Fields that are marked with @updatedAt must be of type DateTime."}});
}

TEST_CASE("an unknown field attribute is an error at the attribute", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  email String @uniqe
}
)psl",
                {{7, 16, "Attribute not known: \"@uniqe\"."}});
}

TEST_CASE("an unknown block attribute is an error at the attribute", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id Int @id

  @@indx([id])
}
)psl",
                {{8, 3, "Attribute not known: \"@indx\"."}});
}

TEST_CASE("an attribute given twice is an error at both", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id   Int    @id
  name String @default("a") @default("b")
}
)psl",
                {{7, 15, "Attribute \"@default\" can only be defined once."},
                 {7, 29, "Attribute \"@default\" can only be defined once."}});
}

TEST_CASE("an unknown argument of an attribute is an error at the argument", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  email String @unique(foo: "x")
}
)psl",
                {{7, 24, "No such argument."}});
}

TEST_CASE("a repeated argument of an attribute is an error at the argument", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  email String @unique(map: "a", map: "b")
}
)psl",
                {{7, 34, "Argument \"map\" is already specified."}});
}

TEST_CASE("a native type unknown to the provider is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  name String @db.Varchar(20)
}
)psl",
                {{7, 15, "Native type Varchar is not supported for postgresql connector."}});
}

TEST_CASE("a native type for another field type is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id  Int @id
  age Int @db.VarChar(10)
}
)psl",
                {{7, 11, "Native type VarChar is not compatible with declared field type Int, expected field type String."}});
}

TEST_CASE("a native type with too many arguments is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  name String @db.VarChar(10, 2)
}
)psl",
                {{7, 15, "Native type VarChar takes 1 optional arguments, but received 2."}});
}

TEST_CASE("a native type without arguments given one is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  body String @db.Text(100)
}
)psl",
                {{7, 15, "Function \"Text\" takes 0 arguments, but received 1."}});
}

TEST_CASE("a timestamp precision above 6 is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id Int      @id
  at DateTime @db.Timestamp(7)
}
)psl",
                {{7, 15, "Argument M is out of range for native type `Timestamp(7)` of Postgres: M can range from 0 to 6."}});
}

TEST_CASE("a decimal with only a precision is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id    Int     @id
  price Decimal @db.Decimal(10)
}
)psl",
                {{7, 17, "Expected two nonnegative integers, but found (10)."}});
}

TEST_CASE("a native type prefix that is not the datasource name is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  uid  String @pg.Uuid
}
)psl",
                {{7, 15, "The prefix pg is invalid. It must be equal to the name of an existing datasource e.g. db. Did you mean to use db.Uuid?"}});
}

TEST_CASE("native types on SQLite are an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id   Int    @id
  name String @db.Text
}
)psl",
                {{7, 15, "Native type Text is not supported for sqlite connector."}});
}

TEST_CASE("scalar lists on SQLite are an error at the field", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id   Int      @id
  tags String[]
}
)psl",
                {{7, 3, "Field \"tags\" in model \"User\" can't be a list. The current connector does not support lists of primitive types."}});
}

TEST_CASE("an optional list is an error at the type", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  tags Int[]?
}
)psl",
                {{7, 8, "Optional lists are not supported. Use either `Type[]` or `Type?`."}});
}

TEST_CASE("a datasource without provider is an error at the block", "[validation]") {
  expect_errors(R"psl(datasource db {
  relationMode = "prisma"
}

model User {
  id Int @id
}
)psl",
                {{1, 1, "Argument \"provider\" is missing in data source block \"db\"."}});
}

TEST_CASE("two datasources are an error at each", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

datasource other {
  provider = "postgresql"
}

model User {
  id Int @id
}
)psl",
                {{1, 1, "Error validating datasource `db`: You defined more than one datasource. This is not allowed yet because support for multiple databases has not been implemented yet."},
                 {5, 1, "Error validating datasource `other`: You defined more than one datasource. This is not allowed yet because support for multiple databases has not been implemented yet."}});
}

TEST_CASE("an unknown provider is an error at the provider value", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "mongo"
}

model User {
  id Int @id
}
)psl",
                {{2, 14, "Datasource provider not known: \"mongo\"."}});
}

TEST_CASE("env in the datasource provider is an error at the block", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = env("DB_PROVIDER")
}

model User {
  id Int @id
}
)psl",
                {{1, 1, "A datasource must not use the env() function in the provider argument."}});
}

TEST_CASE("a provider that is not a string is an error at the value", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = sqlite
}

model User {
  id Int @id
}
)psl",
                {{2, 14, "Error validating datasource `db`: The provider argument in a datasource must be a string literal"}});
}

TEST_CASE("env with a non string argument is an error at the argument", "[validation]") {
  expect_errors(R"psl(generator client {
  provider = "prisma-client"
  output   = env(OUT)
}

model User {
  id Int @id
}
)psl",
                {{3, 18, "Expected a string value, but received literal value `OUT`."}});
}

TEST_CASE("env with two arguments is an error at the call", "[validation]") {
  expect_errors(R"psl(generator client {
  provider = "prisma-client"
  output   = env("A", "B")
}

model User {
  id Int @id
}
)psl",
                {{3, 14, "Exactly one string parameter must be passed to the env function."}});
}

TEST_CASE("SetNull on a required foreign key is an error without a datasource", "[validation]") {
  expect_errors(R"psl(model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id], onDelete: SetNull)
}
)psl",
                {{9, 3, "Error parsing attribute \"@relation\": The `onDelete` referential action of a relation must not be set to `SetNull` when a referenced field is required.\nEither choose another referential action, or make the referenced fields optional.\n"}});
}

TEST_CASE("SetNull on a required foreign key is an error on SQLite", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id], onDelete: SetNull)
}
)psl",
                {{13, 3, "Error parsing attribute \"@relation\": The `onDelete` referential action of a relation must not be set to `SetNull` when a referenced field is required.\nEither choose another referential action, or make the referenced fields optional.\n"}});
}

TEST_CASE("an unknown referential action is an error at the value", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id], onDelete: Delete)
}
)psl",
                {{13, 75, "Error parsing attribute \"@relation\": Invalid referential action: `Delete`"}});
}

TEST_CASE("map on a relation field is an error at the map attribute", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id]) @map("author")
}
)psl",
                {{13, 65, "Error parsing attribute \"@map\": The attribute `@map` cannot be used on relation fields."}});
}

TEST_CASE("an index on unknown fields is an error at the index", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id Int @id

  @@index([name, age])
}
)psl",
                {{8, 3, "Error validating model \"User\": The index definition refers to the unknown fields: name, age."}});
}

TEST_CASE("an index on a relation field suggests its scalar fields", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([author])
}
)psl",
                {{15, 3, "Error validating model \"Post\": The index definition refers to the relation fields author. Index definitions must reference only scalar fields. Did you mean `@@index([authorId])`?"}});
}

TEST_CASE("a compound unique on unknown fields says unique index", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id Int @id

  @@unique([a, b])
}
)psl",
                {{8, 3, "Error validating model \"User\": The unique index definition refers to the unknown fields: a, b."}});
}

TEST_CASE("an id on an optional field is an error at the id attribute", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id Int? @id
}
)psl",
                {{6, 11, "Error parsing attribute \"@id\": Fields that are marked as id must be required."}});
}

TEST_CASE("two id fields are an error at the model", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  a Int @id
  b Int @id
}
)psl",
                {{5, 1, "Error validating model \"User\": At most one field must be marked as the id field with the `@id` attribute."}});
}

TEST_CASE("id and compound id together are an error at the model", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  a Int @id
  b Int

  @@id([a, b])
}
)psl",
                {{5, 1, "Error validating model \"User\": Each model must have at most one id criteria. You can't have `@id` and `@@id` at the same time."}});
}

TEST_CASE("a compound id over an optional field is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  a Int
  b Int?

  @@id([a, b])
}
)psl",
                {{9, 3, "Error validating model \"User\": The id definition refers to the optional field `b`. ID definitions must reference only required fields."}});
}

TEST_CASE("a required back relation of a one to one is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id      Int     @id
  profile Profile
}

model Profile {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}
)psl",
                {{7, 3, "Error parsing attribute \"@relation\": The relation field `profile` on Model `User` is required. This is not valid because it's not possible to enforce this constraint on the database level. Please change the field type from `Profile` to `Profile?` to fix this."}});
}

TEST_CASE("a one to one needs a unique foreign key", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id      Int      @id
  profile Profile?
}

model Profile {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
)psl",
                {{13, 3, "Error parsing attribute \"@relation\": A one-to-one relation must use unique fields on the defining side. Either add an `@unique` attribute to the field `userId`, or change the relation to one-to-many."}});
}

TEST_CASE("a required relation over an optional foreign key is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int?
  author   User @relation(fields: [authorId], references: [id])
}
)psl",
                {{13, 3, "Error validating: The relation field `author` uses the scalar fields authorId. At least one of those fields is optional. Hence the relation field must be optional as well."}});
}

TEST_CASE("a relation without fields and references is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id     Int  @id
  author User
}
)psl",
                {{12, 3, "Error parsing attribute \"@relation\": The relation field `author` on Model `Post` must specify the `fields` argument in the @relation attribute. You can run `prisma format` to fix this automatically."},
                 {12, 3, "Error parsing attribute \"@relation\": The relation field `author` on Model `Post` must specify the `references` argument in the @relation attribute."}});
}

TEST_CASE("two models mapped to the same table are an error at the map", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model Dog {
  id Int @id

  @@map("pets")
}

model Cat {
  id Int @id

  @@map("pets")
}
)psl",
                {{14, 3, "The model with database name \"pets\" could not be defined because another model or view with this name exists: \"Dog\""}});
}

TEST_CASE("a field mapped to another field's column is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  name  String
  title String @map("name")
}
)psl",
                {{8, 3, "Field \"title\" is already defined on model \"User\"."}});
}

TEST_CASE("schema without a schemas list in the datasource is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id Int @id

  @@schema("auth")
}
)psl",
                {{8, 12, "This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema"}});
}

TEST_CASE("a schema missing from the datasource list is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
  schemas  = ["public"]
}

model User {
  id Int @id

  @@schema("auth")
}
)psl",
                {{9, 12, "This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema"}});
}

TEST_CASE("a model without schema when the datasource lists schemas is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
  schemas  = ["public", "auth"]
}

model User {
  id Int @id
}
)psl",
                {{6, 1, "Error validating model \"User\": This model is missing an `@@schema` attribute."}});
}

TEST_CASE("ignore on an Unsupported field is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int                      @id
  geom Unsupported("geometry") @ignore
}
)psl",
                {{7, 32, "Error parsing attribute \"@ignore\": Fields of type `Unsupported` cannot take an `@ignore` attribute. They are already treated as ignored by the client due to their type."}});
}

TEST_CASE("a reserved model name is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model PrismaClient {
  id Int @id
}
)psl",
                {{5, 1, "Error validating model \"PrismaClient\": The model name `PrismaClient` is invalid. It is a reserved name. Please change it. Read more at https://pris.ly/d/naming-models"}});
}

TEST_CASE("a model named like a scalar type is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model String {
  id Int @id
}
)psl",
                {{5, 7, "\"String\" is a reserved scalar type name and cannot be used."}});
}

TEST_CASE("an unknown preview feature is an error", "[validation]") {
  expect_errors(R"psl(generator client {
  provider        = "prisma-client"
  previewFeatures = ["viewz"]
}

model User {
  id Int @id
}
)psl",
                {{3, 21, "The preview feature \"viewz\" is not known. Expected one of: nativeDistinct, partialIndexes, postgresqlExtensions, relationJoins, schemaEngineDriverAdapters, shardKeys, strictUndefinedChecks, typedSql, views"}});
}

TEST_CASE("a generator without provider is an error", "[validation]") {
  expect_errors(R"psl(generator client {
  output = "./generated"
}

model User {
  id Int @id
}
)psl",
                {{1, 1, "Argument \"provider\" is missing in generator block \"client\"."}});
}

TEST_CASE("an unknown datasource property is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
  foo      = "bar"
}

model User {
  id Int @id
}
)psl",
                {{3, 3, "Property not known: \"foo\"."}});
}

TEST_CASE("an implicit many to many with referential actions is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model Post {
  id   Int   @id
  tags Tag[] @relation(onDelete: Cascade)
}

model Tag {
  id    Int    @id
  posts Post[]
}
)psl",
                {{7, 34, "Error validating: Referential actions on implicit many-to-many relations are not supported"}});
}

TEST_CASE("an unknown default function is an error at the function", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  code String @default(random())
}
)psl",
                {{7, 24, "Unknown function in @default(): `random` is not known. You can read about the available functions here: https://pris.ly/d/attribute-functions"}});
}

TEST_CASE("an invalid DateTime default is an error at the value", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id Int      @id
  at DateTime @default("yesterday")
}
)psl",
                {{7, 24, "Error parsing attribute \"@default\": Parse error: \"yesterday\" is not a valid rfc3339 datetime string. (input contains invalid characters)"}});
}

TEST_CASE("an index type on SQLite is an error at the type argument", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "sqlite"
}

model User {
  id   Int    @id
  name String

  @@index([name], type: Hash)
}
)psl",
                {{9, 19, "Error parsing attribute \"@@index\": The given index type is not supported with the current connector"}});
}

TEST_CASE("a clashing index name on PostgreSQL is an error at both maps", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  name String

  @@index([name], map: "same")
}

model Post {
  id    Int    @id
  title String

  @@index([title], map: "same")
}
)psl",
                {{9, 19, "Error parsing attribute \"@@index\": The given constraint name `same` has to be unique in the following namespace: global for primary key, indexes and unique constraints. Please provide a different name using the `map` argument."},
                 {16, 20, "Error parsing attribute \"@@index\": The given constraint name `same` has to be unique in the following namespace: global for primary key, indexes and unique constraints. Please provide a different name using the `map` argument."}});
}

TEST_CASE("a view without the views preview feature is an error", "[validation]") {
  expect_errors(R"psl(datasource db {
  provider = "postgresql"
}

view Stats {
  id Int @unique
}
)psl",
                {{5, 1, "Error validating: View definitions are only available with the `views` preview feature."}});
}

TEST_CASE("relationMode prisma refuses NoAction on SQLite and PostgreSQL as Prisma does", "[validation]") {
  // Prisma 7.10's words (prisma validate): the emulation has no NoAction on these two providers
  for (const auto& [provider, name] : {std::pair{"sqlite", "sqlite"}, std::pair{"postgresql", "Postgres"}}) {
    expect_errors(std::string(R"psl(datasource db {
  provider     = ")psl") + provider + R"psl("
  relationMode = "prisma"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: NoAction)

  @@index([userId])
}
)psl",
                  {{14, 71, std::string("Error validating: Invalid referential action: `NoAction`. Allowed values: (`Cascade`, "
                                        "`Restrict`, `SetNull`). `NoAction` is not implemented for ") +
                                name +
                                " when using `relationMode = \"prisma\"`, you could try using `Restrict` instead. Learn "
                                "more at https://pris.ly/d/relation-mode"}});
  }
}
