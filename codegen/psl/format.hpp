// `prisma-cpp format`: the canonical layout of `prisma format` (aligned columns, blank lines and
// comments normalised, block attributes last). Idempotent.
#pragma once
#include <string>
#include <vector>

#include "psl/ast.hpp"
#include "psl/source.hpp"

namespace prisma_cpp::psl {

struct FormatOptions {
  // Prisma 7 sorts field attributes (@id @unique @default @updatedAt @map @relation @ignore,
  // then the rest) and block attributes (@@id @@unique @@index @@fulltext @@map, then the
  // rest). Set this to keep them in the order written instead.
  bool keep_attribute_order = false;
};

// One output text per input file, in the same order. The files must have parsed (no syntax
// errors); the formatter works from the tree and the source text only.
std::vector<std::string> format_files(const SourceSet& sources,
                                      const std::vector<ast::SchemaFile>& files,
                                      const FormatOptions& options = {});

// Convenience: one file, no path.
std::string format_text(const std::string& text, const FormatOptions& options = {});

}  // namespace prisma_cpp::psl
