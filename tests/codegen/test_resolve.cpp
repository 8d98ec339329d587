// The Schema IR of valid schemas: relation pairing for every kind of relation, Prisma's names for
// join tables and constraints, default referential actions, defaults, native types, schemas,
// views, enums, datasource and generator blocks.
#include <catch2/catch.hpp>

#include <string>

#include "schema/load.hpp"

namespace {

namespace ir = prisma_cpp::ir;
using prisma_cpp::schema::load_text;
using prisma_cpp::schema::load_texts;
using prisma_cpp::schema::Loaded;

std::string all_messages(const Loaded& l) {
  std::string s;
  for (const auto& d : l.diagnostics.all()) {
    auto lc = l.sources[d.span.file].line_col(d.span.start);
    s += std::to_string(lc.line) + ":" + std::to_string(lc.col) + ": " + d.message + "\n";
  }
  return s;
}

// Loads a schema that must be valid (no errors, no warnings).
Loaded valid(const std::string& text) {
  Loaded l = load_text(text);
  INFO(all_messages(l));
  REQUIRE(l.diagnostics.all().empty());
  return l;
}

const ir::Model& model(const ir::Schema& s, const std::string& name) {
  std::size_t i = s.model_index(name);
  REQUIRE(i != ir::npos);
  return s.models[i];
}

const ir::Field& field(const ir::Schema& s, const std::string& m, const std::string& f) {
  const ir::Model& mm = model(s, m);
  std::size_t i = mm.field_index(f);
  REQUIRE(i != ir::npos);
  return mm.fields[i];
}

const ir::Relation& relation_of(const ir::Schema& s, const std::string& m, const std::string& f) {
  const ir::Field& fld = field(s, m, f);
  REQUIRE(fld.kind == ir::FieldKind::Relation);
  REQUIRE(fld.relation < s.relations.size());
  return s.relations[fld.relation];
}

std::string name_of(const ir::Schema& s, std::size_t m, std::size_t f) {
  if (f == ir::npos) return s.models[m].name + ".<none>";
  return s.models[m].name + "." + s.models[m].fields[f].name;
}

const char* kBlog = R"psl(datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id      Int      @id @default(autoincrement())
  email   String   @unique
  posts   Post[]
  profile Profile?
}

model Profile {
  id     Int  @id @default(autoincrement())
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}

model Post {
  id         Int        @id @default(autoincrement())
  authorId   Int
  author     User       @relation(fields: [authorId], references: [id])
  reviewerId Int?
  categories Category[]
}

model Category {
  id    Int    @id
  posts Post[]
}
)psl";

}  // namespace

TEST_CASE("a one-to-many relation pairs the foreign key side with the list side", "[resolve]") {
  auto l = valid(kBlog);
  const auto& s = l.schema;
  const auto& r = relation_of(s, "Post", "author");
  CHECK(r.kind == ir::Relation::Kind::OneToMany);
  CHECK(name_of(s, r.model_a, r.field_a) == "Post.author");
  CHECK(name_of(s, r.model_b, r.field_b) == "User.posts");
  CHECK(&relation_of(s, "User", "posts") == &r);
  CHECK(r.name == "PostToUser");
  CHECK_FALSE(r.explicit_name);
  REQUIRE(r.fields.size() == 1);
  CHECK(s.models[r.model_a].fields[r.fields[0]].name == "authorId");
  REQUIRE(r.references.size() == 1);
  CHECK(s.models[r.model_b].fields[r.references[0]].name == "id");
  CHECK(r.fk_name == "Post_authorId_fkey");
  CHECK(field(s, "Post", "authorId").is_read_only);
  CHECK_FALSE(field(s, "Post", "reviewerId").is_read_only);
}

TEST_CASE("a required relation defaults to onDelete Restrict and onUpdate Cascade", "[resolve]") {
  auto l = valid(kBlog);
  const auto& r = relation_of(l.schema, "Post", "author");
  CHECK(r.on_delete == ir::ReferentialAction::Restrict);
  CHECK(r.on_update == ir::ReferentialAction::Cascade);
  CHECK_FALSE(r.on_delete_explicit);
  CHECK_FALSE(r.on_update_explicit);
}

TEST_CASE("an optional relation defaults to onDelete SetNull", "[resolve]") {
  auto l = valid(R"psl(model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int   @id
  authorId Int?
  author   User? @relation(fields: [authorId], references: [id])
}
)psl");
  const auto& r = relation_of(l.schema, "Post", "author");
  CHECK(r.on_delete == ir::ReferentialAction::SetNull);
  CHECK(r.on_update == ir::ReferentialAction::Cascade);
}

TEST_CASE("explicit referential actions and map override the defaults", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate: NoAction, map: "post_author")
}
)psl");
  const auto& r = relation_of(l.schema, "Post", "author");
  CHECK(r.on_delete == ir::ReferentialAction::Cascade);
  CHECK(r.on_update == ir::ReferentialAction::NoAction);
  CHECK(r.on_delete_explicit);
  CHECK(r.on_update_explicit);
  CHECK(r.fk_name == "post_author");
}

TEST_CASE("a one-to-one relation puts the unique foreign key on side a", "[resolve]") {
  auto l = valid(kBlog);
  const auto& s = l.schema;
  const auto& r = relation_of(s, "User", "profile");
  CHECK(r.kind == ir::Relation::Kind::OneToOne);
  CHECK(name_of(s, r.model_a, r.field_a) == "Profile.user");
  CHECK(name_of(s, r.model_b, r.field_b) == "User.profile");
  CHECK(r.name == "ProfileToUser");
  CHECK(r.fk_name == "Profile_userId_fkey");
}

TEST_CASE("an implicit many-to-many relation gets the join table _CategoryToPost", "[resolve]") {
  auto l = valid(kBlog);
  const auto& s = l.schema;
  const auto& r = relation_of(s, "Post", "categories");
  CHECK(r.kind == ir::Relation::Kind::ManyToMany);
  CHECK(r.name == "CategoryToPost");
  CHECK(r.join_table == "_CategoryToPost");
  // Column A belongs to the model whose name sorts first.
  CHECK(name_of(s, r.model_a, r.field_a) == "Category.posts");
  CHECK(name_of(s, r.model_b, r.field_b) == "Post.categories");
  CHECK(r.on_delete == ir::ReferentialAction::Cascade);
  CHECK(r.on_update == ir::ReferentialAction::Cascade);
}

TEST_CASE("a named many-to-many relation uses its name for the join table", "[resolve]") {
  auto l = valid(R"psl(model Post {
  id   Int   @id
  tags Tag[] @relation("PostTags")
}

model Tag {
  id    Int    @id
  posts Post[] @relation("PostTags")
}
)psl");
  const auto& r = relation_of(l.schema, "Tag", "posts");
  CHECK(r.name == "PostTags");
  CHECK(r.explicit_name);
  CHECK(r.join_table == "_PostTags");
  CHECK(name_of(l.schema, r.model_a, r.field_a) == "Post.tags");
}

TEST_CASE("a one-to-many self relation pairs parent and children", "[resolve]") {
  auto l = valid(R"psl(model Person {
  id       Int      @id
  parentId Int?
  parent   Person?  @relation("Family", fields: [parentId], references: [id])
  children Person[] @relation("Family")
}
)psl");
  const auto& s = l.schema;
  const auto& r = relation_of(s, "Person", "children");
  CHECK(r.self_relation());
  CHECK(r.kind == ir::Relation::Kind::OneToMany);
  CHECK(name_of(s, r.model_a, r.field_a) == "Person.parent");
  CHECK(name_of(s, r.model_b, r.field_b) == "Person.children");
  CHECK(r.fk_name == "Person_parentId_fkey");
  CHECK(r.on_delete == ir::ReferentialAction::SetNull);
}

TEST_CASE("a many-to-many self relation orders its sides by field name", "[resolve]") {
  auto l = valid(R"psl(model User {
  id        Int    @id
  following User[] @relation("Follows")
  followers User[] @relation("Follows")
}
)psl");
  const auto& s = l.schema;
  const auto& r = relation_of(s, "User", "following");
  CHECK(r.kind == ir::Relation::Kind::ManyToMany);
  CHECK(r.join_table == "_Follows");
  CHECK(name_of(s, r.model_a, r.field_a) == "User.followers");
  CHECK(name_of(s, r.model_b, r.field_b) == "User.following");
}

TEST_CASE("two named relations between the same models are paired by name", "[resolve]") {
  auto l = valid(R"psl(model User {
  id      Int    @id
  written Post[] @relation("written")
  edited  Post[] @relation("edited")
}

model Post {
  id       Int  @id
  authorId Int
  editorId Int
  author   User @relation("written", fields: [authorId], references: [id])
  editor   User @relation("edited", fields: [editorId], references: [id])
}
)psl");
  const auto& s = l.schema;
  CHECK(name_of(s, relation_of(s, "Post", "author").model_b, relation_of(s, "Post", "author").field_b) == "User.written");
  CHECK(name_of(s, relation_of(s, "Post", "editor").model_b, relation_of(s, "Post", "editor").field_b) == "User.edited");
  CHECK(relation_of(s, "Post", "editor").fk_name == "Post_editorId_fkey");
  CHECK(s.relations.size() == 2);
}

TEST_CASE("models in different files of one schema relate to each other", "[resolve]") {
  auto l = load_texts({{"schema/a.prisma", "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel User {\n  id    Int    @id\n  posts Post[]\n}\n"},
                       {"schema/b.prisma", "model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n"}});
  INFO(all_messages(l));
  REQUIRE(l.diagnostics.all().empty());
  const auto& r = relation_of(l.schema, "User", "posts");
  CHECK(name_of(l.schema, r.model_a, r.field_a) == "Post.author");
  CHECK(l.schema.provider() == ir::Provider::Sqlite);
}

TEST_CASE("a duplicate model across files is reported in the second file", "[resolve]") {
  auto l = load_texts({{"a.prisma", "model User {\n  id Int @id\n}\n"}, {"b.prisma", "\nmodel User {\n  id Int @id\n}\n"}});
  REQUIRE(l.diagnostics.all().size() == 1);
  const auto& d = l.diagnostics.all()[0];
  CHECK(d.message == "The model \"User\" cannot be defined because a model with that name already exists.");
  CHECK(d.span.file == 1);
  CHECK(l.sources[1].line_col(d.span.start).line == 2);
}

TEST_CASE("constraint names follow Prisma: pkey, key, idx and map overrides", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
}

model Account {
  id        Int    @id
  email     String @unique
  firstName String @map("first_name")
  lastName  String
  code      String @unique(map: "account_code")

  @@unique([firstName, lastName])
  @@unique([lastName, code], name: "byCode")
  @@index([lastName])
  @@index([firstName, code], map: "names_idx")
  @@map("accounts")
}
)psl");
  const auto& m = model(l.schema, "Account");
  CHECK(m.db_name == "accounts");
  REQUIRE(m.primary_key);
  CHECK(m.primary_key->db_name == "accounts_pkey");
  CHECK(m.primary_key->defined_on_field);
  REQUIRE(m.indexes.size() == 6);
  CHECK(m.indexes[0].db_name == "accounts_email_key");
  CHECK(m.indexes[0].defined_on_field);
  CHECK(m.indexes[1].db_name == "account_code");
  CHECK(m.indexes[2].db_name == "accounts_first_name_lastName_key");
  CHECK(m.indexes[3].name == std::optional<std::string>("byCode"));
  CHECK(m.indexes[3].db_name == "accounts_lastName_code_key");
  CHECK(m.indexes[4].type == ir::Index::Type::Normal);
  CHECK(m.indexes[4].db_name == "accounts_lastName_idx");
  CHECK(m.indexes[5].db_name == "names_idx");
  CHECK(field(l.schema, "Account", "firstName").db_name == "first_name");
}

TEST_CASE("generated constraint names are cut to 63 bytes on PostgreSQL", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
}

model AVeryLongModelNameThatGoesOnAndOnForeverAndEverAndEver {
  id                                 Int @id
  anotherQuiteLongFieldNameForTheIndex Int @unique
}
)psl");
  const auto& m = l.schema.models[0];
  CHECK(m.primary_key->db_name == "AVeryLongModelNameThatGoesOnAndOnForeverAndEverAndEver_pkey");
  std::string key = m.indexes[0].db_name;
  CHECK(key.size() == 63);
  CHECK(key == "AVeryLongModelNameThatGoesOnAndOnForeverAndEverAndEver_anot_key");
}

TEST_CASE("foreign key names use the database names of table and columns", "[resolve]") {
  auto l = valid(R"psl(model User {
  id    Int    @id
  posts Post[]

  @@map("users")
}

model Post {
  id       Int  @id
  authorId Int  @map("author_id")
  author   User @relation(fields: [authorId], references: [id])

  @@map("posts")
}
)psl");
  CHECK(relation_of(l.schema, "Post", "author").fk_name == "posts_author_id_fkey");
}

TEST_CASE("compound ids keep their fields, name and map", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
}

model OrderLine {
  orderId    String
  productSku String
  qty        Int

  @@id([orderId, productSku], name: "line", map: "order_line_pk")
}
)psl");
  const auto& pk = *model(l.schema, "OrderLine").primary_key;
  CHECK(pk.fields.size() == 2);
  CHECK(pk.name == std::optional<std::string>("line"));
  CHECK(pk.db_name == "order_line_pk");
  CHECK_FALSE(pk.defined_on_field);
  CHECK(l.schema.models[0].fields[pk.fields[1].field].name == "productSku");
  CHECK_FALSE(field(l.schema, "OrderLine", "orderId").is_id);
}

TEST_CASE("defaults are typed: functions, literals, enum values and lists", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
}

model Thing {
  id      Int      @id @default(autoincrement())
  a       String   @default(uuid())
  b       String   @default(uuid(7))
  c       String   @default(cuid(2))
  d       String   @default(nanoid(16))
  e       String   @default(ulid())
  f       DateTime @default(now())
  g       String   @default(dbgenerated("gen_random_uuid()"))
  h       String   @default("hello \"x\"")
  i       Int      @default(-3)
  j       Boolean  @default(true)
  k       Role     @default(ADMIN)
  l       Int[]    @default([1, 2])
  m       Decimal  @default(1.5)
  n       String   @default(cuid())
  o       Role[]   @default([USER, ADMIN])
}

enum Role {
  USER
  ADMIN
}
)psl");
  using K = ir::DefaultValue::Kind;
  auto def = [&](const char* f) { return *field(l.schema, "Thing", f).default_value; };
  CHECK(def("id").kind == K::Autoincrement);
  CHECK(def("a").kind == K::Uuid);
  CHECK(def("a").version == 4);
  CHECK(def("b").version == 7);
  CHECK(def("c").kind == K::Cuid);
  CHECK(def("c").version == 2);
  CHECK(def("n").version == 1);
  CHECK(def("d").kind == K::Nanoid);
  CHECK(def("d").length == std::optional<int>(16));
  CHECK(def("e").kind == K::Ulid);
  CHECK(def("f").kind == K::Now);
  CHECK(def("g").kind == K::DbGenerated);
  CHECK(def("g").value == "gen_random_uuid()");
  CHECK(def("h").kind == K::Literal);
  CHECK(def("h").value == "hello \"x\"");
  CHECK(def("i").value == "-3");
  CHECK(def("j").value == "true");
  CHECK(def("k").kind == K::EnumValue);
  CHECK(def("k").value == "ADMIN");
  CHECK(def("l").kind == K::List);
  CHECK(def("l").list == std::vector<std::string>{"1", "2"});
  CHECK(def("m").value == "1.5");
  CHECK(def("o").list == std::vector<std::string>{"USER", "ADMIN"});
}

TEST_CASE("native types keep their name and arguments", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
}

model Item {
  id    String   @id @db.Uuid
  name  String   @db.VarChar(200)
  price Decimal  @db.Decimal(10, 2)
  at    DateTime @db.Timestamptz(3)
  data  Json     @db.JsonB
  plain String
}
)psl");
  auto nt = [&](const char* f) { return field(l.schema, "Item", f).native_type; };
  REQUIRE(nt("id"));
  CHECK(nt("id")->name == "Uuid");
  CHECK(nt("name")->args == std::vector<std::string>{"200"});
  CHECK(nt("price")->args == std::vector<std::string>{"10", "2"});
  CHECK(nt("at")->name == "Timestamptz");
  CHECK(nt("data")->name == "JsonB");
  CHECK_FALSE(nt("plain"));
}

TEST_CASE("schema attributes place models and enums in the datasource's schemas", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
  schemas  = ["public", "auth"]
}

model User {
  id   Int  @id
  role Role

  @@schema("auth")
}

enum Role {
  USER

  @@schema("public")
}
)psl");
  CHECK(l.schema.datasource->schemas == std::vector<std::string>{"public", "auth"});
  CHECK(model(l.schema, "User").schema == std::optional<std::string>("auth"));
  CHECK(l.schema.enums[0].schema == std::optional<std::string>("public"));
}

TEST_CASE("views come after models and are marked as views", "[resolve]") {
  auto l = valid(R"psl(generator client {
  provider        = "prisma-client"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
}

view UserInfo {
  id    Int    @unique
  email String
}

model User {
  id    Int    @id
  email String
}
)psl");
  REQUIRE(l.schema.models.size() == 2);
  CHECK(l.schema.models[0].name == "User");
  CHECK(l.schema.models[1].name == "UserInfo");
  CHECK(l.schema.models[1].is_view);
  CHECK(l.schema.has_preview_feature("views"));
}

TEST_CASE("enums keep value and enum database names from map", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "sqlite"
}

enum Tier {
  GOLD   @map("gold")
  SILVER

  @@map("tiers")
}

model Customer {
  id   Int  @id
  tier Tier @default(GOLD)
}
)psl");
  const auto& e = l.schema.enums[l.schema.enum_index("Tier")];
  CHECK(e.db_name == "tiers");
  CHECK(e.values[0].db_name == "gold");
  CHECK(e.values[1].db_name == "SILVER");
  const auto& f = field(l.schema, "Customer", "tier");
  CHECK(f.kind == ir::FieldKind::Enum);
  CHECK(f.enum_index == l.schema.enum_index("Tier"));
}

TEST_CASE("the datasource keeps provider, url or env name, directUrl, relationMode and extensions", "[resolve]") {
  auto l = valid(R"psl(generator client {
  provider        = "prisma-client"
  output          = "../generated"
  previewFeatures = ["postgresqlExtensions"]
  binaryTargets   = ["native"]
  moduleFormat    = "cjs"
}

datasource db {
  provider     = "postgres"
  url          = env("DATABASE_URL")
  directUrl    = "postgresql://localhost/direct"
  relationMode = "foreignKeys"
  extensions   = [pgcrypto, postgis(version: "3.4")]
}
)psl");
  const auto& ds = *l.schema.datasource;
  CHECK(ds.provider == ir::Provider::Postgresql);
  CHECK(ds.provider_name == "postgres");
  CHECK(ds.url_env == std::optional<std::string>("DATABASE_URL"));
  CHECK_FALSE(ds.url);
  CHECK(ds.direct_url == std::optional<std::string>("postgresql://localhost/direct"));
  CHECK(ds.relation_mode == std::optional<std::string>("foreignKeys"));
  CHECK(ds.extensions == std::vector<std::string>{"pgcrypto", "postgis"});
  REQUIRE(ds.extension_args.size() == 2);
  CHECK(ds.extension_args[1].version == std::optional<std::string>("3.4"));
  CHECK_FALSE(ds.extension_args[0].map);
  REQUIRE(l.schema.generators.size() == 1);
  const auto& g = l.schema.generators[0];
  CHECK(g.provider == "prisma-client");
  CHECK(g.output == std::optional<std::string>("../generated"));
  CHECK(g.binary_targets == std::vector<std::string>{"native"});
  CHECK(g.config.at("moduleFormat") == "cjs");
}

TEST_CASE("a Prisma 7 datasource without url is valid", "[resolve]") {
  auto l = valid("datasource db {\n  provider = \"sqlite\"\n}\n\nmodel A {\n  id Int @id\n}\n");
  CHECK_FALSE(l.schema.datasource->url);
  CHECK_FALSE(l.schema.datasource->url_env);
}

TEST_CASE("updatedAt, ignore and Unsupported fields are kept with their flags", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
}

model Shape {
  id        Int                      @id
  changedAt DateTime                 @updatedAt
  legacy    String?                  @ignore
  geom      Unsupported("geometry")?
}

model Old {
  id Int @id

  @@ignore
}
)psl");
  CHECK(field(l.schema, "Shape", "changedAt").is_updated_at);
  CHECK(field(l.schema, "Shape", "legacy").is_ignored);
  const auto& g = field(l.schema, "Shape", "geom");
  CHECK(g.kind == ir::FieldKind::Unsupported);
  CHECK(g.type_name == "Unsupported(\"geometry\")");
  CHECK(g.optional);
  CHECK(model(l.schema, "Old").is_ignored);
}

TEST_CASE("index types, operator classes and lengths are kept", "[resolve]") {
  auto l = valid(R"psl(datasource db {
  provider = "postgresql"
}

model Doc {
  id   Int    @id
  data Json
  tags String[]
  name String

  @@index([data(ops: JsonbPathOps)], type: Gin)
  @@index([tags], type: Gin)
  @@index([name(sort: Desc)], type: BTree)
}
)psl");
  const auto& m = model(l.schema, "Doc");
  REQUIRE(m.indexes.size() == 3);
  CHECK(m.indexes[0].algorithm == std::optional<std::string>("Gin"));
  CHECK(m.indexes[0].fields[0].operator_class == std::optional<std::string>("JsonbPathOps"));
  CHECK(m.indexes[0].db_name == "Doc_data_idx");
  CHECK(m.indexes[2].fields[0].sort == ir::SortOrder::Desc);
  CHECK(field(l.schema, "Doc", "tags").list);
}

TEST_CASE("SetNull on a required foreign key is only a warning on PostgreSQL", "[resolve]") {
  auto l = load_text(R"psl(datasource db {
  provider = "postgresql"
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
)psl");
  INFO(all_messages(l));
  REQUIRE(l.ok());
  REQUIRE(l.diagnostics.all().size() == 1);
  CHECK(l.diagnostics.all()[0].severity == prisma_cpp::psl::Severity::Warning);
  CHECK(relation_of(l.schema, "Post", "author").on_delete == ir::ReferentialAction::SetNull);
}

TEST_CASE("an unknown type comes with a did-you-mean hint", "[resolve]") {
  auto l = load_text("model User {\n  id   Int    @id\n  name Strng\n}\n");
  REQUIRE(l.diagnostics.all().size() == 1);
  CHECK(l.diagnostics.all()[0].hint == "did you mean `String`?");
}

TEST_CASE("every error of a schema is reported in one run", "[resolve]") {
  auto l = load_text(R"psl(model User {
  id    Int    @id
  email Strin
  name  String @uniqe
  age   Int    @default("x")
}
)psl");
  CHECK(l.diagnostics.all().size() == 3);
}
