#include "serve/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <prisma/core/datetime.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <csignal>
#include <iostream>
#include <thread>

namespace prisma_cpp::serve {
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;

namespace {
std::mutex g_log_mu;

std::string now_iso() { return prisma::DateTime::now().to_iso(true); }

void write_line(const std::string& line) {
  std::lock_guard lock(g_log_mu);
  std::fprintf(stderr, "%s\n", line.c_str());
}
}  // namespace

void Logger::request(const std::string& method, const std::string& target, unsigned status, double ms, const std::string& tx) const {
  if (!requests) return;
  if (!json) {
    std::string line("prisma-cpp ");
    line.append(name).append(": ").append(method).append(" ").append(target).append(" ").append(std::to_string(status));
    line.append(" ").append(std::to_string(ms)).append(" ms");
    if (!tx.empty()) line.append(" tx ").append(tx);
    write_line(line);
    return;
  }
  json::object o{{"ts", now_iso()}, {"level", "info"}, {"event", "request"}, {"method", method}, {"target", target},
                 {"status", status}, {"duration_ms", ms}};
  if (!tx.empty()) o["transaction"] = tx;
  write_line(json::serialize(o));
}

void Logger::message(const char* level, const std::string& text) const {
  if (!json) {
    std::string line("prisma-cpp ");
    write_line(line.append(name).append(": ").append(text));
    return;
  }
  write_line(json::serialize(json::object{{"ts", now_iso()}, {"level", level}, {"event", "server"}, {"message", text}}));
}

void Logger::event(const prisma::LogEvent& e) const {
  std::string level(prisma::to_string(e.level));
  if (!json) {
    // appended piece by piece (GCC 12's -O3 -Wrestrict misfires on "literal" + std::string&&)
    std::string line("prisma:");
    line.append(level).append(" ").append(e.message);
    if (e.query) line.append(" ").append(std::to_string(e.query->duration_ms())).append("ms");
    write_line(line);
    return;
  }
  json::object o{{"ts", now_iso()}, {"level", level}, {"event", e.query ? "query" : "engine"}, {"message", e.message}};
  if (e.query) {
    o["sql"] = std::string(e.query->sql);
    o["duration_ms"] = e.query->duration_ms();
    o["rows"] = e.query->rows;
    if (e.query->failed) o["error"] = std::string(e.query->error);
  }
  write_line(json::serialize(o));
}

json::value error_body(const std::string& code, const std::string& message) {
  json::object ufe{{"is_panic", false}, {"message", message}, {"meta", json::object{}}, {"error_code", code}};
  return json::object{{"errors", json::array{json::object{{"error", message}, {"user_facing_error", ufe}}}}};
}

Response json_response(const Request& req, http::status status, const json::value& body) {
  Response res{status, req.version()};
  res.set(http::field::server, "prisma-cpp");
  res.set(http::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

namespace {

std::atomic<bool> g_stopping{false};
std::atomic<int> g_in_flight{0};

Response respond(const Request& req, http::status status, const json::value& body) { return json_response(req, status, body); }

http::response<http::string_body> handle(Engine& engine, const ServerOptions& opt,
                                         const http::request<http::string_body>& req) {
  std::string target(req.target());
  if (target == "/health" && req.method() == http::verb::get)
    return respond(req, http::status::ok, json::object{{"status", "ok"}});
  if (!opt.token.empty()) {
    std::string auth(req[http::field::authorization]);
    if (auth != "Bearer " + opt.token)
      return respond(req, http::status::unauthorized,
                     error_body("P1010", "Authentication failed: send `Authorization: Bearer <token>`"));
  }
  if (target == "/health/status" && req.method() == http::verb::get) {
    bool up = engine.reachable();
    return respond(req, up ? http::status::ok : http::status::service_unavailable,
                   json::object{{"status", up ? "ok" : "error"}, {"database", up ? "reachable" : "unreachable"}});
  }
  if (target == "/" && req.method() == http::verb::post) {
    json::value request;
    boost::system::error_code ec;
    request = json::parse(req.body(), ec);
    if (ec) return respond(req, http::status::bad_request, error_body("P2009", "Malformed JSON in the request body: " + ec.message()));
    std::string tx(req["X-transaction-id"]);
    json::value answer = engine.execute(request, tx);
    return respond(req, http::status::ok, answer);
  }
  if (target == "/transaction/start" && req.method() == http::verb::post) {
    // {"timeout": ms (Prisma's default 5000), "max_wait": ms}
    long long timeout = 5000;
    if (!req.body().empty()) {
      boost::system::error_code ec;
      json::value body = json::parse(req.body(), ec);
      if (ec || !body.is_object()) return respond(req, http::status::bad_request, error_body("P2009", "Malformed JSON in the request body"));
      if (auto* t = body.as_object().if_contains("timeout"); t && t->is_int64()) timeout = t->as_int64();
    }
    if (timeout <= 0) return respond(req, http::status::bad_request, error_body("P2009", "`timeout` must be positive"));
    return respond(req, http::status::ok, engine.start_transaction(std::chrono::milliseconds(timeout)));
  }
  if (target.rfind("/transaction/", 0) == 0 && req.method() == http::verb::post) {
    auto slash = target.rfind('/');
    std::string id = target.substr(13, slash - 13), verb = target.substr(slash + 1);
    if (slash > 13 && (verb == "commit" || verb == "rollback"))
      return respond(req, http::status::ok, engine.end_transaction(id, verb == "commit"));
  }
  if (target == "/metrics" && req.method() == http::verb::get) {
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::server, "prisma-cpp");
    res.set(http::field::content_type, "text/plain; version=0.0.4");
    res.keep_alive(req.keep_alive());
    res.body() = engine.metrics_prometheus();
    res.prepare_payload();
    return res;
  }
  return respond(req, http::status::not_found, error_body("P2009", "No route " + std::string(req.method_string()) + " " + target));
}

void session(tcp::socket socket, const Handler& handler, const ServerOptions& opt) {
  timeval tv{static_cast<time_t>(opt.read_timeout.count()), 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(opt.max_body);
    boost::system::error_code ec;
    http::read(socket, buffer, parser, ec);
    if (ec == http::error::end_of_stream || ec == boost::asio::error::connection_reset) break;
    if (ec == http::error::body_limit) {
      http::request<http::string_body> req;
      req.version(11);
      auto res = respond(req, http::status::payload_too_large,
                         error_body("P2009", "The request body is larger than the limit of " + std::to_string(opt.max_body) + " bytes"));
      res.keep_alive(false);
      http::write(socket, res, ec);
      break;
    }
    if (ec) break;  // a timeout or a broken request: close
    auto req = parser.release();
    ++g_in_flight;  // a request in flight (an idle keep-alive connection does not hold shutdown)
    struct Done {
      ~Done() { --g_in_flight; }
    } done;
    auto t0 = std::chrono::steady_clock::now();
    auto res = handler(req);
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    opt.log.request(std::string(req.method_string()), std::string(req.target()), res.result_int(), ms,
                    std::string(req["X-transaction-id"]));
    if (g_stopping) res.keep_alive(false);
    http::write(socket, res, ec);
    if (ec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace

int run_server(Engine& engine, const ServerOptions& opt) {
  return run_http(opt, [&](const Request& req) { return handle(engine, opt, req); }, [&] { engine.sweep(); });
}

int run_http(const ServerOptions& opt, const Handler& handler, const std::function<void()>& tick) {
  boost::asio::io_context io;
  tcp::endpoint endpoint(boost::asio::ip::make_address(opt.host), opt.port);
  tcp::acceptor acceptor(io);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen();
  acceptor.non_blocking(true);
  std::signal(SIGINT, [](int) { g_stopping = true; });
  std::signal(SIGTERM, [](int) { g_stopping = true; });
  opt.log.message("info", "listening on http://" + opt.host + ":" + std::to_string(acceptor.local_endpoint().port()) +
                             (opt.token.empty() ? "" : " (bearer token required)"));
  unsigned idle = 0;
  while (!g_stopping) {
    boost::system::error_code ec;
    tcp::socket socket(io);
    acceptor.accept(socket, ec);
    if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (++idle % 20 == 0) tick();  // e.g. abandoned transactions go back after their timeout
      continue;
    }
    if (ec) continue;
    socket.non_blocking(false);
    std::thread(session, std::move(socket), std::cref(handler), std::cref(opt)).detach();
  }
  // graceful: no new connections; requests in flight finish (up to the read timeout)
  acceptor.close();
  auto deadline = std::chrono::steady_clock::now() + opt.read_timeout;
  while (g_in_flight > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  opt.log.message("info", "stopped");
  return 0;
}

}  // namespace prisma_cpp::serve
