// @default: the value's shape checked against the field type when attributes are read, then the
// literal itself parsed (integers, dates, JSON, base64...) once the schema is otherwise valid.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

using Kind = ir::DefaultValue::Kind;

ir::DefaultValue of_kind(Kind k) {
  ir::DefaultValue d;
  d.kind = k;
  return d;
}

bool known_function(const std::string& f) {
  return f == "autoincrement" || f == "cuid" || f == "dbgenerated" || f == "nanoid" || f == "now" ||
         f == "uuid" || f == "ulid" || f == "auto";
}

// One positional integer argument, or none.
std::optional<std::optional<long long>> int_arg(const ast::Expr& fn) {
  if (fn.args.empty()) return std::optional<long long>{};
  if (fn.args.size() != 1 || fn.args[0].name || !fn.args[0].value ||
      fn.args[0].value->kind != ast::Expr::Kind::Number)
    return std::nullopt;
  long long v = 0;
  const std::string& t = fn.args[0].value->text;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return std::nullopt;
  return std::optional<long long>{v};
}

struct DefaultVisit {
  Context& ctx;
  AttributeWalker& w;
  ir::Field& field;
  FieldSrc& src;
  std::optional<std::string> map;

  void accept(ir::DefaultValue d) {
    d.map = map;
    d.span = w.current().span;
    field.default_value = std::move(d);
    src.default_attr = &w.current();
  }
  void error(const std::string& m, const std::string& hint) { w.attr_error(m, {}, hint); }

  bool no_args(const ast::Expr& fn) {
    if (fn.args.empty()) return true;
    error("The `" + fn.text + "` function does not take any argument. Consider changing this default to `" +
              fn.text + "()`.",
          "write " + fn.text + "()");
    return false;
  }

  void literal(ir::ScalarType t, const ast::Expr& v, std::vector<std::string>* list_out) {
    using K = ast::Expr::Kind;
    bool ok = false;
    switch (t) {
      case ir::ScalarType::String:
      case ir::ScalarType::Json:
      case ir::ScalarType::Bytes:
      case ir::ScalarType::DateTime: ok = v.kind == K::String; break;
      case ir::ScalarType::Int:
      case ir::ScalarType::BigInt:
      case ir::ScalarType::Float: ok = v.kind == K::Number; break;
      case ir::ScalarType::Decimal: ok = v.kind == K::Number || v.kind == K::String; break;
      case ir::ScalarType::Boolean:
        if (v.kind == K::Constant) {
          if (v.text != "true" && v.text != "false") {
            ctx.error(v.span, "Error parsing attribute \"@default\": A boolean literal must be `true` or `false`.",
                      "write true or false");
            return;
          }
          ok = true;
        }
        break;
    }
    if (!ok) {
      error(std::string("Expected a ") + ir::to_string(t) + " value, but found `" + expr_to_string(v) + "`.",
            std::string("give a ") + ir::to_string(t) + " literal");
      return;
    }
    if (list_out) {
      list_out->push_back(v.text);
      return;
    }
    ir::DefaultValue d;
    d.kind = Kind::Literal;
    d.value = v.text;
    accept(std::move(d));
  }

  void enum_value(const ast::Expr& v, std::size_t enum_index, std::vector<std::string>* list_out) {
    if (v.kind != ast::Expr::Kind::Constant) {
      error("Expected an enum value, but found `" + expr_to_string(v) + "`.",
            "write the enum value without quotes");
      return;
    }
    const ir::Enum& e = ctx.schema.enums[enum_index];
    std::vector<std::string> names;
    for (const auto& val : e.values) names.push_back(val.name);
    if (std::find(names.begin(), names.end(), v.text) == names.end()) {
      auto guess = did_you_mean(v.text, names);
      error("The defined default value `" + v.text +
                "` is not a valid value of the enum specified for the field.",
            guess ? "did you mean `" + *guess + "`?" : "use one of the values of enum " + e.name);
      return;
    }
    if (list_out) {
      list_out->push_back(v.text);
      return;
    }
    ir::DefaultValue d;
    d.kind = Kind::EnumValue;
    d.value = v.text;
    accept(std::move(d));
  }

  template <typename One>
  void list(const ast::Expr& v, One one, bool enum_list = false) {
    if (v.kind != ast::Expr::Kind::Array) {
      if (enum_list)
        error("Expected an enum value, but found `" + expr_to_string(v) + "`.", "write a list: [" + expr_to_string(v) + "]");
      else
        error("The default value of a list field must be a list.", "write [a, b]");
      return;
    }
    ir::DefaultValue d;
    d.kind = Kind::List;
    for (const auto& item : v.items) {
      std::size_t before = d.list.size();
      one(item, &d.list);
      if (d.list.size() == before) return;  // reported
    }
    accept(std::move(d));
  }

  void function(ir::ScalarType t, const ast::Expr& fn) {
    const std::string& name = fn.text;
    ir::DefaultValue d;
    if (name == "autoincrement" && map) {
      error("Naming an autoincrement default value is not allowed.", "remove map:");
      return;
    }
    if (name == "autoincrement" && (t == ir::ScalarType::Int || t == ir::ScalarType::BigInt)) {
      if (no_args(fn)) accept(of_kind(Kind::Autoincrement));
      return;
    }
    if (t == ir::ScalarType::String && name == "uuid") {
      auto a = int_arg(fn);
      if (!a || (*a && **a != 4 && **a != 7)) {
        error("`uuid()` takes either no argument, or a single integer argument which is either 4 or 7.",
              "write uuid(), uuid(4) or uuid(7)");
        return;
      }
      d.kind = Kind::Uuid;
      d.version = *a ? static_cast<int>(**a) : 4;
      accept(std::move(d));
      return;
    }
    if (t == ir::ScalarType::String && name == "cuid") {
      auto a = int_arg(fn);
      if (!a || (*a && **a != 1 && **a != 2)) {
        error("`cuid()` takes either no argument, or a single integer argument which is either 1 or 2.",
              "write cuid(), cuid(1) or cuid(2)");
        return;
      }
      d.kind = Kind::Cuid;
      d.version = *a ? static_cast<int>(**a) : 1;
      accept(std::move(d));
      return;
    }
    if (t == ir::ScalarType::String && name == "ulid") {
      if (no_args(fn)) accept(of_kind(Kind::Ulid));
      return;
    }
    if (t == ir::ScalarType::String && name == "nanoid") {
      auto a = int_arg(fn);
      if (!a || (*a && (**a < 2 || **a > 255))) {
        error("`nanoid()` takes either no argument, or a single integer argument between 2 and 255.",
              "write nanoid() or nanoid(16)");
        return;
      }
      d.kind = Kind::Nanoid;
      if (*a) d.length = static_cast<int>(**a);
      accept(std::move(d));
      return;
    }
    if (t == ir::ScalarType::DateTime && name == "now") {
      if (no_args(fn)) accept(of_kind(Kind::Now));
      return;
    }
    if (name == "auto") {
      if (!fn.args.empty()) error("`auto()` takes no arguments", "write auto()");
      else accept(of_kind(Kind::DbGenerated));
      return;
    }
    if (!known_function(name)) {
      // Checked against the provider once the schema is otherwise valid (CockroachDB: sequence()).
      src.default_unknown_function = true;
      d.kind = name == "sequence" ? Kind::Sequence : Kind::DbGenerated;
      d.value = expr_to_string(fn);
      accept(std::move(d));
      return;
    }
    error("The function `" + name + "()` cannot be used on fields of type `" + ir::to_string(t) + "`.",
          name == "autoincrement" ? "autoincrement() needs an Int or BigInt field"
          : name == "now"         ? "now() needs a DateTime field"
                                  : name + "() needs a String field");
  }
};

}  // namespace

void visit_default(Context& ctx, AttributeWalker& w, std::size_t mi, std::size_t fi) {
  const ast::Expr* value = w.default_arg("value");
  if (!value) return;
  ir::Field& field = ctx.schema.models[mi].fields[fi];
  DefaultVisit v{ctx, w, field, ctx.models[mi].fields[fi], std::nullopt};
  if (const ast::Expr* m = w.optional_value("map")) {
    auto s = coerce_string(ctx, *m);
    if (s && s->empty()) w.attr_error("The `map` argument cannot be an empty string.", {}, "remove map:");
    else v.map = s;
  }
  if (value->kind == ast::Expr::Kind::Function && value->text == "dbgenerated") {
    const auto& args = value->args;
    bool bad = args.size() > 1;
    if (bad) v.error("`dbgenerated()` takes a single String argument", "write dbgenerated(\"SQL\")");
    const ast::Expr* first = args.empty() || !args[0].value ? nullptr : &*args[0].value;
    if (first && first->kind == ast::Expr::Kind::String && first->text.empty()) {
      v.error("dbgenerated() takes either no argument, or a single nonempty string argument.",
              "write dbgenerated() or dbgenerated(\"SQL\")");
    } else if (!first || first->kind == ast::Expr::Kind::String) {
      ir::DefaultValue d;
      d.kind = Kind::DbGenerated;
      if (first) d.value = first->text;
      v.accept(std::move(d));
    } else {
      v.error("`dbgenerated()` takes a single String argument", "write dbgenerated(\"SQL\")");
    }
    return;
  }
  switch (field.kind) {
    case ir::FieldKind::Enum:
      if (field.list)
        v.list(
            *value, [&](const ast::Expr& e, std::vector<std::string>* out) { v.enum_value(e, field.enum_index, out); },
            true);
      else
        v.enum_value(*value, field.enum_index, nullptr);
      return;
    case ir::FieldKind::Unsupported:
      v.error("Only @default(dbgenerated(\"...\")) can be used for Unsupported types.",
              "use @default(dbgenerated(\"SQL\"))");
      return;
    case ir::FieldKind::Composite:
      ctx.error(w.current().span,
                "Error validating field `" + field.name + "` in composite type `" + field.type_name +
                    "`: Defaults on fields of type composite are not supported. Please remove the "
                    "`@default` attribute.",
                "remove @default");
      return;
    case ir::FieldKind::Relation: return;
    case ir::FieldKind::Scalar: break;
  }
  if (value->kind == ast::Expr::Kind::Function) {
    v.function(field.scalar, *value);
  } else if (field.list) {
    v.list(*value, [&](const ast::Expr& e, std::vector<std::string>* out) { v.literal(field.scalar, e, out); });
  } else if (value->kind == ast::Expr::Kind::Array) {
    v.error("The default value of a non-list field cannot be a list.", "give a single value");
  } else {
    v.literal(field.scalar, *value, nullptr);
  }
}

// ---- literal parsing (validation stage) ----
namespace {

std::optional<std::string> integer_problem(const std::string& s) {
  long long v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec == std::errc::result_out_of_range)
    return s.size() && s[0] == '-' ? "number too small to fit in target type"
                                   : "number too large to fit in target type";
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return "invalid digit found in string";
  return std::nullopt;
}

bool digits(const std::string& s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// RFC 3339: 2024-05-06T07:08:09(.123)?(Z|+01:00)
std::optional<std::string> datetime_problem(const std::string& s) {
  std::size_t i = 0;
  auto need = [&](bool ok) { return ok ? std::optional<std::string>{} : std::optional<std::string>{"input contains invalid characters"}; };
  if (s.size() < 20) {
    bool prefix_ok = true;
    const char* shape = "dddd-dd-ddTdd:dd:ddZ";
    for (std::size_t k = 0; k < s.size() && prefix_ok; ++k)
      prefix_ok = shape[k] == 'd' ? std::isdigit(static_cast<unsigned char>(s[k])) != 0
                                  : (s[k] == shape[k] || (shape[k] == 'T' && (s[k] == 't' || s[k] == ' ')));
    return prefix_ok ? "premature end of input" : "input contains invalid characters";
  }
  if (!digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2)) return need(false);
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return need(false);
  if (!digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) || s[16] != ':' || !digits(s, 17, 2)) return need(false);
  int month = std::atoi(s.substr(5, 2).c_str()), day = std::atoi(s.substr(8, 2).c_str());
  int hour = std::atoi(s.substr(11, 2).c_str()), minute = std::atoi(s.substr(14, 2).c_str());
  int second = std::atoi(s.substr(17, 2).c_str());
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return "input is out of range";
  i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return need(false);
  }
  if (i >= s.size()) return "premature end of input";
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    if (!digits(s, i + 1, 2) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(s, i + 4, 2))
      return i + 6 > s.size() ? "premature end of input" : "input contains invalid characters";
    i += 6;
  } else {
    return need(false);
  }
  if (i != s.size()) return "trailing input";
  return std::nullopt;
}

// A small JSON checker: enough to reject what Prisma rejects, with a serde-like position.
struct JsonCheck {
  explicit JsonCheck(const std::string& text) : s(text) {}
  const std::string& s;
  std::size_t i = 0;
  std::string error;
  void ws() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; }
  std::string where() const {
    std::size_t line = 1, col = 0;
    for (std::size_t k = 0; k < i && k < s.size(); ++k) {
      if (s[k] == '\n') { ++line; col = 0; } else { ++col; }
    }
    return " at line " + std::to_string(line) + " column " + std::to_string(std::max<std::size_t>(col, 1));
  }
  bool fail(const std::string& what) {
    if (error.empty()) error = what + where();
    return false;
  }
  bool value() {
    ws();
    if (i >= s.size()) return fail("EOF while parsing a value");
    char c = s[i];
    if (c == '{') {
      ++i;
      ws();
      if (i < s.size() && s[i] == '}') { ++i; return true; }
      while (true) {
        ws();
        if (i >= s.size()) return fail("EOF while parsing an object");
        if (s[i] != '"') { ++i; return fail("key must be a string"); }
        if (!string()) return false;
        ws();
        if (i >= s.size() || s[i] != ':') return fail("expected `:`");
        ++i;
        if (!value()) return false;
        ws();
        if (i < s.size() && s[i] == ',') { ++i; continue; }
        if (i < s.size() && s[i] == '}') { ++i; return true; }
        return fail(i >= s.size() ? "EOF while parsing an object" : "expected `,` or `}`");
      }
    }
    if (c == '[') {
      ++i;
      ws();
      if (i < s.size() && s[i] == ']') { ++i; return true; }
      while (true) {
        if (!value()) return false;
        ws();
        if (i < s.size() && s[i] == ',') { ++i; continue; }
        if (i < s.size() && s[i] == ']') { ++i; return true; }
        return fail(i >= s.size() ? "EOF while parsing a list" : "expected `,` or `]`");
      }
    }
    if (c == '"') return string();
    for (const char* lit : {"true", "false", "null"})
      if (s.compare(i, std::char_traits<char>::length(lit), lit) == 0) {
        i += std::char_traits<char>::length(lit);
        return true;
      }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      ++i;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == 'e' ||
                              s[i] == 'E' || s[i] == '+' || s[i] == '-'))
        ++i;
      return true;
    }
    ++i;
    return fail("expected value");
  }
  bool string() {
    ++i;
    while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
    if (i >= s.size()) return fail("EOF while parsing a string");
    ++i;
    return true;
  }
  std::optional<std::string> run() {
    if (!value()) return error;
    ws();
    if (i != s.size()) {
      ++i;
      fail("trailing characters");
      return error;
    }
    return std::nullopt;
  }
};

bool is_base64(const std::string& s) {
  if (s.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' ||
              (c == '=' && i + 2 >= s.size());
    if (!ok) return false;
  }
  return true;
}

bool is_decimal(const std::string& s) {
  std::size_t i = s.size() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool any = false, dot = false;
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) any = true;
    else if (s[i] == '.' && !dot) dot = true;
    else if ((s[i] == 'e' || s[i] == 'E') && any) return is_decimal(s.substr(i + 1)) && s.find('.', i) == std::string::npos;
    else return false;
  }
  return any;
}

}  // namespace

void validate_default_literal(Context& ctx, std::size_t mi, std::size_t fi) {
  const ir::Field& field = ctx.schema.models[mi].fields[fi];
  const FieldSrc& src = ctx.models[mi].fields[fi];
  if (!field.default_value || !src.default_attr || field.kind != ir::FieldKind::Scalar) return;
  // Find the literal expressions of the @default value.
  const ast::Expr* value = nullptr;
  for (const auto& a : src.default_attr->args)
    if ((!a.name || a.name->name == "value") && a.value) value = &*a.value;
  if (!value) return;
  std::vector<const ast::Expr*> items;
  if (value->kind == ast::Expr::Kind::Array)
    for (const auto& i : value->items) items.push_back(&i);
  else if (value->kind != ast::Expr::Kind::Function)
    items.push_back(value);
  for (const ast::Expr* e : items) {
    std::optional<std::string> problem;
    std::string what;
    std::string attr = "@default";
    switch (field.scalar) {
      case ir::ScalarType::Int:
      case ir::ScalarType::BigInt:
        what = "integer";
        problem = integer_problem(e->text);
        break;
      case ir::ScalarType::Float: {
        what = "float";
        char* end = nullptr;
        std::strtod(e->text.c_str(), &end);
        if (end != e->text.c_str() + e->text.size()) problem = "invalid float literal";
        break;
      }
      case ir::ScalarType::DateTime:
        what = "rfc3339 datetime string";
        problem = datetime_problem(e->text);
        break;
      case ir::ScalarType::Json:
        what = "JSON string";
        problem = JsonCheck(e->text).run();
        break;
      case ir::ScalarType::Bytes:
        what = "base64 string";
        if (!is_base64(e->text)) problem = "Could not convert from `base64 encoded bytes` to `PrismaValue::Bytes`";
        break;
      case ir::ScalarType::Decimal:
        what = "decimal";
        attr = "default";  // sic: Prisma drops the @ in this one message
        if (!is_decimal(e->text)) problem = "invalid digit found in string";
        break;
      case ir::ScalarType::String:
      case ir::ScalarType::Boolean: break;
    }
    if (problem)
      ctx.error(e->span,
                "Error parsing attribute \"" + attr + "\": Parse error: \"" + e->text +
                    "\" is not a valid " + what + ". (" + *problem + ")",
                "write a valid " + what + " literal");
  }
}

}  // namespace prisma_cpp::schema::detail
