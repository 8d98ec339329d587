// emit::dmmf_json(): Prisma's DMMF `datamodel` (enums, models, types, indexes) with the keys Prisma
// writes and only where it writes them, so it compares equal to `getDMMF()`'s datamodel.
#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "emit/json.hpp"
#include "emit/json_writer.hpp"
#include "schema/relation_side.hpp"
#include "emit/literal_values.hpp"

namespace prisma_cpp::emit {
namespace {

using detail::Json;

// Floats and decimals are numbers in the DMMF, printed as the shortest text that reads back.
Json float_number(const std::string& text) {
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return Json::string(text);
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return Json::number(std::string(buf, r.ptr));
}

Json literal(const ir::Field& f, const std::string& v) {
  if (f.kind == ir::FieldKind::Enum) return Json::string(v);
  switch (f.scalar) {
    case ir::ScalarType::Int: return Json::number(detail::normalize_integer(v));
    case ir::ScalarType::BigInt: return Json::string(detail::normalize_integer(v));
    case ir::ScalarType::Float:
    case ir::ScalarType::Decimal: return float_number(v);
    case ir::ScalarType::Boolean: return Json::boolean(v == "true");
    case ir::ScalarType::DateTime:
      if (auto d = detail::parse_datetime(v)) return Json::string(detail::datetime_rfc3339(*d));
      return Json::string(v);
    case ir::ScalarType::String:
    case ir::ScalarType::Json:
    case ir::ScalarType::Bytes: return Json::string(v);
  }
  return Json::string(v);
}

Json function(const char* name, Json args) {
  Json j = Json::object();
  j.set("name", Json::string(name));
  j.set("args", std::move(args));
  return j;
}

Json default_value(const ir::Field& f, const ir::DefaultValue& d) {
  using K = ir::DefaultValue::Kind;
  Json args = Json::array();
  switch (d.kind) {
    case K::Literal:
    case K::EnumValue: return literal(f, d.value);
    case K::List: {
      Json items = Json::array();
      for (const auto& v : d.list) items.push(literal(f, v));
      return items;
    }
    case K::Autoincrement: return function("autoincrement", args);
    case K::Sequence: return function("sequence", args);
    case K::Now: return function("now", args);
    case K::Uuid: return function("uuid", args.push(Json::number(d.version ? d.version : 4)));
    case K::Cuid: return function("cuid", args.push(Json::number(d.version ? d.version : 1)));
    case K::Nanoid:
      if (d.length) args.push(Json::number(*d.length));
      return function("nanoid", args);
    case K::Ulid: return function("ulid", args);
    case K::DbGenerated:
      if (!d.value.empty()) args.push(Json::string(d.value));
      return function("dbgenerated", args);
  }
  return Json::null();
}

Json field_names(const ir::Model& m, const std::vector<std::size_t>& fields) {
  Json a = Json::array();
  for (std::size_t f : fields) a.push(Json::string(f < m.fields.size() ? m.fields[f].name : ""));
  return a;
}

// Prisma counts a one-field @@unique([x]) as making x unique, like @unique.
bool is_unique(const ir::Model& m, std::size_t fi) {
  if (m.fields[fi].is_unique) return true;
  return std::any_of(m.indexes.begin(), m.indexes.end(), [&](const ir::Index& i) {
    return i.type == ir::Index::Type::Unique && i.fields.size() == 1 && i.fields[0].field == fi;
  });
}

Json field(const ir::Schema& s, std::size_t mi, std::size_t fi) {
  const ir::Model& m = s.models[mi];
  const ir::Field& f = m.fields[fi];
  bool relation = f.kind == ir::FieldKind::Relation || f.kind == ir::FieldKind::Composite;
  Json j = Json::object();
  j.set("name", Json::string(f.name));
  if (!relation && f.db_name != f.name) j.set("dbName", Json::string(f.db_name));
  j.set("kind", Json::string(relation ? "object" : f.kind == ir::FieldKind::Enum ? "enum" : "scalar"));
  j.set("isList", Json::boolean(f.list));
  j.set("isRequired", Json::boolean(!f.optional));
  j.set("isUnique", Json::boolean(is_unique(m, fi)));
  j.set("isId", Json::boolean(f.is_id));
  j.set("isReadOnly", Json::boolean(f.is_read_only));
  j.set("hasDefaultValue", Json::boolean(f.default_value.has_value()));
  j.set("type", Json::string(f.type_name));
  if (f.native_type) {
    Json n = Json::array();
    n.push(Json::string(f.native_type->name)).push(Json::strings(f.native_type->args));
    j.set("nativeType", std::move(n));
  } else {
    j.set("nativeType", Json::null());
  }
  if (f.default_value) j.set("default", default_value(f, *f.default_value));
  if (f.kind == ir::FieldKind::Relation && f.relation < s.relations.size()) {
    const ir::Relation& r = s.relations[f.relation];
    // The side that holds `fields:`/`references:` (and any explicit referential action) is side a.
    bool forward = schema::relation_side(s, mi, fi).holds_fk;
    j.set("relationName", Json::string(r.name));
    j.set("relationFromFields", forward ? field_names(m, r.fields) : Json::array());
    j.set("relationToFields",
          forward && r.model_b < s.models.size() ? field_names(s.models[r.model_b], r.references) : Json::array());
    if (forward && r.on_delete_explicit) j.set("relationOnDelete", Json::string(ir::to_string(r.on_delete)));
    if (forward && r.on_update_explicit) j.set("relationOnUpdate", Json::string(ir::to_string(r.on_update)));
  }
  j.set("isGenerated", Json::boolean(false));
  j.set("isUpdatedAt", Json::boolean(f.is_updated_at));
  if (!f.documentation.empty()) j.set("documentation", Json::string(f.documentation));
  return j;
}

// Prisma prints `dbName` only for names given with `map:`; the IR keeps the effective name, so a
// name equal to Prisma's generated one counts as not given.

std::string generated_name(const ir::Schema& s, std::string base, const std::string& suffix) {
  std::size_t limit = ir::max_identifier_length(s.provider()) - suffix.size();
  if (base.size() >= limit) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    base.resize(cut);
  }
  return base + suffix;
}

std::string column_list(const ir::Model& m, const std::vector<ir::IndexField>& fields) {
  std::string out;
  for (const auto& f : fields) out += "_" + (f.field < m.fields.size() ? m.fields[f.field].db_name : "");
  return out;
}

Json index_fields(const ir::Model& m, const std::vector<ir::IndexField>& fields) {
  Json a = Json::array();
  for (const auto& f : fields) {
    Json j = Json::object();
    j.set("name", Json::string(f.field < m.fields.size() ? m.fields[f.field].name : ""));
    if (f.sort) j.set("sortOrder", Json::string(*f.sort == ir::SortOrder::Desc ? "desc" : "asc"));
    if (f.length) j.set("length", Json::number(*f.length));
    if (f.operator_class)
      j.set("operatorClass", Json::string(f.operator_class->rfind("raw(", 0) == 0 ? detail::unquote(*f.operator_class)
                                                                                  : *f.operator_class));
    a.push(std::move(j));
  }
  return a;
}

Json primary_key_index(const ir::Schema& s, const ir::Model& m, const ir::PrimaryKey& pk) {
  Json j = Json::object();
  j.set("model", Json::string(m.name));
  j.set("type", Json::string("id"));
  j.set("isDefinedOnField", Json::boolean(pk.defined_on_field));
  if (pk.name) j.set("name", Json::string(*pk.name));
  if (pk.db_name != generated_name(s, m.db_name, "_pkey")) j.set("dbName", Json::string(pk.db_name));
  if (pk.clustered_set) j.set("clustered", Json::boolean(pk.clustered));
  j.set("fields", index_fields(m, pk.fields));
  return j;
}

Json index(const ir::Schema& s, const ir::Model& m, const ir::Index& i) {
  Json j = Json::object();
  j.set("model", Json::string(m.name));
  const char* type = i.type == ir::Index::Type::Unique ? "unique" : i.type == ir::Index::Type::Normal ? "normal" : "fulltext";
  j.set("type", Json::string(type));
  j.set("isDefinedOnField", Json::boolean(i.defined_on_field));
  if (i.name) j.set("name", Json::string(*i.name));
  const char* suffix = i.type == ir::Index::Type::Unique ? "_key" : "_idx";
  if (i.db_name != generated_name(s, m.db_name + column_list(m, i.fields), suffix))
    j.set("dbName", Json::string(i.db_name));
  if (i.algorithm) j.set("algorithm", Json::string(*i.algorithm));
  if (i.clustered) j.set("clustered", Json::boolean(*i.clustered));
  j.set("fields", index_fields(m, i.fields));
  return j;
}


Json index_field_names(const ir::Model& m, const std::vector<ir::IndexField>& fields) {
  Json a = Json::array();
  for (const auto& f : fields) a.push(Json::string(f.field < m.fields.size() ? m.fields[f.field].name : ""));
  return a;
}

Json model(const ir::Schema& s, std::size_t mi) {
  const ir::Model& m = s.models[mi];
  Json j = Json::object();
  j.set("name", Json::string(m.name));
  j.set("dbName", m.db_name != m.name ? Json::string(m.db_name) : Json::null());
  j.set("schema", Json::optional_string(m.schema));
  Json fields = Json::array();
  for (std::size_t fi = 0; fi < m.fields.size(); ++fi) {
    const ir::Field& f = m.fields[fi];
    // The client never sees ignored or Unsupported fields, so neither does the DMMF.
    if (f.is_ignored || f.kind == ir::FieldKind::Unsupported) continue;
    fields.push(field(s, mi, fi));
  }
  j.set("fields", std::move(fields));
  if (m.primary_key && !m.primary_key->defined_on_field) {
    Json pk = Json::object();
    pk.set("name", Json::optional_string(m.primary_key->name));
    pk.set("fields", index_field_names(m, m.primary_key->fields));
    j.set("primaryKey", std::move(pk));
  } else {
    j.set("primaryKey", Json::null());
  }
  Json unique_fields = Json::array(), unique_indexes = Json::array();
  for (std::size_t k : ir::prisma_index_order(m)) {
    const ir::Index* i = &m.indexes[k];
    if (i->type != ir::Index::Type::Unique || i->defined_on_field) continue;
    unique_fields.push(index_field_names(m, i->fields));
    Json u = Json::object();
    u.set("name", Json::optional_string(i->name));
    u.set("fields", index_field_names(m, i->fields));
    unique_indexes.push(std::move(u));
  }
  j.set("uniqueFields", std::move(unique_fields));
  j.set("uniqueIndexes", std::move(unique_indexes));
  j.set("isGenerated", Json::boolean(false));
  if (!m.documentation.empty()) j.set("documentation", Json::string(m.documentation));
  return j;
}

Json enumeration(const ir::Enum& e) {
  Json j = Json::object();
  j.set("name", Json::string(e.name));
  Json values = Json::array();
  for (const auto& v : e.values) {
    Json jv = Json::object();
    jv.set("name", Json::string(v.name));
    jv.set("dbName", v.db_name != v.name ? Json::string(v.db_name) : Json::null());
    if (!v.documentation.empty()) jv.set("documentation", Json::string(v.documentation));
    values.push(std::move(jv));
  }
  j.set("values", std::move(values));
  j.set("dbName", e.db_name != e.name ? Json::string(e.db_name) : Json::null());
  if (!e.documentation.empty()) j.set("documentation", Json::string(e.documentation));
  return j;
}

}  // namespace

std::string dmmf_json(const ir::Schema& s) {
  Json enums = Json::array(), models = Json::array(), types = Json::array(), indexes = Json::array();
  for (const auto& e : s.enums) enums.push(enumeration(e));
  for (std::size_t mi = 0; mi < s.models.size(); ++mi) {
    const ir::Model& m = s.models[mi];
    if (m.is_ignored) continue;
    models.push(model(s, mi));
    if (m.primary_key) indexes.push(primary_key_index(s, m, *m.primary_key));
    for (std::size_t k : ir::prisma_index_order(m)) indexes.push(index(s, m, m.indexes[k]));
  }
  Json root = Json::object();
  root.set("enums", std::move(enums));
  root.set("models", std::move(models));
  root.set("types", std::move(types));
  root.set("indexes", std::move(indexes));
  return root.dump() + "\n";
}

}  // namespace prisma_cpp::emit
