// The log lines of `serve` and `studio` (serve::Logger): text or one JSON object per line, to stderr.
#include <boost/json.hpp>

#include <prisma/core/datetime.hpp>

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "serve/server.hpp"

namespace prisma_cpp::serve {
namespace json = boost::json;

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
  if (!info && std::string_view(level) == "info") return;
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

}  // namespace prisma_cpp::serve
