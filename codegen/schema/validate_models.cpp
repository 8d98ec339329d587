// The checks Prisma runs once names, types and attributes resolved cleanly: per model and view
// (unique criteria, constraint names, @@schema, connector support), per field, per index, per
// enum, then per relation.
#include <algorithm>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

bool is_postgres_like(ir::Provider p) { return p == ir::Provider::Postgresql || p == ir::Provider::Cockroachdb; }
bool multi_schema(ir::Provider p) {
  return is_postgres_like(p) || p == ir::Provider::Sqlserver || p == ir::Provider::Mysql;
}

const ast::Argument* find_arg(const ast::Attribute& a, const char* name) {
  for (const auto& arg : a.args)
    if (arg.name && arg.name->name == name) return &arg;
  return nullptr;
}

std::string index_attribute_name(const ir::Index& idx) {
  if (idx.defined_on_field) return "@unique";
  switch (idx.type) {
    case ir::Index::Type::Unique: return "@@unique";
    case ir::Index::Type::Normal: return "@@index";
    case ir::Index::Type::Fulltext: return "@@fulltext";
  }
  return "@@index";
}

std::string attr_error(const std::string& attribute, const std::string& message) {
  return "Error parsing attribute \"" + attribute + "\": " + message;
}

// Constraint names that must be unique in a namespace (Prisma's ConstraintNamespace).
struct Constraint {
  enum class Kind { PrimaryKey, Index, ForeignKey } kind;
  std::size_t model;
  std::string schema;
  std::string name;
};

struct Namespaces {
  std::vector<Constraint> all;
  // How often each name occurs per scope (counted once, looked up per constraint).
  std::map<std::pair<std::string, std::string>, int> global_by_schema;  // pk + indexes, per schema
  std::map<std::string, int> sqlite_indexes;
  std::map<std::pair<std::size_t, std::string>, int> per_model;
  void count() {
    for (const auto& c : all) {
      if (c.kind != Constraint::Kind::ForeignKey) ++global_by_schema[{c.schema, c.name}];
      if (c.kind == Constraint::Kind::Index) ++sqlite_indexes[c.name];
      ++per_model[{c.model, c.name}];
    }
  }
  static int at(const auto& m, const auto& k) {
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  }
  // The scopes in which this constraint's name is taken twice, in Prisma's words.
  std::vector<std::string> violations(const Context& ctx, const Constraint& c) const {
    std::vector<std::string> out;
    ir::Provider p = ctx.provider();
    if (is_postgres_like(p) && c.kind != Constraint::Kind::ForeignKey && at(global_by_schema, std::pair{c.schema, c.name}) > 1)
      out.push_back("global for primary key, indexes and unique constraints");
    if (p == ir::Provider::Sqlite && c.kind == Constraint::Kind::Index && at(sqlite_indexes, c.name) > 1)
      out.push_back("global for indexes and unique constraints");
    // Indexes are only checked globally; the model scope is Prisma's for primary and foreign keys.
    if (is_postgres_like(p) && c.kind != Constraint::Kind::Index && at(per_model, std::pair{c.model, c.name}) > 1)
      out.push_back("on model `" + ctx.schema.models[c.model].name +
                    "` for primary key, indexes, unique constraints and foreign keys");
    return out;
  }
};

Namespaces collect_constraints(const Context& ctx) {
  Namespaces ns;
  for (std::size_t mi = 0; mi < ctx.schema.models.size(); ++mi) {
    const ir::Model& m = ctx.schema.models[mi];
    if (m.is_view || m.is_ignored) continue;
    std::string schema = m.schema.value_or("");
    if (m.primary_key) ns.all.push_back({Constraint::Kind::PrimaryKey, mi, schema, m.primary_key->db_name});
    for (const auto& idx : m.indexes) ns.all.push_back({Constraint::Kind::Index, mi, schema, idx.db_name});
  }
  for (const auto& r : ctx.schema.relations)
    if (r.kind != ir::Relation::Kind::ManyToMany && r.field_a != ir::npos && !r.fields.empty())
      ns.all.push_back({Constraint::Kind::ForeignKey, r.model_a, ctx.schema.models[r.model_a].schema.value_or(""), r.fk_name});
  ns.count();
  return ns;
}

std::string constraint_message(const std::string& name, const std::string& scope) {
  return "The given constraint name `" + name + "` has to be unique in the following namespace: " + scope +
         ". Please provide a different name using the `map` argument.";
}

bool strict_unique_criterion(const ir::Model& m) {
  auto strict = [&](const std::vector<ir::IndexField>& fs) {
    return !fs.empty() && std::all_of(fs.begin(), fs.end(), [&](const ir::IndexField& f) {
      const ir::Field& field = m.fields[f.field];
      return !field.optional && !field.list && field.kind != ir::FieldKind::Unsupported && !field.is_ignored;
    });
  };
  if (m.primary_key && strict(m.primary_key->fields)) return true;
  for (const auto& idx : m.indexes)
    if (idx.type == ir::Index::Type::Unique && strict(idx.fields)) return true;
  return false;
}

void validate_model(Context& ctx, std::size_t mi, const Namespaces& ns) {
  ir::Model& m = ctx.schema.models[mi];
  const ModelSrc& src = ctx.models[mi];
  ir::Provider p = ctx.provider();
  std::string prefix = "Error validating " + std::string(ctx.container(mi)) + " \"" + m.name + "\": ";
  if (m.is_view && !ctx.preview_features.count("views"))
    ctx.error(src.block->span, "Error validating: View definitions are only available with the `views` preview feature.",
              "add previewFeatures = [\"views\"] to the generator block");
  if (!m.is_view && !m.is_ignored && !strict_unique_criterion(m)) {
    std::string msg = prefix +
                      "Each model must have at least one unique criteria that has only required fields. Either mark a single "
                      "field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model.";
    std::vector<std::string> loose;
    auto describe = [&](const std::vector<ir::IndexField>& fs) {
      std::string s = "- ";
      for (std::size_t i = 0; i < fs.size(); ++i) s += (i ? ", " : "") + m.fields[fs[i].field].name;
      return s;
    };
    if (m.primary_key) loose.push_back(describe(m.primary_key->fields));
    for (const auto& idx : m.indexes)
      if (idx.type == ir::Index::Type::Unique) loose.push_back(describe(idx.fields));
    if (!loose.empty()) {
      msg += " The following unique criterias were not considered as they contain fields that are not required:";
      for (const auto& l : loose) msg += "\n" + l;
    }
    ctx.error(src.block->span, msg, "add `id Int @id @default(autoincrement())` or mark a required field @unique");
  }
  if (m.primary_key && src.pk_attribute) {
    const ast::Attribute& pa = *src.pk_attribute;
    std::string an = attribute_display_name(pa);
    for (const auto& scope : ns.violations(ctx, {Constraint::Kind::PrimaryKey, mi, m.schema.value_or(""), m.primary_key->db_name})) {
      const ast::Argument* map = find_arg(pa, "map");
      ctx.error(map ? map->span : pa.span, attr_error(an, constraint_message(m.primary_key->db_name, scope)),
                "give the primary key its own name with map: \"...\"");
    }
    if (m.primary_key->db_name.size() > max_identifier_length(p) && find_arg(pa, "map"))
      ctx.error(pa.span,
                prefix + "The constraint name '" + m.primary_key->db_name + "' specified in the `map` argument for the `" + an +
                    "` constraint is too long for your chosen provider. The maximum allowed length is " +
                    std::to_string(max_identifier_length(p)) + " bytes.",
                "use a shorter name");
    if (m.primary_key->fields.empty() && !m.primary_key->defined_on_field)
      ctx.error(pa.span,
                attr_error(an, "The list of fields in an `@@id()` attribute cannot be empty. Please specify at least one field."),
                "list the id fields: @@id([a, b])");
    if (m.primary_key->fields.size() > 1) {
      std::string client;
      for (std::size_t i = 0; i < m.primary_key->fields.size(); ++i)
        client += (i ? "_" : "") + m.fields[m.primary_key->fields[i].field].name;
      if (!m.primary_key->name && m.field_index(client) != ir::npos)
        ctx.error(pa.span,
                  prefix + "The field `" + client + "` clashes with the `@@id` attribute's name. Please resolve the conflict by "
                           "providing a custom id name: `@@id([...], name: \"custom_name\")`",
                  "add name: \"...\" to @@id");
    }
    if (find_arg(pa, "map") && (p == ir::Provider::Sqlite || p == ir::Provider::Mysql))
      ctx.error(src.block->span,
                prefix + "You defined a database name for the primary key on the model. This is not supported by the provider.",
                "remove map: from the id");
    bool any_length = std::any_of(m.primary_key->fields.begin(), m.primary_key->fields.end(),
                                  [](const ir::IndexField& f) { return f.length.has_value(); });
    if (any_length && p != ir::Provider::Mysql)
      ctx.error(pa.span, attr_error(an, "The length argument is not supported in the primary key with the current connector"),
                "remove length:");
    bool any_sort = std::any_of(m.primary_key->fields.begin(), m.primary_key->fields.end(),
                                [](const ir::IndexField& f) { return f.sort.has_value(); });
    if (any_sort && p != ir::Provider::Sqlserver && p != ir::Provider::Mysql)
      ctx.error(pa.span, attr_error(an, "The sort argument is not supported in the primary key with the current connector"),
                "remove sort:");
  }
  // @@schema
  if (src.schema_span) {
    if (!multi_schema(p)) {
      if (!ctx.schemas_span && p != ir::Provider::None)
        ctx.error(*src.schema_span, "@@schema is not supported on the current datasource provider", "remove @@schema");
    } else if (ctx.schema.datasource) {
      const auto& schemas = ctx.schema.datasource->schemas;
      if (std::find(schemas.begin(), schemas.end(), *m.schema) == schemas.end())
        ctx.error(*src.schema_span,
                  "This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema",
                  "add \"" + *m.schema + "\" to `schemas` in the datasource");
    }
  } else if (multi_schema(p) && ctx.schemas_span && p != ir::Provider::Mysql) {
    ctx.error(src.block->span, prefix + "This " + ctx.container(mi) + " is missing an `@@schema` attribute.",
              "add @@schema(\"...\") with one of the datasource's schemas");
  }
  // Views: no primary keys, no indexes, uniques without arguments.
  if (m.is_view) {
    if (src.pk_attribute)
      ctx.error(src.pk_attribute->span, "Error validating: Views cannot have primary keys.", "use @unique instead of @id");
    for (std::size_t i : ir::prisma_index_order(m)) {
      const ir::Index& idx = m.indexes[i];
      const ast::Attribute& a = *src.index_attributes[i];
      if (idx.type == ir::Index::Type::Unique) {
        if (find_arg(a, "map"))
          ctx.error(a.span,
                    "Error validating: @@unique annotations on views are not backed by unique indexes in the database and "
                    "cannot specify a mapped database name.",
                    "remove map:");
      } else {
        ctx.error(a.span, "Error validating: Views cannot have indexes.", "remove the index from the view");
      }
    }
    for (std::size_t i : ir::prisma_index_order(m)) {
      const ir::Index& idx = m.indexes[i];
      bool args = std::any_of(idx.fields.begin(), idx.fields.end(), [](const ir::IndexField& f) {
        return f.sort || f.length || f.operator_class;
      });
      if (idx.type == ir::Index::Type::Unique && args)
        ctx.error(src.index_attributes[i]->span,
                  attr_error(index_attribute_name(idx), "Scalar fields in @@unique attributes in views cannot have arguments."),
                  "list plain field names");
    }
  }
  // Index type and operator classes (PostgreSQL).
  if (p == ir::Provider::Postgresql && !m.is_view)
    for (std::size_t i : ir::prisma_index_order(m)) validate_index_operator_classes(ctx, mi, i);
  // autoincrement() where the provider restricts it (SQLite: only the single-field id).
  if (p == ir::Provider::Sqlite) {
    std::vector<std::size_t> autos;
    for (std::size_t fi = 0; fi < m.fields.size(); ++fi)
      if (m.fields[fi].default_value && m.fields[fi].default_value->kind == ir::DefaultValue::Kind::Autoincrement) autos.push_back(fi);
    if (autos.size() > 1)
      ctx.error(src.block->span,
                attr_error("@default", "The `autoincrement()` default value is used multiple times on this model even though the "
                                       "underlying datasource only supports one instance per table."),
                "keep autoincrement() on the id only");
    for (std::size_t fi : autos) {
      bool single_pk = m.primary_key && m.primary_key->fields.size() == 1 && m.primary_key->fields[0].field == fi;
      bool indexed = single_pk || std::any_of(m.indexes.begin(), m.indexes.end(), [&](const ir::Index& idx) {
                       return !idx.fields.empty() && idx.fields[0].field == fi;
                     });
      if (!single_pk)
        ctx.error(ctx.field_span(mi, fi),
                  attr_error("@default", "The `autoincrement()` default value is used on a non-id field even though the "
                                         "datasource does not support this."),
                  "SQLite only autoincrements the single-field @id");
      if (!indexed)
        ctx.error(ctx.field_span(mi, fi),
                  attr_error("@default", "The `autoincrement()` default value is used on a non-indexed field even though the "
                                         "datasource does not support this."),
                  "index the field, or drop autoincrement()");
    }
  }
  if (m.primary_key && src.pk_attribute && m.primary_key->clustered_set && p != ir::Provider::Sqlserver)
    ctx.error(src.pk_attribute->span,
              attr_error(attribute_display_name(*src.pk_attribute), "Defining clustering is not supported in the current connector."),
              "remove clustered:");

  // Scalar fields.
  for (std::size_t fi = 0; fi < m.fields.size(); ++fi) {
    ir::Field& f = m.fields[fi];
    if (f.kind == ir::FieldKind::Relation || !src.fields[fi].resolved) continue;
    bool lists = is_postgres_like(p) || p == ir::Provider::Mongodb;
    if (f.list && !lists && (f.kind == ir::FieldKind::Scalar || f.kind == ir::FieldKind::Enum))
      ctx.error(ctx.field_span(mi, fi),
                "Field \"" + f.name + "\" in " + ctx.container(mi) + " \"" + m.name +
                    "\" can't be a list. The current connector does not support lists of primitive types.",
                p == ir::Provider::Sqlite ? "SQLite has no array columns: use a separate model or a Json field"
                                          : "use a separate model or a Json field");
    if (f.kind == ir::FieldKind::Scalar) validate_native_type(ctx, mi, fi);
    if (f.kind == ir::FieldKind::Scalar && !src.fields[fi].native_attr) {
      // nothing: the provider's default column type applies
    }
    validate_default_literal(ctx, mi, fi);
  }
}

void validate_model_relations_and_indexes(Context& ctx, std::size_t mi, const Namespaces& ns, bool& stop) {
  ir::Model& m = ctx.schema.models[mi];
  const ModelSrc& src = ctx.models[mi];
  ir::Provider p = ctx.provider();
  for (std::size_t fi = 0; fi < m.fields.size() && !stop; ++fi) {
    const ir::Field& f = m.fields[fi];
    if (f.kind != ir::FieldKind::Relation || !src.fields[fi].resolved) continue;
    if (relation_field_ambiguity(ctx, mi, fi)) {
      stop = true;
      return;
    }
    const ir::Model& related = ctx.schema.models[f.related_model];
    if (related.is_ignored && !f.is_ignored && !m.is_ignored)
      ctx.error(ctx.field_span(mi, fi),
                attr_error("@ignore", "The relation field `" + f.name + "` on Model `" + m.name +
                                          "` must specify the `@ignore` attribute, because the model " + related.name +
                                          " it is pointing to is marked ignored."),
                "add @ignore to the field");
    const RelationArgs& ra = src.fields[fi].relation;
    if (ctx.relation_mode == RelationMode::Prisma && p != ir::Provider::Mongodb) {
      for (auto [act, span] : {std::pair{ra.on_delete, ra.on_delete_span}, std::pair{ra.on_update, ra.on_update_span}})
        if (act == ir::ReferentialAction::SetDefault)
          ctx.error(span,
                    "Error validating: Invalid referential action: `SetDefault`. Allowed values: (`Cascade`, `Restrict`, "
                    "`SetNull`)",
                    "relationMode = \"prisma\" cannot emulate SetDefault");
        else if (act == ir::ReferentialAction::NoAction && (p == ir::Provider::Sqlite || p == ir::Provider::Postgresql))
          // as Prisma 7: the emulation has no NoAction on these two (it would be Restrict elsewhere)
          ctx.error(span,
                    std::string("Error validating: Invalid referential action: `NoAction`. Allowed values: (`Cascade`, "
                                "`Restrict`, `SetNull`). `NoAction` is not implemented for ") +
                        (p == ir::Provider::Sqlite ? "sqlite" : "Postgres") +
                        " when using `relationMode = \"prisma\"`, you could try using `Restrict` instead. Learn more at "
                        "https://pris.ly/d/relation-mode",
                    "use onDelete: Restrict (or Cascade, SetNull)");
    }
    if (ra.map && ra.attribute && (p == ir::Provider::Sqlite || p == ir::Provider::Mongodb || p == ir::Provider::None)) {
      ctx.error(ra.attribute->span, attr_error("@relation", "Your provider does not support named foreign keys."),
                "remove map: from @relation");
    }
    if (ctx.relation_mode == RelationMode::Prisma && p != ir::Provider::Mongodb && ra.fields && !ra.fields->empty()) {
      auto covered = [&](const std::vector<ir::IndexField>& idx) {
        if (idx.size() < ra.fields->size()) return false;
        for (std::size_t i = 0; i < ra.fields->size(); ++i)
          if (idx[i].field != (*ra.fields)[i]) return false;
        return true;
      };
      bool ok = (m.primary_key && covered(m.primary_key->fields)) ||
                std::any_of(m.indexes.begin(), m.indexes.end(), [&](const ir::Index& idx) { return covered(idx.fields); });
      if (!ok)
        ctx.warning(ra.attribute ? ra.attribute->span : ctx.field_span(mi, fi),
                    "With `relationMode = \"prisma\"`, no foreign keys are used, so relation fields will not benefit from the "
                    "index usually created by the relational database under the hood. This can lead to poor performance when "
                    "querying these fields. We recommend adding an index manually. Learn more at "
                    "https://pris.ly/d/relation-mode-prisma-indexes\" ",
                    "add @@index([...]) on the relation's scalar fields");
    }
  }
  for (std::size_t i : ir::prisma_index_order(m)) {
    const ir::Index& idx = m.indexes[i];
    const ast::Attribute& a = *src.index_attributes[i];
    std::string an = index_attribute_name(idx);
    if (idx.fields.empty())
      ctx.error(a.span, attr_error(an, "The list of fields in an index cannot be empty. Please specify at least one field."),
                "list the indexed fields");
    if (!m.is_view)
      for (const auto& scope : ns.violations(ctx, {Constraint::Kind::Index, mi, m.schema.value_or(""), idx.db_name})) {
        const ast::Argument* map = find_arg(a, "map");
        ctx.error(map ? map->span : a.span, attr_error(an, constraint_message(idx.db_name, scope)),
                  "give this index its own name with map: \"...\"");
      }
    bool any_length = std::any_of(idx.fields.begin(), idx.fields.end(), [](const ir::IndexField& f) { return f.length.has_value(); });
    if (any_length && p != ir::Provider::Mysql && !m.is_view)
      ctx.error(a.span, attr_error(an, "The length argument is not supported in an index definition with the current connector"),
                "remove length:");
    if (idx.algorithm && p != ir::Provider::Postgresql && p != ir::Provider::Cockroachdb) {
      const ast::Argument* t = find_arg(a, "type");
      ctx.error(t ? t->span : a.span, attr_error(an, "The given index type is not supported with the current connector"),
                "index types (type: ...) exist on PostgreSQL only");
    }
    if (idx.algorithm == "Hash" && std::any_of(idx.fields.begin(), idx.fields.end(), [](const ir::IndexField& f) { return f.sort.has_value(); }))
      ctx.error(a.span, attr_error(an, "Hash type does not support sort option."), "remove sort:");
    if (idx.type == ir::Index::Type::Fulltext && p != ir::Provider::Mysql && p != ir::Provider::Mongodb)
      ctx.error(a.span, attr_error(an, "Defining fulltext indexes is not supported with the current connector."),
                "use @@index, or full-text search in SQL");
    if (const ast::Argument* map = find_arg(a, "map"); map && idx.db_name.size() > max_identifier_length(p))
      ctx.error(a.span,
                "Error validating model \"" + m.name + "\": The constraint name '" + idx.db_name +
                    "' specified in the `map` argument for the `" + an +
                    "` constraint is too long for your chosen provider. The maximum allowed length is " +
                    std::to_string(max_identifier_length(p)) + " bytes.",
                "use a shorter name");
    if (idx.clustered && p != ir::Provider::Sqlserver)
      ctx.error(a.span, attr_error(an, "Defining clustering is not supported in the current connector."), "remove clustered:");
    if (idx.type != ir::Index::Type::Normal &&
        std::any_of(idx.fields.begin(), idx.fields.end(), [](const ir::IndexField& f) { return f.operator_class.has_value(); }))
      ctx.error(a.span, attr_error(an, "Operator classes can only be defined to fields in an @@index attribute."),
                "remove ops:");
  }
}

void validate_enums(Context& ctx) {
  std::map<std::pair<std::string, std::string>, std::size_t> db_names;
  for (std::size_t ei = 0; ei < ctx.schema.enums.size(); ++ei) {
    const ir::Enum& e = ctx.schema.enums[ei];
    if (!db_names.emplace(std::pair{e.schema.value_or(""), e.db_name}, ei).second && ctx.provider() != ir::Provider::Sqlite &&
        ctx.provider() != ir::Provider::None)
      ctx.error(ctx.enums[ei].block->span, "An enum with the same database name is already defined.",
                "give one of the enums another @@map name");
  }
  ir::Provider p = ctx.provider();
  for (std::size_t ei = 0; ei < ctx.schema.enums.size(); ++ei) {
    const ir::Enum& e = ctx.schema.enums[ei];
    const EnumSrc& src = ctx.enums[ei];
    if (src.schema_span) {
      if (multi_schema(p) && ctx.schema.datasource) {
        const auto& schemas = ctx.schema.datasource->schemas;
        if (std::find(schemas.begin(), schemas.end(), *e.schema) == schemas.end())
          ctx.error(*src.schema_span,
                    "This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema",
                    "add \"" + *e.schema + "\" to `schemas` in the datasource");
      }
    } else if (multi_schema(p) && ctx.schemas_span && p != ir::Provider::Mysql) {
      ctx.error(src.block->span, "This enum is missing an `@@schema` attribute.",
                "add @@schema(\"...\") with one of the datasource's schemas");
    }
  }
}

}  // namespace

void validate_schema(Context& ctx) {
  ir::Provider p = ctx.provider();
  for (std::size_t ti = 0; ti < ctx.types.size(); ++ti)
    if (p != ir::Provider::Mongodb)
      ctx.error(ctx.types[ti].block->span,
                std::string("Error validating: Composite types are not supported on ") +
                    (p == ir::Provider::None ? "Default" : ir::to_string(p)) + ".",
                "use a model with a relation, or a Json field");
  for (std::size_t mi : ctx.models_in_source_order)
    for (std::size_t fi = 0; fi < ctx.schema.models[mi].fields.size(); ++fi) {
      const FieldSrc& src = ctx.models[mi].fields[fi];
      if (!src.default_unknown_function || !src.default_attr) continue;
      const ast::Expr* fn = nullptr;
      for (const auto& a : src.default_attr->args)
        if ((!a.name || a.name->name == "value") && a.value) fn = &*a.value;
      if (!fn) continue;
      if (fn->text == "sequence" && p == ir::Provider::Cockroachdb) continue;
      auto guess = did_you_mean(fn->text, {"autoincrement", "cuid", "dbgenerated", "nanoid", "now", "uuid", "ulid"});
      ctx.error(fn->span,
                "Unknown function in @default(): `" + fn->text +
                    "` is not known. You can read about the available functions here: https://pris.ly/d/attribute-functions",
                guess ? "did you mean `" + *guess + "()`?" : "use a literal, or dbgenerated(\"SQL\")");
    }
  if (ctx.schemas_span && !multi_schema(p))
    ctx.error(*ctx.schemas_span, "The `schemas` property is not supported on the current connector.",
              "remove `schemas`; this provider has a single schema");
  if (ctx.extensions_span && !ctx.preview_features.count("postgresqlExtensions"))
    ctx.error(*ctx.extensions_span,
              "The `extensions` property is only available with the `postgresqlExtensions` preview feature.",
              "add previewFeatures = [\"postgresqlExtensions\"] to the generator block");

  // Tables with the same database name (per schema).
  std::map<std::pair<std::string, std::string>, std::size_t> tables;
  for (std::size_t mi = 0; mi < ctx.schema.models.size(); ++mi) {
    const ir::Model& m = ctx.schema.models[mi];
    if (m.is_view) continue;
    auto [it, inserted] = tables.emplace(std::pair{m.schema.value_or(""), m.db_name}, mi);
    if (inserted) continue;
    std::size_t existing = it->second;
    const ast::Attribute* map = ctx.models[mi].map_attribute;
    std::string other = ctx.schema.models[existing].name;
    if (!map) {
      map = ctx.models[existing].map_attribute;
      other = m.name;
    }
    if (map)
      ctx.error(map->span,
                "The model with database name \"" + m.db_name +
                    "\" could not be defined because another model or view with this name exists: \"" + other + "\"",
                "give one of the models another @@map name");
  }

  compute_constraint_names(ctx);
  Namespaces ns = collect_constraints(ctx);
  // Index checks look at native types before the fields' own checks report on them: read them
  // all first, silently.
  {
    psl::Diagnostics scratch;
    psl::Diagnostics* saved = ctx.diags;
    ctx.diags = &scratch;
    for (std::size_t mi = 0; mi < ctx.schema.models.size(); ++mi)
      for (std::size_t fi = 0; fi < ctx.schema.models[mi].fields.size(); ++fi)
        if (ctx.models[mi].fields[fi].resolved && ctx.schema.models[mi].fields[fi].kind == ir::FieldKind::Scalar)
          validate_native_type(ctx, mi, fi);
    ctx.diags = saved;
  }
  bool stop = false;
  for (std::size_t mi = 0; mi < ctx.schema.models.size() && !stop; ++mi) {
    validate_model(ctx, mi, ns);
    validate_model_relations_and_indexes(ctx, mi, ns, stop);
  }
  if (stop) return;
  validate_enums(ctx);
  // Foreign key names (per model on PostgreSQL).
  for (const auto& r : ctx.schema.relations) {
    if (r.kind == ir::Relation::Kind::ManyToMany || r.field_a == ir::npos || r.fields.empty()) continue;
    for (const auto& scope : ns.violations(ctx, {Constraint::Kind::ForeignKey, r.model_a,
                                                 ctx.schema.models[r.model_a].schema.value_or(""), r.fk_name})) {
      const RelationArgs& ra = ctx.models[r.model_a].fields[r.field_a].relation;
      const ast::Argument* map = ra.attribute ? find_arg(*ra.attribute, "map") : nullptr;
      ctx.error(map ? map->span : ctx.field_span(r.model_a, r.field_a),
                attr_error("@relation", constraint_message(r.fk_name, scope)),
                "name the foreign key with map: \"...\"");
    }
  }
  validate_relations(ctx);
}

}  // namespace prisma_cpp::schema::detail
