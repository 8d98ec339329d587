// The datasource and generator blocks: provider, URLs (a literal or env("X"); Prisma 6 schemas
// carry them, Prisma 7 ones do not), relationMode, schemas, extensions, preview features.
#include <algorithm>
#include <cctype>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

struct EnvString {
  std::string value;
  bool from_env = false;
};

// A literal string or env("NAME") (Prisma's StringFromEnvVar).
std::optional<EnvString> coerce_env_string(Context& ctx, const ast::Expr& e) {
  if (is_env_call(e)) {
    if (e.args.size() == 1 && !e.args[0].name && e.args[0].value &&
        e.args[0].value->kind == ast::Expr::Kind::String)
      return EnvString{e.args[0].value->text, true};
    if (e.args.size() == 1 && !e.args[0].name && e.args[0].value) {
      type_mismatch(ctx, *e.args[0].value, "string");
      return std::nullopt;
    }
    ctx.error(e.span, "Exactly one string parameter must be passed to the env function.",
              "write env(\"VARIABLE_NAME\")");
    return std::nullopt;
  }
  if (e.kind == ast::Expr::Kind::String) return EnvString{e.text, false};
  type_mismatch(ctx, e, "String");
  return std::nullopt;
}

std::optional<ir::Provider> provider_from_name(const std::string& p) {
  if (p == "sqlite") return ir::Provider::Sqlite;
  if (p == "postgresql" || p == "postgres") return ir::Provider::Postgresql;
  if (p == "cockroachdb") return ir::Provider::Cockroachdb;
  if (p == "mysql") return ir::Provider::Mysql;
  if (p == "sqlserver") return ir::Provider::Sqlserver;
  if (p == "mongodb") return ir::Provider::Mongodb;
  return std::nullopt;
}

const std::vector<std::string>& active_preview_features() {
  static const std::vector<std::string> v = {
      "nativeDistinct", "partialIndexes", "postgresqlExtensions", "relationJoins",
      "schemaEngineDriverAdapters", "shardKeys", "strictUndefinedChecks", "typedSql", "views"};
  return v;
}

// Features that became stable: accepted with a warning.
const std::vector<std::string>& deprecated_preview_features() {
  static const std::vector<std::string> v = {
      "aggregateApi", "atomicNumberOperations", "clientExtensions", "cockroachdb",
      "connectOrCreate", "createMany", "dataProxy", "deno", "distinct", "driverAdapters", "esm",
      "extendedIndexes", "extendedWhereUnique", "fieldReference", "filteredRelationCount",
      "filterJson", "fullTextIndex", "fullTextSearch", "groupBy", "improvedQueryRaw",
      "interactiveTransactions", "jsonProtocol", "microsoftSqlServer", "middlewares", "mongoDb",
      "multiSchema", "namedConstraints", "nApi", "nativeTypes", "omitApi", "orderByAggregateGroup",
      "orderByNulls", "orderByRelation", "prismaSchemaFolder", "queryCompiler",
      "referentialActions", "referentialIntegrity", "selectRelationCount", "tracing",
      "transactionApi", "uncheckedScalarInputs"};
  return v;
}

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> find_feature(const std::vector<std::string>& list, const std::string& f) {
  for (const auto& x : list)
    if (iequals(x, f)) return x;
  return std::nullopt;
}

void parse_preview_features(Context& ctx, ir::Generator& gen, const ast::Expr& value,
                            ir::Provider provider) {
  std::vector<std::string> raw;
  bool ok = true;
  if (value.kind == ast::Expr::Kind::Array) {
    for (const auto& item : value.items) {
      auto s = coerce_string(ctx, item);
      if (s) raw.push_back(*s);
      else ok = false;
    }
  } else if (auto s = coerce_string(ctx, value)) {
    raw.push_back(*s);
  } else {
    ok = false;
  }
  if (!ok) return;
  bool postgres = provider == ir::Provider::Postgresql;
  for (const auto& f : raw) {
    if (iequals(f, "fullTextSearch") && postgres) {
      ctx.warning(value.span,
                  "On `provider = \"postgresql\"`, preview feature \"" + f +
                      "\" has been renamed to \"fullTextSearchPostgres\". Learn more at "
                      "https://pris.ly/d/fts-postgres.",
                  "use \"fullTextSearchPostgres\"");
      gen.preview_features.push_back("fullTextSearchPostgres");
      continue;
    }
    if (iequals(f, "metrics")) {
      ctx.warning(value.span,
                  "Preview feature \"" + f +
                      "\" is deprecated. It will be removed in a future version of Prisma.",
                  "remove it from previewFeatures");
      gen.preview_features.push_back("metrics");
      continue;
    }
    if (auto known = find_feature(deprecated_preview_features(), f)) {
      ctx.warning(value.span,
                  "Preview feature \"" + f +
                      "\" is deprecated. The functionality can be used without specifying it as "
                      "a preview feature.",
                  "remove it from previewFeatures");
      gen.preview_features.push_back(*known);
      continue;
    }
    auto known = find_feature(active_preview_features(), f);
    if (!known && postgres && iequals(f, "fullTextSearchPostgres")) known = "fullTextSearchPostgres";
    if (!known && iequals(f, "reactNative")) known = "reactNative";
    if (known) {
      gen.preview_features.push_back(*known);
      continue;
    }
    std::string expected;
    for (const auto& a : active_preview_features()) expected += (expected.empty() ? "" : ", ") + a;
    auto guess = did_you_mean(f, active_preview_features());
    ctx.error(value.span,
              "The preview feature \"" + f + "\" is not known. Expected one of: " + expected,
              guess ? "did you mean \"" + *guess + "\"?" : "remove it from previewFeatures");
  }
}

void load_generator(Context& ctx, const ast::Block& b, ir::Provider provider) {
  for (const auto& p : b.properties)
    if (!p.value) {
      ctx.error(b.span,
                "Property " + p.name.name + " in generator " + b.name.name +
                    " needs to be assigned a value",
                "write `" + p.name.name + " = <value>` or remove the line");
      return;
    }
  auto prop = [&](const char* name) -> const ast::ConfigProperty* {
    const ast::ConfigProperty* found = nullptr;
    for (const auto& p : b.properties)
      if (p.name.name == name) found = &p;
    return found;
  };
  if (auto* e = prop("engineType"); e && e->value->kind != ast::Expr::Kind::String)
    type_mismatch(ctx, *e->value, "String");
  ir::Generator gen;
  gen.name = b.name.name;
  gen.span = b.span;
  const auto* provider_prop = prop("provider");
  if (!provider_prop) {
    ctx.error(b.span, "Argument \"provider\" is missing in generator block \"" + b.name.name + "\".",
              "add `provider = \"prisma-client\"` (or your generator's name)");
    return;
  }
  auto prov = coerce_env_string(ctx, *provider_prop->value);
  if (!prov) return;
  gen.provider = prov->value;
  gen.provider_env = prov->from_env;
  if (const auto* out = prop("output"))
    if (auto o = coerce_env_string(ctx, *out->value)) gen.output = o->value;
  if (const auto* bt = prop("binaryTargets")) {
    const ast::Expr& v = *bt->value;
    auto add = [&](const ast::Expr& item) {
      if (auto s = coerce_env_string(ctx, item)) gen.binary_targets.push_back(s->value);
    };
    if (v.kind == ast::Expr::Kind::Array)
      for (const auto& item : v.items) add(item);
    else
      add(v);
  }
  if (const auto* pf = prop("previewFeatures")) parse_preview_features(ctx, gen, *pf->value, provider);
  for (const auto& p : b.properties) {
    const std::string& n = p.name.name;
    if (n == "provider" || n == "output" || n == "binaryTargets" || n == "previewFeatures") continue;
    const ast::Expr& v = *p.value;
    gen.config[n] = v.kind == ast::Expr::Kind::String ? v.text : expr_to_string(v);
  }
  ctx.schema.generators.push_back(std::move(gen));
}

// Postgres `extensions = [postgis, uuid_ossp(map: "uuid-ossp", schema: "x", version: "1")]`.
void parse_extensions(Context& ctx, ir::Datasource& ds, const ast::Expr& value) {
  auto one = [&](const ast::Expr& e) {
    if (e.kind != ast::Expr::Kind::Constant && e.kind != ast::Expr::Kind::Function) {
      type_mismatch(ctx, e, "constant or function");
      return;
    }
    if (e.text.find('-') != std::string::npos) {
      ctx.error(e.span, "Error validating: The character `-` is not allowed in extension names.",
                "use `_` in the name and give the real name with map: \"...\"");
      return;
    }
    std::set<std::string> seen;
    ir::Extension ext;
    ext.name = e.text;
    for (const auto& a : e.args) {
      if (!a.name) {
        ctx.error(a.span, "Error validating: The argument must have a name",
                  "name the argument: map:, schema: or version:");
        continue;
      }
      const std::string& n = a.name->name;
      if (!seen.insert(n).second) {
        ctx.error(a.span, "Error validating: The argument `" + n + "` can only be defined once",
                  "remove the repeated argument");
        continue;
      }
      if (n != "map" && n != "schema" && n != "version") {
        ctx.error(a.span, "Argument not known: \"" + n + "\".", "use map:, schema: or version:");
        continue;
      }
      if (a.value && a.value->kind != ast::Expr::Kind::String) {
        type_mismatch(ctx, *a.value, "string");
        ctx.error(a.span, "Error validating: The `" + n + "` argument must be a string literal",
                  "quote the value");
        continue;
      }
      if (a.value) (n == "map" ? ext.map : n == "schema" ? ext.schema : ext.version) = a.value->text;
    }
    ds.extensions.push_back(e.text);
    ds.extension_args.push_back(std::move(ext));
  };
  if (value.kind == ast::Expr::Kind::Array)
    for (const auto& item : value.items) one(item);
  else
    one(value);
}

bool load_datasource(Context& ctx, const ast::Block& b, ir::Datasource& ds) {
  for (const auto& p : b.properties)
    if (!p.value) {
      ctx.error(b.span,
                "Property " + p.name.name + " in datasource " + b.name.name +
                    " needs to be assigned a value",
                "write `" + p.name.name + " = <value>` or remove the line");
      return false;
    }
  // Like Prisma, a repeated key keeps its last value (the repetition itself is reported earlier).
  std::vector<const ast::ConfigProperty*> props;
  for (const auto& p : b.properties) {
    auto it = std::find_if(props.begin(), props.end(),
                           [&](const ast::ConfigProperty* q) { return q->name.name == p.name.name; });
    if (it != props.end()) *it = &p;
    else props.push_back(&p);
  }
  auto take = [&](const char* name) -> const ast::ConfigProperty* {
    for (auto& p : props)
      if (p && p->name.name == name) {
        auto* r = p;
        p = nullptr;
        return r;
      }
    return nullptr;
  };
  ds.name = b.name.name;
  ds.span = b.span;
  const auto* provider = take("provider");
  if (!provider) {
    ctx.error(b.span, "Argument \"provider\" is missing in data source block \"" + b.name.name + "\".",
              "add `provider = \"sqlite\"` or `provider = \"postgresql\"`");
    return false;
  }
  const ast::Expr& pv = *provider->value;
  if (is_env_call(pv)) {
    ctx.error(b.span, "A datasource must not use the env() function in the provider argument.",
              "write the provider as a string literal, e.g. provider = \"postgresql\"");
    return false;
  }
  if (pv.kind != ast::Expr::Kind::String) {
    ctx.error(pv.span,
              "Error validating datasource `" + b.name.name +
                  "`: The provider argument in a datasource must be a string literal",
              "quote it: provider = \"postgresql\"");
    return false;
  }
  if (pv.text.empty()) {
    ctx.error(pv.span,
              "Error validating datasource `" + b.name.name +
                  "`: The provider argument in a datasource must not be empty",
              "write provider = \"sqlite\" or \"postgresql\"");
    return false;
  }
  auto p = provider_from_name(pv.text);
  if (!p) {
    auto guess = did_you_mean(pv.text, {"sqlite", "postgresql", "postgres", "cockroachdb", "mysql",
                                        "sqlserver", "mongodb"});
    ctx.error(pv.span, "Datasource provider not known: \"" + pv.text + "\".",
              guess ? "did you mean \"" + *guess + "\"?"
                    : "use one of sqlite, postgresql, cockroachdb, mysql, sqlserver, mongodb");
    return false;
  }
  ds.provider = *p;
  ds.provider_name = pv.text;

  const auto* mode = take("relationMode");
  const auto* integrity = take("referentialIntegrity");
  if (integrity)
    ctx.warning(integrity->span,
                "The `referentialIntegrity` attribute is deprecated. Please use `relationMode` "
                "instead. Learn more at https://pris.ly/d/relation-mode",
                "rename it to relationMode");
  if (mode && integrity) {
    ctx.error(integrity->span,
              "The `referentialIntegrity` and `relationMode` attributes cannot be used together. "
              "Please use only `relationMode` instead.",
              "remove referentialIntegrity");
  } else if (const auto* m = mode ? mode : integrity) {
    if (auto v = coerce_string(ctx, *m->value)) {
      if (*v == "prisma" || *v == "foreignKeys") {
        ds.relation_mode = *v;
        ctx.relation_mode = *v == "prisma" ? RelationMode::Prisma : RelationMode::ForeignKeys;
        ctx.relation_mode_explicit = true;
      } else {
        ctx.error(b.span,
                  "Error validating datasource `relationMode`: Invalid relation mode setting: \"" +
                      *v + "\". Supported values: \"prisma\", \"foreignKeys\"",
                  "use \"prisma\" or \"foreignKeys\"");
      }
    }
  }
  if (ds.provider == ir::Provider::Mongodb) ctx.relation_mode = RelationMode::Prisma;

  if (ds.provider == ir::Provider::Postgresql)
    if (const auto* ext = take("extensions")) {
      ctx.extensions_span = ext->span;
      parse_extensions(ctx, ds, *ext->value);
    }
  if (const auto* url = take("url"))
    if (auto u = coerce_env_string(ctx, *url->value))
      (u->from_env ? ds.url_env : ds.url) = u->value;
  if (const auto* sh = take("shadowDatabaseUrl"))
    if (auto u = coerce_env_string(ctx, *sh->value))
      (u->from_env ? ds.shadow_database_url_env : ds.shadow_database_url) = u->value;
  if (const auto* d = take("directUrl"))
    if (auto u = coerce_env_string(ctx, *d->value))
      (u->from_env ? ds.direct_url_env : ds.direct_url) = u->value;
  if (const auto* pf = take("previewFeatures"))
    ctx.error(pf->span,
              "Preview features are only supported in the generator block. Please move this field "
              "to the generator block.",
              "move previewFeatures into the generator block");
  if (const auto* sc = take("schemas")) {
    const ast::Expr& v = *sc->value;
    std::vector<std::pair<std::string, Span>> names;
    bool ok = true;
    auto add = [&](const ast::Expr& item) {
      if (auto s = coerce_string(ctx, item)) names.emplace_back(*s, item.span);
      else ok = false;
    };
    if (v.kind == ast::Expr::Kind::Array)
      for (const auto& item : v.items) add(item);
    else
      add(v);
    if (ok) {
      if (names.empty()) {
        ctx.error(v.span, "If provided, the schemas array can not be empty.",
                  "list at least one schema, or remove the property");
      } else {
        ctx.schemas_span = v.span;
        for (const auto& n : names) ds.schemas.push_back(n.first);
        std::stable_sort(names.begin(), names.end(),
                         [](const auto& a, const auto& c) { return a.first < c.first; });
        for (std::size_t i = 1; i < names.size(); ++i)
          if (names[i - 1].first == names[i].first)
            ctx.error(names[i - 1].second, "Duplicated schema names are not allowed",
                      "remove the repeated \"" + names[i].first + "\"");
      }
    }
  }
  for (const auto* rest : props)
    if (rest)
      ctx.error(rest->span, "Property not known: \"" + rest->name.name + "\".",
                "remove it; a datasource takes provider, url, directUrl, relationMode, schemas" +
                    std::string(ds.provider == ir::Provider::Postgresql ? ", extensions" : ""));
  return true;
}

}  // namespace

void load_config(Context& ctx, psl::Diagnostics& out) {
  // Prisma loads the configuration after the models: its diagnostics go to `out`, which the
  // caller appends after the model stages so the order of messages matches `prisma validate`.
  psl::Diagnostics* saved = ctx.diags;
  ctx.diags = &out;
  std::vector<const ast::Block*> datasources, generators;
  for (const auto& f : ctx.files)
    for (const auto& b : f.blocks) {
      if (b.kind == ast::Block::Kind::Datasource) datasources.push_back(&b);
      if (b.kind == ast::Block::Kind::Generator) generators.push_back(&b);
    }
  for (const ast::Block* b : datasources) {
    ir::Datasource ds;
    if (load_datasource(ctx, *b, ds) && !ctx.schema.datasource) {
      ctx.datasource_block = b;
      ctx.datasource_name = ds.name;
      ctx.schema.datasource = std::move(ds);
    }
  }
  if (datasources.size() > 1)
    for (const ast::Block* b : datasources)
      ctx.error(b->span,
                "Error validating datasource `" + b->name.name +
                    "`: You defined more than one datasource. This is not allowed yet because "
                    "support for multiple databases has not been implemented yet.",
                "keep a single datasource block");
  for (const ast::Block* b : generators) load_generator(ctx, *b, ctx.provider());
  for (const auto& g : ctx.schema.generators)
    for (const auto& f : g.preview_features) ctx.preview_features.insert(f);
  ctx.diags = saved;
}

}  // namespace prisma_cpp::schema::detail
