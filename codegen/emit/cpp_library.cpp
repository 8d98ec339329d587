// The generated library (cpp_header.hpp lists its files): the schema's models and relations as
// the nested-write executor's metadata, plain constants over prisma/meta/write_info.hpp
// (nested_<k>.cpp); the executor, compiled once (executor.cpp); the DDL (schema.cpp). No file of
// it includes a model header: a change to one model rebuilds the files that hold its metadata.
#include <cstdint>
#include <set>
#include <sstream>
#include <utility>

#include "emit/cpp_ident.hpp"
#include "emit/cpp_plan.hpp"
#include "schema/relation_side.hpp"
#include "emit/ddl.hpp"

namespace prisma_cpp::emit::cpp {
namespace {

using ir::FieldKind;

class LibraryWriter {
 public:
  explicit LibraryWriter(const CppPlan& plan) : plan_(plan), s_(plan.s_), opt_(plan.opt_), model_plan_(plan.model_plan_) {}

  std::vector<GeneratedFile> run() {
    std::vector<GeneratedFile> files;
    const std::string& ns = opt_.ns;
    unsigned shards = opt_.shards ? opt_.shards : 1;
    for (unsigned k = 0; k < shards; ++k) files.push_back({ns + "/nested_" + std::to_string(k) + ".cpp", metadata_file(k, shards)});
    files.push_back({ns + "/executor.cpp", executor_file()});
    files.push_back({ns + "/schema.cpp", schema_file()});
    return files;
  }

 private:
  std::string take() {
    std::string t = o_.str();
    o_.str("");
    o_.clear();
    return t;
  }
  bool has_client() const { return plan_.has_client(); }
  const char* ddl_name() const { return plan_.ddl_name(); }
  bool relation_keys(std::size_t mi, std::size_t fi, std::vector<std::size_t>* local,
                     std::vector<std::size_t>* remote) const {
    return plan_.relation_keys(mi, fi, local, remote);
  }
  std::string column_flags(const ModelPlan& p, std::size_t ci) const { return plan_.column_flags(p, ci); }
  static std::string default_literal(const ir::Field& f) { return CppPlan::default_literal(f); }

  static std::uint32_t name_hash(const std::string& s) {
    std::uint32_t h = 2166136261u;  // FNV-1a: a model stays in its file when others come and go
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
  }

  // The key the executor reads a written row back by: the primary key's column positions, else
  // the first unique criterion's (as model_traits' primary_key / unique_keys).
  std::vector<std::size_t> write_key(const ModelPlan& p) const {
    const auto& m = s_.models[p.index];
    auto positions = [&](const std::vector<ir::IndexField>& fields, std::vector<std::size_t>& out) {
      for (const auto& k : fields) {
        std::size_t c = k.field < p.column_of.size() ? p.column_of[k.field] : ir::npos;
        if (c == ir::npos) return false;
        out.push_back(c);
      }
      return true;
    };
    std::vector<std::size_t> key;
    if (m.primary_key && positions(m.primary_key->fields, key)) return key;
    for (const auto& ix : m.indexes) {
      key.clear();
      if (ix.type == ir::Index::Type::Unique && positions(ix.fields, key)) return key;
    }
    return {};
  }

  // `constexpr std::size_t <name>[] = {...};`, or nothing when empty; the span to it.
  std::string positions_array(const std::string& name, const std::vector<std::size_t>& v) {
    if (v.empty()) return "{}";
    o_ << "constexpr std::size_t " << name << "[] = {";
    for (std::size_t i = 0; i < v.size(); ++i) o_ << (i ? ", " : "") << v[i];
    o_ << "};\n";
    return name;
  }

  // A model's write::ModelInfo and its relations' write::RelationInfo: plain constants (the
  // executor's metadata), named as the model header declares them (`<ns>::user::_write::_model`).
  void write_metadata(const ModelPlan& p) {
    const auto& m = s_.models[p.index];
    o_ << "namespace " << opt_.ns << "::" << p.ns << "::_write {\n\n";
    o_ << "constexpr prisma::write::Column _columns[] = {\n";
    std::string list;
    for (std::size_t ci = 0; ci < p.columns.size(); ++ci) {
      const auto& f = m.fields[p.columns[ci]];
      o_ << "    {" << cpp_string(f.name) << ", " << cpp_string(f.db_name) << ", prisma::meta::ScalarKind::"
         << (f.kind == FieldKind::Enum ? "Enum" : scalar_kind(f.scalar)) << ", " << column_flags(p, ci)
         << ", prisma::meta::DefaultKind::" << (f.default_value ? default_kind(*f.default_value) : "None") << ", "
         << cpp_string(default_literal(f)) << "},\n";
      std::string quoted = "\"";
      for (char c : f.db_name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      list += (ci ? ", " : "") + quoted + "\"";
    }
    o_ << "};\n";
    std::string key = positions_array("_key", write_key(p));
    std::vector<std::pair<std::string, std::string>> required;  // (name, its local positions' array)
    for (std::size_t fi : p.relations) {
      const auto& f = m.fields[fi];
      const auto& r = s_.relations[f.relation];
      std::vector<std::size_t> local, remote;
      relation_keys(p.index, fi, &local, &remote);
      std::string name = cpp_ident(f.name);
      std::string l = positions_array("_local_" + name, local), rm = positions_array("_remote_" + name, remote);
      schema::RelationSide side = schema::relation_side(s_, p.index, fi);
      bool m2m = side.many_to_many, forward = side.holds_fk, fk_optional = side.foreign_key_optional;
      if (forward && !f.optional) required.emplace_back(f.name, l);
      const auto& target = model_plan_[f.related_model];
      o_ << "extern const prisma::write::RelationInfo " << name << "{" << cpp_string(f.name) << ", "
         << cpp_string(r.name) << ", &_model, &::" << opt_.ns << "::" << target.ns
         << "::_write::_model, prisma::meta::RelationKind::"
         << (m2m ? "ManyToMany" : r.kind == ir::Relation::Kind::OneToOne ? "OneToOne" : "OneToMany") << ", "
         << (f.list ? "true" : "false") << ", " << (forward ? "true" : "false") << ", "
         << (m2m || fk_optional ? "true" : "false") << ", " << (fk_optional ? "true" : "false") << ", " << l << ", "
         << rm;
      if (m2m) {
        o_ << ", " << cpp_string(side.join_schema) << ", " << cpp_string(side.join_table) << ", "
           << cpp_string(side.join_self) << ", " << cpp_string(side.join_other);
      } else {
        o_ << ", {}, {}, {}, {}";
      }
      o_ << "};\n";
    }
    std::string req = "{}";
    if (!required.empty()) {
      o_ << "constexpr prisma::write::RequiredRelation _required[] = {";
      for (std::size_t i = 0; i < required.size(); ++i)
        o_ << (i ? ", " : "") << "{" << cpp_string(required[i].first) << ", " << required[i].second << "}";
      o_ << "};\n";
      req = "_required";
    }
    std::string refs = referrers_array(p);
    o_ << "extern const prisma::write::ModelInfo _model{" << cpp_string(m.name) << ", " << cpp_string(m.db_name)
       << ", " << cpp_string(m.schema.value_or("")) << ", _columns, " << key << ", " << cpp_string(list) << ", " << req;
    if (refs != "{}") o_ << ", " << refs;
    o_ << "};\n\n}  // namespace " << opt_.ns << "::" << p.ns << "::_write\n\n";
  }

  // relationMode = "prisma": the relations pointing at the model, with the actions the executor
  // carries out (`_referrers`), or "{}".
  std::vector<schema::Referrer> emitted_referrers(const ModelPlan& p) const { return plan_.referrers(p.index); }
  std::string referrers_array(const ModelPlan& p) {
    auto refs = emitted_referrers(p);
    if (refs.empty()) return "{}";
    o_ << "constexpr prisma::write::Referrer _referrers[] = {\n";
    for (const auto& r : refs)
      o_ << "    {&::" << opt_.ns << "::" << model_plan_[r.model].ns << "::_write::"
         << cpp_ident(s_.models[r.model].fields[r.field].name) << ", prisma::write::Action::"
         << action_name(r.relation->on_delete) << ", prisma::write::Action::" << action_name(r.relation->on_update)
         << "},\n";
    o_ << "};\n";
    return "_referrers";
  }

  // Part k of the generated library's metadata: the models whose name hashes to k. Plain
  // constants over meta/write_info.hpp, no model header: a change to one model rebuilds the part
  // that holds it (and those whose relations point at its columns), in a fraction of a second.
  std::string metadata_file(unsigned k, unsigned shards) {
    std::vector<const ModelPlan*> mine;
    for (const auto& p : model_plan_)
      if (!s_.models[p.index].is_ignored && has_client() && name_hash(p.type) % shards == k) mine.push_back(&p);
    o_ << "// Generated by prisma-cpp from " << opt_.schema_path << ". Do not edit: change the\n"
       << "// schema and build again. The nested-write library, part " << k + 1 << " of " << shards
       << ": the schema's models and\n// relations as the executor's metadata (prisma_generate() builds it).\n";
    if (mine.empty()) {
      o_ << "// No model of this schema is in this part.\n";
      return take();
    }
    o_ << "#include <prisma/meta/write_info.hpp>\n\n";
    // this part's models and the related ones (defined in their own parts), declared first
    std::set<std::size_t> targets;
    for (const auto* p : mine) {
      targets.insert(p->index);
      for (std::size_t fi : p->relations) targets.insert(s_.models[p->index].fields[fi].related_model);
    }
    for (std::size_t t : targets)
      o_ << "namespace " << opt_.ns << "::" << model_plan_[t].ns
         << "::_write {\nextern const prisma::write::ModelInfo _model;\n}\n";
    for (const auto* p : mine)  // relationMode = "prisma": the relations pointing at this part's models
      for (const auto& r : emitted_referrers(*p))
        o_ << "namespace " << opt_.ns << "::" << model_plan_[r.model].ns
           << "::_write {\nextern const prisma::write::RelationInfo " << cpp_ident(s_.models[r.model].fields[r.field].name)
           << ";\n}\n";
    o_ << "\n";
    for (const auto* p : mine) write_metadata(*p);
    return take();
  }

  // The nested-write executor (client/write_executor.hpp), compiled once per program: in this
  // file of the library, when the schema has a relation to write through.
  std::string executor_file() {
    o_ << "// Generated by prisma-cpp from " << opt_.schema_path << ". Do not edit: change the\n"
       << "// schema and build again. The nested-write executor, compiled once (prisma_generate()\n"
       << "// builds it).\n";
    bool any = false;
    for (const auto& p : model_plan_) any = any || (!s_.models[p.index].is_ignored && !p.relations.empty());
    if (any && has_client()) o_ << "#include <prisma/client/write_executor.hpp>\n";
    else o_ << "// No relation in this schema: no nested write to run.\n";
    return take();
  }

  // The provider's DDL (client.hpp's prisma_schema::ddl_<provider> refers to it): in the library,
  // so that a change to a model changes no header but that model's.
  std::string schema_file() {
    o_ << "// Generated by prisma-cpp from " << opt_.schema_path << ". Do not edit: change the\n"
       << "// schema and build again. The DDL of an empty database (prisma_generate() builds it).\n";
    if (!ddl_name()) return take();
    o_ << "#include <string_view>\n\nnamespace " << opt_.ns << " {\n\nextern const std::string_view prisma_schema_ddl";
    ddl_literal(ddl(s_, s_.provider() == ir::Provider::Sqlite ? Dialect::Sqlite : Dialect::Postgresql));
    o_ << ";\n\n}  // namespace " << opt_.ns << "\n";
    return take();
  }

  // The DDL as a string_view literal (schema.cpp): one line of the literal per line of SQL.
  void ddl_literal(const std::string& sql) {
    if (sql.empty()) { o_ << "{}"; return; }
    o_ << "{";
    std::size_t pos = 0;
    while (pos < sql.size()) {
      std::size_t nl = sql.find('\n', pos);
      std::size_t end = nl == std::string::npos ? sql.size() : nl + 1;
      o_ << "\n    " << cpp_string(sql.substr(pos, end - pos));
      pos = end;
    }
    o_ << ",\n    " << sql.size() << "}";
  }

  const CppPlan& plan_;
  const ir::Schema& s_;
  const CppOptions& opt_;
  const std::vector<ModelPlan>& model_plan_;
  std::ostringstream o_;
};

}  // namespace

std::vector<GeneratedFile> library_files(const CppPlan& plan) { return LibraryWriter(plan).run(); }

}  // namespace prisma_cpp::emit::cpp
