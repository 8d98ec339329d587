// Reading a schema from disk (one file or a folder of .prisma files) through parse and resolve.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "psl/ast.hpp"
#include "psl/diagnostics.hpp"
#include "schema/ir.hpp"

namespace prisma_cpp::schema {

struct Loaded {
  psl::SourceSet sources;
  std::vector<psl::ast::SchemaFile> files;
  ir::Schema schema;
  psl::Diagnostics diagnostics;
  bool ok() const { return !diagnostics.has_errors(); }
};

// The schema's files: one file, or every .prisma file under a folder (sorted by path).
// Throws std::runtime_error when the path cannot be read.
psl::SourceSet read_sources(const std::filesystem::path& path);

// Throws std::runtime_error only when the path cannot be read; schema problems are diagnostics.
Loaded load_path(const std::filesystem::path& path);

// From text already in memory (tests, fuzzing). `path` is only used in messages.
Loaded load_text(std::string text, std::string path = "schema.prisma");
Loaded load_texts(std::vector<std::pair<std::string, std::string>> path_and_text);

}  // namespace prisma_cpp::schema
