// The generated headers in use: structs, enums and metadata are what the schema says.
#include <blog/all.hpp>
#include <kitchen/all.hpp>
#include <kitchen_sqlite/all.hpp>

#include <catch2/catch.hpp>
#include <type_traits>

using prisma::meta::model_traits;

TEST_CASE("generated structs carry the schema's field names and C++ types", "[generated]") {
  STATIC_REQUIRE(std::is_same_v<decltype(blog::User::id), std::int32_t>);
  STATIC_REQUIRE(std::is_same_v<decltype(blog::User::email), std::string>);
  STATIC_REQUIRE(std::is_same_v<decltype(blog::User::name), std::optional<std::string>>);
  STATIC_REQUIRE(std::is_same_v<decltype(blog::User::role), blog::Role>);
  STATIC_REQUIRE(std::is_same_v<decltype(blog::User::createdAt), prisma::DateTime>);
  STATIC_REQUIRE(std::is_same_v<decltype(kitchen::Member::nicknames), std::vector<std::string>>);
  STATIC_REQUIRE(std::is_same_v<decltype(kitchen::Member::balance), prisma::Decimal>);
  STATIC_REQUIRE(std::is_same_v<decltype(kitchen::Member::karma), std::int64_t>);
  STATIC_REQUIRE(std::is_same_v<decltype(kitchen::Member::avatar), std::optional<prisma::Bytes>>);
  STATIC_REQUIRE(std::is_same_v<decltype(kitchen::Member::settings), prisma::Json>);
  STATIC_REQUIRE(std::is_same_v<decltype(kitchen::Member::rating), std::optional<double>>);
  STATIC_REQUIRE(std::is_aggregate_v<kitchen::Member>);
}

TEST_CASE("relation, unsupported and ignored fields are not struct members", "[generated]") {
  // Member has 27 fields: 7 relation fields, 1 Unsupported, 19 columns.
  STATIC_REQUIRE(std::tuple_size_v<model_traits<kitchen::Member>::columns> == 19);
  STATIC_REQUIRE(std::tuple_size_v<model_traits<kitchen::Member>::relations> == 7);
  STATIC_REQUIRE(std::tuple_size_v<model_traits<kitchen::Node>::columns> == 2);  // secret is @ignore
  STATIC_REQUIRE(std::tuple_size_v<kitchen::prisma_schema::models> == 10);       // Legacy is @@ignore
}

TEST_CASE("column handles know their model, type, database name and flags", "[generated]") {
  using Email = decltype(blog::user::email);
  STATIC_REQUIRE(std::is_same_v<Email::model, blog::User>);
  STATIC_REQUIRE(std::is_same_v<Email::value_type, std::string>);
  STATIC_REQUIRE(Email::is_unique);
  STATIC_REQUIRE(!Email::is_optional);
  STATIC_REQUIRE(decltype(blog::user::name)::is_optional);
  STATIC_REQUIRE(decltype(blog::user::id)::is_id);
  STATIC_REQUIRE(decltype(kitchen::member::updatedAt)::db_name == "updated_at");
  STATIC_REQUIRE(decltype(kitchen::member::handle)::descriptor::native_type == "VarChar(40)");
  STATIC_REQUIRE(decltype(blog::user::id)::descriptor::default_kind == prisma::meta::DefaultKind::Autoincrement);
  STATIC_REQUIRE(decltype(kitchen::member::id)::descriptor::default_kind == prisma::meta::DefaultKind::Uuid4);
  STATIC_REQUIRE(decltype(kitchen::auditLog::uuid7)::descriptor::default_kind == prisma::meta::DefaultKind::Uuid7);
  STATIC_REQUIRE(decltype(blog::post::updatedAt)::descriptor::flags & prisma::meta::flags::updated_at);
  STATIC_REQUIRE(decltype(blog::post::authorId)::descriptor::flags & prisma::meta::flags::relation_scalar);
  // a field named like a C++ keyword gets a trailing underscore, its column keeps the name
  STATIC_REQUIRE(std::is_same_v<decltype(kitchen_sqlite::Thing::delete_), bool>);
  STATIC_REQUIRE(decltype(kitchen_sqlite::thing::delete_)::db_name == "is_deleted");
}

TEST_CASE("model metadata gives tables, keys and the select list", "[generated]") {
  using U = model_traits<blog::User>;
  STATIC_REQUIRE(U::db_name == "User");
  STATIC_REQUIRE(U::column_list == R"("id", "email", "name", "role", "age", "createdAt")");
  STATIC_REQUIRE(std::is_same_v<U::primary_key, prisma::meta::key<0>>);
  STATIC_REQUIRE(std::is_same_v<U::unique_keys, std::tuple<prisma::meta::key<0>, prisma::meta::key<1>>>);
  using M = model_traits<kitchen::Member>;
  STATIC_REQUIRE(M::db_name == "members");
  STATIC_REQUIRE(M::schema == "public");
  STATIC_REQUIRE(model_traits<kitchen::AuditLog>::schema == "audit");
  using O = model_traits<kitchen::OrderLine>;
  STATIC_REQUIRE(std::is_same_v<O::primary_key, prisma::meta::key<0, 1>>);
  using P = model_traits<kitchen::Post>;
  // id, slug, and the compound authorTitle unique (authorId = column 7, title = column 2)
  STATIC_REQUIRE(std::tuple_size_v<P::unique_keys> == 3);
  STATIC_REQUIRE(std::is_same_v<std::tuple_element_t<2, P::unique_keys>, prisma::meta::key<7, 2>>);
  STATIC_REQUIRE(std::is_same_v<model_traits<kitchen::MemberStats>::primary_key, void>);
  STATIC_REQUIRE(model_traits<kitchen::MemberStats>::is_view);
}

TEST_CASE("relation handles pair both sides with their join keys", "[generated]") {
  using Posts = decltype(blog::user::posts)::descriptor;
  STATIC_REQUIRE(std::is_same_v<Posts::target, blog::Post>);
  STATIC_REQUIRE(Posts::kind == prisma::meta::RelationKind::OneToMany);
  STATIC_REQUIRE(Posts::is_list);
  STATIC_REQUIRE(!Posts::owns_foreign_key);
  STATIC_REQUIRE(Posts::local[0] == 0);   // User.id
  STATIC_REQUIRE(prisma::meta::remote_of<Posts>[0] == 5);  // Post.authorId
  using Author = decltype(blog::post::author)::descriptor;
  STATIC_REQUIRE(Author::owns_foreign_key);
  STATIC_REQUIRE(Author::local[0] == 5);
  STATIC_REQUIRE(Author::on_delete == prisma::meta::ReferentialAction::Restrict);
  using Cats = decltype(kitchen::post::categories)::descriptor;
  STATIC_REQUIRE(Cats::kind == prisma::meta::RelationKind::ManyToMany);
  STATIC_REQUIRE(Cats::join_table == "_CategoryToPost");
  STATIC_REQUIRE(Cats::join_local == "B");  // Post sorts after Category
  using Mentor = decltype(kitchen::member::mentor)::descriptor;
  STATIC_REQUIRE(Mentor::on_delete == prisma::meta::ReferentialAction::SetNull);
  STATIC_REQUIRE(Mentor::relation_name == "mentorship");
  using Follows = decltype(kitchen::member::followers)::descriptor;
  STATIC_REQUIRE(Follows::join_table == "_follows");
  using Prof = decltype(kitchen::member::profile)::descriptor;
  STATIC_REQUIRE(Prof::kind == prisma::meta::RelationKind::OneToOne);
  STATIC_REQUIRE(Prof::is_optional);
}

TEST_CASE("enums convert to and from their schema and database names", "[generated]") {
  CHECK(to_string(kitchen::Role::MODERATOR) == "MODERATOR");
  CHECK(prisma::enum_db_name(kitchen::Role::MODERATOR) == "mod");
  CHECK(prisma::enum_from_db_name<kitchen::Role>("mod") == kitchen::Role::MODERATOR);
  CHECK(prisma::enum_from_name<kitchen::Tier>("GOLD") == kitchen::Tier::GOLD);
  CHECK(prisma::enum_db_name(kitchen::Tier::GOLD) == "gold");
  CHECK_FALSE(prisma::enum_from_name<kitchen::Tier>("gold").has_value());
  STATIC_REQUIRE(prisma::meta::enum_traits<kitchen::Role>::db_name == "member_role");
}

template <class S> constexpr bool has_ddl_sqlite = requires { S::ddl_sqlite; };
template <class S> constexpr bool has_ddl_postgresql = requires { S::ddl_postgresql; };

TEST_CASE("the schema struct carries the datasource and the DDL", "[generated]") {
  STATIC_REQUIRE(blog::prisma_schema::provider == prisma::meta::Provider::Sqlite);
  STATIC_REQUIRE(blog::prisma_schema::url == "file:./quickstart.db");
  STATIC_REQUIRE(kitchen::prisma_schema::url_env == "DATABASE_URL");
  CHECK(blog::prisma_schema::ddl_sqlite.find("CREATE TABLE \"User\"") != std::string_view::npos);
  // The provider's own DDL only: a PostgreSQL schema's header has no SQLite DDL, and the other
  // way round (prisma-cpp ddl --provider writes either).
  STATIC_REQUIRE_FALSE(has_ddl_sqlite<kitchen::prisma_schema>);
  STATIC_REQUIRE_FALSE(has_ddl_postgresql<blog::prisma_schema>);
  CHECK(kitchen::prisma_schema::ddl_postgresql.find("CREATE TYPE \"member_role\"") !=
        std::string_view::npos);
}
