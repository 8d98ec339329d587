#include "serve/server.hpp"
#include "serve/graphql.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <prisma/core/datetime.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <memory>
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
std::atomic<std::size_t> g_open{0};  // connections being served (each on a thread of its own)

Response respond(const Request& req, http::status status, const json::value& body) { return json_response(req, status, body); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A Host header's name: "[::1]:4466" -> "::1", "Localhost:80" -> "localhost".
std::string host_name(std::string_view host) {
  host = trim(host);
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return lower(host.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  }
  return lower(host.substr(0, host.find(':')));
}

bool is_loopback_name(const std::string& name) {
  if (name == "localhost" || (name.size() > 10 && name.compare(name.size() - 10, 10, ".localhost") == 0)) return true;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(name, ec);
  return !ec && address.is_loopback();
}

bool host_allowed(const ServerOptions& opt, const std::string& name) {
  if (is_loopback_name(name)) return true;
  std::string bound = lower(opt.host);
  if (bound != "0.0.0.0" && bound != "::" && name == bound) return true;
  for (const auto& h : opt.allowed_hosts)
    if (h == "*" || lower(h) == name) return true;
  return false;
}

bool origin_allowed(const ServerOptions& opt, std::string_view origin, std::string_view host) {
  std::string o = lower(trim(origin));
  while (!o.empty() && o.back() == '/') o.pop_back();
  std::string h = lower(trim(host));
  if (!h.empty() && (o == "http://" + h || o == "https://" + h)) return true;
  for (auto a : opt.allowed_origins) {
    a = lower(a);
    while (!a.empty() && a.back() == '/') a.pop_back();
    if (a == o) return true;
  }
  return false;
}

Response refused(const Request& req, http::status status, const std::string& code, const std::string& message) {
  Response res = json_response(req, status, error_body(code, message));
  res.keep_alive(false);
  return res;
}

// A blocking socket whose reads and writes all end at one deadline (poll before each call), so a
// request that trickles in a byte at a time is cut off when its time is up, not per recv().
class DeadlineStream {
 public:
  explicit DeadlineStream(tcp::socket& s) : s_(s) {}
  void expires_after(std::chrono::steady_clock::duration d) { deadline_ = std::chrono::steady_clock::now() + d; }
  bool received() const { return received_; }
  void clear_received() { received_ = false; }

  template <class Buffers>
  std::size_t read_some(const Buffers& b) {
    boost::system::error_code ec;
    std::size_t n = read_some(b, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class Buffers>
  std::size_t read_some(const Buffers& b, boost::system::error_code& ec) {
    if (!wait(POLLIN, ec)) return 0;
    std::size_t n = s_.read_some(b, ec);
    if (n) received_ = true;
    return n;
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& b) {
    boost::system::error_code ec;
    std::size_t n = write_some(b, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& b, boost::system::error_code& ec) {
    // an answer mostly fits the socket's buffer: sent at once without waiting (no poll), and only
    // a client that does not read makes it wait, up to the deadline
    if (std::chrono::steady_clock::now() >= deadline_) {
      ec = boost::asio::error::timed_out;
      return 0;
    }
    // (sendmsg itself: Asio's blocking send would wait for room on its own, past the deadline)
    std::array<iovec, 16> iov{};
    std::size_t count = 0;
    for (auto it = boost::asio::buffer_sequence_begin(b); it != boost::asio::buffer_sequence_end(b) && count < iov.size(); ++it) {
      boost::asio::const_buffer cb(*it);
      iov[count++] = iovec{const_cast<void*>(cb.data()), cb.size()};
    }
    msghdr msg{};
    msg.msg_iov = iov.data();
    msg.msg_iovlen = count;
    ssize_t sent = ::sendmsg(s_.native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent >= 0) return static_cast<std::size_t>(sent);
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      ec = boost::system::error_code(errno, boost::system::system_category());
      return 0;
    }
    if (!wait(POLLOUT, ec)) return 0;
    return s_.write_some(b, ec);
  }

 private:
  bool wait(short events, boost::system::error_code& ec) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        ec = boost::asio::error::timed_out;
        return false;
      }
      pollfd p{s_.native_handle(), events, 0};
      int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count() + 1, 60'000)));
      if (r > 0) return true;  // ready, or an error the call itself reports
      if (r < 0 && errno != EINTR) {
        ec = boost::system::error_code(errno, boost::system::system_category());
        return false;
      }
    }
  }
  tcp::socket& s_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::now();
  bool received_ = false;
};

// An answer before a request is read (no capacity): what has arrived is read first so that the
// close does not reset the connection before the client sees the answer.
void answer_now(tcp::socket& socket, http::status status, const std::string& message) {
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  char scratch[4096];
  for (int i = 0; i < 16 && socket.read_some(boost::asio::buffer(scratch), ec) > 0;) ++i;
  socket.non_blocking(false, ec);
  Request req;
  req.version(11);
  Response res = refused(req, status, "P2024", message);
  DeadlineStream stream(socket);
  stream.expires_after(std::chrono::milliseconds(200));
  http::write(stream, res, ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

// Prometheus text with `labels` on every sample: `name 1` -> `name{a="b"} 1`, `name{le="5"} 1` ->
// `name{a="b",le="5"} 1` (label values escaped as the exposition format says).
std::string with_labels(const std::string& text, const json::object& labels) {
  if (labels.empty()) return text;
  std::string extra;
  for (const auto& [k, v] : labels) {
    if (!extra.empty()) extra += ',';
    extra += std::string(k) + "=\"";
    for (char c : v.as_string()) {
      if (c == '\\' || c == '"') extra += '\\';
      if (c == '\n') {
        extra += "\\n";
        continue;
      }
      extra += c;
    }
    extra += '"';
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line[0] != '#') {
      std::size_t brace = line.find('{'), space = line.find(' ');
      if (brace != std::string::npos && brace < space) line.insert(brace + 1, extra + ",");
      else if (space != std::string::npos) line.insert(space, "{" + extra + "}");
    }
    out += line;
    out += '\n';
  }
  return out;
}

http::response<http::string_body> handle(Engine& engine, const ServerOptions& opt,
                                         const http::request<http::string_body>& req) {
  std::string full_target(req.target());
  std::string target = full_target.substr(0, full_target.find('?'));
  std::string query = target.size() < full_target.size() ? full_target.substr(target.size() + 1) : std::string();
  // /status: what Prisma's query engine answered its clients while they wait for it to start
  if ((target == "/health" || target == "/status") && req.method() == http::verb::get)
    return respond(req, http::status::ok, json::object{{"status", "ok"}});
  if (!opt.token.empty()) {
    std::string auth(req[http::field::authorization]);
    if (!same_secret(auth, "Bearer " + opt.token))
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
    // Prisma's GraphQL protocol ({"query": "<text>"}: Prisma Client Python) or its JSON protocol
    json::value answer = graphql::is_graphql(request) ? graphql::execute(engine, request, tx) : engine.execute(request, tx);
    return respond(req, http::status::ok, answer);
  }
  if (target == "/transaction/start" && req.method() == http::verb::post) {
    // {"timeout": ms (Prisma's default 5000), "max_wait"/"maxWait": ms (2000)}
    json::object options;
    if (!req.body().empty()) {
      boost::system::error_code ec;
      json::value body = json::parse(req.body(), ec);
      if (ec || !body.is_object()) return respond(req, http::status::bad_request, error_body("P2009", "Malformed JSON in the request body"));
      options = body.as_object();
    }
    json::value answer = engine.start_transaction(options);
    bool failed = answer.is_object() && answer.as_object().contains("errors");
    return respond(req, failed ? http::status::bad_request : http::status::ok, answer);
  }
  if (target.rfind("/transaction/", 0) == 0 && req.method() == http::verb::post) {
    auto slash = target.rfind('/');
    std::string id = target.substr(13, slash - 13), verb = target.substr(slash + 1);
    if (slash > 13 && (verb == "commit" || verb == "rollback"))
      return respond(req, http::status::ok, engine.end_transaction(id, verb == "commit"));
  }
  if (target == "/metrics" && req.method() == http::verb::get) {
    // ?format=json|prometheus (Prometheus text unless asked); a body of global labels {"name": "value"}
    std::string format = "prometheus";
    for (std::size_t pos = 0; pos < query.size();) {
      std::size_t end = std::min(query.find('&', pos), query.size());
      if (query.compare(pos, 7, "format=") == 0) format = query.substr(pos + 7, end - pos - 7);
      pos = end + 1;
    }
    if (format != "json" && format != "prometheus")
      return respond(req, http::status::bad_request, error_body("P2009", "`format` is json or prometheus, not `" + format + "`"));
    json::object labels;
    if (!req.body().empty()) {
      boost::system::error_code ec;
      json::value body = json::parse(req.body(), ec);
      if (ec || !body.is_object())
        return respond(req, http::status::bad_request, error_body("P2009", "The global labels are a JSON object of strings"));
      for (const auto& [k, v] : body.as_object()) {
        bool name_ok = !k.empty() && (std::isalpha(static_cast<unsigned char>(k[0])) || k[0] == '_') &&
                       std::all_of(k.begin(), k.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
        if (!v.is_string() || !name_ok)
          return respond(req, http::status::bad_request, error_body("P2009", "The global labels are a JSON object of strings"));
        labels[k] = v;
      }
    }
    if (format == "json") return respond(req, http::status::ok, engine.metrics_json(labels));
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::server, "prisma-cpp");
    res.set(http::field::content_type, "text/plain; version=0.0.4");
    res.keep_alive(req.keep_alive());
    res.body() = with_labels(engine.metrics_prometheus(), labels);
    res.prepare_payload();
    return res;
  }
  return respond(req, http::status::not_found, error_body("P2009", "No route " + std::string(req.method_string()) + " " + target));
}

// `Transfer-Encoding` as RFC 9112 lets a server take it: exactly "chunked", never beside Content-Length.
bool transfer_encoding_ok(const Request& req) {
  if (req.count(http::field::transfer_encoding) == 0) return true;
  if (req.count(http::field::transfer_encoding) > 1 || req.count(http::field::content_length) > 0) return false;
  return beast::iequals(trim(req[http::field::transfer_encoding]), "chunked");
}

void session(std::shared_ptr<tcp::socket> conn, const Handler& handler, const ServerOptions& opt) {
  struct Open {
    ~Open() { --g_open; }
  } open;
  tcp::socket& socket = *conn;
  DeadlineStream stream(socket);
  beast::flat_buffer buffer;
  // the last answer on this connection
  auto finish = [&](Response res) {
    boost::system::error_code ec;
    stream.expires_after(std::chrono::seconds(5));
    res.keep_alive(false);
    http::write(stream, res, ec);
  };
  // ... to a request that could not be read
  auto unread = [&](http::status status, const char* code, const std::string& message) {
    Request blank;
    blank.version(11);
    finish(refused(blank, status, code, message));
  };
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(opt.max_body);
    parser.header_limit(8 * 1024);
    bool pending = buffer.size() > 0;  // a pipelined request already here
    stream.clear_received();
    stream.expires_after(opt.read_timeout);  // the whole request (headers and body) within this
    boost::system::error_code ec;
    http::read_header(stream, buffer, parser, ec);
    if (!ec) {
      // refused on its headers alone: the body is never read, the connection is closed
      const Request& head = parser.get();
      if (auto no = refuse(opt, head)) {
        opt.log.request(std::string(head.method_string()), loggable_target(head.target()), no->result_int(), 0, "");
        finish(std::move(*no));
        break;
      }
      http::read(stream, buffer, parser, ec);
    }
    if (ec == http::error::end_of_stream || ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) break;
    if (ec == boost::asio::error::timed_out) {
      if (stream.received() || pending)
        unread(http::status::request_timeout, "P1008",
             "The request did not arrive whole within " + std::to_string(opt.read_timeout.count()) + " s (--read-timeout)");
      break;  // an idle keep-alive connection just closes
    }
    if (ec == http::error::header_limit) {
      unread(http::status::request_header_fields_too_large, "P2009", "The request's headers are larger than 8 kB");
      break;
    }
    if (ec == http::error::body_limit) {
      unread(http::status::payload_too_large, "P2009",
             "The request body is larger than the limit of " + std::to_string(opt.max_body) + " bytes");
      break;
    }
    if (ec) {
      if (stream.received() || pending) unread(http::status::bad_request, "P2009", "Malformed HTTP request: " + ec.message());
      break;
    }
    auto req = parser.release();
    ++g_in_flight;  // a request in flight (an idle keep-alive connection does not hold shutdown)
    struct Done {
      ~Done() { --g_in_flight; }
    } done;
    auto t0 = std::chrono::steady_clock::now();
    Response res;
    try {
      res = handler(req);
    } catch (const std::exception& e) {  // out of memory, a thread or a file: the server goes on
      res = refused(req, http::status::service_unavailable, "P2024", std::string("The server could not serve the request: ") + e.what());
    }
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    opt.log.request(std::string(req.method_string()), loggable_target(req.target()), res.result_int(), ms,
                    std::string(req["X-transaction-id"]));
    if (g_stopping) res.keep_alive(false);
    stream.expires_after(opt.read_timeout);  // a client that does not read its answer is let go
    http::write(stream, res, ec);
    if (ec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace

std::optional<Response> refuse(const ServerOptions& opt, const Request& req) {
  if (!transfer_encoding_ok(req))  // else the rest of the body would be read as a second request
    return refused(req, http::status::bad_request, "P2009", "`Transfer-Encoding` must be exactly `chunked` and never beside `Content-Length`");
  std::size_t hosts = req.count(http::field::host);
  if (hosts > 1 || (hosts == 0 && req.version() >= 11))
    return refused(req, http::status::bad_request, "P2009", "An HTTP/1.1 request has exactly one `Host` header");
  if (hosts == 1) {
    std::string name = host_name(req[http::field::host]);
    if (!host_allowed(opt, name))
      return refused(req, http::status::forbidden, "P1010",
                     "The Host `" + name + "` is not one this server answers to (a loopback name, --host or --allow-host): "
                     "a page that rebinds its name to this address is refused");
  }
  if (req.count(http::field::origin) && !origin_allowed(opt, req[http::field::origin], req[http::field::host]))
    return refused(req, http::status::forbidden, "P1010",
                   "Requests from the web origin `" + std::string(req[http::field::origin]) +
                       "` are refused: only this server's own pages (or an --allow-origin) may call it");
  std::string_view site = trim(req["Sec-Fetch-Site"]);
  if (beast::iequals(site, "cross-site") || beast::iequals(site, "same-site"))
    return refused(req, http::status::forbidden, "P1010",
                   "Requests from another site or port (Sec-Fetch-Site: " + std::string(site) + ") are refused");
  if (req.method() == http::verb::options)
    return refused(req, http::status::forbidden, "P1010", "Cross-origin requests are not served (no CORS preflight is granted)");
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    std::string_view length = req[http::field::content_length];
    bool body = req.count(http::field::transfer_encoding) > 0 || (!length.empty() && trim(length) != "0");
    std::string_view content_type = req[http::field::content_type];
    std::string_view type = trim(content_type.substr(0, content_type.find(';')));
    // A body without any Content-Type is what Prisma Client Python sends (httpx, `content=`); a
    // browser never sends one without an Origin and Sec-Fetch-Site, which are checked above.
    bool from_program = content_type.empty() && req.count(http::field::origin) == 0 && req.count("Sec-Fetch-Site") == 0 &&
                        req.count("Sec-Fetch-Mode") == 0;
    if (body && !from_program && !beast::iequals(type, "application/json"))
      return refused(req, http::status::unsupported_media_type, "P2009",
                     "The request body must be JSON sent as `Content-Type: application/json`, not `" + std::string(type) + "`");
  }
  return std::nullopt;
}

std::string loggable_target(std::string_view target) {
  std::string out(target);
  auto q = out.find('?');
  if (q == std::string::npos) return out;
  for (std::size_t pos = q + 1; pos < out.size();) {
    std::size_t end = out.find('&', pos);
    if (end == std::string::npos) end = out.size();
    if (out.compare(pos, 6, "token=") == 0) {
      out.replace(pos + 6, end - pos - 6, "***");
      end = pos + 9;
    }
    pos = end + 1;
  }
  return out;
}

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
  std::signal(SIGPIPE, SIG_IGN);
  opt.log.message("info", "listening on http://" + opt.host + ":" + std::to_string(acceptor.local_endpoint().port()) +
                             (opt.token.empty() ? "" : " (bearer token required)"));
  auto last_tick = std::chrono::steady_clock::now();
  auto last_warning = last_tick - std::chrono::hours(1);
  int backoff_ms = 0;  // after the process ran out of file descriptors (or memory) to accept with
  while (!g_stopping) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_tick >= std::chrono::milliseconds(100)) {
      last_tick = now;
      try {
        tick();  // e.g. abandoned transactions go back after their timeout
      } catch (const std::exception& e) {
        opt.log.message("error", std::string("housekeeping failed: ") + e.what());
      }
    }
    if (backoff_ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
    } else {
      pollfd p{acceptor.native_handle(), POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
    }
    boost::system::error_code ec;
    tcp::socket socket(io);
    acceptor.accept(socket, ec);
    if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) {
      backoff_ms = 0;
      continue;
    }
    if (ec) {
      // EMFILE, ENFILE, ENOBUFS, ENOMEM: the connection waits in the backlog; back off instead of
      // spinning on it (10 ms doubling to 1 s), and say so at most every 10 s
      backoff_ms = std::min(1000, std::max(10, backoff_ms * 2));
      if (std::chrono::steady_clock::now() - last_warning > std::chrono::seconds(10)) {
        last_warning = std::chrono::steady_clock::now();
        opt.log.message("warn", "cannot accept connections (" + ec.message() + "); retrying");
      }
      continue;
    }
    backoff_ms = 0;
    socket.non_blocking(false, ec);
    socket.set_option(tcp::no_delay(true), ec);
    if (g_open >= opt.max_connections) {
      answer_now(socket, http::status::service_unavailable,
                 "Too many connections: " + std::to_string(opt.max_connections) + " are open (--max-connections)");
      continue;
    }
    ++g_open;
    std::shared_ptr<tcp::socket> conn;
    try {
      conn = std::make_shared<tcp::socket>(std::move(socket));
      std::thread(session, conn, std::cref(handler), std::cref(opt)).detach();
    } catch (const std::exception& e) {  // no thread (or memory) to be had: this connection gets 503, the server goes on
      --g_open;
      if (std::chrono::steady_clock::now() - last_warning > std::chrono::seconds(10)) {
        last_warning = std::chrono::steady_clock::now();
        opt.log.message("warn", std::string("cannot start a thread for a connection (") + e.what() + ")");
      }
      try {
        answer_now(conn ? *conn : socket, http::status::service_unavailable, "The server has no thread to serve this connection; try again");
      } catch (const std::exception&) {
      }
    }
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
