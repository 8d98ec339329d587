// What the C++ emitters share (cpp_header.cpp, the headers; cpp_library.cpp, the generated
// library): each model's C++ names and column positions, the key columns of each relation field,
// a column's flags and default as the metadata carries them. Internal to emit/.
#pragma once
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "emit/cpp_header.hpp"
#include "schema/ir.hpp"
#include "schema/relation_side.hpp"

namespace prisma_cpp::emit::cpp {

std::string cpp_scalar(ir::ScalarType t);
const char* scalar_kind(ir::ScalarType t);
const char* action_name(ir::ReferentialAction a);
std::string default_kind(const ir::DefaultValue& d);
std::string lower_first(const std::string& s);
std::string upper_first(std::string s);
// `std::array<std::size_t, N>{a, b}` (positions in a generated header).
std::string index_array(const std::vector<std::size_t>& v);
// A string_view literal with its length written out (`{"email", 5}`): no constexpr strlen per
// use of the header; `{}` for an empty one.
std::string sv(const std::string& v);

struct ModelPlan {
  std::size_t index;
  std::string type;                     // C++ struct name
  std::string ns;                       // handle namespace (`user`)
  std::vector<std::size_t> columns;     // ir field indices of the struct members, in order
  std::vector<std::size_t> column_of;   // ir field index -> column position (npos if none)
  std::vector<std::size_t> relations;   // ir field indices of emitted relation fields
};

// One write input struct: `<Model>Create` / `<Model>Update`, or the `...Without<Field>` variant a
// nested write of the other side uses (that relation, and the foreign key scalars it fills, left
// out).
struct Input {
  std::size_t model;
  bool update;
  std::size_t without;  // ir field index of the relation left out, or npos
  std::string name;
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
  // relationMode = "prisma": the relations pointing at model `mi` whose actions the client
  // carries out (schema::referrers, those whose relation field is emitted), and the columns of
  // `mi` they reference (positions, ascending).
  std::vector<schema::Referrer> referrers(std::size_t mi) const;
  std::vector<std::size_t> referenced_columns(std::size_t mi) const;
  // A column's prisma::meta::flags, as C++ (the descriptor's and the library's metadata).
  std::string column_flags(const ModelPlan& p, std::size_t ci) const;
  // The default's literal a column's metadata carries (a literal, an enum value, dbgenerated's
  // SQL, nanoid's length), or "".
  static std::string default_literal(const ir::Field& f);

  // ---- write inputs ----
  // The relation field on the other side of relation field `fi` of model `mi` (npos if none).
  std::size_t back_field(std::size_t mi, std::size_t fi) const;
  // Whether relation field `fi` of model `mi` gets a nested-write member: both models writable,
  // the back field emitted too.
  bool nested_member(std::size_t mi, std::size_t fi) const;
  std::string input_name(std::size_t mi, bool update, std::size_t without) const;
  // The C++ type of relation field `fi`'s member in a create or update input of model `mi`:
  // `prisma::NestedCreateList<user::_relations::posts_, PostCreateWithoutAuthor>`, ...
  std::string relation_member_type(std::size_t mi, std::size_t fi, bool update) const;
  // The foreign key scalars relation field `fi` of model `mi` holds (empty on the back side).
  std::vector<std::size_t> fk_scalars(std::size_t mi, std::size_t fi) const;
  // The write inputs of one model: Create, its Without variants, Update, its Without variants.
  std::vector<Input> inputs_of(std::size_t mi) const;
  // The scalar members (column positions) and relation members (ir field indices) of an input,
  // and the foreign key scalars whose relation is a member too.
  void input_members(const Input& in, std::vector<bool>& has_column, std::vector<std::size_t>& relations,
                     std::set<std::size_t>& fk_with_member) const;

 private:
  void plan();
};

// The generated library (cpp_header.hpp lists its files).
std::vector<GeneratedFile> library_files(const CppPlan& plan);

}  // namespace prisma_cpp::emit::cpp
