// `prisma-cpp serve`: the engine over HTTP/1.1 (Boost.Beast on Boost.Asio, from the Boost the
// project already requires; JSON with Boost.JSON). Routes: POST / (a query or a batch; with
// `X-transaction-id` inside that transaction), POST /transaction/start ({"timeout": ms} -> {"id"}),
// POST /transaction/{id}/commit|rollback, GET /health, GET /health/status. Binds 127.0.0.1 unless told; a bearer token (required when
// binding elsewhere); request body and read-time limits; SIGINT/SIGTERM stop accepting and let
// requests in flight finish.
//
// What the HTTP layer (serve and studio alike) refuses before a handler sees a request, since a
// server on loopback is reachable from every web page the user opens:
// - a `Host` that is not a loopback name, the bound --host or an --allow-host name (DNS rebinding): 403;
// - an `Origin` other than the request's own (http://<Host>) or an --allow-origin, and
//   `Sec-Fetch-Site: cross-site|same-site` (another site, or another port of 127.0.0.1): 403;
// - a POST body that is not `application/json` (text/plain and form bodies are what a page can send
//   without a preflight; the preflight, OPTIONS, is never granted): 415, OPTIONS 403. A body with
//   no Content-Type at all is served only from a program (no Origin, no Sec-Fetch-*: Prisma Client
//   Python's httpx sends it so); a browser's typeless body (a Blob) carries both and gets 415;
// - a request not whole within --read-timeout (one deadline per request, not per recv): 408;
//   headers over 8 kB: 431; a `Transfer-Encoding` other than exactly `chunked`, or beside a
//   `Content-Length`: 400; more than --max-connections open connections, or no thread to serve one: 503.
#pragma once
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serve/engine.hpp"
#include "serve/secrets.hpp"

namespace prisma_cpp::serve {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Handler = std::function<Response(const Request&)>;

// Log lines: text ("prisma-cpp serve: ...", "prisma:query ...") or one JSON object per line
// ({"ts", "level", "event": "request" | "query" | ..., ...}), to stderr.
struct Logger {
  std::string name = "serve";  // the command, in text lines: "prisma-cpp serve: ..."
  bool json = false;
  bool requests = true;  // the info level: one line per request
  bool info = true;      // the server's own info lines (listening, stopped)
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
  std::chrono::seconds read_timeout{30};      // a request must arrive whole within this (idle keep-alive too)
  std::size_t max_connections = 128;          // open connections at once; more get 503
  std::vector<std::string> allowed_hosts;     // Host names besides loopback and --host ("*": any)
  std::vector<std::string> allowed_origins;   // Origins besides the request's own (e.g. "https://app.example")
};

// The checks above, one request at a time (also for tests): an empty optional lets it through.
std::optional<Response> refuse(const ServerOptions& options, const Request& req);
// A request target for the log: the value of a `token=` query parameter replaced by `***`.
std::string loggable_target(std::string_view target);


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
