// The SQLite rendering of a DDL plan, as Prisma's sqlite renderer writes it: foreign keys inside
// CREATE TABLE, a single-column primary key inline on its column, enums as TEXT.
#include "emit/ddl_plan.hpp"
#include "emit/literal_values.hpp"

namespace prisma_cpp::emit::detail {
namespace {

std::string column_type(const PlanColumn& c) {
  const ir::Field& f = *c.type_of;
  if (f.kind == ir::FieldKind::Unsupported) return unsupported_type(f);
  if (f.kind == ir::FieldKind::Enum) return "TEXT";
  switch (f.scalar) {
    case ir::ScalarType::String: return "TEXT";
    case ir::ScalarType::Boolean: return "BOOLEAN";
    case ir::ScalarType::Int: return "INTEGER";
    case ir::ScalarType::BigInt: return "BIGINT";
    case ir::ScalarType::Float: return "REAL";
    case ir::ScalarType::Decimal: return "DECIMAL";
    case ir::ScalarType::DateTime: return "DATETIME";
    case ir::ScalarType::Json: return "JSONB";
    case ir::ScalarType::Bytes: return "BLOB";
  }
  return "TEXT";
}

std::string string_literal(const std::string& s) { return std::string("'").append(escape_single_quotes(s)).append("'"); }

std::string enum_literal(const Plan& plan, const ir::Field& f, const std::string& value) {
  if (const ir::Enum* e = enum_of(plan, f))
    for (const auto& v : e->values)
      if (v.name == value) return string_literal(v.db_name);
  return string_literal(value);
}

// A constant default as the schema engine prints it for SQLite. Json goes in unquoted: that is
// what Prisma writes (the statement then fails on SQLite), and we copy it rather than fix it.
std::string literal(const Plan& plan, const ir::Field& f, const std::string& v) {
  if (f.kind == ir::FieldKind::Enum) return enum_literal(plan, f, v);
  switch (f.scalar) {
    case ir::ScalarType::String: return string_literal(v);
    case ir::ScalarType::Int:
    case ir::ScalarType::BigInt: return normalize_integer(v);
    case ir::ScalarType::Float:
    case ir::ScalarType::Decimal: return normalize_decimal(v);
    case ir::ScalarType::Boolean: return v;
    case ir::ScalarType::DateTime:
      if (auto d = parse_datetime(v)) return std::string("'").append(datetime_display(*d)).append("'");
      return string_literal(v);
    case ir::ScalarType::Json: return v;
    case ir::ScalarType::Bytes:
      if (auto b = base64_decode(v)) return std::string("'").append(hex_lower(*b)).append("'");
      return string_literal(v);
  }
  return v;
}

std::string default_sql(const Plan& plan, const PlanColumn& c) {
  if (!c.default_value) return "";
  const ir::DefaultValue& d = *c.default_value;
  using K = ir::DefaultValue::Kind;
  switch (d.kind) {
    case K::Literal: return literal(plan, *c.type_of, d.value);
    case K::EnumValue: return enum_literal(plan, *c.type_of, d.value);
    case K::Now: return "CURRENT_TIMESTAMP";
    case K::DbGenerated: return d.value;
    default: return "";  // autoincrement is the column's; uuid(), cuid(), ... are the client's
  }
}

std::string render_column(const Plan& plan, const PlanTable& t, const PlanColumn& c) {
  bool single_pk = t.pk_columns.size() == 1 && t.pk_columns[0] == c.name;
  const ir::Field& f = *c.type_of;
  // SQLite makes any INTEGER PRIMARY KEY an alias of the rowid, so Prisma always adds AUTOINCREMENT.
  bool autoincrement = single_pk && f.kind == ir::FieldKind::Scalar && f.scalar == ir::ScalarType::Int;
  std::string sql = "    " + quoted(c.name) + " " + column_type(c);
  if (!c.nullable) sql += " NOT NULL";
  if (single_pk) sql += " PRIMARY KEY";
  if (autoincrement) sql += " AUTOINCREMENT";
  std::string d = default_sql(plan, c);
  if (!d.empty()) sql += " DEFAULT " + d;
  return sql;
}

std::string join_quoted(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + quoted(names[i]);
  return out;
}

std::string create_table(const Plan& plan, const PlanTable& t) {
  std::string sql = "CREATE TABLE " + quoted(t.name) + " (\n";
  for (std::size_t i = 0; i < t.columns.size(); ++i) sql += (i ? ",\n" : "") + render_column(plan, t, t.columns[i]);
  if (t.pk_columns.size() > 1) sql += ",\n\n    PRIMARY KEY (" + join_quoted(t.pk_columns) + ")";
  for (const auto& fk : t.foreign_keys) {
    sql += ",\n    CONSTRAINT " + quoted(fk.name) + " FOREIGN KEY (" + join_quoted(fk.columns) + ") REFERENCES " +
           quoted(fk.referenced_table) + " (" + join_quoted(fk.referenced_columns) + ") ON DELETE " +
           referential_action_sql(fk.on_delete) + " ON UPDATE " + referential_action_sql(fk.on_update);
  }
  return sql + "\n)";
}

std::string create_index(const PlanTable& t, const PlanIndex& idx) {
  std::string sql = std::string("CREATE ") + (idx.unique ? "UNIQUE " : "") + "INDEX " + quoted(idx.name) + " ON " +
                    quoted(t.name) + "(";
  for (std::size_t i = 0; i < idx.columns.size(); ++i) {
    const auto& c = idx.columns[i];
    sql += (i ? ", " : "") + quoted(c.name);
    if (c.sort) sql += *c.sort == ir::SortOrder::Desc ? " DESC" : " ASC";
  }
  sql += ")";
  if (idx.where) sql += " WHERE " + *idx.where;  // a partial index, its condition as written (Prisma's)
  // SQLite reserves the sqlite_ prefix; Prisma unlocks the schema table around such an index.
  if (idx.name.rfind("sqlite_", 0) == 0) return "Pragma writable_schema=1;\n" + sql + ";\nPragma writable_schema=0";
  return sql;
}

}  // namespace

std::vector<Step> sqlite_steps(const Plan& plan) {
  std::vector<Step> steps;
  for (const auto& t : plan.tables) steps.push_back({"CreateTable", create_table(plan, t)});
  for (const auto& t : plan.tables)
    for (const auto& idx : t.indexes) steps.push_back({"CreateIndex", create_index(t, idx)});
  return steps;
}

}  // namespace prisma_cpp::emit::detail
