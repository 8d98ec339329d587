// The generated C++ headers: model structs, enums, column and relation handles, model metadata,
// write inputs, and the Client.
#pragma once
#include <string>
#include <vector>

#include "schema/ir.hpp"

namespace prisma_cpp::emit {

struct CppOptions {
  std::string ns = "db";            // C++ namespace of the generated code
  std::string schema_path;          // recorded in the header's comment
  std::string schema_dir;           // absolute; `file:` URLs in the schema are relative to it
                                    // (empty: relative to the working directory at run time)
  std::string version_field = "version";  // optimistic locking: the generator's `versionField`
  unsigned shards = 1;              // how many nested_<k>.cpp the library's metadata is split into
  bool typed_sql = false;           // TypedSQL: client.hpp includes <ns>/sql.hpp, Models has `sql`
};

// One generated file, its path relative to the output folder (`<ns>/client.hpp`).
struct GeneratedFile {
  std::string path;
  std::string text;
};

// Every file of a schema's client, in a fixed order:
//   <ns>/enums.hpp           the schema's enums (every model header includes it)
//   <ns>/models/<Model>.hpp  one per model: its struct, handles, write inputs, repository and
//                            metadata; it includes only prisma/model.hpp (no client, no driver)
//                            and names the models it relates to by forward declaration
//   <ns>/client.hpp          the Client: a delegate per model, declared over forward-declared
//                            model structs, and the backend's runtime; no model header
//   <ns>/all.hpp             client.hpp and every model header
//   <ns>/nested_<k>.cpp      the generated library's metadata (options.shards files, a model in
//                            the file its name hashes to): each model's and relation's
//                            write::ModelInfo / RelationInfo as plain constants, no model header
//   <ns>/executor.cpp        the nested-write executor, compiled once (cpp_library.cpp)
//   <ns>/schema.cpp          the provider's DDL (client.hpp's prisma_schema refers to it)
std::vector<GeneratedFile> cpp_files(const ir::Schema& schema, const CppOptions& options);

// The files as one text (`generate --out -`, the goldens): each after a line
// `// ==== <path> ====`.
std::string cpp_header(const ir::Schema& schema, const CppOptions& options);

}  // namespace prisma_cpp::emit
