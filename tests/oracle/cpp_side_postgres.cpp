// The prisma-cpp side of tests/oracle/storage_roundtrip_postgres.sh: with "write", creates one
// Member (every field set), its Profile, a Post and an AuditLog of the PostgreSQL kitchen sink;
// then reads every row of those four models back and prints every field. Each read is caught on
// its own, so a value prisma-cpp cannot read shows as "ERROR ..." instead of ending the run.
#include <kitchen/all.hpp>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
using namespace prisma;
using namespace kitchen;

namespace {
std::string s(const Bytes& v);
template <class T> std::string s(const std::vector<T>& v);
std::string s(const std::string& v) { return "\"" + v + "\""; }
std::string s(const std::optional<std::string>& v) { return v ? s(*v) : "null"; }
std::string s(const DateTime& v) { return v.to_iso(true); }
std::string s(const std::optional<DateTime>& v) { return v ? s(*v) : "null"; }
std::string s(const Decimal& v) { return v.str(); }
std::string s(const std::optional<Decimal>& v) { return v ? s(*v) : "null"; }
std::string s(const Json& v) { return v.text(); }
std::string s(const std::optional<Json>& v) { return v ? s(*v) : "null"; }
std::string s(std::int64_t v) { return std::to_string(v); }
std::string s(std::int32_t v) { return std::to_string(v); }
std::string s(bool v) { return v ? "true" : "false"; }
std::string s(double v) { char b[40]; return std::string(b, std::to_chars(b, b + sizeof b, v).ptr); }  // shortest round-trip, like JS
template <class T> std::string s(const std::optional<T>& v) { return v ? s(*v) : "null"; }
std::string s(const Bytes& v) {
  std::string out = "hex:";
  for (auto b : v) { char h[3]; std::snprintf(h, sizeof h, "%02x", static_cast<unsigned>(b)); out += h; }
  return out;
}
template <class T> std::string s(const std::vector<T>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + s(v[i]);
  return out + "]";
}

template <class F> void section(const char* name, F&& f) {
  try { f(); } catch (const std::exception& e) { std::printf("%s: ERROR %s\n", name, e.what()); }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: %s URL [write]\n", argv[0]); return 2; }
  auto db = Client::open(argv[1]);
  if (argc > 2 && std::string(argv[2]) == "write") {
    auto m = db.member.create({
        .handle = "ada", .email = "a@x.io", .role = Role::MODERATOR, .tier = Tier::GOLD,
        .nicknames = std::vector<std::string>{"a", "b c", "d\"e"}, .scores = std::vector<std::int32_t>{1, -2},
        .bio = "likes \"quotes\" and \\backslashes\\", .balance = Decimal("1234.56"),
        .karma = 9007199254740993LL, .rating = 0.1, .active = false,
        .avatar = Bytes{std::byte{0x00}, std::byte{0x7f}, std::byte{0xff}},
        .settings = Json(R"({"a":[1,"x"]})"),
        .joinedAt = DateTime::from_civil(2024, 1, 2, 3, 4, 5, 678),
        .birthday = DateTime::from_civil(1990, 5, 17)});
    db.profile.create({.memberId = m.id, .website = "https://ada.example/", .ip = "10.1.2.3",
                       .clock = DateTime::from_civil(1970, 1, 1, 12, 34, 56, 0), .weight = 1.5,
                       .code = "AB", .uid = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", .doc = "<a>1</a>",
                       .bits = "1010"});
    db.post.create({.title = "Hello", .views = 32000, .price = Decimal("12.34"), .authorId = m.id});
    db.auditLog.create({.actorId = "0b6c4f7e-1d2a-4c3b-9e8f-7a6b5c4d3e2f",
                        .payload = Json("{\"k\":[true,null,1.5,\"\xc3\xa9\"]}"),  // é as UTF-8, as JSON.stringify writes it
                        .blob = Bytes{std::byte{0x01}, std::byte{0x00}, std::byte{0xfe}},
                        .small = -7, .big = -9007199254740993LL, .dbl = 0.30000000000000004});
    // Edge values: empty list / bytes / string, rounding on the column's precision, a date at
    // 23:30 UTC, a time with milliseconds into Time(0), money with a thousands separator.
    auto b = db.member.create({
        .handle = "bob", .email = "b@x.io", .role = Role::ADMIN, .tier = Tier::FREE,
        .nicknames = std::vector<std::string>{}, .bio = "", .balance = Decimal("0.005"),
        .karma = INT64_MIN, .rating = 5e-324, .active = true, .avatar = Bytes{},
        .settings = Json(R"({"q":"a\"b\\c\n","u":"é😀"})"),
        .joinedAt = DateTime::from_civil(2024, 1, 2, 3, 4, 5, 0),
        .birthday = DateTime::from_civil(1990, 5, 17, 23, 30, 0, 0)});
    db.profile.create({.memberId = b.id, .ip = "::1", .clock = DateTime::from_civil(1970, 1, 1, 12, 34, 56, 789),
                       .weight = 0.1, .code = "ABCDEFGH", .uid = "6F1C2A3B-4D5E-4F60-8A7B-9C0D1E2F3A4B",
                       .doc = "<b>&amp;</b>", .bits = "0000"});
    db.post.create({.title = "Big", .views = -32768, .price = Decimal("1234567.891"), .authorId = b.id});
    db.auditLog.create({.blob = Bytes{}, .small = 32767, .big = INT64_MIN, .dbl = -0.0});
  }
  section("member", [&] {
    for (auto& m : db.member.find_many())
      std::printf("member id=%s handle=%s email=%s role=%s tier=%s nicknames=%s scores=%s bio=%s balance=%s "
                  "karma=%s rating=%s active=%s avatar=%s settings=%s joinedAt=%s birthday=%s updatedAt=%s "
                  "version=%s mentorId=%s\n",
                  s(m.id).c_str(), s(m.handle).c_str(), s(m.email).c_str(), std::string(to_string(m.role)).c_str(),
                  std::string(to_string(m.tier)).c_str(), s(m.nicknames).c_str(), s(m.scores).c_str(), s(m.bio).c_str(),
                  s(m.balance).c_str(), s(m.karma).c_str(), s(m.rating).c_str(), s(m.active).c_str(),
                  s(m.avatar).c_str(), s(m.settings).c_str(), s(m.joinedAt).c_str(), s(m.birthday).c_str(),
                  s(m.updatedAt).c_str(), s(m.version).c_str(), s(m.mentorId).c_str());
  });
  section("profile", [&] {
    for (auto& p : db.profile.find_many())
      std::printf("profile id=%s memberId=%s website=%s ip=%s clock=%s weight=%s code=%s uid=%s doc=%s bits=%s\n",
                  s(p.id).c_str(), s(p.memberId).c_str(), s(p.website).c_str(), s(p.ip).c_str(), s(p.clock).c_str(),
                  s(p.weight).c_str(), s(p.code).c_str(), s(p.uid).c_str(), s(p.doc).c_str(), s(p.bits).c_str());
  });
  section("post", [&] {
    for (auto& p : db.post.find_many())
      std::printf("post id=%s slug=%s title=%s body=%s published=%s views=%s price=%s authorId=%s editorId=%s "
                  "createdAt=%s updatedAt=%s\n",
                  s(p.id).c_str(), s(p.slug).c_str(), s(p.title).c_str(), s(p.body).c_str(), s(p.published).c_str(),
                  s(p.views).c_str(), s(p.price).c_str(), s(p.authorId).c_str(), s(p.editorId).c_str(),
                  s(p.createdAt).c_str(), s(p.updatedAt).c_str());
  });
  section("auditLog", [&] {
    for (auto& a : db.auditLog.find_many())
      std::printf("auditLog id=%s at=%s action=%s actorId=%s payload=%s nanoKey=%s ulidKey=%s uuid7=%s blob=%s "
                  "small=%s big=%s dbl=%s\n",
                  s(a.id).c_str(), s(a.at).c_str(), s(a.action).c_str(), s(a.actorId).c_str(), s(a.payload).c_str(),
                  s(a.nanoKey).c_str(), s(a.ulidKey).c_str(), s(a.uuid7).c_str(), s(a.blob).c_str(), s(a.small).c_str(),
                  s(a.big).c_str(), s(a.dbl).c_str());
  });
  // Filters on the stored values (equality per type), so a stored spelling that reads back fine
  // but does not compare equal still shows up.
  section("filters", [&] {
    std::printf("filter member role=MODERATOR&&joinedAt&&balance&&birthday: %lld\n",
                (long long)db.member.count(where(member::role == Role::MODERATOR &&
                                                 member::joinedAt == DateTime::from_civil(2024, 1, 2, 3, 4, 5, 678) &&
                                                 member::balance == Decimal("1234.56") &&
                                                 member::birthday == DateTime::from_civil(1990, 5, 17))));
  });
}
