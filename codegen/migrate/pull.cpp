#include "migrate/pull.hpp"

#include "schema/sql_names.hpp"

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
  // the referenced table: `"User"`, `users`, `auth.users`, `"auth"."Users"` (qualified when its
  // namespace is not on the search path) -> "User", "users", "auth\x1fusers"
  std::vector<std::string> parts(1);
  while (p < d.size() && d[p] != '(' && d[p] != ' ') {
    if (d[p] == '"') {
      auto q = d.find('"', p + 1);
      parts.back() += d.substr(p + 1, q - p - 1);
      p = q + 1;
    } else if (d[p] == '.') {
      parts.emplace_back();
      ++p;
    } else {
      parts.back() += d[p++];
    }
  }
  std::string table = parts.size() == 2 ? parts[0] + kNamespaceSeparator + parts[1] : parts.back();
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

// An index as its definition says: the method and, per column, its sort and operator class.
struct IndexPart {
  std::string column;
  bool desc = false;
  std::string opclass;  // empty: the default one (the database's text leaves it out)
};
struct IndexShape {
  std::string method;  // btree, hash, gin, gist, spgist, brin
  std::vector<IndexPart> parts;
  bool expression = false;  // over an expression (`lower(email)`), which the schema language cannot say
  std::string where;        // a partial index's condition, as the database writes it
};

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

IndexShape index_shape(const Index& i) {
  IndexShape out;
  const std::string& d = i.definition;
  std::string up = d;
  for (auto& ch : up) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto on = up.find(" ON ");
  std::size_t from = on == std::string::npos ? 0 : on + 4;
  if (auto u = up.find(" USING ", from); u != std::string::npos && u < d.find('(', from)) {
    std::size_t p = u + 7;
    while (p < d.size() && d[p] != ' ' && d[p] != '(') out.method += static_cast<char>(std::tolower(static_cast<unsigned char>(d[p++])));
    from = p;
  }
  if (out.method.empty()) out.method = "btree";
  std::size_t list_end = 0;
  std::string list = parenthesised(d, from, &list_end);
  if (auto w = up.find(" WHERE ", list_end); list_end && w != std::string::npos) out.where = d.substr(w + 7);
  std::size_t k = 0;
  while (k < list.size()) {
    // one item, up to a comma outside quotes and parentheses
    std::string item;
    int depth = 0;
    bool quoted = false;
    for (; k < list.size(); ++k) {
      char c = list[k];
      if (c == '"') quoted = !quoted;
      if (!quoted && c == '(') ++depth;
      if (!quoted && c == ')') --depth;
      if (!quoted && depth == 0 && c == ',') break;
      item += c;
    }
    ++k;
    auto ids = identifiers(item);
    {
      std::size_t q = 0;
      while (q < item.size() && item[q] == ' ') ++q;
      if (q < item.size() && item[q] == '"') q = item.find('"', q + 1) + 1;
      while (q < item.size() && item[q] != ' ' && item[q] != '(') ++q;
      if (q < item.size() && item[q] == '(') out.expression = true;
      if (!item.empty() && item.find_first_not_of(' ') != std::string::npos && item[item.find_first_not_of(' ')] == '(')
        out.expression = true;
    }
    IndexPart part;
    part.column = ids.empty() ? item : ids[0];
    std::size_t rest = 0;
    while (rest < item.size() && item[rest] == ' ') ++rest;
    if (rest < item.size() && item[rest] == '"') rest = item.find('"', rest + 1) + 1;
    else
      while (rest < item.size() && item[rest] != ' ') ++rest;
    std::string word;
    auto flush = [&]() {
      std::string w = lower(word);
      word.clear();
      if (w.empty() || w == "asc" || w == "nulls" || w == "first" || w == "last") return;
      if (w == "desc") part.desc = true;
      else part.opclass = w;
    };
    for (; rest <= item.size(); ++rest) {
      if (rest == item.size() || item[rest] == ' ') flush();
      else word += item[rest];
    }
    out.parts.push_back(part);
  }
  return out;
}

// `jsonb_path_ops` -> `JsonbPathOps` when the schema language names it, else `raw("...")`.
std::string operator_class_attribute(const std::string& sql) {
  std::string name;
  bool up = true;
  for (char c : sql) {
    if (c == '_') {
      up = true;
      continue;
    }
    name += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  auto replace = [&](const std::string& a, const std::string& b) {
    for (auto p = name.find(a); p != std::string::npos; p = name.find(a, p + b.size())) name.replace(p, a.size(), b);
  };
  replace("Minmax", "MinMax");
  replace("Timestamptz", "TimestampTz");
  replace("Timetz", "TimeTz");
  replace("Varbit", "VarBit");
  if (schema::detail::known_operator_class(name)) return name;
  std::string q = "\"";
  for (char c : sql) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return "raw(" + q + "\")";
}

std::string index_type_name(const std::string& method) {
  if (method == "hash") return "Hash";
  if (method == "gin") return "Gin";
  if (method == "gist") return "Gist";
  if (method == "spgist") return "SpGist";
  if (method == "brin") return "Brin";
  return "";
}

// ---- names ----------------------------------------------------------------------------------

// A Catalog name without its namespace ("auth\x1fusers" -> "users"), and its namespace.
std::string bare(const std::string& name) {
  auto sep = name.find(kNamespaceSeparator);
  return sep == std::string::npos ? name : name.substr(sep + 1);
}
std::string namespace_of(const std::string& name, const Catalog& cat) {
  auto sep = name.find(kNamespaceSeparator);
  return sep == std::string::npos ? cat.default_namespace : name.substr(0, sep);
}

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
  for (const auto& e : cat.enums) {  // "Role", role, auth."Level"
    std::string b = bare(e.name), ns = e.name.find(kNamespaceSeparator) == std::string::npos ? "" : namespace_of(e.name, cat);
    for (const std::string& n : {"\"" + b + "\"", b})
      if (t == n || (!ns.empty() && (t == ns + "." + n || t == "\"" + ns + "\"." + n))) {
        out.type = b;
        return out;
      }
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
  else if (t == "citext") out = {"String", "@db.Citext", out.list};
  else if (t == "inet") out = {"String", "@db.Inet", out.list};
  else if (t == "xml") out = {"String", "@db.Xml", out.list};
  else if (base == "bit") out = {"String", "@db.Bit" + args(), out.list};
  else if (base == "bit varying") out = {"String", "@db.VarBit" + args(), out.list};
  else if (t == "money") out = {"Decimal", "@db.Money", out.list};
  else if (t == "oid") out = {"Int", "@db.Oid", out.list};
  else if (base.rfind("time", 0) == 0 && t.find("with time zone") != std::string::npos && t.find("without") == std::string::npos)
    out = {"DateTime", "@db.Timetz" + args(), out.list};
  else if (base.rfind("time", 0) == 0) out = {"DateTime", "@db.Time" + args(), out.list};
  else out.type = "Unsupported(" + quote(t) + ")";
  return out;
}

// A literal of a default as the schema writes it ('a''b'::text -> "a'b", 1, true, an enum's value),
// or empty when it is not one.
std::string literal_value(std::string v, const FieldType& ft, bool is_enum, emit::Dialect d) {
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  while (!v.empty() && v.back() == ' ') v.pop_back();
  if (d == emit::Dialect::Postgresql && !v.empty() && v.front() == '\'') {
    auto close = v.find("'::");
    while (close != std::string::npos && close + 1 < v.size() && v.compare(close, 2, "''") == 0) close = v.find("'::", close + 2);
    if (close != std::string::npos) v = v.substr(0, close + 1);
  }
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
    std::string inner;
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\'' && v[i + 1] == '\'') ++i;
      inner += v[i];
    }
    if (ft.type == "String" || ft.type == "Json") return quote(inner);
    if (is_enum && valid_identifier(inner)) return inner;
    if (ft.type == "Decimal" || ft.type == "Float" || ft.type == "Int" || ft.type == "BigInt") return inner;
    return "";
  }
  if (ft.type == "Boolean") {
    if (v == "true" || v == "1") return "true";
    if (v == "false" || v == "0") return "false";
  }
  bool number = !v.empty() && std::all_of(v.begin(), v.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-';
  });
  if (number && (ft.type == "Int" || ft.type == "BigInt" || ft.type == "Float" || ft.type == "Decimal")) return v;
  return "";
}

// The @default(...) text, or empty.
std::string default_attribute(const Column& c, const FieldType& ft, bool is_enum, emit::Dialect d) {
  if (c.autoincrement) return "@default(autoincrement())";
  if (!c.default_sql) return "";
  std::string v = *c.default_sql;
  std::string upper = v;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (upper == "CURRENT_TIMESTAMP" || upper == "NOW()") return "@default(now())";
  // PostgreSQL scalar lists: ARRAY[]::text[], ARRAY[1, 2], ARRAY['a'::text, 'b'::text] -> [], [1, 2], ["a", "b"]
  if (ft.list && d == emit::Dialect::Postgresql && upper.rfind("ARRAY[", 0) == 0) {
    std::size_t close = std::string::npos;
    bool quoted = false;
    for (std::size_t i = 6; i < v.size(); ++i) {
      if (v[i] == '\'') quoted = !quoted;
      if (!quoted && v[i] == ']') {
        close = i;
        break;
      }
    }
    if (close != std::string::npos) {
      std::string tail = v.substr(close + 1);
      bool cast_only = tail.empty() || (tail.rfind("::", 0) == 0 && tail.find_first_of("(,") == std::string::npos);
      std::vector<std::string> items;
      std::string cur;
      quoted = false;
      for (std::size_t i = 6; i < close; ++i) {
        if (v[i] == '\'') quoted = !quoted;
        if (!quoted && v[i] == ',') {
          items.push_back(cur);
          cur.clear();
        } else {
          cur += v[i];
        }
      }
      if (!cur.empty()) items.push_back(cur);
      std::vector<std::string> values;
      FieldType item_type = ft;
      item_type.list = false;
      bool all = cast_only;
      for (const auto& it : items) {
        std::string lit = literal_value(it, item_type, is_enum, d);
        all = all && !lit.empty();
        values.push_back(lit);
      }
      if (all) {
        std::string out;
        for (const auto& x : values) out += (out.empty() ? "" : ", ") + x;
        return "@default([" + out + "])";
      }
    }
  }
  if (!ft.list)
    if (std::string lit = literal_value(v, ft, is_enum, d); !lit.empty()) return "@default(" + lit + ")";
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

std::string schema_from_catalog(const Catalog& cat, emit::Dialect d, const std::string& header, const Existing& existing,
                                std::vector<std::string>* warnings) {
  bool multi = !existing.namespaces.empty();
  auto referenced = [&](const std::string& name) -> const Table* {
    if (const Table* t = cat.table(name)) return t;
    if (namespace_of(name, cat) == cat.default_namespace) return cat.table(bare(name));
    return nullptr;
  };
  std::map<std::string, std::string> model_of;  // table -> model name (the existing schema's first)
  for (const auto& t : cat.tables) {
    auto kept = existing.model_of_table.find(bare(t.name));
    model_of[t.name] = kept != existing.model_of_table.end() ? kept->second
                       : valid_identifier(bare(t.name))       ? bare(t.name)
                                                              : sanitised(bare(t.name));
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
    if (bare(t.name).size() < 2 || bare(t.name)[0] != '_' || t.columns.size() != 2 || t.columns[0].name != "A" ||
        t.columns[1].name != "B" || t.foreign_keys.size() != 2)
      continue;
    const Table* a = nullptr;
    const Table* b = nullptr;
    for (const auto& f : t.foreign_keys) {
      Fk fk = parse_fk(f);
      if (fk.columns == std::vector<std::string>{"A"}) a = referenced(fk.table);
      if (fk.columns == std::vector<std::string>{"B"}) b = referenced(fk.table);
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
      const Table* parent = referenced(fk.table);
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
    if (multi && namespace_of(a->name, cat) != namespace_of(b->name, cat))  // multiSchema: by namespace first
      return namespace_of(a->name, cat) < namespace_of(b->name, cat);
    auto ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : bare(a->name) < bare(b->name);
  });
  for (const Table* t : tables) {
    const std::string& model = model_of[t->name];
    bool keyless = t->primary_key.empty() &&
                   std::none_of(t->indexes.begin(), t->indexes.end(), [](const Index& i) { return i.unique; });
    if (keyless)
      out += "\n/// The underlying table does not contain a valid unique identifier and can therefore currently not be "
             "handled by Prisma Client.";
    // what the schema language cannot say: Prisma's comments, in Prisma's order, and its warnings
    std::vector<std::string> expression_indexes = t->expression_indexes;
    for (const auto& i : t->indexes)
      if (index_shape(i).expression) expression_indexes.push_back(i.name);
    if (!t->checks.empty()) {
      out += "\n/// This table contains check constraints and requires additional setup for migrations. Visit "
             "https://pris.ly/d/check-constraints for more info.";
      if (warnings)
        for (const auto& c : t->checks) warnings->push_back("check: Model: \"" + model + "\", constraint: \"" + c + "\"");
    }
    if (!t->commented.empty()) {
      out += "\n/// This model or at least one of its fields has comments in the database, and requires an additional "
             "setup for migrations: Read more: https://pris.ly/d/database-comments";
      if (warnings)
        for (const auto& c : t->commented)
          warnings->push_back(c.empty() ? "comments: Type: \"model\", name: \"" + model + "\""
                                        : "comments: Type: \"field\", name: \"" + model + "." + field_of[t->name + "." + c] + "\"");
    }
    if (!t->deferred.empty()) {
      out += "\n/// This model has constraints using non-default deferring rules and requires additional setup for "
             "migrations. Visit https://pris.ly/d/constraint-deferring for more info.";
      if (warnings)
        for (const auto& c : t->deferred) warnings->push_back("deferring: Model: \"" + model + "\", constraint: \"" + c + "\"");
    }
    if (t->row_level_security) {
      out += "\n/// This model contains row level security and requires additional setup for migrations. Visit "
             "https://pris.ly/d/row-level-security for more info.";
      if (warnings) warnings->push_back("rls: \"" + model + "\"");
    }
    if (!expression_indexes.empty()) {
      out += "\n/// This model contains an expression index which requires additional setup for migrations. Visit "
             "https://pris.ly/d/expression-indexes for more info.";
      if (warnings)
        for (const auto& c : expression_indexes) warnings->push_back("expression: Model: \"" + model + "\", constraint: \"" + c + "\"");
    }
    out += "\nmodel " + model + " {\n";
    std::map<std::string, std::string> single_unique;  // column -> its @unique's arguments ("" or "(map: ...)")
    std::vector<std::string> block;
    std::vector<const Index*> by_name;
    for (const auto& i : t->indexes) by_name.push_back(&i);
    // PostgreSQL: by name; SQLite: PRAGMA index_list's order (the last created first), as Prisma's
    if (d == emit::Dialect::Sqlite) std::reverse(by_name.begin(), by_name.end());
    else std::sort(by_name.begin(), by_name.end(), [](const Index* x, const Index* y) { return x->name < y->name; });
    ir::Provider provider = d == emit::Dialect::Sqlite ? ir::Provider::Sqlite : ir::Provider::Postgresql;
    for (const Index* ip : by_name) {
      const Index& i = *ip;
      IndexShape shape = index_shape(i);
      if (shape.expression) continue;  // not in the schema; noted on the model, as Prisma's
      std::vector<std::string> cols;
      for (const auto& part : shape.parts) cols.push_back(part.column);
      std::string default_name = i.unique ? schema::detail::unique_index_name(bare(t->name), cols, provider)
                                          : schema::detail::normal_index_name(bare(t->name), cols, provider);
      std::string map = i.name == default_name ? "" : "map: " + quote(i.name);
      std::string type = index_type_name(shape.method);
      bool plain = type.empty() && std::none_of(shape.parts.begin(), shape.parts.end(), [](const IndexPart& p) {
        return p.desc || !p.opclass.empty();
      });
      std::string where = shape.where.empty() ? "" : "where: raw(" + quote(shape.where) + ")";
      if (i.unique && cols.size() == 1 && plain && !single_unique.count(cols[0])) {
        std::string args = map + (map.empty() || where.empty() ? "" : ", ") + where;
        single_unique[cols[0]] = args.empty() ? "" : "(" + args + ")";
        continue;
      }
      std::vector<std::string> items;
      for (const auto& part : shape.parts) {
        std::vector<std::string> args;
        if (part.desc) args.push_back("sort: Desc");
        if (!part.opclass.empty()) args.push_back("ops: " + operator_class_attribute(part.opclass));
        std::string f = field_of[t->name + "." + part.column];
        items.push_back(args.empty() ? f : f + "(" + join(args) + ")");
      }
      std::string args = "[" + join(items) + "]" + (map.empty() ? "" : ", " + map) + (type.empty() ? "" : ", type: " + type) +
                         (where.empty() ? "" : ", " + where);
      block.push_back(std::string(i.unique ? "@@unique(" : "@@index(") + args + ")");
    }
    std::string pk_map;
    if (!t->primary_key_name.empty() && t->primary_key_name != schema::detail::primary_key_name(bare(t->name), provider))
      pk_map = "map: " + quote(t->primary_key_name);
    if (t->primary_key.size() > 1)
      block.insert(block.begin(), "@@id([" + join(fields(t->name, t->primary_key)) + "]" + (pk_map.empty() ? "" : ", " + pk_map) + ")");
    bool has_key = !t->primary_key.empty() ||
                   std::any_of(t->indexes.begin(), t->indexes.end(), [](const Index& i) { return i.unique; });
    std::set<std::string> used;
    for (const auto& c : t->columns) {
      FieldType ft = d == emit::Dialect::Sqlite ? sqlite_type(c.type) : postgres_type(c.type, cat);
      std::string name = field_of[t->name + "." + c.name];
      used.insert(name);
      std::string line = "  " + name + " " + ft.type + (ft.list ? "[]" : (c.not_null ? "" : "?"));
      std::vector<std::string> attrs;
      if (t->primary_key.size() == 1 && t->primary_key[0] == c.name) attrs.push_back(pk_map.empty() ? "@id" : "@id(" + pk_map + ")");
      bool is_enum = d == emit::Dialect::Postgresql && std::any_of(cat.enums.begin(), cat.enums.end(), [&](const Enum& e) {
                       return bare(e.name) == ft.type;
                     });
      if (auto def = default_attribute(c, ft, is_enum, d); !def.empty()) attrs.push_back(def);
      if (existing.updated_at.count(t->name + "." + c.name)) attrs.push_back("@updatedAt");
      if (auto su = single_unique.find(c.name); su != single_unique.end()) attrs.push_back("@unique" + su->second);
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
                         : r.ambiguous         ? model_of[r.parent->name] + "_" + relation_name(r)
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
      std::string default_fk = bare(t->name) + "_" + join(r.fk.columns, "_") + "_fkey";
      if (!r.fk.name.empty() && r.fk.name != default_fk) args.push_back("map: " + quote(r.fk.name));
      relation_fields.emplace_back(name, "  " + name + " " + model_of[r.parent->name] + (optional ? "?" : "") +
                                             " @relation(" + join(args) + ")\n");
    }
    for (const auto& r : rels) {
      if (r.parent != t) continue;
      const auto* kept = kept_relation(r.child, r.fk.columns);
      std::string name = kept                 ? kept->second
                         : r.child == r.parent ? "other_" + model_of[r.child->name]
                         : r.ambiguous         ? model_of[r.child->name] + "_" + relation_name(r)
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
      std::string relation = bare(m.join->name).substr(1);
      // several join tables between the same two models: each field named Model_relation, as Prisma's
      bool ambiguous = std::count_if(m2m.begin(), m2m.end(), [&](const ManyToMany& o) {
                         return (o.a == m.a && o.b == m.b) || (o.a == m.b && o.b == m.a);
                       }) > 1;
      // (Prisma's introspection of a multiSchema database names the field after its own model)
      std::string name = ambiguous ? model_of[other->name] + "_" + relation : multi ? model_of[t->name] : model_of[other->name];
      while (used.count(name)) name += "_";
      used.insert(name);
      std::string default_name = "_" + std::min(model_of[m.a->name], model_of[m.b->name]) + "To" +
                                 std::max(model_of[m.a->name], model_of[m.b->name]);
      std::string rel = bare(m.join->name) == default_name && !ambiguous ? "" : " @relation(" + quote(relation) + ")";
      m2m_fields.emplace_back(name, "  " + name + " " + model_of[other->name] + "[]" + rel + "\n");
    }
    // PostgreSQL: by name; SQLite: in PRAGMA foreign_key_list's order (the last declared first), as Prisma's
    if (d != emit::Dialect::Sqlite) std::sort(relation_fields.begin(), relation_fields.end());
    std::sort(m2m_fields.begin(), m2m_fields.end());
    for (const auto& [n, line] : relation_fields) out += line;
    for (const auto& [n, line] : m2m_fields) out += line;
    if (!has_key) block.push_back("@@ignore");
    if (model != bare(t->name)) block.push_back("@@map(" + quote(bare(t->name)) + ")");
    if (multi) block.push_back("@@schema(" + quote(namespace_of(t->name, cat)) + ")");
    if (!block.empty()) {
      out += "\n";
      for (const auto& b : block) out += "  " + b + "\n";
    }
    out += "}\n";
  }
  std::vector<const Enum*> enums;
  for (const auto& e : cat.enums) enums.push_back(&e);
  std::sort(enums.begin(), enums.end(), [&](const Enum* a, const Enum* b) {
    if (multi && namespace_of(a->name, cat) != namespace_of(b->name, cat)) return namespace_of(a->name, cat) < namespace_of(b->name, cat);
    return bare(a->name) < bare(b->name);
  });
  for (const Enum* e : enums) {
    out += "\nenum " + bare(e->name) + " {\n";
    for (const auto& v : e->values) out += "  " + v + "\n";
    if (multi) out += "\n  @@schema(" + quote(namespace_of(e->name, cat)) + ")\n";
    out += "}\n";
  }
  return out;
}

}  // namespace prisma_cpp::migrate
