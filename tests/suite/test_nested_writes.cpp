// Nested writes inside create, update and upsert: create, create_many, connect,
// connect_or_create, disconnect, set, update, update_many, upsert, delete_, delete_many, on every
// kind of relation, to any depth, all in one transaction.
#include "suite.hpp"

using namespace prisma_suite;

namespace {

template <class Rows>
std::vector<std::string> titles_of(const Rows& posts) {
  std::vector<std::string> out;
  for (const auto& p : posts) out.push_back(p.title);
  std::sort(out.begin(), out.end());
  return out;
}
template <class Rows>
std::vector<std::string> names_of(const Rows& cats) {
  std::vector<std::string> out;
  for (const auto& c : cats) out.push_back(c.name);
  std::sort(out.begin(), out.end());
  return out;
}
using Strings = std::vector<std::string>;

std::int64_t rows_everywhere(Client& db) {
  return db.user.count() + db.post.count() + db.comment.count() + db.profile.count() + db.category.count();
}

}  // namespace

TEST_CASE("create writes to-many, to-one and many-to-many records three levels deep", "[nested][create]") {
  auto db = fresh();
  db.category.create({.name = "news"});
  auto u = db.user.create({
      .email = "ann@x.io",
      .name = "Ann",
      .posts = {.create = {{.title = "Hello",
                            .comments = {.create = {{.text = "first"}, {.text = "second"}}},
                            .categories = {.create = {{.name = "tech"}}, .connect = {category::name == "news"}}},
                           {.title = "Again"}}},
      .profile = {.create = {{.bio = "writer"}}},
  });
  CHECK(u.email == "ann@x.io");
  auto back = db.user.find_unique_or_throw(
      user::id == u.id, include(user::posts.include(post::comments, post::categories), user::profile));
  CHECK(titles_of(back.posts) == Strings{"Again", "Hello"});
  const auto& hello = back.posts[0].title == "Hello" ? back.posts[0] : back.posts[1];
  CHECK(hello.authorId == u.id);
  CHECK(hello.comments.size() == 2);
  CHECK(names_of(hello.categories) == Strings{"news", "tech"});
  REQUIRE(back.profile);
  CHECK(back.profile->bio == "writer");
  CHECK(back.profile->userId == u.id);
  CHECK(db.category.count() == 2);
}

TEST_CASE("create connects a to-one relation instead of setting its foreign key", "[nested][create]") {
  auto db = fresh();
  auto ann = db.user.create({.email = "ann@x.io"});
  auto p = db.post.create({.title = "By relation", .author = {.connect = user::email == "ann@x.io"}});
  CHECK(p.authorId == ann.id);
  auto q = db.post.create({.title = "New author", .author = {.create = {{.email = "bob@x.io", .name = "Bob"}}}});
  auto bob = db.user.find_unique_or_throw(user::email == "bob@x.io");
  CHECK(q.authorId == bob.id);
  // connect_or_create: connects when the record exists, creates it otherwise
  auto r = db.post.create({.title = "Either",
                           .author = {.connect_or_create = {{.where = user::email == "ann@x.io", .create = {.email = "ann@x.io"}}}}});
  CHECK(r.authorId == ann.id);
  auto s = db.post.create({.title = "Or",
                           .author = {.connect_or_create = {{.where = user::email == "cy@x.io", .create = {.email = "cy@x.io"}}}}});
  CHECK(db.user.find_unique_or_throw(user::email == "cy@x.io").id == s.authorId);
  // the foreign key scalar still works
  CHECK(db.post.create({.title = "By key", .authorId = ann.id}).authorId == ann.id);
  // the profile side of a 1:1 whose foreign key the profile holds
  auto prof = db.profile.create({.bio = "hi", .user = {.connect = user::id == bob.id}});
  CHECK(prof.userId == bob.id);
  // a self-relation
  auto mentee = db.user.create({.email = "dan@x.io", .mentor = {.connect = user::id == ann.id}});
  CHECK(mentee.mentorId == ann.id);
  auto mentor = db.user.create({.email = "eve@x.io", .mentees = {.connect = {user::id == bob.id, user::email == "cy@x.io"}}});
  CHECK(db.user.count(where(user::mentorId == mentor.id)) == 2);
}

TEST_CASE("a required relation left out of a create is a validation error", "[nested][create][error]") {
  auto db = fresh();
  try {
    db.post.create({.title = "Orphan"});
    FAIL("no error");
  } catch (const ValidationError& e) {
    CHECK(std::string(e.what()).find("`author` is missing") != std::string::npos);
    CHECK(e.code() == "P2009");
  }
  CHECK(db.post.count() == 0);
  db.user.create({.email = "ann@x.io"});
  // two ways of writing one relation
  CHECK_THROWS_AS(db.post.create({.title = "Twice",
                                  .author = {.create = {{.email = "b@x.io"}}, .connect = user::id == 1}}),
                  ValidationError);
  CHECK(db.user.count() == 1);
}

TEST_CASE("a failing nested write leaves nothing behind", "[nested][create][error]") {
  auto db = fresh();
  db.user.create({.email = "taken@x.io"});
  db.category.create({.name = "news"});
  auto before = rows_everywhere(db);
  // the third level fails (a duplicate category): the user, posts and comments go too
  CHECK_THROWS_AS(db.user.create({.email = "new@x.io",
                                  .posts = {.create = {{.title = "One", .comments = {.create = {{.text = "c"}}}},
                                                       {.title = "Two", .categories = {.create = {{.name = "news"}}}}}}}),
                  UniqueConstraintViolation);
  CHECK(rows_everywhere(db) == before);
  // a connect to a record that does not exist: P2025, nothing written
  try {
    db.user.create({.email = "new@x.io", .posts = {.connect = {post::id == 999}}});
    FAIL("no error");
  } catch (const RecordNotFound& e) {
    CHECK(e.code() == "P2025");
    CHECK(std::string(e.what()).find("nested connect") != std::string::npos);
  }
  CHECK(rows_everywhere(db) == before);
  // the client keeps working
  CHECK(db.user.create({.email = "new@x.io", .posts = {.create = {{.title = "ok"}}}}).email == "new@x.io");
  CHECK(db.post.count() == 1);
}

TEST_CASE("create_many inside create and connect_or_create on to-many relations", "[nested][create]") {
  auto db = fresh();
  db.category.create({.name = "news"});
  auto u = db.user.create({.email = "ann@x.io",
                           .posts = {.create_many = {.data = {{.title = "a"}, {.title = "b"}, {.title = "c"}}}}});
  CHECK(db.post.count(where(post::authorId == u.id)) == 3);
  auto p = db.post.create({.title = "tagged",
                           .authorId = u.id,
                           .categories = {.connect_or_create = {{.where = category::name == "news", .create = {.name = "news"}},
                                                                {.where = category::name == "tech", .create = {.name = "tech"}}}}});
  auto back = db.post.find_unique_or_throw(post::id == p.id, include(post::categories));
  CHECK(names_of(back.categories) == Strings{"news", "tech"});
  CHECK(db.category.count() == 2);
  // create_many takes scalars only
  CHECK_THROWS_AS(db.user.create({.email = "bob@x.io",
                                  .posts = {.create_many = {.data = {{.title = "x", .comments = {.create = {{.text = "no"}}}}}}}}),
                  ValidationError);
  CHECK(db.user.count() == 1);
}

TEST_CASE("update connects, disconnects and sets one-to-many and many-to-many relations", "[nested][update]") {
  auto db = fresh();
  auto ann = db.user.create({.email = "ann@x.io"});
  auto bob = db.user.create({.email = "bob@x.io", .mentees = {.create = {{.email = "m1@x.io"}, {.email = "m2@x.io"}}}});
  auto m3 = db.user.create({.email = "m3@x.io"});
  // 1:n with an optional foreign key: connect moves m1 from bob to ann, disconnect frees m2
  auto a = db.user.update(user::id == ann.id, {.mentees = {.connect = {user::email == "m1@x.io"}}});
  CHECK(a.id == ann.id);
  CHECK(db.user.find_unique_or_throw(user::email == "m1@x.io").mentorId == ann.id);
  db.user.update(user::id == bob.id, {.mentees = {.disconnect = {user::email == "m2@x.io"}}});
  CHECK(db.user.find_unique_or_throw(user::email == "m2@x.io").mentorId == std::nullopt);
  // set: exactly these, the others let go
  db.user.update(user::id == ann.id, {.mentees = {.set = {user::id == m3.id, user::email == "m2@x.io"}}});
  auto annm = db.user.find_unique_or_throw(user::id == ann.id, include(user::mentees));
  std::vector<std::string> emails;
  for (const auto& m : annm.mentees) emails.push_back(m.email);
  std::sort(emails.begin(), emails.end());
  CHECK(emails == Strings{"m2@x.io", "m3@x.io"});
  db.user.update(user::id == ann.id, {.mentees = {.set = prisma::empty}});
  CHECK(db.user.count(where(user::mentorId == ann.id)) == 0);

  // m:n
  auto p = db.post.create({.title = "P", .authorId = ann.id, .categories = {.create = {{.name = "a"}, {.name = "b"}}}});
  db.category.create({.name = "c"});
  db.post.update(post::id == p.id, {.categories = {.connect = {category::name == "c"}, .disconnect = {category::name == "a"}}});
  CHECK(names_of(db.post.find_unique_or_throw(post::id == p.id, include(post::categories)).categories) == Strings{"b", "c"});
  db.post.update(post::id == p.id, {.categories = {.set = {category::name == "a"}}});
  CHECK(names_of(db.post.find_unique_or_throw(post::id == p.id, include(post::categories)).categories) == Strings{"a"});
  // connecting twice is not an error (the link exists already)
  db.post.update(post::id == p.id, {.categories = {.connect = {category::name == "a"}}});
  CHECK(db.category.count(where(category::posts.some(post::id == p.id))) == 1);
  CHECK(db.category.count() == 3);  // disconnect and set remove links, never records
}

TEST_CASE("update runs nested update, update_many, upsert, delete_ and delete_many on its records", "[nested][update]") {
  auto db = fresh();
  auto ann = db.user.create({.email = "ann@x.io",
                             .posts = {.create = {{.title = "a", .views = 1}, {.title = "b", .views = 2}, {.title = "c", .views = 3}}}});
  auto bob = db.user.create({.email = "bob@x.io", .posts = {.create = {{.title = "bob's"}}}});
  auto bobs = db.post.find_first_or_throw(where(post::authorId == bob.id));
  auto id_of = [&](const char* t) { return db.post.find_first_or_throw(where(post::title == t)).id; };

  db.user.update(user::id == ann.id,
                 {.name = "Ann",
                  .posts = {.update = {{.where = post::id == id_of("a"), .data = {.title = "a2", .comments = {.create = {{.text = "deep"}}}}}},
                            .update_many = {{.where = post::views >= 2, .data = {.published = true}}}}});
  CHECK(db.user.find_unique_or_throw(user::id == ann.id).name == std::optional<std::string>("Ann"));
  CHECK(db.comment.count(where(comment::post.is(post::title == "a2"))) == 1);
  CHECK(db.post.count(where(post::published == true)) == 2);          // b and c, not bob's
  CHECK(db.post.find_unique_or_throw(post::id == bobs.id).published == false);
  // update of a record that is not ann's: P2025, and nothing of the call stays
  CHECK_THROWS_AS(db.user.update(user::id == ann.id, {.name = "Changed", .posts = {.update = {{.where = post::id == bobs.id, .data = {.title = "stolen"}}}}}),
                  RecordNotFound);
  CHECK(db.user.find_unique_or_throw(user::id == ann.id).name == std::optional<std::string>("Ann"));
  CHECK(db.post.find_unique_or_throw(post::id == bobs.id).title == "bob's");
  // upsert: updates ann's "b", creates "d" (bob's post id is not ann's: created, not taken)
  db.user.update(user::id == ann.id,
                 {.posts = {.upsert = {{.where = post::title == "b" && post::id == id_of("b"), .create = {.title = "new b"}, .update = {.views = 20}},
                                       {.where = post::id == bobs.id, .create = {.title = "d"}, .update = {.title = "stolen"}}}}});
  CHECK(db.post.find_unique_or_throw(post::id == id_of("b")).views == 20);
  CHECK(db.post.find_first_or_throw(where(post::title == "d")).authorId == ann.id);
  CHECK(db.post.find_unique_or_throw(post::id == bobs.id).title == "bob's");
  // delete_ by unique (must be ann's), delete_many by filter (only among ann's)
  db.user.update(user::id == ann.id, {.posts = {.delete_ = {post::id == id_of("c")}, .delete_many = {post::views < 10}}});
  CHECK(titles_of(db.post.find_many(where(post::authorId == ann.id))) == Strings{"b"});
  CHECK_THROWS_AS(db.user.update(user::id == ann.id, {.posts = {.delete_ = {post::id == bobs.id}}}), RecordNotFound);
  CHECK(db.post.count(where(post::id == bobs.id)) == 1);
}

TEST_CASE("update of to-one relations: create, connect, update, upsert, disconnect, delete_", "[nested][update]") {
  auto db = fresh();
  auto ann = db.user.create({.email = "ann@x.io"});
  auto bob = db.user.create({.email = "bob@x.io"});
  // the back side of a 1:1 (the profile holds the foreign key)
  db.user.update(user::id == ann.id, {.profile = {.create = {{.bio = "one"}}}});
  CHECK(db.profile.find_unique_or_throw(profile::userId == ann.id).bio == "one");
  db.user.update(user::id == ann.id, {.profile = {.update = {{.bio = "two"}}}});
  CHECK(db.profile.find_unique_or_throw(profile::userId == ann.id).bio == "two");
  db.user.update(user::id == bob.id, {.profile = {.upsert = {{.create = {.bio = "bob's"}, .update = {.bio = "never"}}}}});
  CHECK(db.profile.find_unique_or_throw(profile::userId == bob.id).bio == "bob's");
  db.user.update(user::id == bob.id, {.profile = {.upsert = {{.create = {.bio = "never"}, .update = {.bio = "bob 2"}}}}});
  CHECK(db.profile.find_unique_or_throw(profile::userId == bob.id).bio == "bob 2");
  // a second profile for ann: her profile's foreign key is required, so it cannot let go (P2014)
  try {
    db.user.update(user::id == ann.id, {.profile = {.create = {{.bio = "three"}}}});
    FAIL("no error");
  } catch (const RelationViolation& e) {
    CHECK(e.code() == "P2014");
  }
  CHECK(db.profile.count() == 2);
  db.user.update(user::id == ann.id, {.profile = {.delete_ = true}});
  CHECK(db.profile.count(where(profile::userId == ann.id)) == 0);
  CHECK_THROWS_AS(db.user.update(user::id == ann.id, {.profile = {.update = {{.bio = "none"}}}}), RecordNotFound);

  // the side that holds the foreign key (an optional self-relation)
  auto u = db.user.update(user::id == bob.id, {.mentor = {.connect = user::id == ann.id}});
  CHECK(u.mentorId == ann.id);
  u = db.user.update(user::id == bob.id, {.mentor = {.update = {{.name = "Mentor Ann"}}}});
  CHECK(db.user.find_unique_or_throw(user::id == ann.id).name == std::optional<std::string>("Mentor Ann"));
  u = db.user.update(user::id == bob.id, {.mentor = {.disconnect = true}});
  CHECK(u.mentorId == std::nullopt);
  u = db.user.update(user::id == bob.id, {.mentor = {.upsert = {{.create = {.email = "cy@x.io"}, .update = {.name = "never"}}}}});
  auto cy = db.user.find_unique_or_throw(user::email == "cy@x.io");
  CHECK(u.mentorId == cy.id);
  u = db.user.update(user::id == bob.id, {.mentor = {.delete_ = true}});
  CHECK(db.user.count(where(user::email == "cy@x.io")) == 0);
  CHECK(u.mentorId == std::nullopt);  // read again after the delete: the database's SetNull ran
  u = db.user.update(user::id == bob.id, {.mentor = {.create = {{.email = "dee@x.io"}}}});
  CHECK(db.user.find_unique_or_throw(user::email == "dee@x.io").id == u.mentorId);

  // a required to-one: the post moves to another author
  auto p = db.post.create({.title = "t", .author = {.connect = user::id == ann.id}});
  auto moved = db.post.update(post::id == p.id, {.author = {.connect = user::email == "bob@x.io"}});
  CHECK(moved.authorId == bob.id);
  CHECK_THROWS_AS(db.post.update(post::id == p.id, {.author = {.connect = user::id == 999}}), RecordNotFound);
  CHECK(db.post.find_unique_or_throw(post::id == p.id).authorId == bob.id);
}

TEST_CASE("upsert takes nested writes in both its create and its update", "[nested][upsert]") {
  auto db = fresh();
  auto created = db.user.upsert(user::email == "ann@x.io",
                                {.email = "ann@x.io", .posts = {.create = {{.title = "from create"}}}},
                                {.posts = {.create = {{.title = "from update"}}}});
  CHECK(titles_of(db.post.find_many(where(post::authorId == created.id))) == Strings{"from create"});
  db.user.upsert(user::email == "ann@x.io", {.email = "ann@x.io", .posts = {.create = {{.title = "never"}}}},
                 {.name = "Ann", .posts = {.create = {{.title = "from update"}}}});
  CHECK(titles_of(db.post.find_many(where(post::authorId == created.id))) == Strings{"from create", "from update"});
  CHECK(db.user.find_unique_or_throw(user::id == created.id).name == std::optional<std::string>("Ann"));
}

TEST_CASE("update_many and create_many take scalar fields only", "[nested][error]") {
  auto db = fresh();
  db.user.create({.email = "ann@x.io"});
  CHECK_THROWS_AS(db.user.update_many(user::id > 0, {.posts = {.create = {{.title = "x"}}}}), ValidationError);
  CHECK_THROWS_AS(db.user.create_many({{.email = "b@x.io", .posts = {.create = {{.title = "x"}}}}}), ValidationError);
  CHECK_THROWS_AS(db.post.create_many({{.title = "no author"}}), ValidationError);
  CHECK(db.post.count() == 0);
  CHECK(db.user.count() == 1);
}
