// The query suite's semantics through the run-time engine (issue 14): each case is a query in
// Prisma's JSON protocol, run by `serve::Engine` on the suite's data, beside the same query through
// the typed client on the same data; the answers (rows, counts, aggregates, error codes) and, for
// writes, every table afterwards must be equal. Built once per backend from this one source.
#include "../suite/suite.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <optional>

#include "schema/load.hpp"
#include "serve/engine.hpp"
#include "same_metadata.hpp"

using namespace prisma_suite;
namespace json = boost::json;

namespace {

// ---- the typed client's answers, in the protocol's JSON --------------------------------------

template <class T>
json::value val(const T& v) {
  if constexpr (requires { v.has_value(); }) {
    return v ? val(*v) : json::value(nullptr);
  } else if constexpr (std::is_enum_v<T>) {
    return json::value(std::string(to_string(v)));
  } else if constexpr (std::is_same_v<T, bool>) {
    return json::value(v);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return json::value{{"$type", "BigInt"}, {"value", std::to_string(v)}};
  } else if constexpr (std::is_integral_v<T>) {
    return json::value(static_cast<std::int64_t>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    return json::value(static_cast<double>(v));
  } else if constexpr (std::is_same_v<T, std::string>) {
    return json::value(v);
  } else if constexpr (std::is_same_v<T, DateTime>) {
    return json::value{{"$type", "DateTime"}, {"value", v.to_iso(true)}};
  } else if constexpr (std::is_same_v<T, Decimal>) {
    return json::value{{"$type", "Decimal"}, {"value", v.str()}};
  } else if constexpr (std::is_same_v<T, Json>) {
    return json::value{{"$type", "Json"}, {"value", v.text()}};
  } else {
    static_assert(std::is_same_v<T, Bytes>, "a scalar type the replay does not know");
    static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < v.size(); i += 3) {
      unsigned n = (unsigned(v[i]) << 16) | (unsigned(v[i + 1]) << 8) | unsigned(v[i + 2]);
      for (int s : {18, 12, 6, 0}) out += digits[(n >> s) & 63];
    }
    if (i + 1 == v.size()) {
      unsigned n = unsigned(v[i]) << 16;
      out += std::string{digits[(n >> 18) & 63], digits[(n >> 12) & 63], '=', '='};
    } else if (i + 2 == v.size()) {
      unsigned n = (unsigned(v[i]) << 16) | (unsigned(v[i + 1]) << 8);
      out += std::string{digits[(n >> 18) & 63], digits[(n >> 12) & 63], digits[(n >> 6) & 63], '='};
    }
    return json::value{{"$type", "Bytes"}, {"value", out}};
  }
}

// A row of model M (or of an include result deriving from it): every scalar field by name.
template <class M, class R>
json::object row(const R& r) {
  json::object o;
  using Cols = typename meta::model_traits<M>::columns;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((o[std::string(std::tuple_element_t<I, Cols>::name)] =
          val(static_cast<const M&>(r).*(std::tuple_element_t<I, Cols>::descriptor::member))),
     ...);
  }(std::make_index_sequence<std::tuple_size_v<Cols>>{});
  return o;
}
template <class M, class Rows, class F>
json::array rows(const Rows& rs, F&& extra) {
  json::array out;
  for (const auto& r : rs) {
    json::object o = row<M>(r);
    extra(r, o);
    out.push_back(std::move(o));
  }
  return out;
}
template <class M, class Rows>
json::array rows(const Rows& rs) {
  return rows<M>(rs, [](const auto&, json::object&) {});
}
template <class M, class Opt>
json::value maybe(const Opt& r) {
  return r ? json::value(row<M>(*r)) : json::value(nullptr);
}

// Aggregates and groups come as tuples: each element put at a path ("_sum.views"); a path
// starting with '#' is a plain number (counts, the sum of an Int), as the protocol has it.
template <class Tuple>
json::object named(const Tuple& t, std::vector<std::string> paths) {
  json::object o;
  std::size_t i = 0;
  std::apply([&](const auto&... v) {
    ((void)[&] {
      std::string p = paths[i++];
      bool plain = !p.empty() && p[0] == '#';
      if (plain) p = p.substr(1);
      json::value x = val(v);
      using V = std::decay_t<decltype(v)>;
      if constexpr (requires { v.has_value(); }) {
        if constexpr (std::is_integral_v<typename V::value_type>)
          if (plain) x = v ? json::value(static_cast<std::int64_t>(*v)) : json::value(nullptr);
      } else if constexpr (std::is_integral_v<V>) {
        if (plain) x = json::value(static_cast<std::int64_t>(v));
      }
      auto dot = p.find('.');
      if (dot == std::string::npos) o[p] = x;
      else {
        json::value& g = o[p.substr(0, dot)];
        if (!g.is_object()) g = json::object{};
        g.as_object()[p.substr(dot + 1)] = x;
      }
    }(), ...);
  }, t);
  return o;
}

json::value error_code(const std::string& code) { return json::object{{"error", code}}; }

// Runs a typed call; its error as {"error": code}.
json::value typed_answer(const std::function<json::value()>& f) {
  try {
    return f();
  } catch (const Error& e) {
    return error_code(e.code());
  }
}

// The engine's answer: the one result of `data`, or {"error": code}.
json::value engine_answer(const json::value& response) {
  const auto& o = response.as_object();
  if (auto* e = o.if_contains("errors")) return error_code(std::string(e->as_array().at(0).at("user_facing_error").at("error_code").as_string()));
  const auto& data = o.at("data").as_object();
  REQUIRE(data.size() == 1);
  return data.begin()->value();
}

// Values written at "now" differ between the two runs: replaced by a marker (their presence is kept).
void mask_times(json::value& v) {
  if (v.is_array())
    for (auto& x : v.as_array()) mask_times(x);
  if (!v.is_object()) return;
  for (auto& [k, x] : v.as_object()) {
    if ((k == "updatedAt" || k == "createdAt" || k == "touched") && !x.is_null()) x = "<time>";
    else mask_times(x);
  }
}

// ---- the data -------------------------------------------------------------------------------

//   the blog rows of suite.hpp, with comments, profiles, categories (m:n) and mentors as the
//   relation tests have them, two order lines (compound id) and one sample of every type
void seed(Client& db) {
  seed_blog(db);
  for (auto [post, text] : std::vector<std::pair<int, const char*>>{{1, "a1"}, {1, "a2"}, {1, "a3"}, {3, "c1"}, {4, "d1"}, {4, "d2"}})
    db.comment.create({.text = text, .postId = post});
  db.profile.create({.bio = "math", .userId = 1});
  db.profile.create({.bio = "tea", .userId = 4});
  db.category.create({.name = "news"});
  db.category.create({.name = "tech"});
  db.category.create({.name = "empty"});
  exec_sql(db, "INSERT INTO \"_CategoryToPost\" (\"A\", \"B\") VALUES (1, 1), (1, 3), (1, 4), (2, 1), (2, 5)");
  db.user.update_many(user::id == 2 || user::id == 3, {.mentorId = 1});
  db.user.update(user::id == 5, {.mentorId = 4});
  db.line.create({.orderId = "o1", .sku = "a", .position = 1, .qty = 2});
  db.line.create({.orderId = "o1", .sku = "b", .position = 2});
  Bytes raw{std::byte{0}, std::byte{1}, std::byte{255}, std::byte{16}};
  db.sample.create({.id = "s1", .label = "a", .big = 9007199254740993LL, .price = Decimal("12.5"), .at = day(7),
                    .data = Json(R"({"k":[1,2]})"), .raw = raw, .roleOpt = Role::ADMIN, .cuid = "c", .nano = "n"});
  db.sample.create({.id = "s2", .label = "b\"q", .flag = true, .big = 1, .ratio = 0.1234567891, .price = Decimal("0.5"),
                    .at = day(8), .role = Role::USER, .cuid = "c2", .nano = "n2"});
  db.account.create({.owner = "ann", .balance = 100});
}

// Every table, through the typed client, in key order.
json::value dump(Client& db) {
  json::object out;
  out["User"] = rows<User>(db.user.find_many(order_by(user::id.asc())));
  out["Profile"] = rows<Profile>(db.profile.find_many(order_by(profile::id.asc())));
  out["Post"] = rows<Post>(db.post.find_many(order_by(post::id.asc())));
  out["Comment"] = rows<Comment>(db.comment.find_many(order_by(comment::id.asc())));
  out["Category"] = rows<Category>(db.category.find_many(include(category::posts.order_by(post::id.asc())), order_by(category::id.asc())),
                                   [](const auto& c, json::object& o) {
                                     json::array ids;
                                     for (const auto& p : c.posts) ids.push_back(p.id);
                                     o["posts"] = ids;
                                   });
  out["Line"] = rows<Line>(db.line.find_many(order_by(line::orderId.asc(), line::sku.asc())));
  out["Account"] = rows<Account>(db.account.find_many(order_by(account::id.asc())));
  out["Sample"] = rows<Sample>(db.sample.find_many(order_by(sample::label.asc())));
  return out;
}

// A database of the suite's schema with the data above; `url` is what the engine opens.
struct Database {
#ifdef PRISMA_SUITE_POSTGRES
  static prisma_test::PgTestDatabase& server() {
    static prisma_test::PgTestDatabase database("replay");
    return database;
  }
  std::string url = server().url();
  Database() {
    auto admin = Client::open(url + "?connection_limit=1");
    admin.pool().acquire()->exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
  }
#else
  std::string path = (std::filesystem::temp_directory_path() / ("prisma_replay_" + std::to_string(::getpid()) + ".db")).string();
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
    seed(db);
    return db;
  }
};

const prisma_cpp::ir::Schema& schema() {
  static auto loaded = [] {
    auto l = prisma_cpp::schema::load_path(std::string(PRISMA_CPP_SOURCE_DIR) + "/tests/suite/schema.prisma");
    REQUIRE(l.ok());
    return l;
  }();
  return loaded.schema;
}

struct Case {
  std::string name;
  std::string query;                        // Prisma's JSON protocol
  std::function<json::value(Client&)> typed;  // the same through the typed client
};

void check_equal(const std::string& name, const json::value& engine, const json::value& typed) {
  INFO(name);
  INFO("engine: " << json::serialize(engine));
  INFO("typed:  " << json::serialize(typed));
  CHECK(engine == typed);
}

std::string q(const std::string& model, const std::string& action, const std::string& arguments, const std::string& selection = R"({"$scalars":true})") {
  return R"({"modelName":")" + model + R"(","action":")" + action + R"(","query":{"arguments":)" + arguments +
         R"(,"selection":)" + selection + "}}";
}

}  // namespace

TEST_CASE("serve: JSON reads through the engine answer as the typed client on the same data", "[serve][replay]") {
  Database database;
  auto db = database.client();
  prisma_cpp::serve::Engine engine(schema(), database.url, ".");

  std::vector<Case> cases = {
      {"findMany of every user, by id", q("User", "findMany", R"({"orderBy":[{"id":"asc"}]})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(order_by(user::id.asc())))); }},
      {"scalar filters: gte, not null, OR, NOT", q("User", "findMany", R"({"where":{"age":{"gte":18},"name":{"not":null},"OR":[{"role":"ADMIN"},{"email":{"startsWith":"dave"}}],"NOT":{"id":5}},"orderBy":{"id":"asc"}})"),
       [](Client& c) {
         return json::value(rows<User>(c.user.find_many(
             where(user::age >= 18 && user::name.is_not_null() && (user::role == Role::ADMIN || user::email.starts_with("dave")) && !(user::id == 5)),
             order_by(user::id.asc()))));
       }},
      {"contains with a literal %, endsWith, in, notIn", q("User", "findMany", R"({"where":{"OR":[{"name":{"contains":"100%"}},{"email":{"endsWith":"ve@x.io"}}],"id":{"in":[1,4,5]},"age":{"notIn":[17]}},"orderBy":{"id":"desc"}})"),
       [](Client& c) {
         return json::value(rows<User>(c.user.find_many(
             where((user::name.contains("100%") || user::email.ends_with("ve@x.io")) && user::id.in({1, 4, 5}) && user::age.not_in({17})),
             order_by(user::id.desc()))));
       }},
      // lists are one bound parameter on both front ends (sql::in_list): JSON for SQLite's json_each,
      // an array for PostgreSQL's ANY/ALL; every scalar type, Float to its last digit, a NULL left out
      {"in lists of every scalar type", q("Sample", "findMany", R"({"where":{"label":{"in":["a","b\"q","zz"]},"big":{"in":[{"$type":"BigInt","value":"9007199254740993"},{"$type":"BigInt","value":"1"}]},"ratio":{"in":[0,0.1234567891]},"price":{"in":[{"$type":"Decimal","value":"12.5"},{"$type":"Decimal","value":"0.5"}]},"at":{"in":[{"$type":"DateTime","value":"2024-01-07T00:00:00.000Z"},{"$type":"DateTime","value":"2024-01-08T00:00:00.000Z"}]},"role":{"in":["GUEST","USER"]},"flag":{"in":[false,true]}},"orderBy":{"label":"asc"}})"),
       [](Client& c) {
         return json::value(rows<Sample>(c.sample.find_many(
             where(sample::label.in({"a", "b\"q", "zz"}) && sample::big.in({9007199254740993LL, 1}) && sample::ratio.in({0.0, 0.1234567891}) &&
                   sample::price.in({Decimal("12.5"), Decimal("0.5")}) && sample::at.in({day(7), day(8)}) &&
                   sample::role.in({Role::GUEST, Role::USER}) && sample::flag.in({false, true})),
             order_by(sample::label.asc()))));
       }},
      {"notIn lists leave NULLs out; a Float matches only itself", q("Sample", "findMany", R"({"where":{"OR":[{"ratio":{"notIn":[0.1234567891]}},{"roleOpt":{"notIn":["USER"]}},{"ratio":{"in":[0.123456789]}}]},"orderBy":{"label":"asc"}})"),
       [](Client& c) {
         return json::value(rows<Sample>(c.sample.find_many(
             where(sample::ratio.not_in({0.1234567891}) || sample::roleOpt.not_in({Role::USER}) || sample::ratio.in({0.123456789})),
             order_by(sample::label.asc()))));
       }},
      {"field references: a column compared with another of the same row", q("Post", "findMany", R"({"where":{"views":{"gt":{"$type":"FieldRef","value":{"_ref":"authorId","_container":"Post"}}},"NOT":{"views":{"equals":{"$type":"FieldRef","value":{"_ref":"authorId","_container":"Post"}}}}},"orderBy":{"id":"asc"}})"),
       [](Client& c) { return json::value(rows<Post>(c.post.find_many(where(post::views > post::authorId && !(post::views == post::authorId)), order_by(post::id.asc())))); }},
      {"a field reference of another type is refused", q("Post", "findMany", R"({"where":{"views":{"gt":{"$type":"FieldRef","value":{"_ref":"title","_container":"Post"}}}}})"),
       [](Client&) { return error_code("P2009"); }},
      {"findFirst takes take by its sign", q("User", "findFirst", R"({"where":{"age":{"gt":18}},"orderBy":[{"age":"asc"},{"id":"asc"}],"take":-3})"),
       [](Client& c) { return json::value(row<User>(*c.user.find_first(where(user::age > 18), order_by(user::age.asc(), user::id.asc()), take(-3)))); }},
      {"DateTime and enum filters", q("User", "findMany", R"({"where":{"createdAt":{"lt":{"$type":"DateTime","value":"2024-01-04T00:00:00.000Z"}},"role":{"not":"ADMIN"}},"orderBy":{"id":"asc"}})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(where(user::createdAt < day(4) && user::role != Role::ADMIN), order_by(user::id.asc())))); }},
      {"relation filters: some, every, none", q("User", "findMany", R"({"where":{"posts":{"some":{"published":true},"every":{"views":{"gt":0}}},"mentees":{"none":{}}},"orderBy":{"id":"asc"}})"),
       [](Client& c) {
         return json::value(rows<User>(c.user.find_many(where(user::posts.some(post::published == true) && user::posts.every(post::views > 0) && user::mentees.none()),
                                                        order_by(user::id.asc()))));
       }},
      {"to-one relation filters: is, isNot, nested", q("Comment", "findMany", R"({"where":{"post":{"is":{"author":{"is":{"email":"dave_1@x.io"}}}}},"orderBy":{"id":"asc"}})"),
       [](Client& c) { return json::value(rows<Comment>(c.comment.find_many(where(comment::post.is(post::author.is(user::email == "dave_1@x.io"))), order_by(comment::id.asc())))); }},
      {"isNot on an optional to-one", q("User", "findMany", R"({"where":{"mentor":{"isNot":{"id":1}}},"orderBy":{"id":"asc"}})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(where(user::mentor.is_not(user::id == 1)), order_by(user::id.asc())))); }},
      {"many-to-many filters", q("Post", "findMany", R"({"where":{"categories":{"some":{"name":"tech"}}},"orderBy":{"id":"asc"}})"),
       [](Client& c) { return json::value(rows<Post>(c.post.find_many(where(post::categories.some(category::name == "tech")), order_by(post::id.asc())))); }},
      {"categories with no post", q("Category", "findMany", R"({"where":{"posts":{"none":{}}}})"),
       [](Client& c) { return json::value(rows<Category>(c.category.find_many(where(category::posts.none())))); }},
      {"order with nulls last, then id", q("User", "findMany", R"({"orderBy":[{"age":{"sort":"asc","nulls":"last"}},{"id":"desc"}]})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(order_by(user::age.asc().nulls_last(), user::id.desc())))); }},
      {"order by a relation's count", q("User", "findMany", R"({"orderBy":[{"posts":{"_count":"desc"}},{"id":"asc"}]})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(order_by(user::posts.count().desc(), user::id.asc())))); }},
      {"order by a to-one relation's field", q("Post", "findMany", R"({"orderBy":[{"author":{"email":"desc"}},{"id":"asc"}]})"),
       [](Client& c) { return json::value(rows<Post>(c.post.find_many(order_by(post::author.field(user::email).desc(), post::id.asc())))); }},
      {"take and skip", q("Post", "findMany", R"({"orderBy":{"views":"desc"},"take":2,"skip":1})"),
       [](Client& c) { return json::value(rows<Post>(c.post.find_many(order_by(post::views.desc()), take(2), skip(1)))); }},
      {"a negative take reads from the end", q("Post", "findMany", R"({"orderBy":{"id":"asc"},"take":-2,"skip":1})"),
       [](Client& c) { return json::value(rows<Post>(c.post.find_many(order_by(post::id.asc()), take(-2), skip(1)))); }},
      {"cursor in the order of a non-unique field", q("Post", "findMany", R"({"cursor":{"id":4},"orderBy":{"views":"desc"},"take":3})"),
       [](Client& c) { return json::value(rows<Post>(c.post.find_many(cursor(post::id == 4), order_by(post::views.desc()), take(3)))); }},
      {"cursor backwards", q("User", "findMany", R"({"cursor":{"email":"carol@x.io"},"take":-2,"orderBy":{"id":"asc"}})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(cursor(user::email == "carol@x.io"), take(-2), order_by(user::id.asc())))); }},
      {"distinct", q("User", "findMany", R"({"distinct":["role"],"orderBy":{"id":"desc"}})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(distinct(user::role), order_by(user::id.desc())))); }},
      {"distinct in findFirst", q("User", "findFirst", R"({"distinct":["role"],"orderBy":{"id":"desc"},"skip":1})"),
       [](Client& c) { return maybe<User>(c.user.find_first(distinct(user::role), order_by(user::id.desc()), skip(1))); }},
      {"not: value on a nullable column leaves NULL rows out", q("User", "findMany", R"({"where":{"name":{"not":"Bob"}},"orderBy":{"id":"asc"}})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(where(user::name != "Bob"), order_by(user::id.asc())))); }},
      {"not: value on a nullable Int", q("User", "findMany", R"({"where":{"age":{"not":30}},"orderBy":{"id":"asc"}})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(where(user::age != 30), order_by(user::id.asc())))); }},
      {"equals with mode insensitive", q("User", "findMany", R"({"where":{"email":{"equals":"BOB@X.IO","mode":"insensitive"}}})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(where(user::email.equals("BOB@X.IO", mode::insensitive))))); }},
      {"contains with mode insensitive", q("User", "findMany", R"({"where":{"email":{"contains":"CAROL","mode":"insensitive"}}})"),
       [](Client& c) { return json::value(rows<User>(c.user.find_many(where(user::email.contains("CAROL", mode::insensitive))))); }},
      {"select of some fields", q("User", "findMany", R"({"where":{"age":30},"orderBy":{"id":"asc"}})", R"({"id":true,"email":true})"),
       [](Client& c) {
         json::array out;
         for (const auto& r : c.user.find_many(select(user::id, user::email), where(user::age == 30), order_by(user::id.asc())))
           out.push_back(json::object{{"id", r.id}, {"email", r.email}});
         return json::value(out);
       }},
      {"omit", q("User", "findMany", R"({"omit":{"createdAt":true,"age":true},"orderBy":{"id":"asc"}})"),
       [](Client& c) {
         json::array out;
         for (const auto& r : c.user.find_many(omit(user::createdAt, user::age), order_by(user::id.asc())))
           out.push_back(json::object{{"id", r.id}, {"email", r.email}, {"name", val(r.name)}, {"role", val(r.role)}, {"mentorId", val(r.mentorId)}});
         return json::value(out);
       }},
      {"findUnique by a unique field", q("User", "findUnique", R"({"where":{"email":"bob@x.io"}})"),
       [](Client& c) { return maybe<User>(c.user.find_unique(user::email == "bob@x.io")); }},
      {"findUnique by a compound id", q("Line", "findUnique", R"({"where":{"orderId_sku":{"orderId":"o1","sku":"b"}}})"),
       [](Client& c) { return maybe<Line>(c.line.find_unique(line::orderId_sku("o1", "b"))); }},
      {"findUnique of nothing is null", q("User", "findUnique", R"({"where":{"id":99}})"),
       [](Client& c) { return maybe<User>(c.user.find_unique(user::id == 99)); }},
      {"findFirstOrThrow of nothing is P2025", q("User", "findFirstOrThrow", R"({"where":{"age":{"gt":99}}})"),
       [](Client& c) { return typed_answer([&] { return json::value(row<User>(c.user.find_first_or_throw(where(user::age > 99)))); }); }},
      {"every scalar type reads back", q("Sample", "findMany", R"({})"),
       [](Client& c) { return json::value(rows<Sample>(c.sample.find_many())); }},
      {"include of a list with its clauses, nested", q("User", "findMany", R"({"orderBy":{"id":"asc"}})",
                                                          R"({"$scalars":true,"posts":{"arguments":{"where":{"views":{"gt":0}},"orderBy":{"views":"desc"},"take":2},"selection":{"$scalars":true,"comments":true}}})"),
       [](Client& c) {
         return json::value(rows<User>(
             c.user.find_many(include(user::posts.where(post::views > 0).order_by(post::views.desc()).take(2).include(post::comments)), order_by(user::id.asc())),
             [](const auto& u, json::object& o) {
               o["posts"] = rows<Post>(u.posts, [](const auto& p, json::object& po) { po["comments"] = rows<Comment>(p.comments); });
             }));
       }},
      {"include of to-one relations", q("Post", "findMany", R"({"orderBy":{"id":"asc"}})", R"({"$scalars":true,"author":{"selection":{"$scalars":true,"profile":true}}})"),
       [](Client& c) {
         return json::value(rows<Post>(c.post.find_many(include(post::author.include(user::profile)), order_by(post::id.asc())), [](const auto& p, json::object& o) {
           json::object a = row<User>(p.author);
           a["profile"] = maybe<Profile>(p.author.profile);
           o["author"] = a;
         }));
       }},
      {"include of a many-to-many relation and a negative take", q("Category", "findMany", R"({"orderBy":{"id":"asc"}})",
                                                                     R"({"$scalars":true,"posts":{"arguments":{"orderBy":{"id":"asc"},"take":-2},"selection":{"$scalars":true}}})"),
       [](Client& c) {
         return json::value(rows<Category>(c.category.find_many(include(category::posts.order_by(post::id.asc()).take(-2)), order_by(category::id.asc())),
                                           [](const auto& k, json::object& o) { o["posts"] = rows<Post>(k.posts); }));
       }},
      {"_count of relations", q("User", "findMany", R"({"orderBy":{"id":"asc"}})", R"({"$scalars":true,"_count":{"selection":{"posts":true,"mentees":true}}})"),
       [](Client& c) {
         return json::value(rows<User>(c.user.find_many(include(count_of(user::posts, user::mentees)), order_by(user::id.asc())), [](const auto& u, json::object& o) {
           o["_count"] = json::object{{"posts", u._count.posts}, {"mentees", u._count.mentees}};
         }));
       }},
      {"count", q("User", "aggregate", R"({"where":{"age":{"gte":18}}})", R"({"_count":{"selection":{"_all":true}}})"),
       [](Client& c) { return json::value(json::object{{"_count", json::object{{"_all", c.user.count(where(user::age >= 18))}}}}); }},
      {"aggregate of every kind", q("Post", "aggregate", R"({})", R"({"_count":{"selection":{"_all":true,"rating":true}},"_sum":{"selection":{"views":true}},"_avg":{"selection":{"views":true,"rating":true}},"_min":{"selection":{"title":true}},"_max":{"selection":{"views":true}}})"),
       [](Client& c) {
         return json::value(named(c.post.aggregate(count(), count(post::rating), sum(post::views), avg(post::views), avg(post::rating), min(post::title), max(post::views)),
                                  {"#_count._all", "#_count.rating", "#_sum.views", "_avg.views", "_avg.rating", "_min.title", "_max.views"}));
       }},
      {"aggregate over a page", q("Post", "aggregate", R"({"orderBy":{"views":"asc"},"skip":1,"take":-2})", R"({"_count":{"selection":{"_all":true}},"_max":{"selection":{"views":true}}})"),
       [](Client& c) { return json::value(named(c.post.aggregate(count(), max(post::views), order_by(post::views.asc()), skip(1), take(-2)), {"#_count._all", "_max.views"})); }},
      {"aggregate of BigInt, Decimal and DateTime", q("Sample", "aggregate", R"({})", R"({"_sum":{"selection":{"big":true,"price":true}},"_min":{"selection":{"at":true}}})"),
       [](Client& c) { return json::value(named(c.sample.aggregate(sum(sample::big), sum(sample::price), min(sample::at)), {"_sum.big", "_sum.price", "_min.at"})); }},
      {"groupBy with count and sum", q("Post", "groupBy", R"({"by":["authorId"],"orderBy":[{"authorId":"asc"}]})", R"({"authorId":true,"_count":{"selection":{"_all":true}},"_sum":{"selection":{"views":true}}})"),
       [](Client& c) {
         json::array out;
         for (const auto& g : c.post.group_by(by(post::authorId), count(), sum(post::views), order_by(post::authorId.asc())))
           out.push_back(named(g, {"#authorId", "#_count._all", "#_sum.views"}));
         return json::value(out);
       }},
      {"groupBy having an aggregate", q("Post", "groupBy", R"({"by":["authorId"],"having":{"views":{"_sum":{"gt":5}}},"orderBy":{"authorId":"asc"}})", R"({"authorId":true,"_sum":{"selection":{"views":true}}})"),
       [](Client& c) {
         json::array out;
         for (const auto& g : c.post.group_by(by(post::authorId), sum(post::views), having(sum(post::views) > 5), order_by(post::authorId.asc())))
           out.push_back(named(g, {"#authorId", "#_sum.views"}));
         return json::value(out);
       }},
      {"groupBy having a by-field and a count", q("Post", "groupBy", R"({"by":["authorId"],"having":{"authorId":{"gt":1},"id":{"_count":{"gte":1}}},"orderBy":{"authorId":"asc"}})", R"({"authorId":true,"_count":{"selection":{"_all":true}}})"),
       [](Client& c) {
         json::array out;
         for (const auto& g : c.post.group_by(by(post::authorId), count(), having(post::authorId > 1 && count() >= 1), order_by(post::authorId.asc())))
           out.push_back(named(g, {"#authorId", "#_count._all"}));
         return json::value(out);
       }},
      {"groupBy ordered by an aggregate, with take", q("Post", "groupBy", R"({"by":["authorId"],"orderBy":[{"_count":{"authorId":"desc"}},{"authorId":"asc"}],"take":2})", R"({"authorId":true,"_count":{"selection":{"_all":true}}})"),
       [](Client& c) {
         json::array out;
         for (const auto& g : c.post.group_by(by(post::authorId), count(), order_by(count().desc(), post::authorId.asc()), take(2)))
           out.push_back(named(g, {"#authorId", "#_count._all"}));
         return json::value(out);
       }},
      {"groupBy an optional field, nulls first", q("User", "groupBy", R"({"by":["age"],"orderBy":{"age":{"sort":"asc","nulls":"first"}}})", R"({"age":true,"_count":{"selection":{"_all":true}}})"),
       [](Client& c) {
         json::array out;
         for (const auto& g : c.user.group_by(by(user::age), count(), order_by(user::age.asc().nulls_first())))
           out.push_back(named(g, {"age", "#_count._all"}));
         return json::value(out);
       }},
  };
#ifdef PRISMA_SUITE_POSTGRES
  // full-text search (PostgreSQL): `search` and ordering by `_relevance`, as Prisma renders them
  cases.push_back({"search, and order by _relevance", q("User", "findMany", R"({"where":{"name":{"search":"alice | bob | eve"}},"orderBy":[{"_relevance":{"fields":["name"],"search":"eve","sort":"desc"}},{"id":"asc"}]})"),
                   [](Client& c) {
                     return json::value(rows<User>(c.user.find_many(where(user::name.search("alice | bob | eve")),
                                                                    order_by(relevance("eve", user::name).desc(), user::id.asc()))));
                   }});
#endif
  // Json filters: a path, a string filter, a null kind
  cases.push_back({"Json filters: path equals, string_contains, JsonNull", q("Sample", "findMany", R"({"where":{"OR":[{"data":{"path":["k"],"equals":{"$type":"Json","value":"[1, 2]"}}},{"data":{"string_contains":"zz"}},{"data":{"equals":{"$type":"Enum","value":"JsonNull"}}}]},"orderBy":{"label":"asc"}})"),
                   [](Client& c) { return json::value(rows<Sample>(c.sample.find_many(where(sample::data.path({"k"}).equals(Json("[1, 2]")) || sample::data.string_contains("zz") || sample::data == prisma::JsonNull), order_by(sample::label.asc())))); }});
  cases.push_back({"Json filters: array_starts_with and DbNull", q("Sample", "findMany", R"({"where":{"OR":[{"data":{"path":["k"],"array_starts_with":{"$type":"Json","value":"1"}}},{"data":{"equals":{"$type":"Enum","value":"DbNull"}}}]},"orderBy":{"label":"asc"}})"),
                   [](Client& c) { return json::value(rows<Sample>(c.sample.find_many(where(sample::data.path({"k"}).array_starts_with(Json("1")) || sample::data == prisma::DbNull), order_by(sample::label.asc())))); }});
  for (const auto& c : cases) {
    json::value typed = c.typed(db);
    json::value answer = engine_answer(engine.execute(json::parse(c.query)));
    check_equal(c.name, answer, typed);
  }
}

TEST_CASE("serve: JSON writes through the engine leave every table as the typed client does", "[serve][replay]") {
  std::vector<Case> cases = {
      {"createOne", q("User", "createOne", R"({"data":{"email":"new@x.io","name":"New","age":3}})"),
       [](Client& c) { return json::value(row<User>(c.user.create({.email = "new@x.io", .name = "New", .age = 3}))); }},
      {"createOne with nested connect, create and many-to-many", q("Post", "createOne", R"({"data":{"title":"N","author":{"connect":{"email":"bob@x.io"}},"categories":{"connect":[{"name":"tech"}],"create":[{"name":"fresh"}]},"comments":{"create":[{"text":"first"}]}}})"),
       [](Client& c) {
         return json::value(row<Post>(c.post.create({.title = "N", .author = {.connect = user::email == "bob@x.io"},
                                                     .comments = {.create = {{.text = "first"}}},
                                                     .categories = {.create = {{.name = "fresh"}}, .connect = {category::name == "tech"}}})));
       }},
      {"createOne with a nested connect of nothing is P2025 and writes nothing", q("Post", "createOne", R"({"data":{"title":"N","author":{"connect":{"id":99}}}})"),
       [](Client& c) { return typed_answer([&] { return json::value(row<Post>(c.post.create({.title = "N", .author = {.connect = user::id == 99}}))); }); }},
      {"createOne of a taken email is P2002", q("User", "createOne", R"({"data":{"email":"bob@x.io"}})"),
       [](Client& c) { return typed_answer([&] { return json::value(row<User>(c.user.create({.email = "bob@x.io"}))); }); }},
      {"createMany with skipDuplicates", q("User", "createMany", R"({"data":[{"email":"bob@x.io"},{"email":"z@x.io"}],"skipDuplicates":true})"),
       [](Client& c) { return json::value(json::object{{"count", c.user.create_many({{.email = "bob@x.io"}, {.email = "z@x.io"}}, true)}}); }},
      {"updateOne with increment and null", q("User", "updateOne", R"({"where":{"email":"alice@x.io"},"data":{"name":null,"age":{"increment":5}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::email == "alice@x.io", {.name = std::nullopt, .age = increment(5)}))); }},
      {"updateOne of nothing is P2025", q("User", "updateOne", R"({"where":{"id":99},"data":{"name":"x"}})"),
       [](Client& c) { return typed_answer([&] { return json::value(row<User>(c.user.update(user::id == 99, {.name = "x"}))); }); }},
      {"updateMany", q("Post", "updateMany", R"({"where":{"authorId":1},"data":{"views":{"increment":1}}})"),
       [](Client& c) { return json::value(json::object{{"count", c.post.update_many(post::authorId == 1, {.views = increment(1)})}}); }},
      {"updateMany with a limit", q("Post", "updateMany", R"({"where":{"published":true},"data":{"views":99},"limit":2})"),
       [](Client& c) { return json::value(json::object{{"count", c.post.update_many(post::published == true, {.views = 99}, limit(2))}}); }},
      {"updateManyAndReturn", q("Post", "updateManyAndReturn", R"({"where":{"authorId":4},"data":{"views":{"increment":1}}})"),
       [](Client& c) { return json::value(rows<Post>(c.post.update_many_and_return(post::authorId == 4, {.views = increment(1)}))); }},
      {"deleteMany with a limit", q("Comment", "deleteMany", R"({"where":{"id":{"gte":1}},"limit":1})"),
       [](Client& c) { return json::value(json::object{{"count", c.comment.delete_many(comment::id >= 1, limit(1))}}); }},
      {"nested update, updateMany, create on a list", q("User", "updateOne", R"({"where":{"id":1},"data":{"name":"Ann","posts":{"update":[{"where":{"id":2},"data":{"title":"B2"}}],"updateMany":[{"where":{"views":{"gte":5}},"data":{"published":false}}],"create":[{"title":"G"}]}}})"),
       [](Client& c) {
         return json::value(row<User>(c.user.update(user::id == 1, {.name = "Ann",
                                                                    .posts = {.create = {{.title = "G"}},
                                                                              .update = {{.where = post::id == 2, .data = {.title = "B2"}}},
                                                                              .update_many = {{.where = post::views >= 5, .data = {.published = false}}}}})));
       }},
      {"nested update of another user's post is P2025 and writes nothing", q("User", "updateOne", R"({"where":{"id":1},"data":{"name":"X","posts":{"update":[{"where":{"id":3},"data":{"title":"stolen"}}]}}})"),
       [](Client& c) {
         return typed_answer([&] {
           return json::value(row<User>(c.user.update(user::id == 1, {.name = "X", .posts = {.update = {{.where = post::id == 3, .data = {.title = "stolen"}}}}})));
         });
       }},
      {"nested delete and deleteMany on a list", q("User", "updateOne", R"({"where":{"id":4},"data":{"posts":{"delete":[{"id":5}],"deleteMany":[{"views":{"lt":100}}]}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 4, {.posts = {.delete_ = {post::id == 5}, .delete_many = {post::views < 100}}}))); }},
      {"many-to-many connect, disconnect, set", q("Post", "updateOne", R"({"where":{"id":1},"data":{"categories":{"set":[{"name":"empty"}],"connect":[{"name":"news"}]}}})"),
       [](Client& c) { return json::value(row<Post>(c.post.update(post::id == 1, {.categories = {.connect = {category::name == "news"}, .set = {category::name == "empty"}}}))); }},
      {"many-to-many disconnect", q("Post", "updateOne", R"({"where":{"id":1},"data":{"categories":{"disconnect":[{"name":"tech"}]}}})"),
       [](Client& c) { return json::value(row<Post>(c.post.update(post::id == 1, {.categories = {.disconnect = {category::name == "tech"}}}))); }},
      // every shape of the one nested-write executor, written by both front ends
      {"nested connectOrCreate on a list: one found and moved, one created", q("User", "updateOne", R"({"where":{"id":1},"data":{"posts":{"connectOrCreate":[{"where":{"id":3},"create":{"title":"C3"}},{"where":{"id":99},"create":{"title":"new"}}]}}})"),
       [](Client& c) {
         return json::value(row<User>(c.user.update(user::id == 1, {.posts = {.connect_or_create = {{.where = post::id == 3, .create = {.title = "C3"}},
                                                                                                  {.where = post::id == 99, .create = {.title = "new"}}}}})));
       }},
      {"nested createMany on a list with skipDuplicates", q("User", "updateOne", R"({"where":{"id":1},"data":{"posts":{"createMany":{"data":[{"title":"x","views":3},{"title":"y"}],"skipDuplicates":true}}}})"),
       [](Client& c) {
         return json::value(row<User>(c.user.update(user::id == 1, {.posts = {.create_many = {.data = {{.title = "x", .views = 3}, {.title = "y"}},
                                                                                                .skip_duplicates = true}}})));
       }},
      {"nested upsert on a list: one updated, one created", q("User", "updateOne", R"({"where":{"id":1},"data":{"posts":{"upsert":[{"where":{"id":1},"create":{"title":"no"},"update":{"views":{"increment":1}}},{"where":{"id":98},"create":{"title":"made"},"update":{"title":"no"}}]}}})"),
       [](Client& c) {
         return json::value(row<User>(c.user.update(user::id == 1, {.posts = {.upsert = {{.where = post::id == 1, .create = {.title = "no"}, .update = {.views = increment(1)}},
                                                                                         {.where = post::id == 98, .create = {.title = "made"}, .update = {.title = "no"}}}}})));
       }},
      {"back side of a 1:n: set keeps only the given rows", q("User", "updateOne", R"({"where":{"id":1},"data":{"mentees":{"set":[{"id":5}]}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 1, {.mentees = {.set = {user::id == 5}}}))); }},
      {"back side of a 1:n: disconnect one", q("User", "updateOne", R"({"where":{"id":1},"data":{"mentees":{"disconnect":[{"id":2}]}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 1, {.mentees = {.disconnect = {user::id == 2}}}))); }},
      {"back side of a 1:1: create over a required relation is P2014 and writes nothing", q("User", "updateOne", R"({"where":{"id":1},"data":{"profile":{"create":{"bio":"new"}}}})"),
       [](Client& c) { return typed_answer([&] { return json::value(row<User>(c.user.update(user::id == 1, {.profile = {.create = {{.bio = "new"}}}}))); }); }},
      {"back side of a 1:1: connect moves another user's profile", q("User", "updateOne", R"({"where":{"id":2},"data":{"profile":{"connect":{"id":1}}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 2, {.profile = {.connect = profile::id == 1}}))); }},
      {"the side holding the key: create the related row", q("User", "updateOne", R"({"where":{"id":5},"data":{"mentor":{"create":{"email":"m@x.io"}}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 5, {.mentor = {.create = {{.email = "m@x.io"}}}}))); }},
      {"createOne two levels deep with connectOrCreate of the owner", q("Comment", "createOne", R"({"data":{"text":"t","post":{"create":{"title":"P","author":{"connectOrCreate":{"where":{"email":"q@x.io"},"create":{"email":"q@x.io"}}}}}}})"),
       [](Client& c) {
         return json::value(row<Comment>(c.comment.create(
             {.text = "t", .post = {.create = {{.title = "P", .author = {.connect_or_create = {{.where = user::email == "q@x.io", .create = {.email = "q@x.io"}}}}}}}})));
       }},
      {"back side of a 1:1: upsert then update", q("User", "updateOne", R"({"where":{"id":2},"data":{"profile":{"upsert":{"create":{"bio":"bob's"},"update":{"bio":"never"}}}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 2, {.profile = {.upsert = {{.create = {.bio = "bob's"}, .update = {.bio = "never"}}}}}))); }},
      {"back side of a 1:1: delete", q("User", "updateOne", R"({"where":{"id":1},"data":{"profile":{"delete":true}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 1, {.profile = {.delete_ = true}}))); }},
      {"the side holding the key: connect another", q("User", "updateOne", R"({"where":{"id":3},"data":{"mentor":{"connect":{"id":4}}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 3, {.mentor = {.connect = user::id == 4}}))); }},
      {"the side holding the key: disconnect", q("User", "updateOne", R"({"where":{"id":3},"data":{"mentor":{"disconnect":true}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 3, {.mentor = {.disconnect = true}}))); }},
      {"the side holding the key: update the related row", q("User", "updateOne", R"({"where":{"id":3},"data":{"mentor":{"update":{"name":"Mentor"}}}})"),
       [](Client& c) { return json::value(row<User>(c.user.update(user::id == 3, {.mentor = {.update = {{.name = "Mentor"}}}}))); }},
      {"upsertOne that creates", q("User", "upsertOne", R"({"where":{"email":"a@x.io"},"create":{"email":"a@x.io","name":"new"},"update":{"name":"updated"}})"),
       [](Client& c) { return json::value(row<User>(c.user.upsert(user::email == "a@x.io", {.email = "a@x.io", .name = "new"}, {.name = "updated"}))); }},
      {"upsertOne that updates", q("User", "upsertOne", R"({"where":{"email":"bob@x.io"},"create":{"email":"bob@x.io","name":"new"},"update":{"name":"updated"}})"),
       [](Client& c) { return json::value(row<User>(c.user.upsert(user::email == "bob@x.io", {.email = "bob@x.io", .name = "new"}, {.name = "updated"}))); }},
      {"deleteOne cascades to comments", q("Post", "deleteOne", R"({"where":{"id":1}})"),
       [](Client& c) { return json::value(row<Post>(c.post.delete_(post::id == 1))); }},
      {"deleteMany", q("Comment", "deleteMany", R"({"where":{"text":{"startsWith":"a"}}})"),
       [](Client& c) { return json::value(json::object{{"count", c.comment.delete_many(comment::text.starts_with("a"))}}); }},
      {"deleteOne of a user with posts is a foreign key error", q("User", "deleteOne", R"({"where":{"id":2}})"),
       [](Client& c) { return typed_answer([&] { return json::value(row<User>(c.user.delete_(user::id == 2))); }); }},
  };
  // every table as seeded: what a case that "writes nothing" must leave
  json::value seeded;
  {
    Database database;
    auto db = database.client();
    seeded = dump(db);
    mask_times(seeded);
  }
  for (const auto& c : cases) {
    json::value by_engine, engine_tables, by_typed, typed_tables;
    {
      Database database;
      auto db = database.client();
      {
        prisma_cpp::serve::Engine engine(schema(), database.url, ".");
        by_engine = engine_answer(engine.execute(json::parse(c.query)));
      }
      engine_tables = dump(db);
    }
    {
      Database database;
      auto db = database.client();
      by_typed = c.typed(db);
      typed_tables = dump(db);
    }
    for (auto* v : {&by_engine, &engine_tables, &by_typed, &typed_tables}) mask_times(*v);
    check_equal(c.name + " (answer)", by_engine, by_typed);
    check_equal(c.name + " (tables)", engine_tables, typed_tables);
    if (c.name.find("writes nothing") != std::string::npos) {  // not only the same as the typed client: nothing
      check_equal(c.name + " (tables as seeded, engine)", engine_tables, seeded);
      check_equal(c.name + " (tables as seeded, typed)", typed_tables, seeded);
    }
  }
}

TEST_CASE("serve: a batch in a transaction with an isolation level answers as the typed client", "[serve][replay]") {
  // {"batch": [...], "transaction": {"isolationLevel": ...}}: the batch's queries in one transaction
  // begun as the typed client begins it (SQLite: Serializable only; any other level is refused by both)
#ifdef PRISMA_SUITE_POSTGRES
  const std::vector<std::pair<std::string, IsolationLevel>> levels = {
      {"ReadCommitted", IsolationLevel::ReadCommitted}, {"RepeatableRead", IsolationLevel::RepeatableRead},
      {"Serializable", IsolationLevel::Serializable}};
#else
  const std::vector<std::pair<std::string, IsolationLevel>> levels = {
      {"Serializable", IsolationLevel::Serializable}, {"ReadCommitted", IsolationLevel::ReadCommitted}};
#endif
  for (const auto& [name, level] : levels) {
    json::value by_engine, engine_tables, by_typed, typed_tables;
    {
      Database database;
      auto db = database.client();
      prisma_cpp::serve::Engine engine(schema(), database.url, ".");
      json::value answer = engine.execute(json::parse(
          R"({"batch":[)" + q("User", "createOne", R"({"data":{"email":"t1@x.io"}})") + "," +
          q("User", "updateOne", R"({"where":{"email":"t1@x.io"},"data":{"age":{"increment":1}}})") + "," +
          R"({"modelName":"Post","action":"aggregate","query":{"arguments":{},"selection":{"_count":{"selection":{"_all":true}}}}})" +
          R"(],"transaction":{"isolationLevel":")" + name + R"("}})"));
      if (auto* e = answer.as_object().if_contains("errors")) by_engine = error_code(std::string(e->as_array().at(0).at("user_facing_error").at("error_code").as_string()));
      else by_engine = answer.at("batchResult").as_array().size();
      engine_tables = dump(db);
    }
    {
      Database database;
      auto db = database.client();
      by_typed = typed_answer([&] {
        db.transaction([](auto& tx) {
          tx.user.create({.email = "t1@x.io"});
          tx.user.update(user::email == "t1@x.io", {.age = increment(1)});
          (void)tx.post.count();
        }, {.isolation = level});
        return json::value(3);
      });
      typed_tables = dump(db);
    }
    for (auto* v : {&by_engine, &engine_tables, &by_typed, &typed_tables}) mask_times(*v);
    check_equal(name + " (answer)", by_engine, by_typed);
    check_equal(name + " (tables)", engine_tables, typed_tables);
  }
}

TEST_CASE("serve: raw query results are typed as Prisma types them", "[serve][replay][raw]") {
  // queryRaw answers {"columns", "types", "rows"}; each column typed by the database's own type
  // (PostgreSQL: the type OID; SQLite: the declared type, an expression by its value), with
  // Prisma's names and value forms (bigint and decimal as text, bytes as base64, json as JSON).
  Database database;
  auto db = database.client();
  prisma_cpp::serve::Engine engine(schema(), database.url, ".");
  json::value answer = engine_answer(engine.execute(json::parse(
      R"({"action":"queryRaw","query":{"arguments":{"query":"SELECT \"label\", \"flag\", \"big\", \"ratio\", \"price\", \"at\", \"data\", \"raw\", \"counter\", (SELECT count(*) FROM \"Sample\") AS n, \"atOpt\" FROM \"Sample\" ORDER BY \"label\"","parameters":"[]"}}})")));
  INFO(json::serialize(answer));
  const auto& o = answer.as_object();
  CHECK(o.at("columns") == json::parse(R"(["label","flag","big","ratio","price","at","data","raw","counter","n","atOpt"])"));
  CHECK(o.at("types") ==
        json::parse(R"(["string","bool","bigint","double","decimal","datetime","json","bytes","int","bigint","datetime"])"));
  const auto& row = o.at("rows").as_array().at(0).as_array();
  CHECK(row.at(0) == "a");
  CHECK(row.at(1) == false);
  CHECK(row.at(2) == "9007199254740993");  // beyond 2^53: text, as Prisma answers a bigint
  CHECK(row.at(3) == 0.0);
  CHECK(Decimal(std::string(row.at(4).as_string())) == Decimal("12.5"));
  CHECK(row.at(5) == "2024-01-07T00:00:00.000+00:00");
  CHECK(row.at(6) == json::parse(R"({"k":[1,2]})"));  // the JSON value itself
  CHECK(row.at(7) == "AAH/EA==");
  CHECK(row.at(8) == 7);
  CHECK(row.at(9) == "2");  // the two samples
  CHECK(row.at(10) == nullptr);
  // no rows: the columns and their types all the same
  json::value none = engine_answer(engine.execute(json::parse(
      R"({"action":"queryRaw","query":{"arguments":{"query":"SELECT \"big\", \"counter\" FROM \"Sample\" WHERE 1 = 0","parameters":"[]"}}})")));
  CHECK(none.at("types") == json::parse(R"(["bigint","int"])"));
  CHECK(none.at("rows") == json::array{});
}

TEST_CASE("serve: the engine's nested-write metadata is the generated library's for every model", "[serve][replay]") {
  prisma_cpp::serve::WriteSchema ws(schema());
  [&]<class... M>(std::type_identity<std::tuple<M...>>) {
    (prisma_replay::same_metadata<M>(ws, schema()), ...);
  }(std::type_identity<prisma_schema::models>{});
}
