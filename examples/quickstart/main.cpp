// The quickstart: a blog on an embedded SQLite file, through the client generated from
// schema.prisma. It creates the database, writes, reads with filters, ordering and paging,
// updates, counts, aggregates, groups and deletes, writes a nested create and rolls a transaction
// back, printing what it did.
#include <blog/client.hpp>        // the Client
#include <blog/models/Post.hpp>   // the models this file uses
#include <blog/models/User.hpp>

#include <cstdio>
#include <stdexcept>
#include <filesystem>

using namespace prisma;
using namespace blog;

namespace {

void print_users(const char* title, const std::vector<User>& users) {
  std::printf("%s\n", title);
  for (const auto& u : users)
    std::printf("  #%d %-18s %-8s role=%-5s age=%s\n", u.id, u.email.c_str(),
                u.name.value_or("-").c_str(), std::string(to_string(u.role)).c_str(),
                u.age ? std::to_string(*u.age).c_str() : "-");
}

}  // namespace

int main() {
  // The schema's url is file:./quickstart.db, next to schema.prisma (as Prisma resolves it).
  std::string file = detail::sqlite_path(prisma_schema::url, prisma_schema::schema_dir);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
  auto db = Client::open();
  db.push_schema();
  std::printf("created %s from the schema\n\n", file.c_str());

  User ada = db.user.create({.email = "ada@prisma.io", .name = "Ada", .role = Role::ADMIN, .age = 36});
  db.user.create({.email = "alan@prisma.io", .name = "Alan", .age = 41});
  db.user.create({.email = "grace@prisma.io", .name = "Grace", .age = 17});
  db.user.create({.email = "anon@prisma.io"});
  std::printf("created 4 users; Ada has id %d and joined at %s\n\n", ada.id,
              ada.createdAt.to_iso().c_str());
  for (int i = 1; i <= 3; ++i)
    db.post.create({.title = "Notes " + std::to_string(i), .published = i != 3, .authorId = ada.id});

  print_users("adults whose name starts with A, oldest first:",
              db.user.find_many(where(user::age >= 18 && user::name.starts_with("A")),
                                order_by(user::age.desc())));
  print_users("page 2 of all users by email, 2 per page:",
              db.user.find_many(order_by(user::email.asc()), skip(2), take(2)));
  print_users("the last user by id (take -1):", db.user.find_many(order_by(user::id.asc()), take(-1)));

  auto grace = db.user.find_unique(user::email == "grace@prisma.io");
  std::printf("\nfind_unique(email == grace@prisma.io): %s\n", grace ? grace->name->c_str() : "none");

  Post p = db.post.update(post::id == 1, {.views = increment(10)});
  std::printf("post #%d now has %d views (updatedAt %s)\n", p.id, p.views, p.updatedAt.to_iso().c_str());
  auto published = db.post.update_many(post::published == false, {.published = true});
  std::printf("published %lld draft(s)\n", static_cast<long long>(published));
  db.user.update(user::id == grace->id, {.name = "Grace H.", .age = increment(1)});

  std::printf("\nusers: %lld, with an age: %lld, posts: %lld\n",
              static_cast<long long>(db.user.count()),
              static_cast<long long>(db.user.count(where(user::age.is_not_null()))),
              static_cast<long long>(db.post.count()));

  auto [n_aged, avg_age, oldest] = db.user.aggregate(count(user::age), avg(user::age), max(user::age));
  std::printf("aggregate: %lld ages, average %.1f, oldest %d\n", static_cast<long long>(n_aged),
              avg_age.value_or(0), oldest.value_or(0));
  for (auto [author, posts, views] :
       db.post.group_by(by(post::authorId), count(), sum(post::views), having(count() >= 1)))
    std::printf("group_by author #%d: %lld posts, %lld views\n", author, static_cast<long long>(posts),
                static_cast<long long>(views.value_or(0)));
  std::printf("emails only (select):");
  for (const auto& row : db.user.find_many(select(user::email), order_by(user::email.asc()), take(3)))
    std::printf(" %s", row.email.c_str());
  std::printf("\n");

  User anon = db.user.delete_(user::email == "anon@prisma.io");
  std::printf("deleted %s; %lld users left\n", anon.email.c_str(), static_cast<long long>(db.user.count()));
  try {
    db.user.create({.email = "ada@prisma.io"});
  } catch (const UniqueConstraintViolation& e) {
    std::printf("creating ada@prisma.io again fails with %s on %s\n", e.code().c_str(),
                e.fields().at(0).c_str());
  }

  // A user and her posts in one nested create, then a transaction that rolls back as a whole.
  User linus = db.user.create({.email = "linus@prisma.io", .name = "Linus",
                               .posts = {.create = {{.title = "Kernel notes"}, {.title = "Git notes"}}}});
  std::printf("\nnested create: %s with %lld posts\n", linus.email.c_str(),
              static_cast<long long>(db.post.count(where(post::authorId == linus.id))));
  try {
    db.transaction([&](auto& tx) {
      tx.post.update_many(post::authorId == linus.id, {.views = increment(100)});
      throw std::runtime_error("changed my mind");
    });
  } catch (const std::runtime_error& e) {
    auto views = db.post.aggregate(sum(post::views), where(post::authorId == linus.id));
    std::printf("transaction rolled back (%s): his posts still have %lld views\n", e.what(),
                static_cast<long long>(std::get<0>(views).value_or(0)));
  }
  return 0;
}
