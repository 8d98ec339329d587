// The dialect rules (sql/dialect.hpp) that the typed client runs at compile time and the engine at
// run time: the same function gives the same text either way.
#include <prisma/sql/dialect.hpp>
#include <prisma/sql/filters.hpp>
#include <prisma/sql/statements.hpp>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

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

// Statement shapes (sql/statements.hpp) over compile-time parts, as the typed client renders them.
constexpr auto paged_select = build([](auto& s) {
  std::size_t p = 2;
  select(s, Dialect::Postgresql, {.where = true, .order = true, .take = true}, Piece{"\"id\""}, Piece{"\"User\""},
         Piece{"\"age\" > $1"}, Piece{"\"id\" ASC"}, p);
});
static_assert(paged_select.view() == "SELECT \"id\" FROM \"User\" WHERE \"age\" > $1 ORDER BY \"id\" ASC LIMIT $2");
constexpr auto two_rows = build([](auto& s) {
  constexpr std::string_view cols[] = {"a", "b"};
  insert(
      s, Dialect::Postgresql, Table{"billing", "Invoice"}, 2, [&](auto& o, std::size_t i) { quote_ident(o, cols[i]); }, 2,
      [](auto& o, std::size_t r, std::size_t i) { placeholder(o, Dialect::Postgresql, r * 2 + i + 1); },
      Ending{true, "\"a\""});
});
static_assert(two_rows.view() ==
              "INSERT INTO \"billing\".\"Invoice\" (\"a\", \"b\") VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING "
              "RETURNING \"a\"");
constexpr auto cursor_rows = build([](auto& s) {
  constexpr std::string_view cols[] = {"\"n\"", "\"id\""};
  after_cursor(
      s, 2, [&](auto& o, std::size_t i) { o.append(cols[i]); }, [](auto& o, std::size_t i) { o.append(i ? "y" : "x"); },
      [](std::size_t i) { return i == 0; });
});
static_assert(cursor_rows.view() == "((\"n\" < x) OR (\"n\" = x AND \"id\" >= y))");

// Filter shapes (sql/filters.hpp), as the typed filter nodes render them.
constexpr auto some_filter = build([](auto& s) {
  junction(s, false, 2, false, [](auto& o, std::size_t i) {
    if (i == 0) compare(o, [](auto& c) { lower(c, Piece{"\"email\""}); }, Cmp::Eq, [](auto& v) { lower(v, Piece{"$1"}); });
    else negation(o, [](auto& n) { null_test(n, Piece{"\"name\""}, false); });
  });
});
static_assert(some_filter.view() == "(LOWER(\"email\") = LOWER($1) OR NOT (\"name\" IS NOT NULL))");

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

TEST_CASE("statement shapes give the same SQL at compile time and at run time", "[core][sql]") {
  Dialect pg = Dialect::Postgresql;
  std::string cond = "\"age\" > $1";  // parts of run-time text, as the engine passes them
  CHECK(at_run_time([&](auto& s) {
          std::size_t p = 2;
          select(s, pg, {.where = !cond.empty(), .order = true, .take = true}, Piece{"\"id\""}, Piece{"\"User\""},
                 Piece{cond}, Piece{"\"id\" ASC"}, p);
        }) == paged_select.view());
  std::vector<std::string> cols = {"a", "b"};
  CHECK(at_run_time([&](auto& s) {
          insert(
              s, pg, Table{"billing", "Invoice"}, cols.size(), [&](auto& o, std::size_t i) { quote_ident(o, cols[i]); }, 2,
              [&](auto& o, std::size_t r, std::size_t i) { placeholder(o, pg, r * 2 + i + 1); }, Ending{true, "\"a\""});
        }) == two_rows.view());
  CHECK(at_run_time([&](auto& s) {
          after_cursor(
              s, 2, [](auto& o, std::size_t i) { o.append(i ? "\"id\"" : "\"n\""); },
              [](auto& o, std::size_t i) { o.append(i ? "y" : "x"); }, [](std::size_t i) { return i == 0; });
        }) == cursor_rows.view());
  // an update's assignments: set, arithmetic, a list's push; an update that changes nothing
  CHECK(at_run_time([&](auto& s) {
          update(
              s, pg, Table{"", "Post"},
              [&](auto& o) {
                assignment(o, "title", Assign::Set, Piece{"$1"});
                o.append(", ");
                assignment(o, "views", Assign::Add, Piece{"$2"});
                o.append(", ");
                assignment(o, "tags", Assign::Push, Piece{"$3"});
              },
              false, None{});
        }) == "UPDATE \"Post\" SET \"title\" = $1, \"views\" = \"views\" + $2, \"tags\" = \"tags\" || $3");
  CHECK(at_run_time([&](auto& s) { unchanged(s, "id"); }) == "\"id\" = \"id\"");
  // a relation's rows: 1:n by its key columns, m:n through the join table
  auto rel = [&](Related r, std::size_t keys) {
    return at_run_time([&](auto& s) {
      related_from(
          s, pg, r, Piece{"\"r1\""}, Piece{"\"j1\""}, Piece{"\"User\""}, keys,
          [](std::size_t i) { return i ? std::string_view("b") : std::string_view("authorId"); },
          [](std::size_t i) { return i ? std::string_view("y") : std::string_view("id"); });
    });
  };
  CHECK(rel(Related{{"", "Post"}, {}, {}, {}}, 2) ==
        " FROM \"Post\" AS \"r1\" WHERE \"r1\".\"authorId\" = \"User\".\"id\" AND \"r1\".\"b\" = \"User\".\"y\"");
  CHECK(rel(Related{{"", "Tag"}, {"app", "_PostToTag"}, "B", "A"}, 1) ==
        " FROM \"app\".\"_PostToTag\" AS \"j1\" JOIN \"Tag\" AS \"r1\" ON \"r1\".\"authorId\" = \"j1\".\"B\" WHERE "
        "\"j1\".\"A\" = \"User\".\"id\"");
}

TEST_CASE("filter shapes give the same SQL at compile time and at run time", "[core][sql]") {
  std::vector<std::string> parts = {"LOWER(\"email\") = LOWER($1)", "NOT (\"name\" IS NOT NULL)"};  // the engine's
  CHECK(at_run_time([&](auto& s) {
          junction(s, false, parts.size(), false, [&](auto& o, std::size_t i) { o.append(parts[i]); });
        }) == some_filter.view());
  CHECK(at_run_time([&](auto& s) { list_has(s, Piece{"\"tags\""}, Piece{"$2"}); }) == "$2 = ANY(\"tags\")");
  CHECK(at_run_time([&](auto& s) { list_compare(s, Piece{"\"tags\""}, ListCmp::HasEvery, Piece{"$2"}); }) ==
        "\"tags\" @> $2");
  CHECK(at_run_time([&](auto& s) { list_is_empty(s, Piece{"\"tags\""}); }) == "cardinality(\"tags\") = 0");
  CHECK(at_run_time([&](auto& s) {
          in_items(s, Piece{"\"id\""}, true, 2, [](auto& o, std::size_t i) { o.append(i ? "$2" : "$1"); });
        }) == "\"id\" NOT IN ($1, $2)");
  CHECK(at_run_time([&](auto& s) { constant(s, false); }) == "1 = 0");
  CHECK(at_run_time([&](auto& s) { narrowed(s, Piece{"a"}, Piece{"b OR c"}); }) == "a AND (b OR c)");
}
