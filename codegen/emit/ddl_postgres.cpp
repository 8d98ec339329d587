// The PostgreSQL rendering of a DDL plan, as Prisma's postgres renderer writes it: schemas,
// extensions and enum types first, named primary keys, foreign keys as ALTER TABLE at the end.
#include "emit/ddl_plan.hpp"
#include "emit/literal_values.hpp"

namespace prisma_cpp::emit::detail {
namespace {

// Objects in the default schema are written unqualified, every other one as "schema"."name".
std::string qualified(const std::string& ns, const std::string& name) {
  return ns == default_namespace ? quoted(name) : quoted(ns) + "." + quoted(name);
}

std::string args(const std::vector<std::string>& a) {
  if (a.empty()) return "";
  std::string out = "(";
  for (std::size_t i = 0; i < a.size(); ++i) out += (i ? "," : "") + a[i];
  return out + ")";
}

std::string native_type(const ir::NativeType& n, bool autoincrement) {
  const std::string& t = n.name;
  if (t == "SmallInt") return autoincrement ? "SMALLSERIAL" : "SMALLINT";
  if (t == "Integer") return autoincrement ? "SERIAL" : "INTEGER";
  if (t == "BigInt") return autoincrement ? "BIGSERIAL" : "BIGINT";
  if (t == "DoublePrecision") return "DOUBLE PRECISION";
  static const std::pair<const char*, const char*> plain[] = {
      {"Citext", "CITEXT"}, {"Oid", "OID"},   {"Inet", "INET"},       {"Money", "MONEY"}, {"Real", "REAL"},
      {"Text", "TEXT"},     {"ByteA", "BYTEA"}, {"Date", "DATE"},     {"Boolean", "BOOLEAN"}, {"Uuid", "UUID"},
      {"Xml", "XML"},       {"Json", "JSON"}, {"JsonB", "JSONB"}};
  for (const auto& [psl, sql] : plain)
    if (t == psl) return sql;
  static const std::pair<const char*, const char*> with_args[] = {
      {"Decimal", "DECIMAL"},     {"VarChar", "VARCHAR"}, {"Char", "CHAR"},   {"Timestamp", "TIMESTAMP"},
      {"Timestamptz", "TIMESTAMPTZ"}, {"Time", "TIME"},   {"Timetz", "TIMETZ"}, {"Bit", "BIT"},
      {"VarBit", "VARBIT"}};
  for (const auto& [psl, sql] : with_args)
    if (t == psl) return sql + args(n.args);
  std::string upper;
  for (char c : t) upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  return upper + args(n.args);
}

std::string scalar_type(ir::ScalarType s, bool autoincrement) {
  switch (s) {
    case ir::ScalarType::String: return "TEXT";
    case ir::ScalarType::Boolean: return "BOOLEAN";
    case ir::ScalarType::Int: return autoincrement ? "SERIAL" : "INTEGER";
    case ir::ScalarType::BigInt: return autoincrement ? "BIGSERIAL" : "BIGINT";
    case ir::ScalarType::Float: return "DOUBLE PRECISION";
    case ir::ScalarType::Decimal: return "DECIMAL(65,30)";
    case ir::ScalarType::DateTime: return "TIMESTAMP(3)";
    case ir::ScalarType::Json: return "JSONB";
    case ir::ScalarType::Bytes: return "BYTEA";
  }
  return "TEXT";
}

std::string column_type(const Plan& plan, const PlanColumn& c) {
  const ir::Field& f = *c.type_of;
  std::string t;
  if (const ir::Enum* e = enum_of(plan, f))
    t = qualified(namespace_of(*plan.schema, e->schema), e->db_name);
  else if (f.kind == ir::FieldKind::Unsupported)
    t = unsupported_type(f);
  else if (f.native_type)
    t = native_type(*f.native_type, c.autoincrement);
  else
    t = scalar_type(f.scalar, c.autoincrement);
  return c.list ? t + "[]" : t;
}

std::string string_literal(const std::string& s) { return std::string("'").append(escape_single_quotes(s)).append("'"); }

// One constant as the postgres renderer prints it (render_constant_default).
std::string literal(const Plan& plan, const ir::Field& f, const std::string& v) {
  if (const ir::Enum* e = enum_of(plan, f)) {
    for (const auto& ev : e->values)
      if (ev.name == v) return string_literal(ev.db_name);
    return string_literal(v);
  }
  switch (f.scalar) {
    case ir::ScalarType::String:
    case ir::ScalarType::Json: return string_literal(v);
    case ir::ScalarType::Int:
    case ir::ScalarType::BigInt: return normalize_integer(v);
    case ir::ScalarType::Float:
    case ir::ScalarType::Decimal: return normalize_decimal(v);
    case ir::ScalarType::Boolean: return v;
    case ir::ScalarType::DateTime:
      if (auto d = parse_datetime(v)) return std::string("'").append(datetime_display(*d)).append("'");
      return string_literal(v);
    case ir::ScalarType::Bytes:
      if (auto b = base64_decode(v)) return "'\\x" + hex_lower(*b) + "'";
      return string_literal(v);
  }
  return v;
}

std::string default_sql(const Plan& plan, const PlanColumn& c) {
  if (!c.default_value) return "";
  const ir::DefaultValue& d = *c.default_value;
  using K = ir::DefaultValue::Kind;
  switch (d.kind) {
    case K::Literal:
    case K::EnumValue: return literal(plan, *c.type_of, d.value);
    case K::Now: return "CURRENT_TIMESTAMP";
    case K::DbGenerated: return d.value;
    case K::List: {
      std::string out = "ARRAY[";
      for (std::size_t i = 0; i < d.list.size(); ++i) out += (i ? ", " : "") + literal(plan, *c.type_of, d.list[i]);
      return out + "]::" + column_type(plan, c);
    }
    default: return "";  // autoincrement is the column type; uuid(), cuid(), ... are the client's
  }
}

std::string render_column(const Plan& plan, const PlanColumn& c) {
  std::string sql = "    " + quoted(c.name) + " " + column_type(plan, c);
  if (!c.nullable && !c.list) sql += " NOT NULL";
  std::string d = default_sql(plan, c);
  if (!d.empty()) sql += " DEFAULT " + d;
  return sql;
}

std::string join_quoted(const std::vector<std::string>& names, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? separator : "") + quoted(names[i]);
  return out;
}

std::string create_table(const Plan& plan, const PlanTable& t) {
  std::string sql = "CREATE TABLE " + qualified(t.ns, t.name) + " (\n";
  for (std::size_t i = 0; i < t.columns.size(); ++i) sql += (i ? ",\n" : "") + render_column(plan, t.columns[i]);
  if (!t.pk_columns.empty())
    sql += ",\n\n    CONSTRAINT " + quoted(t.pk_name) + " PRIMARY KEY (" + join_quoted(t.pk_columns, ",") + ")";
  return sql + "\n)";
}

std::string index_algorithm(const std::string& a) {
  if (a == "Hash") return "HASH";
  if (a == "Gist") return "GIST";
  if (a == "Gin") return "GIN";
  if (a == "SpGist") return "SPGIST";
  if (a == "Brin") return "BRIN";
  return "";  // BTree is PostgreSQL's default and goes unsaid
}

std::string create_index(const PlanTable& t, const PlanIndex& idx) {
  std::string sql = std::string("CREATE ") + (idx.unique ? "UNIQUE " : "") + "INDEX " + quoted(idx.name) + " ON " +
                    qualified(t.ns, t.name);
  std::string using_ = index_algorithm(idx.algorithm);
  sql += using_.empty() ? "(" : " USING " + using_ + " (";
  for (std::size_t i = 0; i < idx.columns.size(); ++i) {
    const auto& c = idx.columns[i];
    sql += (i ? ", " : "") + quoted(c.name);
    if (c.operator_class) (sql += ' ') += operator_class_sql(*c.operator_class);
    if (c.sort) sql += *c.sort == ir::SortOrder::Desc ? " DESC" : " ASC";
  }
  sql += ")";
  if (idx.where) {  // Prisma's: in parentheses, unless the whole condition already is
    const std::string& w = *idx.where;
    bool wrapped = w.size() >= 2 && w.front() == '(' && w.back() == ')';
    for (std::size_t i = 0, depth = 0; wrapped && i < w.size(); ++i) {
      if (w[i] == '(') ++depth;
      if (w[i] == ')' && --depth == 0 && i + 1 < w.size()) wrapped = false;
    }
    sql += " WHERE " + (wrapped ? w : "(" + w + ")");
  }
  return sql;
}

std::string add_foreign_key(const PlanTable& t, const PlanForeignKey& fk) {
  return "ALTER TABLE " + qualified(t.ns, t.name) + " ADD CONSTRAINT " + quoted(fk.name) + " FOREIGN KEY (" +
         join_quoted(fk.columns, ", ") + ") REFERENCES " + qualified(fk.referenced_namespace, fk.referenced_table) +
         "(" + join_quoted(fk.referenced_columns, ", ") + ") ON DELETE " + referential_action_sql(fk.on_delete) +
         " ON UPDATE " + referential_action_sql(fk.on_update);
}

std::string create_extension(const PlanExtension& e) {
  std::string sql = "CREATE EXTENSION IF NOT EXISTS " + quoted(e.name);
  if (!e.schema.empty() || !e.version.empty()) sql += " WITH";
  if (!e.schema.empty()) sql += " SCHEMA " + quoted(e.schema);
  if (!e.version.empty()) sql += " VERSION " + quoted(e.version);
  return sql;
}

std::string create_enum(const Plan& plan, const ir::Enum& e) {
  std::string sql = "CREATE TYPE " + qualified(namespace_of(*plan.schema, e.schema), e.db_name) + " AS ENUM (";
  for (std::size_t i = 0; i < e.values.size(); ++i) sql += (i ? ", '" : "'") + e.values[i].db_name + "'";
  return sql + ")";
}

}  // namespace

std::vector<Step> postgres_steps(const Plan& plan) {
  std::vector<Step> steps;
  for (const auto& ns : plan.namespaces) steps.push_back({"CreateSchema", "CREATE SCHEMA IF NOT EXISTS " + quoted(ns)});
  for (const auto& e : plan.extensions) steps.push_back({"CreateExtension", create_extension(e)});
  for (const ir::Enum* e : plan.enums) steps.push_back({"CreateEnum", create_enum(plan, *e)});
  for (const auto& t : plan.tables) steps.push_back({"CreateTable", create_table(plan, t)});
  for (const auto& t : plan.tables)
    for (const auto& idx : t.indexes) steps.push_back({"CreateIndex", create_index(t, idx)});
  for (const auto& t : plan.tables)
    for (const auto& fk : t.foreign_keys) steps.push_back({"AddForeignKey", add_foreign_key(t, fk)});
  return steps;
}

}  // namespace prisma_cpp::emit::detail
