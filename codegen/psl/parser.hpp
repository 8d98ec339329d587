// Lexer and parser: Prisma Schema Language text -> ast::SchemaFile, syntax errors as diagnostics.
#pragma once
#include <cstdint>

#include "psl/ast.hpp"
#include "psl/diagnostics.hpp"

namespace prisma_cpp::psl {

// Never throws on bad input and always terminates; recovers at line/block boundaries so that
// every syntax error of a file is reported in one run.
ast::SchemaFile parse(const SourceFile& source, std::uint32_t file_index, Diagnostics& diags);

}  // namespace prisma_cpp::psl
