// What only PostgreSQL has, on the kitchen-sink schema (tests/fixtures/kitchen_sink/postgresql):
// native types, scalar lists, enums with @map, @@schema, mode::insensitive, and the driver's
// pool, error mapping, dropped connections and concurrency. (Everything both backends share is
// in tests/suite, which runs here too.)
#include <kitchen/all.hpp>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "../support/pg_test_db.hpp"

using namespace prisma;
using namespace kitchen;

namespace {

prisma_test::PgTestDatabase& database() {
  static prisma_test::PgTestDatabase db("runtime");
  return db;
}

Client fresh(const std::string& params = "connection_limit=4&pool_timeout=5") {
  {
    auto admin = Client::open(database().url() + "?connection_limit=1");
    admin.pool().acquire()->exec(
        "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS audit CASCADE; CREATE SCHEMA public");
  }
  auto db = Client::open(database().url() + "?" + params);
  db.push_schema();
  return db;
}

Member add_member(Client& db, const std::string& handle, std::vector<std::string> nicknames = {}) {
  return db.member.create({.handle = handle, .email = handle + "@x.io", .nicknames = std::move(nicknames)});
}

}  // namespace

TEST_CASE("native types store and read back exactly", "[postgres][types]") {
  auto db = fresh();
  Bytes avatar{std::byte{0}, std::byte{0x7f}, std::byte{0xff}};
  Member m = db.member.create({.handle = "ada", .email = "ada@x.io", .role = Role::MODERATOR, .tier = Tier::GOLD,
                               .nicknames = std::vector<std::string>{"A", "b \"c\"", "d,e", "{x}"},
                               .scores = std::vector<std::int32_t>{3, -1},
                               .bio = std::string(5000, 'x'), .balance = Decimal("1234567890.12"),
                               .karma = 9007199254740993LL, .rating = 0.1, .active = false, .avatar = avatar,
                               .settings = Json(R"({"theme":"dark","n":[1,2]})"),
                               .joinedAt = DateTime::from_civil(2024, 2, 29, 23, 59, 58, 999),
                               .birthday = DateTime::from_civil(1990, 5, 17)});
  Member back = db.member.find_unique_or_throw(member::id == m.id);
  CHECK(back == m);
  CHECK(back.role == Role::MODERATOR);
  CHECK(back.nicknames == std::vector<std::string>{"A", "b \"c\"", "d,e", "{x}"});
  CHECK(back.scores == std::vector<std::int32_t>{3, -1});
  CHECK(back.balance == Decimal("1234567890.12"));
  CHECK(back.avatar == avatar);
  CHECK(back.joinedAt == DateTime::from_civil(2024, 2, 29, 23, 59, 58, 999));
  CHECK(back.birthday == DateTime::from_civil(1990, 5, 17));
  CHECK(back.id.size() == 36);
  // the enum's database names (@map / @@map) are what PostgreSQL holds
  auto raw = db.pool().acquire();
  auto cur = raw->cursor("SELECT role::text, tier::text, nicknames IS NULL FROM members");
  REQUIRE(cur.step());
  CHECK(cur.text(0) == "mod");
  CHECK(cur.text(1) == "gold");

  Profile p = db.profile.create({.memberId = m.id, .website = "https://x.io", .ip = "10.1.2.3",
                                 .clock = DateTime::from_civil(1970, 1, 1, 12, 34, 56), .weight = 1.5,
                                 .code = "AB", .uid = "0b6c3f4e-9a39-4b8f-8c41-5d1e1f0a2b3c",
                                 .doc = "<a>1</a>", .bits = "1010"});
  CHECK(p.ip == "10.1.2.3");
  CHECK(p.clock == DateTime::from_civil(1970, 1, 1, 12, 34, 56));
  CHECK(p.weight == 1.5);
  CHECK(p.code == "AB      ");  // Char(8) pads, as PostgreSQL returns it
  CHECK(p.bits == "1010");
  Post post = db.post.create({.title = "T", .views = 32000, .price = Decimal("12.34"), .authorId = m.id});
  CHECK(post.views == 32000);
  CHECK(post.price == Decimal("12.34"));  // money
  CHECK(post.slug.size() == 25);
}

TEST_CASE("a required list left out of create reads as empty", "[postgres][lists]") {
  auto db = fresh();
  Member m = db.member.create({.handle = "a", .email = "a@x.io"});
  CHECK(m.nicknames.empty());
  CHECK(m.scores.empty());
}

TEST_CASE("scalar list filters: has, has_some, has_every, is_empty, equals", "[postgres][lists]") {
  auto db = fresh();
  add_member(db, "a", {"x", "y"});
  add_member(db, "b", {"y"});
  add_member(db, "c", {});
  auto handles = [&](const auto& filter) {
    std::vector<std::string> out;
    for (auto& m : db.member.find_many(where(filter), order_by(member::handle.asc()))) out.push_back(m.handle);
    return out;
  };
  using H = std::vector<std::string>;
  CHECK(handles(member::nicknames.has("y")) == H{"a", "b"});
  CHECK(handles(member::nicknames.has("x")) == H{"a"});
  CHECK(handles(member::nicknames.has_some({"x", "z"})) == H{"a"});
  CHECK(handles(member::nicknames.has_every({"x", "y"})) == H{"a"});
  CHECK(handles(member::nicknames.has_every({})) == H{"a", "b", "c"});
  CHECK(handles(member::nicknames.is_empty()) == H{"c"});
  CHECK(handles(member::nicknames.equals_list({"y"})) == H{"b"});
  CHECK(handles(!member::nicknames.has("y")) == H{"c"});
}

TEST_CASE("push appends to a scalar list; set replaces it", "[postgres][lists]") {
  auto db = fresh();
  Member m = add_member(db, "a", {"x"});
  m = db.member.update(member::id == m.id, {.nicknames = push("y")});
  CHECK(m.nicknames == std::vector<std::string>{"x", "y"});
  m = db.member.update(member::id == m.id, {.nicknames = push(std::vector<std::string>{"z", "w"}), .scores = push(7)});
  CHECK(m.nicknames == std::vector<std::string>{"x", "y", "z", "w"});
  CHECK(m.scores == std::vector<std::int32_t>{7});
  m = db.member.update(member::id == m.id, {.nicknames = std::vector<std::string>{"only"}});
  CHECK(m.nicknames == std::vector<std::string>{"only"});
  Member fresh_one = add_member(db, "b");  // NULL list: push starts it
  CHECK(db.member.update(member::id == fresh_one.id, {.nicknames = push("first")}).nicknames ==
        std::vector<std::string>{"first"});
}

TEST_CASE("mode::insensitive uses ILIKE and LOWER", "[postgres][filter]") {
  auto db = fresh();
  add_member(db, "Ada");
  add_member(db, "bob");
  CHECK(db.member.count(where(member::handle.contains("ADA"))) == 0);  // LIKE is case-sensitive here
  CHECK(db.member.count(where(member::handle.contains("ADA", mode::insensitive))) == 1);
  CHECK(db.member.count(where(member::handle.starts_with("B", mode::insensitive))) == 1);
  CHECK(db.member.count(where(member::handle.ends_with("DA", mode::insensitive))) == 1);
  CHECK(db.member.count(where(member::handle.equals("ADA", mode::insensitive))) == 1);
  CHECK(db.member.count(where(member::handle == "ADA")) == 0);
}

TEST_CASE("models in another database schema (@@schema) work like any other", "[postgres][schema]") {
  auto db = fresh();
  AuditLog a = db.auditLog.create({.actorId = "0b6c3f4e-9a39-4b8f-8c41-5d1e1f0a2b3c", .payload = Json("[1]"),
                                   .small = 7, .dbl = 2.5});
  CHECK(a.id == 1);
  CHECK(a.action == "unknown");  // dbgenerated
  CHECK(a.nanoKey.size() == 12);
  CHECK(a.ulidKey.size() == 26);
  CHECK(a.uuid7[14] == '7');
  CHECK(db.auditLog.count(where(auditLog::small == 7)) == 1);
  auto raw = db.pool().acquire();
  auto cur = raw->cursor("SELECT count(*) FROM audit.audit_log");
  REQUIRE(cur.step());
  CHECK(cur.text(0) == "1");
}

TEST_CASE("a value longer than VarChar(n) is P2000", "[postgres][error]") {
  auto db = fresh();
  try {
    db.member.create({.handle = std::string(41, 'h'), .email = "h@x.io"});
    FAIL("no exception");
  } catch (const ValueTooLong& e) {
    CHECK(std::string(e.code()) == "P2000");
  }
  CHECK(add_member(db, std::string(40, 'h')).handle.size() == 40);
}

TEST_CASE("unique, foreign key and null violations map from SQLSTATE", "[postgres][error]") {
  auto db = fresh();
  Member m = add_member(db, "a");
  try {
    add_member(db, "a");
    FAIL("no exception");
  } catch (const UniqueConstraintViolation& e) {
    CHECK(e.fields() == std::vector<std::string>{"handle"});
  }
  db.post.create({.title = "T", .authorId = m.id});
  try {
    db.post.create({.title = "T", .authorId = m.id});  // @@unique([authorId, title])
    FAIL("no exception");
  } catch (const UniqueConstraintViolation& e) {
    CHECK(e.fields() == std::vector<std::string>{"authorId", "title"});
  }
  CHECK_THROWS_AS(db.post.create({.title = "U", .authorId = "nobody"}), ForeignKeyViolation);
  try {
    db.pool().acquire()->exec("INSERT INTO members (id, handle) VALUES ('x', 'y')");
    FAIL("no exception");
  } catch (const NullConstraintViolation& e) {
    CHECK(std::string(e.code()) == "P2011");
    CHECK(e.field() == "email");
  }
}

TEST_CASE("a serialization failure is P2034", "[postgres][error]") {
  auto db = fresh("connection_limit=2");
  Member m = add_member(db, "a");
  auto a = db.pool().acquire();
  auto b = db.pool().acquire();
  a->exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  a->exec("SELECT * FROM members");
  b->exec("UPDATE members SET karma = 1 WHERE id = '" + m.id + "'");
  try {
    a->exec("UPDATE members SET karma = 2 WHERE id = '" + m.id + "'");
    FAIL("no exception");
  } catch (const TransactionConflict& e) {
    CHECK(std::string(e.code()) == "P2034");
  }
  a->exec("ROLLBACK");
}

TEST_CASE("an exhausted pool fails with P2024 after pool_timeout", "[postgres][pool]") {
  auto db = fresh("connection_limit=1&pool_timeout=0.2");
  CHECK(db.pool().size() == 1);
  {
    auto held = db.pool().acquire();
    auto start = std::chrono::steady_clock::now();
    try {
      db.member.count();
      FAIL("no exception");
    } catch (const ConnectionError& e) {
      CHECK(std::string(e.code()) == "P2024");
    }
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(150));
  }
  CHECK(db.member.count() == 0);  // free again
}

TEST_CASE("a dropped connection is discarded and the next query gets a fresh one", "[postgres][pool]") {
  auto db = fresh("connection_limit=1");
  add_member(db, "a");
  std::string pid;
  {
    auto c = db.pool().acquire();
    auto cur = c->cursor("SELECT pg_backend_pid()::text");
    REQUIRE(cur.step());
    pid = std::string(cur.text(0));
  }
  {
    auto killer = Client::open(database().url());
    killer.pool().acquire()->exec("SELECT pg_terminate_backend(" + pid + ")");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  try {
    db.member.count();
    FAIL("the killed connection answered");
  } catch (const ConnectionError& e) {
    CHECK(std::string(e.code()) == "P1017");
  }
  CHECK(db.member.count() == 1);
  CHECK(db.pool().open_connections() == 1);
}

TEST_CASE("a server that is not there is P1001", "[postgres][error]") {
  try {
    Client::open("postgresql://postgres@127.0.0.1:1/nothing?connect_timeout=2");
    FAIL("connected to nothing");
  } catch (const ConnectionError& e) {
    CHECK(std::string(e.code()) == "P1001");
  }
  CHECK_THROWS_WITH(Client::open("postgresql://h/db?connection_limit=many"),
                    Catch::Contains("connection_limit in the database URL must be a number"));
  CHECK_THROWS_WITH(Client::open("file:./dev.db"), Catch::Contains("not a PostgreSQL URL"));
}

TEST_CASE("8 threads, 10,000 mixed reads and writes through one client keep every write", "[postgres][concurrency]") {
  auto db = fresh("connection_limit=4&pool_timeout=30");
  Member owner = add_member(db, "owner");
  constexpr int kThreads = 8, kOps = 10000;
  std::atomic<int> creates{0}, increments{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = t; i < kOps; i += kThreads) {
          switch (i % 4) {
            case 0:
              db.post.create({.title = "p" + std::to_string(i), .authorId = owner.id});
              ++creates;
              break;
            case 1:
              db.member.update(member::id == owner.id, {.karma = increment(std::int64_t{1})});
              ++increments;
              break;
            case 2:
              (void)db.post.find_many(where(post::title.starts_with("p1")), take(5));
              break;
            default:
              (void)db.post.count();
          }
        }
      } catch (...) {
        ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(errors == 0);
  CHECK(db.post.count() == creates.load());
  CHECK(creates == kOps / 4);
  CHECK(db.member.find_unique_or_throw(member::id == owner.id).karma == increments.load());
  CHECK(db.pool().open_connections() <= 4);
}

TEST_CASE("scalar lists take a braced list in create, update and nested inputs", "[postgres][lists]") {
  auto db = fresh();
  Member m = db.member.create({.handle = "lady", .email = "l@x.io", .nicknames = {"countess"}, .scores = {3, 1}});
  CHECK(m.nicknames == std::vector<std::string>{"countess"});
  CHECK(m.scores == std::vector<std::int32_t>{3, 1});
  m = db.member.update(member::id == m.id, {.nicknames = {"ada", "lovelace"}, .scores = {}});
  CHECK(m.nicknames == std::vector<std::string>{"ada", "lovelace"});  // `{}` leaves a member unset
  CHECK(m.scores == std::vector<std::int32_t>{3, 1});
  Member pupil = db.member.create(
      {.handle = "pupil", .email = "p@x.io", .mentor = {.create = {{.handle = "tutor", .email = "t@x.io", .nicknames = {"prof"}}}}});
  auto tutor = db.member.find_unique_or_throw(member::handle == "tutor");
  CHECK(pupil.mentorId == tutor.id);
  CHECK(tutor.nicknames == std::vector<std::string>{"prof"});
}
