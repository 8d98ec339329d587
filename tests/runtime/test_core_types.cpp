// The runtime's value types: DateTime, Decimal, Json and fixed_string.
#include <catch2/catch.hpp>

#include "prisma/core/fixed_string.hpp"
#include "prisma/core/types.hpp"

using prisma::DateTime;
using prisma::Decimal;

TEST_CASE("DateTime writes Prisma 7's SQLite text form", "[core]") {
  auto t = DateTime::from_civil(2024, 5, 6, 7, 8, 9, 123);
  CHECK(t.to_iso() == "2024-05-06T07:08:09.123+00:00");
  CHECK(t.to_iso(true) == "2024-05-06T07:08:09.123Z");
  CHECK(DateTime::from_unix_ms(0).to_iso() == "1970-01-01T00:00:00.000+00:00");
  CHECK(DateTime::from_unix_ms(-1).to_iso() == "1969-12-31T23:59:59.999+00:00");
}

TEST_CASE("DateTime reads every form found in Prisma databases", "[core]") {
  auto t = DateTime::from_civil(2024, 5, 6, 7, 8, 9, 123);
  CHECK(DateTime::parse("2024-05-06T07:08:09.123+00:00") == t);
  CHECK(DateTime::parse("2024-05-06T07:08:09.123Z") == t);
  CHECK(DateTime::parse("2024-05-06T09:08:09.123+02:00") == t);
  CHECK(DateTime::parse("2024-05-06T07:08:09.123456Z") == t);  // microseconds truncate
  CHECK(DateTime::parse("2024-05-06 07:08:09") == DateTime::from_civil(2024, 5, 6, 7, 8, 9));
  CHECK(DateTime::parse("2024-05-06") == DateTime::from_civil(2024, 5, 6));
  CHECK(DateTime::parse("2024-05-06T07:08:09.123-0130").unix_ms() ==
        t.unix_ms() + 90 * 60 * 1000);
}

TEST_CASE("DateTime rejects text that is not a date-time", "[core]") {
  for (const char* bad : {"", "2024", "2024-13-01", "2024-05-06T25:00:00Z", "2024-05-06X",
                          "2024-05-06T07:08:09.Z", "yesterday", "2024-05-06T07:08:09+0"})
    CHECK_THROWS_AS(DateTime::parse(bad), prisma::ValueError);
}

TEST_CASE("Decimal keeps exact canonical text", "[core]") {
  CHECK(Decimal("12.3450").str() == "12.345");
  CHECK(Decimal("-0.00").str() == "0");
  CHECK(Decimal("+007").str() == "7");
  CHECK(Decimal(".5").str() == "0.5");
  CHECK(Decimal("1.5e3").str() == "1500");
  CHECK(Decimal("15e-3").str() == "0.015");
  CHECK(Decimal("123456789012345678901234567890.123456789").str() ==
        "123456789012345678901234567890.123456789");
  CHECK_THROWS_AS(Decimal("1.2.3"), prisma::ValueError);
  CHECK_THROWS_AS(Decimal("abc"), prisma::ValueError);
  CHECK_THROWS_AS(Decimal("1e"), prisma::ValueError);
}

TEST_CASE("Decimal compares by value", "[core]") {
  CHECK(Decimal("1.50") == Decimal("1.5"));
  CHECK(Decimal("-2") < Decimal("-1.5"));
  CHECK(Decimal("10") > Decimal("9.99"));
  CHECK(Decimal("0.1") < Decimal("0.10001"));
  CHECK(Decimal("-0.1") > Decimal("-0.10001"));
}

TEST_CASE("Json::string escapes like JSON.stringify", "[core]") {
  CHECK(prisma::Json::string("a\"b\\c\n\x01").text() == "\"a\\\"b\\\\c\\n\\u0001\"");
  CHECK(prisma::Json().text() == "null");
}

TEST_CASE("fixed_string works in constant expressions and as a template argument", "[core]") {
  constexpr prisma::fixed_string a = "SELECT ";
  constexpr prisma::fixed_string b = "\"id\"";
  constexpr auto c = a + b;
  STATIC_REQUIRE(c.view() == "SELECT \"id\"");
  STATIC_REQUIRE(c.size() == 11);
}

#include <regex>
#include <set>

#include "prisma/core/ids.hpp"

TEST_CASE("client-side ids have Prisma's shapes and do not repeat", "[core]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto u4 = prisma::ids::uuid_v4(), u7 = prisma::ids::uuid_v7(), c = prisma::ids::cuid(),
         n = prisma::ids::nanoid(), u = prisma::ids::ulid();
    CHECK(std::regex_match(u4, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
    CHECK(std::regex_match(u7, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
    CHECK(std::regex_match(c, std::regex("c[0-9a-z]{24}")));
    CHECK(std::regex_match(n, std::regex("[A-Za-z0-9_-]{21}")));
    CHECK(std::regex_match(u, std::regex("[0-9A-HJKMNP-TV-Z]{26}")));
    seen.insert(u4);
    seen.insert(c);
    seen.insert(n);
  }
  CHECK(seen.size() == 3000);
  CHECK(prisma::ids::nanoid(12).size() == 12);
}

TEST_CASE("DateTime converts to and from std::chrono and adds durations", "[core]") {
  using namespace std::chrono;
  using namespace std::chrono_literals;
  const DateTime t = DateTime::from_civil(2024, 2, 28, 23, 30);
  CHECK((t + 1h).to_iso() == "2024-02-29T00:30:00.000+00:00");  // a leap day
  CHECK((24h + t).to_iso() == "2024-02-29T23:30:00.000+00:00");
  CHECK((t - days(59)).to_iso() == "2023-12-31T23:30:00.000+00:00");
  CHECK((t + 1500us).unix_ms() == t.unix_ms() + 1);      // finer than ms: floored
  CHECK((t - 1500us).unix_ms() == t.unix_ms() - 2);      // toward the past
  CHECK((t + 1h) - t == 3600000ms);
  DateTime u = t;
  u += 30min;
  u -= 15min;
  CHECK(u - t == 15min);
  sys_time<milliseconds> tp = t;
  CHECK(tp.time_since_epoch().count() == t.unix_ms());
  CHECK(DateTime(sys_days{year{2024} / 2 / 29}) == DateTime::from_civil(2024, 2, 29));
  CHECK(DateTime(system_clock::time_point(1234567us)).unix_ms() == 1234);
  STATIC_REQUIRE((DateTime::from_unix_ms(0) + 1s).unix_ms() == 1000);
}
