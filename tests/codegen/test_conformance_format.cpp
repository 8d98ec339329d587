// Prisma's own reformat tests (psl/reformatter, reformatter_multi_file, reformat_inline): our
// `format` output against Prisma's, byte for byte, with the pass rate per kind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <vector>

#include "conformance_dir.hpp"
#include "psl/format.hpp"
#include "psl/parser.hpp"

namespace fs = std::filesystem;
using namespace prisma_cpp;

namespace {

// The pass counts reached so far (a ratchet: the test fails when a change lowers them).
constexpr int kReformatterAtLeast = 12;  // of 12
constexpr int kMultiFileAtLeast = 4;     // of 4
constexpr int kInlineAtLeast = 62;       // of 62

std::vector<std::string> format_set(const std::vector<std::pair<std::string, std::string>>& files) {
  psl::SourceSet set;
  for (const auto& [p, t] : files) set.files.emplace_back(p, t);
  psl::Diagnostics diags;
  std::vector<psl::ast::SchemaFile> asts;
  for (std::uint32_t i = 0; i < set.files.size(); ++i) asts.push_back(psl::parse(set[i], i, diags));
  return psl::format_files(set, asts);
}

struct Tally {
  int passed = 0, total = 0;
  std::vector<std::string> failures;
  void add(bool ok, const std::string& name) {
    ++total;
    if (ok) ++passed;
    else failures.push_back(name);
  }
};

Tally single_pairs(const fs::path& dir) {
  Tally t;
  std::vector<fs::path> inputs;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    auto name = e.path().filename().string();
    if (e.is_regular_file() && name.ends_with(".prisma") && !name.ends_with(".reformatted.prisma"))
      inputs.push_back(e.path());
  }
  std::sort(inputs.begin(), inputs.end());
  for (const auto& in : inputs) {
    fs::path expected = in;
    expected.replace_extension(".reformatted.prisma");
    std::string want = fs::exists(expected) ? prisma_test::read_file(expected) : "";
    std::string got = format_set({{in.string(), prisma_test::read_file(in)}})[0];
    t.add(got == want, fs::relative(in, dir).string());
  }
  return t;
}

void report(const char* kind, const Tally& t) {
  std::cout << "reformat " << kind << ": " << t.passed << "/" << t.total << " passed\n";
  for (const auto& f : t.failures) std::cout << "  differs: " << f << "\n";
}

}  // namespace

TEST_CASE("Prisma's reformat tests give the same layout", "[conformance][format]") {
  fs::path root = prisma_test::conformance_dir() / "psl";
  Tally reformatter = single_pairs(root / "reformatter");
  Tally inline_pairs = single_pairs(root / "reformat_inline");
  Tally multi;
  for (const auto& e : fs::directory_iterator(root / "reformatter_multi_file")) {
    if (!e.is_directory() || e.path().extension() == ".reformatted") continue;
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<fs::path> paths;
    for (const auto& f : fs::directory_iterator(e.path())) paths.push_back(f.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) files.emplace_back(p.string(), prisma_test::read_file(p));
    auto got = format_set(files);
    bool ok = true;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      fs::path want = e.path().string() + ".reformatted";
      want /= paths[i].filename();
      ok = ok && fs::exists(want) && prisma_test::read_file(want) == got[i];
    }
    multi.add(ok, e.path().filename().string());
  }
  std::cout << "reformat: " << reformatter.passed + multi.passed + inline_pairs.passed << "/"
            << reformatter.total + multi.total + inline_pairs.total << " passed\n";
  report("reformatter", reformatter);
  report("reformatter_multi_file", multi);
  report("reformat_inline", inline_pairs);
  // Every kind must have been found: a moved folder must not pass as "nothing failed".
  CHECK(reformatter.total >= 12);
  CHECK(multi.total >= 4);
  CHECK(inline_pairs.total >= 62);
  CHECK(reformatter.passed >= kReformatterAtLeast);
  CHECK(multi.passed >= kMultiFileAtLeast);
  CHECK(inline_pairs.passed >= kInlineAtLeast);
}

TEST_CASE("format is idempotent on every conformance schema, syntax errors or not", "[conformance][format]") {
  fs::path root = prisma_test::conformance_dir();
  int checked = 0, with_errors = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".prisma") continue;
    psl::SourceSet set;
    set.files.emplace_back(e.path().string(), prisma_test::read_file(e.path()));
    psl::Diagnostics diags;
    auto ast = psl::parse(set[0], 0, diags);
    if (diags.has_errors()) ++with_errors;
    std::string once = psl::format_files(set, {ast})[0];
    INFO(e.path().string());
    CHECK(psl::format_text(once) == once);
    ++checked;
  }
  CHECK(checked > 300);
  CHECK(with_errors > 0);
}

TEST_CASE("Prisma's reformatted outputs are left unchanged by format", "[conformance][format]") {
  fs::path root = prisma_test::conformance_dir() / "psl";
  int checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    auto p = e.path().string();
    bool expected = p.ends_with(".reformatted.prisma") ||
                    (e.path().parent_path().extension() == ".reformatted" && p.ends_with(".prisma"));
    if (!e.is_regular_file() || !expected) continue;
    std::string text = prisma_test::read_file(e.path());
    INFO(p);
    CHECK(psl::format_text(text) == text);
    ++checked;
  }
  CHECK(checked >= 80);
}
