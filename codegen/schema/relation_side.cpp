#include "schema/relation_side.hpp"

namespace prisma_cpp::schema {

RelationSide relation_side(const ir::Schema& s, std::size_t model, std::size_t field) {
  const ir::Field& f = s.models[model].fields[field];
  const ir::Relation& r = s.relations[f.relation];
  RelationSide side;
  side.relation = &r;
  side.model = model;
  side.field = field;
  side.target = f.related_model;
  side.is_a = r.model_a == model && r.field_a == field;
  side.back = side.is_a ? r.field_b : r.field_a;
  side.many_to_many = r.kind == ir::Relation::Kind::ManyToMany;
  if (side.many_to_many) {
    auto id = [&](std::size_t m, std::vector<std::size_t>& out) {
      const auto& pk = s.models[m].primary_key;
      if (!pk) return false;
      for (const auto& k : pk->fields) out.push_back(k.field);
      return pk->fields.size() == 1;
    };
    bool single_self = id(model, side.local);
    bool single_target = side.target < s.models.size() && id(side.target, side.remote);
    side.single_ids = single_self && single_target;
    side.join_table = r.join_table;
    if (r.model_a < s.models.size()) side.join_schema = s.models[r.model_a].schema.value_or("");
    // one character each (assigned as such: g++ 12 at -O3 reports a false -Wrestrict in
    // assigning a ternary of string literals)
    side.join_self.assign(1, side.is_a ? 'A' : 'B');
    side.join_other.assign(1, side.is_a ? 'B' : 'A');
    return side;
  }
  side.holds_fk = side.is_a;
  side.local = side.is_a ? r.fields : r.references;
  side.remote = side.is_a ? r.references : r.fields;
  side.foreign_key_optional = r.model_a < s.models.size();
  for (std::size_t k : r.fields)
    side.foreign_key_optional = side.foreign_key_optional && s.models[r.model_a].fields[k].optional;
  return side;
}

bool emulates_relations(const ir::Schema& s) {
  return s.datasource && s.datasource->relation_mode && *s.datasource->relation_mode == "prisma";
}

std::vector<Referrer> referrers(const ir::Schema& s, std::size_t model) {
  std::vector<Referrer> out;
  if (!emulates_relations(s) || s.models[model].is_ignored) return out;
  for (std::size_t mi = 0; mi < s.models.size(); ++mi) {
    const ir::Model& m = s.models[mi];
    if (m.is_ignored) continue;
    for (std::size_t fi = 0; fi < m.fields.size(); ++fi) {
      const ir::Field& f = m.fields[fi];
      if (f.kind != ir::FieldKind::Relation || f.is_ignored || f.related_model != model) continue;
      const ir::Relation& r = s.relations[f.relation];
      if (r.kind == ir::Relation::Kind::ManyToMany || r.model_a != mi || r.field_a != fi || r.fields.empty()) continue;
      out.push_back({mi, fi, &r});
    }
  }
  return out;
}

}  // namespace prisma_cpp::schema
