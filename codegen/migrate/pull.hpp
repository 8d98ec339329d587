// db pull: a Prisma schema from what a database holds (a Catalog), with Prisma's introspection
// rules for the common cases: models named as their tables (sanitised names get @@map / @map),
// scalar types from the column types (native types as @db.* on PostgreSQL, Unsupported("...")
// otherwise), @id / @@id, @unique / @@unique / @@index (map: when the name is not Prisma's
// default), defaults (autoincrement(), now(), literals, enum values, dbgenerated("...")), enums,
// and relations from foreign keys on both sides (named after the models, as Prisma names them).
#pragma once
#include <map>
#include <set>
#include <string>

#include "migrate/differ.hpp"

namespace prisma_cpp::migrate {

// What re-introspection keeps from the schema being rewritten: the names the team gave (models
// over their tables, fields over their columns, relation fields), and @updatedAt.
struct Existing {
  std::map<std::string, std::string> model_of_table;   // table -> model
  std::vector<std::string> table_order;                // the models' order in the schema (kept)
  std::map<std::string, std::string> field_of_column;  // "table.column" -> field
  std::set<std::string> updated_at;                    // "table.column"
  // "childTable|fkColumn,..." -> (the field on the child, the field on the parent)
  std::map<std::string, std::pair<std::string, std::string>> relation_fields;
  // multiSchema: the datasource's `schemas` (the catalog was read over them): each model and enum
  // gets @@schema, in the namespaces' order
  std::vector<std::string> namespaces;
};

// The models and enums, unformatted (run the formatter on the result); `header` (the datasource
// and generator blocks of the existing schema, or a new datasource) goes first. What the schema
// language cannot say gets Prisma's `///` comment on its model and a line in `warnings`
// ("check: Model: \"x\", constraint: \"y\"", "deferring: Model: \"x\", constraint: \"y\"").
std::string schema_from_catalog(const Catalog& catalog, emit::Dialect dialect, const std::string& header,
                                const Existing& existing = {}, std::vector<std::string>* warnings = nullptr);

}  // namespace prisma_cpp::migrate
