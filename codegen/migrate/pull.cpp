#include "migrate/pull.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace prisma_cpp::migrate {
namespace {

// ---- reading the database's own texts ----------------------------------------------------------

// Identifiers in a list: `"a", b, "c d"` -> a, b, c d (each up to an ASC/DESC/opclass word).
std::vector<std::string> identifiers(const std::string& list) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && (list[i] == ' ' || list[i] == ',')) ++i;
    if (i >= list.size()) break;
    std::string id;
    if (list[i] == '"') {
      ++i;
      while (i < list.size()) {
        if (list[i] == '"' && i + 1 < list.size() && list[i + 1] == '"') {
          id += '"';
          i += 2;
        } else if (list[i] == '"') {
          ++i;
          break;
        } else {
          id += list[i++];
        }
      }
    } else {
      while (i < list.size() && list[i] != ',' && list[i] != ' ') id += list[i++];
    }
    out.push_back(id);
    while (i < list.size() && list[i] != ',') ++i;  // ASC, DESC, an operator class
  }
  return out;
}

// The text inside the parentheses that start at or after `from`.
std::string parenthesised(const std::string& s, std::size_t from, std::size_t* end = nullptr) {
  auto open = s.find('(', from);
  if (open == std::string::npos) return "";
  int depth = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth == 0) {
      if (end) *end = i;
      return s.substr(open + 1, i - open - 1);
    }
  }
  return "";
}

struct Fk {
  std::string name;
  std::vector<std::string> columns;
  std::string table;
  std::vector<std::string> references;
  std::string on_delete = "NO ACTION", on_update = "NO ACTION";
};

Fk parse_fk(const ForeignKey& f) {
  Fk out;
  out.name = f.name;
  const std::string& d = f.definition;
  std::size_t end = 0;
  out.columns = identifiers(parenthesised(d, d.find("FOREIGN KEY"), &end));
  auto ref = d.find("REFERENCES ", end);
  std::size_t p = ref + 11;
  std::string table;
  if (d[p] == '"') {
    auto q = d.find('"', p + 1);
    table = d.substr(p + 1, q - p - 1);
    p = q + 1;
  } else {
    while (p < d.size() && d[p] != '(' && d[p] != ' ') table += d[p++];
  }
  if (auto dot = table.rfind('.'); dot != std::string::npos && d[ref + 11] != '"') table = table.substr(dot + 1);
  out.table = table;
  out.references = identifiers(parenthesised(d, p, &end));
  auto action = [&](const std::string& key) -> std::string {
    auto k = d.find(key, end);
    if (k == std::string::npos) return "NO ACTION";
    std::string rest = d.substr(k + key.size());
    for (const char* a : {"CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT"})
      if (rest.rfind(a, 0) == 0) return a;
    return "NO ACTION";
  };
  out.on_delete = action("ON DELETE ");
  out.on_update = action("ON UPDATE ");
  return out;
}

std::vector<std::string> index_columns(const Index& i) {
  auto on = i.definition.find(" ON ");
  return identifiers(parenthesised(i.definition, on == std::string::npos ? 0 : on + 4));
}

// ---- names ----------------------------------------------------------------------------------

bool valid_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}
// Prisma's sanitising: what is not [A-Za-z0-9_] becomes _, a leading digit gets a prefix.
std::string sanitised(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  if (out.empty() || !std::isalpha(static_cast<unsigned char>(out[0]))) out = "M" + out;
  return out;
}
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

// ---- types and defaults ---------------------------------------------------------------------

struct FieldType {
  std::string type;    // Int, String, ..., an enum's name, Unsupported("...")
  std::string native;  // @db.VarChar(10) or empty
  bool list = false;
};

FieldType sqlite_type(const std::string& declared) {
  std::string t = declared;
  auto base = t.substr(0, t.find('('));
  if (base == "INTEGER" || base == "INT") return {"Int", ""};
  if (base == "BIGINT") return {"BigInt", ""};
  if (base == "TEXT" || base == "VARCHAR" || base == "CHAR") return {"String", ""};
  if (base == "REAL" || base == "DOUBLE" || base == "FLOAT" || base == "DOUBLE PRECISION") return {"Float", ""};
  if (base == "DECIMAL" || base == "NUMERIC") return {"Decimal", ""};
  if (base == "BOOLEAN") return {"Boolean", ""};
  if (base == "DATETIME" || base == "DATE" || base == "TIMESTAMP") return {"DateTime", ""};
  if (base == "BLOB") return {"Bytes", ""};
  if (base == "JSONB" || base == "JSON") return {"Json", ""};
  return {"Unsupported(" + quote(declared) + ")", ""};
}

FieldType postgres_type(std::string t, const Catalog& cat) {
  FieldType out;
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) {
    out.list = true;
    t = t.substr(0, t.size() - 2);
  }
  std::string unquoted = t.size() > 1 && t.front() == '"' ? t.substr(1, t.size() - 2) : t;
  if (cat.enum_(unquoted)) {
    out.type = unquoted;
    return out;
  }
  auto args = [&]() {
    auto p = t.find('(');
    return p == std::string::npos ? std::string() : t.substr(p, t.find(')') - p + 1);
  };
  auto base = t.substr(0, t.find('('));
  if (auto w = t.find(" with"); w != std::string::npos && base.size() > w) base = base.substr(0, w);
  if (t == "integer") out.type = "Int";
  else if (t == "smallint") out = {"Int", "@db.SmallInt", out.list};
  else if (t == "bigint") out.type = "BigInt";
  else if (t == "text") out.type = "String";
  else if (base == "character varying") out = {"String", "@db.VarChar" + args(), out.list};
  else if (base == "character") out = {"String", "@db.Char" + args(), out.list};
  else if (t == "uuid") out = {"String", "@db.Uuid", out.list};
  else if (t == "boolean") out.type = "Boolean";
  else if (t == "double precision") out.type = "Float";
  else if (t == "real") out = {"Float", "@db.Real", out.list};
  else if (t == "numeric(65,30)") out.type = "Decimal";
  else if (base == "numeric") out = {"Decimal", "@db.Decimal" + args(), out.list};
  else if (t == "timestamp(3) without time zone") out.type = "DateTime";
  else if (t.rfind("timestamp", 0) == 0 && t.find("with time zone") != std::string::npos && t.find("without") == std::string::npos)
    out = {"DateTime", "@db.Timestamptz" + args(), out.list};
  else if (t.rfind("timestamp", 0) == 0) out = {"DateTime", "@db.Timestamp" + args(), out.list};
  else if (t == "date") out = {"DateTime", "@db.Date", out.list};
  else if (t == "jsonb") out.type = "Json";
  else if (t == "json") out = {"Json", "@db.Json", out.list};
  else if (t == "bytea") out.type = "Bytes";
  else out.type = "Unsupported(" + quote(t) + ")";
  return out;
}

// The @default(...) text, or empty.
std::string default_attribute(const Column& c, const FieldType& ft, emit::Dialect d) {
  if (c.autoincrement) return "@default(autoincrement())";
  if (!c.default_sql) return "";
  std::string v = *c.default_sql;
  std::string upper = v;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (upper == "CURRENT_TIMESTAMP" || upper == "NOW()") return "@default(now())";
  // PostgreSQL: 'x'::text, 'A'::"Role", 0, true
  std::string literal = v;
  if (d == emit::Dialect::Postgresql) {
    auto cast = literal.rfind("::");
    if (cast != std::string::npos && literal.front() == '\'') literal = literal.substr(0, cast);
  }
  if (literal.size() >= 2 && literal.front() == '\'' && literal.back() == '\'') {
    std::string inner;
    for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
      if (literal[i] == '\'' && literal[i + 1] == '\'') ++i;
      inner += literal[i];
    }
    if (ft.type == "String") return "@default(" + quote(inner) + ")";
    if (!ft.type.empty() && std::isupper(static_cast<unsigned char>(ft.type[0])) && valid_identifier(inner) &&
        ft.type != "DateTime" && ft.type != "Json" && ft.type != "Bytes" && ft.type != "Decimal" &&
        ft.type.rfind("Unsupported", 0) != 0)
      return "@default(" + inner + ")";  // an enum value
    if (ft.type == "Decimal" || ft.type == "Float" || ft.type == "Int" || ft.type == "BigInt") return "@default(" + inner + ")";
  }
  if (ft.type == "Boolean") {
    if (literal == "true" || literal == "1") return "@default(true)";
    if (literal == "false" || literal == "0") return "@default(false)";
  }
  bool number = !literal.empty() && std::all_of(literal.begin(), literal.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-';
  });
  if (number && (ft.type == "Int" || ft.type == "BigInt" || ft.type == "Float" || ft.type == "Decimal"))
    return "@default(" + literal + ")";
  if (d == emit::Dialect::Postgresql && upper == "GEN_RANDOM_UUID()") return "@default(dbgenerated(\"gen_random_uuid()\"))";
  return "@default(dbgenerated(" + quote(v) + "))";
}

std::string action_name(const std::string& sql) {
  if (sql == "CASCADE") return "Cascade";
  if (sql == "RESTRICT") return "Restrict";
  if (sql == "SET NULL") return "SetNull";
  if (sql == "SET DEFAULT") return "SetDefault";
  return "NoAction";
}

std::string join(const std::vector<std::string>& xs, const std::string& sep = ", ") {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : sep) + x;
  return out;
}

}  // namespace

std::string schema_from_catalog(const Catalog& cat, emit::Dialect d, const std::string& header, const Existing& existing) {
  std::map<std::string, std::string> model_of;  // table -> model name (the existing schema's first)
  for (const auto& t : cat.tables) {
    auto kept = existing.model_of_table.find(t.name);
    model_of[t.name] = kept != existing.model_of_table.end() ? kept->second
                       : valid_identifier(t.name)             ? t.name
                                                              : sanitised(t.name);
  }
  std::map<std::string, std::string> field_of;  // "table.column" -> field name
  for (const auto& t : cat.tables)
    for (const auto& c : t.columns) {
      std::string key = t.name + "." + c.name;
      auto kept = existing.field_of_column.find(key);
      field_of[key] = kept != existing.field_of_column.end() ? kept->second
                      : valid_identifier(c.name)              ? c.name
                                                              : sanitised(c.name);
    }
  auto kept_relation = [&](const Table* child, const std::vector<std::string>& cols) -> const std::pair<std::string, std::string>* {
    std::string key = child->name + "|";
    for (std::size_t i = 0; i < cols.size(); ++i) key += (i ? "," : "") + cols[i];
    auto it = existing.relation_fields.find(key);
    return it == existing.relation_fields.end() ? nullptr : &it->second;
  };
  auto fields = [&](const std::string& table, const std::vector<std::string>& cols) {
    std::vector<std::string> out;
    for (const auto& c : cols) out.push_back(field_of[table + "." + c]);
    return out;
  };
  // relations: per child table, per parent table; names made unique as Prisma does for
  // ambiguous ones (Model_fkColsToParent)
  struct Rel {
    const Table* child;
    const Table* parent;
    Fk fk;
    bool ambiguous = false;
  };
  // implicit many-to-many join tables (_AToB: columns A and B, a foreign key on each): no model,
  // a list field on both sides
  struct ManyToMany {
    const Table* join;
    const Table* a;
    const Table* b;
  };
  std::vector<ManyToMany> m2m;
  std::set<std::string> join_tables;
  for (const auto& t : cat.tables) {
    if (t.name.size() < 2 || t.name[0] != '_' || t.columns.size() != 2 || t.columns[0].name != "A" ||
        t.columns[1].name != "B" || t.foreign_keys.size() != 2)
      continue;
    const Table* a = nullptr;
    const Table* b = nullptr;
    for (const auto& f : t.foreign_keys) {
      Fk fk = parse_fk(f);
      if (fk.columns == std::vector<std::string>{"A"}) a = cat.table(fk.table);
      if (fk.columns == std::vector<std::string>{"B"}) b = cat.table(fk.table);
    }
    if (!a || !b || a == b) continue;
    m2m.push_back({&t, a, b});
    join_tables.insert(t.name);
  }
  std::vector<Rel> rels;
  for (const auto& t : cat.tables) {
    if (join_tables.count(t.name)) continue;
    for (const auto& f : t.foreign_keys) {
      Fk fk = parse_fk(f);
      const Table* parent = cat.table(fk.table);
      if (parent) rels.push_back({&t, parent, fk});
    }
  }
  for (auto& r : rels)
    r.ambiguous = std::count_if(rels.begin(), rels.end(), [&](const Rel& o) {
                    return (o.child == r.child && o.parent == r.parent) || (o.child == r.parent && o.parent == r.child);
                  }) > 1;
  auto relation_name = [&](const Rel& r) {
    if (r.child == r.parent) return model_of[r.child->name] + "To" + model_of[r.parent->name];
    return model_of[r.child->name] + "_" + join(fields(r.child->name, r.fk.columns), "_") + "To" + model_of[r.parent->name];
  };
  for (auto& r : rels)
    if (r.child == r.parent) r.ambiguous = true;  // a self-relation always has a name

  std::string out = header;
  if (!out.empty() && out.back() != '\n') out += "\n";
  std::vector<const Table*> tables;
  for (const auto& t : cat.tables)
    if (!join_tables.count(t.name)) tables.push_back(&t);
  // the existing schema's models in its order, then new tables by name (as Prisma re-introspects)
  auto rank = [&](const Table* t) {
    auto it = std::find(existing.table_order.begin(), existing.table_order.end(), t->name);
    return it == existing.table_order.end() ? existing.table_order.size() : static_cast<std::size_t>(it - existing.table_order.begin());
  };
  std::sort(tables.begin(), tables.end(), [&](const Table* a, const Table* b) {
    auto ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : a->name < b->name;
  });
  for (const Table* t : tables) {
    const std::string& model = model_of[t->name];
    bool keyless = t->primary_key.empty() &&
                   std::none_of(t->indexes.begin(), t->indexes.end(), [](const Index& i) { return i.unique; });
    if (keyless)
      out += "\n/// The underlying table does not contain a valid unique identifier and can therefore currently not be "
             "handled by Prisma Client.";
    out += "\nmodel " + model + " {\n";
    std::set<std::string> single_unique;
    std::vector<std::string> block;
    std::vector<const Index*> by_name;
    for (const auto& i : t->indexes) by_name.push_back(&i);
    std::sort(by_name.begin(), by_name.end(), [](const Index* x, const Index* y) { return x->name < y->name; });
    for (const Index* ip : by_name) {
      const Index& i = *ip;
      auto cols = index_columns(i);
      std::string default_name = t->name + "_" + join(cols, "_") + (i.unique ? "_key" : "_idx");
      std::string map = i.name == default_name ? "" : "map: " + quote(i.name);
      if (i.unique && cols.size() == 1 && map.empty()) {
        single_unique.insert(cols[0]);
        continue;
      }
      std::string args = "[" + join(fields(t->name, cols)) + "]" + (map.empty() ? "" : ", " + map);
      block.push_back(std::string(i.unique ? "@@unique(" : "@@index(") + args + ")");
    }
    if (t->primary_key.size() > 1) block.insert(block.begin(), "@@id([" + join(fields(t->name, t->primary_key)) + "])");
    bool has_key = !t->primary_key.empty() ||
                   std::any_of(t->indexes.begin(), t->indexes.end(), [](const Index& i) { return i.unique; });
    std::set<std::string> used;
    for (const auto& c : t->columns) {
      FieldType ft = d == emit::Dialect::Sqlite ? sqlite_type(c.type) : postgres_type(c.type, cat);
      std::string name = field_of[t->name + "." + c.name];
      used.insert(name);
      std::string line = "  " + name + " " + ft.type + (ft.list ? "[]" : (c.not_null ? "" : "?"));
      std::vector<std::string> attrs;
      if (t->primary_key.size() == 1 && t->primary_key[0] == c.name) attrs.push_back("@id");
      if (auto def = default_attribute(c, ft, d); !def.empty()) attrs.push_back(def);
      if (existing.updated_at.count(t->name + "." + c.name)) attrs.push_back("@updatedAt");
      if (single_unique.count(c.name)) attrs.push_back("@unique");
      if (name != c.name) attrs.push_back("@map(" + quote(c.name) + ")");
      if (!ft.native.empty()) attrs.push_back(ft.native);
      out += line + (attrs.empty() ? "" : " " + join(attrs, " ")) + "\n";
    }
    // relation fields, sorted by name (Prisma's order), the many-to-many ones last
    std::vector<std::pair<std::string, std::string>> relation_fields, m2m_fields;  // name, line
    for (const auto& r : rels) {
      if (r.child != t) continue;
      const auto* kept = kept_relation(r.child, r.fk.columns);
      std::string name = kept                 ? kept->first
                         : r.child == r.parent ? model_of[r.parent->name]
                         : r.ambiguous         ? relation_name(r)
                                               : model_of[r.parent->name];
      while (used.count(name)) name += "_";
      used.insert(name);
      bool optional = std::any_of(r.fk.columns.begin(), r.fk.columns.end(), [&](const std::string& col) {
        const Column* c = t->column(col);
        return c && !c->not_null;
      });
      std::vector<std::string> args;
      if (r.ambiguous) args.push_back(quote(relation_name(r)));
      args.push_back("fields: [" + join(fields(t->name, r.fk.columns)) + "]");
      args.push_back("references: [" + join(fields(r.parent->name, r.fk.references)) + "]");
      std::string del = action_name(r.fk.on_delete), upd = action_name(r.fk.on_update);
      if (del != (optional ? "SetNull" : "Restrict")) args.push_back("onDelete: " + del);
      if (upd != "Cascade") args.push_back("onUpdate: " + upd);
      std::string default_fk = t->name + "_" + join(r.fk.columns, "_") + "_fkey";
      if (!r.fk.name.empty() && r.fk.name != default_fk) args.push_back("map: " + quote(r.fk.name));
      relation_fields.emplace_back(name, "  " + name + " " + model_of[r.parent->name] + (optional ? "?" : "") +
                                             " @relation(" + join(args) + ")\n");
    }
    for (const auto& r : rels) {
      if (r.parent != t) continue;
      const auto* kept = kept_relation(r.child, r.fk.columns);
      std::string name = kept                 ? kept->second
                         : r.child == r.parent ? "other_" + model_of[r.child->name]
                         : r.ambiguous         ? relation_name(r)
                                               : model_of[r.child->name];
      while (used.count(name)) name += "_";
      used.insert(name);
      // one-to-one when the foreign key's columns are unique on the child
      bool one = false;
      for (const auto& i : r.child->indexes)
        if (i.unique && index_columns(i) == r.fk.columns) one = true;
      if (r.child->primary_key == r.fk.columns) one = true;
      relation_fields.emplace_back(name, "  " + name + " " + model_of[r.child->name] + (one ? "?" : "[]") +
                                             (r.ambiguous ? " @relation(" + quote(relation_name(r)) + ")" : "") + "\n");
    }
    for (const auto& m : m2m) {
      if (m.a != t && m.b != t) continue;
      const Table* other = m.a == t ? m.b : m.a;
      std::string name = model_of[other->name];
      while (used.count(name)) name += "_";
      used.insert(name);
      std::string default_name = "_" + std::min(model_of[m.a->name], model_of[m.b->name]) + "To" +
                                 std::max(model_of[m.a->name], model_of[m.b->name]);
      std::string rel = m.join->name == default_name ? "" : " @relation(" + quote(m.join->name.substr(1)) + ")";
      m2m_fields.emplace_back(name, "  " + name + " " + model_of[other->name] + "[]" + rel + "\n");
    }
    std::sort(relation_fields.begin(), relation_fields.end());
    std::sort(m2m_fields.begin(), m2m_fields.end());
    for (const auto& [n, line] : relation_fields) out += line;
    for (const auto& [n, line] : m2m_fields) out += line;
    if (!has_key) block.push_back("@@ignore");
    if (model != t->name) block.push_back("@@map(" + quote(t->name) + ")");
    if (!block.empty()) {
      out += "\n";
      for (const auto& b : block) out += "  " + b + "\n";
    }
    out += "}\n";
  }
  std::vector<const Enum*> enums;
  for (const auto& e : cat.enums) enums.push_back(&e);
  std::sort(enums.begin(), enums.end(), [](const Enum* a, const Enum* b) { return a->name < b->name; });
  for (const Enum* e : enums) {
    out += "\nenum " + e->name + " {\n";
    for (const auto& v : e->values) out += "  " + v + "\n";
    out += "}\n";
  }
  return out;
}

}  // namespace prisma_cpp::migrate
