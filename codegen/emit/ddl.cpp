// emit::ddl(): builds the database plan from the IR the way Prisma's schema engine does
// (sql_schema_calculator), then renders it for the dialect as `migrate diff --from-empty --script`.
#include "emit/ddl.hpp"

#include <algorithm>
#include <set>

#include "emit/ddl_plan.hpp"
#include "emit/literal_values.hpp"

namespace prisma_cpp::emit {
namespace detail {
namespace {

bool uses_foreign_keys(const ir::Schema& s) {
  return !(s.datasource && s.datasource->relation_mode && *s.datasource->relation_mode == "prisma");
}

std::size_t max_identifier_length(Dialect d) {
  return ir::max_identifier_length(d == Dialect::Postgresql ? ir::Provider::Postgresql : ir::Provider::Sqlite);
}


// A generated constraint name: `base` cut (never inside a UTF-8 sequence) so that base + suffix
// fits the identifier limit.
std::string generated_name(std::string base, const std::string& suffix, std::size_t limit) {
  if (base.size() >= limit - suffix.size()) {
    std::size_t cut = limit - suffix.size();
    while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80) --cut;
    base.resize(cut);
  }
  return base + suffix;
}

// The resolver names constraints for the schema's provider. Rendered for the other dialect, a
// name that was generated is generated again with that dialect's limit, as Prisma would when the
// provider is switched; names given with `map:` stay as they are.
struct Naming {
  std::size_t provider_limit, dialect_limit;
  std::string operator()(const std::string& name, const std::string& base, const std::string& suffix) const {
    if (provider_limit == dialect_limit || name != generated_name(base, suffix, provider_limit)) return name;
    return generated_name(base, suffix, dialect_limit);
  }
};

std::string underscored(const std::string& table, const std::vector<std::string>& columns) {
  std::string out = table;
  for (const auto& c : columns) out += "_" + c;
  return out;
}


PlanTable model_table(const ir::Schema& s, const ir::Model& m, const Naming& naming) {
  PlanTable t;
  t.name = m.db_name;
  t.ns = namespace_of(s, m.schema);
  for (const auto& f : m.fields) {
    if (f.kind == ir::FieldKind::Relation || f.kind == ir::FieldKind::Composite) continue;
    PlanColumn c;
    c.name = f.db_name;
    c.type_of = &f;
    c.nullable = f.optional;
    c.list = f.list;
    c.autoincrement = f.default_value && f.default_value->kind == ir::DefaultValue::Kind::Autoincrement;
    c.default_value = f.default_value ? &*f.default_value : nullptr;
    t.columns.push_back(c);
  }
  if (m.primary_key) {
    for (const auto& f : m.primary_key->fields)
      if (f.field < m.fields.size()) t.pk_columns.push_back(m.fields[f.field].db_name);
    t.pk_name = naming(m.primary_key->db_name, m.db_name, "_pkey");
  }
  for (std::size_t k : ir::prisma_index_order(m)) {
    const ir::Index* i = &m.indexes[k];
    PlanIndex idx;
    idx.unique = i->type == ir::Index::Type::Unique;
    idx.algorithm = i->algorithm.value_or("");
    idx.where = i->where;
    std::vector<std::string> names;
    for (const auto& f : i->fields)
      if (f.field < m.fields.size()) {
        idx.columns.push_back({m.fields[f.field].db_name, f.sort, f.operator_class});
        names.push_back(m.fields[f.field].db_name);
      }
    idx.name = naming(i->db_name, underscored(m.db_name, names), idx.unique ? "_key" : "_idx");
    t.indexes.push_back(std::move(idx));
  }
  return t;
}

// Relations are numbered as Prisma ingests them: at the field that owns the relation (the side
// with `fields:`, or for m:n model A's field), in model order then field order.
std::vector<const ir::Relation*> in_ingestion_order(const ir::Schema& s, bool many_to_many) {
  std::vector<const ir::Relation*> out;
  for (const auto& r : s.relations) {
    if ((r.kind == ir::Relation::Kind::ManyToMany) != many_to_many) continue;
    if (r.model_a >= s.models.size() || r.model_b >= s.models.size()) continue;
    if (s.models[r.model_a].is_view || s.models[r.model_b].is_view) continue;
    out.push_back(&r);
  }
  std::stable_sort(out.begin(), out.end(), [](const ir::Relation* a, const ir::Relation* b) {
    return std::pair(a->model_a, a->field_a) < std::pair(b->model_a, b->field_a);
  });
  return out;
}

void add_inline_foreign_keys(const ir::Schema& s, const Naming& naming, std::vector<PlanTable>& tables,
                             const std::vector<std::size_t>& table_of) {
  for (const ir::Relation* r : in_ingestion_order(s, false)) {
    const ir::Model& a = s.models[r->model_a];
    const ir::Model& b = s.models[r->model_b];
    auto in = [](const ir::Model& m, const std::vector<std::size_t>& fields) {
      return std::all_of(fields.begin(), fields.end(), [&](std::size_t f) { return f < m.fields.size(); });
    };
    if (r->fields.empty() || r->fields.size() != r->references.size() || !in(a, r->fields) || !in(b, r->references))
      continue;
    PlanForeignKey fk;
    for (std::size_t f : r->fields) fk.columns.push_back(a.fields[f].db_name);
    fk.name = naming(r->fk_name, underscored(a.db_name, fk.columns), "_fkey");
    fk.referenced_table = b.db_name;
    fk.referenced_namespace = namespace_of(s, b.schema);
    for (std::size_t f : r->references) fk.referenced_columns.push_back(b.fields[f].db_name);
    fk.on_delete = r->on_delete;
    fk.on_update = r->on_update;
    tables[table_of[r->model_a]].foreign_keys.push_back(std::move(fk));
  }
}

std::string prefix(const std::string& s, std::size_t n) { return s.substr(0, std::min(n, s.size())); }

void add_join_tables(const ir::Schema& s, Dialect dialect, std::vector<PlanTable>& tables) {
  const std::size_t max = max_identifier_length(dialect);
  for (const ir::Relation* r : in_ingestion_order(s, true)) {
    const ir::Model& a = s.models[r->model_a];
    const ir::Model& b = s.models[r->model_b];
    auto id_of = [](const ir::Model& m) -> const ir::Field* {
      if (!m.primary_key || m.primary_key->fields.empty() || m.primary_key->fields[0].field >= m.fields.size())
        return nullptr;
      return &m.fields[m.primary_key->fields[0].field];
    };
    if (!id_of(a) || !id_of(b)) continue;  // the validator rejects m:n without a single @id
    const ir::Field& a_id = *id_of(a);
    const ir::Field& b_id = *id_of(b);

    PlanTable t;
    t.name = prefix(r->join_table, max);
    t.ns = namespace_of(s, a.schema);  // Prisma puts the join table in model A's schema
    t.columns.push_back({"A", &a_id, false, false, false, nullptr});
    t.columns.push_back({"B", &b_id, false, false, false, nullptr});
    if (dialect == Dialect::Postgresql) {
      t.pk_name = prefix(t.name, max - 8) + "_AB_pkey";
      t.pk_columns = {"A", "B"};
    } else {
      t.indexes.push_back({prefix(t.name, max - 10) + "_AB_unique", true, "", {{"A", {}, {}}, {"B", {}, {}}}, std::nullopt});
    }
    t.indexes.push_back({prefix(t.name, max - 8) + "_B_index", false, "", {{"B", {}, {}}}, std::nullopt});

    if (uses_foreign_keys(s)) {
      // The constraint names are not configurable, so Prisma keeps them collision-free by
      // cutting the table name shorter than its usual naming convention would.
      const std::size_t max_table = max - 5 - 2;
      std::string a_fk = (t.name.size() > max_table ? prefix(t.name, max_table) : t.name) + "_A_fkey";
      std::string b_fk = (t.name.size() >= max_table ? prefix(t.name, max_table) : t.name) + "_B_fkey";
      t.foreign_keys.push_back({a_fk, {"A"}, a.db_name, namespace_of(s, a.schema), {a_id.db_name},
                                ir::ReferentialAction::Cascade, ir::ReferentialAction::Cascade});
      t.foreign_keys.push_back({b_fk, {"B"}, b.db_name, namespace_of(s, b.schema), {b_id.db_name},
                                ir::ReferentialAction::Cascade, ir::ReferentialAction::Cascade});
    }
    tables.push_back(std::move(t));
  }
}

std::string join_steps(const std::vector<Step>& steps) {
  if (steps.empty()) return "-- This is an empty migration.\n";
  std::string out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (i) out += "\n";
    out += "-- ";
    out += steps[i].kind;
    out += "\n" + steps[i].sql + ";\n";
  }
  return out;
}

}  // namespace

Plan build_plan(const ir::Schema& s, Dialect dialect) {
  Plan plan;
  plan.schema = &s;
  const Naming naming{ir::max_identifier_length(s.provider()), max_identifier_length(dialect)};
  std::vector<std::size_t> table_of(s.models.size(), ir::npos);
  for (std::size_t mi = 0; mi < s.models.size(); ++mi) {
    const ir::Model& m = s.models[mi];
    if (m.is_view) continue;  // views are the user's SQL, never created by a migration
    table_of[mi] = plan.tables.size();
    plan.tables.push_back(model_table(s, m, naming));
  }
  if (uses_foreign_keys(s)) add_inline_foreign_keys(s, naming, plan.tables, table_of);
  add_join_tables(s, dialect, plan.tables);

  if (dialect == Dialect::Postgresql) {
    for (const auto& e : s.enums) plan.enums.push_back(&e);
    std::set<std::string> used;
    for (const auto& t : plan.tables) used.insert(t.ns);
    for (const ir::Enum* e : plan.enums) used.insert(namespace_of(s, e->schema));
    plan.namespaces.assign(used.begin(), used.end());
    if (s.datasource) {
      const auto& ds = *s.datasource;
      for (std::size_t i = 0; i < ds.extensions.size(); ++i) {
        if (ds.extension_args.size() != ds.extensions.size()) {
          plan.extensions.push_back({ds.extensions[i], "", ""});
          continue;
        }
        const ir::Extension& e = ds.extension_args[i];
        plan.extensions.push_back({e.map.value_or(e.name), e.schema.value_or(""), e.version.value_or("")});
      }
    }
    std::sort(plan.extensions.begin(), plan.extensions.end(),
              [](const PlanExtension& x, const PlanExtension& y) { return x.name < y.name; });
  }
  return plan;
}

std::string namespace_of(const ir::Schema& s, const std::optional<std::string>& declared) {
  bool multi_schema = s.datasource && !s.datasource->schemas.empty();
  return multi_schema && declared ? *declared : default_namespace;
}

std::string quoted(const std::string& identifier) {
  // a `"` inside a name (@map("a\"b")) is doubled, as SQL quotes it: the name never ends early
  std::string out = "\"";
  for (char c : identifier) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string escape_single_quotes(const std::string& text) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out;
}

const char* referential_action_sql(ir::ReferentialAction a) {
  switch (a) {
    case ir::ReferentialAction::Cascade: return "CASCADE";
    case ir::ReferentialAction::Restrict: return "RESTRICT";
    case ir::ReferentialAction::NoAction: return "NO ACTION";
    case ir::ReferentialAction::SetNull: return "SET NULL";
    case ir::ReferentialAction::SetDefault: return "SET DEFAULT";
  }
  return "NO ACTION";
}

// `JsonbPathOps` -> `jsonb_path_ops`, `Float4MinMaxMultiOps` -> `float4_minmax_multi_ops`;
// `raw("...")` is the text inside.
std::string operator_class_sql(const std::string& op) {
  if (op.rfind("raw(", 0) == 0) return unquote(op);
  std::string name = op;
  auto replace = [&](const std::string& from, const std::string& to) {
    for (std::size_t p = name.find(from); p != std::string::npos; p = name.find(from, p + to.size()))
      name.replace(p, from.size(), to);
  };
  replace("MinMax", "Minmax");
  replace("TimestampTz", "Timestamptz");
  replace("TimeTz", "Timetz");
  replace("VarBit", "Varbit");
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const ir::Enum* enum_of(const Plan& plan, const ir::Field& f) {
  if (f.kind != ir::FieldKind::Enum || f.enum_index >= plan.schema->enums.size()) return nullptr;
  return &plan.schema->enums[f.enum_index];
}

}  // namespace detail

std::string ddl(const ir::Schema& schema, Dialect dialect) {
  detail::Plan plan = detail::build_plan(schema, dialect);
  return detail::join_steps(dialect == Dialect::Sqlite ? detail::sqlite_steps(plan) : detail::postgres_steps(plan));
}

}  // namespace prisma_cpp::emit
