// JSON views of the IR: `ir_json` (everything the IR holds, for `prisma-cpp validate --json` and
// tooling) and `dmmf_json` (Prisma's DMMF datamodel, for comparing with Prisma itself).
#include "emit/json.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace prisma_cpp::emit {
namespace {

// A tiny JSON value tree, printed with two-space indentation and keys in insertion order.
struct J {
  enum class T { Null, Bool, Num, Str, Arr, Obj } t = T::Null;
  bool b = false;
  std::string s;  // Num (as text) or Str
  std::vector<J> items;
  std::vector<std::pair<std::string, J>> fields;

  static J null() { return {}; }
  static J boolean(bool v) { J j; j.t = T::Bool; j.b = v; return j; }
  static J num(const std::string& v) { J j; j.t = T::Num; j.s = v; return j; }
  static J num(long long v) { return num(std::to_string(v)); }
  static J str(const std::string& v) { J j; j.t = T::Str; j.s = v; return j; }
  static J arr() { J j; j.t = T::Arr; return j; }
  static J obj() { J j; j.t = T::Obj; return j; }
  J& add(const std::string& k, J v) { fields.emplace_back(k, std::move(v)); return *this; }
  J& push(J v) { items.push_back(std::move(v)); return *this; }
};

J opt_str(const std::optional<std::string>& s) { return s ? J::str(*s) : J::null(); }

J str_list(const std::vector<std::string>& v) {
  J a = J::arr();
  for (const auto& s : v) a.push(J::str(s));
  return a;
}

void escape(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void print(std::string& out, const J& j, int indent) {
  std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  std::string end_pad(static_cast<std::size_t>(indent), ' ');
  switch (j.t) {
    case J::T::Null: out += "null"; break;
    case J::T::Bool: out += j.b ? "true" : "false"; break;
    case J::T::Num: out += j.s; break;
    case J::T::Str: escape(out, j.s); break;
    case J::T::Arr:
      if (j.items.empty()) { out += "[]"; break; }
      out += "[\n";
      for (std::size_t i = 0; i < j.items.size(); ++i) {
        out += pad;
        print(out, j.items[i], indent + 2);
        out += i + 1 < j.items.size() ? ",\n" : "\n";
      }
      out += end_pad + "]";
      break;
    case J::T::Obj:
      if (j.fields.empty()) { out += "{}"; break; }
      out += "{\n";
      for (std::size_t i = 0; i < j.fields.size(); ++i) {
        out += pad;
        escape(out, j.fields[i].first);
        out += ": ";
        print(out, j.fields[i].second, indent + 2);
        out += i + 1 < j.fields.size() ? ",\n" : "\n";
      }
      out += end_pad + "}";
      break;
  }
}

std::string dump(const J& j) {
  std::string out;
  print(out, j, 0);
  return out + "\n";
}

const char* kind_name(ir::FieldKind k) {
  switch (k) {
    case ir::FieldKind::Scalar: return "scalar";
    case ir::FieldKind::Enum: return "enum";
    case ir::FieldKind::Relation: return "object";
    case ir::FieldKind::Unsupported: return "unsupported";
    case ir::FieldKind::Composite: return "object";
  }
  return "scalar";
}

const char* default_kind_name(ir::DefaultValue::Kind k) {
  using K = ir::DefaultValue::Kind;
  switch (k) {
    case K::Literal: return "literal";
    case K::EnumValue: return "enum";
    case K::List: return "list";
    case K::Autoincrement: return "autoincrement";
    case K::Sequence: return "sequence";
    case K::Now: return "now";
    case K::Uuid: return "uuid";
    case K::Cuid: return "cuid";
    case K::Nanoid: return "nanoid";
    case K::Ulid: return "ulid";
    case K::DbGenerated: return "dbgenerated";
  }
  return "literal";
}

const char* relation_kind_name(ir::Relation::Kind k) {
  switch (k) {
    case ir::Relation::Kind::OneToOne: return "1:1";
    case ir::Relation::Kind::OneToMany: return "1:n";
    case ir::Relation::Kind::ManyToMany: return "m:n";
  }
  return "1:n";
}

const char* index_type_name(ir::Index::Type t) {
  switch (t) {
    case ir::Index::Type::Unique: return "unique";
    case ir::Index::Type::Normal: return "normal";
    case ir::Index::Type::Fulltext: return "fulltext";
  }
  return "normal";
}

J index_fields_json(const ir::Model& m, const std::vector<ir::IndexField>& fs, bool dmmf) {
  J a = J::arr();
  for (const auto& f : fs) {
    J o = J::obj();
    o.add("name", J::str(f.field < m.fields.size() ? m.fields[f.field].name : "?"));
    if (f.sort) o.add("sortOrder", J::str(*f.sort == ir::SortOrder::Asc ? (dmmf ? "asc" : "Asc") : (dmmf ? "desc" : "Desc")));
    if (f.length) o.add("length", J::num(*f.length));
    if (f.operator_class) o.add("operatorClass", J::str(*f.operator_class));
    a.push(std::move(o));
  }
  return a;
}

J native_json(const std::optional<ir::NativeType>& n) {
  if (!n) return J::null();
  J a = J::arr();
  a.push(J::str(n->name));
  a.push(str_list(n->args));
  return a;
}

// ---- our IR dump -------------------------------------------------------------------------

J default_ir(const ir::DefaultValue& d) {
  J o = J::obj();
  o.add("kind", J::str(default_kind_name(d.kind)));
  if (!d.value.empty() || d.kind == ir::DefaultValue::Kind::Literal) o.add("value", J::str(d.value));
  if (d.kind == ir::DefaultValue::Kind::List) o.add("list", str_list(d.list));
  if (d.version) o.add("version", J::num(d.version));
  if (d.length) o.add("length", J::num(*d.length));
  if (d.map) o.add("map", J::str(*d.map));
  return o;
}

}  // namespace

std::string ir_json(const ir::Schema& s) {
  J root = J::obj();
  if (s.datasource) {
    const auto& d = *s.datasource;
    J o = J::obj();
    o.add("name", J::str(d.name)).add("provider", J::str(d.provider_name));
    o.add("url", opt_str(d.url)).add("urlEnv", opt_str(d.url_env));
    o.add("directUrl", opt_str(d.direct_url)).add("directUrlEnv", opt_str(d.direct_url_env));
    o.add("relationMode", opt_str(d.relation_mode));
    o.add("schemas", str_list(d.schemas)).add("extensions", str_list(d.extensions));
    root.add("datasource", std::move(o));
  } else {
    root.add("datasource", J::null());
  }
  J gens = J::arr();
  for (const auto& g : s.generators) {
    J o = J::obj();
    o.add("name", J::str(g.name)).add("provider", J::str(g.provider));
    o.add("providerFromEnv", J::boolean(g.provider_env)).add("output", opt_str(g.output));
    o.add("previewFeatures", str_list(g.preview_features)).add("binaryTargets", str_list(g.binary_targets));
    J cfg = J::obj();
    for (const auto& [k, v] : g.config) cfg.add(k, J::str(v));
    o.add("config", std::move(cfg));
    gens.push(std::move(o));
  }
  root.add("generators", std::move(gens));
  J enums = J::arr();
  for (const auto& e : s.enums) {
    J o = J::obj();
    o.add("name", J::str(e.name)).add("dbName", J::str(e.db_name)).add("schema", opt_str(e.schema));
    J vals = J::arr();
    for (const auto& v : e.values)
      vals.push(J::obj().add("name", J::str(v.name)).add("dbName", J::str(v.db_name)));
    o.add("values", std::move(vals));
    if (!e.documentation.empty()) o.add("documentation", J::str(e.documentation));
    enums.push(std::move(o));
  }
  root.add("enums", std::move(enums));
  J models = J::arr();
  for (const auto& m : s.models) {
    J o = J::obj();
    o.add("name", J::str(m.name)).add("dbName", J::str(m.db_name)).add("schema", opt_str(m.schema));
    o.add("isView", J::boolean(m.is_view)).add("isIgnored", J::boolean(m.is_ignored));
    if (!m.documentation.empty()) o.add("documentation", J::str(m.documentation));
    J fields = J::arr();
    for (const auto& f : m.fields) {
      J fo = J::obj();
      fo.add("name", J::str(f.name)).add("dbName", J::str(f.db_name)).add("kind", J::str(kind_name(f.kind)));
      fo.add("type", J::str(f.type_name));
      if (f.kind == ir::FieldKind::Scalar) fo.add("scalar", J::str(ir::to_string(f.scalar)));
      fo.add("optional", J::boolean(f.optional)).add("list", J::boolean(f.list));
      fo.add("isId", J::boolean(f.is_id)).add("isUnique", J::boolean(f.is_unique));
      fo.add("isUpdatedAt", J::boolean(f.is_updated_at)).add("isIgnored", J::boolean(f.is_ignored));
      fo.add("isReadOnly", J::boolean(f.is_read_only));
      fo.add("default", f.default_value ? default_ir(*f.default_value) : J::null());
      fo.add("nativeType", native_json(f.native_type));
      if (f.relation != ir::npos) fo.add("relation", J::num(static_cast<long long>(f.relation)));
      if (!f.documentation.empty()) fo.add("documentation", J::str(f.documentation));
      fields.push(std::move(fo));
    }
    o.add("fields", std::move(fields));
    if (m.primary_key) {
      J pk = J::obj();
      pk.add("fields", index_fields_json(m, m.primary_key->fields, false));
      pk.add("name", opt_str(m.primary_key->name)).add("dbName", J::str(m.primary_key->db_name));
      pk.add("definedOnField", J::boolean(m.primary_key->defined_on_field));
      o.add("primaryKey", std::move(pk));
    } else {
      o.add("primaryKey", J::null());
    }
    J idx = J::arr();
    for (const auto& i : m.indexes) {
      J io = J::obj();
      io.add("type", J::str(index_type_name(i.type))).add("fields", index_fields_json(m, i.fields, false));
      io.add("name", opt_str(i.name)).add("dbName", J::str(i.db_name));
      io.add("definedOnField", J::boolean(i.defined_on_field)).add("algorithm", opt_str(i.algorithm));
      idx.push(std::move(io));
    }
    o.add("indexes", std::move(idx));
    models.push(std::move(o));
  }
  root.add("models", std::move(models));
  J rels = J::arr();
  for (const auto& r : s.relations) {
    J o = J::obj();
    auto side = [&](std::size_t mi, std::size_t fi) {
      if (mi == ir::npos || mi >= s.models.size()) return J::null();
      const auto& m = s.models[mi];
      return J::obj().add("model", J::str(m.name)).add("field", fi < m.fields.size() ? J::str(m.fields[fi].name) : J::null());
    };
    o.add("name", J::str(r.name)).add("kind", J::str(relation_kind_name(r.kind)));
    o.add("a", side(r.model_a, r.field_a)).add("b", side(r.model_b, r.field_b));
    J f = J::arr(), ref = J::arr();
    for (auto x : r.fields) f.push(J::str(s.models[r.model_a].fields[x].name));
    for (auto x : r.references) ref.push(J::str(s.models[r.model_b].fields[x].name));
    o.add("fields", std::move(f)).add("references", std::move(ref));
    o.add("onDelete", J::str(ir::to_string(r.on_delete))).add("onUpdate", J::str(ir::to_string(r.on_update)));
    if (!r.fk_name.empty()) o.add("foreignKeyName", J::str(r.fk_name));
    if (!r.join_table.empty()) o.add("joinTable", J::str(r.join_table));
    rels.push(std::move(o));
  }
  root.add("relations", std::move(rels));
  return dump(root);
}

// ---- Prisma's DMMF ------------------------------------------------------------------------

namespace {

J dmmf_literal(const ir::Field& f, const std::string& v) {
  if (f.kind == ir::FieldKind::Scalar) {
    switch (f.scalar) {
      case ir::ScalarType::Boolean: return J::boolean(v == "true");
      case ir::ScalarType::Int:
      case ir::ScalarType::Float: return J::num(v);
      default: break;
    }
  }
  return J::str(v);
}

J dmmf_default(const ir::Field& f, const ir::DefaultValue& d) {
  using K = ir::DefaultValue::Kind;
  auto fn = [](const char* name, J args) { return J::obj().add("name", J::str(name)).add("args", std::move(args)); };
  switch (d.kind) {
    case K::Literal: return dmmf_literal(f, d.value);
    case K::EnumValue: return J::str(d.value);
    case K::List: {
      J a = J::arr();
      for (const auto& v : d.list) a.push(dmmf_literal(f, v));
      return a;
    }
    case K::Autoincrement: return fn("autoincrement", J::arr());
    case K::Sequence: return fn("sequence", J::arr());
    case K::Now: return fn("now", J::arr());
    case K::Uuid: return fn("uuid", J::arr().push(J::num(d.version ? d.version : 4)));
    case K::Cuid: return fn("cuid", J::arr().push(J::num(d.version ? d.version : 1)));
    case K::Nanoid: return fn("nanoid", d.length ? J::arr().push(J::num(*d.length)) : J::arr());
    case K::Ulid: return fn("ulid", J::arr());
    case K::DbGenerated: return fn("dbgenerated", d.value.empty() ? J::arr() : J::arr().push(J::str(d.value)));
  }
  return J::null();
}

const char* action_name(ir::ReferentialAction a) { return ir::to_string(a); }

}  // namespace

std::string dmmf_json(const ir::Schema& s) {
  J root = J::obj();
  J enums = J::arr();
  for (const auto& e : s.enums) {
    J vals = J::arr();
    for (const auto& v : e.values)
      vals.push(J::obj().add("name", J::str(v.name)).add("dbName", v.db_name != v.name ? J::str(v.db_name) : J::null()));
    J o = J::obj();
    o.add("name", J::str(e.name)).add("values", std::move(vals));
    o.add("dbName", e.db_name != e.name ? J::str(e.db_name) : J::null());
    if (!e.documentation.empty()) o.add("documentation", J::str(e.documentation));
    enums.push(std::move(o));
  }
  root.add("enums", std::move(enums));
  J models = J::arr();
  J indexes = J::arr();
  for (const auto& m : s.models) {
    J o = J::obj();
    o.add("name", J::str(m.name)).add("dbName", m.db_name != m.name ? J::str(m.db_name) : J::null());
    o.add("schema", opt_str(m.schema));
    J fields = J::arr();
    for (const auto& f : m.fields) {
      if (f.kind == ir::FieldKind::Unsupported) continue;
      if (f.kind == ir::FieldKind::Relation && f.related_model < s.models.size() &&
          s.models[f.related_model].is_ignored && !m.is_ignored)
        continue;
      J fo = J::obj();
      fo.add("name", J::str(f.name));
      if (f.db_name != f.name) fo.add("dbName", J::str(f.db_name));
      fo.add("kind", J::str(kind_name(f.kind)));
      fo.add("isList", J::boolean(f.list)).add("isRequired", J::boolean(!f.optional));
      fo.add("isUnique", J::boolean(f.is_unique)).add("isId", J::boolean(f.is_id));
      fo.add("isReadOnly", J::boolean(f.is_read_only));
      fo.add("hasDefaultValue", J::boolean(f.default_value.has_value()));
      fo.add("type", J::str(f.kind == ir::FieldKind::Scalar ? ir::to_string(f.scalar) : f.type_name));
      fo.add("nativeType", native_json(f.native_type));
      if (f.kind == ir::FieldKind::Relation && f.relation < s.relations.size()) {
        const auto& r = s.relations[f.relation];
        fo.add("relationName", J::str(r.name));
        bool forward = r.kind != ir::Relation::Kind::ManyToMany && r.model_a == static_cast<std::size_t>(&m - s.models.data()) && r.field_a == static_cast<std::size_t>(&f - m.fields.data());
        J from = J::arr(), to = J::arr();
        if (forward) {
          for (auto x : r.fields) from.push(J::str(s.models[r.model_a].fields[x].name));
          for (auto x : r.references) to.push(J::str(s.models[r.model_b].fields[x].name));
        }
        fo.add("relationFromFields", std::move(from)).add("relationToFields", std::move(to));
        if (forward && r.on_delete_explicit) fo.add("relationOnDelete", J::str(action_name(r.on_delete)));
        if (forward && r.on_update_explicit) fo.add("relationOnUpdate", J::str(action_name(r.on_update)));
      }
      if (f.default_value) fo.add("default", dmmf_default(f, *f.default_value));
      fo.add("isGenerated", J::boolean(false)).add("isUpdatedAt", J::boolean(f.is_updated_at));
      if (!f.documentation.empty()) fo.add("documentation", J::str(f.documentation));
      fields.push(std::move(fo));
    }
    o.add("fields", std::move(fields));
    if (m.primary_key && !m.primary_key->defined_on_field) {
      J names = J::arr();
      for (const auto& f : m.primary_key->fields) names.push(J::str(m.fields[f.field].name));
      o.add("primaryKey", J::obj().add("name", opt_str(m.primary_key->name)).add("fields", std::move(names)));
    } else {
      o.add("primaryKey", J::null());
    }
    J unique_fields = J::arr(), unique_indexes = J::arr();
    for (const auto& i : m.indexes) {
      if (i.type != ir::Index::Type::Unique || i.defined_on_field) continue;
      J names = J::arr();
      for (const auto& f : i.fields) names.push(J::str(m.fields[f.field].name));
      J copy = names;
      unique_fields.push(std::move(copy));
      unique_indexes.push(J::obj().add("name", opt_str(i.name)).add("fields", std::move(names)));
    }
    o.add("uniqueFields", std::move(unique_fields)).add("uniqueIndexes", std::move(unique_indexes));
    o.add("isGenerated", J::boolean(false));
    if (!m.documentation.empty()) o.add("documentation", J::str(m.documentation));
    models.push(std::move(o));

    if (m.primary_key) {
      J io = J::obj();
      io.add("model", J::str(m.name)).add("type", J::str("id"));
      io.add("isDefinedOnField", J::boolean(m.primary_key->defined_on_field));
      if (m.primary_key->name) io.add("name", J::str(*m.primary_key->name));
      io.add("fields", index_fields_json(m, m.primary_key->fields, true));
      indexes.push(std::move(io));
    }
    std::vector<std::size_t> order(m.indexes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto rank = [&](std::size_t i) {
      const auto& ix = m.indexes[i];
      if (ix.defined_on_field) return 0;
      return ix.type == ir::Index::Type::Normal ? 1 : ix.type == ir::Index::Type::Unique ? 2 : 3;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
    for (std::size_t k : order) {
      const auto& i = m.indexes[k];
      J io = J::obj();
      io.add("model", J::str(m.name)).add("type", J::str(index_type_name(i.type)));
      io.add("isDefinedOnField", J::boolean(i.defined_on_field));
      if (i.name) io.add("name", J::str(*i.name));
      if (!i.db_name.empty()) io.add("dbName", J::str(i.db_name));
      if (i.algorithm) io.add("algorithm", J::str(*i.algorithm));
      io.add("fields", index_fields_json(m, i.fields, true));
      indexes.push(std::move(io));
    }
  }
  root.add("models", std::move(models));
  root.add("types", J::arr());
  root.add("indexes", std::move(indexes));
  return dump(root);
}

}  // namespace prisma_cpp::emit
