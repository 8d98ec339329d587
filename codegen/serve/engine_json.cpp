// The engine's Json filters (path, equals / not / ordering, string_*, array_*, the null kinds) and
// field references: the typed client's query/json_filter.hpp and FieldCompare, rendered at run time
// through the same shapes (sql/filters.hpp).
#include "serve/engine_sql.hpp"

#include <prisma/core/json.hpp>
#include <prisma/query/filter.hpp>

namespace prisma_cpp::serve::engine_sql {

namespace sq = prisma::sql;

// A field reference (`{"$type": "FieldRef", "value": {"_ref": "minStock", "_container": "Product"}}`,
// Prisma Client's `prisma.product.fields.minStock`) as the referenced column of the same row:
// a field of the same model and of the same type; nothing when `v` is not one.
std::optional<std::string> field_ref(const Model& M, const ir::Field& f, const json::value& v, const std::string& path,
                                     const std::string& self) {
  const auto* o = v.if_object();
  if (!o) return std::nullopt;
  const auto* t = o->if_contains("$type");
  if (!t || !t->is_string() || t->as_string() != "FieldRef") return std::nullopt;
  const auto* ref = o->if_contains("value");
  const json::value* name = ref && ref->is_object() ? ref->as_object().if_contains("_ref") : nullptr;
  const json::value* container = ref && ref->is_object() ? ref->as_object().if_contains("_container") : nullptr;
  if (!name || !name->is_string()) invalid("a field reference names its field in `value._ref` at `" + path + "`");
  if (container && (!container->is_string() || container->as_string() != M.m->name))
    invalid("a field reference compares fields of the same model: `" + json::serialize(*container) + "` is not `" + M.m->name +
            "` at `" + path + "`");
  const ir::Field& r = M.scalar(str(*name), path);
  if (r.kind != f.kind || r.scalar != f.scalar || r.list != f.list || (r.kind == ir::FieldKind::Enum && r.enum_index != f.enum_index))
    invalid("the field reference `" + r.name + "` does not have the type of `" + f.name + "` at `" + path + "`");
  return self + "." + quoted_ident(r.db_name);
}

namespace {
// Prisma's null kinds of a Json field in the JSON protocol: {"$type": "Enum", "value": "DbNull"}.
std::optional<sq::JsonNullKind> json_null_kind(const json::value& v) {
  const auto* o = v.if_object();
  if (!o || !o->contains("$type") || !o->at("$type").is_string() || o->at("$type").as_string() != "Enum") return std::nullopt;
  const auto* n = o->if_contains("value");
  if (!n || !n->is_string()) return std::nullopt;
  if (n->as_string() == "DbNull") return sq::JsonNullKind::Db;
  if (n->as_string() == "JsonNull") return sq::JsonNullKind::Json;
  if (n->as_string() == "AnyNull") return sq::JsonNullKind::Any;
  return std::nullopt;
}
}  // namespace

// A Json field's filter (the typed client's query/json_filter.hpp, the same shapes): `path`
// (PostgreSQL's list of keys; SQLite's JSON path text, or a list), equals / not (a value or a null
// kind), lt / lte / gt / gte, string_contains / _starts_with / _ends_with (mode), array_contains
// (PostgreSQL), array_starts_with / array_ends_with.
std::string json_filter(const Model& M, const ir::Field& f, const json::object& o, Sql& q, const std::string& path,
                        const std::string& col) {
  std::string path_value;  // the bound path: PostgreSQL's array literal, SQLite's JSON path
  if (const auto* p = o.if_contains("path")) {
    if (p->is_string() && q.sqlite) {
      path_value = str(*p);
    } else if (p->is_array()) {
      std::vector<std::string> segs;
      for (const auto& x : p->as_array()) {
        if (!x.is_string()) invalid("`path` takes a list of keys at `" + path + ".path`");
        segs.push_back(str(x));
      }
      if (q.sqlite) {
        path_value = prisma::sqlite_json_path(segs);
      } else {
        path_value = "{";
        for (std::size_t i = 0; i < segs.size(); ++i) {
          path_value += i ? ",\"" : "\"";
          for (char c : segs[i]) {
            if (c == '"' || c == '\\') path_value += '\\';
            path_value += c;
          }
          path_value += '"';
        }
        path_value += "}";
      }
    } else {
      invalid(std::string("Argument `path`: Invalid value provided. Expected ") + (q.sqlite ? "String" : "String[]") +
              " at `" + path + ".path`");
    }
  } else {
    path_value = q.sqlite ? "$" : "{}";
  }
  auto path_part = [&] { return q.param(path_value); };  // bound at each use: its placeholder
  sq::Piece c{col};
  bool insensitive = o.contains("mode") && o.at("mode").is_string() && o.at("mode").as_string() == "insensitive";
  auto json_param = [&](const json::value& x, const std::string& p) {
    Value v = to_value(*M.s, f, x, p);
    if (std::holds_alternative<std::monostate>(v)) invalid("a Json filter takes a value (or DbNull, JsonNull, AnyNull) at `" + p + "`");
    return q.param(std::move(v));
  };
  std::vector<std::string> parts;
  for (const auto& [key, arg] : o) {
    std::string k(key), p = path + "." + k;
    if (k == "path" || k == "mode") continue;
    if (k == "equals" || k == "not") {
      bool negated = k == "not";
      if (auto n = json_null_kind(arg)) {
        std::string first = path_part();
        std::string second = *n == sq::JsonNullKind::Any ? path_part() : first;
        parts.push_back(render([&](auto& s) { sq::json_null(s, q.dialect(), c, sq::Piece{first}, *n, negated, sq::Piece{second}); }));
        continue;
      }
      if (arg.is_null()) invalid("Argument `" + k + "` must not be null at `" + p + "` (DbNull, JsonNull or AnyNull)");
      auto at = path_part();
      auto value = json_param(arg, p);
      parts.push_back(render([&](auto& s) {
        sq::json_compare(s, q.dialect(), c, sq::Piece{at}, negated ? sq::Cmp::Ne : sq::Cmp::Eq, sq::Piece{value}, sq::Piece{at});
      }));
    } else if (k == "lt" || k == "lte" || k == "gt" || k == "gte") {
      auto op = k == "lt" ? sq::Cmp::Lt : k == "lte" ? sq::Cmp::Le : k == "gt" ? sq::Cmp::Gt : sq::Cmp::Ge;
      auto at = path_part();
      auto value = json_param(arg, p);
      auto again = path_part();
      parts.push_back(render([&](auto& s) { sq::json_compare(s, q.dialect(), c, sq::Piece{at}, op, sq::Piece{value}, sq::Piece{again}); }));
    } else if (k == "string_contains" || k == "string_starts_with" || k == "string_ends_with") {
      if (!arg.is_string()) invalid("`" + k + "` takes a String at `" + p + "`");
      auto at = path_part();
      auto pattern = q.param(prisma::detail::like_pattern(str(arg), k != "string_starts_with", k != "string_ends_with"));
      auto again = path_part();
      parts.push_back(render([&](auto& s) { sq::json_like(s, q.dialect(), c, sq::Piece{at}, insensitive, sq::Piece{pattern}, sq::Piece{again}); }));
    } else if (k == "array_contains" || k == "array_starts_with" || k == "array_ends_with") {
      if (k == "array_contains" && q.sqlite)
        invalid("Unknown argument `array_contains` at `" + p + "`: Prisma has it on PostgreSQL only");
      auto at = path_part();
      auto value = json_param(arg, p);
      auto again = path_part();
      parts.push_back(render([&](auto& s) {
        if (k == "array_contains") sq::json_array_contains(s, q.dialect(), c, sq::Piece{at}, sq::Piece{value}, sq::Piece{again});
        else sq::json_array_edge(s, q.dialect(), c, sq::Piece{at}, k == "array_ends_with", sq::Piece{value}, sq::Piece{again});
      }));
    } else {
      invalid("Unknown filter `" + k + "` on the Json field `" + f.name + "` at `" + p +
              "` (path, equals, not, lt, lte, gt, gte, string_contains, string_starts_with, string_ends_with, "
              "array_contains, array_starts_with, array_ends_with, mode)");
    }
  }
  return all_parts(parts);
}

}  // namespace prisma_cpp::serve::engine_sql
