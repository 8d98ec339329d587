// What the C++ emitters share (cpp_header.cpp, the headers; cpp_library.cpp, the generated
// library): each model's C++ names and column positions, the key columns of each relation field,
// a column's flags and default as the metadata carries them. Internal to emit/.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "emit/cpp_header.hpp"
#include "schema/ir.hpp"

namespace prisma_cpp::emit::cpp {

std::string cpp_scalar(ir::ScalarType t);
const char* scalar_kind(ir::ScalarType t);
const char* action_name(ir::ReferentialAction a);
std::string default_kind(const ir::DefaultValue& d);
std::string lower_first(const std::string& s);

struct ModelPlan {
  std::size_t index;
  std::string type;                     // C++ struct name
  std::string ns;                       // handle namespace (`user`)
  std::vector<std::size_t> columns;     // ir field indices of the struct members, in order
  std::vector<std::size_t> column_of;   // ir field index -> column position (npos if none)
  std::vector<std::size_t> relations;   // ir field indices of emitted relation fields
};

class CppPlan {
 public:
  CppPlan(const ir::Schema& s, const CppOptions& opt);

  const ir::Schema& s_;
  const CppOptions& opt_;
  std::vector<ModelPlan> model_plan_;  // by the IR's model index

  // Whether the provider has a Client (SQLite, PostgreSQL).
  bool has_client() const;
  // The provider's DDL member of prisma_schema (none for a provider without a client).
  const char* ddl_name() const;
  // The join keys of a relation field, seen from its own model: (local columns, remote columns).
  bool relation_keys(std::size_t mi, std::size_t fi, std::vector<std::size_t>* local = nullptr,
                     std::vector<std::size_t>* remote = nullptr) const;
  // A column's prisma::meta::flags, as C++ (the descriptor's and the library's metadata).
  std::string column_flags(const ModelPlan& p, std::size_t ci) const;
  // The default's literal a column's metadata carries (a literal, an enum value, dbgenerated's
  // SQL, nanoid's length), or "".
  static std::string default_literal(const ir::Field& f);

 private:
  void plan();
};

// The generated library (cpp_header.hpp lists its files).
std::vector<GeneratedFile> library_files(const CppPlan& plan);

}  // namespace prisma_cpp::emit::cpp
