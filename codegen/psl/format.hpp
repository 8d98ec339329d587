// `prisma-cpp format`: the canonical layout of `prisma format` (aligned columns, blank lines and
// comments normalised, block attributes last). Idempotent.
#pragma once
#include <string>
#include <vector>

#include "psl/ast.hpp"
#include "psl/source.hpp"

namespace prisma_cpp::psl {

// One output text per input file, in the same order. The files must have parsed (no syntax
// errors); the formatter works from the tree and the source text only.
std::vector<std::string> format_files(const SourceSet& sources,
                                      const std::vector<ast::SchemaFile>& files);

std::string format_text(const std::string& text);  // convenience: one file, no path

}  // namespace prisma_cpp::psl
