// Where Prisma's conformance material is (PRISMA_CPP_CONFORMANCE_DIR, set by the test command).
// A test that needs it fails when it is missing: nothing is skipped silently.
#pragma once
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace prisma_test {

inline std::filesystem::path conformance_dir() {
  const char* dir = std::getenv("PRISMA_CPP_CONFORMANCE_DIR");
  if (!dir || !*dir || !std::filesystem::is_directory(dir))
    FAIL("PRISMA_CPP_CONFORMANCE_DIR does not name a folder: point it at ../shared/conformance "
         "(scripts/dev test does)");
  return dir;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace prisma_test
