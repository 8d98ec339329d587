// A relation seen from one of its fields: which side the field is, the key fields that join the
// two models, the foreign key's side and optionality, the m:n join table and its columns. Worked
// out here once, from the IR's relation (model A holds the foreign key; for m:n the name-sorted
// first), for everything that needs it: the generated headers and library (emit/), the run-time
// engine (serve/) and DMMF.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "schema/ir.hpp"

namespace prisma_cpp::schema {

struct RelationSide {
  const ir::Relation* relation = nullptr;
  std::size_t model = ir::npos, field = ir::npos;  // this side: the model and its relation field
  std::size_t target = ir::npos;                   // the related model
  std::size_t back = ir::npos;                     // the relation field on the other side
  bool is_a = false;          // this field is side A (the relation's model_a / field_a)
  bool many_to_many = false;
  bool holds_fk = false;      // this model's rows hold the foreign key (side A of a 1:1 / 1:n)
  // Every foreign-key field is optional (1:1 / 1:n): a row may point at nothing, so the relation
  // may be disconnected. False for m:n.
  bool foreign_key_optional = false;
  // The key fields that join the two models, pairwise (field indexes): this model's and the
  // target's. 1:1 / 1:n: the foreign key and the fields it references; m:n: the two ids.
  std::vector<std::size_t> local, remote;
  // m:n: whether both models have a single-field id (Prisma's condition for an implicit m:n).
  bool single_ids = true;
  // m:n: the join table ("_AToB"), in model A's schema as Prisma places it, and the join table's
  // columns that point at this model ("A" on side A) and at the target.
  std::string join_table, join_schema, join_self, join_other;
};

// The side of relation field `field` of model `model` (a field of kind Relation).
RelationSide relation_side(const ir::Schema& s, std::size_t model, std::size_t field);

// Whether the client emulates referential actions (datasource relationMode = "prisma").
bool emulates_relations(const ir::Schema& s);

// With relationMode = "prisma": the relations pointing at model `model` whose actions the client
// carries out: the relation fields (model, field) of the models that hold a foreign key to it
// (1:1 / 1:n, neither side @ignore'd), in the schema's order. Empty in relationMode "foreignKeys".
struct Referrer {
  std::size_t model = ir::npos, field = ir::npos;
  const ir::Relation* relation = nullptr;
};
std::vector<Referrer> referrers(const ir::Schema& s, std::size_t model);

}  // namespace prisma_cpp::schema
