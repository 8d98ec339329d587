// The reference workload on SQLite: prisma-cpp against hand-written sqlite3 prepared statements
// on the same database file, with the same connection settings (WAL, synchronous=NORMAL).
// Reads run before the writes grow the tables.
#include <bench/all.hpp>

#include "workload.hpp"
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using namespace prisma;
using namespace bench;

constexpr int kUsers = 10000;

struct Raw {
  sqlite3* db = nullptr;
  explicit Raw(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("open");
    exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
  }
  ~Raw() { sqlite3_close_v2(db); }
  void exec(const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
    return s;
  }
};

// What the raw side reads a row into: the same struct, filled by hand.
User read_user(sqlite3_stmt* s) {
  User u;
  u.id = sqlite3_column_int(s, 0);
  u.name.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
                static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
  if (sqlite3_column_type(s, 2) != SQLITE_NULL)
    u.hairColor.emplace(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)),
                        static_cast<std::size_t>(sqlite3_column_bytes(s, 2)));
  return u;
}

struct World {
  std::string path = (std::filesystem::temp_directory_path() / "prisma_cpp_bench.db").string();
  Client db;
  Raw raw;
  World() : db(open_fresh(path)), raw(path) {
    db.transaction([](auto& tx) {
      for (int i = 1; i <= kUsers; ++i)
        tx.user.create({.name = "user " + std::to_string(i),
                        .hairColor = i % 2 == 0 ? std::optional<std::string>("black") : std::nullopt});
    }, prisma::TransactionOptions{.timeout = std::chrono::milliseconds(0)});
    bench_workload::seed_posts_and_comments<Post, Comment>(db);
    db.pool().acquire()->exec("ANALYZE");
  }
  static Client open_fresh(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    // the raw side runs with synchronous = NORMAL too (Raw's constructor)
    auto c = Client::open("file:" + path, prisma::ClientOptions{.on_connect = {"PRAGMA synchronous = NORMAL"}});
    c.push_schema();
    return c;
  }
};

World& world() {
  static World w;
  return w;
}

int next_id(int& k) { return k = k % kUsers + 1; }

// Every write benchmark starts from an empty WAL, whichever side ran before it.
void checkpoint(World& w) { w.raw.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }
// Inserted rows go again after each run, so every repetition sees 10,000 users.
// (Without the foreign-key check: Post.userId has no index, and an inserted user has no posts, so
// the check would scan Post once per deleted row.)
void drop_inserted(World& w) {
  w.raw.exec("PRAGMA foreign_keys = OFF; DELETE FROM \"User\" WHERE \"id\" > 10000; PRAGMA foreign_keys = ON");
}
// ... and the posts a nested create wrote for them.
void drop_inserted_with_posts(World& w) {
  w.raw.exec("DELETE FROM \"Post\" WHERE \"userId\" > 10000");
  drop_inserted(w);
}

// ---- reads ------------------------------------------------------------------------------

void find_unique_prisma(benchmark::State& st) {
  auto& w = world();
  int k = 0;
  for (auto _ : st) benchmark::DoNotOptimize(w.db.user.find_unique(user::id == next_id(k)));
}
void find_unique_raw(benchmark::State& st) {
  auto& w = world();
  sqlite3_stmt* s = w.raw.prepare("SELECT \"id\", \"name\", \"hairColor\" FROM \"User\" WHERE \"id\" = ? LIMIT ?");
  int k = 0;
  for (auto _ : st) {
    sqlite3_bind_int(s, 1, next_id(k));
    sqlite3_bind_int(s, 2, 1);
    std::optional<User> u;
    if (sqlite3_step(s) == SQLITE_ROW) u = read_user(s);
    sqlite3_reset(s);
    benchmark::DoNotOptimize(u);
  }
  sqlite3_finalize(s);
}

void find_many_100_prisma(benchmark::State& st) {
  auto& w = world();
  for (auto _ : st)
    benchmark::DoNotOptimize(w.db.user.find_many(where(user::hairColor == "black"), order_by(user::id.asc()), take(100)));
}
void find_many_100_raw(benchmark::State& st) {
  auto& w = world();
  sqlite3_stmt* s = w.raw.prepare(
      "SELECT \"id\", \"name\", \"hairColor\" FROM \"User\" WHERE \"hairColor\" = ? ORDER BY \"id\" ASC LIMIT ?");
  for (auto _ : st) {
    sqlite3_bind_text(s, 1, "black", 5, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, 100);
    std::vector<User> rows;
    while (sqlite3_step(s) == SQLITE_ROW) rows.push_back(read_user(s));
    sqlite3_reset(s);
    benchmark::DoNotOptimize(rows);
  }
  sqlite3_finalize(s);
}

void load_all_10k_prisma(benchmark::State& st) {
  auto& w = world();
  for (auto _ : st) benchmark::DoNotOptimize(w.db.user.find_many());
}
void load_all_10k_raw(benchmark::State& st) {
  auto& w = world();
  sqlite3_stmt* s = w.raw.prepare("SELECT \"id\", \"name\", \"hairColor\" FROM \"User\"");
  for (auto _ : st) {
    std::vector<User> rows;
    while (sqlite3_step(s) == SQLITE_ROW) rows.push_back(read_user(s));
    sqlite3_reset(s);
    benchmark::DoNotOptimize(rows);
  }
  sqlite3_finalize(s);
}

void count_prisma(benchmark::State& st) {
  auto& w = world();
  for (auto _ : st) benchmark::DoNotOptimize(w.db.user.count(where(user::hairColor.is_not_null())));
}
void count_raw(benchmark::State& st) {
  auto& w = world();
  sqlite3_stmt* s = w.raw.prepare("SELECT COUNT(*) FROM \"User\" WHERE \"hairColor\" IS NOT NULL");
  for (auto _ : st) {
    std::int64_t n = 0;
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    benchmark::DoNotOptimize(n);
  }
  sqlite3_finalize(s);
}

// The first 100 users with their posts and each post's comments: through include, and by hand
// as three queries stitched together.
void include_assoc_prisma(benchmark::State& st) {
  auto& w = world();
  for (auto _ : st)
    benchmark::DoNotOptimize(
        w.db.user.find_many(include(user::posts.include(post::comments)), order_by(user::id.asc()), take(100)));
}
using RawUser = bench_workload::RawUser<User, Post, Comment>;
std::string placeholders(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}
void include_assoc_raw(benchmark::State& st) {
  auto& w = world();
  sqlite3_stmt* q1 = w.raw.prepare("SELECT \"id\", \"name\", \"hairColor\" FROM \"User\" ORDER BY \"id\" ASC LIMIT 100");
  std::unordered_map<std::string, sqlite3_stmt*> cache;  // IN lists by length, prepared once
  auto stmt = [&](const std::string& sql) {
    auto& s = cache[sql];
    if (!s) s = w.raw.prepare(sql.c_str());
    return s;
  };
  for (auto _ : st) {
    std::vector<RawUser> users;
    std::unordered_map<int, std::size_t> user_at;
    while (sqlite3_step(q1) == SQLITE_ROW) {
      user_at[sqlite3_column_int(q1, 0)] = users.size();
      users.push_back({read_user(q1), {}});
    }
    sqlite3_reset(q1);
    std::string sql2 = "SELECT \"id\", \"userId\", \"title\", \"body\" FROM \"Post\" WHERE \"userId\" IN (" +
                       placeholders(static_cast<int>(users.size())) + ") ORDER BY \"id\" ASC";
    sqlite3_stmt* q2 = stmt(sql2);
    for (std::size_t i = 0; i < users.size(); ++i) sqlite3_bind_int(q2, static_cast<int>(i) + 1, users[i].user.id);
    std::unordered_map<int, std::pair<std::size_t, std::size_t>> post_at;
    std::vector<int> post_ids;
    while (sqlite3_step(q2) == SQLITE_ROW) {
      Post p;
      p.id = sqlite3_column_int(q2, 0);
      p.userId = sqlite3_column_int(q2, 1);
      p.title.assign(reinterpret_cast<const char*>(sqlite3_column_text(q2, 2)), static_cast<std::size_t>(sqlite3_column_bytes(q2, 2)));
      if (sqlite3_column_type(q2, 3) != SQLITE_NULL)
        p.body.emplace(reinterpret_cast<const char*>(sqlite3_column_text(q2, 3)), static_cast<std::size_t>(sqlite3_column_bytes(q2, 3)));
      auto& u = users[user_at[p.userId]];
      post_at[p.id] = {user_at[p.userId], u.posts.size()};
      post_ids.push_back(p.id);
      u.posts.push_back({std::move(p), {}});
    }
    sqlite3_reset(q2);
    std::string sql3 = "SELECT \"id\", \"postId\", \"text\" FROM \"Comment\" WHERE \"postId\" IN (" +
                       placeholders(static_cast<int>(post_ids.size())) + ") ORDER BY \"id\" ASC";
    sqlite3_stmt* q3 = stmt(sql3);
    for (std::size_t i = 0; i < post_ids.size(); ++i) sqlite3_bind_int(q3, static_cast<int>(i) + 1, post_ids[i]);
    while (sqlite3_step(q3) == SQLITE_ROW) {
      Comment c;
      c.id = sqlite3_column_int(q3, 0);
      c.postId = sqlite3_column_int(q3, 1);
      c.text.assign(reinterpret_cast<const char*>(sqlite3_column_text(q3, 2)), static_cast<std::size_t>(sqlite3_column_bytes(q3, 2)));
      auto [ui, pi] = post_at[c.postId];
      users[ui].posts[pi].comments.push_back(std::move(c));
    }
    sqlite3_reset(q3);
    benchmark::DoNotOptimize(users);
  }
  sqlite3_finalize(q1);
  for (auto& [sql, s] : cache) sqlite3_finalize(s);
}

// ---- writes (after the reads) --------------------------------------------------------------

void update_one_prisma(benchmark::State& st) {
  auto& w = world();
  checkpoint(w);
  int k = 0;
  for (auto _ : st) benchmark::DoNotOptimize(w.db.user.update(user::id == next_id(k), {.name = "renamed"}));
}
void update_one_raw(benchmark::State& st) {
  auto& w = world();
  checkpoint(w);
  sqlite3_stmt* s = w.raw.prepare(
      "UPDATE \"User\" SET \"name\" = ? WHERE \"id\" = ? RETURNING \"id\", \"name\", \"hairColor\"");
  int k = 0;
  for (auto _ : st) {
    sqlite3_bind_text(s, 1, "renamed", 7, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, next_id(k));
    User u;
    if (sqlite3_step(s) == SQLITE_ROW) u = read_user(s);
    sqlite3_reset(s);
    benchmark::DoNotOptimize(u);
  }
  sqlite3_finalize(s);
}

void insert_one_prisma(benchmark::State& st) {
  auto& w = world();
  checkpoint(w);
  for (auto _ : st) benchmark::DoNotOptimize(w.db.user.create({.name = "new", .hairColor = "red"}));
}
void insert_one_raw(benchmark::State& st) {
  auto& w = world();
  checkpoint(w);
  sqlite3_stmt* s = w.raw.prepare(
      "INSERT INTO \"User\" (\"name\", \"hairColor\") VALUES (?, ?) RETURNING \"id\", \"name\", \"hairColor\"");
  for (auto _ : st) {
    sqlite3_bind_text(s, 1, "new", 3, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, "red", 3, SQLITE_TRANSIENT);
    User u;
    if (sqlite3_step(s) == SQLITE_ROW) u = read_user(s);
    sqlite3_reset(s);
    benchmark::DoNotOptimize(u);
  }
  sqlite3_finalize(s);
  drop_inserted(w);
}

// A create with a nested create of three posts: the typed input lowered into the write tree and
// run by the executor, against the same statements written by hand (BEGIN IMMEDIATE, the user
// with RETURNING, each post with the user's id, COMMIT).
void nested_create_3_prisma(benchmark::State& st) {
  auto& w = world();
  checkpoint(w);
  for (auto _ : st)
    benchmark::DoNotOptimize(w.db.user.create(
        {.name = "nested", .posts = {.create = {{.title = "a"}, {.title = "b"}, {.title = "c"}}}}));
  drop_inserted_with_posts(w);
}
void nested_create_3_raw(benchmark::State& st) {
  auto& w = world();
  checkpoint(w);
  sqlite3_stmt* u = w.raw.prepare("INSERT INTO \"User\" (\"name\") VALUES (?) RETURNING \"id\", \"name\", \"hairColor\"");
  sqlite3_stmt* p = w.raw.prepare("INSERT INTO \"Post\" (\"userId\", \"title\") VALUES (?, ?)");
  for (auto _ : st) {
    w.raw.exec("BEGIN IMMEDIATE");
    sqlite3_bind_text(u, 1, "nested", 6, SQLITE_TRANSIENT);
    User user;
    if (sqlite3_step(u) == SQLITE_ROW) user = read_user(u);
    sqlite3_reset(u);
    for (const char* title : {"a", "b", "c"}) {
      sqlite3_bind_int(p, 1, user.id);
      sqlite3_bind_text(p, 2, title, 1, SQLITE_TRANSIENT);
      if (sqlite3_step(p) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(w.raw.db));
      sqlite3_reset(p);
    }
    w.raw.exec("COMMIT");
    benchmark::DoNotOptimize(user);
  }
  sqlite3_finalize(u);
  sqlite3_finalize(p);
  drop_inserted_with_posts(w);
}

void insert_batch_100_prisma(benchmark::State& st) {
  auto& w = world();
  checkpoint(w);
  std::vector<UserCreate> rows;
  for (int i = 0; i < 100; ++i) rows.push_back({.name = "batch", .hairColor = "red"});
  for (auto _ : st) benchmark::DoNotOptimize(w.db.user.create_many(rows));
  drop_inserted(w);
}
void insert_batch_100_raw(benchmark::State& st) {
  auto& w = world();
  checkpoint(w);
  std::string sql = "INSERT INTO \"User\" (\"name\", \"hairColor\") VALUES (?, ?)";
  for (int i = 1; i < 100; ++i) sql += ", (?, ?)";
  sqlite3_stmt* s = w.raw.prepare(sql.c_str());
  for (auto _ : st) {
    w.raw.exec("BEGIN IMMEDIATE");
    for (int i = 0; i < 100; ++i) {
      sqlite3_bind_text(s, 2 * i + 1, "batch", 5, SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 2 * i + 2, "red", 3, SQLITE_TRANSIENT);
    }
    sqlite3_step(s);
    sqlite3_reset(s);
    w.raw.exec("COMMIT");
    benchmark::DoNotOptimize(sqlite3_changes(w.raw.db));
  }
  sqlite3_finalize(s);
  drop_inserted(w);
}

// ---- concurrent reads ----------------------------------------------------------------------
// N threads reading at once: through the one shared Client (its pool: WAL readers side by side),
// and raw, one sqlite3 connection per thread. items_per_second is the total rate of all threads;
// the table after the run divides it by the one-thread rate.

void concurrent_find_many_prisma(benchmark::State& st) {
  auto& w = world();
  for (auto _ : st)
    benchmark::DoNotOptimize(w.db.user.find_many(where(user::hairColor == "black"), order_by(user::id.asc()), take(20)));
  st.SetItemsProcessed(st.iterations());
}
void concurrent_find_many_raw(benchmark::State& st) {
  auto& w = world();
  Raw mine(w.path);  // this thread's connection
  sqlite3_stmt* s = mine.prepare(
      "SELECT \"id\", \"name\", \"hairColor\" FROM \"User\" WHERE \"hairColor\" = ? ORDER BY \"id\" ASC LIMIT ?");
  for (auto _ : st) {
    sqlite3_bind_text(s, 1, "black", 5, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, 20);
    std::vector<User> rows;
    while (sqlite3_step(s) == SQLITE_ROW) rows.push_back(read_user(s));
    sqlite3_reset(s);
    benchmark::DoNotOptimize(rows);
  }
  sqlite3_finalize(s);
  st.SetItemsProcessed(st.iterations());
}

}  // namespace

BENCHMARK(concurrent_find_many_raw)->Name("concurrent_find_many/sqlite/raw")->ThreadRange(1, 8)->UseRealTime();
BENCHMARK(concurrent_find_many_prisma)->Name("concurrent_find_many/sqlite/prisma")->ThreadRange(1, 8)->UseRealTime();
BENCHMARK(find_unique_raw)->Name("find_unique/sqlite/raw");
BENCHMARK(find_unique_prisma)->Name("find_unique/sqlite/prisma");
BENCHMARK(find_many_100_raw)->Name("find_many_100/sqlite/raw");
BENCHMARK(find_many_100_prisma)->Name("find_many_100/sqlite/prisma");
BENCHMARK(load_all_10k_raw)->Name("load_all_10k/sqlite/raw");
BENCHMARK(load_all_10k_prisma)->Name("load_all_10k/sqlite/prisma");
BENCHMARK(include_assoc_raw)->Name("include_assoc/sqlite/raw");
BENCHMARK(include_assoc_prisma)->Name("include_assoc/sqlite/prisma");
BENCHMARK(count_raw)->Name("count/sqlite/raw");
BENCHMARK(count_prisma)->Name("count/sqlite/prisma");
BENCHMARK(update_one_raw)->Name("update_one/sqlite/raw");
BENCHMARK(update_one_prisma)->Name("update_one/sqlite/prisma");
BENCHMARK(insert_one_raw)->Name("insert_one/sqlite/raw");
BENCHMARK(insert_one_prisma)->Name("insert_one/sqlite/prisma");
BENCHMARK(nested_create_3_raw)->Name("nested_create_3/sqlite/raw");
BENCHMARK(nested_create_3_prisma)->Name("nested_create_3/sqlite/prisma");
BENCHMARK(insert_batch_100_raw)->Name("insert_batch_100/sqlite/raw");
BENCHMARK(insert_batch_100_prisma)->Name("insert_batch_100/sqlite/prisma");
