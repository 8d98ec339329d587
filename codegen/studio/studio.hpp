// `prisma-cpp studio`: a data browser in the web browser, on the run-time engine of `serve`.
// The page (HTML/CSS/JS of our own, compiled into the tool; no CDN, no Node) speaks Prisma's JSON
// protocol to POST /api/query; the server adds what Prisma Studio lacks: a token (one-time in the
// printed URL, then a session cookie), a read-only mode enforced on the server, and a schema that
// reloads when its file changes (`db pull --watch` beside it).
#pragma once
#include <chrono>
#include <filesystem>
#include <string>

#include "serve/server.hpp"

namespace prisma_cpp::studio {

struct StudioOptions {
  serve::ServerOptions server;        // host, port (5557), limits, logger; `token` unused here
  std::filesystem::path schema;       // the schema file or folder, watched for changes
  std::string url;                    // the database
  std::string base_dir;               // relative file: URLs against it
  bool read_only = false;
  std::string token;                  // given (--token / PRISMA_CPP_STUDIO_TOKEN): reusable; empty: a one-time token
  std::chrono::seconds session_idle{3600};    // a session ends after this without a request (--session-timeout)
  std::chrono::seconds session_max{24 * 3600};  // and this long after signing in
};

// Serves until SIGINT/SIGTERM; returns the process exit code.
int run_studio(const StudioOptions& options);

}  // namespace prisma_cpp::studio
