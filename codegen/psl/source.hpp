// Source files of a schema and positions inside them (every AST node points back here).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace prisma_cpp::psl {

// A byte range [start, end) in one source file of the schema.
struct Span {
  std::uint32_t file = 0;
  std::uint32_t start = 0;
  std::uint32_t end = 0;
};

struct LineCol {
  std::uint32_t line = 1;  // 1-based
  std::uint32_t col = 1;   // 1-based, in bytes
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  LineCol line_col(std::uint32_t offset) const;
  // The text of 1-based line `line`, without its newline.
  std::string_view line_text(std::uint32_t line) const;
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

// All files of one schema (a single file or every .prisma file of a folder, sorted by name).
struct SourceSet {
  std::vector<SourceFile> files;
  const SourceFile& operator[](std::uint32_t i) const { return files[i]; }
};

}  // namespace prisma_cpp::psl
