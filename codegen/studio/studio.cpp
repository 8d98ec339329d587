#include "studio/studio.hpp"

#include <boost/json.hpp>
#include <prisma/sql/dialect.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <map>

#include "emit/json.hpp"
#include "schema/load.hpp"

namespace prisma_cpp::studio {

namespace http = boost::beast::http;
namespace json = boost::json;
namespace fs = std::filesystem;
using serve::Request;
using serve::Response;

// The page, compiled in from codegen/studio/assets (studio_assets.cpp, written at build time).
extern const char* const studio_index_html;
extern const char* const studio_js;
extern const char* const studio_css;

namespace {

using serve::random_hex;   // OpenSSL's CSPRNG: tokens and session ids
using serve::same_secret;  // constant-time comparison

// The newest modification time of the schema (a file, or every .prisma file of a folder).
fs::file_time_type schema_mtime(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_directory(p, ec)) return fs::last_write_time(p, ec);
  fs::file_time_type newest{};
  for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().extension() == ".prisma") newest = std::max(newest, fs::last_write_time(it->path(), ec));
  return newest;
}

// The error code of an engine answer ({"errors": [{"user_facing_error": {"error_code"}}]}), or "".
std::string error_code(const json::value& answer) {
  const auto* o = answer.if_object();
  const auto* errors = o ? o->if_contains("errors") : nullptr;
  if (!errors || !errors->is_array() || errors->as_array().empty() || !errors->as_array()[0].is_object()) return {};
  const auto* ufe = errors->as_array()[0].as_object().if_contains("user_facing_error");
  const auto* code = ufe && ufe->is_object() ? ufe->as_object().if_contains("error_code") : nullptr;
  return code && code->is_string() ? std::string(code->as_string()) : std::string();
}

std::string cookie(const Request& req, const std::string& name) {
  std::string all(req[http::field::cookie]);
  for (std::size_t pos = 0; pos < all.size();) {
    std::size_t end = all.find(';', pos);
    std::string part = all.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? all.size() : end + 1;
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
  }
  return {};
}

std::string query_param(const std::string& target, const std::string& name) {
  auto q = target.find('?');
  if (q == std::string::npos) return {};
  std::string rest = target.substr(q + 1);
  for (std::size_t pos = 0; pos <= rest.size();) {
    std::size_t end = rest.find('&', pos);
    std::string part = rest.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? rest.size() + 1 : end + 1;
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
  }
  return {};
}

Response text(const Request& req, http::status status, const char* type, std::string body) {
  Response res{status, req.version()};
  res.set(http::field::server, "prisma-cpp");
  res.set(http::field::content_type, type);
  res.set(http::field::cache_control, "no-store");
  // the page runs only its own script and style, and cannot be framed
  res.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

class Studio {
 public:
  explicit Studio(const StudioOptions& opt) : opt_(opt) {
    token_ = opt.token.empty() ? random_hex() : opt.token;
    if (!load()) throw std::runtime_error(load_error_);
  }

  const std::string& token() const { return token_; }

  // Reloads the schema when its files change (checked about once a second).
  void tick() {
    auto now = std::chrono::steady_clock::now();
    if (now - last_check_ < std::chrono::seconds(1)) return;
    last_check_ = now;
    {
      std::lock_guard lock(mu_);
      std::erase_if(sessions_, [&](const auto& kv) { return expired(kv.second, now); });
    }
    if (schema_mtime(opt_.schema) != mtime_) load();
  }

  Response handle(const Request& req) {
    std::string target(req.target());
    std::string path = target.substr(0, target.find('?'));
    // the one-time token (or the given one) in the URL becomes a session cookie
    if (req.method() == http::verb::get && path == "/" && !query_param(target, "token").empty()) {
      std::string given = query_param(target, "token");
      std::lock_guard lock(mu_);
      if (!same_secret(given, token_) || (opt_.token.empty() && token_used_))
        return denied(req, "This Studio link has been used already or its token is wrong: run `prisma-cpp studio` for a new one.");
      if (opt_.token.empty()) token_used_ = true;  // one-time
      std::string sid = random_hex();
      auto now = std::chrono::steady_clock::now();
      sessions_[sid] = Session{now, now};
      Response res = text(req, http::status::see_other, "text/plain", "");
      res.set(http::field::location, "/");
      res.set(http::field::set_cookie, "prisma_studio=" + sid + "; Path=/; HttpOnly; SameSite=Strict");
      return res;
    }
    if (req.method() == http::verb::post && path == "/api/logout") {
      // signing out ends this session on the server, and the cookie in the browser
      std::string sid = cookie(req, "prisma_studio");
      {
        std::lock_guard lock(mu_);
        sessions_.erase(sid);
      }
      Response res = serve::json_response(req, http::status::ok, json::object{{"signedOut", true}});
      res.set(http::field::set_cookie, "prisma_studio=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
      return res;
    }
    if (!allowed(req)) return denied(req, "This Studio needs its token: open the URL `prisma-cpp studio` printed.");
    if (req.method() == http::verb::get) {
      if (path == "/") return text(req, http::status::ok, "text/html; charset=utf-8", studio_index_html);
      if (path == "/studio.js") return text(req, http::status::ok, "text/javascript; charset=utf-8", studio_js);
      if (path == "/studio.css") return text(req, http::status::ok, "text/css; charset=utf-8", studio_css);
      if (path == "/api/schema") {
        std::lock_guard lock(mu_);
        return serve::json_response(req, http::status::ok, schema_answer());
      }
      if (path == "/api/version") {
        std::lock_guard lock(mu_);
        return serve::json_response(req, http::status::ok, json::object{{"version", version_}, {"error", load_error_}});
      }
    }
    if (req.method() == http::verb::post && path == "/api/query") {
      boost::system::error_code ec;
      json::value q = json::parse(req.body(), ec);
      if (ec) return serve::json_response(req, http::status::bad_request, serve::error_body("P2009", "Malformed JSON: " + ec.message()));
      std::shared_ptr<serve::Engine> engine;
      {
        std::lock_guard lock(mu_);
        engine = engine_;
      }
      // raw SQL and (with --read-only) writes are refused by the engine, on every query of a batch
      json::value answer = engine->execute(q);
      std::string code = error_code(answer);
      bool refused = code == serve::kReadOnly || code == serve::kRawRefused;
      return serve::json_response(req, refused ? http::status::forbidden : http::status::ok, answer);
    }
    return serve::json_response(req, http::status::not_found, serve::error_body("P2009", "No route " + std::string(req.method_string()) + " " + path));
  }

 private:
  bool allowed(const Request& req) {
    std::string auth(req[http::field::authorization]);
    if (!opt_.token.empty() && same_secret(auth, "Bearer " + opt_.token)) return true;
    std::string sid = cookie(req, "prisma_studio");
    if (sid.empty()) return false;
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    for (auto& [id, session] : sessions_)
      if (same_secret(sid, id)) {
        if (expired(session, now)) return false;  // tick() forgets it
        session.last_seen = now;
        return true;
      }
    return false;
  }

  // Sessions end after --session-timeout without a request, and session_max after signing in.
  struct Session {
    std::chrono::steady_clock::time_point created, last_seen;
  };
  bool expired(const Session& s, std::chrono::steady_clock::time_point now) const {
    return now - s.last_seen > opt_.session_idle || now - s.created > opt_.session_max;
  }

  Response denied(const Request& req, const std::string& why) {
    std::string path(req.target());
    if (path.rfind("/api/", 0) == 0) return serve::json_response(req, http::status::unauthorized, serve::error_body("UNAUTHORIZED", why));
    return text(req, http::status::unauthorized, "text/html; charset=utf-8",
                "<!doctype html><meta charset=utf-8><title>prisma-cpp studio</title><link rel=stylesheet href=/studio.css>"
                "<body class=denied><main id=denied><h1>Not signed in</h1><p>" + why + "</p></main></body>");
  }

  json::value schema_answer() {
    json::object out{{"version", version_}, {"readOnly", opt_.read_only}, {"provider", provider_}, {"datamodel", datamodel_}};
    if (!load_error_.empty()) out["error"] = load_error_;
    return out;
  }

  // (Re)loads the schema; a broken schema keeps the last good one and reports its problems.
  bool load() {
    auto mtime = schema_mtime(opt_.schema);
    schema::Loaded l;
    try {
      l = schema::load_path(opt_.schema);
    } catch (const std::exception& e) {
      std::lock_guard lock(mu_);
      load_error_ = e.what();
      mtime_ = mtime;
      return false;
    }
    std::string problems;
    for (const auto& d : l.diagnostics.all())
      if (d.severity == psl::Severity::Error) problems += psl::format_plain(l.sources, {d});
    if (!problems.empty()) {
      std::lock_guard lock(mu_);
      load_error_ = "The schema has errors; showing the last good one.\n" + problems;
      mtime_ = mtime;
      opt_.server.log.message("warn", load_error_);
      return false;
    }
    json::value dm = json::parse(emit::dmmf_json(l.schema));
    std::shared_ptr<serve::Engine> engine;
    try {
      engine = std::make_shared<serve::Engine>(l.schema, opt_.url, opt_.base_dir, 0, prisma::ClientOptions{},
                                               serve::EngineOptions{.raw = false, .read_only = opt_.read_only});
    } catch (const std::exception& e) {
      std::lock_guard lock(mu_);
      load_error_ = std::string("The database cannot be opened: ") + e.what();
      mtime_ = mtime;
      return false;
    }
    std::lock_guard lock(mu_);
    bool changed = dm != datamodel_;
    datamodel_ = std::move(dm);
    engine_ = std::move(engine);
    provider_ = prisma::sql::dialect_of_url(opt_.url) == prisma::sql::Dialect::Postgresql ? "postgresql" : "sqlite";
    load_error_.clear();
    mtime_ = mtime;
    if (changed) {
      ++version_;
      if (version_ > 1) opt_.server.log.message("info", "the schema changed: reloaded (version " + std::to_string(version_) + ")");
    }
    return true;
  }

  StudioOptions opt_;
  std::mutex mu_;
  std::string token_;
  bool token_used_ = false;
  std::map<std::string, Session> sessions_;
  std::shared_ptr<serve::Engine> engine_;
  json::value datamodel_;
  std::string provider_;
  std::string load_error_;
  std::int64_t version_ = 0;
  fs::file_time_type mtime_{};
  std::chrono::steady_clock::time_point last_check_{};
};

}  // namespace

int run_studio(const StudioOptions& opt) {
  Studio studio(opt);
  std::string host = opt.server.host.find(':') != std::string::npos ? "[" + opt.server.host + "]" : opt.server.host;
  // the port may be 0 (any): run_http logs the one it got; the URL printed here names the asked one
  // a one-time token is printed (used once, it is worth nothing); a reusable --token never is
  std::cout << "prisma-cpp studio: http://" << host << ":" << opt.server.port
            << (opt.token.empty() ? "/?token=" + studio.token() : std::string("/  (sign in with /?token=<your --token>)"))
            << (opt.read_only ? "  (read-only)" : "") << std::endl;
  return serve::run_http(opt.server, [&](const Request& req) { return studio.handle(req); }, [&] { studio.tick(); });
}

}  // namespace prisma_cpp::studio
