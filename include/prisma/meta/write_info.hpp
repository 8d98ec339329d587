// The schema's models and relations as plain data: what the nested-write executor
// (client/write_executor.hpp) needs of them (tables, columns, keys, relation sides). The
// generator writes these constants into the generated library (<ns>/nested_<k>.cpp), one
// ModelInfo per model and one RelationInfo per relation field, and declares them in the model
// headers (`model_traits<M>::write_info`, a relation descriptor's `write_info`); the run-time
// engine builds the same structs from the schema it loads.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "prisma/meta/kinds.hpp"

namespace prisma::write {

struct Column {
  std::string_view name, db_name;
  meta::ScalarKind kind = meta::ScalarKind::String;
  std::uint32_t flags = 0;
  meta::DefaultKind default_kind = meta::DefaultKind::None;
  std::string_view default_literal{};  // nanoid(n)'s n
};

// A relation whose foreign key the model holds and must have (create checks it is given).
struct RequiredRelation {
  std::string_view name;
  std::span<const std::size_t> local;
};

struct RelationInfo;

// A referential action (`onDelete:` / `onUpdate:` of @relation).
using Action = meta::ReferentialAction;

// With relationMode = "prisma" the database has no foreign keys and the client carries out the
// referential actions: a relation whose foreign key another model holds, pointing at this model
// (the other model's side: relation->model holds the key, relation->target is this model), and
// what a delete of this model's row, or a change of the columns it references, does to the rows
// that point at it.
struct Referrer {
  const RelationInfo* relation = nullptr;
  Action on_delete = Action::Restrict, on_update = Action::Cascade;  // as the schema resolved them
};

struct ModelInfo {
  std::string_view name, db_name, schema;
  std::span<const Column> columns;
  std::span<const std::size_t> key;  // the primary key, else the first unique key
  std::string_view column_list;      // every column, quoted, in column order
  std::span<const RequiredRelation> required;
  std::span<const Referrer> referrers{};  // relationMode = "prisma" only: the actions to emulate
};

struct RelationInfo {
  std::string_view name, relation_name;
  const ModelInfo* model = nullptr;
  const ModelInfo* target = nullptr;
  meta::RelationKind kind = meta::RelationKind::OneToMany;
  bool is_list = false, owns_foreign_key = false;
  bool can_disconnect = false;  // the foreign key is optional, or many-to-many
  bool foreign_key_optional = false;
  std::span<const std::size_t> local, remote;  // this model's key columns, the target's
  // The implicit m:n join table: its schema (model A's on PostgreSQL, as Prisma places it), name,
  // and its columns pointing at this model and at the target.
  std::string_view join_schema, join_table, join_local, join_remote;
};

}  // namespace prisma::write
