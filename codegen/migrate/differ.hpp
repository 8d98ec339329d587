// The migration differ: what a database holds (a Catalog, read from the database itself), and the
// SQL that turns one catalog into another, in the step layout of Prisma's `migrate diff --script`.
//
// Both sides of a diff are read from real databases of the same backend (a shadow database where
// the migration history, or a schema's from-empty DDL, was applied), so the backend normalises
// types and defaults the same way on both sides. What a created object looks like comes from the
// target schema's own from-empty steps (emit/ddl), so created tables, indexes, foreign keys and
// enums are byte-identical to Prisma's.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "emit/ddl.hpp"
#include "emit/ddl_plan.hpp"

namespace prisma::driver::sqlite { class Connection; }
namespace prisma::driver::postgres { class Connection; }

namespace prisma_cpp::migrate {

// Two defaults that differ only by their casts (`ARRAY[]::integer[]`, `ARRAY[]::bigint[]`): the same
// value, which Prisma's differ leaves alone (a column whose type changed keeps its default's text).
bool same_default(const std::optional<std::string>& a, const std::optional<std::string>& b);

struct Column {
  std::string name;
  std::string type;                        // as the database reports it
  bool not_null = false;
  std::optional<std::string> default_sql;  // as the database reports it
  bool autoincrement = false;
  bool operator==(const Column& o) const {
    return name == o.name && type == o.type && not_null == o.not_null && autoincrement == o.autoincrement &&
           same_default(default_sql, o.default_sql);
  }
};

struct Index {
  std::string name;
  bool unique = false;
  std::string definition;  // the database's own text, without schema qualification
  bool operator==(const Index&) const = default;
};

struct ForeignKey {
  std::string name;        // empty on SQLite (PRAGMA foreign_key_list has none)
  std::string definition;  // columns, referenced table and columns, actions
  bool operator==(const ForeignKey&) const = default;
};

// The foreign keys of two tables are the same, whatever order they were created in.
bool same_foreign_keys(const std::vector<ForeignKey>& a, const std::vector<ForeignKey>& b);

struct Table {
  std::string name;
  std::vector<Column> columns;  // in table order
  std::vector<std::string> primary_key;
  std::vector<Index> indexes;   // by name, without the primary key's; of two unique indexes over
                                // the same columns only the first by name (as Prisma's describer)
  std::vector<ForeignKey> foreign_keys;  // definitions without DEFERRABLE (deferred lists those)
  // What the schema language cannot say, noted by db pull and left out of comparisons (as Prisma
  // leaves them): constraints with non-default deferring, check constraints.
  std::vector<std::string> deferred;  // PostgreSQL: names of DEFERRABLE constraints
  std::vector<std::string> checks;    // PostgreSQL: names of check constraints
  std::string primary_key_name;       // PostgreSQL (db pull's `map:`; not compared)
  bool row_level_security = false;    // PostgreSQL
  std::vector<std::string> expression_indexes;  // PostgreSQL: indexes over expressions (not in `indexes`)
  std::vector<std::string> commented; // PostgreSQL: has COMMENT ON: "" (the table), column names
  const Column* column(const std::string& n) const;
  const Index* index(const std::string& n) const;
  bool operator==(const Table& o) const {
    return name == o.name && columns == o.columns && primary_key == o.primary_key && indexes == o.indexes &&
           same_foreign_keys(foreign_keys, o.foreign_keys);
  }
};

struct Enum {
  std::string name;
  std::vector<std::string> values;
  bool operator==(const Enum&) const = default;
};

struct Catalog {
  std::vector<Table> tables;  // by name, `_prisma_migrations` left out
  std::vector<Enum> enums;    // PostgreSQL
  std::vector<std::string> extensions;  // PostgreSQL: installed in the database (plpgsql aside)
  std::vector<std::string> namespaces;  // PostgreSQL: of the URL's schema and the schema's `schemas`, those that exist
  std::string default_namespace;        // PostgreSQL: the URL's schema (current_schema()); not compared
  const Table* table(const std::string& n) const;
  const Enum* enum_(const std::string& n) const;
  bool operator==(const Catalog& o) const {
    return tables == o.tables && enums == o.enums && extensions == o.extensions && namespaces == o.namespaces;
  }
};

Catalog introspect(prisma::driver::sqlite::Connection& c);
// PostgreSQL: the URL's schema, and `namespaces` (a multiSchema schema's `schemas`) beside it.
Catalog introspect(prisma::driver::postgres::Connection& c, const std::vector<std::string>& namespaces = {});

// A table's or enum's name in a Catalog: "name" in the URL's schema, "ns\x1fname" in another
// namespace. sql_name() writes it as SQL (`"name"`, `"ns"."name"`), display_name() for messages.
inline constexpr char kNamespaceSeparator = '\x1f';
std::string sql_name(const std::string& name);
std::string display_name(const std::string& name);

// What differs, one line per object ("added table `Tag`", "changed column `User.age`"): drift
// reports, db push summaries.
std::vector<std::string> describe_differences(const Catalog& from, const Catalog& to);

// Data that a step would lose (dropped tables and columns that hold rows, columns made required):
// db push asks for --accept-data-loss, migrate dev writes them at the top of the migration.
struct Warning {
  std::string table, column;  // column empty: the whole table
  std::string text;
};
std::vector<Warning> data_loss_warnings(const Catalog& from, const Catalog& to);

// The SQL from `from` to `to`; `to_steps` are the target schema's from-empty steps. Empty when
// the catalogs are the same. Throws std::runtime_error for a change it cannot write yet.
std::string render(const Catalog& from, const Catalog& to, const std::vector<emit::detail::Step>& to_steps,
                   emit::Dialect dialect);

}  // namespace prisma_cpp::migrate
