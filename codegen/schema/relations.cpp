// Relations: pairs every relation field with its opposite the way Prisma infers them (1:1, 1:n,
// implicit m:n, self and named relations), fills ir::Relation, then checks each relation.
#include <algorithm>
#include <cctype>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

using RKind = ir::Relation::Kind;

std::string generated_name(const std::string& a, const std::string& b) {
  return a < b ? a + "To" + b : b + "To" + a;
}

const RelationArgs& args(const Context& ctx, std::size_t m, std::size_t f) {
  return ctx.models[m].fields[f].relation;
}

bool is_relation(const Context& ctx, std::size_t m, std::size_t f) {
  return ctx.models[m].fields[f].resolved && ctx.schema.models[m].fields[f].kind == ir::FieldKind::Relation;
}

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

// The opposite relation field: in the referenced model, pointing back, same relation name.
std::optional<std::size_t> opposite(const Context& ctx, std::size_t m, std::size_t f) {
  const ir::Field& field = ctx.schema.models[m].fields[f];
  std::size_t other = field.related_model;
  const auto& fields = ctx.schema.models[other].fields;
  for (std::size_t of = 0; of < fields.size(); ++of) {
    if (!is_relation(ctx, other, of) || fields[of].related_model != m) continue;
    if (other == m && of == f) continue;
    if (args(ctx, other, of).name == args(ctx, m, f).name) return of;
  }
  return std::nullopt;
}

bool fields_are_unique(const Context& ctx, std::size_t m, const std::vector<std::size_t>& fields) {
  for (const auto& idx : ctx.schema.models[m].indexes) {
    if (idx.type != ir::Index::Type::Unique || idx.fields.size() != fields.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < fields.size(); ++i) same = same && idx.fields[i].field == fields[i];
    if (same) return true;
  }
  return false;
}

// Any unique criterion (id or unique) made of exactly these fields, in any order.
bool is_unique_criterion(const ir::Model& m, std::vector<std::size_t> fields) {
  std::sort(fields.begin(), fields.end());
  auto same = [&](const std::vector<ir::IndexField>& f) {
    std::vector<std::size_t> v;
    for (const auto& x : f) v.push_back(x.field);
    std::sort(v.begin(), v.end());
    return v == fields;
  };
  if (m.primary_key && same(m.primary_key->fields)) return true;
  for (const auto& idx : m.indexes)
    if (idx.type == ir::Index::Type::Unique && same(idx.fields)) return true;
  return false;
}

void add_relation(Context& ctx, ir::Relation r) {
  std::size_t ri = ctx.schema.relations.size();
  if (r.field_a != ir::npos) ctx.schema.models[r.model_a].fields[r.field_a].relation = ri;
  if (r.field_b != ir::npos) ctx.schema.models[r.model_b].fields[r.field_b].relation = ri;
  ctx.schema.relations.push_back(std::move(r));
}

}  // namespace

void infer_relations(Context& ctx) {
  for (std::size_t m : ctx.models_in_source_order) {
    const ir::Model& model = ctx.schema.models[m];
    for (std::size_t f = 0; f < model.fields.size(); ++f) {
      if (!is_relation(ctx, m, f)) continue;
      const ir::Field& field = model.fields[f];
      std::size_t om = field.related_model;
      const ir::Model& other = ctx.schema.models[om];
      auto of = opposite(ctx, m, f);
      const RelationArgs& ra = args(ctx, m, f);
      ir::Relation r;
      r.explicit_name = ra.name.has_value();
      r.name = ra.name ? *ra.name : generated_name(model.name, other.name);
      r.model_a = m;
      r.field_a = f;
      r.model_b = om;
      bool required = !field.optional && !field.list;
      if (of) {
        const ir::Field& opp = other.fields[*of];
        bool opp_required = !opp.optional && !opp.list;
        std::pair<std::string, std::string> me{model.name, field.name}, them{other.name, opp.name};
        if (field.list && opp.list) {
          if (model.name > other.name || (m == om && field.name > opp.name)) continue;
          r.kind = RKind::ManyToMany;
        } else if (required && opp.optional) {
          r.kind = RKind::OneToOne;
        } else if (required && opp_required) {
          if (me > them) continue;
          r.kind = RKind::OneToOne;
        } else if (field.optional && opp_required) {
          continue;
        } else if (field.optional && opp.optional) {
          if (!ra.fields) {
            if (args(ctx, om, *of).fields) continue;
            if (me > them) continue;
          }
          r.kind = RKind::OneToOne;
        } else if (field.list) {
          continue;  // the singular side defines the 1:n relation
        } else {
          r.kind = RKind::OneToMany;
        }
        r.field_b = *of;
      } else if (field.list) {
        // Only the list side exists: the relation belongs to the other model.
        r.kind = RKind::OneToMany;
        r.model_a = om;
        r.field_a = ir::npos;
        r.model_b = m;
        r.field_b = f;
      } else {
        r.kind = ra.fields && fields_are_unique(ctx, m, *ra.fields) ? RKind::OneToOne : RKind::OneToMany;
      }
      if (r.field_a != ir::npos && r.kind != RKind::ManyToMany) {
        const RelationArgs& fa = args(ctx, r.model_a, r.field_a);
        if (fa.fields) r.fields = *fa.fields;
        if (fa.references) r.references = *fa.references;
      }
      add_relation(ctx, std::move(r));
    }
  }

  // Effective referential actions, constraint and join table names, read-only scalars.
  for (auto& r : ctx.schema.relations) {
    if (r.kind == RKind::ManyToMany) {
      r.on_delete = r.on_update = ir::ReferentialAction::Cascade;
      r.join_table = "_" + r.name;
      continue;
    }
    ir::Model& a = ctx.schema.models[r.model_a];
    bool any_required = std::any_of(r.fields.begin(), r.fields.end(),
                                    [&](std::size_t f) { return !a.fields[f].optional; });
    bool restrict_ok = ctx.provider() != ir::Provider::Sqlserver && ctx.provider() != ir::Provider::Mongodb;
    r.on_delete = any_required ? (restrict_ok ? ir::ReferentialAction::Restrict : ir::ReferentialAction::NoAction)
                               : ir::ReferentialAction::SetNull;
    r.on_update = ir::ReferentialAction::Cascade;
    if (r.field_a != ir::npos) {
      const RelationArgs& fa = args(ctx, r.model_a, r.field_a);
      if (fa.on_delete) {
        r.on_delete = *fa.on_delete;
        r.on_delete_explicit = true;
      }
      if (fa.on_update) {
        r.on_update = *fa.on_update;
        r.on_update_explicit = true;
      }
    }
    std::vector<std::string> columns;
    for (std::size_t f : r.fields) {
      if (f < a.fields.size()) {
        a.fields[f].is_read_only = true;
        columns.push_back(a.fields[f].db_name);
      }
    }
    const RelationArgs* fa = r.field_a != ir::npos ? &args(ctx, r.model_a, r.field_a) : nullptr;
    r.fk_name = fa && fa->map ? *fa->map : foreign_key_name(a.db_name, columns, ctx.provider());
  }
}

// Prisma stops all further checks after the first ambiguous relation (to avoid a flood).
bool relation_field_ambiguity(Context& ctx, std::size_t m, std::size_t f) {
  const ir::Model& model = ctx.schema.models[m];
  const ir::Field& field = model.fields[f];
  const ir::Model& related = ctx.schema.models[field.related_model];
  const RelationArgs& ra = args(ctx, m, f);
  std::vector<std::size_t> group;
  for (std::size_t g = 0; g < model.fields.size(); ++g)
    if (is_relation(ctx, m, g) && model.fields[g].related_model == field.related_model &&
        args(ctx, m, g).name == ra.name)
      group.push_back(g);
  if (group.size() < 2) return false;
  bool self = field.related_model == m;
  if (ra.name && self && group.size() == 2) return false;
  std::vector<std::string> names;
  for (std::size_t g : group) names.push_back("`" + model.fields[g].name + "`");
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  std::string msg, hint;
  if (!ra.name && self && group.size() == 2) {
    msg = "Ambiguous self relation detected. The fields " + list + " in model `" + model.name + "` both refer to `" +
          related.name + "`. If they are part of the same relation add the same relation name for them with `@relation(<name>)`.";
    hint = "name the relation on both fields, e.g. @relation(\"" + model.name + "Links\")";
  } else if (!ra.name && self) {
    msg = "Unnamed self relation detected. The fields " + list + " in model `" + model.name +
          "` have no relation name. Please provide a relation name for one of them by adding `@relation(<name>).";
    hint = "give each pair of fields its own relation name";
  } else if (self) {
    msg = "Wrongly named self relation detected. The fields " + list + " in model `" + model.name +
          "` have the same relation name. At most two relation fields can belong to the same relation and therefore "
          "have the same name. Please assign a different relation name to one of them.";
    hint = "rename one of the relations";
  } else if (!ra.name) {
    msg = "Ambiguous relation detected. The fields " + list + " in model `" + model.name + "` both refer to `" +
          related.name + "`. Please provide different relation names for them by adding `@relation(<name>).";
    hint = "add @relation(\"SomeName\") to each field and the same name to its opposite field in " + related.name;
  } else {
    msg = "Wrongly named relation detected. The fields " + list + " in model `" + model.name +
          "` both use the same relation name. Please provide different relation names for them through `@relation(<name>).";
    hint = "give each relation its own name";
  }
  ctx.error(ctx.field_span(m, f),
            "Error validating " + std::string(ctx.container(m)) + " \"" + model.name + "\": " + msg, hint);
  return true;
}

namespace {

const char* kRel = "Error parsing attribute \"@relation\": ";

void check_inline(Context& ctx, const ir::Relation& r) {
  bool has_forward = r.field_a != ir::npos;
  bool has_back = r.field_b != ir::npos;
  const ir::Model& a = ctx.schema.models[r.model_a];
  const ir::Model& b = ctx.schema.models[r.model_b];
  const RelationArgs* fwd = has_forward ? &args(ctx, r.model_a, r.field_a) : nullptr;
  const RelationArgs* back = has_back ? &args(ctx, r.model_b, r.field_b) : nullptr;
  Span fwd_span = has_forward ? ctx.field_span(r.model_a, r.field_a) : Span{};
  Span back_span = has_back ? ctx.field_span(r.model_b, r.field_b) : Span{};
  const std::string fwd_name = has_forward ? a.fields[r.field_a].name : "";
  const std::string back_name = has_back ? b.fields[r.field_b].name : "";
  auto names = [](const ir::Model& m, const std::vector<std::size_t>& fs) {
    std::vector<std::string> v;
    for (std::size_t f : fs) v.push_back(m.fields[f].name);
    return v;
  };

  if (fwd && fwd->references && !fwd->references->empty()) {
    if (!is_unique_criterion(b, *fwd->references)) {
      auto refs = names(b, *fwd->references);
      std::string msg = refs.size() == 1
                            ? "The argument `references` must refer to a unique criterion in the related model. Consider adding an `@unique` attribute to the field `" + refs[0] + "` in the model `" + b.name + "`."
                            : "The argument `references` must refer to a unique criterion in the related model. Consider adding an `@@unique([" + join(refs) + "])` attribute to the model `" + b.name + "`.";
      ctx.error(fwd_span, kRel + msg, "reference the id or a unique field of " + b.name);
    }
  }
  if (fwd && fwd->fields && fwd->references && fwd->fields->size() != fwd->references->size())
    ctx.error(fwd->attribute->span,
              "Error validating: You must specify the same number of fields in `fields` and `references`.",
              "pair each field with one referenced field");
  if (fwd && !a.fields[r.field_a].optional && !a.fields[r.field_a].list && fwd->fields) {
    bool any_optional = std::any_of(fwd->fields->begin(), fwd->fields->end(),
                                    [&](std::size_t f) { return a.fields[f].optional; });
    if (any_optional)
      ctx.error(fwd_span,
                "Error validating: The relation field `" + fwd_name + "` uses the scalar fields " +
                    join(names(a, *fwd->fields)) +
                    ". At least one of those fields is optional. Hence the relation field must be optional as well.",
                "make `" + fwd_name + "` optional (`" + b.name + "?`) or the scalar fields required");
  }
  if (fwd && fwd->fields && fwd->references)
    for (std::size_t i = 0; i < std::min(fwd->fields->size(), fwd->references->size()); ++i) {
      const ir::Field& x = a.fields[(*fwd->fields)[i]];
      const ir::Field& y = b.fields[(*fwd->references)[i]];
      bool same = x.kind == y.kind && x.type_name == y.type_name;
      if (!same)
        ctx.error(fwd_span,
                  std::string(kRel) + "The type of the field `" + x.name + "` in the model `" + a.name +
                      "` is not matching the type of the referenced field `" + y.name + "` in model `" + b.name + "`.",
                  "make `" + x.name + "` a " + y.type_name + " like `" + b.name + "." + y.name + "`");
    }
  // SetNull on required scalar fields: PostgreSQL accepts it (warning), the others refuse it.
  if (fwd) {
    // As in Prisma, a relation without `fields` counts as having required ones.
    bool all_optional = fwd->fields && std::all_of(fwd->fields->begin(), fwd->fields->end(), [&](std::size_t f) {
                          return a.fields[f].optional || a.fields[f].list;
                        });
    if (!all_optional) {
      bool warn = ctx.provider() == ir::Provider::Postgresql && ctx.relation_mode == RelationMode::ForeignKeys;
      for (const char* which : {"onDelete", "onUpdate"}) {
        const auto& act = std::string(which) == "onDelete" ? fwd->on_delete : fwd->on_update;
        if (act != ir::ReferentialAction::SetNull) continue;
        if (warn)
          ctx.warning(fwd_span,
                      std::string("The `") + which + "` referential action of a relation should not be set to `SetNull` when a referenced field is required. We recommend either to choose another referential action, or to make the referenced fields optional. Read more at https://pris.ly/d/postgres-set-null ",
                      "make the scalar fields optional, or use another action");
        else
          ctx.error(fwd_span,
                    std::string(kRel) + "The `" + which + "` referential action of a relation must not be set to `SetNull` when a referenced field is required.\nEither choose another referential action, or make the referenced fields optional.\n",
                    "make the scalar fields optional (`Int?`), or use Cascade/Restrict/NoAction");
      }
    }
  }

  if (!has_back || !has_forward) {
    std::size_t m = has_forward ? r.model_a : r.model_b;
    std::size_t f = has_forward ? r.field_a : r.field_b;
    const ir::Model& model = ctx.schema.models[m];
    const ir::Field& field = model.fields[f];
    const std::string& related = ctx.schema.models[field.related_model].name;
    std::string c = ctx.container(m);
    ctx.error(ctx.field_span(m, f),
              "Error validating field `" + field.name + "` in " + c + " `" + model.name + "`: The relation field `" +
                  field.name + "` on " + c + " `" + model.name + "` is missing an opposite relation field on the model `" +
                  related + "`. Either run `prisma format` or add it manually.",
              field.list ? "add `" + lower_first(model.name) + " " + model.name +
                               " @relation(fields: [...], references: [...])` to model " + related
                         : "add a field of type " + model.name + (r.kind == RKind::OneToOne ? "?" : "[]") + " to model " + related);
    return;
  }
  auto empty = [](const std::optional<std::vector<std::size_t>>& v) { return !v || v->empty(); };
  if (r.kind == RKind::OneToMany) {
    if (empty(fwd->fields))
      ctx.error(fwd_span,
                std::string(kRel) + "The relation field `" + fwd_name + "` on Model `" + a.name +
                    "` must specify the `fields` argument in the @relation attribute. You can run `prisma format` to fix this automatically.",
                "add @relation(fields: [...], references: [...])");
    if (empty(fwd->references))
      ctx.error(fwd_span,
                std::string(kRel) + "The relation field `" + fwd_name + "` on Model `" + a.name +
                    "` must specify the `references` argument in the @relation attribute.",
                "add references: [id] to the @relation");
    if (!empty(back->fields) || !empty(back->references))
      ctx.error(back_span,
                std::string(kRel) + "The relation field `" + back_name + "` on Model `" + b.name +
                    "` must not specify the `fields` or `references` argument in the @relation attribute. You must only specify it on the opposite field `" +
                    fwd_name + "` on model `" + a.name + "`.",
                "move fields/references to `" + a.name + "." + fwd_name + "`");
    if (back->on_delete || back->on_update)
      ctx.error(back_span,
                std::string(kRel) + "The relation field `" + back_name + "` on Model `" + b.name +
                    "` must not specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on the opposite field `" +
                    fwd_name + "` on model `" + a.name + "`, or in case of a many to many relation, in an explicit join table.",
                "move onDelete/onUpdate to `" + a.name + "." + fwd_name + "`");
    return;
  }
  // 1:1
  auto both = [&](const std::string& what) {
    for (int side = 0; side < 2; ++side) {
      const std::string& n1 = side ? back_name : fwd_name;
      const std::string& m1 = side ? b.name : a.name;
      const std::string& n2 = side ? fwd_name : back_name;
      const std::string& m2 = side ? a.name : b.name;
      ctx.error(side ? back_span : fwd_span,
                std::string(kRel) + "The relation fields `" + n1 + "` on Model `" + m1 + "` and `" + n2 + "` on Model `" + m2 +
                    "` do not provide the `" + what + "` argument in the @relation attribute. You have to provide it on one of the two fields.",
                "add @relation(fields: [...], references: [...]) on the side that holds the foreign key");
    }
  };
  if (empty(fwd->fields) && empty(back->fields)) both("fields");
  if (empty(fwd->references) && empty(back->references)) both("references");
  auto on_both = [&](const std::string& what) {
    std::string msg = std::string(kRel) + "The relation fields `" + fwd_name + "` on Model `" + a.name + "` and `" + back_name +
                      "` on Model `" + b.name + "` both provide the `" + what +
                      "` argument in the @relation attribute. You have to provide it only on one of the two fields.";
    ctx.error(fwd_span, msg, "keep `" + what + "` on one side only");
    ctx.error(back_span, msg, "keep `" + what + "` on one side only");
  };
  if (!empty(fwd->references) && !empty(back->references)) on_both("references");
  if (!empty(fwd->fields) && !empty(back->fields)) on_both("fields");
  bool fwd_actions = fwd->on_delete || fwd->on_update, back_actions = back->on_delete || back->on_update;
  if (fwd_actions && back_actions) {
    ctx.error(back_span,
              std::string(kRel) + "The relation fields `" + back_name + "` on Model `" + b.name + "` and `" + fwd_name + "` on Model `" +
                  a.name + "` both provide the `onDelete` or `onUpdate` argument in the @relation attribute. You have to provide it only on one of the two fields.",
              "keep the actions on one side");
    ctx.error(fwd_span,
              std::string(kRel) + "The relation fields `" + fwd_name + "` on Model `" + a.name + "` and `" + back_name + "` on Model `" +
                  b.name + "` both provide the `onDelete` or `onUpdate` argument in the @relation attribute. You have to provide it only on one of the two fields.",
              "keep the actions on one side");
  } else if (back_actions) {
    ctx.error(back_span,
              std::string(kRel) + "The relation field `" + back_name + "` on Model `" + b.name +
                  "` must not specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on the opposite field `" +
                  fwd_name + "` on model `" + a.name + "`.",
              "move onDelete/onUpdate to `" + a.name + "." + fwd_name + "`");
  }
  if (fwd->fields && !fwd->fields->empty() && !fields_are_unique(ctx, r.model_a, *fwd->fields) &&
      !is_unique_criterion(a, *fwd->fields)) {
    auto fs = names(a, *fwd->fields);
    std::string msg = fs.size() == 1
                          ? "A one-to-one relation must use unique fields on the defining side. Either add an `@unique` attribute to the field `" + fs[0] + "`, or change the relation to one-to-many."
                          : "A one-to-one relation must use unique fields on the defining side. Either add an `@@unique([" + join(fs) + "])` attribute to the model, or change the relation to one-to-many.";
    ctx.error(fwd_span, kRel + msg, "add @unique to the foreign key field(s)");
  }
  if (ctx.diags->has_errors()) return;
  if (!empty(fwd->fields) && !empty(back->references)) {
    std::string msg = std::string(kRel) + "The relation field `" + fwd_name + "` on Model `" + a.name +
                      "` provides the `fields` argument in the @relation attribute. And the related field `" + back_name +
                      "` on Model `" + b.name + "` provides the `references` argument. You must provide both arguments on the same side.";
    ctx.error(fwd_span, msg, "put fields and references on the same field");
    ctx.error(back_span, msg, "put fields and references on the same field");
  }
  if (!empty(fwd->references) && !empty(back->fields))
    ctx.error(fwd_span,
              std::string(kRel) + "The relation field `" + fwd_name + "` on Model `" + a.name +
                  "` provides the `references` argument in the @relation attribute. And the related field `" + back_name +
                  "` on Model `" + b.name + "` provides the `fields` argument. You must provide both arguments on the same side.",
              "put fields and references on the same field");
  if (ctx.diags->has_errors()) return;
  const ir::Field& back_field = b.fields[r.field_b];
  if (!back_field.optional && !back_field.list) {
    ctx.error(back_span,
              std::string(kRel) + "The relation field `" + back_name + "` on Model `" + b.name +
                  "` is required. This is not valid because it's not possible to enforce this constraint on the database level. Please change the field type from `" +
                  a.name + "` to `" + a.name + "?` to fix this.",
              "write `" + back_name + " " + a.name + "?`");
    return;
  }
  const ir::Field& fwd_field = a.fields[r.field_a];
  if (!fwd_field.optional && !fwd_field.list && (back->fields || back->references))
    ctx.error(back_span,
              std::string(kRel) + "The relation field `" + b.name + "." + back_name +
                  "` defines the `fields` and/or `references` argument. You must set them on the required side of the relation (`" +
                  a.name + "." + fwd_name + "`) in order for the constraints to be enforced. Alternatively, you can change this field to be required and the opposite optional, or make both sides of the relation optional.",
              "move fields/references to `" + a.name + "." + fwd_name + "`");
}

void check_many_to_many(Context& ctx, const ir::Relation& r) {
  const ir::Model& a = ctx.schema.models[r.model_a];
  const ir::Model& b = ctx.schema.models[r.model_b];
  if (a.is_view || b.is_view)
    for (auto [m, f] : {std::pair{r.model_a, r.field_a}, std::pair{r.model_b, r.field_b}})
      ctx.error(ctx.field_span(m, f), "Error validating: Implicit many-to-many relations are not supported for views.",
                "use an explicit join model");
  if (ctx.provider() == ir::Provider::Mongodb || ctx.relation_mode == RelationMode::Prisma) {
    // Implicit m:n needs a join table with foreign keys (supported everywhere we run).
  }
  for (auto [m, f] : {std::pair{r.model_a, r.field_a}, std::pair{r.model_b, r.field_b}}) {
    const ir::Model& model = ctx.schema.models[m];
    const ir::Field& field = model.fields[f];
    const ir::Model& related = ctx.schema.models[field.related_model];
    bool single_id = related.primary_key && related.primary_key->fields.size() == 1;
    if (!single_id) {
      std::string c = related.is_view ? "view" : "model";
      ctx.error(ctx.field_span(m, f),
                "Error validating field `" + field.name + "` in " + c + " `" + model.name + "`: The relation field `" +
                    field.name + "` on " + c + " `" + model.name + "` references `" + related.name +
                    "` which does not have an `@id` field. Models without `@id` cannot be part of a many to many relation. Use an explicit intermediate Model to represent this relationship.",
                "give " + related.name + " a single-field @id, or model the join table explicitly");
      continue;
    }
    const RelationArgs& ra = args(ctx, m, f);
    if (ra.references && !(ra.references->size() == 1 && (*ra.references)[0] == related.primary_key->fields[0].field))
      ctx.error(ctx.field_span(m, f),
                "Error validating field `" + field.name + "` in model `" + model.name +
                    "`: Implicit many-to-many relations must always reference the id field of the related model. Change the argument `references` to use the id field of the related model `" +
                    related.name + "`. Or start using an explicit intermediate Model to represent this relationship.",
                "remove references:");
  }
  for (auto [m, f] : {std::pair{r.model_a, r.field_a}, std::pair{r.model_b, r.field_b}}) {
    const RelationArgs& ra = args(ctx, m, f);
    if (ra.on_delete)
      ctx.error(ra.on_delete_span, "Error validating: Referential actions on implicit many-to-many relations are not supported",
                "remove onDelete; the join table always cascades");
    if (ra.on_update)
      ctx.error(ra.on_update_span, "Error validating: Referential actions on implicit many-to-many relations are not supported",
                "remove onUpdate; the join table always cascades");
  }
  for (auto [m, f] : {std::pair{r.model_a, r.field_a}, std::pair{r.model_b, r.field_b}})
    if (args(ctx, m, f).references)
      ctx.error(ctx.field_span(m, f),
                std::string(kRel) + "Implicit many-to-many relation should not have references argument defined. Either remove it, or change the relation to one-to-many.",
                "remove references:");
}

// relationMode = "prisma" emulates actions in the client: cascades must not loop.
void check_cycles(Context& ctx, std::size_t ri) {
  const ir::Relation& r = ctx.schema.relations[ri];
  if (r.kind == RKind::ManyToMany || r.field_a == ir::npos || r.field_b == ir::npos) return;
  auto triggers = [](const ir::Relation& x) {
    auto t = [](ir::ReferentialAction a) {
      return a != ir::ReferentialAction::NoAction && a != ir::ReferentialAction::Restrict;
    };
    return t(x.on_delete) || t(x.on_update);
  };
  if (!triggers(r) || !r.self_relation()) return;
  std::string msg = "Error validating: A self-relation must have `onDelete` and `onUpdate` referential actions set to `NoAction` in one of the @relation attributes.";
  bool d = !r.on_delete_explicit && r.on_delete != ir::ReferentialAction::NoAction && r.on_delete != ir::ReferentialAction::Restrict;
  bool u = !r.on_update_explicit && r.on_update != ir::ReferentialAction::NoAction && r.on_update != ir::ReferentialAction::Restrict;
  if (d && u)
    msg += std::string(" (Implicit default `onDelete`: `") + ir::to_string(r.on_delete) + "`, and `onUpdate`: `" + ir::to_string(r.on_update) + "`)";
  else if (d)
    msg += std::string(" (Implicit default `onDelete`: `") + ir::to_string(r.on_delete) + "`)";
  else if (u)
    msg += std::string(" (Implicit default `onUpdate`: `") + ir::to_string(r.on_update) + "`)";
  msg += " Read more at https://pris.ly/d/cyclic-referential-actions";
  ctx.error(ctx.field_span(r.model_a, r.field_a), msg, "set onDelete: NoAction, onUpdate: NoAction on this relation");
}

}  // namespace

void validate_relations(Context& ctx) {
  for (std::size_t ri = 0; ri < ctx.schema.relations.size(); ++ri) {
    const ir::Relation& r = ctx.schema.relations[ri];
    if (r.kind == RKind::ManyToMany) {
      check_many_to_many(ctx, r);
      continue;
    }
    if (ctx.relation_mode == RelationMode::Prisma && ctx.provider() != ir::Provider::Mongodb) check_cycles(ctx, ri);
    check_inline(ctx, r);
  }
}

}  // namespace prisma_cpp::schema::detail
