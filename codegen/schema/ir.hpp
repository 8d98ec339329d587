// The resolved Schema IR: names resolved, both sides of every relation paired, database names
// computed. Every emitter (C++ header, DDL, JSON) reads only this.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "psl/source.hpp"

namespace prisma_cpp::ir {

using psl::Span;
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

enum class Provider { None, Sqlite, Postgresql, Cockroachdb, Mysql, Sqlserver, Mongodb };

enum class ScalarType { String, Boolean, Int, BigInt, Float, Decimal, DateTime, Json, Bytes };

enum class FieldKind {
  Scalar,       // a ScalarType
  Enum,         // enum_index
  Relation,     // relation_index / related_model
  Unsupported,  // Unsupported("...")
  Composite,    // a `type` block (MongoDB only; kept so errors can name it)
};

enum class ReferentialAction { Cascade, Restrict, NoAction, SetNull, SetDefault };

enum class SortOrder { Asc, Desc };

struct DefaultValue {
  enum class Kind {
    Literal,        // value: the literal as written for strings (unescaped), numbers, true/false
    EnumValue,      // value: the enum value's schema name
    List,           // list: literal items (scalar lists)
    Autoincrement,
    Sequence,       // CockroachDB sequence()
    Now,
    Uuid,           // version: 4 or 7
    Cuid,           // version: 1 or 2
    Nanoid,         // length: optional
    Ulid,
    DbGenerated,    // value: the SQL expression (may be empty: dbgenerated())
  };
  Kind kind = Kind::Literal;
  std::string value;
  std::vector<std::string> list;
  int version = 0;
  std::optional<int> length;
  std::optional<std::string> map;   // `@default(x, map: "name")`
  Span span;
};

struct NativeType {
  std::string name;                 // without the `db.` prefix: "VarChar", "Timestamptz"
  std::vector<std::string> args;    // as written: "200", "3"
  Span span;
};

struct Field {
  std::string name;
  std::string db_name;              // @map or name
  FieldKind kind = FieldKind::Scalar;
  ScalarType scalar = ScalarType::String;   // when kind == Scalar
  std::string type_name;            // the type as written: "Int", "Role", "Post", "Unsupported(\"x\")"
  std::size_t enum_index = npos;    // kind == Enum
  std::size_t related_model = npos; // kind == Relation (or Composite: type index)
  std::size_t relation = npos;      // kind == Relation: index into Schema::relations
  bool optional = false;
  bool list = false;
  bool is_id = false;               // @id on this field
  bool is_unique = false;           // @unique on this field
  bool is_updated_at = false;
  bool is_ignored = false;          // @ignore
  bool is_read_only = false;        // scalar used in a relation's `fields` (DMMF isReadOnly)
  std::optional<DefaultValue> default_value;
  std::optional<NativeType> native_type;
  std::string documentation;
  Span span;
};

struct IndexField {
  std::size_t field = npos;         // index into Model::fields
  std::optional<SortOrder> sort;
  std::optional<int> length;
  std::optional<std::string> operator_class;
};

struct PrimaryKey {
  std::vector<IndexField> fields;
  std::optional<std::string> name;  // client name (`name:`), compound ids only
  std::string db_name;              // constraint name: `map:` or `<Table>_pkey`
  bool defined_on_field = false;    // @id (vs @@id)
  bool clustered_set = false;
  bool clustered = true;
  Span span;
};

struct Index {
  enum class Type { Unique, Normal, Fulltext };
  Type type = Type::Normal;
  std::vector<IndexField> fields;
  std::optional<std::string> name;  // client name of a compound unique (`name:`)
  std::string db_name;              // `map:` or Prisma's generated name (`User_email_key`, `Post_a_b_idx`)
  bool defined_on_field = false;    // @unique (vs @@unique / @@index)
  std::optional<std::string> algorithm;  // PostgreSQL: BTree, Hash, Gist, Gin, SpGist, Brin
  std::optional<bool> clustered;
  std::optional<std::string> where;      // a partial index's predicate: `where: raw("...")` (preview partialIndexes)
  Span span;
};

struct Model {
  std::string name;
  std::string db_name;              // @@map or name
  std::optional<std::string> schema;  // @@schema
  bool is_view = false;
  bool is_ignored = false;          // @@ignore
  std::vector<Field> fields;        // in declaration order (scalars, enums and relation fields)
  std::optional<PrimaryKey> primary_key;
  std::vector<Index> indexes;       // uniques and indexes, in declaration order (field-level first
                                    // in field order, then block attributes, as Prisma does)
  std::string documentation;
  Span span;

  std::size_t field_index(const std::string& name) const;  // npos when absent
};

struct EnumValue {
  std::string name;
  std::string db_name;              // @map or name
  std::string documentation;
  Span span;
};

struct Enum {
  std::string name;
  std::string db_name;              // @@map or name
  std::optional<std::string> schema;
  std::vector<EnumValue> values;
  std::string documentation;
  Span span;
};

// One relation, both sides. For 1:1 and 1:n, side `a` is the side that holds `fields`/`references`
// (the foreign key lives in model_a's table). For implicit m:n, a and b are the two list fields,
// ordered as Prisma orders them: model_a is the model whose name sorts first (column `A`).
struct Relation {
  enum class Kind { OneToOne, OneToMany, ManyToMany };
  Kind kind = Kind::OneToMany;
  std::string name;                 // explicit name, or Prisma's default "<A>To<B>" (names sorted)
  bool explicit_name = false;
  std::size_t model_a = npos, field_a = npos;
  std::size_t model_b = npos, field_b = npos;   // field_b == npos is not allowed after validation
  std::vector<std::size_t> fields;      // scalar fields in model_a (1:1, 1:n)
  std::vector<std::size_t> references;  // fields in model_b they reference
  ReferentialAction on_delete = ReferentialAction::Restrict;  // effective (explicit or default)
  ReferentialAction on_update = ReferentialAction::Cascade;
  bool on_delete_explicit = false;
  bool on_update_explicit = false;
  std::string fk_name;              // `map:` or `<Table>_<col>_fkey` (1:1, 1:n)
  std::string join_table;           // ManyToMany: "_CategoryToPost" (or `_<name>`)
  bool self_relation() const { return model_a == model_b; }
};

// One entry of a PostgreSQL datasource's `extensions = [...]`.
struct Extension {
  std::string name;                  // as written: `uuid_ossp`
  std::optional<std::string> map;    // the database name: `map: "uuid-ossp"`
  std::optional<std::string> schema;
  std::optional<std::string> version;
};

struct Datasource {
  std::string name;
  std::string provider_name;        // as written ("postgres" is kept as written)
  Provider provider = Provider::None;
  std::optional<std::string> url;         // a literal URL
  std::optional<std::string> url_env;     // env("X") -> "X"
  std::optional<std::string> direct_url;
  std::optional<std::string> direct_url_env;
  std::optional<std::string> shadow_database_url;      // shadowDatabaseUrl: literal
  std::optional<std::string> shadow_database_url_env;  // shadowDatabaseUrl = env("X") -> "X"
  std::optional<std::string> relation_mode;  // "foreignKeys" | "prisma"
  std::vector<std::string> schemas;
  std::vector<std::string> extensions;
  std::vector<Extension> extension_args;  // parallel to `extensions` when filled (map/schema/version)
  Span span;
};

struct Generator {
  std::string name;
  std::string provider;             // literal or the env var name when provider_env
  bool provider_env = false;
  std::optional<std::string> output;
  std::vector<std::string> preview_features;
  std::vector<std::string> binary_targets;
  std::map<std::string, std::string> config;  // every other property, as text
  Span span;
};

struct Schema {
  std::optional<Datasource> datasource;
  std::vector<Generator> generators;
  std::vector<Model> models;        // models then views, in source order
  std::vector<Enum> enums;
  std::vector<Relation> relations;
  std::vector<Model> composite_types;  // `type` blocks (MongoDB)

  Provider provider() const { return datasource ? datasource->provider : Provider::None; }
  std::size_t model_index(const std::string& name) const;
  std::size_t enum_index(const std::string& name) const;
  bool has_preview_feature(const std::string& feature) const;
};

// The longest identifier the provider's database accepts (names Prisma generates are cut to it).
std::size_t max_identifier_length(Provider p);

// Prisma's order of a model's indexes: those on fields (in field order), then @@index, @@unique
// and @@fulltext, each in the order written. Model::indexes keeps the written order.
std::vector<std::size_t> prisma_index_order(const Model& m);

const char* to_string(ScalarType t);
const char* to_string(ReferentialAction a);
const char* to_string(Provider p);

}  // namespace prisma_cpp::ir
