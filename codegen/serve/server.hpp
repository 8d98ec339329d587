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

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 4466;
  std::string token;                          // empty: no authentication (loopback only)
  std::size_t max_body = 1 << 20;             // bytes
  std::chrono::seconds read_timeout{30};
};

// Serves until SIGINT/SIGTERM; returns the process exit code.
int run_server(Engine& engine, const ServerOptions& options);

}  // namespace prisma_cpp::serve
