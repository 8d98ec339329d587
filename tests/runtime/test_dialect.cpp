// The dialect rules (sql/dialect.hpp) that the typed client runs at compile time and the engine at
// run time: the same function gives the same text either way.
#include <prisma/sql/dialect.hpp>

#include <catch2/catch.hpp>
#include <string>

using prisma::IsolationLevel;
using namespace prisma::sql;

namespace {

// Renders at compile time: a constant of the type, as the typed client's statements are.
template <Dialect D, bool Take, bool Skip>
constexpr auto paging = build([](auto& s) {
  std::size_t p = 3;
  limit_offset(s, D, Take, Skip, p);
});
template <Dialect D>
constexpr auto ordered = build([](auto& s) { order_column(s, D, "age", true, 2); });
template <Dialect D>
constexpr auto listed = build([](auto& s) {
  quote_ident(s, "id");
  in_list(s, D, true, 4);
});

static_assert(paging<Dialect::Sqlite, false, true>.view() == " LIMIT -1 OFFSET ?");
static_assert(paging<Dialect::Postgresql, true, true>.view() == " LIMIT $3 OFFSET $4");
static_assert(paging<Dialect::Postgresql, false, false>.view().empty());
static_assert(ordered<Dialect::Sqlite>.view() == "(\"age\" IS NULL) ASC, \"age\" DESC");
static_assert(ordered<Dialect::Postgresql>.view() == "\"age\" DESC NULLS LAST");
static_assert(listed<Dialect::Sqlite>.view() == "\"id\" NOT IN (SELECT value FROM json_each(?))");
static_assert(listed<Dialect::Postgresql>.view() == "\"id\" <> ALL($4)");
static_assert(begin(Dialect::Sqlite, IsolationLevel::ReadCommitted).empty());  // SQLite: Serializable only
static_assert(dialect_of_url("postgres://u@h/db") == Dialect::Postgresql);
static_assert(!dialect_of_url("mysql://u@h/db"));

// The same function at run time, over a std::string.
template <class F>
std::string at_run_time(F f) {
  std::string out;
  StringSink sink{out};
  f(sink);
  return out;
}

}  // namespace

TEST_CASE("dialect rules give the same SQL at compile time and at run time", "[core][sql]") {
  Dialect pg = Dialect::Postgresql, lite = Dialect::Sqlite;  // run-time values
  CHECK(at_run_time([&](auto& s) { std::size_t p = 3; limit_offset(s, lite, false, true, p); }) ==
        paging<Dialect::Sqlite, false, true>.view());
  CHECK(at_run_time([&](auto& s) { std::size_t p = 3; limit_offset(s, pg, true, true, p); }) ==
        paging<Dialect::Postgresql, true, true>.view());
  CHECK(at_run_time([&](auto& s) { order_column(s, lite, "age", true, 2); }) == ordered<Dialect::Sqlite>.view());
  CHECK(at_run_time([&](auto& s) { order_column(s, pg, "age", true, 2); }) == ordered<Dialect::Postgresql>.view());
  CHECK(at_run_time([&](auto& s) { like(s, pg, true, 2); }) == " ILIKE $2 ESCAPE '\\'");
  CHECK(at_run_time([&](auto& s) { like(s, lite, true, 2); }) == " LIKE ? ESCAPE '\\'");
  CHECK(at_run_time([&](auto& s) { qualified_name(s, pg, "billing", "In\"voice"); }) == "\"billing\".\"In\"\"voice\"");
  CHECK(at_run_time([&](auto& s) { qualified_name(s, lite, "billing", "Invoice"); }) == "\"Invoice\"");
  CHECK(begin(pg, IsolationLevel::RepeatableRead) == "BEGIN ISOLATION LEVEL REPEATABLE READ");
  CHECK(begin(lite, IsolationLevel::Default) == "BEGIN IMMEDIATE");
  CHECK(dialect_of_url("file:./dev.db") == Dialect::Sqlite);
  CHECK(!dialect_of_url("postgresfoo://x"));
}
