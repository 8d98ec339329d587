// Writes: create with every kind of default, create_many (and _and_return), update with atomic
// operations and @updatedAt, update_many, upsert, delete_ and delete_many.
#include "suite.hpp"

#include <set>

using namespace prisma_suite;

TEST_CASE("create fills every kind of default and returns the stored row", "[write][create]") {
  auto db = fresh();
  auto before = DateTime::now();
  Sample s = db.sample.create({.label = "a"});
  CHECK(s.id.size() == 36);                 // uuid(): 8-4-4-4-12, version 4
  CHECK(s.id[14] == '4');
  CHECK(s.cuid.size() == 25);               // cuid(): c + 24
  CHECK(s.cuid[0] == 'c');
  CHECK(s.nano.size() == 21);               // nanoid()
  CHECK(s.code == "AB");                    // dbgenerated("(upper('ab'))"), the database's
  CHECK(s.counter == 7);                    // literal
  CHECK(s.role == Role::GUEST);             // enum value with @map
  CHECK_FALSE(s.flag);
  CHECK(s.price == Decimal(0));
  CHECK(s.at >= before);                    // now()
  CHECK(s.touched >= before);               // @updatedAt is set on create too
  CHECK_FALSE(s.maybe.has_value());
  Sample t = db.sample.create({.label = "b"});
  CHECK(t.id != s.id);
  CHECK(t.cuid != s.cuid);
  CHECK(t.nano != s.nano);
}

TEST_CASE("explicit values win over defaults", "[write][create]") {
  auto db = fresh();
  auto at = DateTime::from_civil(2020, 2, 29, 12, 0, 0, 5);
  Sample s = db.sample.create({.id = "my-id", .label = "a", .flag = true, .at = at, .role = Role::ADMIN,
                               .code = "fixed", .counter = -1});
  CHECK(s.id == "my-id");
  CHECK(s.at == at);
  CHECK(s.code == "fixed");
  CHECK(s.counter == -1);
  CHECK(db.sample.find_unique_or_throw(sample::id == "my-id") == s);
}

TEST_CASE("create_many inserts in one call and can skip duplicates", "[write][create]") {
  auto db = fresh();
  std::vector<UserCreate> rows;
  for (int i = 0; i < 250; ++i) rows.push_back({.email = "u" + std::to_string(i) + "@x.io", .age = i});
  rows.push_back({.email = "odd@x.io", .name = "with a name"});  // another shape
  CHECK(db.user.create_many(rows) == 251);
  CHECK(db.user.count() == 251);
  CHECK(db.user.find_unique(user::email == "u249@x.io")->age == 249);
  // a duplicate fails the whole call and leaves nothing behind
  std::vector<UserCreate> again{{.email = "new@x.io"}, {.email = "u0@x.io"}};
  CHECK_THROWS_AS(db.user.create_many(again), UniqueConstraintViolation);
  CHECK(db.user.count() == 251);
  CHECK(db.user.create_many(again, /*skip_duplicates=*/true) == 1);
  CHECK(db.user.count() == 252);
  CHECK(db.user.create_many({}) == 0);
}

TEST_CASE("create_many_and_return gives the inserted rows", "[write][create]") {
  auto db = fresh();
  auto rows = db.user.create_many_and_return({{.email = "a@x.io"}, {.email = "b@x.io", .role = Role::ADMIN}});
  REQUIRE(rows.size() == 2);
  std::set<std::string> emails{rows[0].email, rows[1].email};
  CHECK(emails == std::set<std::string>{"a@x.io", "b@x.io"});
  CHECK(rows[0].id != rows[1].id);
  auto skipped = db.user.create_many_and_return({{.email = "a@x.io"}, {.email = "c@x.io"}}, true);
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].email == "c@x.io");
}

TEST_CASE("update sets values, nulls optional fields and applies atomic operations", "[write][update]") {
  auto db = blog();
  User u = db.user.update(user::email == "alice@x.io", {.name = std::nullopt, .age = increment(5)});
  CHECK_FALSE(u.name.has_value());
  CHECK(u.age == 35);
  CHECK(db.user.update(user::id == 1, {.age = decrement(10)}).age == 25);
  CHECK(db.user.update(user::id == 1, {.age = multiply(3)}).age == 75);
  CHECK(db.user.update(user::id == 1, {.age = divide(4)}).age == 18);  // integer division, as Prisma
  CHECK(db.user.update(user::id == 1, {.name = "Al", .role = Role::USER}).role == Role::USER);
  Post p = db.post.update(post::id == 1, {.rating = multiply(2.0)});
  CHECK(p.rating == 9.0);
  CHECK(db.post.update(post::id == 1, {.rating = std::nullopt}).rating == std::nullopt);
  Sample s = db.sample.create({.label = "s", .big = 1});
  CHECK(db.sample.update(sample::label == "s", {.big = increment(std::int64_t{1} << 40)}).big == (std::int64_t{1} << 40) + 1);
  CHECK_THROWS_AS(db.user.update(user::id == 99, {.age = 1}), RecordNotFound);
}

TEST_CASE("@updatedAt changes on every update, including one that sets nothing else", "[write][update]") {
  auto db = blog();
  db.post.update(post::id == 1, {.updatedAt = DateTime::from_unix_ms(0)});
  CHECK(db.post.find_unique(post::id == 1)->updatedAt == DateTime::from_unix_ms(0));
  auto before = DateTime::now();
  Post p = db.post.update(post::id == 1, {.title = "A2"});
  CHECK(p.updatedAt >= before);
  db.post.update(post::id == 1, {.updatedAt = DateTime::from_unix_ms(0)});
  CHECK(db.post.update(post::id == 1, {}).updatedAt >= before);
}

TEST_CASE("update_many and delete_many return how many rows they touched", "[write][update]") {
  auto db = blog();
  CHECK(db.post.update_many(post::authorId == 1, {.views = increment(1)}) == 2);
  CHECK(db.post.find_unique(post::id == 1)->views == 11);
  CHECK(db.post.find_unique(post::id == 2)->views == 1);
  CHECK(db.post.update_many(post::authorId == 99, {.views = 0}) == 0);
  CHECK(db.post.delete_many(post::published == false) == 2);
  CHECK(db.post.count() == 4);
  CHECK(db.post.delete_many() == 4);
  CHECK(db.post.count() == 0);
}

TEST_CASE("limit caps update_many and delete_many; update_many_and_return gives the rows", "[write][update]") {
  auto db = blog();  // published posts: A C D F
  CHECK(db.post.update_many(post::published == true, {.views = 99}, limit(2)) == 2);
  CHECK(db.post.count(where(post::views == 99)) == 2);
  CHECK(db.post.update_many(post::published == true, {.views = 98}, limit(0)) == 0);
  auto rows = db.post.update_many_and_return(post::authorId == 4, {.views = increment(1)});
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].title == "D");
  CHECK(rows[0].views == 8);
  CHECK(rows[1].views == 8);
  CHECK(db.post.update_many_and_return(post::authorId == 4, {.views = 0}, limit(1)).size() == 1);
  CHECK(db.post.update_many_and_return(post::authorId == 99, {.views = 0}).empty());
  CHECK(db.post.delete_many(post::authorId == 1, limit(1)) == 1);
  CHECK(db.post.count(where(post::authorId == 1)) == 1);
  CHECK(db.post.delete_many(post::views >= 0, limit(3)) == 3);
  CHECK(db.post.count() == 2);
  CHECK_THROWS_AS(db.post.delete_many(post::views >= 0, limit(-1)), ValidationError);
}

TEST_CASE("create update upsert and delete_ return the record as select omit or include shape it", "[write][shape]") {
  auto db = blog();
  auto u = db.user.create({.email = "new@x.io", .name = "N"}, select(user::id, user::email));
  CHECK(u.email == "new@x.io");
  CHECK(u.id == 6);
  auto ann = db.user.update(user::id == 1, {.name = "Ann"}, include(user::posts.order_by(post::id.desc())));
  CHECK(ann.name == std::optional<std::string>("Ann"));
  REQUIRE(ann.posts.size() == 2);
  CHECK(ann.posts[0].title == "B");
  auto lean = db.user.upsert(user::email == "zed@x.io", {.email = "zed@x.io"}, {.name = "z"}, omit(user::createdAt));
  CHECK(lean.email == "zed@x.io");
  CHECK_FALSE(lean.name.has_value());
  auto again = db.user.upsert(user::email == "zed@x.io", {.email = "zed@x.io"}, {.name = "z"}, include(user::posts));
  CHECK(again.name == std::optional<std::string>("z"));
  CHECK(again.posts.empty());
  auto made = db.user.create({.email = "w@x.io", .posts = {.create = {{.title = "w1"}, {.title = "w2"}}}},
                             include(user::posts.order_by(post::title.asc())));
  REQUIRE(made.posts.size() == 2);
  CHECK(made.posts[1].title == "w2");
  auto lean_rows = db.user.create_many_and_return({{.email = "m1@x.io"}, {.email = "m2@x.io", .name = "M"}}, false,
                                                  select(user::email, user::name));
  REQUIRE(lean_rows.size() == 2);
  CHECK(lean_rows[1].email == "m2@x.io");
  CHECK(lean_rows[1].name == std::optional<std::string>("M"));
  auto gone = db.post.delete_(post::id == 2, select(post::title));
  CHECK(gone.title == "B");
  CHECK_FALSE(db.post.find_unique(post::id == 2));
  CHECK_THROWS_AS(db.user.update(user::id == 99, {.name = "x"}, select(user::id)), RecordNotFound);
}

TEST_CASE("upsert updates an existing row or creates a missing one", "[write][upsert]") {
  auto db = fresh();
  User a = db.user.upsert(user::email == "a@x.io", {.email = "a@x.io", .name = "new"}, {.name = "updated"});
  CHECK(a.name == "new");
  User b = db.user.upsert(user::email == "a@x.io", {.email = "a@x.io", .name = "new"}, {.name = "updated"});
  CHECK(b.id == a.id);
  CHECK(b.name == "updated");
  CHECK(db.user.count() == 1);
}

TEST_CASE("delete_ removes the named row and returns it", "[write][delete]") {
  auto db = blog();
  Post p = db.post.delete_(post::id == 2);
  CHECK(p.title == "B");
  CHECK_FALSE(db.post.find_unique(post::id == 2));
  CHECK_THROWS_AS(db.post.delete_(post::id == 2), RecordNotFound);
  Line l = db.line.create({.orderId = "o", .sku = "s", .position = 1});
  CHECK(db.line.delete_(line::orderId == "o" && line::sku == "s") == l);
}
