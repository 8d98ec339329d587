// Prisma's own emitter tests (psl-extra of the conformance material, read in place from
// PRISMA_CPP_CONFORMANCE_DIR): DMMF datamodels and single-migration SQL against ours.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "emit/ddl.hpp"
#include "emit/json.hpp"
#include "json_value.hpp"
#include "schema/load.hpp"

namespace {

namespace fs = std::filesystem;

// The pass counts reached so far: the test fails if a change makes them drop.
constexpr int kDmmfAtLeast = 10;
constexpr int kMigrationSqlAtLeast = 11;

fs::path conformance_dir() {
  const char* dir = std::getenv("PRISMA_CPP_CONFORMANCE_DIR");
  if (!dir || !*dir || !fs::is_directory(dir))
    FAIL("PRISMA_CPP_CONFORMANCE_DIR does not name a folder: point it at ../shared/conformance "
         "(the test command sets it)");
  return dir;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> files_under(const fs::path& root, const std::string& extension) {
  std::vector<fs::path> out;
  if (fs::is_directory(root))
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file() && e.path().extension() == extension) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Trailing whitespace off every line, blank lines off the end.
std::string normalized(const std::string& text) {
  std::vector<std::string> lines = lines_of(text);
  for (auto& l : lines) l.erase(l.find_last_not_of(" \t\r") + 1);
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Upstream's single_migration_tests: the SQL is the `//` block after "// Expected Migration:".
std::string expected_migration(const std::string& text) {
  std::string out;
  bool in = false;
  for (const auto& line : lines_of(text)) {
    if (!in) {
      in = line.rfind("// Expected Migration:", 0) == 0;
      continue;
    }
    if (line.rfind("// ", 0) == 0) out += line.substr(3) + "\n";
    else if (line.rfind("//", 0) == 0) out += line.substr(2) + "\n";
  }
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

// Upstream runs each test against a database whose default schema is the test's own and already
// exists, where Prisma 7's `migrate diff --from-empty` uses `public`, creates it and leaves it
// unqualified. Both sides are brought to the same terms: no `"public".` qualifier in the expected
// SQL, and no CREATE SCHEMA "public" step in ours unless the datasource lists its schemas.
std::string harness_neutral(std::string ours, bool lists_schemas) {
  const std::string public_step = "-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS \"public\";\n\n";
  if (!lists_schemas && ours.rfind(public_step, 0) == 0) ours.erase(0, public_step.size());
  return ours;
}

std::string first_difference(const std::string& want, const std::string& got) {
  auto w = lines_of(want), g = lines_of(got);
  for (std::size_t i = 0; i < std::max(w.size(), g.size()); ++i) {
    std::string a = i < w.size() ? w[i] : "<end>", b = i < g.size() ? g[i] : "<end>";
    if (a != b) return "line " + std::to_string(i + 1) + ": expected `" + a + "`, ours `" + b + "`";
  }
  return "";
}

void report(const char* what, int passed, int total, const std::vector<std::string>& failures) {
  std::cout << what << ": " << passed << "/" << total << "\n";
  for (const auto& f : failures) std::cout << "  FAIL " << f << "\n";
}

}  // namespace

TEST_CASE("conformance: DMMF datamodels of Prisma's dmmf test files", "[conformance][dmmf]") {
  const fs::path root = conformance_dir() / "psl-extra/query-engine/dmmf/test_files";
  std::vector<fs::path> schemas = files_under(root, ".prisma");
  REQUIRE(!schemas.empty());
  int passed = 0;
  std::vector<std::string> failures;
  for (const auto& schema : schemas) {
    fs::path expected = schema;
    expected.replace_extension(".json");
    std::string name = fs::relative(schema, root).string();
    if (!fs::exists(expected)) {
      failures.push_back(name + ": no expected .json");
      continue;
    }
    auto loaded = prisma_cpp::schema::load_path(schema);
    if (!loaded.ok()) {
      failures.push_back(name + ": does not validate");
      continue;
    }
    try {
      std::string difference = prisma_test::json_difference(prisma_test::parse_json(read(expected)),
                                                            prisma_test::parse_json(prisma_cpp::emit::dmmf_json(loaded.schema)));
      if (difference.empty()) ++passed;
      else failures.push_back(name + ": " + difference);
    } catch (const std::exception& e) {
      failures.push_back(name + ": " + e.what());
    }
  }
  report("dmmf", passed, static_cast<int>(schemas.size()), failures);
  CHECK(passed >= kDmmfAtLeast);
}

TEST_CASE("conformance: SQL of Prisma's single-migration tests", "[conformance][ddl]") {
  const fs::path root = conformance_dir() / "psl-extra/schema-engine/sql-migration-tests";
  std::vector<fs::path> schemas = files_under(root, ".prisma");
  REQUIRE(!schemas.empty());
  int passed = 0, total = 0;
  std::vector<std::string> failures;
  for (const auto& schema : schemas) {
    std::string text = read(schema);
    std::string expected = expected_migration(text);
    std::string name = fs::relative(schema, root).string();
    if (expected.empty()) continue;  // not a migration test
    ++total;
    auto loaded = prisma_cpp::schema::load_path(schema);
    if (!loaded.ok()) {
      failures.push_back(name + ": does not validate");
      continue;
    }
    const auto& ds = loaded.schema.datasource;
    bool sqlite = loaded.schema.provider() == prisma_cpp::ir::Provider::Sqlite;
    bool lists_schemas = ds && !ds->schemas.empty();
    std::string ours = prisma_cpp::emit::ddl(loaded.schema, sqlite ? prisma_cpp::emit::Dialect::Sqlite
                                                                   : prisma_cpp::emit::Dialect::Postgresql);
    std::string want = normalized(replace_all(expected, "\"public\".", ""));
    std::string got = normalized(harness_neutral(ours, lists_schemas));
    if (want == got) ++passed;
    else failures.push_back(name + ": " + first_difference(want, got));
  }
  report("migration_sql", passed, total, failures);
  CHECK(total >= 11);
  CHECK(passed >= kMigrationSqlAtLeast);
}
