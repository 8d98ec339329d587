// The database a schema describes, as Prisma's schema engine computes it before rendering SQL:
// tables (model tables, then implicit m:n join tables), columns, keys, indexes and foreign keys in
// the order its migration steps come out. ddl_sqlite.cpp and ddl_postgres.cpp render it.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "emit/ddl.hpp"
#include "schema/ir.hpp"

namespace prisma_cpp::emit::detail {

struct PlanColumn {
  std::string name;
  const ir::Field* type_of = nullptr;            // the field whose type the column has
  bool nullable = false;
  bool list = false;
  bool autoincrement = false;                    // @default(autoincrement())
  const ir::DefaultValue* default_value = nullptr;
};

struct PlanIndexColumn {
  std::string name;
  std::optional<ir::SortOrder> sort;
  std::optional<std::string> operator_class;     // as in the IR: "JsonbPathOps" or `raw("...")`
};

struct PlanIndex {
  std::string name;
  bool unique = false;
  std::string algorithm;                         // "" or the IR's "Gin", "Hash", ...
  std::vector<PlanIndexColumn> columns;
  std::optional<std::string> where;              // a partial index's predicate, as the schema's raw("...")
};

struct PlanForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string referenced_table;
  std::string referenced_namespace;
  std::vector<std::string> referenced_columns;
  ir::ReferentialAction on_delete = ir::ReferentialAction::Restrict;
  ir::ReferentialAction on_update = ir::ReferentialAction::Cascade;
};

struct PlanTable {
  std::string name;
  std::string ns;                                // "public" unless @@schema says otherwise
  std::vector<PlanColumn> columns;
  std::string pk_name;
  std::vector<std::string> pk_columns;           // empty: no primary key
  std::vector<PlanIndex> indexes;                // without the primary key
  std::vector<PlanForeignKey> foreign_keys;
};

struct PlanExtension {
  std::string name;                              // the database name (`map:` or as written)
  std::string schema, version;
};

struct Plan {
  const ir::Schema* schema = nullptr;
  std::vector<std::string> namespaces;           // that hold a table or an enum, sorted
  std::vector<PlanExtension> extensions;         // sorted by name
  std::vector<const ir::Enum*> enums;
  std::vector<PlanTable> tables;
};

inline constexpr const char* default_namespace = "public";

Plan build_plan(const ir::Schema& schema, Dialect dialect);

// Renders the plan's steps; each step is a comment line and one statement.
struct Step {
  const char* kind;                              // "CreateTable", ...
  std::string sql;                               // without the trailing `;`
};
std::vector<Step> sqlite_steps(const Plan& plan);
std::vector<Step> postgres_steps(const Plan& plan);

// Helpers both renderers use.
std::string namespace_of(const ir::Schema& s, const std::optional<std::string>& declared);  // @@schema or public
std::string quoted(const std::string& identifier);              // "x"
std::string escape_single_quotes(const std::string& text);      // ' -> ''
const char* referential_action_sql(ir::ReferentialAction a);    // "SET NULL"
std::string operator_class_sql(const std::string& ir_operator_class);
const ir::Enum* enum_of(const Plan& plan, const ir::Field& f);

}  // namespace prisma_cpp::emit::detail
