// TypedSQL's types from a real database, as Prisma's `generate --sql` reads them.
//   SQLite: the schema's tables in an in-memory database (its DDL); each statement prepared there:
//     the parameters by position (`?` is _1, _2, ...; `:name` / `@name` / `$name` by name), untyped
//     unless annotated; a column's type from its declared type, NOT NULL from its table column.
//   PostgreSQL: the server describes each statement (libpq's PQdescribePrepared): parameter and
//     column type OIDs, named through pg_type (enums as the schema's enums, arrays as lists,
//     pgvector's `vector`); a column is NOT NULL when it is a table column declared so and its
//     table is not on the nullable side of an outer join.
#include "cli/typed_sql_describe.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "emit/ddl.hpp"
#include "prisma/client/client_postgres.hpp"

namespace prisma_cpp::typed_sql {

namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The tables an outer join may leave without a row (their columns become nullable): those after
// LEFT [OUTER] JOIN; with a RIGHT or FULL join, every table. Identifiers as written (unquoted).
struct OuterJoins {
  bool all = false;
  std::set<std::string> tables;  // lower case
};
OuterJoins outer_joins(const std::string& sql) {
  std::vector<std::string> tokens;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) tokens.push_back(lower(cur));
    cur.clear();
  };
  for (char c : sql) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') cur += c;
    else if (c == '"' || c == '`' || c == '[' || c == ']') continue;  // quoted identifiers: their text
    else flush();
  }
  flush();
  OuterJoins out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] == "right" || tokens[i] == "full") out.all = true;
    if (tokens[i] == "left") {
      std::size_t j = i + 1;
      if (j < tokens.size() && tokens[j] == "outer") ++j;
      if (j < tokens.size() && tokens[j] == "join" && j + 1 < tokens.size()) {
        std::string t = tokens[j + 1];
        if (auto dot = t.rfind('.'); dot != std::string::npos) t = t.substr(dot + 1);
        out.tables.insert(t);
      }
    }
  }
  return out;
}

// Params: the annotations merged onto the statement's parameters (by position, else by an alias
// equal to the statement's own name for it); names that C++ takes.
bool merge_params(Query& q, const std::vector<std::string>& engine_names, const std::vector<Type>& engine_types,
                  std::vector<Problem>& problems) {
  std::vector<Param> out(engine_names.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].position = i + 1;
    out[i].alias = engine_names[i];
    out[i].type = engine_types[i];
  }
  for (const auto& a : q.params) {
    Param* target = nullptr;
    if (a.position >= 1 && a.position <= out.size()) target = &out[a.position - 1];
    else
      for (auto& p : out)
        if (!a.alias.empty() && p.alias == a.alias) target = &p;
    if (!target) continue;  // an annotation of no parameter (as Prisma: ignored)
    if (!a.alias.empty()) target->alias = a.alias;
    if (a.annotated) target->type = *a.annotated, target->annotated = a.annotated;
    target->nullable = a.nullable;
    target->doc = a.doc;
  }
  std::set<std::string> seen;
  for (auto& p : out) {
    bool ok = !p.alias.empty() && !std::isdigit(static_cast<unsigned char>(p.alias[0]));
    for (unsigned char c : p.alias) ok = ok && (std::isalnum(c) || c == '_');
    if (!ok) {
      problems.push_back({q.file, "parameter " + std::to_string(p.position) + " is named '" + p.alias +
                                      "', which is no C++ name: name it with an annotation (-- @param $" +
                                      std::to_string(p.position) + ":name)"});
      return false;
    }
    std::string base = p.alias;
    for (int n = 2; !seen.insert(p.alias).second; ++n) p.alias = base + "_" + std::to_string(n);
  }
  q.params = std::move(out);
  return true;
}

// Two result columns of one name would be two members of one name: Prisma's rows are objects
// too, so it wants them aliased.
bool distinct_columns(const Query& q, std::vector<Problem>& problems) {
  std::set<std::string> seen;
  for (const auto& c : q.columns)
    if (!seen.insert(c.name).second) {
      problems.push_back({q.file, "two result columns are named '" + c.name + "': alias one of them (AS ...)"});
      return false;
    }
  return true;
}

Type sqlite_type(const std::string& declared) {
  std::string t = upper(declared);
  if (auto paren = t.find('('); paren != std::string::npos) t = t.substr(0, paren);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (t.empty()) return {"Unknown"};
  if (t == "INT" || t == "INTEGER" || t == "SMALLINT" || t == "TINYINT" || t == "MEDIUMINT") return {"Int"};
  if (t == "BIGINT" || t == "INT8" || t == "UNSIGNED BIG INT") return {"BigInt"};
  if (t == "DECIMAL") return {"Decimal"};
  if (t == "REAL" || t == "FLOAT" || t == "DOUBLE" || t == "DOUBLE PRECISION" || t == "NUMERIC") return {"Float"};
  if (t == "DATETIME" || t == "DATE" || t == "TIMESTAMP" || t == "TIME") return {"DateTime"};
  if (t == "BOOLEAN" || t == "BOOL") return {"Boolean"};
  if (t == "BLOB") return {"Bytes"};
  if (t == "JSON" || t == "JSONB") return {"Json"};
  return {"String"};  // TEXT, VARCHAR, CHAR, CLOB, ... and enums
}

}  // namespace

bool describe_sqlite(const ir::Schema& schema, std::vector<Query>& queries, std::vector<Problem>& problems) {
  sqlite3* raw = nullptr;
  if (sqlite3_open(":memory:", &raw) != SQLITE_OK) {
    problems.push_back({{}, "cannot open an in-memory SQLite database for TypedSQL"});
    sqlite3_close(raw);
    return false;
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  char* err = nullptr;
  std::string ddl = emit::ddl(schema, emit::Dialect::Sqlite);
  if (sqlite3_exec(db.get(), ddl.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    problems.push_back({{}, std::string("the schema's tables do not load into SQLite: ") + (err ? err : "")});
    sqlite3_free(err);
    return false;
  }
  bool ok = true;
  for (auto& q : queries) {
    sqlite3_stmt* st = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db.get(), q.sql.c_str(), static_cast<int>(q.sql.size()), &st, &tail) != SQLITE_OK) {
      problems.push_back({q.file, "Error describing the query: " + std::string(sqlite3_errmsg(db.get()))});
      ok = false;
      continue;
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    if (tail && std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      problems.push_back({q.file, "a TypedSQL file holds one statement; this one has more"});
      ok = false;
      continue;
    }
    std::vector<std::string> names;
    std::vector<Type> types;
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); ++i) {
      const char* n = sqlite3_bind_parameter_name(st, i);
      std::string name = n ? n : "";
      if (name.empty() || name[0] == '?' || (name[0] == '$' && name.size() > 1 && std::isdigit(static_cast<unsigned char>(name[1]))))
        name = std::string(1, '_').append(std::to_string(i));
      else
        name = name.substr(1);  // :name, @name, $name
      names.push_back(name);
      types.push_back({"Unknown"});
    }
    if (!merge_params(q, names, types, problems)) {
      ok = false;
      continue;
    }
    auto joins = outer_joins(q.sql);
    q.columns.clear();
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      Column col;
      col.name = sqlite3_column_name(st, c);
      const char* decl = sqlite3_column_decltype(st, c);
      col.type = sqlite_type(decl ? decl : "");
      const char* table = sqlite3_column_table_name(st, c);
      const char* origin = sqlite3_column_origin_name(st, c);
      col.nullable = true;
      if (table && origin && !joins.all && !joins.tables.count(lower(table))) {
        int notnull = 0, pk = 0, autoinc = 0;
        if (sqlite3_table_column_metadata(db.get(), nullptr, table, origin, nullptr, nullptr, &notnull, &pk, &autoinc) ==
            SQLITE_OK)
          col.nullable = !notnull;
      }
      if (col.type.name == "Unknown") col.nullable = false;  // prisma::SqlValue holds NULL itself
      q.columns.push_back(std::move(col));
    }
    ok = distinct_columns(q, problems) && ok;
  }
  return ok;
}

namespace {

struct PgResult {
  PGresult* r;
  explicit PgResult(PGresult* p) : r(p) {}
  ~PgResult() { PQclear(r); }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
};

std::string pg_error(PGconn* c, PGresult* r) {
  const char* m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string s = m ? m : PQerrorMessage(c);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

bool describe_postgres(const ir::Schema& schema, const std::string& url, std::vector<Query>& queries,
                       std::vector<Problem>& problems) {
  std::string conninfo;
  try {
    conninfo = prisma::detail::parse_postgres_url(url).conninfo;
  } catch (const std::exception& e) {
    problems.push_back({{}, e.what()});
    return false;
  }
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn(PQconnectdb(conninfo.c_str()), PQfinish);
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    std::string m = conn ? PQerrorMessage(conn.get()) : "out of memory";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    problems.push_back({{}, "TypedSQL reads its types from the database, which cannot be reached: " + m});
    return false;
  }
  PGconn* c = conn.get();
  // The name of a type OID: (typname, typtype, element typname) cached.
  struct PgType {
    std::string name, kind, element;
  };
  std::map<Oid, PgType> type_cache;
  auto type_of = [&](Oid oid) -> const PgType& {
    auto it = type_cache.find(oid);
    if (it != type_cache.end()) return it->second;
    std::string id = std::to_string(oid);
    const char* values[] = {id.c_str()};
    PgResult r(PQexecParams(c,
                            "SELECT t.typname, t.typtype, COALESCE(e.typname, '') FROM pg_type t "
                            "LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A' WHERE t.oid = $1::oid",
                            1, nullptr, values, nullptr, nullptr, 0));
    PgType t;
    if (PQresultStatus(r.r) == PGRES_TUPLES_OK && PQntuples(r.r) == 1)
      t = {PQgetvalue(r.r, 0, 0), PQgetvalue(r.r, 0, 1), PQgetvalue(r.r, 0, 2)};
    return type_cache.emplace(oid, t).first->second;
  };
  auto prisma_type = [&](const std::string& name, const std::string& kind) -> Type {
    static const std::map<std::string, std::string> names = {
        {"int2", "Int"},         {"int4", "Int"},         {"int8", "BigInt"},       {"float4", "Float"},
        {"float8", "Float"},     {"numeric", "Decimal"},  {"bool", "Boolean"},      {"text", "String"},
        {"varchar", "String"},   {"bpchar", "String"},    {"name", "String"},       {"uuid", "String"},
        {"xml", "String"},       {"citext", "String"},    {"char", "String"},       {"timestamp", "DateTime"},
        {"timestamptz", "DateTime"}, {"date", "DateTime"}, {"time", "DateTime"},    {"timetz", "DateTime"},
        {"json", "Json"},        {"jsonb", "Json"},       {"bytea", "Bytes"},       {"vector", "vector"}};
    if (kind == "e") {
      for (const auto& e : schema.enums)
        if (e.db_name == name || e.name == name) return Type{e.name, false, true};
      return Type{"String"};  // an enum the schema does not know: its text
    }
    auto it = names.find(name);
    return Type{it == names.end() ? "String" : it->second};
  };
  auto full_type = [&](Oid oid) -> std::pair<Type, std::string> {
    const PgType& t = type_of(oid);
    if (!t.element.empty()) {
      Oid elem_oid = 0;
      {
        const char* values[] = {t.element.c_str()};
        PgResult r(PQexecParams(c, "SELECT oid, typtype FROM pg_type WHERE typname = $1 LIMIT 1", 1, nullptr, values,
                                nullptr, nullptr, 0));
        if (PQresultStatus(r.r) == PGRES_TUPLES_OK && PQntuples(r.r) == 1)
          elem_oid = static_cast<Oid>(std::stoul(PQgetvalue(r.r, 0, 0)));
      }
      const PgType& e = type_of(elem_oid);
      Type ty = prisma_type(t.element, e.kind);
      ty.list = true;
      return {ty, t.name};
    }
    return {prisma_type(t.name, t.kind), t.name};
  };
  bool ok = true;
  for (auto& q : queries) {
    PgResult prepared(PQprepare(c, "", q.sql.c_str(), 0, nullptr));
    if (PQresultStatus(prepared.r) != PGRES_COMMAND_OK) {
      problems.push_back({q.file, pg_error(c, prepared.r)});
      ok = false;
      continue;
    }
    PgResult d(PQdescribePrepared(c, ""));
    if (PQresultStatus(d.r) != PGRES_COMMAND_OK) {
      problems.push_back({q.file, pg_error(c, d.r)});
      ok = false;
      continue;
    }
    std::vector<std::string> names;
    std::vector<Type> types;
    for (int i = 0; i < PQnparams(d.r); ++i) {
      auto [t, pgname] = full_type(PQparamtype(d.r, i));
      names.push_back(pgname.empty() ? std::string(1, '_').append(std::to_string(i + 1)) : (pgname[0] == '_' ? pgname.substr(1) + "_list" : pgname));
      types.push_back(t);
    }
    if (!merge_params(q, names, types, problems)) {
      ok = false;
      continue;
    }
    auto joins = outer_joins(q.sql);
    q.columns.clear();
    for (int f = 0; f < PQnfields(d.r); ++f) {
      Column col;
      col.name = PQfname(d.r, f);
      if (col.name == "?column?") {
        problems.push_back({q.file, "Invalid column name '?column?' for index " + std::to_string(f) +
                                        ". Your SQL query must explicitly alias that column name."});
        ok = false;
        break;
      }
      col.type = full_type(PQftype(d.r, f)).first;
      Oid table = PQftable(d.r, f);
      int attnum = PQftablecol(d.r, f);
      col.nullable = true;
      if (table != InvalidOid && attnum > 0 && !joins.all) {
        std::string t = std::to_string(table), a = std::to_string(attnum);
        const char* values[] = {t.c_str(), a.c_str()};
        PgResult r(PQexecParams(c,
                                "SELECT a.attnotnull, c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                                "WHERE a.attrelid = $1::oid AND a.attnum = $2::int2",
                                2, nullptr, values, nullptr, nullptr, 0));
        if (PQresultStatus(r.r) == PGRES_TUPLES_OK && PQntuples(r.r) == 1)
          col.nullable = std::string(PQgetvalue(r.r, 0, 0)) != "t" || joins.tables.count(lower(PQgetvalue(r.r, 0, 1)));
      }
      q.columns.push_back(std::move(col));
    }
    ok = distinct_columns(q, problems) && ok;
  }
  return ok;
}

}  // namespace prisma_cpp::typed_sql
