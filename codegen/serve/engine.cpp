#include "serve/engine.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <prisma/core/ids.hpp>
#include <prisma/migrate.hpp>

#include <atomic>
#include <cstring>
#include <set>
#include <map>
#include <optional>
#include <variant>

namespace prisma_cpp::serve {

using prisma::sql::quoted_ident;
namespace json = boost::json;

namespace {

// An error with Prisma's code, answered as a user-facing error.
struct QueryError : std::runtime_error {
  QueryError(std::string c, const std::string& m, json::object meta_ = {})
      : std::runtime_error(m), code(std::move(c)), meta(std::move(meta_)) {}
  std::string code;
  json::object meta;
};

[[noreturn]] void invalid(const std::string& msg) {
  throw QueryError("P2009", "Failed to validate the query: " + msg);
}

using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, prisma::Bytes, prisma::Json,
                           prisma::DateTime, prisma::Decimal>;

std::string str(const json::value& v) { return std::string(v.as_string()); }

// ---- the schema's view --------------------------------------------------------------------

struct Model {
  const ir::Model* m;
  const ir::Schema* s;
  const ir::Field* field(const std::string& name) const {
    for (const auto& f : m->fields)
      if (f.name == name) return &f;
    return nullptr;
  }
  const ir::Field& scalar(const std::string& name, const std::string& where) const {
    const ir::Field* f = field(name);
    if (!f) invalid("Unknown field `" + name + "` for model `" + m->name + "` at `" + where + "`");
    if (f->kind == ir::FieldKind::Relation)
      invalid("the relation field `" + name + "` at `" + where +
              "` is not served by prisma-cpp's engine yet (relations in filters, selections and writes)");
    if (f->list) invalid("the scalar list field `" + name + "` at `" + where + "` is not served by prisma-cpp's engine yet");
    return *f;
  }
};

// A JSON value (plain, or `{"$type": ..., "value": ...}`) as the field's type.
Value to_value(const ir::Schema& s, const ir::Field& f, const json::value& v, const std::string& path) {
  if (v.is_null()) {
    if (!f.optional) invalid("Argument `" + f.name + "` must not be null at `" + path + "`");
    return std::monostate{};
  }
  const json::value* x = &v;
  std::string tag;
  if (v.is_object() && v.as_object().contains("$type")) {
    tag = str(v.as_object().at("$type"));
    x = &v.as_object().at("value");
  }
  auto wrong = [&](const char* want) -> Value {
    invalid("Invalid value for argument `" + f.name + "` at `" + path + "`: expected " + want);
  };
  try {
    if (f.kind == ir::FieldKind::Enum) {
      if (!x->is_string()) return wrong("an enum value");
      std::string name = str(*x);
      for (const auto& ev : s.enums[f.enum_index].values)
        if (ev.name == name) return ev.db_name;
      invalid("Invalid value `" + name + "` for the enum `" + s.enums[f.enum_index].name + "` at `" + path + "`");
    }
    switch (f.scalar) {
      case ir::ScalarType::String:
        if (!x->is_string()) return wrong("a String");
        return str(*x);
      case ir::ScalarType::Boolean:
        if (!x->is_bool()) return wrong("a Boolean");
        return x->as_bool();
      case ir::ScalarType::Int:
      case ir::ScalarType::BigInt:
        if (x->is_int64()) return x->as_int64();
        if (x->is_uint64()) return static_cast<std::int64_t>(x->as_uint64());
        if (x->is_string()) return static_cast<std::int64_t>(std::stoll(str(*x)));
        return wrong(f.scalar == ir::ScalarType::Int ? "an Int" : "a BigInt");
      case ir::ScalarType::Float:
        if (x->is_number()) return x->to_number<double>();
        return wrong("a Float");
      case ir::ScalarType::Decimal:
        if (x->is_string()) return prisma::Decimal(str(*x));
        if (x->is_number()) return prisma::Decimal(json::serialize(*x));
        return wrong("a Decimal");
      case ir::ScalarType::DateTime:
        if (!x->is_string()) return wrong("a DateTime");
        return prisma::DateTime::parse(str(*x));
      case ir::ScalarType::Json:
        if (tag == "Json" && x->is_string()) return prisma::Json(str(*x));
        return prisma::Json(json::serialize(*x));
      case ir::ScalarType::Bytes: {
        if (!x->is_string()) return wrong("Bytes (base64)");
        std::string b64 = str(*x);
        std::string raw(boost::beast::detail::base64::decoded_size(b64.size()), '\0');
        auto [n, used] = boost::beast::detail::base64::decode(raw.data(), b64.data(), b64.size());
        (void)used;
        prisma::Bytes out(n);
        std::memcpy(out.data(), raw.data(), n);
        return out;
      }
    }
  } catch (const QueryError&) {
    throw;
  } catch (const std::exception& e) {
    invalid("Invalid value for argument `" + f.name + "` at `" + path + "`: " + e.what());
  }
  return std::monostate{};
}

// ---- SQL with its parameters ----------------------------------------------------------------

struct Sql {
  bool sqlite;
  std::string text;
  std::vector<Value> params;
  std::string param(Value v) {
    params.push_back(std::move(v));
    return sqlite ? "?" : "$" + std::to_string(params.size());
  }
};

// `self`: how the model's table is named in the statement (its table, or a subquery's alias).
std::string where_sql(const Model& M, const json::value& w, Sql& q, const std::string& path, const std::string& self = {});

std::string field_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                         const std::string& self) {
  std::string col = self + "." + quoted_ident(f.db_name);
  bool plain = !v.is_object() || v.as_object().contains("$type");
  if (plain) {
    if (v.is_null()) return col + " IS NULL";
    return col + " = " + q.param(to_value(*M.s, f, v, path));
  }
  const auto& o = v.as_object();
  bool insensitive = o.contains("mode") && o.at("mode").is_string() && o.at("mode").as_string() == "insensitive";
  std::vector<std::string> parts;
  for (const auto& [key, arg] : o) {
    std::string k(key);
    std::string p = path + "." + k;
    if (k == "mode") continue;
    if (k == "equals") parts.push_back(arg.is_null() ? col + " IS NULL" : col + " = " + q.param(to_value(*M.s, f, arg, p)));
    else if (k == "not") {
      if (arg.is_null()) parts.push_back(col + " IS NOT NULL");
      else if (arg.is_object() && !arg.as_object().contains("$type")) parts.push_back("NOT (" + field_filter(M, f, arg, q, p, self) + ")");
      else parts.push_back("(" + col + " <> " + q.param(to_value(*M.s, f, arg, p)) + " OR " + col + " IS NULL)");
    } else if (k == "in" || k == "notIn") {
      if (!arg.is_array()) invalid("`" + k + "` takes a list at `" + p + "`");
      if (arg.as_array().empty()) {
        parts.push_back(k == "in" ? "1 = 0" : "1 = 1");
        continue;
      }
      std::string list;
      for (const auto& item : arg.as_array()) list += (list.empty() ? "" : ", ") + q.param(to_value(*M.s, f, item, p));
      parts.push_back(col + (k == "in" ? " IN (" : " NOT IN (") + list + ")");
    } else if (k == "lt" || k == "lte" || k == "gt" || k == "gte") {
      const char* op = k == "lt" ? " < " : k == "lte" ? " <= " : k == "gt" ? " > " : " >= ";
      parts.push_back(col + op + q.param(to_value(*M.s, f, arg, p)));
    } else if (k == "contains" || k == "startsWith" || k == "endsWith") {
      if (f.kind != ir::FieldKind::Scalar || f.scalar != ir::ScalarType::String || !arg.is_string())
        invalid("`" + k + "` takes a String on a String field at `" + p + "`");
      std::string pattern = prisma::detail::like_pattern(str(arg), k != "startsWith", k != "endsWith");
      std::string like = insensitive && !q.sqlite ? " ILIKE " : " LIKE ";
      parts.push_back(col + like + q.param(pattern) + " ESCAPE '\\'");
    } else {
      invalid("Unknown filter `" + k + "` at `" + p + "`");
    }
  }
  if (parts.empty()) return "1 = 1";
  std::string out;
  for (const auto& s : parts) out += (out.empty() ? "" : " AND ") + s;
  return parts.size() == 1 ? out : "(" + out + ")";
}

// A relation filter: EXISTS over the related table, correlated on the relation's key.
// to-many: some / every / none; to-one: is / isNot (or the related filter itself, as `is`).
std::string relation_filter(const Model& M, const ir::Field& f, const json::value& v, Sql& q, const std::string& path,
                            const std::string& self) {
  const ir::Relation& r = M.s->relations[f.relation];
  if (r.kind == ir::Relation::Kind::ManyToMany || r.fields.size() != 1)
    invalid("a filter on the relation `" + f.name + "` (many-to-many or over a compound key) at `" + path +
            "` is not served by prisma-cpp's engine yet");
  bool on_a = &M.s->models[r.model_a] == M.m && &M.m->fields[r.field_a] == &f;
  const ir::Model& rm = M.s->models[on_a ? r.model_b : r.model_a];
  Model R{&rm, M.s};
  const ir::Field& local = M.m->fields[on_a ? r.fields[0] : r.references[0]];
  const ir::Field& remote = rm.fields[on_a ? r.references[0] : r.fields[0]];
  static std::atomic<unsigned> counter{0};
  std::string alias = quoted_ident("r" + std::to_string(++counter));
  auto exists = [&](const json::value& inner, bool negate_inner) {
    std::string cond = where_sql(R, inner, q, path, alias);
    return "EXISTS (SELECT 1 FROM " + quoted_ident(rm.db_name) + " AS " + alias + " WHERE " + alias + "." + quoted_ident(remote.db_name) +
           " = " + self + "." + quoted_ident(local.db_name) + " AND " + (negate_inner ? "NOT (" + cond + ")" : "(" + cond + ")") + ")";
  };
  if (!v.is_object() && !v.is_null()) invalid("a relation filter takes an object at `" + path + "`");
  if (f.list) {
    std::vector<std::string> parts;
    for (const auto& [key, arg] : v.as_object()) {
      std::string k(key);
      if (k == "some") parts.push_back(exists(arg, false));
      else if (k == "none") parts.push_back("NOT " + exists(arg, false));
      else if (k == "every") parts.push_back("NOT " + exists(arg, true));
      else invalid("Unknown filter `" + k + "` for the list relation `" + f.name + "` at `" + path + "` (some, every, none)");
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " AND ") + p;
    return out.empty() ? "1 = 1" : out;
  }
  auto is = [&](const json::value& arg, bool negate) -> std::string {
    if (arg.is_null())  // no related row
      return negate ? exists(json::object{}, false) : "NOT " + exists(json::object{}, false);
    return negate ? "NOT " + exists(arg, false) : exists(arg, false);
  };
  if (v.is_null()) return is(v, false);
  const auto& o = v.as_object();
  if (o.contains("is") || o.contains("isNot")) {
    std::vector<std::string> parts;
    for (const auto& [key, arg] : o) {
      std::string k(key);
      if (k == "is") parts.push_back(is(arg, false));
      else if (k == "isNot") parts.push_back(is(arg, true));
      else invalid("Unknown filter `" + k + "` for the relation `" + f.name + "` at `" + path + "` (is, isNot)");
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " AND ") + p;
    return out;
  }
  return is(v, false);
}

std::string where_sql(const Model& M, const json::value& w, Sql& q, const std::string& path, const std::string& self_in) {
  const std::string self = self_in.empty() ? quoted_ident(M.m->db_name) : self_in;
  if (w.is_null()) return "1 = 1";
  if (!w.is_object()) invalid("`where` takes an object at `" + path + "`");
  std::vector<std::string> parts;
  for (const auto& [key, v] : w.as_object()) {
    std::string k(key);
    std::string p = path + "." + k;
    if (k == "AND" || k == "OR" || k == "NOT") {
      std::vector<std::string> subs;
      if (v.is_array())
        for (const auto& item : v.as_array()) subs.push_back(where_sql(M, item, q, p, self));
      else
        subs.push_back(where_sql(M, v, q, p, self));
      std::string joined;
      const char* sep = k == "OR" ? " OR " : " AND ";
      for (const auto& s : subs) joined += (joined.empty() ? "" : sep) + ("(" + s + ")");
      if (k == "OR") parts.push_back(subs.empty() ? "1 = 0" : "(" + joined + ")");
      else if (k == "AND") parts.push_back(subs.empty() ? "1 = 1" : "(" + joined + ")");
      else parts.push_back(subs.empty() ? "1 = 1" : "NOT (" + joined + ")");
      continue;
    }
    if (const ir::Field* rf = M.field(k); rf && rf->kind == ir::FieldKind::Relation) {
      parts.push_back(relation_filter(M, *rf, v, q, p, self));
      continue;
    }
    parts.push_back(field_filter(M, M.scalar(k, p), v, q, p, self));
  }
  std::string out;
  for (const auto& s : parts) out += (out.empty() ? "" : " AND ") + s;
  return out.empty() ? "1 = 1" : out;
}

std::string order_sql(const Model& M, const json::value& o, const std::string& path) {
  std::vector<std::string> parts;
  auto one = [&](const json::object& obj) {
    for (const auto& [key, dir] : obj) {
      const ir::Field& f = M.scalar(std::string(key), path);
      std::string d = dir.is_string() ? str(dir) : dir.is_object() && dir.as_object().contains("sort") ? str(dir.as_object().at("sort")) : "";
      if (d != "asc" && d != "desc") invalid("`orderBy` takes \"asc\" or \"desc\" at `" + path + "." + std::string(key) + "`");
      parts.push_back(quoted_ident(f.db_name) + (d == "asc" ? " ASC" : " DESC"));
    }
  };
  if (o.is_object()) one(o.as_object());
  else if (o.is_array())
    for (const auto& item : o.as_array()) {
      if (!item.is_object()) invalid("`orderBy` takes objects at `" + path + "`");
      one(item.as_object());
    }
  else if (!o.is_null()) invalid("`orderBy` takes an object or a list at `" + path + "`");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// The scalar fields a selection asks for, plus (in `hidden`) the key fields its relation
// selections need to stitch rows together.
std::vector<const ir::Field*> selected(const Model& M, const json::value& sel, const std::string& path,
                                      std::set<std::string>* hidden = nullptr) {
  std::vector<const ir::Field*> out;
  bool all = !sel.is_object() || (sel.as_object().contains("$scalars") && sel.as_object().at("$scalars").as_bool());
  for (const auto& f : M.m->fields) {
    if (f.kind == ir::FieldKind::Relation || f.is_ignored || f.list) continue;
    if (all) out.push_back(&f);
  }
  auto add_hidden = [&](const ir::Field* f) {
    if (std::find(out.begin(), out.end(), f) != out.end()) return;
    out.push_back(f);
    if (hidden) hidden->insert(f->name);
  };
  if (sel.is_object())
    for (const auto& [key, v] : sel.as_object()) {
      std::string k(key);
      if (k == "$scalars" || k == "$composites") continue;
      const ir::Field* f = M.field(k);
      if (!f) invalid("Unknown field `" + k + "` for model `" + M.m->name + "` at `" + path + "." + k + "`");
      if (f->kind == ir::FieldKind::Relation) {
        if (v.is_bool() && !v.as_bool()) continue;
        const ir::Relation& r = M.s->relations[f->relation];
        if (r.kind == ir::Relation::Kind::ManyToMany)
          invalid("the many-to-many relation `" + k + "` at `" + path + "` is not served by prisma-cpp's engine yet");
        if (r.fields.size() != 1)
          invalid("the relation `" + k + "` over a compound key at `" + path + "` is not served by prisma-cpp's engine yet");
        bool on_a = &M.s->models[r.model_a] == M.m && &M.m->fields[r.field_a] == f;
        add_hidden(&M.m->fields[on_a ? r.fields[0] : r.references[0]]);
        continue;
      }
      const ir::Field& sf = M.scalar(k, path + "." + k);
      if (!all && v.is_bool() && v.as_bool() && std::find(out.begin(), out.end(), &sf) == out.end()) out.push_back(&sf);
      if (!all && v.is_bool() && v.as_bool() && hidden) hidden->erase(sf.name);
    }
  if (out.empty()) invalid("the selection at `" + path + "` selects no field");
  return out;
}

std::string columns(const std::vector<const ir::Field*>& fs) {
  std::string out;
  for (const auto* f : fs) out += (out.empty() ? "" : ", ") + quoted_ident(f->db_name);
  return out;
}

// ---- running on a connection ------------------------------------------------------------------

template <class Cursor>
json::value read_field(const ir::Schema& s, const ir::Field& f, Cursor& cur, int col) {
  if (cur.is_null(col)) return nullptr;
  auto tagged = [](const char* type, std::string value) {
    return json::value{{"$type", type}, {"value", std::move(value)}};
  };
  if (f.kind == ir::FieldKind::Enum) {
    std::string db;
    cur.read(col, db);
    for (const auto& ev : s.enums[f.enum_index].values)
      if (ev.db_name == db) return json::value(ev.name);
    return json::value(db);
  }
  switch (f.scalar) {
    case ir::ScalarType::String: {
      std::string v;
      cur.read(col, v);
      return json::value(v);
    }
    case ir::ScalarType::Boolean: {
      bool v = false;
      cur.read(col, v);
      return json::value(v);
    }
    case ir::ScalarType::Int: {
      std::int64_t v = 0;
      cur.read(col, v);
      return json::value(v);
    }
    case ir::ScalarType::BigInt: {
      std::int64_t v = 0;
      cur.read(col, v);
      return tagged("BigInt", std::to_string(v));
    }
    case ir::ScalarType::Float: {
      double v = 0;
      cur.read(col, v);
      return json::value(v);
    }
    case ir::ScalarType::Decimal: {
      prisma::Decimal v;
      cur.read(col, v);
      return tagged("Decimal", v.str());
    }
    case ir::ScalarType::DateTime: {
      prisma::DateTime v;
      cur.read(col, v);
      return tagged("DateTime", v.to_iso(true));
    }
    case ir::ScalarType::Json: {
      prisma::Json v;
      cur.read(col, v);
      return tagged("Json", v.text());
    }
    case ir::ScalarType::Bytes: {
      prisma::Bytes v;
      cur.read(col, v);
      std::string out(boost::beast::detail::base64::encoded_size(v.size()), '\0');
      out.resize(boost::beast::detail::base64::encode(out.data(), v.data(), v.size()));
      return tagged("Bytes", out);
    }
  }
  return nullptr;
}

// One connection of the engine's pool (a lease, or an interactive transaction's), for one request.
struct Db {
  bool sqlite = true;
  prisma::driver::sqlite::Connection* lite = nullptr;
  prisma::driver::postgres::Connection* pg = nullptr;

  template <class F>
  auto with_cursor(const Sql& q, F&& f) {
    if (sqlite) {
      auto cur = lite->cursor(q.text);
      for (std::size_t i = 0; i < q.params.size(); ++i) {
        int n = static_cast<int>(i) + 1;
        std::visit([&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) cur.bind_null(n);
          else cur.bind(n, v);
        }, q.params[i]);
      }
      return f(cur, [&] { return lite->changes(); });
    }
    auto cur = pg->cursor(q.text);
    for (const auto& p : q.params)
      std::visit([&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) cur.null();
        else cur(v);
      }, p);
    return f(cur, [&] { return cur.affected(); });
  }

  json::array rows(const ir::Schema& s, const Sql& q, const std::vector<const ir::Field*>& fields) {
    return with_cursor(q, [&](auto& cur, auto) {
      json::array out;
      while (cur.step()) {
        json::object row;
        for (std::size_t i = 0; i < fields.size(); ++i)
          row[fields[i]->name] = read_field(s, *fields[i], cur, static_cast<int>(i));
        out.push_back(std::move(row));
      }
      return out;
    });
  }
  // Runs a write to its end; the rows it changed.
  std::int64_t count(const Sql& q) {
    return with_cursor(q, [&](auto& cur, auto changes) {
      cur.finish();
      return static_cast<std::int64_t>(changes());
    });
  }
  std::int64_t scalar(const Sql& q) {
    return with_cursor(q, [&](auto& cur, auto) {
      std::int64_t n = 0;
      if (cur.step()) cur.read(0, n);
      return n;
    });
  }
  void exec(const std::string& sql) {
    if (sqlite) lite->exec(sql);
    else pg->exec(sql);
  }
  // body() all or nothing: a transaction (`begin`, or BEGIN IMMEDIATE / BEGIN), or a savepoint when
  // one is open already (begin empty).
  template <class F>
  json::value atomic(F&& body, bool explicit_begin = false) {
    auto run = [&](auto& t) {
      json::value out = body();
      t.commit();
      return out;
    };
    if (sqlite) {
      auto t = explicit_begin ? std::make_unique<prisma::driver::sqlite::Atomic>(*lite, "BEGIN IMMEDIATE")
                              : std::make_unique<prisma::driver::sqlite::Atomic>(*lite);
      return run(*t);
    }
    auto t = explicit_begin ? std::make_unique<prisma::driver::postgres::Atomic>(*pg, "BEGIN")
                            : std::make_unique<prisma::driver::postgres::Atomic>(*pg);
    return run(*t);
  }
};

// The aggregates a selection asks for: _count (with _all), _sum, _avg, _min, _max over scalars.
struct Agg {
  std::string op;          // _count, _sum, _avg, _min, _max
  const ir::Field* field;  // nullptr: _count._all
};

std::vector<Agg> aggregates_of(const Model& M, const json::object& sel, const std::string& path,
                               std::vector<const ir::Field*>* by_fields = nullptr) {
  std::vector<Agg> out;
  for (const auto& [key, v] : sel) {
    std::string op(key);
    if (op != "_count" && op != "_sum" && op != "_avg" && op != "_min" && op != "_max") {
      if (by_fields && v.is_bool() && v.as_bool()) {  // groupBy: a grouped field
        by_fields->push_back(&M.scalar(op, path + "." + op));
        continue;
      }
      invalid("Unknown aggregate `" + op + "` at `" + path + "` (_count, _sum, _avg, _min, _max)");
    }
    const json::value* fields = &v;
    if (v.is_object() && v.as_object().contains("selection")) fields = &v.as_object().at("selection");
    if (v.is_bool() && op == "_count") {
      out.push_back({op, nullptr});
      continue;
    }
    if (!fields->is_object()) invalid("`" + op + "` takes a selection of fields at `" + path + "`");
    for (const auto& [fname, on] : fields->as_object()) {
      if (!on.is_bool() || !on.as_bool()) continue;
      std::string fn(fname);
      if (op == "_count" && fn == "_all") {
        out.push_back({op, nullptr});
        continue;
      }
      const ir::Field& f = M.scalar(fn, path + "." + op + "." + fn);
      bool numeric = f.kind == ir::FieldKind::Scalar &&
                     (f.scalar == ir::ScalarType::Int || f.scalar == ir::ScalarType::BigInt ||
                      f.scalar == ir::ScalarType::Float || f.scalar == ir::ScalarType::Decimal);
      if ((op == "_sum" || op == "_avg") && !numeric)
        invalid("`" + op + "` takes numeric fields, not `" + fn + "` at `" + path + "`");
      out.push_back({op, &f});
    }
  }
  return out;
}

std::string aggregate_sql(const Agg& a) {
  if (!a.field) return "COUNT(*)";
  std::string col = quoted_ident(a.field->db_name);
  if (a.op == "_count") return "COUNT(" + col + ")";
  if (a.op == "_sum") return "SUM(" + col + ")";
  if (a.op == "_avg") return "AVG(" + col + ")";
  return (a.op == "_min" ? "MIN(" : "MAX(") + col + ")";
}

// Reads aggregate `a` at `col` into `out[a.op][field or _all]`, in Prisma's output types.
template <class Cursor>
void read_aggregate(const ir::Schema& s, const Agg& a, Cursor& cur, int col, json::object& out) {
  json::object& group = out[a.op].is_object() ? out[a.op].as_object() : out[a.op].emplace_object();
  std::string name = a.field ? a.field->name : "_all";
  if (a.op == "_count") {
    std::int64_t n = 0;
    if (!cur.is_null(col)) cur.read(col, n);
    group[name] = n;
    return;
  }
  if (cur.is_null(col)) {
    group[name] = nullptr;
    return;
  }
  if (a.op == "_avg" && a.field->scalar != ir::ScalarType::Decimal) {
    double v = 0;
    cur.read(col, v);
    group[name] = v;
    return;
  }
  if (a.op == "_sum" && a.field->scalar == ir::ScalarType::Int) {
    std::int64_t v = 0;
    cur.read(col, v);
    group[name] = v;
    return;
  }
  group[name] = read_field(s, *a.field, cur, col);
}

}  // namespace

struct Engine::Impl {
  ir::Schema schema;
  bool sqlite = true;
  // Prisma's metrics for /metrics (query counts and durations, the pool's gauges)
  std::unique_ptr<prisma::detail::Instrumentation> instr =
      std::make_unique<prisma::detail::Instrumentation>(prisma::ClientOptions{.metrics = true});
  std::unique_ptr<prisma::driver::sqlite::Pool> lpool;
  std::unique_ptr<prisma::driver::postgres::Pool> ppool;

  // An interactive transaction: its connection, held until commit, rollback or the timeout.
  struct Tx {
    std::mutex m;  // one request at a time on the transaction's connection
    std::optional<prisma::driver::sqlite::Pool::Lease> llease;
    std::optional<prisma::driver::postgres::Pool::Lease> please;
    std::unique_ptr<prisma::driver::sqlite::Atomic> latomic;
    std::unique_ptr<prisma::driver::postgres::Atomic> patomic;
    std::chrono::steady_clock::time_point started, deadline;
    std::chrono::milliseconds timeout{5000};
    Db db() {
      Db d;
      d.sqlite = llease.has_value();
      if (llease) d.lite = &**llease;
      else d.pg = &**please;
      return d;
    }
    void end(bool commit) {
      if (commit) {
        if (latomic) latomic->commit();
        if (patomic) patomic->commit();
      }
      latomic.reset();  // rolls back unless committed, before the connection goes back
      patomic.reset();
      llease.reset();
      please.reset();
    }
  };
  std::mutex txs_mu;
  std::map<std::string, std::shared_ptr<Tx>> txs;

  // A lease on a pooled connection for one request.
  template <class F>
  auto with_db(F&& f) {
    if (sqlite) {
      auto lease = lpool->acquire();
      Db d{true, &*lease, nullptr};
      return f(d);
    }
    auto lease = ppool->acquire();
    Db d{false, nullptr, &*lease};
    return f(d);
  }

  const ir::Model* model(const std::string& name) {
    for (const auto& m : schema.models)
      if (m.name == name) return &m;
    return nullptr;
  }

  // A value the client fills in: now(), uuid(), cuid(), nanoid(), ulid(), @updatedAt.
  static std::optional<Value> client_default(const ir::Field& f) {
    if (f.is_updated_at) return prisma::DateTime::now();
    if (!f.default_value) return std::nullopt;
    using K = ir::DefaultValue::Kind;
    switch (f.default_value->kind) {
      case K::Now: return prisma::DateTime::now();
      case K::Uuid: return f.default_value->version == 7 ? prisma::ids::uuid_v7() : prisma::ids::uuid_v4();
      case K::Cuid: return prisma::ids::cuid();
      case K::Nanoid: return prisma::ids::nanoid(static_cast<std::size_t>(f.default_value->length.value_or(21)));
      case K::Ulid: return prisma::ids::ulid();
      default: return std::nullopt;
    }
  }

  // Loads the relation selections of `sel` into `rows` (one query per relation and level, WHERE key
  // IN (...), as the typed client's include), then drops the key fields only loaded for that.
  void attach(Db& db, const Model& M, json::array& rows, const json::value& sel, const std::set<std::string>& hidden,
              const std::string& path) {
    if (sel.is_object() && !rows.empty())
      for (const auto& [key, v] : sel.as_object()) {
        const ir::Field* f = M.field(std::string(key));
        if (!f || f->kind != ir::FieldKind::Relation || (v.is_bool() && !v.as_bool())) continue;
        std::string p = path + "." + std::string(key);
        const ir::Relation& r = schema.relations[f->relation];
        bool on_a = &schema.models[r.model_a] == M.m && &M.m->fields[r.field_a] == f;
        const ir::Field& local = M.m->fields[on_a ? r.fields[0] : r.references[0]];
        const ir::Model& rm = schema.models[on_a ? r.model_b : r.model_a];
        Model R{&rm, &schema};
        const ir::Field& remote = rm.fields[on_a ? r.references[0] : r.fields[0]];
        bool many = f->list;
        json::object args;
        json::value child_sel = json::object{{"$scalars", true}};
        if (v.is_object()) {
          const auto& o = v.as_object();
          if (auto* a = o.if_contains("arguments"); a && a->is_object()) args = a->as_object();
          if (auto* s2 = o.if_contains("selection")) child_sel = *s2;
        }
        for (const auto& [ak, av] : args) {
          static const std::set<std::string> known = {"where", "orderBy", "take", "skip"};
          if (!known.count(std::string(ak))) invalid("Unknown argument `" + std::string(ak) + "` at `" + p + "`");
          (void)av;
        }
        std::set<std::string> child_hidden;
        auto fs = selected(R, child_sel, p + ".selection", &child_hidden);
        if (std::find(fs.begin(), fs.end(), &remote) == fs.end()) {
          fs.push_back(&remote);
          child_hidden.insert(remote.name);
        }
        Sql sql{db.sqlite, "", {}};
        std::string list;
        std::set<std::string> seen;
        for (const auto& row : rows) {
          const json::value& kv = row.as_object().at(local.name);
          if (kv.is_null() || !seen.insert(json::serialize(kv)).second) continue;
          list += (list.empty() ? "" : ", ") + sql.param(to_value(schema, local, kv, p));
        }
        json::array children;
        if (!list.empty()) {
          sql.text = "SELECT " + columns(fs) + " FROM " + quoted_ident(rm.db_name) + " WHERE " + quoted_ident(remote.db_name) + " IN (" +
                     list + ")";
          if (args.contains("where")) sql.text += " AND (" + where_sql(R, args.at("where"), sql, p + ".where") + ")";
          if (args.contains("orderBy"))
            if (auto o = order_sql(R, args.at("orderBy"), p + ".orderBy"); !o.empty()) sql.text += " ORDER BY " + o;
          children = db.rows(schema, sql, fs);
          attach(db, R, children, child_sel, child_hidden, p + ".selection");
        }
        std::int64_t take = -1, skip = 0;
        if (auto* t = args.if_contains("take"); t && t->is_int64()) take = t->as_int64();
        if (auto* k = args.if_contains("skip"); k && k->is_int64()) skip = k->as_int64();
        std::map<std::string, json::array> by_key;
        for (auto& c : children) {
          json::object& co = c.as_object();
          std::string k = json::serialize(co.at(remote.name));
          if (child_hidden.count(remote.name)) co.erase(remote.name);
          by_key[k].push_back(std::move(c));
        }
        for (auto& row : rows) {
          json::object& ro = row.as_object();
          const json::value& kv = ro.at(local.name);
          auto it = kv.is_null() ? by_key.end() : by_key.find(json::serialize(kv));
          if (many) {
            json::array group;
            if (it != by_key.end()) {
              std::int64_t i = 0;
              for (const auto& c : it->second) {
                if (i++ < skip) continue;
                if (take >= 0 && static_cast<std::int64_t>(group.size()) >= take) break;
                group.push_back(c);
              }
            }
            ro[f->name] = std::move(group);
          } else {
            ro[f->name] = it == by_key.end() || it->second.empty() ? json::value(nullptr) : it->second.front();
          }
        }
      }
    for (auto& row : rows)
      for (const auto& h : hidden) row.as_object().erase(h);
  }

  // queryRaw / executeRaw: the SQL as given (the raw API says so: only its parameters are bound).
  json::value raw(Db& db, const std::string& action, const json::object& query) {
    json::object args;
    if (auto* q = query.if_contains("query"); q && q->is_object())
      if (auto* a = q->as_object().if_contains("arguments"); a && a->is_object()) args = a->as_object();
    if (!args.contains("query") || !args.at("query").is_string()) invalid("`" + action + "` needs `query`, the SQL text");
    Sql sql{db.sqlite, str(args.at("query")), {}};
    json::value params = json::array{};
    if (auto* p = args.if_contains("parameters")) params = p->is_string() ? json::parse(p->as_string()) : *p;
    if (!params.is_array()) invalid("`parameters` is a list (or its JSON text)");
    for (const auto& v : params.as_array()) {
      if (v.is_null()) sql.params.emplace_back(std::monostate{});
      else if (v.is_bool()) sql.params.emplace_back(v.as_bool());
      else if (v.is_int64()) sql.params.emplace_back(v.as_int64());
      else if (v.is_uint64()) sql.params.emplace_back(static_cast<std::int64_t>(v.as_uint64()));
      else if (v.is_double()) sql.params.emplace_back(v.as_double());
      else if (v.is_string()) sql.params.emplace_back(str(v));
      else if (v.is_object() && v.as_object().contains("$type")) {
        std::string t = str(v.as_object().at("$type"));
        const json::value& x = v.as_object().at("value");
        if (t == "DateTime") sql.params.emplace_back(prisma::DateTime::parse(str(x)));
        else if (t == "BigInt") sql.params.emplace_back(static_cast<std::int64_t>(std::stoll(str(x))));
        else if (t == "Decimal") sql.params.emplace_back(prisma::Decimal(str(x)));
        else if (t == "Json") sql.params.emplace_back(prisma::Json(x.is_string() ? str(x) : json::serialize(x)));
        else sql.params.emplace_back(str(x));
      } else {
        sql.params.emplace_back(prisma::Json(json::serialize(v)));
      }
    }
    if (action == "executeRaw") return db.count(sql);
    return db.with_cursor(sql, [&](auto& cur, auto) {
      json::array columns, types, rows;
      bool first = true;
      while (cur.step()) {
        int n = cur.column_count();
        if (first) {
          for (int c = 0; c < n; ++c) {
            columns.emplace_back(std::string(cur.column_name(c)));
            types.emplace_back("unknown");
          }
          first = false;
        }
        json::array row;
        for (int c = 0; c < n; ++c) {
          json::value cell;
          std::string type;
          if (cur.is_null(c)) cell = nullptr;
          else if (!db.sqlite && cur.template fits<bool>(c)) {
            bool b = false;
            cur.read(c, b);
            cell = b, type = "bool";
          } else if (cur.template fits<std::int64_t>(c)) {
            std::int64_t i = 0;
            cur.read(c, i);
            cell = i, type = "bigint";
          } else if (cur.template fits<double>(c)) {
            double d = 0;
            cur.read(c, d);
            cell = d, type = "double";
          } else if (cur.template fits<prisma::Bytes>(c)) {
            prisma::Bytes b;
            cur.read(c, b);
            std::string out(boost::beast::detail::base64::encoded_size(b.size()), '\0');
            out.resize(boost::beast::detail::base64::encode(out.data(), b.data(), b.size()));
            cell = out, type = "bytes";
          } else {
            std::string t;
            cur.read(c, t);
            cell = t, type = "string";
          }
          if (!type.empty() && types[static_cast<std::size_t>(c)] == "unknown") types[static_cast<std::size_t>(c)] = type;
          row.push_back(std::move(cell));
        }
        rows.push_back(std::move(row));
      }
      return json::value(json::object{{"columns", columns}, {"types", types}, {"rows", rows}});
    });
  }

  // A query of this engine's own, on another model.
  json::value sub(Db& db, const std::string& model, const char* action, json::object args, json::value selection) {
    json::object q{{"modelName", model}, {"action", action},
                   {"query", json::object{{"arguments", std::move(args)}, {"selection", std::move(selection)}}}};
    return run(db, q);
  }

  // createOne with nested writes, all in one transaction: a to-one relation whose key this row
  // holds takes `connect` (the related row's key) or `create` (made first); a list (or back)
  // relation takes `create` (children made after, pointing here) or `connect` (children updated to
  // point here). One-to-many and one-to-one over single-column keys.
  json::value nested_create(Db& db, const Model& M, const json::object& data, const json::value& selection,
                            const std::string& path) {
    return db.atomic([&]() -> json::value {
      json::object scalars;
      std::vector<std::pair<const ir::Field*, const json::value*>> later;
      for (const auto& [key, v] : data) {
        std::string k(key);
        std::string p = path + ".data." + k;
        const ir::Field* f = M.field(k);
        if (!f || f->kind != ir::FieldKind::Relation) {
          scalars[k] = v;
          continue;
        }
        const ir::Relation& r = schema.relations[f->relation];
        if (r.kind == ir::Relation::Kind::ManyToMany || r.fields.size() != 1)
          invalid("nested writes on the relation `" + k + "` (many-to-many or a compound key) at `" + p +
                  "` are not served by prisma-cpp's engine yet");
        if (!v.is_object()) invalid("a nested write takes an object (create, connect) at `" + p + "`");
        for (const auto& [op, arg] : v.as_object())
          if (op != "create" && op != "connect")
            invalid("the nested write `" + std::string(op) + "` at `" + p + "` is not served by prisma-cpp's engine yet (create, connect)");
        bool on_a = &schema.models[r.model_a] == M.m && &M.m->fields[r.field_a] == f;
        if (!on_a) {
          later.emplace_back(f, &v);
          continue;
        }
        // this row holds the key: the related row first
        const ir::Model& pm = schema.models[r.model_b];
        const ir::Field& ref = pm.fields[r.references[0]];
        const ir::Field& fk = M.m->fields[r.fields[0]];
        json::value related;
        if (auto* c = v.as_object().if_contains("create"))
          related = sub(db, pm.name, "createOne", json::object{{"data", *c}}, json::object{{ref.name, true}});
        else {
          related = sub(db, pm.name, "findFirst", json::object{{"where", v.as_object().at("connect")}}, json::object{{ref.name, true}});
          if (related.is_null())
            throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not "
                                      "found. No '" + pm.name + "' record was found for a nested connect on `" + p + "`.",
                             json::object{{"modelName", M.m->name}});
        }
        scalars[fk.name] = related.as_object().at(ref.name);
      }
      json::value row = sub(db, M.m->name, "createOne", json::object{{"data", scalars}}, json::object{{"$scalars", true}});
      for (const auto& [f, v] : later) {
        const ir::Relation& r = schema.relations[f->relation];
        const ir::Model& cm = schema.models[r.model_a];
        const ir::Field& fk = cm.fields[r.fields[0]];
        const ir::Field& key = M.m->fields[r.references[0]];
        const json::value& kv = row.as_object().at(key.name);
        auto items = [](const json::value& x) { return x.is_array() ? x.as_array() : json::array{x}; };
        if (auto* c = v->as_object().if_contains("create"))
          for (const auto& item : items(*c)) {
            if (!item.is_object()) invalid("a nested create takes objects");
            json::object child = item.as_object();
            child[fk.name] = kv;
            sub(db, cm.name, "createOne", json::object{{"data", child}}, json::object{{fk.name, true}});
          }
        if (auto* c = v->as_object().if_contains("connect"))
          for (const auto& where : items(*c))
            sub(db, cm.name, "updateOne", json::object{{"where", where}, {"data", json::object{{fk.name, kv}}}},
                json::object{{fk.name, true}});
      }
      // the row as asked for, relations included
      if (!M.m->primary_key || M.m->primary_key->fields.empty()) return row;
      json::object where;
      for (const auto& pk : M.m->primary_key->fields) {
        const ir::Field& id = M.m->fields[pk.field];
        where[id.name] = row.as_object().at(id.name);
      }
      return sub(db, M.m->name, "findFirst", json::object{{"where", where}}, selection);
    });
  }

  json::value run(Db& db, const json::object& query) {
    if (auto* a = query.if_contains("action"); a && a->is_string() && (a->as_string() == "queryRaw" || a->as_string() == "executeRaw"))
      return raw(db, str(*a), query);
    if (!query.contains("modelName") || !query.contains("action"))
      invalid("a query needs `modelName` and `action`");
    std::string model_name = str(query.at("modelName"));
    std::string action = str(query.at("action"));
    const ir::Model* m = model(model_name);
    if (!m) invalid("Unknown model `" + model_name + "`");
    Model M{m, &schema};
    json::object q = query.contains("query") && query.at("query").is_object() ? query.at("query").as_object() : json::object{};
    json::object args = q.contains("arguments") && q.at("arguments").is_object() ? q.at("arguments").as_object() : json::object{};
    json::value selection = q.contains("selection") ? q.at("selection") : json::value(json::object{{"$scalars", true}});
    std::string path = "Query." + action + model_name;
    std::string table = quoted_ident(m->db_name);
    for (const auto& [key, v] : args) {
      static const std::set<std::string> known = {"where", "orderBy", "take", "skip", "data", "cursor", "distinct",
                                                  "create", "update", "skipDuplicates", "by", "having"};
      if (!known.count(std::string(key))) invalid("Unknown argument `" + std::string(key) + "` at `" + path + "`");
      if (key == "cursor" || key == "distinct")
        invalid("`" + std::string(key) + "` is not served by prisma-cpp's engine yet at `" + path + "`");
    }
    Sql sql{db.sqlite, "", {}};
    auto where_of = [&] { return args.contains("where") ? where_sql(M, args.at("where"), sql, path + ".where") : std::string("1 = 1"); };
    std::set<std::string> hidden;
    auto fields = [&] { return selected(M, selection, path + ".selection", &hidden); };
    // relations of the selection, loaded into the rows (or the one row)
    auto finish = [&](json::array rows) {
      attach(db, M, rows, selection, hidden, path + ".selection");
      return rows;
    };
    auto finish_one = [&](json::value row) -> json::value {
      if (row.is_null()) return row;
      return finish(json::array{row}).at(0);
    };

    if (action == "findMany" || action == "findFirst" || action == "findFirstOrThrow" || action == "findUnique" ||
        action == "findUniqueOrThrow") {
      auto fs = fields();
      sql.text = "SELECT " + columns(fs) + " FROM " + table + " WHERE " + where_of();
      if (args.contains("orderBy"))
        if (auto o = order_sql(M, args.at("orderBy"), path + ".orderBy"); !o.empty()) sql.text += " ORDER BY " + o;
      bool many = action == "findMany";
      std::int64_t take = -1, skip = 0;
      if (args.contains("take")) {
        if (!args.at("take").is_int64()) invalid("`take` takes an Int at `" + path + "`");
        take = args.at("take").as_int64();
        if (take < 0) invalid("a negative `take` is not served by prisma-cpp's engine yet at `" + path + "`");
      }
      if (args.contains("skip")) {
        if (!args.at("skip").is_int64() || args.at("skip").as_int64() < 0) invalid("`skip` takes an Int >= 0 at `" + path + "`");
        skip = args.at("skip").as_int64();
      }
      if (!many) take = 1;
      if (take >= 0) sql.text += " LIMIT " + sql.param(take);
      else if (skip > 0 && db.sqlite) sql.text += " LIMIT -1";  // SQLite's OFFSET needs a LIMIT
      if (skip > 0) sql.text += " OFFSET " + sql.param(skip);
      auto rows = finish(db.rows(schema, sql, fs));
      if (many) return rows;
      if (rows.empty()) {
        if (action.find("OrThrow") != std::string::npos)
          throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. No record was found for a query.",
                           json::object{{"modelName", model_name}});
        return nullptr;
      }
      return rows[0];
    }
    if (action == "aggregate" || action == "groupBy") {
      if (!selection.is_object()) invalid("`" + action + "` needs a selection at `" + path + "`");
      bool group = action == "groupBy";
      std::vector<const ir::Field*> by;
      auto aggs = aggregates_of(M, selection.as_object(), path + ".selection", group ? &by : nullptr);
      if (group) {
        if (!args.contains("by") || !args.at("by").is_array()) invalid("groupBy needs `by`, a list of fields, at `" + path + "`");
        for (const auto& b : args.at("by").as_array()) {
          const ir::Field& f = M.scalar(str(b), path + ".by");
          if (std::find(by.begin(), by.end(), &f) == by.end()) by.push_back(&f);
        }
        if (args.contains("having")) invalid("`having` is not served by prisma-cpp's engine yet at `" + path + "`");
      }
      std::string cols;
      for (const auto* f : by) cols += (cols.empty() ? "" : ", ") + quoted_ident(f->db_name);
      for (const auto& a : aggs) cols += (cols.empty() ? "" : ", ") + aggregate_sql(a);
      if (cols.empty()) invalid("the selection at `" + path + "` asks for nothing");
      sql.text = "SELECT " + cols + " FROM " + table + " WHERE " + where_of();
      if (group) {
        std::string g;
        for (const auto* f : by) g += (g.empty() ? "" : ", ") + quoted_ident(f->db_name);
        sql.text += " GROUP BY " + g;
        if (args.contains("orderBy"))
          if (auto o = order_sql(M, args.at("orderBy"), path + ".orderBy"); !o.empty()) sql.text += " ORDER BY " + o;
        if (auto* t = args.if_contains("take"); t && t->is_int64()) sql.text += " LIMIT " + sql.param(t->as_int64());
        else if (args.contains("skip") && db.sqlite) sql.text += " LIMIT -1";
        if (auto* k = args.if_contains("skip"); k && k->is_int64()) sql.text += " OFFSET " + sql.param(k->as_int64());
      }
      json::array out = db.with_cursor(sql, [&](auto& cur, auto) {
        json::array rows;
        while (cur.step()) {
          json::object row;
          int col = 0;
          for (const auto* f : by) row[f->name] = read_field(schema, *f, cur, col++);
          for (const auto& a : aggs) read_aggregate(schema, a, cur, col++, row);
          rows.push_back(std::move(row));
        }
        return rows;
      });
      if (group) return out;
      return out.empty() ? json::value(json::object{}) : out[0];
    }
    if (action == "createOne" && args.contains("data") && args.at("data").is_object()) {
      bool nested = false;
      for (const auto& [key, v] : args.at("data").as_object()) {
        const ir::Field* f = M.field(std::string(key));
        nested = nested || (f && f->kind == ir::FieldKind::Relation);
      }
      if (nested) return nested_create(db, M, args.at("data").as_object(), selection, path);
    }
    if (action == "createOne" || action == "updateOne" || action == "updateMany") {
      if (!args.contains("data") || !args.at("data").is_object()) invalid("`data` is required at `" + path + "`");
      const auto& data = args.at("data").as_object();
      std::vector<std::pair<const ir::Field*, std::string>> sets;  // field, SQL value expression
      std::set<std::string> given;
      bool create = action == "createOne";
      for (const auto& [key, v] : data) {
        std::string k(key);
        std::string p = path + ".data." + k;
        const ir::Field& f = M.scalar(k, p);
        given.insert(f.name);
        if (!create && v.is_object() && !v.as_object().contains("$type")) {
          const auto& op = v.as_object();
          if (op.size() != 1) invalid("one update operation per field at `" + p + "`");
          std::string name(op.begin()->key());
          const json::value& arg = op.begin()->value();
          std::string col = quoted_ident(f.db_name);
          if (name == "set") sets.emplace_back(&f, sql.param(to_value(schema, f, arg, p)));
          else if (name == "increment") sets.emplace_back(&f, col + " + " + sql.param(to_value(schema, f, arg, p)));
          else if (name == "decrement") sets.emplace_back(&f, col + " - " + sql.param(to_value(schema, f, arg, p)));
          else if (name == "multiply") sets.emplace_back(&f, col + " * " + sql.param(to_value(schema, f, arg, p)));
          else if (name == "divide") sets.emplace_back(&f, col + " / " + sql.param(to_value(schema, f, arg, p)));
          else invalid("Unknown update operation `" + name + "` at `" + p + "`");
          continue;
        }
        sets.emplace_back(&f, sql.param(to_value(schema, f, v, p)));
      }
      for (const auto& f : m->fields) {
        if (f.kind == ir::FieldKind::Relation || given.count(f.name)) continue;
        if (create) {
          if (auto d = client_default(f)) sets.emplace_back(&f, sql.param(*d));
        } else if (f.is_updated_at) {
          sets.emplace_back(&f, sql.param(prisma::DateTime::now()));
        }
      }
      if (create) {
        auto fs = fields();
        if (sets.empty()) {
          sql.text = "INSERT INTO " + table + " DEFAULT VALUES RETURNING " + columns(fs);
        } else {
          std::string cols, vals;
          for (const auto& [f, expr] : sets) {
            cols += (cols.empty() ? "" : ", ") + quoted_ident(f->db_name);
            vals += (vals.empty() ? "" : ", ") + expr;
          }
          sql.text = "INSERT INTO " + table + " (" + cols + ") VALUES (" + vals + ") RETURNING " + columns(fs);
        }
        return finish_one(db.rows(schema, sql, fs).at(0));
      }
      if (sets.empty()) invalid("`data` sets no field at `" + path + "`");
      std::string assigns;
      for (const auto& [f, expr] : sets) assigns += (assigns.empty() ? "" : ", ") + quoted_ident(f->db_name) + " = " + expr;
      std::string head = "UPDATE " + table + " SET " + assigns + " WHERE ";
      if (action == "updateMany") {
        sql.text = head + where_of();
        return json::object{{"count", db.count(sql)}};
      }
      auto fs = fields();
      sql.text = head + where_of() + " RETURNING " + columns(fs);
      auto rows = db.rows(schema, sql, fs);
      if (rows.empty())
        throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. Record to update not found.",
                         json::object{{"modelName", model_name}, {"cause", "Record to update not found."}});
      return finish_one(rows[0]);
    }
    if (action == "upsertOne") {
      // in one transaction (a savepoint inside another): update the row the unique `where` names,
      // else create it
      for (const char* k : {"where", "create", "update"})
        if (!args.contains(k)) invalid(std::string("`") + k + "` is required at `" + path + "`");
      auto sub = [&](const char* sub_action, json::object sub_args) {
        json::object q2{{"modelName", model_name}, {"action", sub_action},
                        {"query", json::object{{"arguments", std::move(sub_args)}, {"selection", selection}}}};
        return run(db, q2);
      };
      auto body = [&]() -> json::value {
        json::value found = sub("findFirst", json::object{{"where", args.at("where")}});
        if (!found.is_null()) return sub("updateOne", json::object{{"where", args.at("where")}, {"data", args.at("update")}});
        return sub("createOne", json::object{{"data", args.at("create")}});
      };
      return db.atomic(body);
    }
    if (action == "createMany" || action == "createManyAndReturn") {
      if (!args.contains("data")) invalid("`data` is required at `" + path + "`");
      json::array rows;
      if (args.at("data").is_array()) rows = args.at("data").as_array();
      else rows.push_back(args.at("data"));
      bool skip = false;
      if (auto* sd = args.if_contains("skipDuplicates"); sd && sd->is_bool()) skip = sd->as_bool();
      auto body = [&]() -> json::value {
        json::array made;
        std::int64_t n = 0;
        for (const auto& row : rows) {
          json::object q2{{"modelName", model_name}, {"action", "createOne"},
                          {"query", json::object{{"arguments", json::object{{"data", row}}}, {"selection", selection}}}};
          if (!skip) {
            made.push_back(run(db, q2));
            ++n;
            continue;
          }
          // skipDuplicates: each row in a savepoint, a unique violation skips it
          try {
            made.push_back(db.atomic([&] { return run(db, q2); }));
            ++n;
          } catch (const prisma::UniqueConstraintViolation&) {
          }
        }
        if (action == "createMany") return json::object{{"count", n}};
        return made;
      };
      return db.atomic(body);
    }
    if (action == "deleteOne") {
      auto fs = fields();
      sql.text = "DELETE FROM " + table + " WHERE " + where_of() + " RETURNING " + columns(fs);
      auto rows = db.rows(schema, sql, fs);
      if (rows.empty())
        throw QueryError("P2025", "An operation failed because it depends on one or more records that were required but not found. Record to delete does not exist.",
                         json::object{{"modelName", model_name}, {"cause", "Record to delete does not exist."}});
      return finish_one(rows[0]);
    }
    if (action == "deleteMany") {
      sql.text = "DELETE FROM " + table + " WHERE " + where_of();
      return json::object{{"count", db.count(sql)}};
    }
    invalid("the action `" + action + "` is not served by prisma-cpp's engine yet");
  }

  static json::value error_response(const std::string& code, const std::string& message, const json::object& meta) {
    json::object ufe{{"is_panic", false}, {"message", message}, {"meta", meta}, {"error_code", code}};
    return json::object{{"errors", json::array{json::object{{"error", message}, {"user_facing_error", ufe}}}}};
  }

  json::value one(Db& db, const json::object& query) {
    std::string key = (query.contains("action") && query.at("action").is_string() ? str(query.at("action")) : "") +
                      (query.contains("modelName") && query.at("modelName").is_string() ? str(query.at("modelName")) : "");
    return json::object{{"data", json::object{{key, run(db, query)}}}};
  }
};

Engine::Engine(ir::Schema schema, const std::string& url, const std::string& base_dir, std::size_t connections)
    : impl_(std::make_unique<Impl>()) {
  impl_->schema = std::move(schema);
  prisma::driver::PoolOptions pool;
  pool.size = connections;
  if (url.rfind("file:", 0) == 0 || url.rfind("sqlite:", 0) == 0) {
    impl_->sqlite = true;
    auto parsed = prisma::detail::sqlite_url_options(url);
    if (connections) parsed.pool.size = connections;
    impl_->lpool = std::make_unique<prisma::driver::sqlite::Pool>(prisma::detail::sqlite_path(url, base_dir),
                                                                  parsed.connection, parsed.pool);
    impl_->lpool->set_hook(impl_->instr.get());
    impl_->lpool->acquire();  // fail now rather than at the first query
  } else if (url.rfind("postgres", 0) == 0) {
    impl_->sqlite = false;
    auto parsed = prisma::detail::parse_postgres_url(url);
    if (connections) parsed.pool.size = connections;
    impl_->ppool = std::make_unique<prisma::driver::postgres::Pool>(parsed.conninfo, parsed.pool);
    impl_->ppool->set_hook(impl_->instr.get());
    impl_->ppool->acquire();
  } else {
    throw prisma::ConnectionError("P1013", "The database URL is neither file: nor postgresql://");
  }
}

Engine::~Engine() = default;

bool Engine::reachable() {
  try {
    impl_->with_db([](Db& db) {
      db.exec("SELECT 1");
      return 0;
    });
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

namespace {
json::value closed_error(const std::string& id) {
  return json::object{{"errors", json::array{json::object{
      {"error", "Transaction not found"},
      {"user_facing_error",
       json::object{{"is_panic", false},
                    {"message", "Transaction API error: Transaction not found. Transaction ID is invalid, refers to an "
                                "old closed transaction Prisma doesn't have information about anymore, or was "
                                "obtained before disconnecting: " + id},
                    {"meta", json::object{}},
                    {"error_code", "P2028"}}}}}}};
}
}  // namespace

json::value Engine::start_transaction(std::chrono::milliseconds timeout) {
  sweep();
  auto tx = std::make_shared<Impl::Tx>();
  tx->timeout = timeout;
  tx->started = std::chrono::steady_clock::now();
  tx->deadline = tx->started + timeout;
  try {
    if (impl_->sqlite) {
      tx->llease.emplace(impl_->lpool->acquire());
      tx->latomic = std::make_unique<prisma::driver::sqlite::Atomic>(**tx->llease, "BEGIN IMMEDIATE");
    } else {
      tx->please.emplace(impl_->ppool->acquire());
      tx->patomic = std::make_unique<prisma::driver::postgres::Atomic>(**tx->please, "BEGIN");
    }
  } catch (const prisma::Error& e) {
    return Impl::error_response(e.code(), e.what(), {});
  }
  std::string id = prisma::ids::uuid_v4();
  std::lock_guard lock(impl_->txs_mu);
  impl_->txs[id] = tx;
  return json::object{{"id", id}};
}

json::value Engine::end_transaction(const std::string& id, bool commit) {
  std::shared_ptr<Impl::Tx> tx;
  {
    std::lock_guard lock(impl_->txs_mu);
    auto it = impl_->txs.find(id);
    if (it == impl_->txs.end()) return closed_error(id);
    tx = it->second;
    impl_->txs.erase(it);
  }
  std::lock_guard lock(tx->m);
  if (std::chrono::steady_clock::now() > tx->deadline) {
    tx->end(false);
    return Impl::error_response("P2028", "Transaction already closed: the transaction ran past its timeout of " +
                                             std::to_string(tx->timeout.count()) + " ms and was rolled back", {});
  }
  try {
    tx->end(commit);
  } catch (const prisma::Error& e) {
    return Impl::error_response(e.code().empty() ? "P2034" : e.code(), e.what(), {});
  }
  return json::object{};
}

std::string Engine::metrics_prometheus() {
  auto stats = impl_->sqlite ? impl_->lpool->stats() : impl_->ppool->stats();
  return impl_->instr->snapshot(stats).prometheus();
}

void Engine::sweep() {
  std::vector<std::shared_ptr<Impl::Tx>> expired;
  {
    std::lock_guard lock(impl_->txs_mu);
    auto now = std::chrono::steady_clock::now();
    for (auto it = impl_->txs.begin(); it != impl_->txs.end();) {
      if (now > it->second->deadline) {
        expired.push_back(it->second);
        it = impl_->txs.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& tx : expired) {
    std::lock_guard lock(tx->m);
    tx->end(false);  // rolled back: the connection (and SQLite's write turn) go back
  }
}

json::value Engine::execute(const json::value& request, const std::string& tx_id) {
  try {
    if (!request.is_object()) invalid("a request is a JSON object");
    const auto& r = request.as_object();
    auto run_batch = [&](Db& db, bool own_tx) -> json::value {
      if (!r.at("batch").is_array()) invalid("`batch` is a list of queries");
      auto body = [&]() {
        json::array results;
        for (const auto& q : r.at("batch").as_array()) {
          if (!q.is_object()) invalid("each query of a batch is an object");
          results.push_back(impl_->one(db, q.as_object()));
        }
        return json::value(json::object{{"batchResult", results}});
      };
      if (!own_tx) return body();
      return db.atomic(body, /*explicit_begin=*/true);
    };
    if (!tx_id.empty()) {
      std::shared_ptr<Impl::Tx> tx;
      {
        std::lock_guard lock(impl_->txs_mu);
        auto it = impl_->txs.find(tx_id);
        if (it == impl_->txs.end()) return closed_error(tx_id);
        tx = it->second;
      }
      std::lock_guard lock(tx->m);
      if (!tx->latomic && !tx->patomic) return closed_error(tx_id);
      if (std::chrono::steady_clock::now() > tx->deadline) {
        sweep();
        return Impl::error_response("P2028", "Transaction already closed: A query cannot be executed on an expired "
                                             "transaction. The timeout for this transaction was " +
                                                 std::to_string(tx->timeout.count()) + " ms",
                                    {});
      }
      Db db = tx->db();
      if (r.contains("batch")) return run_batch(db, false);
      return impl_->one(db, r);
    }
    return impl_->with_db([&](Db& db) -> json::value {
      if (r.contains("batch")) return run_batch(db, r.contains("transaction"));
      return impl_->one(db, r);
    });
  } catch (const QueryError& e) {
    return Impl::error_response(e.code, e.what(), e.meta);
  } catch (const prisma::UniqueConstraintViolation& e) {
    json::array target;
    for (const auto& f : e.fields()) target.push_back(json::value(f));
    return Impl::error_response("P2002", std::string("Unique constraint failed on the fields: ") + e.what(),
                                json::object{{"target", target}});
  } catch (const prisma::Error& e) {
    return Impl::error_response(e.code().empty() ? "P2010" : e.code(), e.what(), {});
  } catch (const std::exception& e) {
    return Impl::error_response("P2009", std::string("Failed to validate the query: ") + e.what(), {});
  }
}

}  // namespace prisma_cpp::serve
