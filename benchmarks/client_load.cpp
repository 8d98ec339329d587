// Prisma Client Python's workload on prisma-cpp's engine (issue 23): the engine started as the
// client starts it (`prisma-query-engine -p <port> --enable-metrics --enable-raw-queries`,
// PRISMA_DML_PATH, OVERWRITE_DATASOURCES), N concurrent clients (threads, one keep-alive connection
// each, as httpx keeps one) sending the client's own requests byte for byte (its GraphQL protocol,
// rendered by prisma/_builder.py; no Content-Type, as httpx posts them): 40% find_unique by id,
// 20% find_many take 20, 20% create, 20% update by id. On SQLite and PostgreSQL, 8 and 32 clients.
// Prints throughput, p50/p99 latency, the server's CPU per operation (utime + stime of the engine
// process over the run, from /proc), its peak RSS (VmHWM), errors, and lost writes (users counted
// against creates; every updated user holds the last value its only updating client saw succeed).
// Exit 1 on any error or lost write.
// Each configuration runs `repetitions` times (fresh database and engine each time); the medians
// are printed (this machine is noisy), with the largest RSS and every error and lost write.
//   client_load PRISMA_QUERY_ENGINE [queries per client=2000] [postgresql://... | ""] [repetitions=3]
#include <bench/all.hpp>
#include <bench_pg/all.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kUsers = 1000;

// The client's requests (Prisma Client Python 0.15, QueryBuilder.build()), as it renders them.
std::string find_unique(int id) {
  return R"({"variables": {}, "operation_name": "query", "query": "query {\n  result: findUniqueUser\n  (\n    where: {\n      id: )" +
         std::to_string(id) + R"(\n    }\n  )\n  {\n    id\n    name\n    hairColor\n  }\n}"})";
}
std::string find_many(int id) {
  return R"({"variables": {}, "operation_name": "query", "query": "query {\n  result: findManyUser\n  (\n    take: 20\n    where: {\n      id: {\n        gt: )" +
         std::to_string(id) + R"(\n      }\n    }\n  )\n  {\n    id\n    name\n    hairColor\n  }\n}"})";
}
std::string create(const std::string& name) {
  return R"({"variables": {}, "operation_name": "mutation", "query": "mutation {\n  result: createOneUser\n  (\n    data: {\n      name: \")" +
         name + R"(\"\n    }\n  )\n  {\n    id\n    name\n    hairColor\n  }\n}"})";
}
std::string update(int id, const std::string& color) {
  return R"({"variables": {}, "operation_name": "mutation", "query": "mutation {\n  result: updateOneUser\n  (\n    data: {\n      hairColor: \")" +
         color + R"(\"\n    }\n    where: {\n      id: )" + std::to_string(id) +
         R"(\n    }\n  )\n  {\n    id\n    name\n    hairColor\n  }\n}"})";
}

// 0,1: find_unique (40%); 2: find_many (20%); 3: create (20%); 4: update (20%)
int kind_of(int c, int i) { return (c * 7 + i) % 5; }
// each client updates its own users (ids c+1, c+1+clients, ...): the last update it saw succeed
// on one is the value that user must hold afterwards
int own_user(int c, int clients, int id) {
  int own = (id - 1) / clients * clients + c + 1;
  return own <= kUsers ? own : c + 1;
}

struct Result {
  std::vector<double> latencies_us;
  int errors = 0, creates = 0;
  std::string first_error;
  std::map<int, std::string> last_update;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// utime + stime of a process, in seconds
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream rest(all.substr(all.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}
// a line of /proc/<pid>/status in kB (VmHWM: the peak resident set; VmRSS: now)
long status_kb(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
  return -1;
}

struct Run {
  std::string backend;
  int clients = 0, queries = 0;
  double seconds = 0, p50 = 0, p99 = 0, cpu_ms_per_op = 0;
  long hwm_kb = 0;
  int errors = 0, lost = 0, updates_checked = 0;
  std::string first_error;
};

// What the check afterwards reads through the typed client: the users' count, a user's hairColor.
struct Reader {
  std::function<long long()> count;
  std::function<std::optional<std::string>(int)> hair_color;  // nullopt: no such user (or no color)
};

Run run(const std::string& engine, const std::string& backend, const std::string& url, const std::string& schema_file,
        int clients, int queries, const Reader& db) {
  Run out;
  out.backend = backend;
  out.clients = clients;
  out.queries = queries;
  unsigned short port = static_cast<unsigned short>(20000 + (::getpid() * 7 + clients) % 20000);
  pid_t server = ::fork();
  if (server == 0) {
    ::setenv("PRISMA_DML_PATH", schema_file.c_str(), 1);
    // CLIENT_LOAD_URL_PARAMS (e.g. connection_limit=16): appended to the engine's URL
    std::string engine_url = url;
    if (const char* extra = std::getenv("CLIENT_LOAD_URL_PARAMS"); extra && *extra)
      engine_url += (url.find('?') == std::string::npos ? "?" : "&") + std::string(extra);
    ::setenv("OVERWRITE_DATASOURCES", (R"([{"name":"db","url":")" + engine_url + R"("}])").c_str(), 1);
    ::setenv("PRISMA_ENGINE_PROTOCOL", "graphql", 1);
    ::setenv("RUST_LOG", "error", 1);
    std::string p = std::to_string(port);
    ::execl(engine.c_str(), engine.c_str(), "-p", p.c_str(), "--enable-metrics", "--enable-raw-queries",
            static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  // the client waits for GET /status, as Prisma Client Python does
  {
    boost::asio::io_context io;
    for (int attempt = 0; attempt < 400; ++attempt) {
      tcp::socket s(io);
      boost::system::error_code ec;
      s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
      if (!ec) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  std::vector<Result> results(static_cast<std::size_t>(clients));
  double cpu0 = cpu_seconds(server);
  auto t0 = Clock::now();
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
      threads.emplace_back([&, c] {
        Result& r = results[static_cast<std::size_t>(c)];
        boost::asio::io_context io;
        tcp::socket s(io);
        boost::system::error_code ec;
        s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
        if (ec) {
          r.errors = queries;
          r.first_error = "cannot connect: " + ec.message();
          return;
        }
        s.set_option(tcp::no_delay(true), ec);
        std::mt19937 rng(static_cast<unsigned>(c + 1));
        boost::beast::flat_buffer buf;
        std::string host = "localhost:" + std::to_string(port);
        for (int i = 0; i < queries; ++i) {
          int id = static_cast<int>(rng() % kUsers) + 1, kind = kind_of(c, i);
          std::string color = "u" + std::to_string(c) + "-" + std::to_string(i);
          http::request<http::string_body> req{http::verb::post, "/", 11};
          req.set(http::field::host, host);
          req.set(http::field::accept, "application/json");
          req.set(http::field::user_agent, "python-httpx/0.23.0");
          req.body() = kind <= 1 ? find_unique(id)
                       : kind == 2 ? find_many(id)
                       : kind == 3 ? create("load " + std::to_string(c) + "-" + std::to_string(i))
                                   : update(own_user(c, clients, id), color);
          req.prepare_payload();
          auto a = Clock::now();
          http::response<http::string_body> res;
          http::write(s, req, ec);
          if (!ec) http::read(s, buf, res, ec);
          r.latencies_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - a).count());
          bool ok = !ec && res.result() == http::status::ok && res.body().find("\"errors\"") == std::string::npos &&
                    res.body().find("\"result\"") != std::string::npos;
          if (!ok) {
            if (r.errors++ == 0) r.first_error = ec ? ec.message() : res.body().substr(0, 300);
            if (ec) return;
          } else if (kind == 3) {
            ++r.creates;
          } else if (kind == 4) {
            r.last_update[own_user(c, clients, id)] = color;
          }
        }
      });
    for (auto& t : threads) t.join();
  }
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  double cpu = cpu_seconds(server) - cpu0;
  out.hwm_kb = status_kb(server, "VmHWM");
  ::kill(server, SIGINT);  // the client stops its engine with SIGINT
  int status = 0;
  ::waitpid(server, &status, 0);

  std::vector<double> all;
  int creates = 0;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    out.errors += r.errors;
    creates += r.creates;
    if (out.first_error.empty()) out.first_error = r.first_error;
  }
  double total = static_cast<double>(clients) * queries;
  out.p50 = percentile(all, 0.5) / 1000;
  out.p99 = percentile(all, 0.99) / 1000;
  out.cpu_ms_per_op = cpu * 1000 / total;
  if (db.count() != kUsers + creates) ++out.lost;
  for (auto& r : results)
    for (const auto& [id, value] : r.last_update) {
      ++out.updates_checked;
      if (db.hair_color(id) != value) ++out.lost;
    }
  if (out.updates_checked == 0) ++out.lost;
  return out;
}

// The median of `reps` runs of one configuration (each on its own fresh database and engine):
// throughput, latencies and CPU per operation by their medians, the largest RSS, every error
// and lost write summed.
Run median_of(std::vector<Run> runs) {
  auto med = [&](auto field) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(field(r));
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  Run m = runs.front();
  m.seconds = med([](const Run& r) { return r.seconds; });
  m.p50 = med([](const Run& r) { return r.p50; });
  m.p99 = med([](const Run& r) { return r.p99; });
  m.cpu_ms_per_op = med([](const Run& r) { return r.cpu_ms_per_op; });
  m.hwm_kb = 0, m.errors = 0, m.lost = 0, m.updates_checked = 0;
  for (const auto& r : runs) {
    m.hwm_kb = std::max(m.hwm_kb, r.hwm_kb);
    m.errors += r.errors, m.lost += r.lost, m.updates_checked += r.updates_checked;
    if (m.first_error.empty()) m.first_error = r.first_error;
  }
  return m;
}

void print(const Run& r) {
  double total = static_cast<double>(r.clients) * r.queries;
  std::printf("%-10s %2d clients: %7.0f ops/s  p50 %5.2f ms  p99 %5.2f ms  server CPU %.3f ms/op  RSS peak %5.1f MB  "
              "errors %d  lost writes %d (%d updated users checked)\n",
              r.backend.c_str(), r.clients, total / r.seconds, r.p50, r.p99, r.cpu_ms_per_op,
              static_cast<double>(r.hwm_kb) / 1024, r.errors, r.lost, r.updates_checked);
  if (!r.first_error.empty()) std::printf("    first error: %s\n", r.first_error.c_str());
}

std::string schema_for(const std::filesystem::path& dir, const std::string& provider) {
  std::ifstream in(std::string(PRISMA_CPP_SOURCE_DIR) + "/benchmarks/schema.prisma");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto at = text.find("provider = \"sqlite\"");
  text.replace(at, 19, "provider = \"" + provider + "\"");
  auto path = dir / ("schema." + provider + ".prisma");
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: client_load PRISMA_QUERY_ENGINE [queries per client] [postgresql://... | \"\"] [repetitions]\n");
    return 2;
  }
  std::string engine = argv[1];
  int queries = argc > 2 ? std::atoi(argv[2]) : 2000;
  std::string pg = argc > 3 ? argv[3] : "";
  int repetitions = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
  auto dir = std::filesystem::temp_directory_path() / ("prisma_client_load_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::printf("Prisma Client Python's requests on prisma-query-engine: 40%% findUnique, 20%% findMany take 20, "
              "20%% create, 20%% update; %d per client; medians of %d runs\n", queries, repetitions);
  std::vector<Run> runs;
  for (int clients : {8, 32}) {
    std::vector<Run> reps;
    for (int rep = 0; rep < repetitions; ++rep) {
    std::string file = (dir / ("load" + std::to_string(clients) + "_" + std::to_string(rep) + ".db")).string();
    std::string url = "file:" + file;
    auto db = bench::Client::open(url);
    db.push_schema();
    db.transaction([](auto& tx) {
      for (int i = 1; i <= kUsers; ++i) tx.user.create({.name = "user " + std::to_string(i)});
    }, prisma::TransactionOptions{.timeout = std::chrono::milliseconds(0)});
    Reader reader{[&] { return static_cast<long long>(db.user.count()); },
                  [&](int id) -> std::optional<std::string> {
                    auto u = db.user.find_unique(bench::user::id == id);
                    return u ? u->hairColor : std::nullopt;
                  }};
    reps.push_back(run(engine, "SQLite", url, schema_for(dir, "sqlite"), clients, queries, reader));
    }
    runs.push_back(median_of(reps));
    print(runs.back());
  }
  if (!pg.empty()) {
    for (int clients : {8, 32}) {
      std::vector<Run> reps;
      for (int rep = 0; rep < repetitions; ++rep) {
      auto db = bench_pg::Client::open(pg + (pg.find('?') == std::string::npos ? "?" : "&") + "connection_limit=2");
      {
        auto lease = db.pool().acquire();
        lease->exec("DROP TABLE IF EXISTS \"Comment\", \"Post\", \"User\" CASCADE");
      }
      db.push_schema();
      db.transaction([](auto& tx) {
        for (int i = 1; i <= kUsers; ++i) tx.user.create({.name = "user " + std::to_string(i)});
      }, prisma::TransactionOptions{.timeout = std::chrono::milliseconds(0)});
      db.pool().acquire()->exec("ANALYZE");
      Reader reader{[&] { return static_cast<long long>(db.user.count()); },
                    [&](int id) -> std::optional<std::string> {
                      auto u = db.user.find_unique(bench_pg::user::id == id);
                      return u ? u->hairColor : std::nullopt;
                    }};
      reps.push_back(run(engine, "PostgreSQL", pg, schema_for(dir, "postgresql"), clients, queries, reader));
      }
      runs.push_back(median_of(reps));
      print(runs.back());
    }
  }
  std::filesystem::remove_all(dir);
  bool bad = false;
  for (const auto& r : runs) bad = bad || r.errors || r.lost;
  return bad ? 1 : 0;
}
