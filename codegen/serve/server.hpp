// `prisma-cpp serve`: the engine over HTTP/1.1 (Boost.Beast on Boost.Asio, from the Boost the
// project already requires; JSON with Boost.JSON). Routes: POST / (a query or a batch; with
// `X-transaction-id` inside that transaction), POST /transaction/start ({"timeout": ms} -> {"id"}),
// POST /transaction/{id}/commit|rollback, GET /health, GET /health/status. Binds 127.0.0.1 unless told; a bearer token (required when
// binding elsewhere); request body and read-time limits; SIGINT/SIGTERM stop accepting and let
// requests in flight finish.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

#include "serve/engine.hpp"

namespace prisma_cpp::serve {

// Log lines: text ("prisma-cpp serve: ...", "prisma:query ...") or one JSON object per line
// ({"ts", "level", "event": "request" | "query" | ..., ...}), to stderr.
struct Logger {
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

// Serves until SIGINT/SIGTERM; returns the process exit code.
int run_server(Engine& engine, const ServerOptions& options);

}  // namespace prisma_cpp::serve
