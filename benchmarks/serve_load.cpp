// Load on `prisma-cpp serve` over loopback: N clients (threads, one keep-alive connection each) x M
// mixed queries on the benchmark schema's SQLite file (findUnique 40%, findMany take 10 20%,
// createOne 20%, updateOne 20%), then the same work through the typed client in-process on the
// same file. Prints errors, lost writes (users counted against creates; each updated user's value
// against the last update its client saw succeed), p50/p99 latency and
// throughput of both, and the HTTP side's cost as a ratio. Exit 1 on any error or lost write.
//   serve_load PRISMA_CPP [clients=32] [queries=5000]
#include <bench/all.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <map>
#include <vector>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kUsers = 1000;

struct Result {
  std::vector<double> latencies_us;
  int errors = 0;
  int creates = 0;
  std::string first_error;
  std::map<int, std::string> last_update;  // user id -> the value of the last successful update
};

// The i-th operation of client c: the same mix on both sides.
int kind_of(int c, int i) { return (c * 7 + i) % 5; }  // 0,1: find_unique; 2: find_many; 3: create; 4: update

// The user client c updates: each client its own users (ids c+1, c+1+clients, ...), so the last
// update a client saw succeed on a user is the value that user must hold afterwards.
int update_id(int c, int clients, int id) {
  int own = (id - 1) / clients * clients + c + 1;
  return own <= kUsers ? own : c + 1;
}
std::string update_value(int c, int i) { return "u" + std::to_string(c) + "-" + std::to_string(i); }

std::string body_for(int c, int i, std::mt19937& rng, int clients) {
  int id = static_cast<int>(rng() % kUsers) + 1;
  switch (kind_of(c, i)) {
    case 0:
    case 1:
      return R"({"modelName":"User","action":"findUnique","query":{"arguments":{"where":{"id":)" + std::to_string(id) +
             R"(}},"selection":{"$scalars":true}}})";
    case 2:
      return R"({"modelName":"User","action":"findMany","query":{"arguments":{"where":{"id":{"gt":)" +
             std::to_string(id) + R"(}},"take":10},"selection":{"$scalars":true}}})";
    case 3:
      return R"({"modelName":"User","action":"createOne","query":{"arguments":{"data":{"name":"load )" +
             std::to_string(c) + "-" + std::to_string(i) + R"("}},"selection":{"id":true}}})";
    default:
      return R"({"modelName":"User","action":"updateOne","query":{"arguments":{"where":{"id":)" +
             std::to_string(update_id(c, clients, id)) + R"(},"data":{"hairColor":")" + update_value(c, i) +
             R"("}},"selection":{"id":true}}})";
  }
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * (v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: serve_load PRISMA_CPP [clients] [queries]\n");
    return 2;
  }
  std::string tool = argv[1];
  int clients = argc > 2 ? std::atoi(argv[2]) : 32;
  int queries = argc > 3 ? std::atoi(argv[3]) : 5000;
  auto dir = std::filesystem::temp_directory_path() / ("prisma_serve_load_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string url = "file:" + (dir / "load.db").string();
  {
    auto db = bench::Client::open(url);
    db.push_schema();
    db.transaction([](auto& tx) {
      for (int i = 1; i <= kUsers; ++i) tx.user.create({.name = "user " + std::to_string(i)});
    }, prisma::TransactionOptions{.timeout = std::chrono::milliseconds(0)});
  }
  // the server, on a port of its own
  unsigned short port = static_cast<unsigned short>(20000 + ::getpid() % 20000);
  pid_t server = ::fork();
  if (server == 0) {
    std::string p = std::to_string(port), schema = std::string(PRISMA_CPP_SOURCE_DIR) + "/benchmarks/schema.prisma";
    ::execl(tool.c_str(), tool.c_str(), "serve", "--schema", schema.c_str(), "--url", (url + "?connection_limit=8").c_str(),
            "--port", p.c_str(), "--log", "warn,error", static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  boost::asio::io_context io;
  auto connect = [&](tcp::socket& s) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      boost::system::error_code ec;
      s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
      if (!ec) return true;
      s = tcp::socket(io);
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  };
  std::vector<Result> results(static_cast<std::size_t>(clients));
  auto t0 = Clock::now();
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
      threads.emplace_back([&, c] {
        Result& r = results[static_cast<std::size_t>(c)];
        boost::asio::io_context cio;
        tcp::socket s(cio);
        bool up = false;
        for (int attempt = 0; attempt < 200 && !up; ++attempt) {
          boost::system::error_code ec;
          s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
          up = !ec;
          if (!up) {
            s = tcp::socket(cio);
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
          }
        }
        if (!up) {
          r.errors = queries;
          r.first_error = "cannot connect";
          return;
        }
        std::mt19937 rng(static_cast<unsigned>(c));
        boost::beast::flat_buffer buf;
        for (int i = 0; i < queries; ++i) {
          http::request<http::string_body> req{http::verb::post, "/", 11};
          req.set(http::field::host, "127.0.0.1");
          req.set(http::field::content_type, "application/json");
          int kind = kind_of(c, i);
          std::mt19937 peek = rng;  // the id body_for draws, for the update's record
          int drawn = static_cast<int>(peek() % kUsers) + 1;
          req.body() = body_for(c, i, rng, clients);
          req.prepare_payload();
          auto a = Clock::now();
          http::response<http::string_body> res;
          boost::system::error_code ec;
          http::write(s, req, ec);
          if (!ec) http::read(s, buf, res, ec);
          r.latencies_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - a).count());
          if (ec || res.result() != http::status::ok || res.body().find("\"errors\"") != std::string::npos) {
            if (r.errors++ == 0) r.first_error = ec ? ec.message() : res.body();
            if (ec) return;
          } else if (kind == 3) {
            ++r.creates;
          } else if (kind == 4) {
            r.last_update[update_id(c, clients, drawn)] = update_value(c, i);
          }
        }
      });
    for (auto& t : threads) t.join();
  }
  double http_s = std::chrono::duration<double>(Clock::now() - t0).count();
  ::kill(server, SIGTERM);
  int status = 0;
  ::waitpid(server, &status, 0);
  (void)connect;

  std::vector<double> all;
  int errors = 0, creates = 0;
  std::string first_error;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    errors += r.errors;
    creates += r.creates;
    if (first_error.empty()) first_error = r.first_error;
  }
  auto db = bench::Client::open(url + "?connection_limit=8");
  long long users = db.user.count();
  bool lost = users != kUsers + creates;
  // every update kept: each user holds the last value its (only) updating client saw succeed
  int updates_checked = 0, updates_lost = 0;
  for (auto& r : results)
    for (const auto& [id, value] : r.last_update) {
      auto u = db.user.find_unique(bench::user::id == id);
      ++updates_checked;
      if (!u || u->hairColor != value) ++updates_lost;
    }
  lost = lost || updates_lost > 0 || updates_checked == 0;

  // the same work through the typed API, in-process, the same pool size
  std::vector<std::vector<double>> typed(static_cast<std::size_t>(clients));
  std::atomic<int> typed_errors{0};
  auto t1 = Clock::now();
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
      threads.emplace_back([&, c] {
        std::mt19937 rng(static_cast<unsigned>(c));
        auto& lat = typed[static_cast<std::size_t>(c)];
        for (int i = 0; i < queries; ++i) {
          int id = static_cast<int>(rng() % kUsers) + 1;
          auto a = Clock::now();
          try {
            switch (kind_of(c, i)) {
              case 0:
              case 1: (void)db.user.find_unique(bench::user::id == id); break;
              case 2: (void)db.user.find_many(prisma::where(bench::user::id > id), prisma::take(10)); break;
              case 3: (void)db.user.create({.name = "typed " + std::to_string(c) + "-" + std::to_string(i)}); break;
              default:
                (void)db.user.update(bench::user::id == id, {.hairColor = "c" + std::to_string(i % 7)});
            }
          } catch (const std::exception&) {
            ++typed_errors;
          }
          lat.push_back(std::chrono::duration<double, std::micro>(Clock::now() - a).count());
        }
      });
    for (auto& t : threads) t.join();
  }
  double typed_s = std::chrono::duration<double>(Clock::now() - t1).count();
  std::vector<double> typed_all;
  for (auto& v : typed) typed_all.insert(typed_all.end(), v.begin(), v.end());
  double total = static_cast<double>(clients) * queries;
  std::printf("serve over loopback: %d clients x %d queries on SQLite (pool of 8)\n", clients, queries);
  std::printf("  HTTP  : %8.0f queries/s  p50 %7.0f us  p99 %7.0f us  errors %d  users %lld (%d seeded + %d created)%s\n",
              total / http_s, percentile(all, 0.5), percentile(all, 0.99), errors, users, kUsers, creates,
              lost ? "  LOST WRITES" : "");
  std::printf("  updates: %d users checked, %d lost\n", updates_checked, updates_lost);
  std::printf("  typed : %8.0f queries/s  p50 %7.0f us  p99 %7.0f us  errors %d\n", total / typed_s,
              percentile(typed_all, 0.5), percentile(typed_all, 0.99), typed_errors.load());
  std::printf("  HTTP / typed: %.2fx the time for the same work\n", http_s / typed_s);
  if (!first_error.empty()) std::printf("  first error: %s\n", first_error.c_str());
  std::filesystem::remove_all(dir);
  return errors || lost || typed_errors ? 1 : 0;
}
