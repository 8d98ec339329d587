// Reading a database into a Catalog (what the differ compares): SQLite through its PRAGMAs and
// sqlite_master, PostgreSQL through pg_catalog, as Prisma's describers read them.
#include "migrate/differ.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>

#include <prisma/driver/postgres.hpp>
#include <prisma/driver/sqlite.hpp>

namespace prisma_cpp::migrate {

using prisma::sql::quoted_ident;
namespace {

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// Of two unique indexes over the same columns (the same text after the table's name), Prisma's
// describer keeps one and ignores the other (neither dropped nor pulled): on PostgreSQL the first
// by name, on SQLite the last created (the first of PRAGMA index_list).
void drop_duplicate_uniques(Table& t, bool sqlite) {
  auto columns_of = [](const Index& i) {
    auto on = i.definition.find(" ON ");
    auto open = i.definition.find('(', on == std::string::npos ? 0 : on);
    std::string key;
    for (std::size_t k = open == std::string::npos ? i.definition.size() : open; k < i.definition.size(); ++k)
      if (!std::isspace(static_cast<unsigned char>(i.definition[k]))) key += i.definition[k];
    auto using_ = upper(i.definition).find(" USING ");
    return (using_ == std::string::npos ? std::string() : upper(i.definition.substr(using_, 12))) + key;
  };
  std::vector<const Index*> uniques;
  for (const auto& i : t.indexes)
    if (i.unique) uniques.push_back(&i);
  if (sqlite) std::reverse(uniques.begin(), uniques.end());  // t.indexes: in creation order
  else std::sort(uniques.begin(), uniques.end(), [](const Index* a, const Index* b) { return a->name < b->name; });
  std::set<std::string> seen, dropped;
  for (const Index* i : uniques)
    if (!seen.insert(columns_of(*i)).second) dropped.insert(i->name);
  t.indexes.erase(std::remove_if(t.indexes.begin(), t.indexes.end(), [&](const Index& i) { return dropped.count(i.name) > 0; }),
                  t.indexes.end());
}

}  // namespace

// ---- reading a database -------------------------------------------------------------------

Catalog introspect(prisma::driver::sqlite::Connection& c) {
  Catalog cat;
  std::vector<std::pair<std::string, std::string>> tables;
  {
    auto cur = c.cursor(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND "
        "name <> '_prisma_migrations' ORDER BY rowid");  // creation order
    while (cur.step()) tables.emplace_back(std::string(cur.text(0)), std::string(cur.text(1)));
  }
  for (const auto& [name, sql] : tables) {
    Table t;
    t.name = name;
    bool autoincrement = upper(sql).find("AUTOINCREMENT") != std::string::npos;
    {
      auto cur = c.cursor("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid");
      cur.bind(1, name);
      std::vector<std::pair<std::int64_t, std::string>> pk;
      while (cur.step()) {
        Column col;
        col.name = std::string(cur.text(0));
        col.type = upper(std::string(cur.text(1)));
        std::int64_t nn = 0, pkpos = 0;
        cur.read(2, nn);
        cur.read(4, pkpos);
        col.not_null = nn != 0;
        if (!cur.is_null(3)) col.default_sql = std::string(cur.text(3));
        if (pkpos > 0) pk.emplace_back(pkpos, col.name);
        t.columns.push_back(std::move(col));
      }
      std::sort(pk.begin(), pk.end());
      for (auto& [pos, n] : pk) t.primary_key.push_back(n);
      if (autoincrement && t.primary_key.size() == 1)
        for (auto& col : t.columns)
          if (col.name == t.primary_key[0]) col.autoincrement = true;
    }
    {
      // in creation order (Prisma drops and lists them in the order they were declared)
      auto cur = c.cursor("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
                          "ORDER BY rowid");
      cur.bind(1, name);
      while (cur.step()) {
        Index i;
        i.name = std::string(cur.text(0));
        i.definition = std::string(cur.text(1));
        i.unique = upper(i.definition).rfind("CREATE UNIQUE", 0) == 0;
        t.indexes.push_back(std::move(i));
      }
      drop_duplicate_uniques(t, true);
    }
    {
      auto cur = c.cursor("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) "
                          "ORDER BY id, seq");
      cur.bind(1, name);
      std::map<std::int64_t, std::array<std::string, 5>> fks;  // table, from, to, update, delete
      while (cur.step()) {
        std::int64_t id = 0;
        cur.read(0, id);
        auto& f = fks[id];
        f[0] = std::string(cur.text(1));
        f[1] += (f[1].empty() ? "" : ", ") + quoted_ident(std::string(cur.text(2)));
        f[2] += (f[2].empty() ? "" : ", ") + quoted_ident(std::string(cur.text(3)));
        f[3] = std::string(cur.text(4));
        f[4] = std::string(cur.text(5));
      }
      for (auto& [id, f] : fks)
        t.foreign_keys.push_back({"", "FOREIGN KEY (" + f[1] + ") REFERENCES " + quoted_ident(f[0]) + " (" + f[2] +
                                          ") ON DELETE " + f[4] + " ON UPDATE " + f[3]});
      // in PRAGMA foreign_key_list's order (the last declared first), which db pull follows as
      // Prisma's does; comparisons ignore the order (same_foreign_keys)
    }
    cat.tables.push_back(std::move(t));
  }
  return cat;
}

Catalog introspect(prisma::driver::postgres::Connection& c, const std::vector<std::string>& namespaces) {
  Catalog cat;
  // the URL's schema and the schema's other namespaces (multiSchema); names outside the URL's
  // schema are "ns\x1fname" (sql_name() writes them qualified)
  std::string in = "(current_schema()";
  for (const auto& ns : namespaces) {
    in += ", '";
    for (char ch : ns) in += ch == '\'' ? std::string("''") : std::string(1, ch);
    in += "'";
  }
  in += ")";
  {
    auto cur = c.cursor("SELECT current_schema()");
    if (cur.step()) cat.default_namespace = std::string(cur.text(0));
  }
  {
    auto cur = c.cursor("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname IN " + in + " ORDER BY nspname");
    while (cur.step()) cat.namespaces.emplace_back(cur.text(0));
  }
  {
    auto cur = c.cursor(
        "SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || chr(31) || c.relname END, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
        "c.relnamespace JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE n.nspname IN " + in +
        " AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations' ORDER BY c.oid, "
        "a.attnum");
    while (cur.step()) {
      std::string table(cur.text(0));
      if (cat.tables.empty() || cat.tables.back().name != table) {
        cat.tables.emplace_back();
        cat.tables.back().name = table;
      }
      Column col;
      col.name = std::string(cur.text(1));
      col.type = std::string(cur.text(2));
      col.not_null = cur.text(3) == "t";
      if (!cur.is_null(4)) {
        col.default_sql = std::string(cur.text(4));
        if (col.default_sql->rfind("nextval(", 0) == 0) {
          col.autoincrement = true;
          col.default_sql.reset();  // the sequence's name is the table's, not a difference
        }
      }
      cat.tables.back().columns.push_back(std::move(col));
    }
  }
  auto table_of = [&](const std::string& n) -> Table* {
    for (auto& t : cat.tables)
      if (t.name == n) return &t;
    return nullptr;
  };
  {
    auto cur = c.cursor(
        "SELECT CASE WHEN n.nspname = current_schema() THEN t.relname ELSE n.nspname || chr(31) || t.relname END, a.attname, ic.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class t ON t.oid = i.indrelid "
        "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace JOIN LATERAL unnest(i.indkey) WITH ORDINALITY "
        "AS k(attnum, pos) ON true JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
        "WHERE i.indisprimary AND n.nspname IN " + in + " ORDER BY t.relname, k.pos");
    while (cur.step())
      if (Table* t = table_of(std::string(cur.text(0)))) {
        t->primary_key.emplace_back(cur.text(1));
        t->primary_key_name = std::string(cur.text(2));
      }
  }
  {
    auto cur = c.cursor(
        "SELECT CASE WHEN i.schemaname = current_schema() THEN i.tablename ELSE i.schemaname || chr(31) || i.tablename "
        "END, i.indexname, i.indexdef, x.indexprs IS NOT NULL FROM pg_catalog.pg_indexes i JOIN pg_catalog.pg_class ic ON "
        "ic.relname = i.indexname JOIN pg_catalog.pg_index x ON x.indexrelid = ic.oid JOIN pg_catalog.pg_namespace n "
        "ON n.oid = ic.relnamespace AND n.nspname = i.schemaname WHERE i.schemaname IN " + in + " AND NOT "
        "x.indisprimary ORDER BY i.tablename, ic.oid");
    while (cur.step()) {
      Table* t = table_of(std::string(cur.text(0)));
      if (!t) continue;
      if (cur.text(3) == "t") {  // over an expression: left alone, as the schema cannot say it (db pull notes it)
        t->expression_indexes.emplace_back(cur.text(1));
        continue;
      }
      Index i;
      i.name = std::string(cur.text(1));
      i.definition = std::string(cur.text(2));
      // "... ON myschema."User" USING ..." -> "... ON "User" USING ...": comparable across schemas
      auto on = i.definition.find(" ON ");
      auto dot = on == std::string::npos ? on : i.definition.find('.', on + 4);
      auto sp = on == std::string::npos ? on : i.definition.find(' ', on + 4);
      if (dot != std::string::npos && dot < sp) i.definition.erase(on + 4, dot - on - 3);
      i.unique = i.definition.rfind("CREATE UNIQUE", 0) == 0;
      t->indexes.push_back(std::move(i));
    }
  }
  {
    auto cur = c.cursor(
        "SELECT CASE WHEN n.nspname = current_schema() THEN t.relname ELSE n.nspname || chr(31) || t.relname END, k.conname, pg_get_constraintdef(k.oid) FROM pg_catalog.pg_constraint k JOIN "
        "pg_catalog.pg_class t ON t.oid = k.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace WHERE "
        "k.contype = 'f' AND n.nspname IN " + in + " ORDER BY t.oid, k.oid");
    while (cur.step())
      if (Table* t = table_of(std::string(cur.text(0)))) {
        std::string def(cur.text(2));
        for (const char* d : {" DEFERRABLE INITIALLY DEFERRED", " DEFERRABLE"})
          if (auto p = def.find(d); p != std::string::npos) {
            def.erase(p, std::string(d).size());
            t->deferred.emplace_back(cur.text(1));
            break;
          }
        t->foreign_keys.push_back({std::string(cur.text(1)), def});
      }
  }
  for (auto& t : cat.tables) drop_duplicate_uniques(t, false);
  {
    // row level security and COMMENT ON, which db pull notes (not compared)
    auto cur = c.cursor(
        "SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || chr(31) || c.relname END, "
        "c.relrowsecurity, coalesce(a.attname, ''), d.description IS NOT NULL FROM pg_catalog.pg_class c JOIN "
        "pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid "
        "AND d.classoid = 'pg_catalog.pg_class'::regclass LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND "
        "a.attnum = d.objsubid AND d.objsubid > 0 WHERE n.nspname IN " + in + " AND c.relkind IN ('r', 'p') AND "
        "(c.relrowsecurity OR d.description IS NOT NULL) ORDER BY c.oid, d.objsubid");
    while (cur.step())
      if (Table* t = table_of(std::string(cur.text(0)))) {
        if (cur.text(1) == "t") t->row_level_security = true;
        if (cur.text(3) == "t") t->commented.emplace_back(cur.text(2));
      }
  }
  {
    // unique and primary key constraints that are deferrable; tables with check constraints
    auto cur = c.cursor(
        "SELECT CASE WHEN n.nspname = current_schema() THEN t.relname ELSE n.nspname || chr(31) || t.relname END, k.conname, k.contype FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class t ON t.oid = "
        "k.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname IN " + in + " AND "
        "((k.contype IN ('u', 'p') AND k.condeferrable) OR k.contype = 'c') ORDER BY t.oid, k.conname");
    while (cur.step())
      if (Table* t = table_of(std::string(cur.text(0)))) {
        if (cur.text(2) == "c") t->checks.emplace_back(cur.text(1));
        else t->deferred.emplace_back(cur.text(1));
      }
  }
  {
    auto cur = c.cursor(
        "SELECT CASE WHEN n.nspname = current_schema() THEN t.typname ELSE n.nspname || chr(31) || t.typname END, e.enumlabel FROM pg_catalog.pg_type t JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname IN " + in + " ORDER BY "
        "t.oid, e.enumsortorder");
    while (cur.step()) {
      std::string name(cur.text(0));
      if (cat.enums.empty() || cat.enums.back().name != name) cat.enums.push_back({name, {}});
      cat.enums.back().values.emplace_back(cur.text(1));
    }
  }
  {
    auto cur = c.cursor("SELECT extname FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' ORDER BY oid");
    while (cur.step()) cat.extensions.emplace_back(cur.text(0));
  }
  return cat;
}


}  // namespace prisma_cpp::migrate
