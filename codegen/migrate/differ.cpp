#include "migrate/differ.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <array>
#include <cctype>
#include <stdexcept>

#include <prisma/driver/postgres.hpp>
#include <prisma/driver/sqlite.hpp>

namespace prisma_cpp::migrate {

using prisma::sql::quoted_ident;

namespace {
template <class T>
const T* by_name(const std::vector<T>& xs, const std::string& n) {
  for (const auto& x : xs)
    if (x.name == n) return &x;
  return nullptr;
}
}  // namespace

bool same_foreign_keys(const std::vector<ForeignKey>& a, const std::vector<ForeignKey>& b) {
  if (a.size() != b.size()) return false;
  auto key = [](const ForeignKey& f) { return f.name + '\n' + f.definition; };
  std::vector<std::string> x, y;
  for (const auto& f : a) x.push_back(key(f));
  for (const auto& f : b) y.push_back(key(f));
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return x == y;
}

bool same_default(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a || !b) return a == b;
  auto strip = [](const std::string& s) {
    std::string out;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\'') quoted = !quoted;
      if (!quoted && s.compare(i, 2, "::") == 0) {
        i += 2;
        while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == ' ' || s[i] == '"' ||
                                s[i] == '[' || s[i] == ']' || s[i] == '.'))
          ++i;
        --i;
        continue;
      }
      out += s[i];
    }
    return out;
  };
  return strip(*a) == strip(*b);
}

std::string sql_name(const std::string& name) {
  auto sep = name.find(kNamespaceSeparator);
  if (sep == std::string::npos) return quoted_ident(name);
  return quoted_ident(name.substr(0, sep)) + "." + quoted_ident(name.substr(sep + 1));
}

std::string display_name(const std::string& name) {
  std::string out = name;
  std::replace(out.begin(), out.end(), kNamespaceSeparator, '.');
  return out;
}

const Column* Table::column(const std::string& n) const { return by_name(columns, n); }
const Index* Table::index(const std::string& n) const { return by_name(indexes, n); }
const Table* Catalog::table(const std::string& n) const { return by_name(tables, n); }
const Enum* Catalog::enum_(const std::string& n) const { return by_name(enums, n); }

// ---- writing SQL --------------------------------------------------------------------------

namespace {

using emit::detail::Step;

std::string quoted_after(const std::string& sql, const std::string& after);
const Step* step_for(const std::vector<Step>& steps, const std::string& kind, const std::string& name,
                     const std::string& after);
std::string column_line(const Step& create, const std::string& column);
std::optional<std::string> default_of_line(const std::string& line);

// The target's tables in the order its from-empty steps create them (Prisma's order), then any
// other (none, normally).
std::vector<const Table*> in_step_order(const Catalog& to, const std::vector<Step>& steps) {
  std::vector<const Table*> out;
  for (const auto& s : steps)
    if (std::string(s.kind) == "CreateTable")
      if (const Table* t = to.table(quoted_after(s.sql, "CREATE TABLE"))) out.push_back(t);
  for (const auto& t : to.tables)
    if (std::find(out.begin(), out.end(), &t) == out.end()) out.push_back(&t);
  return out;
}

// The first quoted identifier after `after` in `sql`; a schema-qualified one ("ns"."name") as a
// Catalog names it ("ns\x1fname").
std::string quoted_after(const std::string& sql, const std::string& after) {
  auto p = sql.find(after);
  if (p == std::string::npos) return "";
  auto q1 = sql.find('"', p + after.size());
  if (q1 == std::string::npos) return "";
  auto q2 = sql.find('"', q1 + 1);
  std::string first = sql.substr(q1 + 1, q2 - q1 - 1);
  if (q2 + 2 < sql.size() && sql[q2 + 1] == '.' && sql[q2 + 2] == '"') {
    auto q3 = sql.find('"', q2 + 3);
    return first + kNamespaceSeparator + sql.substr(q2 + 3, q3 - q2 - 3);
  }
  return first;
}

// An object in the namespace of the table `table` (an index: `"ns"."idx"`).
std::string in_namespace_of(const std::string& table, const std::string& object) {
  auto sep = table.find(kNamespaceSeparator);
  return sql_name(sep == std::string::npos ? object : table.substr(0, sep + 1) + object);
}

const Step* step_for(const std::vector<Step>& steps, const std::string& kind, const std::string& name,
                     const std::string& after) {
  for (const auto& s : steps)
    if (s.kind == kind && quoted_after(s.sql, after) == name) return &s;
  return nullptr;
}

// The column's line in the target's CREATE TABLE: `"age" BIGINT NOT NULL DEFAULT 0`.
std::string column_line(const Step& create, const std::string& column) {
  std::string needle = "\n    " + quoted_ident(column) + " ";
  auto p = create.sql.find(needle);
  if (p == std::string::npos) throw std::runtime_error("the target's CREATE TABLE has no column " + column);
  auto e = create.sql.find('\n', p + 1);
  std::string line = create.sql.substr(p + 5, e - p - 5);
  if (!line.empty() && line.back() == ',') line.pop_back();
  return line;
}
// `"age" BIGINT NOT NULL DEFAULT 0` -> the type, and the default's text.
std::string type_of_line(const std::string& line, const std::string& column) {
  std::string rest = line.substr(quoted_ident(column).size() + 1);
  for (const char* stop : {" NOT NULL", " DEFAULT ", " PRIMARY KEY"})
    if (auto p = rest.find(stop); p != std::string::npos) rest = rest.substr(0, p);
  return rest;
}
std::optional<std::string> default_of_line(const std::string& line) {
  auto p = line.find(" DEFAULT ");
  if (p == std::string::npos) return std::nullopt;
  return line.substr(p + 9);
}

void add(std::vector<std::pair<std::string, std::string>>& out, const std::string& kind, const std::string& sql) {
  out.emplace_back(kind, sql);
}

std::string join(const std::vector<std::pair<std::string, std::string>>& steps) {
  std::string out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (i) out += "\n";
    out += "-- " + steps[i].first + "\n" + steps[i].second + "\n";
  }
  return out;
}

// CreateIndex for the indexes that are new or changed: those of created tables first, then those
// new on existing tables (Prisma's order); `skip(table)`: tables whose indexes come elsewhere.
template <class Skip>
void create_indexes(std::vector<std::pair<std::string, std::string>>& out, const Catalog& from, const Catalog& to,
                    const std::vector<Step>& to_steps, Skip skip) {
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& s : to_steps) {
      if (std::string(s.kind) != "CreateIndex") continue;
      std::string name = quoted_after(s.sql, "INDEX"), table = quoted_after(s.sql, " ON ");
      if (skip(table)) continue;
      const Table* t = from.table(table);
      if ((pass == 0) != (t == nullptr)) continue;
      const Table* nt = to.table(table);
      const Index* oi = t ? t->index(name) : nullptr;
      const Index* ni = nt ? nt->index(name) : nullptr;
      if (!oi || !ni || !(*oi == *ni)) add(out, "CreateIndex", s.sql + ";");
    }
}


// ---- PostgreSQL column type changes ---------------------------------------------------------

// A column type as PostgreSQL's format_type() writes it: its kind and its length/precision.
struct PgType {
  std::string kind;  // text, varchar, char, smallint, integer, bigint, numeric, real, double, boolean, bytea,
                     // timestamp, timestamptz, date, time, timetz, uuid, xml, json, jsonb, inet, money, oid,
                     // citext, bit, varbit; "" for another (an extension's, Unsupported)
  std::optional<long> length;
  bool list = false;
};

PgType pg_type(std::string t) {
  PgType out;
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) {
    out.list = true;
    t.resize(t.size() - 2);
  }
  std::string base = t, arg;
  if (auto open = t.find('('); open != std::string::npos) {
    auto close = t.find(')', open);
    arg = t.substr(open + 1, close - open - 1);
    base = t.substr(0, open) + t.substr(close + 1);
  }
  if (!arg.empty() && arg.find(',') == std::string::npos) out.length = std::atol(arg.c_str());
  bool tz = base.find("with time zone") != std::string::npos && base.find("without") == std::string::npos;
  static const std::pair<const char*, const char*> simple[] = {
      {"text", "text"}, {"character varying", "varchar"}, {"character", "char"}, {"smallint", "smallint"},
      {"integer", "integer"}, {"bigint", "bigint"}, {"numeric", "numeric"}, {"real", "real"},
      {"double precision", "double"}, {"boolean", "boolean"}, {"bytea", "bytea"}, {"date", "date"},
      {"uuid", "uuid"}, {"xml", "xml"}, {"json", "json"}, {"jsonb", "jsonb"}, {"inet", "inet"}, {"money", "money"},
      {"oid", "oid"}, {"citext", "citext"}, {"bit", "bit"}, {"bit varying", "varbit"}};
  for (const auto& [name, kind] : simple)
    if (base == name) out.kind = kind;
  if (base.rfind("timestamp", 0) == 0) out.kind = tz ? "timestamptz" : "timestamp";
  else if (base.rfind("time", 0) == 0) out.kind = tz ? "timetz" : "time";
  return out;
}

// The enum a column's type (format_type's text) names in `cat`, if any: `"Role"`, `role`,
// `auth."Level"`, with [] for a list.
const Enum* enum_of_type(const Catalog& cat, std::string type) {
  if (type.size() > 2 && type.compare(type.size() - 2, 2, "[]") == 0) type.resize(type.size() - 2);
  for (const auto& e : cat.enums) {
    std::string bare = e.name, ns;
    if (auto sep = e.name.find(kNamespaceSeparator); sep != std::string::npos) {
      ns = e.name.substr(0, sep);
      bare = e.name.substr(sep + 1);
    }
    for (const std::string& n : {quoted_ident(bare), bare})
      if (type == n || (!ns.empty() && (type == ns + "." + n || type == quoted_ident(ns) + "." + n))) return &e;
  }
  return nullptr;
}
bool is_enum(const Catalog& cat, const std::string& type) { return enum_of_type(cat, type) != nullptr; }

// Whether PostgreSQL can convert a column of type `from` into `to` in place (ALTER COLUMN ...
// SET DATA TYPE), as Prisma's differ decides it; when not, Prisma drops the column and adds it
// again. `enums`: the catalog's enum names, which only an equal enum converts into.
bool pg_castable(const std::string& from_sql, const std::string& to_sql, bool from_enum, bool to_enum) {
  if (from_enum || to_enum) return false;  // an enum to another type, another enum, or from another type
  PgType a = pg_type(from_sql), b = pg_type(to_sql);
  auto len_over = [&](long n) { return !b.length || *b.length > n; };  // a string type long enough
  bool string_to = b.kind == "text" || b.kind == "varchar" || b.kind == "char";
  if (a.list != b.list) return !a.list ? false : string_to;  // a list becomes its text
  if (a.kind.empty() || b.kind.empty()) return true;         // an unsupported type: a risky cast
  const std::string& k = a.kind;
  const std::string& n = b.kind;
  auto in = [&](std::initializer_list<const char*> kinds) {
    for (const char* x : kinds)
      if (n == x) return true;
    return false;
  };
  bool numbers = in({"smallint", "integer", "bigint", "numeric", "real", "double"});
  if (k == "money" || k == "citext") return true;
  if (k == "inet") return in({"citext", "text", "varchar"});
  if (k == "oid") return in({"text", "varchar", "bigint", "integer"});
  if (k == "smallint" || k == "integer" || k == "bigint" || k == "numeric" || k == "real" || k == "double")
    return numbers || string_to;
  if (k == "varchar" || k == "char") return string_to;
  if (k == "text") return string_to || n == "citext";
  if (k == "bytea") return n == "text" || (n == "varchar" && len_over(2)) || (n == "char" && b.length && *b.length > 2);
  if (k == "timestamp" || k == "timestamptz")
    return n == "text" || ((n == "varchar" || n == "char") && len_over(k == "timestamp" ? 22 : 27)) ||
           in({"timestamp", "timestamptz", "date", "time", "timetz"});
  if (k == "date") return n == "text" || ((n == "varchar" || n == "char") && len_over(27)) || in({"timestamp", "timestamptz"});
  if (k == "time") return n == "text" || ((n == "varchar" || n == "char") && len_over(13)) || n == "timetz" ||
                          (n == "time" && (!a.length || a.length == b.length));
  if (k == "timetz") return n == "text" || ((n == "varchar" || n == "char") && len_over(18)) || in({"timetz", "time"});
  if (k == "boolean") return n == "text" || n == "varchar" || (n == "char" && b.length && *b.length > 3);
  if (k == "bit" || k == "varbit") return string_to || n == "varbit" || n == "bit";
  if (k == "uuid") return n == "text" || ((n == "varchar" || n == "char") && len_over(31));
  if (k == "xml") return string_to;
  if (k == "json") return string_to || n == "jsonb";
  if (k == "jsonb") return string_to || n == "json";
  return true;
}

std::string render_postgres(const Catalog& from, const Catalog& to, const std::vector<Step>& to_steps) {
  std::vector<std::pair<std::string, std::string>> out;
  // the namespaces of a multiSchema schema that the database lacks (never dropped, as Prisma); a
  // schema in the URL's namespace alone has no CreateSchema in a migration
  bool multi = false;
  for (const auto& s : to_steps)
    if (std::string(s.kind) == "CreateSchema" && quoted_after(s.sql, "EXISTS") != "public") multi = true;
  for (const auto& s : to_steps)
    if (multi && std::string(s.kind) == "CreateSchema") {
      std::string ns = quoted_after(s.sql, "EXISTS");
      if (std::find(from.namespaces.begin(), from.namespaces.end(), ns) == from.namespaces.end())
        add(out, "CreateSchema", s.sql + ";");
    }
  for (const auto& s : to_steps)  // extensions the database lacks (never dropped, as Prisma)
    if (std::string(s.kind) == "CreateExtension") {
      std::string name = quoted_after(s.sql, "EXISTS");
      if (std::find(from.extensions.begin(), from.extensions.end(), name) == from.extensions.end())
        add(out, "CreateExtension", s.sql + ";");
    }
  for (const auto& s : to_steps)  // new enums, in the target schema's order
    if (std::string(s.kind) == "CreateEnum" && !from.enum_(quoted_after(s.sql, "CREATE TYPE")))
      add(out, "CreateEnum", s.sql + ";");
  for (const auto& e : to.enums) {
    const Enum* old = from.enum_(e.name);
    if (!old) continue;
    bool removed = false;
    for (const auto& v : old->values)
      removed = removed || std::find(e.values.begin(), e.values.end(), v) == e.values.end();
    if (removed) {
      // Prisma's rewrite: a new type, every column moved onto it, the old one dropped
      std::string values, tmp = e.name + "_new";
      for (const auto& v : e.values) values += (values.empty() ? "'" : ", '") + v + "'";
      std::string sql = "BEGIN;\nCREATE TYPE " + sql_name(tmp) + " AS ENUM (" + values + ");\n";
      std::vector<std::pair<const Table*, const Column*>> users;
      for (const auto& t : from.tables)
        for (const auto& c : t.columns)
          if (enum_of_type(from, c.type) == old) users.emplace_back(&t, &c);
      for (const auto& [t, c] : users)
        if (c->default_sql)
          sql += "ALTER TABLE " + sql_name(t->name) + " ALTER COLUMN " + quoted_ident(c->name) + " DROP DEFAULT;\n";
      for (const auto& [t, c] : users) {
        bool list = c->type.size() > 2 && c->type.compare(c->type.size() - 2, 2, "[]") == 0;
        sql += "ALTER TABLE " + sql_name(t->name) + " ALTER COLUMN " + quoted_ident(c->name) + " TYPE " + sql_name(tmp) +
               (list ? "[]" : "") + " USING (" + quoted_ident(c->name) + "::text" + (list ? "[]" : "") + "::" + sql_name(tmp) +
               (list ? "[]" : "") + ");\n";
      }
      std::string bare = display_name(e.name).substr(e.name.find(kNamespaceSeparator) == std::string::npos ? 0 : e.name.find(kNamespaceSeparator) + 1);
      sql += "ALTER TYPE " + sql_name(e.name) + " RENAME TO " + quoted_ident(bare + "_old") + ";\n";
      sql += "ALTER TYPE " + sql_name(tmp) + " RENAME TO " + quoted_ident(bare) + ";\n";
      sql += "DROP TYPE " + sql_name(e.name + "_old") + ";\n";
      for (const auto& [t, c] : users) {
        if (!c->default_sql) continue;
        const Table* nt = to.table(t->name);
        const Column* nc = nt ? nt->column(c->name) : nullptr;
        const Step* create = nt ? step_for(to_steps, "CreateTable", nt->name, "CREATE TABLE") : nullptr;
        if (!nc || !nc->default_sql || !create) continue;
        if (auto d = default_of_line(column_line(*create, c->name)))
          sql += "ALTER TABLE " + sql_name(t->name) + " ALTER COLUMN " + quoted_ident(c->name) + " SET DEFAULT " + *d + ";\n";
      }
      add(out, "AlterEnum", sql + "COMMIT;");
      continue;
    }
    std::string sql;
    for (const auto& v : e.values)
      if (std::find(old->values.begin(), old->values.end(), v) == old->values.end())
        sql += std::string(sql.empty() ? "" : "\n") + "ALTER TYPE " + sql_name(e.name) + " ADD VALUE '" + v + "';";
    if (!sql.empty()) add(out, "AlterEnum", sql);
  }
  // foreign keys and indexes that go or change
  for (const auto& t : from.tables) {
    const Table* nt = to.table(t.name);
    for (const auto& fk : t.foreign_keys) {
      bool kept = nt && std::find(nt->foreign_keys.begin(), nt->foreign_keys.end(), fk) != nt->foreign_keys.end();
      if (!kept) add(out, "DropForeignKey", "ALTER TABLE " + sql_name(t.name) + " DROP CONSTRAINT " + quoted_ident(fk.name) + ";");
    }
  }
  for (const auto& t : from.tables) {
    const Table* nt = to.table(t.name);
    if (!nt) continue;
    for (const auto& i : t.indexes) {
      const Index* ni = nt->index(i.name);
      if (!ni || !(*ni == i)) add(out, "DropIndex", "DROP INDEX " + in_namespace_of(t.name, i.name) + ";");
    }
  }
  // columns and primary keys of tables on both sides
  for (const Table* ntp : in_step_order(to, to_steps)) {
    const Table& nt = *ntp;
    const Table* t = from.table(nt.name);
    if (!t) continue;
    const Step* create = step_for(to_steps, "CreateTable", nt.name, "CREATE TABLE");
    std::vector<std::string> parts;
    if (t->primary_key != nt.primary_key && !t->primary_key.empty())
      parts.push_back("DROP CONSTRAINT " + quoted_ident(t->primary_key_name.empty() ? nt.name + "_pkey" : t->primary_key_name));
    for (const auto& c : t->columns)
      if (!nt.column(c.name)) parts.push_back("DROP COLUMN " + quoted_ident(c.name));
    std::vector<const Column*> added;  // by name, as Prisma's differ lists created columns
    for (const auto& c : nt.columns)
      if (!t->column(c.name)) added.push_back(&c);
    std::sort(added.begin(), added.end(), [](const Column* x, const Column* y) { return x->name < y->name; });
    for (const Column* cp : added)
      if (const auto& c = *cp; true) {
        if (!create) throw std::runtime_error("no CREATE TABLE for " + nt.name + " in the target schema");
        parts.push_back("ADD COLUMN     " + column_line(*create, c.name));
      }
    for (const auto& c : nt.columns) {
      const Column* oc = t->column(c.name);
      if (!oc || *oc == c) continue;
      if (!create) throw std::runtime_error("no CREATE TABLE for " + nt.name + " in the target schema");
      std::string line = column_line(*create, c.name);
      if (oc->autoincrement != c.autoincrement)
        throw std::runtime_error("turning autoincrement on or off for " + nt.name + "." + c.name +
                                 " is not written by prisma-cpp's differ yet");
      if (oc->type != c.type && !pg_castable(oc->type, c.type, is_enum(from, oc->type), is_enum(to, c.type))) {
        parts.push_back("DROP COLUMN " + quoted_ident(c.name));  // Prisma's answer to a type it cannot cast
        parts.push_back("ADD COLUMN     " + line);
        continue;
      }
      if (oc->not_null != c.not_null)
        parts.push_back("ALTER COLUMN " + quoted_ident(c.name) + (c.not_null ? " SET NOT NULL" : " DROP NOT NULL"));
      if (oc->type != c.type) parts.push_back("ALTER COLUMN " + quoted_ident(c.name) + " SET DATA TYPE " + type_of_line(line, c.name));
      if (oc->default_sql != c.default_sql && !same_default(oc->default_sql, c.default_sql)) {
        if (auto d = default_of_line(line)) parts.push_back("ALTER COLUMN " + quoted_ident(c.name) + " SET DEFAULT " + *d);
        else parts.push_back("ALTER COLUMN " + quoted_ident(c.name) + " DROP DEFAULT");
      }
    }
    if (t->primary_key != nt.primary_key && !nt.primary_key.empty()) {
      std::string cols;
      for (const auto& c : nt.primary_key) cols += (cols.empty() ? "" : ", ") + quoted_ident(c);
      parts.push_back("ADD CONSTRAINT " + quoted_ident(nt.primary_key_name.empty() ? nt.name + "_pkey" : nt.primary_key_name) +
                      " PRIMARY KEY (" + cols + ")");
    }
    if (parts.empty()) continue;
    std::string sql = "ALTER TABLE " + sql_name(nt.name) + " ";
    for (std::size_t i = 0; i < parts.size(); ++i) sql += (i ? ",\n" : "") + parts[i];
    add(out, "AlterTable", sql + ";");
  }
  for (const auto& t : from.tables)
    if (!to.table(t.name)) add(out, "DropTable", "DROP TABLE " + sql_name(t.name) + ";");
  for (const auto& e : from.enums)
    if (!to.enum_(e.name)) add(out, "DropEnum", "DROP TYPE " + sql_name(e.name) + ";");
  for (const auto& s : to_steps)
    if (std::string(s.kind) == "CreateTable" && !from.table(quoted_after(s.sql, "CREATE TABLE")))
      add(out, "CreateTable", s.sql + ";");
  create_indexes(out, from, to, to_steps, [](const std::string&) { return false; });
  for (const auto& s : to_steps) {
    if (std::string(s.kind) != "AddForeignKey") continue;
    std::string table = quoted_after(s.sql, "ALTER TABLE"), name = quoted_after(s.sql, "ADD CONSTRAINT");
    const Table* t = from.table(table);
    const Table* nt = to.table(table);
    bool same = false;
    if (t && nt)
      for (const auto& fk : nt->foreign_keys)
        if (fk.name == name) same = std::find(t->foreign_keys.begin(), t->foreign_keys.end(), fk) != t->foreign_keys.end();
    if (!same) add(out, "AddForeignKey", s.sql + ";");
  }
  return join(out);
}

std::string render_sqlite(const Catalog& from, const Catalog& to, const std::vector<Step>& to_steps) {
  std::vector<std::pair<std::string, std::string>> out;
  // tables that change more than SQLite's ALTER TABLE ADD COLUMN can: redefined
  std::vector<std::string> redefine;
  std::vector<std::pair<std::string, std::string>> add_columns;  // table, column
  for (const Table* ntp : in_step_order(to, to_steps)) {
    const Table& nt = *ntp;
    const Table* t = from.table(nt.name);
    if (!t) continue;
    bool only_added = t->primary_key == nt.primary_key && same_foreign_keys(t->foreign_keys, nt.foreign_keys);
    for (const auto& c : t->columns) {
      const Column* nc = nt.column(c.name);
      only_added = only_added && nc && *nc == c;
    }
    std::vector<std::string> added;
    for (const auto& c : nt.columns)
      if (!t->column(c.name)) {
        added.push_back(c.name);
        // ADD COLUMN takes a nullable column or one with a constant default, never a key
        only_added = only_added && (!c.not_null || c.default_sql) &&
                     std::find(nt.primary_key.begin(), nt.primary_key.end(), c.name) == nt.primary_key.end();
      }
    bool same_columns = added.empty() && only_added;
    if (same_columns) continue;
    if (only_added) {
      for (const auto& c : added) add_columns.emplace_back(nt.name, c);
    } else {
      redefine.push_back(nt.name);
    }
  }
  auto redefined = [&](const std::string& table) {
    return std::find(redefine.begin(), redefine.end(), table) != redefine.end();
  };
  for (const auto& t : from.tables) {
    const Table* nt = to.table(t.name);
    if (!nt) {  // Prisma drops a dropped table's indexes first when it also redefines tables
      if (!redefine.empty())
        for (const auto& i : t.indexes) add(out, "DropIndex", "DROP INDEX " + quoted_ident(i.name) + ";");
      continue;
    }
    if (redefined(t.name)) continue;
    for (const auto& i : t.indexes) {
      const Index* ni = nt->index(i.name);
      if (!ni || !(*ni == i)) add(out, "DropIndex", "DROP INDEX " + quoted_ident(i.name) + ";");
    }
  }
  for (const auto& [table, column] : add_columns) {
    const Step* create = step_for(to_steps, "CreateTable", table, "CREATE TABLE");
    if (!create) throw std::runtime_error("no CREATE TABLE for " + table + " in the target schema");
    add(out, "AlterTable", "ALTER TABLE " + quoted_ident(table) + " ADD COLUMN " + column_line(*create, column) + ";");
  }
  for (const auto& t : from.tables)
    if (!to.table(t.name))
      add(out, "DropTable", "PRAGMA foreign_keys=off;\nDROP TABLE " + quoted_ident(t.name) + ";\nPRAGMA foreign_keys=on;");
  for (const auto& s : to_steps)
    if (std::string(s.kind) == "CreateTable" && !from.table(quoted_after(s.sql, "CREATE TABLE")))
      add(out, "CreateTable", s.sql + ";");
  if (!redefine.empty()) {
    std::string sql = "PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\n";
    for (const Table* ntp : in_step_order(to, to_steps)) {
      const Table& nt = *ntp;
      if (!redefined(nt.name)) continue;
      const Table* t = from.table(nt.name);
      const Step* create = step_for(to_steps, "CreateTable", nt.name, "CREATE TABLE");
      if (!create) throw std::runtime_error("no CREATE TABLE for " + nt.name + " in the target schema");
      std::string body = create->sql;
      body.replace(body.find(quoted_ident(nt.name)), quoted_ident(nt.name).size(), quoted_ident("new_" + nt.name));
      std::vector<std::string> common;
      for (const auto& c : nt.columns)
        if (t->column(c.name)) common.push_back(c.name);
      std::sort(common.begin(), common.end());
      std::string cols, select;
      for (const auto& c : common) {
        cols += (cols.empty() ? "" : ", ") + quoted_ident(c);
        // a column made required with a default takes the default where it held NULL
        const Column* oc = t->column(c);
        const Column* nc = nt.column(c);
        std::optional<std::string> d = nc->not_null && !oc->not_null ? default_of_line(column_line(*create, c)) : std::nullopt;
        select += (select.empty() ? "" : ", ") + (d ? "coalesce(" + quoted_ident(c) + ", " + *d + ") AS " + quoted_ident(c) : quoted_ident(c));
      }
      sql += body + ";\n";
      if (!common.empty())
        sql += "INSERT INTO " + quoted_ident("new_" + nt.name) + " (" + cols + ") SELECT " + select + " FROM " + quoted_ident(nt.name) + ";\n";
      sql += "DROP TABLE " + quoted_ident(nt.name) + ";\n";
      sql += "ALTER TABLE " + quoted_ident("new_" + nt.name) + " RENAME TO " + quoted_ident(nt.name) + ";\n";
      for (const auto& s : to_steps)
        if (std::string(s.kind) == "CreateIndex" && quoted_after(s.sql, " ON ") == nt.name) sql += s.sql + ";\n";
    }
    sql += "PRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;";
    add(out, "RedefineTables", sql);
  }
  create_indexes(out, from, to, to_steps, redefined);
  return join(out);
}

}  // namespace

std::string render(const Catalog& from, const Catalog& to, const std::vector<Step>& to_steps, emit::Dialect dialect) {
  if (from == to) return "";
  return dialect == emit::Dialect::Sqlite ? render_sqlite(from, to, to_steps) : render_postgres(from, to, to_steps);
}

}  // namespace prisma_cpp::migrate
