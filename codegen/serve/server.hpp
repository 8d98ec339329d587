// `prisma-cpp serve`: the engine over HTTP/1.1 (Boost.Beast on Boost.Asio, from the Boost the
// project already requires; JSON with Boost.JSON). Routes: POST / (a query or a batch; with
// `X-transaction-id` inside that transaction), POST /transaction/start ({"timeout": ms} -> {"id"}),
// POST /transaction/{id}/commit|rollback, GET /health, GET /health/status. Binds 127.0.0.1 unless told; a bearer token (required when
// binding elsewhere); request body and read-time limits; SIGINT/SIGTERM stop accepting and let
// requests in flight finish.
#pragma once
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "serve/engine.hpp"

namespace prisma_cpp::serve {

// Log lines: text ("prisma-cpp serve: ...", "prisma:query ...") or one JSON object per line
// ({"ts", "level", "event": "request" | "query" | ..., ...}), to stderr.
struct Logger {
  std::string name = "serve";  // the command, in text lines: "prisma-cpp serve: ..."
  bool json = false;
  bool requests = true;  // the info level: one line per request
  void request(const std::string& method, const std::string& target, unsigned status, double ms, const std::string& tx) const;
  void message(const char* level, const std::string& text) const;
  // The runtime's query events (prisma::ClientOptions::on_log).
  void event(const prisma::LogEvent& e) const;
};

struct ServerOptions {
  Logger log;
  std::string host = "127.0.0.1";
  unsigned short port = 4466;
  std::string token;                          // empty: no authentication (loopback only)
  std::size_t max_body = 1 << 20;             // bytes
  std::chrono::seconds read_timeout{30};
};

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Handler = std::function<Response(const Request&)>;

// A response with a JSON body; and Prisma's error body {"errors": [{"error", "user_facing_error"}]}.
Response json_response(const Request& req, boost::beast::http::status status, const boost::json::value& body);
boost::json::value error_body(const std::string& code, const std::string& message);

// The HTTP/1.1 server under `serve` and `studio`: a thread per connection, the body and read-time
// limits, a log line per request; `tick` runs about every 100 ms on the accept loop. Serves until
// SIGINT/SIGTERM, then lets requests in flight finish; returns the process exit code.
int run_http(const ServerOptions& options, const Handler& handler, const std::function<void()>& tick);

// `serve`'s routes on run_http.
int run_server(Engine& engine, const ServerOptions& options);

}  // namespace prisma_cpp::serve
