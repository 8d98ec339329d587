// Name resolution and validation: AST -> Schema IR, every error of the schema in one run.
#pragma once
#include <vector>

#include "psl/ast.hpp"
#include "psl/diagnostics.hpp"
#include "schema/ir.hpp"

namespace prisma_cpp::schema {

// Builds the IR of every block of every file (models may refer across files) and reports every
// problem to `diags`. The IR is complete enough to emit only when diags has no errors.
ir::Schema resolve(const psl::SourceSet& sources, const std::vector<psl::ast::SchemaFile>& files,
                   psl::Diagnostics& diags);

}  // namespace prisma_cpp::schema
