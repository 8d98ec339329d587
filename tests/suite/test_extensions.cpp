// Query extensions (client/extension.hpp), Prisma Client's `$extends({ query })` in C++: soft
// delete, a tenant filter, auditing and result changes, stacked extensions, extended clients in
// transactions; and Prisma's extended where unique (a unique criterion ANDed with other filters).
#include <string>
#include <vector>

#include "suite.hpp"

using namespace prisma_suite;

namespace {

// Soft delete of comments: reads leave deleted rows out, deletes set deletedAt instead.
struct SoftDelete {
  template <class Q> requires ModelQuery<Q, Comment>
  auto find_many(const Q& q) const { return q.where(comment::deletedAt.is_null()); }
  template <class Q> requires ModelQuery<Q, Comment>
  auto find_first(const Q& q) const { return q.where(comment::deletedAt.is_null()); }
  template <class Q> requires ModelQuery<Q, Comment>
  auto find_unique(const Q& q) const { return q.where(comment::deletedAt.is_null()); }
  template <class Q> requires ModelQuery<Q, Comment>
  auto count(const Q& q) const { return q.where(comment::deletedAt.is_null()); }
  template <class Q> requires ModelQuery<Q, Comment>
  auto delete_(const Q& q) const {
    return q.delegate().update(q.template arg<0>() && comment::deletedAt.is_null(), {.deletedAt = DateTime::now()});
  }
  template <class Q> requires ModelQuery<Q, Comment>
  auto delete_many(const Q& q) const {
    if constexpr (std::tuple_size_v<std::remove_cvref_t<decltype(q.args())>> == 0)
      return q.delegate().update_many(comment::deletedAt.is_null(), {.deletedAt = DateTime::now()});
    else
      return q.delegate().update_many(q.template arg<0>() && comment::deletedAt.is_null(), {.deletedAt = DateTime::now()});
  }
};

// Every operation, in order, as "Model.operation".
struct Audit {
  std::vector<std::string>* log;
  template <class Q>
  auto all_operations(const Q& q) const {
    log->push_back(std::string(Q::model_name) + "." + std::string(Q::operation));
    return q();
  }
};

// One author's posts only: reads and bulk writes of Post carry the tenant's filter.
struct Tenant {
  std::int64_t author;
  template <class Q> requires ModelQuery<Q, Post>
  auto find_many(const Q& q) const { return q.where(post::authorId == author); }
  template <class Q> requires ModelQuery<Q, Post>
  auto count(const Q& q) const { return q.where(post::authorId == author); }
  template <class Q> requires ModelQuery<Q, Post>
  auto update_many(const Q& q) const { return q.where(post::authorId == author); }
  template <class Q> requires ModelQuery<Q, Post>
  auto delete_many(const Q& q) const { return q.where(post::authorId == author); }
};

struct Shout {
  std::vector<std::string>* order;
  template <class Q> requires ModelQuery<Q, User>
  auto find_unique(const Q& q) const {
    order->push_back("shout");
    auto row = q();
    if (row && row->name) *row->name += "!";
    return row;
  }
};
struct Named {
  std::vector<std::string>* order;
  template <class Q> requires ModelQuery<Q, User>
  auto find_unique(const Q& q) const {
    order->push_back("named");
    return q.where(user::name.is_not_null());
  }
};

void seed_comments(Client& db) {
  db.comment.create({.text = "first", .postId = 1});
  db.comment.create({.text = "second", .postId = 1});
  db.comment.create({.text = "third", .postId = 3});
}

}  // namespace

TEST_CASE("soft delete: an extension turns deletes into updates and hides deleted rows from reads", "[extension]") {
  auto db = blog();
  seed_comments(db);
  auto xdb = db.extend(SoftDelete{});

  auto gone = xdb.comment.delete_(comment::id == 2);
  CHECK(gone.id == 2);
  CHECK(gone.deletedAt.has_value());
  CHECK(row_ids(xdb.comment.find_many(order_by(comment::id.asc()))) == Ids{1, 3});
  CHECK(xdb.comment.count() == 2);
  CHECK(xdb.comment.count(where(comment::postId == 1)) == 1);
  CHECK_FALSE(xdb.comment.find_unique(comment::id == 2).has_value());
  CHECK(xdb.comment.find_unique(comment::id == 1).has_value());
  CHECK_FALSE(xdb.comment.find_first(where(comment::text == "second")).has_value());
  // deleting it again: it is not there any more (P2025, as a second delete)
  CHECK_THROWS_AS(xdb.comment.delete_(comment::id == 2), RecordNotFound);

  // the client itself is unchanged: the row is still there, marked
  auto all = db.comment.find_many(order_by(comment::id.asc()));
  REQUIRE(all.size() == 3);
  CHECK(all[1].deletedAt.has_value());
  CHECK_FALSE(all[0].deletedAt.has_value());

  // delete_many marks every matching live row; other models are untouched by the extension
  CHECK(xdb.comment.delete_many(comment::postId == 1) == 1);
  CHECK(xdb.comment.delete_many() == 1);
  CHECK(xdb.comment.count() == 0);
  CHECK(db.comment.count() == 3);
  CHECK(xdb.post.count() == 6);
  CHECK(xdb.post.delete_many(post::title == "F") == 1);
  CHECK(db.post.count() == 5);
}

TEST_CASE("a tenant filter applies to reads and bulk writes of its model only", "[extension]") {
  auto db = blog();
  auto alice = db.extend(Tenant{1});
  CHECK(row_ids(alice.post.find_many(order_by(post::id.asc()))) == Ids{1, 2});
  // the filter is ANDed with the caller's where
  CHECK(row_ids(alice.post.find_many(where(post::published == true))) == Ids{1});
  CHECK(alice.post.count(where(post::views > 100)) == 0);
  CHECK(alice.post.update_many(post::views >= 0, {.views = 99}) == 2);
  CHECK(db.post.count(where(post::views == 99)) == 2);
  CHECK(alice.post.delete_many(post::views == 99, limit(1)) == 1);
  CHECK(db.post.count() == 5);
  CHECK(alice.user.count() == 5);  // another model: no filter
}

TEST_CASE("an audit hook sees every operation under Prisma's names and returns its result", "[extension]") {
  auto db = blog();
  std::vector<std::string> log;
  auto xdb = db.extend(Audit{&log});
  auto u = xdb.user.create({.email = "new@x.io"});
  xdb.user.update(user::id == u.id, {.name = "New"});
  xdb.user.find_unique(user::email == "new@x.io");
  xdb.post.find_many(where(post::authorId == 1), include(post::author));
  xdb.post.aggregate(count());
  xdb.user.upsert(user::email == "new@x.io", {.email = "new@x.io"}, {.age = 3});
  xdb.user.delete_(user::id == u.id);
  CHECK(log == std::vector<std::string>{"User.create", "User.update", "User.findUnique", "Post.findMany",
                                        "Post.aggregate", "User.upsert", "User.delete"});
}

TEST_CASE("a hook may change the result and stacked extensions run the last added first", "[extension]") {
  auto db = blog();
  std::vector<std::string> order;
  auto xdb = db.extend(Shout{&order}).extend(Named{&order});
  auto alice = xdb.user.find_unique(user::id == 1);
  REQUIRE(alice);
  CHECK(alice->name == "Alice!");
  CHECK(order == std::vector<std::string>{"named", "shout"});
  CHECK_FALSE(xdb.user.find_unique(user::id == 3).has_value());  // carol has no name
  CHECK(db.user.find_unique(user::id == 1)->name == "Alice");
}

TEST_CASE("transactions on an extended client run the hooks and roll back together", "[extension][transaction]") {
  auto db = blog();
  seed_comments(db);
  auto xdb = db.extend(SoftDelete{});
  auto live = xdb.transaction([](auto& tx) {
    tx.comment.delete_(comment::id == 1);
    return tx.comment.count();
  });
  CHECK(live == 2);
  CHECK_THROWS_AS(xdb.transaction([](auto& tx) {
                    tx.comment.delete_(comment::id == 3);
                    CHECK(tx.comment.count() == 1);
                    tx.transaction([](auto& inner) { CHECK(inner.comment.count() == 1); });  // a savepoint: still extended
                    throw std::runtime_error("undo");
                  }),
                  std::runtime_error);
  CHECK(xdb.comment.count() == 2);
  CHECK(db.comment.count() == 3);
}

TEST_CASE("extended where unique: a unique criterion ANDed with other filters", "[extension][reads]") {
  auto db = blog();
  CHECK(db.user.find_unique(user::email == "alice@x.io" && user::age == 30).has_value());
  CHECK_FALSE(db.user.find_unique(user::email == "alice@x.io" && user::age > 30).has_value());
  // an update whose extra filter does not match is P2025, as Prisma's
  CHECK_THROWS_AS(db.user.update(user::id == 1 && user::role == Role::USER, {.age = 1}), RecordNotFound);
  CHECK(db.user.update(user::id == 1 && user::role == Role::ADMIN, {.age = 31}).age == 31);
  CHECK_THROWS_AS(db.user.delete_(user::id == 3 && user::name.is_not_null()), RecordNotFound);
}
