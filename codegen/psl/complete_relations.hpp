// Relation completion for `format`, as `prisma format` does it: missing back-relation fields,
// forward relation fields, their scalar fields and `@relation(fields: [...], references: [...])`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "psl/ast.hpp"
#include "psl/source.hpp"

namespace prisma_cpp::psl::detail {

// Text to insert at byte `pos` of file `file` (sorted by file, then position).
struct Insertion {
  std::uint32_t file = 0;
  std::uint32_t pos = 0;
  std::string text;
};

// Empty when every relation is complete, or when names, types or relation arguments do not
// resolve (Prisma completes nothing then either). The files must be free of syntax errors.
std::vector<Insertion> complete_relations(const SourceSet& sources,
                                          const std::vector<ast::SchemaFile>& files);

}  // namespace prisma_cpp::psl::detail
