// Two databases in one service (the core on SQLite, the gym on PostgreSQL), each with its own
// multi-file schema and generated namespace, and one repository written once for both.
//   two_databases <gym postgresql URL> [core database file]   (default: <temp dir>/two_databases_core.db)
#include <core/all.hpp>
#include <gym/all.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "auth_repository.hpp"

static_assert(shared::HasAuthUsers<core::Client> && shared::HasAuthUsers<gym::Client>);

template <class Db>
int check(const char* label, Db& db) {
  shared::AuthRepository<Db> auth(db);
  auth.sign_up("ann@x.io", "Ann");
  auth.sign_up("bob@x.io", std::nullopt);
  auto again = auth.sign_up("ann@x.io", "Someone else");  // an existing email: the same user
  auto ann = auth.by_email("ann@x.io");
  bool ok = ann && again.id == ann->id && ann->name == std::optional<std::string>("Ann") && auth.count() == 2 &&
            auth.emails() == std::vector<std::string>{"ann@x.io", "bob@x.io"};
  std::printf("%s: %lld users (%s)\n", label, static_cast<long long>(auth.count()), ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: two_databases <gym postgresql URL>\n");
    return 2;
  }
  // a relative file: URL would be relative to the schema's folder (as Prisma's): an absolute path here
  std::string core_path = argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "two_databases_core.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(core_path + suffix);
  auto core_db = core::Client::open("file:" + core_path);
  core_db.push_schema();
  auto gym_db = gym::Client::open(argv[1]);
  gym_db.push_schema();
  int failures = check("core (SQLite)", core_db) + check("gym (PostgreSQL)", gym_db);

  // each database's own models beside the shared one
  auto ann_core = core_db.authUser.find_unique_or_throw(core::authUser::email == "ann@x.io");
  core_db.note.create({.text = "remember the gym", .userId = ann_core.id});
  auto ann_gym = gym_db.authUser.find_unique_or_throw(gym::authUser::email == "ann@x.io");
  gym_db.workout.create({.kind = gym::Kind::RUN, .minutes = 30, .userId = ann_gym.id});
  gym_db.workout.create({.kind = gym::Kind::SWIM, .minutes = 45, .userId = ann_gym.id});
  auto [minutes] = gym_db.workout.aggregate(prisma::sum(gym::workout::minutes), prisma::where(gym::workout::userId == ann_gym.id));
  std::printf("core: %lld notes; gym: %lld minutes of exercise\n", static_cast<long long>(core_db.note.count()),
              static_cast<long long>(minutes.value_or(0)));
  failures += minutes != 75 || core_db.note.count() != 1;
  return failures;
}
