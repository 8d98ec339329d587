// The replay test's PostgreSQL-only part (tests/serve/test_replay.cpp holds what both backends
// share): on the kitchen-sink schema (tests/fixtures/kitchen_sink/postgresql), the engine and the
// typed client on the same database: scalar lists (filters, set, push, reads), a model in another
// database schema (@@schema("audit"): tables schema-qualified), and what the client's API leaves
// out (Unsupported(...) and @ignore fields, @@ignore models).
#include <kitchen/all.hpp>

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include "../support/pg_test_db.hpp"
#include "schema/load.hpp"
#include "same_metadata.hpp"
#include "serve/engine.hpp"

using namespace prisma;
using namespace kitchen;
namespace json = boost::json;

namespace {

prisma_test::PgTestDatabase& server() {
  static prisma_test::PgTestDatabase database("replay_kitchen");
  return database;
}

Client fresh() {
  {
    auto admin = Client::open(server().url() + "?connection_limit=1");
    admin.pool().acquire()->exec(
        "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS audit CASCADE; CREATE SCHEMA public");
  }
  auto db = Client::open(server().url() + "?connection_limit=2");
  db.push_schema();
  db.member.create({.handle = "a", .email = "a@x.io", .nicknames = {"x", "y"}, .scores = {3, 1}});
  db.member.create({.handle = "b", .email = "b@x.io", .nicknames = {"y"}});
  db.member.create({.handle = "c", .email = "c@x.io"});
  return db;
}

const prisma_cpp::ir::Schema& schema() {
  static auto loaded = [] {
    auto l = prisma_cpp::schema::load_path(std::string(PRISMA_CPP_SOURCE_DIR) + "/tests/fixtures/kitchen_sink/postgresql");
    REQUIRE(l.ok());
    return l;
  }();
  return loaded.schema;
}

json::value data_of(const json::value& response) {
  INFO(json::serialize(response));
  REQUIRE(response.as_object().contains("data"));
  return response.at("data").as_object().begin()->value();
}
std::string code_of(const json::value& response) {
  INFO(json::serialize(response));
  REQUIRE(response.as_object().contains("errors"));
  return std::string(response.at("errors").at(0).at("user_facing_error").at("error_code").as_string());
}

std::string query(const std::string& model, const std::string& action, const std::string& arguments,
                  const std::string& selection = R"({"handle":true,"nicknames":true,"scores":true})") {
  return R"({"modelName":")" + model + R"(","action":")" + action + R"(","query":{"arguments":)" + arguments +
         R"(,"selection":)" + selection + "}}";
}

// Members as the selection above answers them, through the typed client.
template <class Rows>
json::value lists(const Rows& rows) {
  json::array out;
  for (const auto& m : rows) {
    json::array nicknames, scores;
    for (const auto& n : m.nicknames) nicknames.emplace_back(n);
    for (auto s : m.scores) scores.emplace_back(static_cast<std::int64_t>(s));
    out.push_back(json::object{{"handle", m.handle}, {"nicknames", nicknames}, {"scores", scores}});
  }
  return out;
}

}  // namespace

TEST_CASE("serve on PostgreSQL: scalar list filters answer as the typed client", "[serve][replay][postgres]") {
  auto db = fresh();
  prisma_cpp::serve::Engine engine(schema(), server().url(), ".");
  auto both = [&](const std::string& name, const std::string& json_where, const auto& filter) {
    INFO(name);
    json::value engine_rows = data_of(engine.execute(json::parse(query("Member", "findMany", R"({"where":)" + json_where + R"(,"orderBy":{"handle":"asc"}})"))));
    json::value typed_rows = lists(db.member.find_many(where(filter), order_by(member::handle.asc())));
    CHECK(engine_rows == typed_rows);
  };
  both("has", R"({"nicknames":{"has":"y"}})", member::nicknames.has("y"));
  both("hasSome", R"({"nicknames":{"hasSome":["x","z"]}})", member::nicknames.has_some({"x", "z"}));
  both("hasEvery", R"({"nicknames":{"hasEvery":["x","y"]}})", member::nicknames.has_every({"x", "y"}));
  both("hasEvery of nothing", R"({"nicknames":{"hasEvery":[]}})", member::nicknames.has_every({}));
  both("isEmpty", R"({"nicknames":{"isEmpty":true}})", member::nicknames.is_empty());
  both("equals", R"({"nicknames":{"equals":["y"]}})", member::nicknames.equals_list({"y"}));
  both("NOT has", R"({"NOT":{"nicknames":{"has":"y"}}})", !member::nicknames.has("y"));
  both("Int list has", R"({"scores":{"has":3}})", member::scores.has(3));
  // the whole row's lists, in $scalars
  json::value all = data_of(engine.execute(json::parse(query("Member", "findMany", R"({"orderBy":{"handle":"asc"}})", R"({"$scalars":true})"))));
  auto typed = db.member.find_many(order_by(member::handle.asc()));
  REQUIRE(all.as_array().size() == typed.size());
  CHECK(all.at(0).at("nicknames") == json::parse(R"(["x","y"])"));
  CHECK(all.at(0).at("scores") == json::parse(R"([3,1])"));
}

TEST_CASE("serve on PostgreSQL: set and push write lists as the typed client", "[serve][replay][postgres]") {
  json::value by_engine, by_typed;
  {
    auto db = fresh();
    prisma_cpp::serve::Engine engine(schema(), server().url(), ".");
    data_of(engine.execute(json::parse(query("Member", "updateOne", R"({"where":{"handle":"a"},"data":{"nicknames":{"push":"z"},"scores":{"push":[7,8]}}})"))));
    data_of(engine.execute(json::parse(query("Member", "updateOne", R"({"where":{"handle":"b"},"data":{"nicknames":{"set":["q","r \"s\""]}}})"))));
    data_of(engine.execute(json::parse(query("Member", "updateOne", R"({"where":{"handle":"c"},"data":{"nicknames":{"push":["first"]}}})"))));
    data_of(engine.execute(json::parse(query("Member", "createOne", R"({"data":{"handle":"d","email":"d@x.io","nicknames":{"set":["d1"]},"scores":[5]}})"))));
    by_engine = lists(db.member.find_many(order_by(member::handle.asc())));
  }
  {
    auto db = fresh();
    db.member.update(member::handle == "a", {.nicknames = push("z"), .scores = push(std::vector<std::int32_t>{7, 8})});
    db.member.update(member::handle == "b", {.nicknames = std::vector<std::string>{"q", "r \"s\""}});
    db.member.update(member::handle == "c", {.nicknames = push(std::vector<std::string>{"first"})});
    db.member.create({.handle = "d", .email = "d@x.io", .nicknames = {"d1"}, .scores = {5}});
    by_typed = lists(db.member.find_many(order_by(member::handle.asc())));
  }
  INFO("engine: " << json::serialize(by_engine));
  INFO("typed:  " << json::serialize(by_typed));
  CHECK(by_engine == by_typed);
}

TEST_CASE("serve on PostgreSQL: a model in another database schema is read and written there", "[serve][replay][postgres]") {
  auto db = fresh();
  prisma_cpp::serve::Engine engine(schema(), server().url(), ".");
  json::value created = data_of(engine.execute(json::parse(query(
      "AuditLog", "createOne", R"({"data":{"actorId":"0b6c3f4e-9a39-4b8f-8c41-5d1e1f0a2b3c","small":7,"dbl":2.5}})",
      R"({"id":true,"action":true,"small":true,"dbl":true})"))));
  CHECK(created == json::parse(R"({"id":{"$type":"BigInt","value":"1"},"action":"unknown","small":7,"dbl":2.5})"));
  // the typed client reads what the engine wrote, in audit.audit_log
  auto typed = db.auditLog.find_many(where(auditLog::small == 7));
  REQUIRE(typed.size() == 1);
  CHECK(typed[0].dbl == 2.5);
  auto raw = db.pool().acquire();
  auto cur = raw->cursor("SELECT count(*) FROM audit.audit_log");
  REQUIRE(cur.step());
  CHECK(cur.text(0) == "1");
  // and the engine reads what the typed client wrote, with a filter and a count
  db.auditLog.create({.small = 9});
  json::value counted = data_of(engine.execute(json::parse(
      R"({"modelName":"AuditLog","action":"aggregate","query":{"arguments":{"where":{"small":{"gte":7}}},"selection":{"_count":{"selection":{"_all":true}}}}})")));
  CHECK(counted.at("_count").at("_all") == static_cast<std::int64_t>(db.auditLog.count(where(auditLog::small >= 7))));
  json::value updated = data_of(engine.execute(json::parse(
      R"({"modelName":"AuditLog","action":"updateMany","query":{"arguments":{"where":{"small":9},"data":{"action":"edited"}}}})")));
  CHECK(updated.at("count") == 1);
  CHECK(db.auditLog.find_first(where(auditLog::small == 9))->action == "edited");
}

TEST_CASE("serve on PostgreSQL: Unsupported and @ignore fields and @@ignore models are not part of the API", "[serve][replay][postgres]") {
  auto db = fresh();
  prisma_cpp::serve::Engine engine(schema(), server().url(), ".");
  // $scalars: exactly the typed client's columns (no `legacy`, the Unsupported("circle") field)
  json::value m = data_of(engine.execute(json::parse(query("Member", "findFirst", R"({"where":{"handle":"a"}})", R"({"$scalars":true})"))));
  std::set<std::string> engine_keys, typed_keys;
  for (const auto& [k, v] : m.as_object()) engine_keys.insert(std::string(k));
  using Cols = meta::model_traits<Member>::columns;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (typed_keys.insert(std::string(std::tuple_element_t<I, Cols>::name)), ...);
  }(std::make_index_sequence<std::tuple_size_v<Cols>>{});
  CHECK(engine_keys == typed_keys);
  CHECK_FALSE(engine_keys.count("legacy"));
  CHECK(code_of(engine.execute(json::parse(query("Member", "findMany", R"({"where":{"legacy":null}})", R"({"$scalars":true})")))) == "P2009");
  CHECK(code_of(engine.execute(json::parse(query("Member", "findMany", R"({})", R"({"legacy":true})")))) == "P2009");
  // @ignore: Node's `secret`
  db.node.create({.id = 1});
  json::value n = data_of(engine.execute(json::parse(query("Node", "findUnique", R"({"where":{"id":1}})", R"({"$scalars":true})"))));
  CHECK(n == json::parse(R"({"id":1,"nextId":null})"));
  CHECK(code_of(engine.execute(json::parse(query("Node", "updateOne", R"({"where":{"id":1},"data":{"secret":5}})", R"({"$scalars":true})")))) == "P2009");
  // @@ignore: the model Legacy
  CHECK(code_of(engine.execute(json::parse(query("Legacy", "findMany", R"({})", R"({"$scalars":true})")))) == "P2009");
}

TEST_CASE("serve on PostgreSQL: raw results of every PostgreSQL type are typed as Prisma types them", "[serve][replay][postgres][raw]") {
  fresh();
  prisma_cpp::serve::Engine engine(schema(), server().url(), ".");
  json::value r = data_of(engine.execute(json::parse(R"({"action":"queryRaw","query":{"arguments":{"query":)" + json::serialize(json::value(
      "SELECT 1::int4 AS i, 2::int8 AS b, 1.5::float8 AS d, 2.50::numeric AS n, true AS t, 'x'::text AS s, "
      "'{\"a\":1}'::jsonb AS j, '\\x00ff'::bytea AS y, '2024-01-02 03:04:05.678+00'::timestamptz AS ts, "
      "'2024-01-02'::date AS dt, '03:04:05'::time AS tm, '0b6c3f4e-9a39-4b8f-8c41-5d1e1f0a2b3c'::uuid AS u, "
      "ARRAY[1,2]::int4[] AS ia, ARRAY['a','b c']::text[] AS sa, 'mod'::member_role AS e, 'a'::char(1) AS c")) +
      R"(,"parameters":"[]"}}})")));
  INFO(json::serialize(r));
  CHECK(r.at("types") == json::parse(R"(["int","bigint","double","decimal","bool","string","json","bytes","datetime","date","time","uuid","int-array","string-array","enum","char"])"));
  CHECK(r.at("rows").at(0) == json::parse(R"([1,"2",1.5,"2.50",true,"x",{"a":1},"AP8=","2024-01-02T03:04:05.678+00:00","2024-01-02","03:04:05","0b6c3f4e-9a39-4b8f-8c41-5d1e1f0a2b3c",[1,2],["a","b c"],"mod","a"])"));
}

TEST_CASE("serve on PostgreSQL: the engine's nested-write metadata is the generated library's with @@schema and m:n",
          "[serve][replay][postgres]") {
  prisma_cpp::serve::WriteSchema ws(schema());
  [&]<class... M>(std::type_identity<std::tuple<M...>>) {
    (prisma_replay::same_metadata<M>(ws, schema()), ...);
  }(std::type_identity<prisma_schema::models>{});
}
