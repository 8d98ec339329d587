#include "schema/load.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "psl/parser.hpp"
#include "schema/resolve.hpp"

namespace prisma_cpp::schema {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read schema file " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Loaded run(psl::SourceSet sources) {
  Loaded out;
  out.sources = std::move(sources);
  for (std::uint32_t i = 0; i < out.sources.files.size(); ++i)
    out.files.push_back(psl::parse(out.sources[i], i, out.diagnostics));
  // Name resolution on a tree with syntax errors still runs: it reports what it can (Prisma
  // does the same), and the emitters refuse to run while any error stands.
  out.schema = resolve(out.sources, out.files, out.diagnostics);
  return out;
}

}  // namespace

psl::SourceSet read_sources(const std::filesystem::path& path) {
  psl::SourceSet sources;
  if (std::filesystem::is_directory(path)) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(path))
      if (e.is_regular_file() && e.path().extension() == ".prisma") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty())
      throw std::runtime_error("no .prisma files in folder " + path.string());
    for (const auto& f : files) sources.files.emplace_back(f.string(), read_file(f));
  } else {
    if (!std::filesystem::exists(path))
      throw std::runtime_error("schema file " + path.string() + " does not exist");
    sources.files.emplace_back(path.string(), read_file(path));
  }
  return sources;
}

Loaded load_path(const std::filesystem::path& path) { return run(read_sources(path)); }

Loaded load_text(std::string text, std::string path) {
  psl::SourceSet sources;
  sources.files.emplace_back(std::move(path), std::move(text));
  return run(std::move(sources));
}

Loaded load_texts(std::vector<std::pair<std::string, std::string>> path_and_text) {
  psl::SourceSet sources;
  for (auto& [p, t] : path_and_text) sources.files.emplace_back(std::move(p), std::move(t));
  return run(std::move(sources));
}

}  // namespace prisma_cpp::schema
