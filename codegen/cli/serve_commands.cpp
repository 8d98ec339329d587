// prisma-cpp serve and studio: their shared server options, the engine's limits, and the two commands.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>

#include "cli/cli.hpp"
#include "psl/diagnostics.hpp"
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

// The query engine's command line, as Prisma's clients start it (Prisma Client Python: the
// executable named by PRISMA_QUERY_ENGINE_BINARY, `-p <port> --enable-metrics --enable-raw-queries`,
// the schema in PRISMA_DML_PATH, datasource URLs in OVERWRITE_DATASOURCES).
int cmd_query_engine(const std::vector<std::string>& args) {
  auto fail = [](const std::string& msg) {
    std::cerr << "prisma-query-engine (prisma-cpp): " << msg << "\n";
    return 2;
  };
  serve::ServerOptions opt;
  opt.log.name = "query-engine";
  opt.port = 4466;
  serve::EngineOptions limits;
  limits.raw = false;  // as Prisma's engine: raw queries only with --enable-raw-queries
  std::string dml_path;
  if (const char* v = std::getenv("PRISMA_DML_PATH"); v && *v) dml_path = v;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (s == "--version" || s == "-V" || s == "version") {
      // The client compares this with the engine version it was generated for (Prisma 5.19.0's):
      // that is the protocol this engine speaks.
      std::cout << "query-engine " << kPrismaEngineVersion << "\n";
      return 0;
    }
    if (s == "--help" || s == "-h") {
      std::cout << "prisma-query-engine: prisma-cpp's engine under the command line of Prisma's query engine\n"
                   "  -p, --port <port>         port on 127.0.0.1 (default 4466)\n"
                   "  -H, --host <address>      address to bind (default 127.0.0.1)\n"
                   "  --datamodel-path <file>   the schema (else PRISMA_DML_PATH, or PRISMA_DML in base64)\n"
                   "  --enable-raw-queries      serve queryRaw/executeRaw (refused without it)\n"
                   "  --enable-metrics          (metrics are always served at /metrics)\n"
                   "Environment: OVERWRITE_DATASOURCES ([{\"name\", \"url\"}]), PRISMA_ENGINE_PROTOCOL\n"
                   "(graphql or json: both are served), RUST_LOG (error: no request log), LOG_QUERIES.\n";
      return 0;
    }
    if (s == "-p" || s == "--port") {
      auto v = value();
      try {
        std::size_t used = 0;
        unsigned long p = v ? std::stoul(*v, &used) : 70000;
        if (p > 65535 || used != v->size()) throw std::out_of_range("port");
        opt.port = static_cast<unsigned short>(p);
      } catch (const std::exception&) {
        return fail("-p takes a port number");
      }
    } else if (s == "-H" || s == "--host") {
      auto v = value();
      if (!v) return fail("--host takes an address");
      opt.host = *v == "localhost" ? "127.0.0.1" : *v;
    } else if (s == "--datamodel-path") {
      auto v = value();
      if (!v) return fail("--datamodel-path takes a file");
      dml_path = *v;
    } else if (s == "--enable-raw-queries") {
      limits.raw = true;
    } else if (s == "--enable-metrics" || s == "--enable-playground" || s == "--enable-open-telemetry" ||
               s == "--enable-telemetry-in-response" || s == "--debug") {
      // metrics are always on; the rest have no part here
    } else {
      return fail("unknown argument '" + s + "' (see --help)");
    }
  }
  if (opt.host != "127.0.0.1" && opt.host != "::1")
    return fail("binds loopback only (it has no token); use `prisma-cpp serve --host ... --token ...` to serve a network");
  if (const char* p = std::getenv("PRISMA_ENGINE_PROTOCOL"); p && *p && std::string(p) != "graphql" && std::string(p) != "json")
    return fail(std::string("PRISMA_ENGINE_PROTOCOL is graphql or json, not '") + p + "'");
  schema::Loaded l;
  fs::path base_dir = fs::current_path();
  if (!dml_path.empty()) {
    l = schema::load_path(dml_path);
    base_dir = fs::absolute(dml_path).parent_path();
  } else if (const char* dml = std::getenv("PRISMA_DML"); dml && *dml) {
    std::string b64(dml), text(boost::beast::detail::base64::decoded_size(b64.size()), '\0');
    auto [n, used] = boost::beast::detail::base64::decode(text.data(), b64.data(), b64.size());
    if (used != b64.size() && b64.find_first_not_of(" \n\r=") != std::string::npos && used + 2 < b64.size())
      return fail("PRISMA_DML is not base64");
    text.resize(n);
    l = schema::load_text(text, "PRISMA_DML");
  } else {
    return fail("no schema: set PRISMA_DML_PATH (or pass --datamodel-path)");
  }
  std::cerr << psl::format_plain(l.sources, l.diagnostics.all());
  if (!l.ok()) return 1;
  if (!l.schema.datasource) return fail("the schema has no datasource");
  std::string url = l.schema.datasource->url.value_or("");
  if (l.schema.datasource->url_env)
    if (const char* v = std::getenv(l.schema.datasource->url_env->c_str()); v && *v) url = v;
  if (const char* o = std::getenv("OVERWRITE_DATASOURCES"); o && *o) {
    boost::system::error_code ec;
    boost::json::value list = boost::json::parse(o, ec);
    if (ec || !list.is_array()) return fail("OVERWRITE_DATASOURCES is a JSON list of {\"name\", \"url\"}");
    for (const auto& d : list.as_array()) {
      if (!d.is_object() || !d.as_object().contains("url") || !d.as_object().at("url").is_string())
        return fail("OVERWRITE_DATASOURCES is a JSON list of {\"name\", \"url\"}");
      auto* name = d.as_object().if_contains("name");
      if (!name || (name->is_string() && name->as_string() == l.schema.datasource->name))
        url = std::string(d.as_object().at("url").as_string());
    }
  }
  if (url.empty()) return fail("no database URL: the datasource's url, its env(...) variable or OVERWRITE_DATASOURCES");
  prisma::ClientOptions observe;
  const char* rust_log = std::getenv("RUST_LOG");
  std::string level = rust_log ? rust_log : "error";
  opt.log.json = [] { const char* f = std::getenv("RUST_LOG_FORMAT"); return f && std::string(f) == "json"; }();
  opt.log.requests = level.find("info") != std::string::npos || level.find("debug") != std::string::npos ||
                     level.find("trace") != std::string::npos;
  opt.log.info = opt.log.requests;
  observe.log.push_back(prisma::LogLevel::Error);
  if (opt.log.requests) observe.log.push_back(prisma::LogLevel::Warn), observe.log.push_back(prisma::LogLevel::Info);
  if (const char* q = std::getenv("LOG_QUERIES"); q && *q) observe.log.push_back(prisma::LogLevel::Query);
  observe.on_log = [log = opt.log](const prisma::LogEvent& e) { log.event(e); };
  serve::Engine engine(l.schema, url, base_dir.string(), 0, std::move(observe), limits);
  return serve::run_server(engine, opt);
}

}  // namespace prisma_cpp::cli
