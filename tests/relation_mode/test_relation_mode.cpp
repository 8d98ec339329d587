// relationMode = "prisma" (issue 27): the database has no foreign keys, the client carries out the
// referential actions. Each case is one write, run through the typed client and, on a database
// seeded the same way, through the run-time engine (Prisma's JSON protocol); both must give the
// expected error code (or none), the expected rows, and the same tables. Built once per backend.
#include <rm/all.hpp>
#ifdef PRISMA_SUITE_POSTGRES
#include "../support/pg_test_db.hpp"
#endif

#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "schema/load.hpp"
#include "serve/engine.hpp"

using namespace prisma;
using namespace rm;
namespace json = boost::json;

namespace {

// An empty database of the schema; `url` is what the engine opens.
struct Database {
#ifdef PRISMA_SUITE_POSTGRES
  static prisma_test::PgTestDatabase& server() {
    static prisma_test::PgTestDatabase database("relation_mode");
    return database;
  }
  std::string url = server().url();
  Database() {
    auto admin = Client::open(url + "?connection_limit=1");
    admin.pool().acquire()->exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
  }
#else
  std::string path =
      (std::filesystem::temp_directory_path() / ("prisma_relation_mode_" + std::to_string(::getpid()) + ".db")).string();
  std::string url = "file:" + path;
  Database() { remove(); }
  ~Database() { remove(); }
  void remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
#endif
  Client client() {
    auto db = Client::open(url);
    db.push_schema();
    return db;
  }
};

const prisma_cpp::ir::Schema& schema() {
  static auto loaded = [] {
    auto l = prisma_cpp::schema::load_path(std::string(PRISMA_CPP_SOURCE_DIR) + "/tests/relation_mode/schema.prisma");
    REQUIRE(l.ok());
    return l;
  }();
  return loaded.schema;
}

// Every table, as text: one line per row, in key order.
std::string dump(Client& db) {
  std::string out;
  auto opt = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("null"); };
  for (const auto& r : db.user.find_many(order_by(user::id.asc())))
    out += "User " + std::to_string(r.id) + " " + r.email + "\n";
  for (const auto& r : db.cascaded.find_many(order_by(cascaded::id.asc())))
    out += "Cascaded " + std::to_string(r.id) + " " + r.title + " user " + std::to_string(r.userId) + "\n";
  for (const auto& r : db.comment.find_many(order_by(comment::id.asc())))
    out += "Comment " + std::to_string(r.id) + " post " + std::to_string(r.postId) + "\n";
  for (const auto& r : db.restricted.find_many(order_by(restricted::id.asc())))
    out += "Restricted " + std::to_string(r.id) + " user " + std::to_string(r.userId) + "\n";
  for (const auto& r : db.nulled.find_many(order_by(nulled::id.asc())))
    out += "Nulled " + std::to_string(r.id) + " user " + opt(r.userId) + "\n";
  for (const auto& r : db.defaulted.find_many(order_by(defaulted::id.asc())))
    out += "Defaulted " + std::to_string(r.id) + " user " + std::to_string(r.userId) + "\n";
  for (const auto& r : db.loose.find_many(order_by(loose::id.asc())))
    out += "Loose " + std::to_string(r.id) + " user " + opt(r.userId) + "\n";
  for (const auto& r : db.profile.find_many(order_by(profile::id.asc())))
    out += "Profile " + std::to_string(r.id) + " user " + std::to_string(r.userId) + "\n";
  for (const auto& r : db.byEmail.find_many(order_by(byEmail::id.asc())))
    out += "ByEmail " + std::to_string(r.id) + " " + r.email + "\n";
  return out;
}

// Two users; user 1 has two posts (Cascaded) with comments, user 2 one post with a comment.
void seed_users(Client& db) {
  db.user.create({.email = "a@x.io"});
  db.user.create({.email = "b@x.io"});
}
void seed_posts(Client& db) {
  db.cascaded.create({.title = "p1", .userId = 1});
  db.cascaded.create({.title = "p2", .userId = 1});
  db.cascaded.create({.title = "p3", .userId = 2});
  db.comment.create({.body = "c1", .postId = 1});
  db.comment.create({.body = "c2", .postId = 2});
  db.comment.create({.body = "c3", .postId = 3});
}

struct Case {
  std::string name;
  std::function<void(Client&)> seed;
  std::function<void(Client&)> typed;  // the write through the typed client
  std::string query;                   // the same write in the JSON protocol
  std::string error;                   // the error code both must raise, or ""
  std::string after;                   // every table afterwards (dump)
};

std::string q(const std::string& model, const std::string& action, const std::string& arguments) {
  return R"({"modelName":")" + model + R"(","action":")" + action + R"(","query":{"arguments":)" + arguments +
         R"(,"selection":{"$scalars":true}}})";
}

std::string engine_error(const json::value& response) {
  if (const auto* e = response.as_object().if_contains("errors"))
    return std::string(e->as_array().at(0).at("user_facing_error").at("error_code").as_string());
  return "";
}

void run(const Case& c) {
  INFO(c.name);
  std::string typed_after, engine_after;
  {
    Database database;
    auto db = database.client();
    c.seed(db);
    std::string code;
    try {
      c.typed(db);
    } catch (const prisma::Error& e) {
      code = e.code();
      if (c.error == "P2014")
        CHECK(std::string(e.what()).find("The change you are trying to make would violate the required relation") !=
              std::string::npos);
    }
    CHECK(code == c.error);
    typed_after = dump(db);
    CHECK(typed_after == c.after);
  }
  {
    Database database;
    auto db = database.client();
    c.seed(db);
    prisma_cpp::serve::Engine engine(schema(), database.url, ".");
    json::value answer = engine.execute(json::parse(c.query));
    INFO("engine: " << json::serialize(answer));
    CHECK(engine_error(answer) == c.error);
    engine_after = dump(db);
    CHECK(engine_after == c.after);
  }
}

}  // namespace

TEST_CASE("relationMode prisma: a delete carries out Cascade through two levels and SetNull", "[relation_mode]") {
  std::vector<Case> cases = {
      {"delete cascades to posts and their comments, other users' rows stay",
       [](Client& db) { seed_users(db), seed_posts(db); },
       [](Client& db) { CHECK(db.user.delete_(user::id == 1).email == "a@x.io"); },
       q("User", "deleteOne", R"({"where":{"id":1}})"), "",
       "User 2 b@x.io\nCascaded 3 p3 user 2\nComment 3 post 3\n"},
      {"deleteMany cascades for every user it deletes",
       [](Client& db) { seed_users(db), seed_posts(db); },
       [](Client& db) { CHECK(db.user.delete_many(user::email.ends_with("@x.io")) == 2); },
       q("User", "deleteMany", R"({"where":{"email":{"endsWith":"@x.io"}}})"), "", ""},
      {"deleteMany with a limit cascades for the rows it deletes only",
       [](Client& db) { seed_users(db), seed_posts(db); },
       [](Client& db) { CHECK(db.user.delete_many(user::id >= 1, limit(1)) == 1); },
       q("User", "deleteMany", R"({"where":{"id":{"gte":1}},"limit":1})"), "",
       "User 2 b@x.io\nCascaded 3 p3 user 2\nComment 3 post 3\n"},
      {"deleteMany without a filter cascades too",
       [](Client& db) { seed_users(db), seed_posts(db); },
       [](Client& db) { CHECK(db.user.delete_many() == 2); },
       q("User", "deleteMany", R"({})"), "", ""},
      {"a delete of a post cascades to its comments",
       [](Client& db) { seed_users(db), seed_posts(db); },
       [](Client& db) { db.cascaded.delete_(cascaded::id == 2); },
       q("Cascaded", "deleteOne", R"({"where":{"id":2}})"), "",
       "User 1 a@x.io\nUser 2 b@x.io\nCascaded 1 p1 user 1\nCascaded 3 p3 user 2\nComment 1 post 1\nComment 3 post 3\n"},
      {"SetNull and an optional relation's default set the foreign key to NULL",
       [](Client& db) {
         seed_users(db);
         db.nulled.create({.userId = 1});
         db.nulled.create({.userId = 2});
         db.loose.create({.userId = 1});
       },
       [](Client& db) { db.user.delete_(user::id == 1); }, q("User", "deleteOne", R"({"where":{"id":1}})"), "",
       "User 2 b@x.io\nNulled 1 user null\nNulled 2 user 2\nLoose 1 user null\n"},
      {"a relation on a unique non-id field cascades by that field",
       [](Client& db) {
         seed_users(db);
         db.byEmail.create({.email = "a@x.io"});
         db.byEmail.create({.email = "b@x.io"});
       },
       [](Client& db) { db.user.delete_(user::email == "b@x.io"); },
       q("User", "deleteOne", R"({"where":{"email":"b@x.io"}})"), "", "User 1 a@x.io\nByEmail 1 a@x.io\n"},
      {"a delete of a record that does not exist is P2025",
       [](Client& db) { seed_users(db); },
       [](Client& db) { db.user.delete_(user::id == 9); }, q("User", "deleteOne", R"({"where":{"id":9}})"), "P2025",
       "User 1 a@x.io\nUser 2 b@x.io\n"},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("relationMode prisma: Restrict refuses a delete with P2014 and rolls back what cascaded", "[relation_mode]") {
  std::vector<Case> cases = {
      {"Restrict",
       [](Client& db) {
         seed_users(db);
         db.restricted.create({.userId = 1});
       },
       [](Client& db) { db.user.delete_(user::id == 1); }, q("User", "deleteOne", R"({"where":{"id":1}})"), "P2014",
       "User 1 a@x.io\nUser 2 b@x.io\nRestricted 1 user 1\n"},
      {"a required relation's default (Restrict)",
       [](Client& db) {
         seed_users(db);
         db.defaulted.create({.userId = 2});
       },
       [](Client& db) { db.user.delete_many(); }, q("User", "deleteMany", R"({})"), "P2014",
       "User 1 a@x.io\nUser 2 b@x.io\nDefaulted 1 user 2\n"},
      {"a one-to-one relation with Restrict",
       [](Client& db) {
         seed_users(db);
         db.profile.create({.bio = "hi", .userId = 1});
       },
       [](Client& db) { db.user.delete_(user::email == "a@x.io"); },
       q("User", "deleteOne", R"({"where":{"email":"a@x.io"}})"), "P2014",
       "User 1 a@x.io\nUser 2 b@x.io\nProfile 1 user 1\n"},
      {"cascaded deletes are rolled back with the refusal",
       [](Client& db) {
         seed_users(db), seed_posts(db);
         db.restricted.create({.userId = 1});
       },
       [](Client& db) { db.user.delete_(user::id == 1); }, q("User", "deleteOne", R"({"where":{"id":1}})"), "P2014",
       "User 1 a@x.io\nUser 2 b@x.io\nCascaded 1 p1 user 1\nCascaded 2 p2 user 1\nCascaded 3 p3 user 2\n"
       "Comment 1 post 1\nComment 2 post 2\nComment 3 post 3\nRestricted 1 user 1\n"},
      {"rows restricted by another user do not stop the delete",
       [](Client& db) {
         seed_users(db);
         db.restricted.create({.userId = 2});
       },
       [](Client& db) { db.user.delete_(user::id == 1); }, q("User", "deleteOne", R"({"where":{"id":1}})"), "",
       "User 2 b@x.io\nRestricted 1 user 2\n"},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("relationMode prisma: a change of a referenced key carries out onUpdate", "[relation_mode]") {
  std::vector<Case> cases = {
      {"Cascade and a required relation's default (Cascade) follow the new id",
       [](Client& db) {
         seed_users(db), seed_posts(db);
         db.defaulted.create({.userId = 1});
         db.loose.create({.userId = 1});
       },
       [](Client& db) { CHECK(db.user.update(user::id == 1, {.id = 10}).id == 10); },
       q("User", "updateOne", R"({"where":{"id":1},"data":{"id":10}})"), "",
       "User 2 b@x.io\nUser 10 a@x.io\nCascaded 1 p1 user 10\nCascaded 2 p2 user 10\nCascaded 3 p3 user 2\n"
       "Comment 1 post 1\nComment 2 post 2\nComment 3 post 3\nDefaulted 1 user 10\nLoose 1 user 10\n"},
      {"an increment of the id cascades as the same increment",
       [](Client& db) { seed_users(db), seed_posts(db); },
       [](Client& db) { db.user.update_many(user::id >= 1, {.id = increment(100)}); },
       q("User", "updateMany", R"({"where":{"id":{"gte":1}},"data":{"id":{"increment":100}}})"), "",
       "User 101 a@x.io\nUser 102 b@x.io\nCascaded 1 p1 user 101\nCascaded 2 p2 user 101\nCascaded 3 p3 user 102\n"
       "Comment 1 post 1\nComment 2 post 2\nComment 3 post 3\n"},
      {"a unique non-id field cascades to the rows that reference it",
       [](Client& db) {
         seed_users(db);
         db.byEmail.create({.email = "a@x.io"});
       },
       [](Client& db) { db.user.update(user::id == 1, {.email = "z@x.io"}); },
       q("User", "updateOne", R"({"where":{"id":1},"data":{"email":"z@x.io"}})"), "",
       "User 1 z@x.io\nUser 2 b@x.io\nByEmail 1 z@x.io\n"},
      {"Restrict refuses the change with P2014",
       [](Client& db) {
         seed_users(db);
         db.restricted.create({.userId = 1});
       },
       [](Client& db) { db.user.update(user::id == 1, {.id = 10}); },
       q("User", "updateOne", R"({"where":{"id":1},"data":{"id":10}})"), "P2014",
       "User 1 a@x.io\nUser 2 b@x.io\nRestricted 1 user 1\n"},
      {"SetNull lets go of the old id",
       [](Client& db) {
         seed_users(db);
         db.nulled.create({.userId = 1});
       },
       [](Client& db) { db.user.upsert(user::id == 1, {.email = "new@x.io"}, {.id = 10}); },
       q("User", "upsertOne", R"({"where":{"id":1},"create":{"email":"new@x.io"},"update":{"id":10}})"), "",
       "User 2 b@x.io\nUser 10 a@x.io\nNulled 1 user null\n"},
      {"an update of no referenced column touches nothing else",
       [](Client& db) {
         seed_users(db), seed_posts(db);
         db.restricted.create({.userId = 1});
       },
       [](Client& db) { db.cascaded.update(cascaded::id == 1, {.title = "P1"}); },
       q("Cascaded", "updateOne", R"({"where":{"id":1},"data":{"title":"P1"}})"), "",
       "User 1 a@x.io\nUser 2 b@x.io\nCascaded 1 P1 user 1\nCascaded 2 p2 user 1\nCascaded 3 p3 user 2\n"
       "Comment 1 post 1\nComment 2 post 2\nComment 3 post 3\nRestricted 1 user 1\n"},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("relationMode prisma: nested deletes carry out the actions too", "[relation_mode]") {
  std::vector<Case> cases = {
      {"a nested delete of a post cascades to its comments",
       [](Client& db) { seed_users(db), seed_posts(db); },
       [](Client& db) { db.user.update(user::id == 1, {.cascaded = {.delete_ = {cascaded::id == 1}}}); },
       q("User", "updateOne", R"({"where":{"id":1},"data":{"cascaded":{"delete":[{"id":1}]}}})"), "",
       "User 1 a@x.io\nUser 2 b@x.io\nCascaded 2 p2 user 1\nCascaded 3 p3 user 2\nComment 2 post 2\nComment 3 post 3\n"},
      {"a nested deleteMany cascades for each post",
       [](Client& db) { seed_users(db), seed_posts(db); },
       [](Client& db) { db.user.update(user::id == 1, {.cascaded = {.delete_many = {cascaded::title.starts_with("p")}}}); },
       q("User", "updateOne", R"({"where":{"id":1},"data":{"cascaded":{"deleteMany":[{"title":{"startsWith":"p"}}]}}})"),
       "", "User 1 a@x.io\nUser 2 b@x.io\nCascaded 3 p3 user 2\nComment 3 post 3\n"},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("relationMode prisma: P2014 names the relation and the two models as Prisma does", "[relation_mode]") {
  Database database;
  auto db = database.client();
  seed_users(db);
  db.restricted.create({.userId = 1});
  try {
    db.user.delete_(user::id == 1);
    FAIL("the delete went through");
  } catch (const RelationViolation& e) {
    CHECK(e.code() == "P2014");
    CHECK(e.message() ==
          "The change you are trying to make would violate the required relation 'RestrictedToUser' between the "
          "`Restricted` and `User` models.");
  }
  prisma_cpp::serve::Engine engine(schema(), database.url, ".");
  json::value answer = engine.execute(json::parse(q("User", "deleteMany", R"({"where":{"id":1}})")));
  const auto& e = answer.at("errors").at(0).at("user_facing_error");
  CHECK(e.at("error_code") == "P2014");
  CHECK(e.at("message") ==
        "The change you are trying to make would violate the required relation 'RestrictedToUser' between the "
        "`Restricted` and `User` models.");
  CHECK(e.at("meta") == json::parse(R"({"modelName":"User","relation":"RestrictedToUser","modelA":"Restricted","modelB":"User"})"));
  CHECK(db.user.count() == 2);
}
