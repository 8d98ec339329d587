#include "migrate/pull.hpp"
#include "migrate/pull_parts.hpp"

#include "schema/sql_names.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace prisma_cpp::migrate {

using namespace pull_parts;


std::string schema_from_catalog(const Catalog& cat, emit::Dialect d, const std::string& header, const Existing& existing,
                                std::vector<std::string>* warnings) {
  bool multi = !existing.namespaces.empty();
  auto referenced = [&](const std::string& name) -> const Table* {
    if (const Table* t = cat.table(name)) return t;
    if (namespace_of(name, cat) == cat.default_namespace) return cat.table(bare(name));
    return nullptr;
  };
  std::map<std::string, std::string> model_of;  // table -> model name (the existing schema's first)
  for (const auto& t : cat.tables) {
    auto kept = existing.model_of_table.find(bare(t.name));
    model_of[t.name] = kept != existing.model_of_table.end() ? kept->second
                       : valid_identifier(bare(t.name))       ? bare(t.name)
                                                              : sanitised(bare(t.name));
  }
  std::map<std::string, std::string> field_of;  // "table.column" -> field name
  for (const auto& t : cat.tables)
    for (const auto& c : t.columns) {
      std::string key = t.name + "." + c.name;
      auto kept = existing.field_of_column.find(key);
      field_of[key] = kept != existing.field_of_column.end() ? kept->second
                      : valid_identifier(c.name)              ? c.name
                                                              : sanitised(c.name);
    }
  auto kept_relation = [&](const Table* child, const std::vector<std::string>& cols) -> const std::pair<std::string, std::string>* {
    std::string key = child->name + "|";
    for (std::size_t i = 0; i < cols.size(); ++i) key += (i ? "," : "") + cols[i];
    auto it = existing.relation_fields.find(key);
    return it == existing.relation_fields.end() ? nullptr : &it->second;
  };
  auto fields = [&](const std::string& table, const std::vector<std::string>& cols) {
    std::vector<std::string> out;
    for (const auto& c : cols) out.push_back(field_of[table + "." + c]);
    return out;
  };
  // relations: per child table, per parent table; names made unique as Prisma does for
  // ambiguous ones (Model_fkColsToParent)
  struct Rel {
    const Table* child;
    const Table* parent;
    Fk fk;
    bool ambiguous = false;
  };
  // implicit many-to-many join tables (_AToB: columns A and B, a foreign key on each): no model,
  // a list field on both sides
  struct ManyToMany {
    const Table* join;
    const Table* a;
    const Table* b;
  };
  std::vector<ManyToMany> m2m;
  std::set<std::string> join_tables;
  for (const auto& t : cat.tables) {
    if (bare(t.name).size() < 2 || bare(t.name)[0] != '_' || t.columns.size() != 2 || t.columns[0].name != "A" ||
        t.columns[1].name != "B" || t.foreign_keys.size() != 2)
      continue;
    const Table* a = nullptr;
    const Table* b = nullptr;
    for (const auto& f : t.foreign_keys) {
      Fk fk = parse_fk(f);
      if (fk.columns == std::vector<std::string>{"A"}) a = referenced(fk.table);
      if (fk.columns == std::vector<std::string>{"B"}) b = referenced(fk.table);
    }
    if (!a || !b || a == b) continue;
    m2m.push_back({&t, a, b});
    join_tables.insert(t.name);
  }
  std::vector<Rel> rels;
  for (const auto& t : cat.tables) {
    if (join_tables.count(t.name)) continue;
    for (const auto& f : t.foreign_keys) {
      Fk fk = parse_fk(f);
      const Table* parent = referenced(fk.table);
      if (parent) rels.push_back({&t, parent, fk});
    }
  }
  for (auto& r : rels)
    r.ambiguous = std::count_if(rels.begin(), rels.end(), [&](const Rel& o) {
                    return (o.child == r.child && o.parent == r.parent) || (o.child == r.parent && o.parent == r.child);
                  }) > 1;
  auto relation_name = [&](const Rel& r) {
    if (r.child == r.parent) return model_of[r.child->name] + "To" + model_of[r.parent->name];
    return model_of[r.child->name] + "_" + join(fields(r.child->name, r.fk.columns), "_") + "To" + model_of[r.parent->name];
  };
  for (auto& r : rels)
    if (r.child == r.parent) r.ambiguous = true;  // a self-relation always has a name

  std::string out = header;
  if (!out.empty() && out.back() != '\n') out += "\n";
  std::vector<const Table*> tables;
  for (const auto& t : cat.tables)
    if (!join_tables.count(t.name)) tables.push_back(&t);
  // the existing schema's models in its order, then new tables by name (as Prisma re-introspects)
  auto rank = [&](const Table* t) {
    auto it = std::find(existing.table_order.begin(), existing.table_order.end(), t->name);
    return it == existing.table_order.end() ? existing.table_order.size() : static_cast<std::size_t>(it - existing.table_order.begin());
  };
  std::sort(tables.begin(), tables.end(), [&](const Table* a, const Table* b) {
    if (multi && namespace_of(a->name, cat) != namespace_of(b->name, cat))  // multiSchema: by namespace first
      return namespace_of(a->name, cat) < namespace_of(b->name, cat);
    auto ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : bare(a->name) < bare(b->name);
  });
  for (const Table* t : tables) {
    const std::string& model = model_of[t->name];
    bool keyless = t->primary_key.empty() &&
                   std::none_of(t->indexes.begin(), t->indexes.end(), [](const Index& i) { return i.unique; });
    if (keyless)
      out += "\n/// The underlying table does not contain a valid unique identifier and can therefore currently not be "
             "handled by Prisma Client.";
    // what the schema language cannot say: Prisma's comments, in Prisma's order, and its warnings
    std::vector<std::string> expression_indexes = t->expression_indexes;
    for (const auto& i : t->indexes)
      if (index_shape(i).expression) expression_indexes.push_back(i.name);
    if (!t->checks.empty()) {
      out += "\n/// This table contains check constraints and requires additional setup for migrations. Visit "
             "https://pris.ly/d/check-constraints for more info.";
      if (warnings)
        for (const auto& c : t->checks) warnings->push_back("check: Model: \"" + model + "\", constraint: \"" + c + "\"");
    }
    if (!t->commented.empty()) {
      out += "\n/// This model or at least one of its fields has comments in the database, and requires an additional "
             "setup for migrations: Read more: https://pris.ly/d/database-comments";
      if (warnings)
        for (const auto& c : t->commented)
          warnings->push_back(c.empty() ? "comments: Type: \"model\", name: \"" + model + "\""
                                        : "comments: Type: \"field\", name: \"" + model + "." + field_of[t->name + "." + c] + "\"");
    }
    if (!t->deferred.empty()) {
      out += "\n/// This model has constraints using non-default deferring rules and requires additional setup for "
             "migrations. Visit https://pris.ly/d/constraint-deferring for more info.";
      if (warnings)
        for (const auto& c : t->deferred) warnings->push_back("deferring: Model: \"" + model + "\", constraint: \"" + c + "\"");
    }
    if (t->row_level_security) {
      out += "\n/// This model contains row level security and requires additional setup for migrations. Visit "
             "https://pris.ly/d/row-level-security for more info.";
      if (warnings) warnings->push_back("rls: \"" + model + "\"");
    }
    if (!expression_indexes.empty()) {
      out += "\n/// This model contains an expression index which requires additional setup for migrations. Visit "
             "https://pris.ly/d/expression-indexes for more info.";
      if (warnings)
        for (const auto& c : expression_indexes) warnings->push_back("expression: Model: \"" + model + "\", constraint: \"" + c + "\"");
    }
    out += "\nmodel " + model + " {\n";
    std::map<std::string, std::string> single_unique;  // column -> its @unique's arguments ("" or "(map: ...)")
    std::vector<std::string> block;
    std::vector<const Index*> by_name;
    for (const auto& i : t->indexes) by_name.push_back(&i);
    // PostgreSQL: by name; SQLite: PRAGMA index_list's order (the last created first), as Prisma's
    if (d == emit::Dialect::Sqlite) std::reverse(by_name.begin(), by_name.end());
    else std::sort(by_name.begin(), by_name.end(), [](const Index* x, const Index* y) { return x->name < y->name; });
    ir::Provider provider = d == emit::Dialect::Sqlite ? ir::Provider::Sqlite : ir::Provider::Postgresql;
    for (const Index* ip : by_name) {
      const Index& i = *ip;
      IndexShape shape = index_shape(i);
      if (shape.expression) continue;  // not in the schema; noted on the model, as Prisma's
      std::vector<std::string> cols;
      for (const auto& part : shape.parts) cols.push_back(part.column);
      std::string default_name = i.unique ? schema::detail::unique_index_name(bare(t->name), cols, provider)
                                          : schema::detail::normal_index_name(bare(t->name), cols, provider);
      std::string map = i.name == default_name ? "" : "map: " + quote(i.name);
      std::string type = index_type_name(shape.method);
      bool plain = type.empty() && std::none_of(shape.parts.begin(), shape.parts.end(), [](const IndexPart& p) {
        return p.desc || !p.opclass.empty();
      });
      std::string where = shape.where.empty() ? "" : "where: raw(" + quote(shape.where) + ")";
      if (i.unique && cols.size() == 1 && plain && !single_unique.count(cols[0])) {
        std::string args = map + (map.empty() || where.empty() ? "" : ", ") + where;
        single_unique[cols[0]] = args.empty() ? "" : "(" + args + ")";
        continue;
      }
      std::vector<std::string> items;
      for (const auto& part : shape.parts) {
        std::vector<std::string> args;
        if (part.desc) args.push_back("sort: Desc");
        if (!part.opclass.empty()) args.push_back("ops: " + operator_class_attribute(part.opclass));
        std::string f = field_of[t->name + "." + part.column];
        items.push_back(args.empty() ? f : f + "(" + join(args) + ")");
      }
      std::string args = "[" + join(items) + "]" + (map.empty() ? "" : ", " + map) + (type.empty() ? "" : ", type: " + type) +
                         (where.empty() ? "" : ", " + where);
      block.push_back(std::string(i.unique ? "@@unique(" : "@@index(") + args + ")");
    }
    std::string pk_map;
    if (!t->primary_key_name.empty() && t->primary_key_name != schema::detail::primary_key_name(bare(t->name), provider))
      pk_map = "map: " + quote(t->primary_key_name);
    if (t->primary_key.size() > 1)
      block.insert(block.begin(), "@@id([" + join(fields(t->name, t->primary_key)) + "]" + (pk_map.empty() ? "" : ", " + pk_map) + ")");
    bool has_key = !t->primary_key.empty() ||
                   std::any_of(t->indexes.begin(), t->indexes.end(), [](const Index& i) { return i.unique; });
    std::set<std::string> used;
    for (const auto& c : t->columns) {
      FieldType ft = d == emit::Dialect::Sqlite ? sqlite_type(c.type) : postgres_type(c.type, cat);
      std::string name = field_of[t->name + "." + c.name];
      used.insert(name);
      std::string line = "  " + name + " " + ft.type + (ft.list ? "[]" : (c.not_null ? "" : "?"));
      std::vector<std::string> attrs;
      if (t->primary_key.size() == 1 && t->primary_key[0] == c.name) attrs.push_back(pk_map.empty() ? "@id" : "@id(" + pk_map + ")");
      bool is_enum = d == emit::Dialect::Postgresql && std::any_of(cat.enums.begin(), cat.enums.end(), [&](const Enum& e) {
                       return bare(e.name) == ft.type;
                     });
      if (auto def = default_attribute(c, ft, is_enum, d); !def.empty()) attrs.push_back(def);
      if (existing.updated_at.count(t->name + "." + c.name)) attrs.push_back("@updatedAt");
      if (auto su = single_unique.find(c.name); su != single_unique.end()) attrs.push_back("@unique" + su->second);
      if (name != c.name) attrs.push_back("@map(" + quote(c.name) + ")");
      if (!ft.native.empty()) attrs.push_back(ft.native);
      out += line + (attrs.empty() ? "" : " " + join(attrs, " ")) + "\n";
    }
    // relation fields, sorted by name (Prisma's order), the many-to-many ones last
    std::vector<std::pair<std::string, std::string>> relation_fields, m2m_fields;  // name, line
    for (const auto& r : rels) {
      if (r.child != t) continue;
      const auto* kept = kept_relation(r.child, r.fk.columns);
      std::string name = kept                 ? kept->first
                         : r.child == r.parent ? model_of[r.parent->name]
                         : r.ambiguous         ? model_of[r.parent->name] + "_" + relation_name(r)
                                               : model_of[r.parent->name];
      while (used.count(name)) name += "_";
      used.insert(name);
      bool optional = std::any_of(r.fk.columns.begin(), r.fk.columns.end(), [&](const std::string& col) {
        const Column* c = t->column(col);
        return c && !c->not_null;
      });
      std::vector<std::string> args;
      if (r.ambiguous) args.push_back(quote(relation_name(r)));
      args.push_back("fields: [" + join(fields(t->name, r.fk.columns)) + "]");
      args.push_back("references: [" + join(fields(r.parent->name, r.fk.references)) + "]");
      std::string del = action_name(r.fk.on_delete), upd = action_name(r.fk.on_update);
      if (del != (optional ? "SetNull" : "Restrict")) args.push_back("onDelete: " + del);
      if (upd != "Cascade") args.push_back("onUpdate: " + upd);
      std::string default_fk = bare(t->name) + "_" + join(r.fk.columns, "_") + "_fkey";
      if (!r.fk.name.empty() && r.fk.name != default_fk) args.push_back("map: " + quote(r.fk.name));
      relation_fields.emplace_back(name, "  " + name + " " + model_of[r.parent->name] + (optional ? "?" : "") +
                                             " @relation(" + join(args) + ")\n");
    }
    for (const auto& r : rels) {
      if (r.parent != t) continue;
      const auto* kept = kept_relation(r.child, r.fk.columns);
      std::string name = kept                 ? kept->second
                         : r.child == r.parent ? "other_" + model_of[r.child->name]
                         : r.ambiguous         ? model_of[r.child->name] + "_" + relation_name(r)
                                               : model_of[r.child->name];
      while (used.count(name)) name += "_";
      used.insert(name);
      // one-to-one when the foreign key's columns are unique on the child
      bool one = false;
      for (const auto& i : r.child->indexes)
        if (i.unique && index_columns(i) == r.fk.columns) one = true;
      if (r.child->primary_key == r.fk.columns) one = true;
      relation_fields.emplace_back(name, "  " + name + " " + model_of[r.child->name] + (one ? "?" : "[]") +
                                             (r.ambiguous ? " @relation(" + quote(relation_name(r)) + ")" : "") + "\n");
    }
    for (const auto& m : m2m) {
      if (m.a != t && m.b != t) continue;
      const Table* other = m.a == t ? m.b : m.a;
      std::string relation = bare(m.join->name).substr(1);
      // several join tables between the same two models: each field named Model_relation, as Prisma's
      bool ambiguous = std::count_if(m2m.begin(), m2m.end(), [&](const ManyToMany& o) {
                         return (o.a == m.a && o.b == m.b) || (o.a == m.b && o.b == m.a);
                       }) > 1;
      // (Prisma's introspection of a multiSchema database names the field after its own model)
      std::string name = ambiguous ? model_of[other->name] + "_" + relation : multi ? model_of[t->name] : model_of[other->name];
      while (used.count(name)) name += "_";
      used.insert(name);
      std::string default_name = "_" + std::min(model_of[m.a->name], model_of[m.b->name]) + "To" +
                                 std::max(model_of[m.a->name], model_of[m.b->name]);
      std::string rel = bare(m.join->name) == default_name && !ambiguous ? "" : " @relation(" + quote(relation) + ")";
      m2m_fields.emplace_back(name, "  " + name + " " + model_of[other->name] + "[]" + rel + "\n");
    }
    // PostgreSQL: by name; SQLite: in PRAGMA foreign_key_list's order (the last declared first), as Prisma's
    if (d != emit::Dialect::Sqlite) std::sort(relation_fields.begin(), relation_fields.end());
    std::sort(m2m_fields.begin(), m2m_fields.end());
    for (const auto& [n, line] : relation_fields) out += line;
    for (const auto& [n, line] : m2m_fields) out += line;
    if (!has_key) block.push_back("@@ignore");
    if (model != bare(t->name)) block.push_back("@@map(" + quote(bare(t->name)) + ")");
    if (multi) block.push_back("@@schema(" + quote(namespace_of(t->name, cat)) + ")");
    if (!block.empty()) {
      out += "\n";
      for (const auto& b : block) out += "  " + b + "\n";
    }
    out += "}\n";
  }
  std::vector<const Enum*> enums;
  for (const auto& e : cat.enums) enums.push_back(&e);
  std::sort(enums.begin(), enums.end(), [&](const Enum* a, const Enum* b) {
    if (multi && namespace_of(a->name, cat) != namespace_of(b->name, cat)) return namespace_of(a->name, cat) < namespace_of(b->name, cat);
    return bare(a->name) < bare(b->name);
  });
  for (const Enum* e : enums) {
    out += "\nenum " + bare(e->name) + " {\n";
    for (const auto& v : e->values) out += "  " + v + "\n";
    if (multi) out += "\n  @@schema(" + quote(namespace_of(e->name, cat)) + ")\n";
    out += "}\n";
  }
  return out;
}

}  // namespace prisma_cpp::migrate
