// The C++ emitters' shared plan of a schema (cpp_plan.hpp).
#include "emit/cpp_plan.hpp"

#include "schema/relation_side.hpp"

#include <algorithm>
#include <set>

#include "emit/cpp_ident.hpp"

namespace prisma_cpp::emit::cpp {

using ir::FieldKind;

std::string cpp_scalar(ir::ScalarType t) {
  switch (t) {
    case ir::ScalarType::String: return "std::string";
    case ir::ScalarType::Boolean: return "bool";
    case ir::ScalarType::Int: return "std::int32_t";
    case ir::ScalarType::BigInt: return "std::int64_t";
    case ir::ScalarType::Float: return "double";
    case ir::ScalarType::Decimal: return "prisma::Decimal";
    case ir::ScalarType::DateTime: return "prisma::DateTime";
    case ir::ScalarType::Json: return "prisma::Json";
    case ir::ScalarType::Bytes: return "prisma::Bytes";
  }
  return "std::string";
}

const char* scalar_kind(ir::ScalarType t) {
  switch (t) {
    case ir::ScalarType::String: return "String";
    case ir::ScalarType::Boolean: return "Boolean";
    case ir::ScalarType::Int: return "Int";
    case ir::ScalarType::BigInt: return "BigInt";
    case ir::ScalarType::Float: return "Float";
    case ir::ScalarType::Decimal: return "Decimal";
    case ir::ScalarType::DateTime: return "DateTime";
    case ir::ScalarType::Json: return "Json";
    case ir::ScalarType::Bytes: return "Bytes";
  }
  return "String";
}

const char* action_name(ir::ReferentialAction a) {
  switch (a) {
    case ir::ReferentialAction::Cascade: return "Cascade";
    case ir::ReferentialAction::Restrict: return "Restrict";
    case ir::ReferentialAction::NoAction: return "NoAction";
    case ir::ReferentialAction::SetNull: return "SetNull";
    case ir::ReferentialAction::SetDefault: return "SetDefault";
  }
  return "NoAction";
}

std::string default_kind(const ir::DefaultValue& d) {
  using K = ir::DefaultValue::Kind;
  switch (d.kind) {
    case K::Literal: case K::List: return "Literal";
    case K::EnumValue: return "EnumValue";
    case K::Autoincrement: return "Autoincrement";
    case K::Sequence: return "Sequence";
    case K::DbGenerated: return "DbGenerated";
    case K::Now: return "Now";
    case K::Uuid: return d.version == 7 ? "Uuid7" : "Uuid4";
    case K::Cuid: return d.version == 2 ? "Cuid2" : "Cuid1";
    case K::Nanoid: return "Nanoid";
    case K::Ulid: return "Ulid";
  }
  return "None";
}

std::string lower_first(const std::string& s) {
  std::string r = s;
  if (!r.empty() && r[0] >= 'A' && r[0] <= 'Z') r[0] = static_cast<char>(r[0] - 'A' + 'a');
  return r;
}

CppPlan::CppPlan(const ir::Schema& s, const CppOptions& opt) : s_(s), opt_(opt) { plan(); }

bool CppPlan::has_client() const {
  return s_.provider() == ir::Provider::Sqlite || s_.provider() == ir::Provider::Postgresql;
}

const char* CppPlan::ddl_name() const {
  if (s_.provider() == ir::Provider::Sqlite) return "ddl_sqlite";
  if (s_.provider() == ir::Provider::Postgresql) return "ddl_postgresql";
  return nullptr;
}

std::string upper_first(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string index_array(const std::vector<std::size_t>& v) {
  std::string s = "std::array<std::size_t, " + std::to_string(v.size()) + ">{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "}";
}

std::string sv(const std::string& v) {
  if (v.empty()) return "{}";
  // appended in place: g++ 12 at -O3 reports a false -Wrestrict in `"{" + std::string`
  std::string out = "{";
  out += cpp_string(v);
  out += ", ";
  out += std::to_string(v.size());
  out += '}';
  return out;
}

std::size_t CppPlan::back_field(std::size_t mi, std::size_t fi) const { return schema::relation_side(s_, mi, fi).back; }

bool CppPlan::nested_member(std::size_t mi, std::size_t fi) const {
  const auto& f = s_.models[mi].fields[fi];
  std::size_t t = f.related_model;
  if (s_.models[mi].is_view || s_.models[t].is_view) return false;
  std::size_t b = back_field(mi, fi);
  if (b == ir::npos) return false;
  const auto& rel = model_plan_[t].relations;
  return std::find(rel.begin(), rel.end(), b) != rel.end();
}

std::string CppPlan::input_name(std::size_t mi, bool update, std::size_t without) const {
  std::string n = model_plan_[mi].type + (update ? "Update" : "Create");
  if (without != ir::npos) n += "Without" + upper_first(cpp_ident(s_.models[mi].fields[without].name));
  return n;
}

std::string CppPlan::relation_member_type(std::size_t mi, std::size_t fi, bool update) const {
  const auto& f = s_.models[mi].fields[fi];
  std::size_t t = f.related_model, b = back_field(mi, fi);
  std::string desc = model_plan_[mi].ns + "::_relations::" + cpp_ident(f.name) + "_";
  std::string kind = f.list ? "List" : "One";
  if (update)
    return "prisma::NestedUpdate" + kind + "<" + desc + ", " + input_name(t, false, b) + ", " + input_name(t, true, b) + ">";
  return "prisma::NestedCreate" + kind + "<" + desc + ", " + input_name(t, false, b) + ">";
}

std::vector<std::size_t> CppPlan::fk_scalars(std::size_t mi, std::size_t fi) const {
  schema::RelationSide side = schema::relation_side(s_, mi, fi);
  return side.holds_fk ? side.local : std::vector<std::size_t>{};
}

std::vector<Input> CppPlan::inputs_of(std::size_t mi) const {
  std::vector<Input> out;
  const auto& p = model_plan_[mi];
  const auto& m = s_.models[mi];
  if (m.is_ignored || m.is_view) return out;
  for (bool update : {false, true}) {
    out.push_back({mi, update, ir::npos, input_name(mi, update, ir::npos)});
    for (std::size_t fi : p.relations) {
      // `<Model>CreateWithout<fi>` is the data of the other side's nested write into fi's model
      const auto& f = m.fields[fi];
      if (!nested_member(f.related_model, back_field(mi, fi))) continue;
      out.push_back({mi, update, fi, input_name(mi, update, fi)});
    }
  }
  return out;
}

void CppPlan::input_members(const Input& in, std::vector<bool>& has_column, std::vector<std::size_t>& relations,
                            std::set<std::size_t>& fk_with_member) const {
  const auto& p = model_plan_[in.model];
  std::set<std::size_t> dropped;
  if (in.without != ir::npos)
    for (std::size_t k : fk_scalars(in.model, in.without)) dropped.insert(k);
  has_column.assign(p.columns.size(), false);
  for (std::size_t ci = 0; ci < p.columns.size(); ++ci) has_column[ci] = !dropped.count(p.columns[ci]);
  for (std::size_t fi : p.relations) {
    if (fi == in.without || !nested_member(in.model, fi)) continue;
    relations.push_back(fi);
    for (std::size_t k : fk_scalars(in.model, fi)) fk_with_member.insert(k);
  }
}

std::vector<schema::Referrer> CppPlan::referrers(std::size_t mi) const {
  std::vector<schema::Referrer> out;
  for (const auto& r : schema::referrers(s_, mi)) {
    const auto& rel = model_plan_[r.model].relations;
    if (std::find(rel.begin(), rel.end(), r.field) != rel.end()) out.push_back(r);
  }
  return out;
}

std::vector<std::size_t> CppPlan::referenced_columns(std::size_t mi) const {
  std::set<std::size_t> cols;
  for (const auto& r : referrers(mi))
    for (std::size_t f : r.relation->references)
      if (f < model_plan_[mi].column_of.size() && model_plan_[mi].column_of[f] != ir::npos)
        cols.insert(model_plan_[mi].column_of[f]);
  return {cols.begin(), cols.end()};
}

bool CppPlan::relation_keys(std::size_t mi, std::size_t fi, std::vector<std::size_t>* local,
                            std::vector<std::size_t>* remote) const {
  schema::RelationSide side = schema::relation_side(s_, mi, fi);
  if (side.local.empty() || side.remote.empty()) return false;  // m:n without ids
  auto to_columns = [&](std::size_t m, std::vector<std::size_t>& keys) {
    for (auto& x : keys) {
      if (x >= model_plan_[m].column_of.size() || model_plan_[m].column_of[x] == ir::npos) return false;
      x = model_plan_[m].column_of[x];
    }
    return true;
  };
  if (!to_columns(mi, side.local) || !to_columns(side.target, side.remote)) return false;
  if (local) *local = side.local;
  if (remote) *remote = side.remote;
  return true;
}

std::string CppPlan::column_flags(const ModelPlan& p, std::size_t ci) const {
  const auto& m = s_.models[p.index];
  const auto& f = m.fields[p.columns[ci]];
  std::string flags;
  auto add = [&](bool on, const char* name) {
    if (on) flags += std::string(flags.empty() ? "" : " | ") + "prisma::meta::flags::" + name;
  };
  bool in_pk = false;
  if (m.primary_key)
    for (const auto& k : m.primary_key->fields) in_pk |= k.field == p.columns[ci];
  add(in_pk, "id");
  add(f.is_unique, "unique");
  add(f.optional, "optional");
  add(f.list, "list");
  add(f.default_value.has_value(), "has_default");
  add(f.is_updated_at, "updated_at");
  add(f.is_read_only, "relation_scalar");
  return flags.empty() ? "0" : flags;
}

std::string CppPlan::default_literal(const ir::Field& f) {
  if (!f.default_value) return "";
  const auto& d = *f.default_value;
  if (d.kind == ir::DefaultValue::Kind::Literal || d.kind == ir::DefaultValue::Kind::EnumValue ||
      d.kind == ir::DefaultValue::Kind::DbGenerated)
    return d.value;
  if (d.kind == ir::DefaultValue::Kind::Nanoid && d.length) return std::to_string(*d.length);
  return "";
}

void CppPlan::plan() {
  std::set<std::string> taken = {"prisma_schema", "prisma_schema_ddl"};
  for (const auto& m : s_.models) if (!m.is_ignored) taken.insert(cpp_ident(m.name));
  for (const auto& e : s_.enums) taken.insert(cpp_ident(e.name));
  model_plan_.assign(s_.models.size(), {});
  for (std::size_t mi = 0; mi < s_.models.size(); ++mi) {
    const auto& m = s_.models[mi];
    auto& p = model_plan_[mi];
    p.index = mi;
    if (m.is_ignored) continue;
    p.type = cpp_ident(m.name);
    p.ns = cpp_ident(lower_first(m.name));
    while (taken.count(p.ns)) p.ns += '_';
    taken.insert(p.ns);
    p.column_of.assign(m.fields.size(), ir::npos);
    for (std::size_t fi = 0; fi < m.fields.size(); ++fi) {
      const auto& f = m.fields[fi];
      if (f.is_ignored) continue;
      if (f.kind == FieldKind::Scalar || f.kind == FieldKind::Enum) {
        p.column_of[fi] = p.columns.size();
        p.columns.push_back(fi);
      }
    }
  }
  for (std::size_t mi = 0; mi < s_.models.size(); ++mi) {
    const auto& m = s_.models[mi];
    if (m.is_ignored) continue;
    for (std::size_t fi = 0; fi < m.fields.size(); ++fi) {
      const auto& f = m.fields[fi];
      if (f.kind != FieldKind::Relation || f.is_ignored || f.relation == ir::npos) continue;
      if (s_.models[f.related_model].is_ignored) continue;
      if (relation_keys(mi, fi)) model_plan_[mi].relations.push_back(fi);
    }
  }
}

}  // namespace prisma_cpp::emit::cpp
