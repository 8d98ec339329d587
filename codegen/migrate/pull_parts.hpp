// What `db pull` (migrate/pull.cpp) reads off a Catalog before it writes models: the database's
// own texts (foreign keys, index definitions, operator classes), names, column types and defaults.
#pragma once
#include <string>
#include <vector>

#include "migrate/pull.hpp"

namespace prisma_cpp::migrate::pull_parts {

struct Fk {
  std::string name;
  std::vector<std::string> columns;
  std::string table;
  std::vector<std::string> references;
  std::string on_delete = "NO ACTION", on_update = "NO ACTION";
};

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

struct FieldType {
  std::string type;    // Int, String, ..., an enum's name, Unsupported("...")
  std::string native;  // @db.VarChar(10) or empty
  bool list = false;
};

// Identifiers in a list: `"a", b, "c d"` -> a, b, c d (each up to an ASC/DESC/opclass word).
std::vector<std::string> identifiers(const std::string& list);
// The text inside the parentheses that open at or after `from` (its end in *end).
std::string parenthesised(const std::string& s, std::size_t from, std::size_t* end = nullptr);
Fk parse_fk(const ForeignKey& f);
std::vector<std::string> index_columns(const Index& i);
std::string lower(std::string s);
IndexShape index_shape(const Index& i);
std::string operator_class_attribute(const std::string& sql);
std::string index_type_name(const std::string& method);
// ---- names
std::string bare(const std::string& name);
std::string namespace_of(const std::string& name, const Catalog& cat);
bool valid_identifier(const std::string& s);
std::string sanitised(const std::string& s);
std::string quote(const std::string& s);
// ---- types and defaults
FieldType sqlite_type(const std::string& declared);
FieldType postgres_type(std::string t, const Catalog& cat);
std::string literal_value(std::string v, const FieldType& ft, bool is_enum, emit::Dialect d);
std::string default_attribute(const Column& c, const FieldType& ft, bool is_enum, emit::Dialect d);
std::string action_name(const std::string& sql);
std::string join(const std::vector<std::string>& xs, const std::string& sep = ", ");

}  // namespace prisma_cpp::migrate::pull_parts
