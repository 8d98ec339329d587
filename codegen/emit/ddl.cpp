// SQL DDL for an empty database, in the exact text of `prisma migrate diff --from-empty --script`
// (checked against Prisma 7's schema engine; goldens in tests/fixtures/golden).
#include "emit/ddl.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace prisma_cpp::emit {
namespace {

using ir::FieldKind;
using ir::ScalarType;

std::string quote(const std::string& id) {
  std::string out = "\"";
  for (char c : id) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string sql_string(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const char* action_sql(ir::ReferentialAction a) {
  switch (a) {
    case ir::ReferentialAction::Cascade: return "CASCADE";
    case ir::ReferentialAction::Restrict: return "RESTRICT";
    case ir::ReferentialAction::NoAction: return "NO ACTION";
    case ir::ReferentialAction::SetNull: return "SET NULL";
    case ir::ReferentialAction::SetDefault: return "SET DEFAULT";
  }
  return "NO ACTION";
}

// Base64 text (Bytes defaults) -> lower-case hex.
std::string base64_to_hex(const std::string& b64) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string bytes;
  int buf = 0, bits = 0;
  for (char c : b64) {
    int v = val(c);
    if (v < 0) continue;
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((buf >> bits) & 0xff);
    }
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

// `2024-01-02T03:04:05.000Z` -> `2024-01-02 03:04:05 +00:00` (what the engine writes).
std::string datetime_default(const std::string& v) {
  if (v.size() < 19 || v[10] != 'T') return v;
  std::string out = v.substr(0, 10) + " " + v.substr(11, 8);
  std::size_t i = 19;
  if (i < v.size() && v[i] == '.') {
    std::size_t j = i + 1;
    while (j < v.size() && std::isdigit(static_cast<unsigned char>(v[j]))) ++j;
    std::string frac = v.substr(i + 1, j - i - 1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (!frac.empty()) out += "." + frac;
    i = j;
  }
  std::string zone = i < v.size() ? v.substr(i) : "Z";
  out += " " + (zone == "Z" || zone == "z" ? std::string("+00:00") : zone);
  return out;
}

// JsonbPathOps -> jsonb_path_ops, Int4MinMaxMultiOps -> int4_minmax_multi_ops.
std::string operator_class_sql(const std::string& name) {
  if (name.rfind("raw(", 0) == 0) {
    std::string inner = name.substr(4, name.size() - 5);
    if (inner.size() >= 2 && inner.front() == '"') inner = inner.substr(1, inner.size() - 2);
    return inner;
  }
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c)) && i > 0) {
      bool tz = name.compare(i, 2, "Tz") == 0;                       // TimestampTz -> timestamptz
      bool max = name.compare(i, 3, "Max") == 0 && i >= 3 && name.compare(i - 3, 3, "Min") == 0;
      if (!tz && !max) out += '_';
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

class DdlWriter {
 public:
  DdlWriter(const ir::Schema& s, Dialect d) : s_(s), d_(d), pg_(d == Dialect::Postgresql) {}

  std::string run() {
    if (pg_) schemas();
    if (pg_) enums();
    for (std::size_t mi = 0; mi < s_.models.size(); ++mi)
      if (!s_.models[mi].is_view) table(mi);
    for (std::size_t ri : join_tables()) join_table(ri);
    for (std::size_t mi = 0; mi < s_.models.size(); ++mi)
      if (!s_.models[mi].is_view) indexes(mi);
    for (std::size_t ri : join_tables()) join_indexes(ri);
    if (pg_ && foreign_keys_enabled()) {
      for (std::size_t mi = 0; mi < s_.models.size(); ++mi)
        if (!s_.models[mi].is_view)
          for (std::size_t ri : forward_relations(mi)) alter_fk(ri);
      for (std::size_t ri : join_tables()) join_fks_alter(ri);
    }
    std::string out = o_.str();
    return out;
  }

 private:
  void section(const char* title) {
    if (!first_) o_ << "\n";
    first_ = false;
    o_ << "-- " << title << "\n";
  }

  bool foreign_keys_enabled() const {
    return !(s_.datasource && s_.datasource->relation_mode && *s_.datasource->relation_mode == "prisma");
  }

  // The schema a table or type lives in, qualified unless it is the default (public).
  std::string qualify(const std::optional<std::string>& schema, const std::string& name) const {
    if (pg_ && schema && *schema != "public") return quote(*schema) + "." + quote(name);
    return quote(name);
  }
  std::string table_name(std::size_t mi) const {
    return qualify(s_.models[mi].schema, s_.models[mi].db_name);
  }

  void schemas() {
    std::set<std::string> names;
    if (s_.datasource && !s_.datasource->schemas.empty())
      names.insert(s_.datasource->schemas.begin(), s_.datasource->schemas.end());
    else
      names.insert("public");
    for (const auto& n : names) {
      section("CreateSchema");
      o_ << "CREATE SCHEMA IF NOT EXISTS " << quote(n) << ";\n";
    }
  }

  void enums() {
    for (const auto& e : s_.enums) {
      section("CreateEnum");
      o_ << "CREATE TYPE " << qualify(e.schema, e.db_name) << " AS ENUM (";
      for (std::size_t i = 0; i < e.values.size(); ++i)
        o_ << (i ? ", " : "") << sql_string(e.values[i].db_name);
      o_ << ");\n";
    }
  }

  bool is_autoincrement(const ir::Field& f) const {
    return f.default_value && f.default_value->kind == ir::DefaultValue::Kind::Autoincrement;
  }

  bool single_int_id(const ir::Model& m, std::size_t fi) const {
    if (!m.primary_key || m.primary_key->fields.size() != 1) return false;
    if (m.primary_key->fields[0].field != fi) return false;
    const auto& f = m.fields[fi];
    return f.kind == FieldKind::Scalar && f.scalar == ScalarType::Int;
  }

  std::string native_sql(const ir::NativeType& n) const {
    std::string name = n.name;
    static const std::pair<const char*, const char*> map[] = {
        {"DoublePrecision", "DOUBLE PRECISION"}, {"JsonB", "JSONB"}, {"ByteA", "BYTEA"},
        {"SmallInt", "SMALLINT"}, {"BigInt", "BIGINT"}, {"VarChar", "VARCHAR"},
        {"VarBit", "VARBIT"}, {"Timestamptz", "TIMESTAMPTZ"}, {"Timetz", "TIMETZ"}};
    std::string sql;
    for (const auto& [k, v] : map)
      if (name == k) sql = v;
    if (sql.empty()) sql = upper(name);
    if (!n.args.empty()) {
      sql += "(";
      for (std::size_t i = 0; i < n.args.size(); ++i) sql += (i ? "," : "") + n.args[i];
      sql += ")";
    }
    return sql;
  }

  // The column type of a scalar or enum field (without list brackets).
  std::string column_type(const ir::Field& f) const {
    if (f.kind == FieldKind::Unsupported) {
      std::string t = f.type_name;
      auto q1 = t.find('"'), q2 = t.rfind('"');
      return q1 != std::string::npos && q2 > q1 ? t.substr(q1 + 1, q2 - q1 - 1) : t;
    }
    if (f.kind == FieldKind::Enum) {
      if (!pg_) return "TEXT";
      const auto& e = s_.enums[f.enum_index];
      return qualify(e.schema, e.db_name);
    }
    if (!pg_) {
      switch (f.scalar) {
        case ScalarType::String: return "TEXT";
        case ScalarType::Boolean: return "BOOLEAN";
        case ScalarType::Int: return "INTEGER";
        case ScalarType::BigInt: return "BIGINT";
        case ScalarType::Float: return "REAL";
        case ScalarType::Decimal: return "DECIMAL";
        case ScalarType::DateTime: return "DATETIME";
        case ScalarType::Json: return "JSONB";
        case ScalarType::Bytes: return "BLOB";
      }
    }
    if (is_autoincrement(f)) {
      if (f.native_type && f.native_type->name == "SmallInt") return "SMALLSERIAL";
      if (f.scalar == ScalarType::BigInt) return "BIGSERIAL";
      if (f.scalar == ScalarType::Int) return "SERIAL";
    }
    if (f.native_type) return native_sql(*f.native_type);
    switch (f.scalar) {
      case ScalarType::String: return "TEXT";
      case ScalarType::Boolean: return "BOOLEAN";
      case ScalarType::Int: return "INTEGER";
      case ScalarType::BigInt: return "BIGINT";
      case ScalarType::Float: return "DOUBLE PRECISION";
      case ScalarType::Decimal: return "DECIMAL(65,30)";
      case ScalarType::DateTime: return "TIMESTAMP(3)";
      case ScalarType::Json: return "JSONB";
      case ScalarType::Bytes: return "BYTEA";
    }
    return "TEXT";
  }

  // One literal default value as SQL, for the field's type.
  std::string literal(const ir::Field& f, const std::string& v, bool enum_value) const {
    if (enum_value || f.kind == FieldKind::Enum) {
      std::string db = v;
      if (f.kind == FieldKind::Enum)
        for (const auto& ev : s_.enums[f.enum_index].values)
          if (ev.name == v) db = ev.db_name;
      return sql_string(db);
    }
    switch (f.scalar) {
      case ScalarType::String: return sql_string(v);
      case ScalarType::Boolean:
      case ScalarType::Int:
      case ScalarType::BigInt:
      case ScalarType::Float:
      case ScalarType::Decimal: return v;
      case ScalarType::DateTime: return sql_string(datetime_default(v));
      case ScalarType::Json: return pg_ ? sql_string(v) : v;
      case ScalarType::Bytes: return pg_ ? sql_string("\\x" + base64_to_hex(v)) : sql_string(base64_to_hex(v));
    }
    return sql_string(v);
  }

  std::string default_clause(const ir::Field& f) const {
    if (!f.default_value) return "";
    const auto& d = *f.default_value;
    using K = ir::DefaultValue::Kind;
    switch (d.kind) {
      case K::Literal: return " DEFAULT " + literal(f, d.value, false);
      case K::EnumValue: return " DEFAULT " + literal(f, d.value, true);
      case K::Now: return " DEFAULT CURRENT_TIMESTAMP";
      case K::DbGenerated: return d.value.empty() ? "" : " DEFAULT " + d.value;
      case K::List: {
        if (!pg_) return "";
        std::string t = column_type(f);
        std::string out = " DEFAULT ARRAY[";
        for (std::size_t i = 0; i < d.list.size(); ++i)
          out += (i ? ", " : "") + literal(f, d.list[i], f.kind == FieldKind::Enum);
        return out + "]::" + t + "[]";
      }
      default: return "";  // autoincrement (column type), uuid/cuid/nanoid/ulid (client)
    }
  }

  std::vector<std::size_t> columns(const ir::Model& m) const {
    std::vector<std::size_t> out;
    for (std::size_t fi = 0; fi < m.fields.size(); ++fi) {
      auto k = m.fields[fi].kind;
      if (k == FieldKind::Scalar || k == FieldKind::Enum || k == FieldKind::Unsupported) out.push_back(fi);
    }
    return out;
  }

  // Relations whose foreign key lives in model mi, in the order of their relation fields.
  std::vector<std::size_t> forward_relations(std::size_t mi) const {
    std::vector<std::size_t> out;
    const auto& m = s_.models[mi];
    for (std::size_t fi = 0; fi < m.fields.size(); ++fi) {
      const auto& f = m.fields[fi];
      if (f.kind != FieldKind::Relation || f.relation == ir::npos) continue;
      const auto& r = s_.relations[f.relation];
      if (r.kind == ir::Relation::Kind::ManyToMany || r.model_a != mi || r.field_a != fi) continue;
      if (r.fields.empty() || s_.models[r.model_b].is_view || m.is_view) continue;
      out.push_back(f.relation);
    }
    return out;
  }

  // Implicit m:n relations, in the order their first field appears in the schema.
  std::vector<std::size_t> join_tables() const {
    std::vector<std::size_t> out;
    for (const auto& m : s_.models)
      for (const auto& f : m.fields)
        if (f.kind == FieldKind::Relation && f.relation != ir::npos &&
            s_.relations[f.relation].kind == ir::Relation::Kind::ManyToMany &&
            std::find(out.begin(), out.end(), f.relation) == out.end())
          out.push_back(f.relation);
    return out;
  }

  std::string fk_clause(std::size_t ri, bool inline_sqlite) const {
    const auto& r = s_.relations[ri];
    const auto& ma = s_.models[r.model_a];
    const auto& mb = s_.models[r.model_b];
    std::string cols, refs;
    for (std::size_t i = 0; i < r.fields.size(); ++i) cols += (i ? ", " : "") + quote(ma.fields[r.fields[i]].db_name);
    for (std::size_t i = 0; i < r.references.size(); ++i) refs += (i ? ", " : "") + quote(mb.fields[r.references[i]].db_name);
    return "CONSTRAINT " + quote(r.fk_name) + " FOREIGN KEY (" + cols + ") REFERENCES " +
           table_name(r.model_b) + (inline_sqlite ? " (" : "(") + refs + ") ON DELETE " +
           action_sql(r.on_delete) + " ON UPDATE " + action_sql(r.on_update);
  }

  void table(std::size_t mi) {
    const auto& m = s_.models[mi];
    section("CreateTable");
    o_ << "CREATE TABLE " << table_name(mi) << " (\n";
    std::vector<std::string> lines;
    for (std::size_t fi : columns(m)) {
      const auto& f = m.fields[fi];
      std::string line = "    " + quote(f.db_name) + " " + column_type(f);
      if (f.list) line += "[]";
      bool inline_pk = !pg_ && m.primary_key && m.primary_key->fields.size() == 1 &&
                       m.primary_key->fields[0].field == fi;
      if (!f.optional && !f.list) line += " NOT NULL";
      if (inline_pk) line += single_int_id(m, fi) ? " PRIMARY KEY AUTOINCREMENT" : " PRIMARY KEY";
      line += default_clause(f);
      lines.push_back(line);
    }
    std::vector<std::string> constraints;
    if (m.primary_key && (pg_ || m.primary_key->fields.size() > 1)) {
      std::string cols;
      for (std::size_t i = 0; i < m.primary_key->fields.size(); ++i)
        cols += (i ? (pg_ ? "," : ", ") : "") + quote(m.fields[m.primary_key->fields[i].field].db_name);
      constraints.push_back(pg_ ? "    CONSTRAINT " + quote(m.primary_key->db_name) + " PRIMARY KEY (" + cols + ")"
                                : "    PRIMARY KEY (" + cols + ")");
    }
    std::vector<std::string> fks;
    if (!pg_ && foreign_keys_enabled())
      for (std::size_t ri : forward_relations(mi)) fks.push_back("    " + fk_clause(ri, true));
    // Prisma separates a table-level PRIMARY KEY from the columns by a blank line; inline
    // foreign keys follow without one.
    for (std::size_t i = 0; i < lines.size(); ++i) {
      bool last = i + 1 == lines.size() && constraints.empty() && fks.empty();
      o_ << lines[i] << (last ? "\n" : ",\n");
    }
    if (!constraints.empty()) {
      o_ << "\n";
      for (std::size_t i = 0; i < constraints.size(); ++i)
        o_ << constraints[i] << (i + 1 == constraints.size() && fks.empty() ? "\n" : ",\n");
    }
    for (std::size_t i = 0; i < fks.size(); ++i) o_ << fks[i] << (i + 1 == fks.size() ? "\n" : ",\n");
    o_ << ");\n";
  }

  std::string id_type(std::size_t mi) const {
    const auto& m = s_.models[mi];
    if (!m.primary_key || m.primary_key->fields.empty()) return "INTEGER";
    const auto& f = m.fields[m.primary_key->fields[0].field];
    if (pg_ && is_autoincrement(f)) {
      if (f.native_type && f.native_type->name == "SmallInt") return "SMALLINT";
      return f.scalar == ScalarType::BigInt ? "BIGINT" : "INTEGER";
    }
    return column_type(f);
  }

  std::string join_name(std::size_t ri) const {
    const auto& r = s_.relations[ri];
    return qualify(s_.models[r.model_a].schema, r.join_table);
  }

  std::string join_fk(std::size_t ri, bool a, bool inline_sqlite) const {
    const auto& r = s_.relations[ri];
    std::size_t target = a ? r.model_a : r.model_b;
    const auto& m = s_.models[target];
    std::string ref = m.primary_key && !m.primary_key->fields.empty()
                          ? quote(m.fields[m.primary_key->fields[0].field].db_name) : quote("id");
    std::string col = a ? "A" : "B";
    return "CONSTRAINT " + quote(r.join_table + "_" + col + "_fkey") + " FOREIGN KEY (" + quote(col) +
           ") REFERENCES " + table_name(target) + (inline_sqlite ? " (" : "(") + ref +
           ") ON DELETE CASCADE ON UPDATE CASCADE";
  }

  void join_table(std::size_t ri) {
    const auto& r = s_.relations[ri];
    section("CreateTable");
    o_ << "CREATE TABLE " << join_name(ri) << " (\n";
    o_ << "    \"A\" " << id_type(r.model_a) << " NOT NULL,\n";
    if (pg_) {
      o_ << "    \"B\" " << id_type(r.model_b) << " NOT NULL,\n\n";
      o_ << "    CONSTRAINT " << quote(r.join_table + "_AB_pkey") << " PRIMARY KEY (\"A\",\"B\")\n";
    } else if (foreign_keys_enabled()) {
      o_ << "    \"B\" " << id_type(r.model_b) << " NOT NULL,\n";
      o_ << "    " << join_fk(ri, true, true) << ",\n";
      o_ << "    " << join_fk(ri, false, true) << "\n";
    } else {
      o_ << "    \"B\" " << id_type(r.model_b) << " NOT NULL\n";
    }
    o_ << ");\n";
  }

  void join_indexes(std::size_t ri) {
    const auto& r = s_.relations[ri];
    if (!pg_) {
      section("CreateIndex");
      o_ << "CREATE UNIQUE INDEX " << quote(r.join_table + "_AB_unique") << " ON " << join_name(ri)
         << "(\"A\", \"B\");\n";
    }
    section("CreateIndex");
    o_ << "CREATE INDEX " << quote(r.join_table + "_B_index") << " ON " << join_name(ri) << "(\"B\");\n";
  }

  void join_fks_alter(std::size_t ri) {
    for (bool a : {true, false}) {
      section("AddForeignKey");
      o_ << "ALTER TABLE " << join_name(ri) << " ADD " << join_fk(ri, a, false) << ";\n";
    }
  }

  void alter_fk(std::size_t ri) {
    section("AddForeignKey");
    o_ << "ALTER TABLE " << table_name(s_.relations[ri].model_a) << " ADD " << fk_clause(ri, false) << ";\n";
  }

  // Prisma's order: @unique on fields (in field order), then @@index, @@unique, @@fulltext.
  void indexes(std::size_t mi) {
    const auto& m = s_.models[mi];
    std::vector<std::size_t> order(m.indexes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto rank = [&](std::size_t i) {
      const auto& ix = m.indexes[i];
      if (ix.defined_on_field) return 0;
      return ix.type == ir::Index::Type::Normal ? 1 : ix.type == ir::Index::Type::Unique ? 2 : 3;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
    for (std::size_t i : order) {
      const auto& ix = m.indexes[i];
      if (ix.type == ir::Index::Type::Fulltext) continue;  // MySQL only
      section("CreateIndex");
      o_ << "CREATE " << (ix.type == ir::Index::Type::Unique ? "UNIQUE " : "") << "INDEX "
         << quote(ix.db_name) << " ON " << table_name(mi);
      std::string algo = ix.algorithm && pg_ ? upper(*ix.algorithm) : "";
      if (algo == "BTREE") algo.clear();
      if (!algo.empty()) o_ << " USING " << algo << " (";
      else o_ << "(";
      for (std::size_t k = 0; k < ix.fields.size(); ++k) {
        const auto& f = ix.fields[k];
        o_ << (k ? ", " : "") << quote(m.fields[f.field].db_name);
        if (pg_ && f.operator_class) o_ << " " << operator_class_sql(*f.operator_class);
        if (f.sort && *f.sort == ir::SortOrder::Desc) o_ << " DESC";
      }
      o_ << ");\n";
    }
  }

  const ir::Schema& s_;
  Dialect d_;
  bool pg_;
  bool first_ = true;
  std::ostringstream o_;
};

}  // namespace

std::string ddl(const ir::Schema& schema, Dialect dialect) {
  return DdlWriter(schema, dialect).run();
}

}  // namespace prisma_cpp::emit
