// The prisma-cpp side of tests/oracle/storage_roundtrip.sh: writes one Thing, reads all back.
#include <oracle/all.hpp>
#include <cstdio>
using namespace prisma; using namespace oracle;
int main(int argc, char** argv) {
  auto db = Client::open(argv[1]);
  if (argc > 2) {
    db.thing.create({.name = "a", .flag = true, .big = 9007199254740993LL, .ratio = 2.25,
                     .price = Decimal("12.345"), .at = DateTime::parse("2024-01-02T03:04:05.678Z"),
                     .data = Json(R"({"a":[1,"x"]})"), .raw = Bytes{std::byte{1}, std::byte{2}, std::byte{255}},
                     .tier = Tier::GOLD});
  }
  for (auto& t : db.thing.find_many())
    std::printf("id=%d name=%s flag=%d big=%lld ratio=%g price=%s at=%s data=%s raw=%zu tier=%s uid=%s touched=%s\n", t.id, t.name.c_str(), t.flag,
      (long long)t.big, t.ratio, t.price.str().c_str(), t.at.to_iso(true).c_str(), t.data ? t.data->text().c_str() : "null",
      t.raw ? t.raw->size() : 0, std::string(to_string(t.tier)).c_str(), t.uid.c_str(), t.touched.to_iso(true).c_str());
  std::printf("gold+at+flag filter count: %lld\n", (long long)db.thing.count(where(thing::tier == Tier::GOLD && thing::at == DateTime::parse("2024-01-02T03:04:05.678Z") && thing::flag == true)));
}
