// Name resolution: the IR skeleton of every block of every file, duplicate and malformed names,
// then the type of every field (scalar, enum, relation, composite, Unsupported).
#include <algorithm>
#include <cctype>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

const std::vector<std::string>& builtin_scalars() {
  static const std::vector<std::string> v = {"String", "Boolean", "Int",  "BigInt", "Float",
                                             "Decimal", "DateTime", "Json", "Bytes"};
  return v;
}

std::optional<ir::ScalarType> scalar_from_name(const std::string& n) {
  static const ir::ScalarType types[] = {
      ir::ScalarType::String,  ir::ScalarType::Boolean,  ir::ScalarType::Int,
      ir::ScalarType::BigInt,  ir::ScalarType::Float,    ir::ScalarType::Decimal,
      ir::ScalarType::DateTime, ir::ScalarType::Json,    ir::ScalarType::Bytes};
  for (std::size_t i = 0; i < builtin_scalars().size(); ++i)
    if (builtin_scalars()[i] == n) return types[i];
  return std::nullopt;
}

bool is_reserved_name(const std::string& n) {
  static const std::set<std::string> reserved = {
      "PrismaClient", "break",  "case",       "catch",     "class",      "const",    "continue",
      "debugger",     "default", "delete",    "do",        "else",       "enum",     "export",
      "extends",      "false",  "finally",    "for",       "function",   "if",       "implements",
      "import",       "in",     "instanceof", "interface", "let",        "new",      "null",
      "package",      "private", "protected", "public",    "return",     "super",    "switch",
      "this",         "throw",  "true",       "try",       "typeof",     "var",      "void",
      "while",        "with",   "yield"};
  return reserved.count(n) > 0;
}

const char* top_type(ast::Block::Kind k) {
  switch (k) {
    case ast::Block::Kind::Model: return "model";
    case ast::Block::Kind::View: return "view";
    case ast::Block::Kind::Enum: return "enum";
    case ast::Block::Kind::Type: return "composite type";
    case ast::Block::Kind::Datasource: return "datasource";
    case ast::Block::Kind::Generator: return "generator";
  }
  return "block";
}

void validate_identifier(Context& ctx, const ast::Identifier& id, const char* item) {
  std::string what = item;
  if (id.name.empty()) {
    ctx.error(id.span, "Error validating: The name of a " + what + " must not be empty.",
              "give it a name");
  } else if (std::isdigit(static_cast<unsigned char>(id.name[0]))) {
    ctx.error(id.span, "Error validating: The name of a " + what + " must not start with a number.",
              "start the name with a letter");
  } else if (id.name.find('-') != std::string::npos) {
    ctx.error(id.span, "Error validating: The character `-` is not allowed in " + what + " names.",
              "use `_` instead of `-`");
  }
}

void validate_attribute_names(Context& ctx, const std::vector<ast::Attribute>& attrs) {
  for (const auto& a : attrs) validate_identifier(ctx, a.name, "Attribute");
}

// Prisma spans an enum value or a field through the end of its line.
Span through_line_end(const Context& ctx, Span s) {
  const std::string& text = ctx.sources[s.file].text();
  std::uint32_t end = s.end;
  while (end < text.size() && text[end] != '\n') ++end;
  if (end < text.size()) ++end;
  return {s.file, s.start, end};
}

ir::Model make_model(const ast::Block& b) {
  ir::Model m;
  m.name = b.name.name;
  m.db_name = m.name;
  m.is_view = b.kind == ast::Block::Kind::View;
  m.documentation = b.documentation;
  m.span = b.span;
  return m;
}

}  // namespace

Span Context::field_span(const ast::Field& f) const { return through_line_end(*this, f.span); }

std::string_view Context::text(Span span) const {
  const std::string& t = sources[span.file].text();
  if (span.start >= t.size()) return {};
  return std::string_view(t).substr(span.start, std::min<std::size_t>(span.end, t.size()) - span.start);
}

void resolve_names(Context& ctx) {
  // Models first, then views (the IR's order); enums and composite types as written.
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& f : ctx.files)
      for (const auto& b : f.blocks) {
        bool want = pass == 0 ? b.kind == ast::Block::Kind::Model : b.kind == ast::Block::Kind::View;
        if (!want) continue;
        ctx.schema.models.push_back(make_model(b));
        ModelSrc src;
        src.block = &b;
        ctx.models.push_back(std::move(src));
      }
  std::map<const ast::Block*, std::size_t> model_of;
  for (std::size_t i = 0; i < ctx.models.size(); ++i) model_of[ctx.models[i].block] = i;

  std::map<std::string, const ast::Block*> tops, generators, datasources;
  for (const auto& f : ctx.files)
    for (const auto& b : f.blocks) {
      // Syntax the parser keeps for us to reject: fields without a type, optional lists.
      if (b.kind == ast::Block::Kind::Model || b.kind == ast::Block::Kind::View ||
          b.kind == ast::Block::Kind::Type)
        for (const auto& fld : b.fields) {
          if (!fld.type || fld.name.name.empty()) {
            // The parser may have said so already: one message per field is enough.
            const auto& all = ctx.diags->all();
            bool reported = std::any_of(all.begin(), all.end(), [&](const psl::Diagnostic& d) {
              return d.span.file == fld.span.file && d.span.start == fld.span.start;
            });
            if (reported) continue;
            std::string kind = b.kind == ast::Block::Kind::Type ? "composite type" : top_type(b.kind);
            ctx.error(through_line_end(ctx, fld.span),
                      "Error validating " + kind + " \"" + b.name.name +
                          "\": This field declaration is invalid. It is either missing a name or a type.",
                      "write the field as `name Type`");
          } else if (fld.type->optional && fld.type->list) {
            ctx.error(fld.type->span,
                      "Optional lists are not supported. Use either `Type[]` or `Type?`.",
                      "write `" + fld.type->name.name + "[]` (a list may be empty) or `" +
                          fld.type->name.name + "?`");
          } else if (fld.type->legacy_required_list) {
            ctx.error(fld.type->span,
                      "Lists are required by default. The syntax `" + fld.type->name.name +
                          "[]!` is not valid anymore; use `" + fld.type->name.name + "[]`.",
                      "remove the `!`");
          }
        }
    }

  for (const auto& f : ctx.files)
    for (const auto& b : f.blocks) {
      if (b.kind != ast::Block::Kind::Datasource && b.kind != ast::Block::Kind::Generator &&
          scalar_from_name(b.name.name))
        ctx.error(b.name.span,
                  "\"" + b.name.name + "\" is a reserved scalar type name and cannot be used.",
                  "rename the " + std::string(top_type(b.kind)));
      std::map<std::string, const ast::Block*>* ns = &tops;
      switch (b.kind) {
        case ast::Block::Kind::Enum: {
          validate_identifier(ctx, b.name, "Enum");
          if (is_reserved_name(b.name.name))
            ctx.error(b.span,
                      "Error validating enum `" + b.name.name + "`: The enum name `" + b.name.name +
                          "` is invalid. It is a reserved name. Please change it. Read more at "
                          "https://www.prisma.io/docs/reference/tools-and-interfaces/prisma-schema/"
                          "data-model#naming-enums",
                      "rename the enum");
          validate_attribute_names(ctx, b.attributes);
          ir::Enum e;
          e.name = b.name.name;
          e.db_name = e.name;
          e.documentation = b.documentation;
          e.span = b.span;
          std::set<std::string> seen;
          for (const auto& v : b.values) {
            validate_identifier(ctx, v.name, "Enum Value");
            validate_attribute_names(ctx, v.attributes);
            if (!seen.insert(v.name.name).second)
              ctx.error(through_line_end(ctx, v.span),
                        "Value \"" + v.name.name + "\" is already defined on enum \"" + b.name.name + "\".",
                        "remove or rename the repeated value");
            e.values.push_back({v.name.name, v.name.name, v.documentation, v.span});
          }
          ctx.schema.enums.push_back(std::move(e));
          EnumSrc src;
          src.block = &b;
          ctx.enums.push_back(src);
          break;
        }
        case ast::Block::Kind::Model:
        case ast::Block::Kind::View: {
          bool view = b.kind == ast::Block::Kind::View;
          validate_identifier(ctx, b.name, view ? "view" : "Model");
          if (is_reserved_name(b.name.name))
            ctx.error(b.span,
                      "Error validating model \"" + b.name.name + "\": The " + top_type(b.kind) +
                          " name `" + b.name.name +
                          "` is invalid. It is a reserved name. Please change it. Read more at "
                          "https://pris.ly/d/naming-models",
                      "rename it");
          validate_attribute_names(ctx, b.attributes);
          std::size_t mi = model_of[&b];
          ctx.models_in_source_order.push_back(mi);
          std::set<std::string> seen;
          for (const auto& fld : b.fields) {
            if (!fld.type) continue;
            validate_identifier(ctx, fld.name, view ? "field" : "Field");
            validate_attribute_names(ctx, fld.attributes);
            if (!seen.insert(fld.name.name).second)
              ctx.error(fld.name.span,
                        "Field \"" + fld.name.name + "\" is already defined on " +
                            (view ? "view" : "model") + " \"" + b.name.name + "\".",
                        "rename or remove one of the two `" + fld.name.name + "` fields");
            ir::Field field;
            field.name = fld.name.name;
            field.db_name = field.name;
            field.documentation = fld.documentation;
            field.span = fld.span;
            ctx.schema.models[mi].fields.push_back(std::move(field));
            ctx.models[mi].fields.emplace_back().ast = &fld;  // built in place (a moved FieldSrc trips g++ 12's -Wmaybe-uninitialized at -O3)
          }
          break;
        }
        case ast::Block::Kind::Type: {
          validate_identifier(ctx, b.name, "Composite type");
          ir::Model t = make_model(b);
          ModelSrc src;
          src.block = &b;
          std::set<std::string> seen;
          for (const auto& fld : b.fields) {
            if (!fld.type) continue;
            if (!seen.insert(fld.name.name).second)
              ctx.error(fld.name.span,
                        "Field \"" + fld.name.name + "\" is already defined on composite type \"" +
                            b.name.name + "\".",
                        "rename or remove one of the two fields");
            ir::Field field;
            field.name = fld.name.name;
            field.db_name = field.name;
            field.documentation = fld.documentation;
            field.span = fld.span;
            t.fields.push_back(std::move(field));
            src.fields.emplace_back().ast = &fld;
          }
          ctx.schema.composite_types.push_back(std::move(t));
          ctx.types.push_back(std::move(src));
          break;
        }
        case ast::Block::Kind::Datasource:
        case ast::Block::Kind::Generator: {
          bool gen = b.kind == ast::Block::Kind::Generator;
          ns = gen ? &generators : &datasources;
          std::set<std::string> seen;
          for (const auto& p : b.properties)
            if (!seen.insert(p.name.name).second)
              ctx.error(p.name.span,
                        "Key \"" + p.name.name + "\" is already defined in " +
                            (gen ? "generator" : "source") + " \"" + b.name.name + "\".",
                        "remove one of the two `" + p.name.name + "` lines");
          break;
        }
      }
      auto [it, inserted] = ns->emplace(b.name.name, &b);
      if (!inserted) {
        ctx.error(b.name.span,
                  "The " + std::string(top_type(b.kind)) + " \"" + b.name.name +
                      "\" cannot be defined because a " + top_type(it->second->kind) +
                      " with that name already exists.",
                  "rename one of them; names are shared by models, views, enums and types");
        it->second = &b;
      }
    }

  // The lookup table of type names (the last definition wins, as in Prisma).
  std::map<const ast::Block*, std::pair<TopKind, std::size_t>> index;
  for (std::size_t i = 0; i < ctx.models.size(); ++i)
    index[ctx.models[i].block] = {ctx.schema.models[i].is_view ? TopKind::View : TopKind::Model, i};
  for (std::size_t i = 0; i < ctx.enums.size(); ++i) index[ctx.enums[i].block] = {TopKind::Enum, i};
  for (std::size_t i = 0; i < ctx.types.size(); ++i) index[ctx.types[i].block] = {TopKind::Type, i};
  for (const auto& [name, block] : tops) ctx.tops[name] = index[block];
}

void resolve_types(Context& ctx) {
  std::vector<std::string> candidates = builtin_scalars();
  for (const auto& [name, top] : ctx.tops) candidates.push_back(name);

  auto resolve = [&](ir::Field& field, FieldSrc& src) {
    const ast::FieldType& t = *src.ast->type;
    field.optional = t.optional;
    field.list = t.list;
    if (t.unsupported) {
      field.kind = ir::FieldKind::Unsupported;
      field.type_name = "Unsupported(" + string_literal(*t.unsupported) + ")";
      src.resolved = true;
      return;
    }
    field.type_name = t.name.name;
    if (auto s = scalar_from_name(t.name.name)) {
      field.kind = ir::FieldKind::Scalar;
      field.scalar = *s;
      src.resolved = true;
      return;
    }
    auto it = ctx.tops.find(t.name.name);
    if (it != ctx.tops.end()) {
      auto [kind, idx] = it->second;
      src.resolved = true;
      if (kind == TopKind::Model || kind == TopKind::View) {
        field.kind = ir::FieldKind::Relation;
        field.related_model = idx;
      } else if (kind == TopKind::Enum) {
        field.kind = ir::FieldKind::Enum;
        field.enum_index = idx;
      } else {
        field.kind = ir::FieldKind::Composite;
        field.related_model = idx;
      }
      return;
    }
    auto guess = did_you_mean(t.name.name, candidates);
    ctx.error(t.name.span,
              "Type \"" + t.name.name +
                  "\" is neither a built-in type, nor refers to another model, composite type, or enum.",
              guess ? "did you mean `" + *guess + "`?"
                    : "use a built-in type (String, Int, ...) or declare a model, enum or type of this name");
  };
  for (std::size_t mi : ctx.models_in_source_order)
    for (std::size_t fi = 0; fi < ctx.models[mi].fields.size(); ++fi)
      resolve(ctx.schema.models[mi].fields[fi], ctx.models[mi].fields[fi]);
  for (std::size_t ti = 0; ti < ctx.types.size(); ++ti)
    for (std::size_t fi = 0; fi < ctx.types[ti].fields.size(); ++fi) {
      auto& field = ctx.schema.composite_types[ti].fields[fi];
      resolve(field, ctx.types[ti].fields[fi]);
      if (field.kind == ir::FieldKind::Relation) {
        // Composite types cannot point at models (Prisma rejects it the same way).
        ctx.error(ctx.types[ti].fields[fi].ast->type->name.span,
                  "Error validating composite type \"" + ctx.schema.composite_types[ti].name +
                      "\": " + field.type_name + " refers to a model, making this a relation field. "
                      "Relation fields inside composite types are not supported.",
                  "use a scalar, enum or composite type here");
        ctx.types[ti].fields[fi].resolved = false;
      }
    }
}

}  // namespace prisma_cpp::schema::detail
