// TypedSQL (Prisma's `prisma generate --sql`): `prisma/sql/<name>.sql` files become typed C++
// functions, `db.sql.<name>(args...)`. This part reads the files (Prisma's `-- @param` and
// `-- @description` annotations, its file-name rule) and writes the generated `<ns>/sql.hpp`; the
// parameter and column types come from a real database (cli/typed_sql_describe.cpp).
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "schema/ir.hpp"

namespace prisma_cpp::typed_sql {

// A Prisma scalar type name (Int, BigInt, Float, Boolean, String, DateTime, Json, Bytes,
// Decimal), "Unknown" (a SQLite expression: prisma::SqlValue), an enum's name (PostgreSQL), or
// "vector" (pgvector: std::vector<float>); a list when `list`.
struct Type {
  std::string name = "Unknown";
  bool list = false;
  bool is_enum = false;
};

struct Param {
  std::size_t position = 0;  // 1-based
  std::string alias;         // the C++ parameter name
  std::optional<Type> annotated;
  bool nullable = false;     // `:alias?`
  std::string doc;
  Type type;                 // what the database says (or the annotation)
};

struct Column {
  std::string name;
  Type type;
  bool nullable = true;
};

struct Query {
  std::string name;  // the file's stem: the function's name
  std::filesystem::path file;
  std::string sql;   // as written (comment lines kept: the database ignores them)
  std::string description;
  std::vector<Param> params;  // by position, after describe
  std::vector<Column> columns;
};

struct Problem {
  std::filesystem::path file;
  std::string message;
};

// Every `*.sql` file of `dir` (sorted by name), its annotations parsed; problems in Prisma's words.
std::vector<Query> load_dir(const std::filesystem::path& dir, std::vector<Problem>& problems);

// The annotations of one file's text (`-- @param {Int} $1:minAge? the doc`, `-- @description ...`).
bool parse_annotations(const std::string& sql, Query& q, std::string& error);

// `<ns>/sql.hpp`: a row struct per query, and `Sql<Src>` with a member function per query.
std::string emit_header(const std::string& ns, const std::vector<Query>& queries, ir::Provider provider);

// The C++ type of a value of `t` (a parameter's or a column's).
std::string cpp_type(const Type& t, const std::string& ns);

}  // namespace prisma_cpp::typed_sql
