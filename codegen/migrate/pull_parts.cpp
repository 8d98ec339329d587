// The parts of `db pull` that read the database's texts, names, types and defaults
// (migrate/pull_parts.hpp).
#include "migrate/pull_parts.hpp"

#include "schema/sql_names.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace prisma_cpp::migrate::pull_parts {

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
std::string parenthesised(const std::string& s, std::size_t from, std::size_t* end) {
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

std::string join(const std::vector<std::string>& xs, const std::string& sep) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : sep) + x;
  return out;
}

}  // namespace prisma_cpp::migrate::pull_parts
