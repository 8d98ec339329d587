// Relation completion for `format` (Prisma's "magic reformat"): pairs relation fields the way
// Prisma's parser database does, then lists the text to insert for what is missing. The formatter
// inserts it into the source, parses the result again and lays it out like any other schema.
#include "psl/complete_relations.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace prisma_cpp::psl::detail {
namespace {

bool is_builtin_scalar(const std::string& t) {
  static const char* names[] = {"String", "Boolean", "Int", "BigInt", "Float",
                                "Decimal", "DateTime", "Json", "Bytes"};
  return std::find(std::begin(names), std::end(names), t) != std::end(names);
}

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}
std::string upper_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

const ast::Attribute* find_attr(const std::vector<ast::Attribute>& as, const char* name) {
  for (const auto& a : as)
    if (a.name.name == name) return &a;
  return nullptr;
}
const ast::Argument* find_arg(const ast::Attribute& a, const char* name) {
  for (const auto& arg : a.args)
    if (arg.name && arg.name->name == name) return &arg;
  return nullptr;
}
// `[a, b(sort: Desc)]` or a single `a`: the field names; nullopt when it is something else.
std::optional<std::vector<std::string>> name_list(const ast::Argument* arg) {
  if (!arg || !arg->value) return std::nullopt;
  std::vector<std::string> out;
  auto one = [&](const ast::Expr& e) {
    if (e.kind != ast::Expr::Kind::Constant && e.kind != ast::Expr::Kind::Function) return false;
    out.push_back(e.text);
    return true;
  };
  if (arg->value->kind == ast::Expr::Kind::Array) {
    for (const auto& e : arg->value->items)
      if (!one(e)) return std::nullopt;
  } else if (!one(*arg->value)) {
    return std::nullopt;
  }
  return out;
}
const ast::Argument* first_positional(const ast::Attribute& a) {
  return !a.args.empty() && !a.args[0].name ? &a.args[0] : nullptr;
}

class RelationCompleter {
 public:
  RelationCompleter(const SourceSet& src, const std::vector<ast::SchemaFile>& files)
      : src_(src), files_(files) {}

  // Empty when there is nothing to add or the schema does not resolve.
  std::vector<Insertion> run() {
    if (!collect()) return {};
    for (std::size_t i = 0; i < fields_.size(); ++i) ingest(i);
    for (const auto& r : rels_) missing_fields(r);
    for (const auto& r : rels_)
      if (r.forward && !fields_[*r.forward].relation) missing_attribute(r);
    for (const auto& r : rels_)
      if (r.forward && fields_[*r.forward].relation) missing_arguments(r);
    std::stable_sort(out_.begin(), out_.end(), [](const Insertion& a, const Insertion& b) {
      return a.file < b.file || (a.file == b.file && a.pos < b.pos);
    });
    return out_;
  }

 private:
  struct Model {
    std::uint32_t file;
    const ast::Block* block;
  };
  struct RelField {
    std::size_t model, target;
    const ast::Field* field;
    std::string name;  // the relation name, empty for the default
    const ast::Attribute* relation = nullptr;
    std::optional<std::vector<std::string>> fields, references;
  };
  struct Relation {
    bool one_to_one = false;
    std::optional<std::size_t> forward, back;  // indices into fields_
    std::size_t a, b;                          // referencing and referenced model
  };
  struct Scalar {
    std::string name, type;
    bool optional = true;
    const ast::Field* blueprint = nullptr;
  };

  static bool is_list(const ast::Field& f) { return f.type->list; }
  static bool is_optional(const ast::Field& f) { return f.type->optional; }
  const std::string& name_of(std::size_t m) const { return models_[m].block->name.name; }
  static const ast::Field* field(const ast::Block& b, const std::string& n) {
    for (const auto& f : b.fields)
      if (f.name.name == n) return &f;
    return nullptr;
  }

  // Names, types and relation arguments must resolve, as Prisma's parser database requires.
  bool collect() {
    std::map<std::string, std::size_t> tops;
    std::set<std::string> others;
    for (const auto& f : files_)
      for (const auto& b : f.blocks) {
        if (b.kind == ast::Block::Kind::Datasource) {
          if (datasource_.empty()) datasource_ = b.name.name;
          continue;
        }
        if (b.kind == ast::Block::Kind::Generator) continue;
        if (tops.count(b.name.name) || others.count(b.name.name)) return false;
        if (b.kind == ast::Block::Kind::Model || b.kind == ast::Block::Kind::View) {
          tops[b.name.name] = models_.size();
          models_.push_back({f.file, &b});
        } else {
          others.insert(b.name.name);
        }
      }
    for (std::size_t m = 0; m < models_.size(); ++m) {
      std::set<std::string> seen;
      for (const auto& f : models_[m].block->fields)
        if (!seen.insert(f.name.name).second) return false;  // a duplicate field
    }
    for (std::size_t m = 0; m < models_.size(); ++m)
      for (const auto& f : models_[m].block->fields) {
        if (!f.type) return false;
        const std::string& t = f.type->name.name;
        if (f.type->unsupported || is_builtin_scalar(t) || others.count(t)) continue;
        auto it = tops.find(t);
        if (it == tops.end()) return false;
        RelField r{m, it->second, &f, {}, find_attr(f.attributes, "relation"), {}, {}};
        if (r.relation) {
          const ast::Argument* n = first_positional(*r.relation);
          if (!n) n = find_arg(*r.relation, "name");
          if (n && n->value && n->value->kind == ast::Expr::Kind::String) r.name = n->value->text;
          if (find_arg(*r.relation, "fields") && !(r.fields = name_list(find_arg(*r.relation, "fields"))))
            return false;
          auto refs = find_arg(*r.relation, "references");
          if (refs && !(r.references = name_list(refs))) return false;
          for (const auto& n : r.fields.value_or(std::vector<std::string>{}))
            if (!field(*models_[m].block, n)) return false;
          for (const auto& n : r.references.value_or(std::vector<std::string>{}))
            if (!field(*models_[r.target].block, n)) return false;
        }
        fields_.push_back(std::move(r));
      }
    return true;
  }

  // Pairs a relation field with its opposite and records the relation once (Prisma's rules).
  void ingest(std::size_t i) {
    const RelField& rf = fields_[i];
    bool self = rf.model == rf.target;
    std::optional<std::size_t> opp;
    for (std::size_t j = 0; j < fields_.size() && !opp; ++j) {
      const RelField& o = fields_[j];
      if (o.model == rf.target && o.target == rf.model && !(self && j == i) && o.name == rf.name) opp = j;
    }
    const ast::Field& f = *rf.field;
    auto before = [&](std::size_t j) {  // the lexicographic tie-break of model and field names
      return std::make_pair(name_of(rf.model), f.name.name) <
             std::make_pair(name_of(fields_[j].model), fields_[j].field->name.name);
    };
    Relation r{false, i, std::nullopt, rf.model, rf.target};
    if (opp) {
      const ast::Field& of = *fields_[*opp].field;
      if (is_list(f) && is_list(of)) return;  // many-to-many: nothing to complete
      if (is_list(f)) return;                 // the forward side records it
      if (is_list(of)) {
        r.back = opp;
      } else {
        if (is_optional(f) && !is_optional(of)) return;
        if (is_optional(f) && is_optional(of)) {
          if (!rf.fields && (fields_[*opp].fields || !before(*opp))) return;
        } else if (!is_optional(f) && !is_optional(of) && !before(*opp)) {
          return;
        }
        r.one_to_one = true;
        r.back = opp;
      }
    } else if (is_list(f)) {
      r = Relation{false, std::nullopt, i, rf.target, rf.model};
    } else if (rf.fields) {
      r.one_to_one = fields_are_unique(*models_[rf.model].block, *rf.fields);
    }
    rels_.push_back(r);
  }

  static bool fields_are_unique(const ast::Block& m, const std::vector<std::string>& names) {
    if (names.size() == 1)
      if (auto* f = field(m, names[0]); f && find_attr(f->attributes, "unique")) return true;
    for (const auto& a : m.attributes)
      if (a.name.name == "unique") {
        const ast::Argument* arg = first_positional(a);
        if (!arg) arg = find_arg(a, "fields");
        if (name_list(arg) == names) return true;
      }
    return false;
  }

  // The primary key, then every unique constraint, in Prisma's order.
  static std::vector<std::vector<std::string>> unique_criteria(const ast::Block& m) {
    std::vector<std::vector<std::string>> out;
    auto from_fields = [&](const char* attr) {
      for (const auto& f : m.fields)
        if (find_attr(f.attributes, attr)) out.push_back({f.name.name});
    };
    auto from_block = [&](const char* attr) {
      for (const auto& a : m.attributes)
        if (a.name.name == attr) {
          const ast::Argument* arg = first_positional(a);
          if (!arg) arg = find_arg(a, "fields");
          if (auto names = name_list(arg)) out.push_back(*names);
        }
    };
    from_fields("id");
    from_block("id");
    from_fields("unique");
    from_block("unique");
    return out;
  }

  std::vector<Scalar> inferred_scalars(const Relation& r) const {
    std::vector<Scalar> out;
    const ast::Block& a = *models_[r.a].block;
    const ast::Block& b = *models_[r.b].block;
    auto criteria = unique_criteria(b);
    if (criteria.empty()) return out;
    for (const auto& n : criteria[0]) {
      const ast::Field* bp = field(b, n);
      if (!bp || !bp->type) continue;
      Scalar s{lower_first(name_of(r.b)) + upper_first(n), bp->type->name.name, true, bp};
      if (const ast::Field* existing = field(a, s.name); existing && existing->type) {
        s.type = existing->type->name.name;
        s.optional = existing->type->optional;
      } else if (r.forward) {
        s.optional = is_optional(*fields_[*r.forward].field);
      }
      out.push_back(std::move(s));
    }
    return out;
  }

  std::string fields_argument(const Relation& r) const {
    std::string s = "fields: [";
    auto scalars = inferred_scalars(r);
    for (std::size_t i = 0; i < scalars.size(); ++i) s += (i ? ", " : "") + scalars[i].name;
    return s + "]";
  }
  std::string references_argument(const Relation& r) const {
    std::vector<std::string> names;
    if (r.forward && fields_[*r.forward].references) {
      names = *fields_[*r.forward].references;
    } else {
      const ast::Block& b = *models_[r.b].block;
      for (const auto& c : unique_criteria(b)) {
        bool strict = std::all_of(c.begin(), c.end(), [&](const std::string& n) {
          const ast::Field* f = field(b, n);
          return f && f->type && !f->type->optional && !f->type->list;
        });
        if (strict) {
          names = c;
          break;
        }
      }
    }
    std::string s = "references: [";
    for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
    return s + "]";
  }

  void before_close(std::size_t model, std::string text) {
    const Model& m = models_[model];
    std::uint32_t pos = m.block->span.end - 1;
    if (m.block->span.end == 0 || src_[m.file].text()[pos] != '}') return;
    out_.push_back({m.file, pos, std::move(text)});
  }

  void missing_fields(const Relation& r) {
    const std::string& a = name_of(r.a);
    const std::string& b = name_of(r.b);
    // A named relation keeps its name on the side we add, or the two sides would not pair (and
    // the next format would add the field again); Prisma leaves the name out.
    std::string name = relation_name(r);
    if (!r.back) {
      bool ignored = find_attr(models_[r.a].block->attributes, "ignore") != nullptr;
      before_close(r.b, lower_first(a) + (r.one_to_one ? " " : "s ") + a + (r.one_to_one ? "?" : "[]") +
                            (name.empty() ? "" : " @relation(" + name + ")") + (ignored ? " @ignore" : "") +
                            "\n");
    }
    auto scalars = inferred_scalars(r);
    if (!r.forward) {
      bool optional = std::any_of(scalars.begin(), scalars.end(), [](const Scalar& s) { return s.optional; });
      before_close(r.a, lower_first(b) + " " + b + (optional ? "?" : "") + " @relation(" +
                            (name.empty() ? "" : name + ", ") + fields_argument(r) + ", " +
                            references_argument(r) + ")\n");
    }
    if (r.forward && fields_[*r.forward].fields) return;
    for (const auto& s : scalars) {
      const ast::Field* existing = field(*models_[r.a].block, s.name);
      if (existing && existing->type && !models_by_name(existing->type->name.name)) continue;
      if (!is_builtin_scalar(s.type)) return;
      // Two relations to the same model would infer the same scalar field: add it once.
      if (!added_scalars_.insert({r.a, s.name}).second) continue;
      before_close(r.a, s.name + " " + s.type + (s.optional ? "?" : "") + native_type(r.b, *s.blueprint) + "\n");
    }
  }
  // The relation's name as a string literal, empty for the default name.
  std::string relation_name(const Relation& r) const {
    const std::string& n = fields_[r.forward ? *r.forward : *r.back].name;
    if (n.empty()) return n;
    std::string lit = "\"";
    for (char c : n) {
      if (c == '"' || c == '\\') lit += '\\';
      if (c == '\n') lit += "\\n";
      else lit += c;
    }
    return lit + "\"";
  }

  bool models_by_name(const std::string& n) const {
    return std::any_of(models_.begin(), models_.end(), [&](const Model& m) { return m.block->name.name == n; });
  }

  // `@db.VarChar(200)` on the referenced field is copied to the new scalar field.
  std::string native_type(std::size_t model, const ast::Field& f) const {
    if (datasource_.empty()) return "";
    for (const auto& a : f.attributes)
      if (a.name.name.rfind(datasource_ + ".", 0) == 0) {
        const auto& text = src_[models_[model].file].text();
        return std::string(" ").append(text, a.span.start, a.span.end - a.span.start);
      }
    return "";
  }

  void missing_attribute(const Relation& r) {
    const RelField& f = fields_[*r.forward];
    const auto& text = src_[models_[f.model].file].text();
    std::uint32_t pos = f.field->type->span.end;
    while (pos < text.size() && std::strchr("[]?!", text[pos]) && text[pos] != '\0') ++pos;
    out_.push_back({models_[f.model].file, pos,
                    " @relation(" + fields_argument(r) + ", " + references_argument(r) + ")"});
  }

  void missing_arguments(const Relation& r) {
    const RelField& f = fields_[*r.forward];
    std::vector<std::string> extra;
    if (!f.fields) extra.push_back(fields_argument(r));
    if (!f.references) extra.push_back(references_argument(r));
    if (extra.empty()) return;
    std::string joined = extra[0] + (extra.size() > 1 ? ", " + extra[1] : "");
    const ast::Attribute& a = *f.relation;
    std::uint32_t file = models_[f.model].file;
    if (!a.has_parens) out_.push_back({file, a.span.end, "(" + joined + ")"});
    else if (a.args.empty()) out_.push_back({file, a.span.end - 1, joined});
    else out_.push_back({file, a.span.end - 1, ", " + joined});
  }

  const SourceSet& src_;
  const std::vector<ast::SchemaFile>& files_;
  std::string datasource_;
  std::vector<Model> models_;
  std::vector<RelField> fields_;
  std::vector<Relation> rels_;
  std::vector<Insertion> out_;
  std::set<std::pair<std::size_t, std::string>> added_scalars_;
};

}  // namespace

std::vector<Insertion> complete_relations(const SourceSet& sources,
                                          const std::vector<ast::SchemaFile>& files) {
  return RelationCompleter(sources, files).run();
}

}  // namespace prisma_cpp::psl::detail
