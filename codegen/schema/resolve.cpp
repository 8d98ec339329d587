// resolve(): runs the resolver's stages in Prisma's order (names, types, attributes, relations,
// configuration, then the validations that need a clean schema) so that messages come out in
// the order `prisma validate` prints them.
#include "schema/resolve.hpp"

#include <map>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema {

ir::Schema resolve(const psl::SourceSet& sources, const std::vector<psl::ast::SchemaFile>& files,
                   psl::Diagnostics& diags) {
  ir::Schema schema;
  detail::Context ctx(sources, files, diags, schema);

  // The provider is needed by every stage, but Prisma reports configuration problems after the
  // models' ones: collect them apart and append them below.
  psl::Diagnostics config_diags;
  detail::load_config(ctx, config_diags);

  detail::resolve_names(ctx);
  detail::resolve_types(ctx);

  // Attributes: every relation field first, then models (fields, then block) and enums as written.
  for (std::size_t mi : ctx.models_in_source_order)
    for (std::size_t fi = 0; fi < ctx.models[mi].fields.size(); ++fi)
      if (ctx.models[mi].fields[fi].resolved && schema.models[mi].fields[fi].kind == ir::FieldKind::Relation)
        detail::resolve_relation_field_attributes(ctx, mi, fi);
  std::map<const psl::ast::Block*, std::size_t> model_of, enum_of;
  for (std::size_t i = 0; i < ctx.models.size(); ++i) model_of[ctx.models[i].block] = i;
  for (std::size_t i = 0; i < ctx.enums.size(); ++i) enum_of[ctx.enums[i].block] = i;
  for (const auto& f : files)
    for (const auto& b : f.blocks) {
      if (auto m = model_of.find(&b); m != model_of.end()) {
        detail::resolve_field_attributes(ctx, m->second);
        detail::resolve_model_attributes(ctx, m->second);
      } else if (auto e = enum_of.find(&b); e != enum_of.end()) {
        detail::resolve_enum_attributes(ctx, e->second);
      }
    }
  detail::infer_relations(ctx);

  for (auto& d : config_diags.all()) diags.all().push_back(std::move(d));

  // Like Prisma, the deeper checks run only on a schema that resolved without errors.
  if (!diags.has_errors())
    detail::validate_schema(ctx);
  else
    detail::compute_constraint_names(ctx);
  return schema;
}

}  // namespace prisma_cpp::schema
