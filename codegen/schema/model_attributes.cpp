// Block attributes of models and enums: @@ignore, @@id, @@map, @@schema, @@index, @@unique,
// @@fulltext, and @map on enum values.
#include <algorithm>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

const std::set<std::string>& operator_classes() {
  static const std::set<std::string> s = {
      "InetOps", "JsonbOps", "JsonbPathOps", "ArrayOps", "TextOps", "BitMinMaxOps",
      "VarBitMinMaxOps", "BpcharBloomOps", "BpcharMinMaxOps", "ByteaBloomOps", "ByteaMinMaxOps",
      "DateBloomOps", "DateMinMaxOps", "DateMinMaxMultiOps", "Float4BloomOps", "Float4MinMaxOps",
      "Float4MinMaxMultiOps", "Float8BloomOps", "Float8MinMaxOps", "Float8MinMaxMultiOps",
      "InetInclusionOps", "InetBloomOps", "InetMinMaxOps", "InetMinMaxMultiOps", "Int2BloomOps",
      "Int2MinMaxOps", "Int2MinMaxMultiOps", "Int4BloomOps", "Int4MinMaxOps", "Int4MinMaxMultiOps",
      "Int8BloomOps", "Int8MinMaxOps", "Int8MinMaxMultiOps", "NumericBloomOps", "NumericMinMaxOps",
      "NumericMinMaxMultiOps", "OidBloomOps", "OidMinMaxOps", "OidMinMaxMultiOps", "TextBloomOps",
      "TextMinMaxOps", "TimestampBloomOps", "TimestampMinMaxOps", "TimestampMinMaxMultiOps",
      "TimestampTzBloomOps", "TimestampTzMinMaxOps", "TimestampTzMinMaxMultiOps", "TimeBloomOps",
      "TimeMinMaxOps", "TimeMinMaxMultiOps", "TimeTzBloomOps", "TimeTzMinMaxOps",
      "TimeTzMinMaxMultiOps", "UuidBloomOps", "UuidMinMaxOps", "UuidMinMaxMultiOps"};
  return s;
}

}  // namespace

bool known_operator_class(const std::string& name) { return operator_classes().count(name) > 0; }

std::optional<std::string> parse_where_arg(Context& ctx, AttributeWalker& w, const ast::Attribute& attr) {
  const ast::Expr* wh = w.optional_value("where");
  if (!wh) return std::nullopt;
  if (!ctx.schema.has_preview_feature("partialIndexes")) {
    ctx.error(attr.span,
              "Error parsing attribute \"" + attribute_display_name(attr) +
                  "\": Partial indexes are a preview feature. Add \"partialIndexes\" to previewFeatures in your generator block.",
              "add previewFeatures = [\"partialIndexes\"] to the generator block");
    return std::nullopt;
  }
  if (wh->kind == ast::Expr::Kind::Function && wh->text == "raw" && wh->args.size() == 1 && wh->args[0].value &&
      wh->args[0].value->kind == ast::Expr::Kind::String)
    return wh->args[0].value->text;
  ctx.error(wh->span, "Unexpected token. Expected one of: raw(\"...\") with the index's SQL condition",
            "write where: raw(\"deleted_at IS NULL\")");
  return std::nullopt;
}

namespace {

struct IndexItem {
  std::string name;
  ir::IndexField field;
};

// `[a, b(sort: Desc, length: 10, ops: JsonbPathOps)]`: names and per-field arguments.
std::optional<std::vector<IndexItem>> coerce_index_items(Context& ctx, const ast::Expr& e) {
  std::vector<const ast::Expr*> items;
  if (e.kind == ast::Expr::Kind::Array)
    for (const auto& i : e.items) items.push_back(&i);
  else
    items.push_back(&e);
  std::vector<IndexItem> out;
  bool ok = true;
  for (const ast::Expr* i : items) {
    if (i->kind == ast::Expr::Kind::Constant) {
      out.push_back({i->text, {}});
      continue;
    }
    if (i->kind != ast::Expr::Kind::Function) {
      type_mismatch(ctx, *i, "constant literal");
      ok = false;
      continue;
    }
    IndexItem item{i->text, {}};
    for (const auto& arg : i->args) {
      if (!arg.name || !arg.value) continue;
      const std::string& n = arg.name->name;
      const ast::Expr& v = *arg.value;
      if (n == "sort") {
        auto c = coerce_constant(ctx, v);
        if (c && *c == "Asc") item.field.sort = ir::SortOrder::Asc;
        else if (c && *c == "Desc") item.field.sort = ir::SortOrder::Desc;
        else if (c)
          ctx.error(arg.span, "Unexpected token. Expected one of: Asc, Desc", "write sort: Asc or sort: Desc");
      } else if (n == "length") {
        if (auto len = coerce_integer(ctx, v)) item.field.length = static_cast<int>(*len);
      } else if (n == "ops") {
        if (v.kind == ast::Expr::Kind::Constant) {
          if (operator_classes().count(v.text)) {
            item.field.operator_class = v.text;
          } else {
            std::vector<std::string> all(operator_classes().begin(), operator_classes().end());
            auto guess = did_you_mean(v.text, all);
            ctx.error(v.span, "Unexpected token. Expected one of: Invalid operator class: " + v.text,
                      guess ? "did you mean `" + *guess + "`?" : "use a PostgreSQL operator class such as JsonbPathOps, or raw(\"...\")");
          }
        } else if (v.kind == ast::Expr::Kind::Function && v.text == "raw") {
          if (v.args.size() == 1 && v.args[0].value && v.args[0].value->kind == ast::Expr::Kind::String)
            item.field.operator_class = "raw(" + string_literal(v.args[0].value->text) + ")";
          else if (v.args.size() != 1)
            ctx.error(v.span,
                      "Function \"raw\" takes 1 arguments, but received " + std::to_string(v.args.size()) + ".",
                      "write raw(\"opclass\")");
          else
            ctx.error(v.span, "Unexpected token. Expected one of: a string value", "write raw(\"opclass\")");
        } else {
          ctx.error(arg.span, "Unexpected token. Expected one of: operator class", "write ops: JsonbPathOps");
        }
      }
    }
    out.push_back(std::move(item));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

enum class FieldsFor { Id, Index, Unique };

// Resolves index/id fields; reports unknown and relation fields the way Prisma words them.
std::optional<std::vector<ir::IndexField>> resolve_index_fields(Context& ctx, std::size_t mi,
                                                                 const ast::Expr& e, Span attr_span,
                                                                 FieldsFor kind) {
  auto items = coerce_index_items(ctx, e);
  if (!items) return std::nullopt;
  const ir::Model& m = ctx.schema.models[mi];
  std::string prefix = "Error validating model \"" + m.name + "\": ";
  std::vector<ir::IndexField> out;
  std::vector<std::string> unknown, relation;
  std::vector<std::size_t> relation_idx;
  for (auto& item : *items) {
    std::size_t fi = item.name.find('.') == std::string::npos ? m.field_index(item.name) : ir::npos;
    if (fi == ir::npos) {
      unknown.push_back(item.name);
      continue;
    }
    if (m.fields[fi].kind == ir::FieldKind::Relation) {
      relation.push_back(item.name);
      relation_idx.push_back(fi);
      continue;
    }
    if (std::any_of(out.begin(), out.end(), [&](const ir::IndexField& f) { return f.field == fi; })) {
      ctx.error(attr_span,
                prefix + "The unique index definition refers to the field " + item.name + " multiple times.",
                "list each field once");
      return std::nullopt;
    }
    item.field.field = fi;
    out.push_back(item.field);
  }
  std::vector<std::string> all;
  for (const auto& f : m.fields) all.push_back(f.name);
  if (!unknown.empty()) {
    auto guess = did_you_mean(unknown[0], all);
    std::string hint = guess ? "did you mean `" + *guess + "`?" : "use field names of " + m.name;
    if (kind == FieldsFor::Id)
      ctx.error(e.span, prefix + "The multi field id declaration refers to the unknown fields " + join(unknown) + ".", hint);
    else
      ctx.error(attr_span,
                prefix + "The " + (kind == FieldsFor::Unique ? "unique " : "") +
                    "index definition refers to the unknown fields: " + join(unknown) + ".",
                hint);
  }
  if (!relation.empty()) {
    if (kind == FieldsFor::Id) {
      ctx.error(attr_span,
                prefix + "The id definition refers to the relation fields " + join(relation) +
                    ". ID definitions must reference only scalar fields.",
                "use the relation's scalar fields");
    } else {
      std::vector<std::string> suggested;
      for (std::size_t fi : relation_idx)
        if (const auto& f = ctx.models[mi].fields[fi].relation.fields)
          for (std::size_t s : *f) suggested.push_back(m.fields[s].name);
      std::string suggestion;
      if (!suggested.empty())
        suggestion = std::string(" Did you mean `@@") + (kind == FieldsFor::Unique ? "unique" : "index") +
                     "([" + join(suggested) + "])`?";
      ctx.error(attr_span,
                prefix + "The " + (kind == FieldsFor::Unique ? "unique " : "") +
                    "index definition refers to the relation fields " + join(relation) +
                    ". Index definitions must reference only scalar fields." + suggestion,
                "index the relation's scalar fields");
    }
  }
  if (!unknown.empty() || !relation.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> string_arg(Context& ctx, AttributeWalker& w, const char* name, const char* what) {
  const ast::Expr* e = w.optional_value(name);
  if (!e) return std::nullopt;
  auto s = coerce_string(ctx, *e);
  if (s && s->empty()) {
    w.attr_error(std::string("The `") + what + "` argument cannot be an empty string.", {},
                 std::string("give a name or remove ") + name + ":");
    return std::nullopt;
  }
  return s;
}

void validate_client_name(Context& ctx, std::size_t mi, Span span, const std::string& name,
                          const char* attribute) {
  bool ok = std::all_of(name.begin(), name.end(), [](char c) {
    return c == '_' || std::isalnum(static_cast<unsigned char>(c));
  });
  if (!ok)
    ctx.error(span,
              "Error validating model \"" + ctx.schema.models[mi].name + "\": The `name` property within the `" +
                  attribute + "` attribute only allows for the following characters: `_a-zA-Z0-9`.",
              "use letters, digits and `_` only");
}

std::optional<bool> clustered_arg(Context& ctx, AttributeWalker& w) {
  const ast::Expr* e = w.optional_value("clustered");
  return e ? coerce_boolean(ctx, *e) : std::nullopt;
}

void model_id(Context& ctx, AttributeWalker& w, std::size_t mi) {
  ir::Model& m = ctx.schema.models[mi];
  const ast::Attribute& attr = w.current();
  const ast::Expr* fields = w.default_arg("fields");
  if (!fields) return;
  auto resolved = resolve_index_fields(ctx, mi, *fields, attr.span, FieldsFor::Id);
  if (!resolved) return;
  std::vector<std::string> optional;
  for (const auto& f : *resolved)
    if (m.fields[f.field].optional || m.fields[f.field].list) optional.push_back(m.fields[f.field].name);
  if (!optional.empty())
    ctx.error(attr.span,
              "Error validating model \"" + m.name + "\": The id definition refers to the optional " +
                  (optional.size() == 1 ? "field `" + optional[0] + "`" : "fields `" + join(optional, "`, `") + "`") +
                  ". ID definitions must reference only required fields.",
              "make these fields required, or choose other fields");
  if (m.primary_key)
    ctx.error(ctx.models[mi].block->span,
              "Error validating model \"" + m.name +
                  "\": Each model must have at most one id criteria. You can't have `@id` and `@@id` at the same time.",
              "keep either @id or @@id");
  ir::PrimaryKey pk;
  pk.span = attr.span;
  pk.fields = *resolved;
  if (auto map = string_arg(ctx, w, "map", "map")) pk.db_name = *map;
  if (auto name = string_arg(ctx, w, "name", "name")) {
    validate_client_name(ctx, mi, attr.span, *name, "@@id");
    pk.name = *name;
  }
  if (auto c = clustered_arg(ctx, w)) {
    pk.clustered_set = true;
    pk.clustered = *c;
  }
  for (auto& f : m.fields) f.is_id = false;
  if (pk.fields.size() == 1) m.fields[pk.fields[0].field].is_id = true;
  m.primary_key = std::move(pk);
  ctx.models[mi].pk_attribute = &attr;
}

std::optional<ir::Index> model_index(Context& ctx, AttributeWalker& w, std::size_t mi, ir::Index::Type type) {
  const ast::Attribute& attr = w.current();
  ir::Index idx;
  idx.type = type;
  idx.span = attr.span;
  bool fields_ok = false;
  if (const ast::Expr* fields = w.default_arg("fields")) {
    auto resolved = resolve_index_fields(ctx, mi, *fields, attr.span,
                                         type == ir::Index::Type::Unique ? FieldsFor::Unique : FieldsFor::Index);
    if (resolved) {
      idx.fields = *resolved;
      fields_ok = true;
    }
  }
  if (type == ir::Index::Type::Normal) {
    auto name = string_arg(ctx, w, "name", "name");
    auto map = string_arg(ctx, w, "map", "map");
    if (name && map)
      w.attr_error("The `@@index` attribute accepts the `name` argument as an alias for the `map` argument for "
                   "legacy reasons. It does not accept both though. Please use the `map` argument to specify the "
                   "database name of the index.",
                   {}, "keep only map:");
    else if (name || map)
      idx.db_name = name ? *name : *map;
    if (const ast::Expr* t = w.optional_value("type"))
      if (auto c = coerce_constant(ctx, *t)) {
        static const std::vector<std::string> algos = {"BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"};
        if (std::find(algos.begin(), algos.end(), *c) != algos.end()) {
          idx.algorithm = *c;
        } else {
          auto guess = did_you_mean(*c, algos);
          w.attr_error("Unknown index type: " + *c + ".", {},
                       guess ? "did you mean `" + *guess + "`?" : "use BTree, Hash, Gist, Gin, SpGist or Brin");
        }
      }
    idx.clustered = clustered_arg(ctx, w);
  } else if (type == ir::Index::Type::Unique) {
    auto name = string_arg(ctx, w, "name", "name");
    if (auto map = string_arg(ctx, w, "map", "map")) idx.db_name = *map;
    if (name) {
      validate_client_name(ctx, mi, attr.span, *name, "@@unique");
      idx.name = *name;
    }
    idx.clustered = clustered_arg(ctx, w);
  } else {
    if (auto map = string_arg(ctx, w, "map", "map")) idx.db_name = *map;
  }
  if (type != ir::Index::Type::Fulltext) idx.where = parse_where_arg(ctx, w, attr);
  if (!fields_ok) return std::nullopt;
  return idx;
}

}  // namespace

void resolve_model_attributes(Context& ctx, std::size_t mi) {
  ir::Model& m = ctx.schema.models[mi];
  ModelSrc& src = ctx.models[mi];
  AttributeWalker w(ctx, src.block->attributes);
  if (w.single("ignore")) {
    for (std::size_t fi = 0; fi < m.fields.size(); ++fi)
      if (m.fields[fi].is_ignored && m.fields[fi].kind != ir::FieldKind::Relation)
        ctx.error(ctx.field_span(mi, fi),
                  "Error parsing attribute \"@ignore\": Fields on an already ignored Model do not need an "
                  "`@ignore` annotation.",
                  "remove @ignore from the field");
    m.is_ignored = true;
    w.validate_args();
  }
  if (w.single("id")) {
    model_id(ctx, w, mi);
    w.validate_args();
  }
  if (w.single("map")) {
    if (const ast::Expr* e = w.default_arg("name"))
      if (auto s = coerce_string(ctx, *e)) {
        m.db_name = *s;
        src.map_attribute = &w.current();
      }
    w.validate_args();
  }
  if (w.single("schema")) {
    if (const ast::Expr* e = w.default_arg("map"))
      if (auto s = coerce_string(ctx, *e)) {
        m.schema = *s;
        src.schema_span = e->span;
      }
    w.validate_args();
  }
  std::vector<std::pair<ir::Index, const ast::Attribute*>> block_indexes;
  while (w.repeated("index")) {
    if (auto idx = model_index(ctx, w, mi, ir::Index::Type::Normal)) block_indexes.emplace_back(std::move(*idx), &w.current());
    w.validate_args();
  }
  while (w.repeated("unique")) {
    if (auto idx = model_index(ctx, w, mi, ir::Index::Type::Unique)) block_indexes.emplace_back(std::move(*idx), &w.current());
    w.validate_args();
  }
  while (w.repeated("fulltext")) {
    if (auto idx = model_index(ctx, w, mi, ir::Index::Type::Fulltext)) block_indexes.emplace_back(std::move(*idx), &w.current());
    w.validate_args();
  }
  // Block-level indexes keep their order in the source (field-level ones came first).
  std::stable_sort(block_indexes.begin(), block_indexes.end(),
                   [](const auto& a, const auto& b) { return a.second->span.start < b.second->span.start; });
  for (auto& [idx, attr] : block_indexes) {
    m.indexes.push_back(std::move(idx));
    src.index_attributes.push_back(attr);
  }
  if (!m.is_ignored && m.primary_key && m.primary_key->defined_on_field && !m.primary_key->fields.empty()) {
    const ir::Field& f = m.fields[m.primary_key->fields[0].field];
    if (f.optional || f.list)
      ctx.error(m.primary_key->span,
                "Error parsing attribute \"@id\": Fields that are marked as id must be required.",
                "remove the `?` from the id field");
  }
  w.finish();
}

void resolve_enum_attributes(Context& ctx, std::size_t ei) {
  ir::Enum& e = ctx.schema.enums[ei];
  EnumSrc& src = ctx.enums[ei];
  for (std::size_t vi = 0; vi < src.block->values.size(); ++vi) {
    AttributeWalker w(ctx, src.block->values[vi].attributes);
    if (w.single("map")) {
      if (const ast::Expr* n = w.default_arg("name"))
        if (auto s = coerce_string(ctx, *n)) e.values[vi].db_name = *s;
      w.validate_args();
    }
    w.finish();
  }
  AttributeWalker w(ctx, src.block->attributes);
  if (w.single("map")) {
    if (const ast::Expr* n = w.default_arg("name"))
      if (auto s = coerce_string(ctx, *n)) {
        e.db_name = *s;
        src.map_attribute = &w.current();
      }
    w.validate_args();
  }
  if (w.single("schema")) {
    if (const ast::Expr* n = w.default_arg("map"))
      if (auto s = coerce_string(ctx, *n)) {
        e.schema = *s;
        src.schema_span = n->span;
      }
    w.validate_args();
  }
  w.finish();
}

}  // namespace prisma_cpp::schema::detail
