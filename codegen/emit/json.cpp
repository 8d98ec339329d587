// emit::ir_json(): everything the IR holds, pretty-printed with a fixed key order (for
// `prisma-cpp validate --json` and tooling). References between items are by name.
#include "emit/json.hpp"

#include "emit/json_writer.hpp"

namespace prisma_cpp::emit {
namespace {

using detail::Json;

Json span(const ir::Span& s) {
  Json j = Json::object();
  j.set("file", Json::number(static_cast<long long>(s.file)));
  j.set("start", Json::number(static_cast<long long>(s.start)));
  j.set("end", Json::number(static_cast<long long>(s.end)));
  return j;
}

Json optional_int(const std::optional<int>& v) { return v ? Json::number(*v) : Json::null(); }
Json optional_bool(const std::optional<bool>& v) { return v ? Json::boolean(*v) : Json::null(); }

const char* kind_name(ir::FieldKind k) {
  switch (k) {
    case ir::FieldKind::Scalar: return "scalar";
    case ir::FieldKind::Enum: return "enum";
    case ir::FieldKind::Relation: return "relation";
    case ir::FieldKind::Unsupported: return "unsupported";
    case ir::FieldKind::Composite: return "composite";
  }
  return "?";
}

const char* default_kind_name(ir::DefaultValue::Kind k) {
  using K = ir::DefaultValue::Kind;
  switch (k) {
    case K::Literal: return "literal";
    case K::EnumValue: return "enumValue";
    case K::List: return "list";
    case K::Autoincrement: return "autoincrement";
    case K::Sequence: return "sequence";
    case K::Now: return "now";
    case K::Uuid: return "uuid";
    case K::Cuid: return "cuid";
    case K::Nanoid: return "nanoid";
    case K::Ulid: return "ulid";
    case K::DbGenerated: return "dbgenerated";
  }
  return "?";
}

const char* relation_kind_name(ir::Relation::Kind k) {
  switch (k) {
    case ir::Relation::Kind::OneToOne: return "oneToOne";
    case ir::Relation::Kind::OneToMany: return "oneToMany";
    case ir::Relation::Kind::ManyToMany: return "manyToMany";
  }
  return "?";
}

const char* index_type_name(ir::Index::Type t) {
  switch (t) {
    case ir::Index::Type::Unique: return "unique";
    case ir::Index::Type::Normal: return "normal";
    case ir::Index::Type::Fulltext: return "fulltext";
  }
  return "?";
}

template <class Items>
Json name_at(const Items& items, std::size_t i) {
  return i < items.size() ? Json::string(items[i].name) : Json::null();
}

Json default_value(const ir::DefaultValue& d) {
  Json j = Json::object();
  j.set("kind", Json::string(default_kind_name(d.kind)));
  j.set("value", Json::string(d.value));
  j.set("list", Json::strings(d.list));
  j.set("version", Json::number(d.version));
  j.set("length", optional_int(d.length));
  j.set("map", Json::optional_string(d.map));
  j.set("span", span(d.span));
  return j;
}

Json field(const ir::Schema& s, const ir::Field& f, const std::vector<ir::Model>& containers) {
  Json j = Json::object();
  j.set("name", Json::string(f.name));
  j.set("dbName", Json::string(f.db_name));
  j.set("kind", Json::string(kind_name(f.kind)));
  j.set("type", Json::string(f.type_name));
  j.set("scalarType", f.kind == ir::FieldKind::Scalar ? Json::string(ir::to_string(f.scalar)) : Json::null());
  j.set("enum", f.kind == ir::FieldKind::Enum ? name_at(s.enums, f.enum_index) : Json::null());
  j.set("relatedModel", f.kind == ir::FieldKind::Relation   ? name_at(s.models, f.related_model)
                        : f.kind == ir::FieldKind::Composite ? name_at(containers, f.related_model)
                                                             : Json::null());
  j.set("relation", f.relation != ir::npos ? Json::number(static_cast<long long>(f.relation)) : Json::null());
  j.set("isOptional", Json::boolean(f.optional));
  j.set("isList", Json::boolean(f.list));
  j.set("isId", Json::boolean(f.is_id));
  j.set("isUnique", Json::boolean(f.is_unique));
  j.set("isUpdatedAt", Json::boolean(f.is_updated_at));
  j.set("isIgnored", Json::boolean(f.is_ignored));
  j.set("isReadOnly", Json::boolean(f.is_read_only));
  j.set("default", f.default_value ? default_value(*f.default_value) : Json::null());
  if (f.native_type) {
    Json n = Json::object();
    n.set("name", Json::string(f.native_type->name));
    n.set("args", Json::strings(f.native_type->args));
    n.set("span", span(f.native_type->span));
    j.set("nativeType", std::move(n));
  } else {
    j.set("nativeType", Json::null());
  }
  j.set("documentation", Json::string(f.documentation));
  j.set("span", span(f.span));
  return j;
}

Json index_fields(const ir::Model& m, const std::vector<ir::IndexField>& fields) {
  Json a = Json::array();
  for (const auto& f : fields) {
    Json j = Json::object();
    j.set("field", name_at(m.fields, f.field));
    j.set("sort", f.sort ? Json::string(*f.sort == ir::SortOrder::Desc ? "desc" : "asc") : Json::null());
    j.set("length", optional_int(f.length));
    j.set("operatorClass", Json::optional_string(f.operator_class));
    a.push(std::move(j));
  }
  return a;
}

Json model(const ir::Schema& s, const ir::Model& m, const std::vector<ir::Model>& containers) {
  Json j = Json::object();
  j.set("name", Json::string(m.name));
  j.set("dbName", Json::string(m.db_name));
  j.set("schema", Json::optional_string(m.schema));
  j.set("isView", Json::boolean(m.is_view));
  j.set("isIgnored", Json::boolean(m.is_ignored));
  Json fields = Json::array();
  for (const auto& f : m.fields) fields.push(field(s, f, containers));
  j.set("fields", std::move(fields));
  if (m.primary_key) {
    const ir::PrimaryKey& pk = *m.primary_key;
    Json p = Json::object();
    p.set("fields", index_fields(m, pk.fields));
    p.set("name", Json::optional_string(pk.name));
    p.set("dbName", Json::string(pk.db_name));
    p.set("definedOnField", Json::boolean(pk.defined_on_field));
    p.set("clustered", pk.clustered_set ? Json::boolean(pk.clustered) : Json::null());
    p.set("span", span(pk.span));
    j.set("primaryKey", std::move(p));
  } else {
    j.set("primaryKey", Json::null());
  }
  Json indexes = Json::array();
  for (const auto& i : m.indexes) {
    Json x = Json::object();
    x.set("type", Json::string(index_type_name(i.type)));
    x.set("fields", index_fields(m, i.fields));
    x.set("name", Json::optional_string(i.name));
    x.set("dbName", Json::string(i.db_name));
    x.set("definedOnField", Json::boolean(i.defined_on_field));
    x.set("algorithm", Json::optional_string(i.algorithm));
    x.set("clustered", optional_bool(i.clustered));
    x.set("span", span(i.span));
    indexes.push(std::move(x));
  }
  j.set("indexes", std::move(indexes));
  j.set("documentation", Json::string(m.documentation));
  j.set("span", span(m.span));
  return j;
}

Json enumeration(const ir::Enum& e) {
  Json j = Json::object();
  j.set("name", Json::string(e.name));
  j.set("dbName", Json::string(e.db_name));
  j.set("schema", Json::optional_string(e.schema));
  Json values = Json::array();
  for (const auto& v : e.values) {
    Json x = Json::object();
    x.set("name", Json::string(v.name));
    x.set("dbName", Json::string(v.db_name));
    x.set("documentation", Json::string(v.documentation));
    x.set("span", span(v.span));
    values.push(std::move(x));
  }
  j.set("values", std::move(values));
  j.set("documentation", Json::string(e.documentation));
  j.set("span", span(e.span));
  return j;
}

Json field_list(const ir::Schema& s, std::size_t model, const std::vector<std::size_t>& fields) {
  Json a = Json::array();
  for (std::size_t f : fields)
    a.push(model < s.models.size() ? name_at(s.models[model].fields, f) : Json::null());
  return a;
}

Json relation(const ir::Schema& s, const ir::Relation& r) {
  auto field_name = [&](std::size_t m, std::size_t f) {
    return m < s.models.size() ? name_at(s.models[m].fields, f) : Json::null();
  };
  Json j = Json::object();
  j.set("name", Json::string(r.name));
  j.set("explicitName", Json::boolean(r.explicit_name));
  j.set("kind", Json::string(relation_kind_name(r.kind)));
  j.set("modelA", name_at(s.models, r.model_a));
  j.set("fieldA", field_name(r.model_a, r.field_a));
  j.set("modelB", name_at(s.models, r.model_b));
  j.set("fieldB", field_name(r.model_b, r.field_b));
  j.set("fields", field_list(s, r.model_a, r.fields));
  j.set("references", field_list(s, r.model_b, r.references));
  j.set("onDelete", Json::string(ir::to_string(r.on_delete)));
  j.set("onUpdate", Json::string(ir::to_string(r.on_update)));
  j.set("onDeleteExplicit", Json::boolean(r.on_delete_explicit));
  j.set("onUpdateExplicit", Json::boolean(r.on_update_explicit));
  j.set("fkName", Json::string(r.fk_name));
  j.set("joinTable", Json::string(r.join_table));
  return j;
}

Json datasource(const ir::Datasource& d) {
  Json j = Json::object();
  j.set("name", Json::string(d.name));
  j.set("provider", Json::string(ir::to_string(d.provider)));
  j.set("providerName", Json::string(d.provider_name));
  j.set("url", Json::optional_string(d.url));
  j.set("urlEnv", Json::optional_string(d.url_env));
  j.set("directUrl", Json::optional_string(d.direct_url));
  j.set("directUrlEnv", Json::optional_string(d.direct_url_env));
  j.set("shadowDatabaseUrl", Json::optional_string(d.shadow_database_url));
  j.set("shadowDatabaseUrlEnv", Json::optional_string(d.shadow_database_url_env));
  j.set("relationMode", Json::optional_string(d.relation_mode));
  j.set("schemas", Json::strings(d.schemas));
  Json extensions = Json::array();
  for (std::size_t i = 0; i < d.extensions.size(); ++i) {
    Json e = Json::object();
    e.set("name", Json::string(d.extensions[i]));
    const ir::Extension* args = d.extension_args.size() == d.extensions.size() ? &d.extension_args[i] : nullptr;
    e.set("map", args ? Json::optional_string(args->map) : Json::null());
    e.set("schema", args ? Json::optional_string(args->schema) : Json::null());
    e.set("version", args ? Json::optional_string(args->version) : Json::null());
    extensions.push(std::move(e));
  }
  j.set("extensions", std::move(extensions));
  j.set("span", span(d.span));
  return j;
}

Json generator(const ir::Generator& g) {
  Json j = Json::object();
  j.set("name", Json::string(g.name));
  j.set("provider", Json::string(g.provider));
  j.set("providerEnv", Json::boolean(g.provider_env));
  j.set("output", Json::optional_string(g.output));
  j.set("previewFeatures", Json::strings(g.preview_features));
  j.set("binaryTargets", Json::strings(g.binary_targets));
  Json config = Json::object();
  for (const auto& [k, v] : g.config) config.set(k, Json::string(v));  // std::map: sorted keys
  j.set("config", std::move(config));
  j.set("span", span(g.span));
  return j;
}

}  // namespace

std::string ir_json(const ir::Schema& s) {
  Json root = Json::object();
  root.set("provider", Json::string(ir::to_string(s.provider())));
  root.set("datasource", s.datasource ? datasource(*s.datasource) : Json::null());
  Json generators = Json::array();
  for (const auto& g : s.generators) generators.push(generator(g));
  root.set("generators", std::move(generators));
  Json enums = Json::array();
  for (const auto& e : s.enums) enums.push(enumeration(e));
  root.set("enums", std::move(enums));
  Json models = Json::array();
  for (const auto& m : s.models) models.push(model(s, m, s.composite_types));
  root.set("models", std::move(models));
  Json types = Json::array();
  for (const auto& t : s.composite_types) types.push(model(s, t, s.composite_types));
  root.set("compositeTypes", std::move(types));
  Json relations = Json::array();
  for (const auto& r : s.relations) relations.push(relation(s, r));
  root.set("relations", std::move(relations));
  return root.dump() + "\n";
}

}  // namespace prisma_cpp::emit
