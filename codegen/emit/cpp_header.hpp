// The generated C++ header: model structs, enums, column and relation handles, model metadata.
#pragma once
#include <string>

#include "schema/ir.hpp"

namespace prisma_cpp::emit {

struct CppOptions {
  std::string ns = "db";            // C++ namespace of the generated code
  std::string schema_path;          // recorded in the header's comment
  std::string schema_dir;           // absolute; `file:` URLs in the schema are relative to it
                                    // (empty: relative to the working directory at run time)
  std::string version_field = "version";  // optimistic locking: the generator's `versionField`
};

std::string cpp_header(const ir::Schema& schema, const CppOptions& options);

}  // namespace prisma_cpp::emit
