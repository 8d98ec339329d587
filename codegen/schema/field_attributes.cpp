// Field attributes: @map, @ignore, @id, @updatedAt, @default, @db.X, @unique on scalar fields and
// @relation (with its misplaced neighbours) on relation fields, in Prisma's visiting order.
#include <algorithm>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

std::optional<ir::SortOrder> parse_sort(Context& ctx, AttributeWalker& w) {
  const ast::Expr* e = w.optional_value("sort");
  if (!e) return std::nullopt;
  auto c = coerce_constant(ctx, *e);
  if (!c) return std::nullopt;
  if (*c == "Asc") return ir::SortOrder::Asc;
  if (*c == "Desc") return ir::SortOrder::Desc;
  w.attr_error("The `sort` argument can only be `Asc` or `Desc` you provided: " + *c + ".", {},
               "write sort: Asc or sort: Desc");
  return std::nullopt;
}

std::optional<std::string> parse_map_arg(Context& ctx, AttributeWalker& w) {
  const ast::Expr* e = w.optional_value("map");
  if (!e) return std::nullopt;
  auto s = coerce_string(ctx, *e);
  if (s && s->empty()) {
    w.attr_error("The `map` argument cannot be an empty string.", {}, "give a name or remove map:");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> parse_clustered(Context& ctx, AttributeWalker& w) {
  const ast::Expr* e = w.optional_value("clustered");
  return e ? coerce_boolean(ctx, *e) : std::nullopt;
}

void visit_scalar_map(Context& ctx, AttributeWalker& w, std::size_t mi, std::size_t fi,
                      std::map<std::string, std::size_t>& mapped) {
  const ast::Expr* e = w.default_arg("name");
  if (!e) return;
  auto name = coerce_string(ctx, *e);
  if (!name) return;
  auto& model = ctx.schema.models[mi];
  model.fields[fi].db_name = *name;
  const std::string& field_name = model.fields[fi].name;
  auto dup = [&] {
    ctx.error(ctx.field_span(mi, fi),
              "Field \"" + field_name + "\" is already defined on " + ctx.container(mi) + " \"" +
                  model.name + "\".",
              "two fields would use the database column \"" + *name + "\": change one @map");
  };
  if (!mapped.emplace(*name, fi).second) dup();
  // A field named like this mapped name conflicts too, unless it was already mapped away
  // (Prisma looks at the last field of that name and at what it has resolved so far).
  std::size_t other = ir::npos;
  for (std::size_t i = 0; i < model.fields.size(); ++i)
    if (model.fields[i].name == *name) other = i;
  if (other != ir::npos && other != fi && model.fields[other].kind != ir::FieldKind::Relation) {
    bool other_mapped = false;
    if (other < fi)
      for (const auto& a : ctx.models[mi].fields[other].ast->attributes)
        if (a.name.name == "map") other_mapped = true;
    if (!other_mapped) dup();
  }
}

void visit_field_unique(Context& ctx, AttributeWalker& w, std::size_t mi, std::size_t fi,
                        std::vector<std::pair<ir::Index, const ast::Attribute*>>& out) {
  ir::Index idx;
  idx.type = ir::Index::Type::Unique;
  idx.defined_on_field = true;
  idx.span = w.current().span;
  if (auto m = parse_map_arg(ctx, w)) idx.db_name = *m;
  ir::IndexField f;
  f.field = fi;
  if (const ast::Expr* len = w.optional_value("length"))
    if (auto v = coerce_integer(ctx, *len)) f.length = static_cast<int>(*v);
  f.sort = parse_sort(ctx, w);
  idx.clustered = parse_clustered(ctx, w);
  idx.where = parse_where_arg(ctx, w, w.current());
  idx.fields.push_back(f);
  out.emplace_back(std::move(idx), &w.current());
  (void)mi;
}

void visit_field_id(Context& ctx, AttributeWalker& w, std::size_t mi, std::size_t fi) {
  auto& model = ctx.schema.models[mi];
  if (model.primary_key) {
    ctx.error(ctx.models[mi].block->span,
              "Error validating model \"" + model.name +
                  "\": At most one field must be marked as the id field with the `@id` attribute.",
              "keep @id on one field, or use @@id([a, b]) for a compound id");
    return;
  }
  ir::PrimaryKey pk;
  pk.defined_on_field = true;
  pk.span = w.current().span;
  if (auto m = parse_map_arg(ctx, w)) pk.db_name = *m;
  ir::IndexField f;
  f.field = fi;
  if (const ast::Expr* len = w.optional_value("length"))
    if (auto v = coerce_integer(ctx, *len)) f.length = static_cast<int>(*v);
  f.sort = parse_sort(ctx, w);
  if (auto c = parse_clustered(ctx, w)) {
    pk.clustered_set = true;
    pk.clustered = *c;
  }
  pk.fields.push_back(f);
  model.primary_key = std::move(pk);
  model.fields[fi].is_id = true;
  ctx.models[mi].pk_attribute = &w.current();
}

}  // namespace

// Scalar, enum, Unsupported and composite-typed fields of a model, then stored for the model stage.
void resolve_field_attributes(Context& ctx, std::size_t mi) {
  auto& model = ctx.schema.models[mi];
  std::map<std::string, std::size_t> mapped;
  std::vector<std::pair<ir::Index, const ast::Attribute*>> uniques;
  for (std::size_t fi = 0; fi < model.fields.size(); ++fi) {
    FieldSrc& src = ctx.models[mi].fields[fi];
    if (!src.resolved || model.fields[fi].kind == ir::FieldKind::Relation) continue;
    ir::Field& field = model.fields[fi];
    AttributeWalker w(ctx, src.ast->attributes);
    if (w.single("map")) {
      visit_scalar_map(ctx, w, mi, fi, mapped);
      w.validate_args();
    }
    if (w.single("ignore")) {
      if (field.kind == ir::FieldKind::Unsupported)
        w.attr_error("Fields of type `Unsupported` cannot take an `@ignore` attribute. They are "
                     "already treated as ignored by the client due to their type.",
                     {}, "remove @ignore");
      else
        field.is_ignored = true;
      w.validate_args();
    }
    if (w.single("relation")) {
      w.attr_error("Invalid field type, not a relation.", {},
                   "@relation belongs on a field whose type is a model");
      w.validate_args();
    }
    if (w.single("id")) {
      visit_field_id(ctx, w, mi, fi);
      w.validate_args();
    }
    if (w.single("updatedAt")) {
      if (!(field.kind == ir::FieldKind::Scalar && field.scalar == ir::ScalarType::DateTime))
        w.attr_error("Fields that are marked with @updatedAt must be of type DateTime.", {},
                     "change the type to DateTime or remove @updatedAt");
      if (field.list)
        w.attr_error("Fields that are marked with @updatedAt cannot be lists.", {},
                     "make it a single DateTime");
      field.is_updated_at = true;
      w.validate_args();
    }
    if (w.single("default")) {
      visit_default(ctx, w, mi, fi);
      w.validate_args();
    }
    if (field.kind == ir::FieldKind::Scalar)
      if (const ast::Attribute* nt = w.scoped()) {
        src.native_attr = nt;
        src.native_prefix = nt->name.name.substr(0, nt->name.name.find('.'));
      }
    if (w.single("unique")) {
      visit_field_unique(ctx, w, mi, fi, uniques);
      field.is_unique = true;
      w.validate_args();
    }
    w.finish();
  }
  for (auto& [idx, attr] : uniques) {
    model.indexes.push_back(std::move(idx));
    ctx.models[mi].index_attributes.push_back(attr);
  }
}

namespace {

// `fields: [a, b]` / `references: [id]` resolved against `target` (no per-field arguments).
std::optional<std::vector<std::size_t>> resolve_plain_field_list(Context& ctx, const ast::Expr& e,
                                                                 Span attr_span, std::size_t target,
                                                                 bool references,
                                                                 const std::string& own_model) {
  std::vector<const ast::Expr*> items;
  if (e.kind == ast::Expr::Kind::Array)
    for (const auto& i : e.items) items.push_back(&i);
  else
    items.push_back(&e);
  std::vector<std::string> names;
  bool ok = true;
  for (const ast::Expr* i : items) {
    if (auto c = coerce_constant(ctx, *i)) names.push_back(*c);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  const ir::Model& m = ctx.schema.models[target];
  std::vector<std::size_t> out;
  std::vector<std::string> unknown, relation;
  for (const auto& n : names) {
    std::size_t fi = n.find('.') == std::string::npos ? m.field_index(n) : ir::npos;
    if (fi == ir::npos) {
      unknown.push_back(n);
      continue;
    }
    if (m.fields[fi].kind == ir::FieldKind::Relation) {
      relation.push_back(n);
      continue;
    }
    if (std::find(out.begin(), out.end(), fi) != out.end()) {
      ctx.error(attr_span,
                "Error validating model \"" + own_model +
                    "\": The unique index definition refers to the field " + n + " multiple times.",
                "list each field once");
      return std::nullopt;
    }
    out.push_back(fi);
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s;
  };
  if (!unknown.empty()) {
    std::vector<std::string> all;
    for (const auto& f : m.fields) all.push_back(f.name);
    auto guess = did_you_mean(unknown[0], all);
    std::string hint = guess ? "did you mean `" + *guess + "`?" : "use field names of " + m.name;
    if (!references)
      ctx.error(e.span,
                "Error validating: The argument fields must refer only to existing fields. The "
                "following fields do not exist in this model: " + join(unknown),
                hint);
    else
      ctx.error(attr_span,
                "Error validating: The argument `references` must refer only to existing fields in "
                "the related model `" + m.name +
                    "`. The following fields do not exist in the related model: " + join(unknown),
                hint);
  }
  if (!relation.empty()) {
    if (!references)
      ctx.error(e.span,
                "Error validating: The argument fields must refer only to scalar fields. But it is "
                "referencing the following relation fields: " + join(relation),
                "list the scalar (foreign key) fields");
    else
      ctx.error(attr_span,
                "Error validating: The argument `references` must refer only to scalar fields in "
                "the related model `" + m.name +
                    "`. But it is referencing the following relation fields: " + join(relation),
                "reference the scalar fields of " + m.name);
  }
  if (!unknown.empty() || !relation.empty()) return std::vector<std::size_t>{};
  return out;
}

std::optional<ir::ReferentialAction> parse_action(Context& ctx, const ast::Expr& e) {
  auto c = coerce_constant(ctx, e);
  if (!c) return std::nullopt;
  if (*c == "Cascade") return ir::ReferentialAction::Cascade;
  if (*c == "Restrict") return ir::ReferentialAction::Restrict;
  if (*c == "NoAction") return ir::ReferentialAction::NoAction;
  if (*c == "SetNull") return ir::ReferentialAction::SetNull;
  if (*c == "SetDefault") return ir::ReferentialAction::SetDefault;
  auto guess = did_you_mean(*c, {"Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"});
  ctx.error(e.span, "Error parsing attribute \"@relation\": Invalid referential action: `" + *c + "`",
            guess ? "did you mean `" + *guess + "`?"
                  : "use Cascade, Restrict, NoAction, SetNull or SetDefault");
  return std::nullopt;
}

void visit_relation(Context& ctx, AttributeWalker& w, std::size_t mi, std::size_t fi) {
  FieldSrc& src = ctx.models[mi].fields[fi];
  RelationArgs& r = src.relation;
  const ast::Attribute& attr = w.current();
  r.attribute = &attr;
  const std::string& model_name = ctx.schema.models[mi].name;
  if (const ast::Expr* f = w.optional_value("fields"))
    r.fields = resolve_plain_field_list(ctx, *f, attr.span, mi, false, model_name)
                   .value_or(std::vector<std::size_t>{});
  if (const ast::Expr* refs = w.optional_value("references")) {
    std::size_t target = ctx.schema.models[mi].fields[fi].related_model;
    r.references = resolve_plain_field_list(ctx, *refs, attr.span, target, true, model_name)
                       .value_or(std::vector<std::size_t>{});
  }
  bool missing = false;
  if (const ast::Expr* n = w.default_arg_quiet("name", missing))
    if (auto s = coerce_string(ctx, *n)) {
      if (s->empty())
        w.attr_error("A relation cannot have an empty name.", {}, "give the relation a name");
      else
        r.name = *s;
    }
  if (const ast::Expr* d = w.optional_value("onDelete")) {
    r.on_delete = parse_action(ctx, *d);
    r.on_delete_span = d->span;
  }
  if (const ast::Expr* u = w.optional_value("onUpdate")) {
    r.on_update = parse_action(ctx, *u);
    r.on_update_span = u->span;
  }
  r.map = parse_map_arg(ctx, w);
}

}  // namespace

void resolve_relation_field_attributes(Context& ctx, std::size_t mi, std::size_t fi) {
  FieldSrc& src = ctx.models[mi].fields[fi];
  ir::Field& field = ctx.schema.models[mi].fields[fi];
  AttributeWalker w(ctx, src.ast->attributes);
  if (w.single("relation")) {
    visit_relation(ctx, w, mi, fi);
    w.validate_args();
  }
  if (w.single("id")) {
    w.attr_error("The field `" + field.name +
                     "` is a relation field and cannot be marked with `@id`. Only scalar fields "
                     "can be declared as id.",
                 {}, "put @id on the scalar field that holds the key");
    w.discard_args();
  }
  if (w.single("ignore")) {
    field.is_ignored = true;
    w.validate_args();
  }
  if (w.single("default")) {
    w.attr_error("Cannot set a default value on a relation field.", {},
                 "put @default on the relation's scalar fields");
    w.discard_args();
  }
  if (w.single("map")) {
    w.attr_error("The attribute `@map` cannot be used on relation fields.", {},
                 "relation fields have no column; name the foreign key with @relation(map: \"...\")");
    (void)w.default_arg("name");
    w.discard_args();
  }
  if (w.single("unique")) {
    std::vector<std::string> underlying;
    if (src.relation.fields)
      for (std::size_t f : *src.relation.fields) underlying.push_back(ctx.schema.models[mi].fields[f].name);
    std::string suggestion;
    if (underlying.size() == 1) {
      suggestion = " Did you mean to put it on `" + underlying[0] + "`?";
    } else if (underlying.size() > 1) {
      std::string joined;
      for (std::size_t i = 0; i < underlying.size(); ++i) joined += (i ? ", " : "") + underlying[i];
      suggestion = " Did you mean to provide `@@unique([" + joined + "])`?";
    }
    w.attr_error("The field `" + field.name +
                     "` is a relation field and cannot be marked with `unique`. Only scalar fields "
                     "can be made unique." + suggestion,
                 {}, "put @unique on the relation's scalar field(s)");
    w.discard_args();
  }
  w.finish();
}

}  // namespace prisma_cpp::schema::detail
