// Internal state of one resolve() run, shared by the resolver's stages (names, attributes,
// relations, validations): the AST, the IR under construction and where each IR item came from.
#pragma once
#include "schema/sql_names.hpp"
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "psl/ast.hpp"
#include "psl/diagnostics.hpp"
#include "schema/ir.hpp"

namespace prisma_cpp::schema::detail {

namespace ast = psl::ast;
using psl::Span;

enum class TopKind { Model, View, Enum, Type, Datasource, Generator };

// What a field's @relation says, with `fields`/`references` resolved to field indices.
struct RelationArgs {
  const ast::Attribute* attribute = nullptr;
  std::optional<std::vector<std::size_t>> fields;      // present when `fields:` was given
  std::optional<std::vector<std::size_t>> references;  // indices into the related model
  std::optional<std::string> name;
  std::optional<ir::ReferentialAction> on_delete, on_update;
  Span on_delete_span, on_update_span;
  std::optional<std::string> map;
};

// Where an IR field came from, plus what the attribute stage noted for later stages.
struct FieldSrc {
  const ast::Field* ast = nullptr;
  bool resolved = false;                         // the type was found
  RelationArgs relation;                         // relation fields only
  const ast::Attribute* default_attr = nullptr;  // accepted @default
  const ast::Attribute* native_attr = nullptr;   // @<datasource>.Type(...)
  std::string native_prefix;                     // the datasource name used as prefix
  bool default_unknown_function = false;         // @default(fn()) with a function Prisma does not know
};

struct ModelSrc {
  const ast::Block* block = nullptr;
  std::vector<FieldSrc> fields;                       // parallel to ir::Model::fields
  const ast::Attribute* pk_attribute = nullptr;       // @id or @@id
  std::vector<const ast::Attribute*> index_attributes;  // parallel to ir::Model::indexes
  const ast::Attribute* map_attribute = nullptr;      // @@map
  std::optional<Span> schema_span;                    // the argument of @@schema
};

struct EnumSrc {
  const ast::Block* block = nullptr;
  const ast::Attribute* map_attribute = nullptr;
  std::optional<Span> schema_span;
};

enum class RelationMode { ForeignKeys, Prisma };

struct Context {
  Context(const psl::SourceSet& s, const std::vector<ast::SchemaFile>& f, psl::Diagnostics& d, ir::Schema& ir)
      : sources(s), files(f), diags(&d), schema(ir) {}
  const psl::SourceSet& sources;
  const std::vector<ast::SchemaFile>& files;
  psl::Diagnostics* diags;  // where errors go (config diagnostics are collected apart)
  ir::Schema& schema;

  std::vector<ModelSrc> models;             // parallel to schema.models (models, then views)
  std::vector<std::size_t> models_in_source_order;  // models and views as written
  std::vector<EnumSrc> enums;               // parallel to schema.enums
  std::vector<ModelSrc> types;              // parallel to schema.composite_types
  std::map<std::string, std::pair<TopKind, std::size_t>> tops;  // models, views, enums, types

  const ast::Block* datasource_block = nullptr;  // the one datasource that loaded
  std::string datasource_name;              // native type prefix (`db` in @db.Text)
  std::set<std::string> preview_features;
  RelationMode relation_mode = RelationMode::ForeignKeys;
  bool relation_mode_explicit = false;
  std::optional<Span> schemas_span;         // `schemas = [...]` in the datasource
  std::optional<Span> extensions_span;

  void error(Span span, std::string message, std::string hint = {}) {
    diags->error(span, std::move(message), std::move(hint));
  }
  void warning(Span span, std::string message, std::string hint = {}) {
    diags->warning(span, std::move(message), std::move(hint));
  }
  std::string_view text(Span span) const;
  ir::Provider provider() const { return schema.provider(); }
  // Prisma's span of a field in messages: the whole declaration up to and including its newline.
  Span field_span(const ast::Field& f) const;
  Span field_span(std::size_t model, std::size_t field) const {
    return field_span(*models[model].fields[field].ast);
  }
  const char* container(std::size_t model) const {
    return schema.models[model].is_view ? "view" : "model";
  }
};

// ---- expressions (expr.cpp) ----
std::string expr_to_string(const ast::Expr& e);  // as Prisma prints a value in messages
const char* describe_value_type(const ast::Expr& e);
// `Expected a <expected> value, but received <type> value `<raw>`.` at the expression.
void type_mismatch(Context& ctx, const ast::Expr& e, const std::string& expected);
std::optional<std::string> coerce_string(Context& ctx, const ast::Expr& e,
                                         const char* expected = "string");
std::optional<std::string> coerce_constant(Context& ctx, const ast::Expr& e,
                                           const char* expected = "constant");
std::optional<long long> coerce_integer(Context& ctx, const ast::Expr& e);
std::optional<bool> coerce_boolean(Context& ctx, const ast::Expr& e);
bool is_env_call(const ast::Expr& e);
std::string string_literal(const std::string& s);  // "..." with Prisma's escapes
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `name` when it is close enough to be a likely typo.
std::optional<std::string> did_you_mean(const std::string& name,
                                        const std::vector<std::string>& candidates);

// ---- attributes (attribute_walker.cpp): Prisma's bookkeeping of attributes and arguments ----
class AttributeWalker {
 public:
  AttributeWalker(Context& ctx, const std::vector<ast::Attribute>& attributes);
  // An attribute that may appear once: true when present (exactly once) and usable.
  bool single(std::string_view name);
  // One more occurrence of a repeatable attribute (`@@index`): true while there is one.
  bool repeated(std::string_view name);
  // The datasource-scoped attribute (`@db.VarChar(200)`), duplicates reported.
  const ast::Attribute* scoped();
  const ast::Attribute& current() const { return *current_; }
  // The argument named `name`, or else the unnamed one; reports `Argument "x" is missing.`.
  const ast::Expr* default_arg(std::string_view name);
  const ast::Expr* default_arg_quiet(std::string_view name, bool& missing);
  const ast::Argument* optional_arg(std::string_view name);
  const ast::Expr* optional_value(std::string_view name);
  void validate_args();   // unused arguments: `No such argument.`
  void discard_args();
  void attr_error(const std::string& message, std::optional<Span> span = {},
                  std::string hint = {});
  void finish();          // attributes nobody asked for: `Attribute not known`
  bool unnamed_duplicated() const { return unnamed_duplicated_; }

 private:
  bool start(std::size_t index);
  Context& ctx_;
  const std::vector<ast::Attribute>& attributes_;
  std::vector<bool> used_;
  const ast::Attribute* current_ = nullptr;
  std::map<std::string, std::size_t> named_;
  std::vector<std::size_t> unnamed_;
  bool unnamed_duplicated_ = false;
};

std::string attribute_display_name(const ast::Attribute& a);  // "@id", "@@index"

// ---- constraint names (constraint_names.cpp) ----
using ir::max_identifier_length;
// primary_key_name, unique_index_name, normal_index_name, foreign_key_name: schema/sql_names.hpp

// `where: raw("...")` of @@index, @@unique and @unique (preview partialIndexes): the condition.
std::optional<std::string> parse_where_arg(Context& ctx, AttributeWalker& w, const ast::Attribute& attr);
void compute_constraint_names(Context& ctx);

// ---- stages ----
void load_config(Context& ctx, psl::Diagnostics& out);       // config.cpp
void resolve_names(Context& ctx);                            // names.cpp
void resolve_types(Context& ctx);                            // names.cpp
void resolve_field_attributes(Context& ctx, std::size_t model);       // field_attributes.cpp
void resolve_relation_field_attributes(Context& ctx, std::size_t model, std::size_t field);
void resolve_model_attributes(Context& ctx, std::size_t model);       // model_attributes.cpp
void resolve_enum_attributes(Context& ctx, std::size_t enm);          // model_attributes.cpp
void visit_default(Context& ctx, AttributeWalker& w, std::size_t model, std::size_t field);  // defaults.cpp
void validate_default_literal(Context& ctx, std::size_t model, std::size_t field);          // defaults.cpp
void infer_relations(Context& ctx);                          // relations.cpp
void validate_relations(Context& ctx);                       // relations.cpp
bool relation_field_ambiguity(Context& ctx, std::size_t model, std::size_t field);  // relations.cpp
void validate_schema(Context& ctx);                          // validate_models.cpp
void validate_native_type(Context& ctx, std::size_t model, std::size_t field);  // native_types.cpp
void validate_index_operator_classes(Context& ctx, std::size_t model,
                                     std::size_t index);     // index_operator_classes.cpp

}  // namespace prisma_cpp::schema::detail
