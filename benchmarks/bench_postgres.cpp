// The reference workload on PostgreSQL: prisma-cpp against hand-written libpqxx prepared
// statements on the same database, each on its own connection with default settings. The server
// is PRISMA_CPP_BENCH_PG_URL (a server URL; the benchmark creates and drops its database there),
// e.g. from `scripts/pg-test-server start /tmp/pgb`; without it these benchmarks are skipped.
#include <bench_pg/all.hpp>

#include "workload.hpp"
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "../tests/support/pg_test_db.hpp"

namespace {

using namespace prisma;
using namespace bench_pg;

constexpr int kUsers = 10000;

User read_user(const pqxx::row& r) {
  User u;
  u.id = r[0].as<int>();
  u.name.assign(r[1].c_str(), r[1].size());
  if (!r[2].is_null()) u.hairColor.emplace(r[2].c_str(), r[2].size());
  return u;
}

struct World {
  std::unique_ptr<prisma_test::PgTestDatabase> database;
  std::optional<Client> db;
  std::unique_ptr<pqxx::connection> raw;

  World() {
    const char* server = std::getenv("PRISMA_CPP_BENCH_PG_URL");
    if (!server || !*server) return;
    ::setenv("PRISMA_CPP_TEST_PG_URL", server, 1);
    database = std::make_unique<prisma_test::PgTestDatabase>("bench");
    db.emplace(Client::open(database->url() + "?connection_limit=1"));
    db->push_schema();
    std::vector<UserCreate> rows;
    for (int i = 1; i <= kUsers; ++i)
      rows.push_back({.name = "user " + std::to_string(i),
                      .hairColor = i % 2 == 0 ? std::optional<std::string>("black") : std::nullopt});
    db->user.create_many(rows);
    bench_workload::seed_posts_and_comments<Post, Comment>(*db);
    raw = std::make_unique<pqxx::connection>(database->url());
    exec("ANALYZE");
  }
  bool ready() const { return db.has_value(); }
  void exec(const std::string& sql) {
    pqxx::nontransaction tx(*raw);
    tx.exec(sql);
  }
  // Every write benchmark starts from a vacuumed table, whichever side ran before it.
  void vacuum() { exec("VACUUM \"User\""); }
  // Inserted rows go again after each run, so every repetition sees 10,000 users.
  void drop_inserted() { exec("DELETE FROM \"User\" WHERE \"id\" > 10000"); }
};

World& world() {
  static World w;
  return w;
}

bool skip(benchmark::State& st) {
  if (world().ready()) return false;
  st.SkipWithError("set PRISMA_CPP_BENCH_PG_URL to a PostgreSQL server URL to run this");
  return true;
}

int next_id(int& k) { return k = k % kUsers + 1; }

void prepare_once(pqxx::connection& c, const std::string& name, const std::string& sql) {
  static std::set<std::string> done;
  if (done.insert(name).second) c.prepare(name, sql);
}

// ---- reads ------------------------------------------------------------------------------

void find_unique_prisma(benchmark::State& st) {
  if (skip(st)) return;
  auto& db = *world().db;
  int k = 0;
  for (auto _ : st) benchmark::DoNotOptimize(db.user.find_unique(user::id == next_id(k)));
}
void find_unique_raw(benchmark::State& st) {
  if (skip(st)) return;
  auto& c = *world().raw;
  prepare_once(c, "find_unique", "SELECT \"id\", \"name\", \"hairColor\" FROM \"User\" WHERE \"id\" = $1 LIMIT $2");
  int k = 0;
  for (auto _ : st) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared("find_unique", next_id(k), 1);
    std::optional<User> u;
    if (!r.empty()) u = read_user(r[0]);
    benchmark::DoNotOptimize(u);
  }
}

void find_many_100_prisma(benchmark::State& st) {
  if (skip(st)) return;
  auto& db = *world().db;
  for (auto _ : st)
    benchmark::DoNotOptimize(db.user.find_many(where(user::hairColor == "black"), order_by(user::id.asc()), take(100)));
}
void find_many_100_raw(benchmark::State& st) {
  if (skip(st)) return;
  auto& c = *world().raw;
  prepare_once(c, "find_many_100",
               "SELECT \"id\", \"name\", \"hairColor\" FROM \"User\" WHERE \"hairColor\" = $1 ORDER BY \"id\" ASC LIMIT $2");
  for (auto _ : st) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared("find_many_100", "black", 100);
    std::vector<User> rows;
    rows.reserve(r.size());
    for (const auto& row : r) rows.push_back(read_user(row));
    benchmark::DoNotOptimize(rows);
  }
}

void load_all_10k_prisma(benchmark::State& st) {
  if (skip(st)) return;
  auto& db = *world().db;
  for (auto _ : st) benchmark::DoNotOptimize(db.user.find_many());
}
void load_all_10k_raw(benchmark::State& st) {
  if (skip(st)) return;
  auto& c = *world().raw;
  prepare_once(c, "load_all", "SELECT \"id\", \"name\", \"hairColor\" FROM \"User\"");
  for (auto _ : st) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared("load_all");
    std::vector<User> rows;
    rows.reserve(r.size());
    for (const auto& row : r) rows.push_back(read_user(row));
    benchmark::DoNotOptimize(rows);
  }
}

void count_prisma(benchmark::State& st) {
  if (skip(st)) return;
  auto& db = *world().db;
  for (auto _ : st) benchmark::DoNotOptimize(db.user.count(where(user::hairColor.is_not_null())));
}
void count_raw(benchmark::State& st) {
  if (skip(st)) return;
  auto& c = *world().raw;
  prepare_once(c, "count", "SELECT COUNT(*) FROM \"User\" WHERE \"hairColor\" IS NOT NULL");
  for (auto _ : st) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared("count");
    benchmark::DoNotOptimize(r[0][0].as<std::int64_t>());
  }
}

// The first 100 users with their posts and each post's comments: through include, and by hand
// as three prepared queries (ids as one array parameter) stitched together.
void include_assoc_prisma(benchmark::State& st) {
  if (skip(st)) return;
  auto& db = *world().db;
  for (auto _ : st)
    benchmark::DoNotOptimize(
        db.user.find_many(include(user::posts.include(post::comments)), order_by(user::id.asc()), take(100)));
}
using RawUser = bench_workload::RawUser<User, Post, Comment>;
std::string int_array(const std::vector<int>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}
void include_assoc_raw(benchmark::State& st) {
  if (skip(st)) return;
  auto& c = *world().raw;
  prepare_once(c, "assoc_users", "SELECT \"id\", \"name\", \"hairColor\" FROM \"User\" ORDER BY \"id\" ASC LIMIT 100");
  prepare_once(c, "assoc_posts",
               "SELECT \"id\", \"userId\", \"title\", \"body\" FROM \"Post\" WHERE \"userId\" = ANY($1::int[]) ORDER BY \"id\" ASC");
  prepare_once(c, "assoc_comments",
               "SELECT \"id\", \"postId\", \"text\" FROM \"Comment\" WHERE \"postId\" = ANY($1::int[]) ORDER BY \"id\" ASC");
  for (auto _ : st) {
    pqxx::nontransaction tx(c);
    std::vector<RawUser> users;
    std::unordered_map<int, std::size_t> user_at;
    std::vector<int> user_ids;
    for (const auto& row : tx.exec_prepared("assoc_users")) {
      user_at[row[0].as<int>()] = users.size();
      user_ids.push_back(row[0].as<int>());
      users.push_back({read_user(row), {}});
    }
    std::unordered_map<int, std::pair<std::size_t, std::size_t>> post_at;
    std::vector<int> post_ids;
    for (const auto& row : tx.exec_prepared("assoc_posts", int_array(user_ids))) {
      Post p;
      p.id = row[0].as<int>();
      p.userId = row[1].as<int>();
      p.title.assign(row[2].c_str(), row[2].size());
      if (!row[3].is_null()) p.body.emplace(row[3].c_str(), row[3].size());
      auto& u = users[user_at[p.userId]];
      post_at[p.id] = {user_at[p.userId], u.posts.size()};
      post_ids.push_back(p.id);
      u.posts.push_back({std::move(p), {}});
    }
    for (const auto& row : tx.exec_prepared("assoc_comments", int_array(post_ids))) {
      Comment cm;
      cm.id = row[0].as<int>();
      cm.postId = row[1].as<int>();
      cm.text.assign(row[2].c_str(), row[2].size());
      auto [ui, pi] = post_at[cm.postId];
      users[ui].posts[pi].comments.push_back(std::move(cm));
    }
    benchmark::DoNotOptimize(users);
  }
}

// ---- writes (after the reads) --------------------------------------------------------------

void update_one_prisma(benchmark::State& st) {
  if (skip(st)) return;
  world().vacuum();
  auto& db = *world().db;
  int k = 0;
  for (auto _ : st) benchmark::DoNotOptimize(db.user.update(user::id == next_id(k), {.name = "renamed"}));
}
void update_one_raw(benchmark::State& st) {
  if (skip(st)) return;
  world().vacuum();
  auto& c = *world().raw;
  prepare_once(c, "update_one",
               "UPDATE \"User\" SET \"name\" = $1 WHERE \"id\" = $2 RETURNING \"id\", \"name\", \"hairColor\"");
  int k = 0;
  for (auto _ : st) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared("update_one", "renamed", next_id(k));
    User u = read_user(r[0]);
    benchmark::DoNotOptimize(u);
  }
}

void insert_one_prisma(benchmark::State& st) {
  if (skip(st)) return;
  world().vacuum();
  auto& db = *world().db;
  for (auto _ : st) benchmark::DoNotOptimize(db.user.create({.name = "new", .hairColor = "red"}));
  world().drop_inserted();
}
void insert_one_raw(benchmark::State& st) {
  if (skip(st)) return;
  world().vacuum();
  auto& c = *world().raw;
  prepare_once(c, "insert_one",
               "INSERT INTO \"User\" (\"name\", \"hairColor\") VALUES ($1, $2) RETURNING \"id\", \"name\", \"hairColor\"");
  for (auto _ : st) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared("insert_one", "new", "red");
    User u = read_user(r[0]);
    benchmark::DoNotOptimize(u);
  }
  world().drop_inserted();
}

void insert_batch_100_prisma(benchmark::State& st) {
  if (skip(st)) return;
  world().vacuum();
  auto& db = *world().db;
  std::vector<UserCreate> rows;
  for (int i = 0; i < 100; ++i) rows.push_back({.name = "batch", .hairColor = "red"});
  for (auto _ : st) benchmark::DoNotOptimize(db.user.create_many(rows));
  world().drop_inserted();
}
void insert_batch_100_raw(benchmark::State& st) {
  if (skip(st)) return;
  world().vacuum();
  auto& c = *world().raw;
  std::string sql = "INSERT INTO \"User\" (\"name\", \"hairColor\") VALUES ($1, $2)";
  for (int i = 1; i < 100; ++i) sql += ", ($" + std::to_string(2 * i + 1) + ", $" + std::to_string(2 * i + 2) + ")";
  prepare_once(c, "insert_batch", sql);
  std::vector<const char*> params;
  for (int i = 0; i < 100; ++i) {
    params.push_back("batch");
    params.push_back("red");
  }
  for (auto _ : st) {
    pqxx::nontransaction tx(c);
    tx.exec("BEGIN");
#if PQXX_VERSION_MAJOR >= 7
    pqxx::params p;
    for (auto* v : params) p.append(pqxx::zview{v});
    auto r = tx.exec_prepared("insert_batch", p);
#else
    auto r = tx.exec_prepared("insert_batch", pqxx::prepare::make_dynamic_params(params));
#endif
    tx.exec("COMMIT");
    benchmark::DoNotOptimize(r.affected_rows());
  }
  world().drop_inserted();
}

}  // namespace

BENCHMARK(find_unique_raw)->Name("find_unique/postgres/raw");
BENCHMARK(find_unique_prisma)->Name("find_unique/postgres/prisma");
BENCHMARK(find_many_100_raw)->Name("find_many_100/postgres/raw");
BENCHMARK(find_many_100_prisma)->Name("find_many_100/postgres/prisma");
BENCHMARK(load_all_10k_raw)->Name("load_all_10k/postgres/raw");
BENCHMARK(load_all_10k_prisma)->Name("load_all_10k/postgres/prisma");
BENCHMARK(include_assoc_raw)->Name("include_assoc/postgres/raw");
BENCHMARK(include_assoc_prisma)->Name("include_assoc/postgres/prisma");
BENCHMARK(count_raw)->Name("count/postgres/raw");
BENCHMARK(count_prisma)->Name("count/postgres/prisma");
BENCHMARK(update_one_raw)->Name("update_one/postgres/raw");
BENCHMARK(update_one_prisma)->Name("update_one/postgres/prisma");
BENCHMARK(insert_one_raw)->Name("insert_one/postgres/raw");
BENCHMARK(insert_one_prisma)->Name("insert_one/postgres/prisma");
BENCHMARK(insert_batch_100_raw)->Name("insert_batch_100/postgres/raw");
BENCHMARK(insert_batch_100_prisma)->Name("insert_batch_100/postgres/prisma");
