// prisma-cpp serve and studio: their shared server options, the engine's limits, and the two commands.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli.hpp"
#include "serve/server.hpp"
#include "studio/studio.hpp"

namespace prisma_cpp::cli {
namespace {

// serve: the engine over HTTP for clients in other languages.
// The options `serve` and `studio` share: --host, --port, limits, --log, --log-format, --slow-query.
// Returns 0, or the exit code of a usage error.
int server_options(const Args& a, serve::ServerOptions& opt, prisma::ClientOptions& observe, const char* default_port,
                   std::size_t& connections) {
  opt.host = a.get("host", "127.0.0.1");
  std::string port = a.get("port", default_port);
  try {
    std::size_t used = 0;
    unsigned long p = std::stoul(port, &used);
    if (p > 65535 || used != port.size()) throw std::out_of_range("port");
    opt.port = static_cast<unsigned short>(p);
  } catch (const std::exception&) {
    return usage_error("--port takes a number from 0 to 65535, not '" + port + "'");
  }
  if (opt.host == "localhost") opt.host = "127.0.0.1";
  auto number = [&](const char* name, unsigned long fallback) -> std::optional<unsigned long> {
    std::string v = a.get(name);
    if (v.empty()) return fallback;
    try {
      std::size_t used = 0;
      unsigned long n = std::stoul(v, &used);
      if (used == v.size()) return n;
    } catch (const std::exception&) {
    }
    usage_error(std::string("--") + name + " takes a number, not '" + v + "'");
    return std::nullopt;
  };
  auto max_body = number("max-body", opt.max_body), read_timeout = number("read-timeout", 30),
       conns = number("connections", 0), slow = number("slow-query", 0),
       max_conns = number("max-connections", opt.max_connections);
  if (!max_body || !read_timeout || !conns || !slow || !max_conns) return 2;
  if (*read_timeout == 0 || *max_conns == 0) return usage_error("--read-timeout and --max-connections take a number above 0");
  opt.max_body = *max_body;
  opt.read_timeout = std::chrono::seconds(*read_timeout);
  opt.max_connections = *max_conns;
  auto list = [&](const char* name) {
    std::vector<std::string> out;
    std::string v = a.get(name);
    for (std::size_t start = 0; start < v.size();) {
      std::size_t comma = v.find(',', start);
      std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? v.size() : comma + 1;
      if (!item.empty()) out.push_back(item);
    }
    return out;
  };
  opt.allowed_hosts = list("allow-host");
  opt.allowed_origins = list("allow-origin");
  connections = *conns;
  std::string format = a.get("log-format", "text");
  if (format != "text" && format != "json") return usage_error("--log-format takes text or json, not '" + format + "'");
  opt.log.json = format == "json";
  observe.slow_query = std::chrono::milliseconds(*slow);
  opt.log.requests = false;
  std::string levels = a.get("log", "info,warn,error");
  for (std::size_t start = 0; start <= levels.size();) {
    std::size_t comma = levels.find(',', start);
    std::string level = levels.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? levels.size() + 1 : comma + 1;
    if (level.empty()) continue;
    if (level == "query") observe.log.push_back(prisma::LogLevel::Query);
    else if (level == "info") opt.log.requests = true, observe.log.push_back(prisma::LogLevel::Info);
    else if (level == "warn") observe.log.push_back(prisma::LogLevel::Warn);
    else if (level == "error") observe.log.push_back(prisma::LogLevel::Error);
    else return usage_error("--log takes a list of query, info, warn, error; not '" + level + "'");
  }
  observe.on_log = [log = opt.log](const prisma::LogEvent& e) { log.event(e); };
  return 0;
}

}  // namespace

int cmd_serve(const Args& a) {
  schema::Loaded l;
  if (!load(a, l)) return 1;
  auto t = db_target(a);
  serve::ServerOptions opt;
  prisma::ClientOptions observe;
  std::size_t connections = 0;
  if (int rc = server_options(a, opt, observe, "4466", connections)) return rc;
  opt.token = a.get("token");
  if (opt.token.empty())
    if (const char* v = std::getenv("PRISMA_CPP_SERVE_TOKEN"); v && *v) opt.token = v;
  bool loopback = opt.host == "127.0.0.1" || opt.host == "::1";
  if (!loopback && opt.token.empty()) {
    std::cerr << "prisma-cpp: serving on " << opt.host << " (not loopback) needs a token: --token <t> or PRISMA_CPP_SERVE_TOKEN\n";
    return 2;
  }
  serve::EngineOptions limits;
  for (auto [flag, field] : {std::pair{"max-transaction-timeout", &limits.max_transaction_timeout},
                             std::pair{"max-transaction-wait", &limits.max_transaction_wait}}) {
    std::string v = a.get(flag);
    if (v.empty()) continue;
    try {
      std::size_t used = 0;
      long long ms = std::stoll(v, &used);
      if (used != v.size() || ms <= 0) throw std::invalid_argument(v);
      *field = std::chrono::milliseconds(ms);
    } catch (const std::exception&) {
      return usage_error(std::string("--") + flag + " takes a number of milliseconds, not '" + v + "'");
    }
  }
  serve::Engine engine(l.schema, t.url, t.base_dir.string(), connections, std::move(observe), limits);
  return serve::run_server(engine, opt);
}

int cmd_studio(const Args& a) {
  schema::Loaded l;
  if (!load(a, l)) return 1;
  auto t = db_target(a);
  studio::StudioOptions opt;
  prisma::ClientOptions observe;
  std::size_t connections = 0;
  if (int rc = server_options(a, opt.server, observe, "5557", connections)) return rc;
  opt.server.log.name = "studio";
  opt.schema = fs::absolute(find_schema(a));
  opt.url = t.url;
  opt.base_dir = t.base_dir.string();
  opt.read_only = a.has("read-only");
  if (std::string v = a.get("session-timeout"); !v.empty()) {
    try {
      std::size_t used = 0;
      long long seconds = std::stoll(v, &used);
      if (used != v.size() || seconds <= 0) throw std::invalid_argument(v);
      opt.session_idle = std::chrono::seconds(seconds);
    } catch (const std::exception&) {
      return usage_error("--session-timeout takes a number of seconds, not '" + v + "'");
    }
  }
  opt.token = a.get("token");
  if (opt.token.empty())
    if (const char* v = std::getenv("PRISMA_CPP_STUDIO_TOKEN"); v && *v) opt.token = v;
  return studio::run_studio(opt);
}

}  // namespace prisma_cpp::cli
