// Native types (@db.X(args)): which exist per provider, which Prisma type each one maps, how many
// arguments it takes and their ranges, with Prisma's messages.
#include <charconv>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

using ST = ir::ScalarType;

enum class Args {
  None,         // Text
  Optional1,    // VarChar(n?)
  Required1,    // MySQL VarChar(n)
  OptionalPair  // Decimal(p, s) or Decimal
};

struct Spec {
  const char* name;
  std::vector<ST> types;
  Args args = Args::None;
};

const std::vector<Spec>& postgres_types() {
  static const std::vector<Spec> v = {
      {"SmallInt", {ST::Int}},           {"Integer", {ST::Int}},
      {"BigInt", {ST::BigInt}},          {"Decimal", {ST::Decimal}, Args::OptionalPair},
      {"Money", {ST::Decimal}},          {"Inet", {ST::String}},
      {"Oid", {ST::Int}},                {"Citext", {ST::String}},
      {"Real", {ST::Float}},             {"DoublePrecision", {ST::Float}},
      {"VarChar", {ST::String}, Args::Optional1}, {"Char", {ST::String}, Args::Optional1},
      {"Text", {ST::String}},            {"ByteA", {ST::Bytes}},
      {"Timestamp", {ST::DateTime}, Args::Optional1}, {"Timestamptz", {ST::DateTime}, Args::Optional1},
      {"Date", {ST::DateTime}},          {"Time", {ST::DateTime}, Args::Optional1},
      {"Timetz", {ST::DateTime}, Args::Optional1}, {"Boolean", {ST::Boolean}},
      {"Bit", {ST::String}, Args::Optional1}, {"VarBit", {ST::String}, Args::Optional1},
      {"Uuid", {ST::String}},            {"Xml", {ST::String}},
      {"Json", {ST::Json}},              {"JsonB", {ST::Json}}};
  return v;
}

const std::vector<Spec>& cockroach_types() {
  static const std::vector<Spec> v = {
      {"Bit", {ST::String}, Args::Optional1},     {"Bool", {ST::Boolean}},
      {"Bytes", {ST::Bytes}},                     {"Char", {ST::String}, Args::Optional1},
      {"Date", {ST::DateTime}},                   {"Decimal", {ST::Decimal}, Args::OptionalPair},
      {"Float4", {ST::Float}},                    {"Float8", {ST::Float}},
      {"Inet", {ST::String}},                     {"Int2", {ST::Int}},
      {"Int4", {ST::Int}},                        {"Int8", {ST::BigInt}},
      {"JsonB", {ST::Json}},                      {"Oid", {ST::Int}},
      {"CatalogSingleChar", {ST::String}},        {"String", {ST::String}, Args::Optional1},
      {"Time", {ST::DateTime}, Args::Optional1},  {"Timestamp", {ST::DateTime}, Args::Optional1},
      {"Timestamptz", {ST::DateTime}, Args::Optional1}, {"Timetz", {ST::DateTime}, Args::Optional1},
      {"Uuid", {ST::String}},                     {"VarBit", {ST::String}, Args::Optional1}};
  return v;
}

const std::vector<Spec>& mysql_types() {
  static const std::vector<Spec> v = {
      {"Int", {ST::Int}}, {"UnsignedInt", {ST::Int}}, {"SmallInt", {ST::Int}},
      {"UnsignedSmallInt", {ST::Int}}, {"TinyInt", {ST::Boolean, ST::Int}},
      {"UnsignedTinyInt", {ST::Boolean, ST::Int}}, {"MediumInt", {ST::Int}},
      {"UnsignedMediumInt", {ST::Int}}, {"BigInt", {ST::BigInt}}, {"UnsignedBigInt", {ST::BigInt}},
      {"Decimal", {ST::Decimal}, Args::OptionalPair}, {"Float", {ST::Float}}, {"Double", {ST::Float}},
      {"Bit", {ST::Boolean, ST::Bytes}, Args::Required1}, {"Char", {ST::String}, Args::Required1},
      {"VarChar", {ST::String}, Args::Required1}, {"Binary", {ST::Bytes}, Args::Required1},
      {"VarBinary", {ST::Bytes}, Args::Required1}, {"TinyBlob", {ST::Bytes}}, {"Blob", {ST::Bytes}},
      {"MediumBlob", {ST::Bytes}}, {"LongBlob", {ST::Bytes}}, {"TinyText", {ST::String}},
      {"Text", {ST::String}}, {"MediumText", {ST::String}}, {"LongText", {ST::String}},
      {"Date", {ST::DateTime}}, {"Time", {ST::DateTime}, Args::Optional1},
      {"DateTime", {ST::DateTime}, Args::Optional1}, {"Timestamp", {ST::DateTime}, Args::Optional1},
      {"Year", {ST::Int}}, {"Json", {ST::Json}}};
  return v;
}

const std::vector<Spec>& sqlserver_types() {
  static const std::vector<Spec> v = {
      {"TinyInt", {ST::Int}}, {"SmallInt", {ST::Int}}, {"Int", {ST::Int}}, {"BigInt", {ST::BigInt}},
      {"Decimal", {ST::Decimal}, Args::OptionalPair}, {"Money", {ST::Float}}, {"SmallMoney", {ST::Float}},
      {"Bit", {ST::Boolean, ST::Int}}, {"Float", {ST::Float}, Args::Optional1}, {"Real", {ST::Float}},
      {"Date", {ST::DateTime}}, {"Time", {ST::DateTime}}, {"DateTime", {ST::DateTime}},
      {"DateTime2", {ST::DateTime}}, {"DateTimeOffset", {ST::DateTime}}, {"SmallDateTime", {ST::DateTime}},
      {"Char", {ST::String}, Args::Optional1}, {"NChar", {ST::String}, Args::Optional1},
      {"VarChar", {ST::String}, Args::Optional1}, {"Text", {ST::String}},
      {"NVarChar", {ST::String}, Args::Optional1}, {"NText", {ST::String}},
      {"Binary", {ST::Bytes}, Args::Optional1}, {"VarBinary", {ST::Bytes}, Args::Optional1},
      {"Image", {ST::Bytes}}, {"Xml", {ST::String}}, {"UniqueIdentifier", {ST::String}}};
  return v;
}

const std::vector<Spec>* types_for(ir::Provider p) {
  switch (p) {
    case ir::Provider::Postgresql: return &postgres_types();
    case ir::Provider::Cockroachdb: return &cockroach_types();
    case ir::Provider::Mysql: return &mysql_types();
    case ir::Provider::Sqlserver: return &sqlserver_types();
    default: return nullptr;
  }
}

std::string connector_name(ir::Provider p) {
  return p == ir::Provider::None ? "Default" : ir::to_string(p);
}

std::optional<unsigned> as_u32(const ast::Expr& e) {
  if (e.kind != ast::Expr::Kind::Number) return std::nullopt;
  unsigned v = 0;
  auto r = std::from_chars(e.text.data(), e.text.data() + e.text.size(), v);
  if (r.ec != std::errc() || r.ptr != e.text.data() + e.text.size()) return std::nullopt;
  return v;
}

}  // namespace

void validate_native_type(Context& ctx, std::size_t mi, std::size_t fi) {
  const FieldSrc& src = ctx.models[mi].fields[fi];
  if (!src.native_attr) return;
  ir::Field& field = ctx.schema.models[mi].fields[fi];
  const ast::Attribute& attr = *src.native_attr;
  std::string type_name = attr.name.name.substr(attr.name.name.find('.') + 1);
  ir::Provider provider = ctx.provider();
  bool bad_prefix = ctx.schema.datasource && src.native_prefix != ctx.datasource_name;
  auto prefix_error = [&] {
    ctx.error(attr.span,
              "The prefix " + src.native_prefix + " is invalid. It must be equal to the name of an existing datasource e.g. " +
                  ctx.datasource_name + ". Did you mean to use " + ctx.datasource_name + "." + type_name + "?",
              "write @" + ctx.datasource_name + "." + type_name);
  };
  const std::vector<Spec>* table = types_for(provider);
  const Spec* spec = nullptr;
  if (table)
    for (const auto& s : *table)
      if (type_name == s.name) spec = &s;
  if (!spec) {
    std::vector<std::string> names;
    if (table)
      for (const auto& s : *table) names.push_back(s.name);
    auto guess = did_you_mean(type_name, names);
    ctx.error(attr.span, "Native type " + type_name + " is not supported for " + connector_name(provider) + " connector.",
              guess                                    ? "did you mean @" + src.native_prefix + "." + *guess + "?"
              : provider == ir::Provider::Sqlite       ? "SQLite has no native types: remove the attribute"
              : provider == ir::Provider::None         ? "add a datasource block to use native types"
                                                       : "see the provider's native types in Prisma's documentation");
    if (bad_prefix) prefix_error();
    return;
  }
  if (bad_prefix) {
    prefix_error();
    return;
  }
  std::vector<const ast::Expr*> args;
  for (const auto& a : attr.args)
    if (a.value) args.push_back(&*a.value);
  auto found = [&] {
    std::string s = "(";
    for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + expr_to_string(*args[i]);
    return s + ")";
  };
  std::vector<unsigned> values;
  auto all_u32 = [&] {
    for (const ast::Expr* a : args) {
      auto v = as_u32(*a);
      if (!v) return false;
      values.push_back(*v);
    }
    return true;
  };
  const std::string n = std::to_string(args.size());
  switch (spec->args) {
    case Args::None:
      if (!args.empty()) {
        ctx.error(attr.span, "Function \"" + type_name + "\" takes 0 arguments, but received " + n + ".",
                  "write @" + src.native_prefix + "." + type_name + " without arguments");
        return;
      }
      break;
    case Args::Optional1:
    case Args::Required1:
      if (args.size() > 1 || (spec->args == Args::Required1 && args.empty())) {
        ctx.error(attr.span,
                  "Native type " + type_name + " takes 1 " + (spec->args == Args::Optional1 ? "optional " : "") +
                      "arguments, but received " + n + ".",
                  "give one length/precision argument");
        return;
      }
      if (!all_u32()) {
        ctx.error(attr.span, "Expected a nonnegative integer, but found " + found() + ".", "write a whole number >= 0");
        return;
      }
      break;
    case Args::OptionalPair:
      if (args.size() > 2) {
        ctx.error(attr.span, "Native type " + type_name + " takes 2 optional arguments, but received " + n + ".",
                  "write " + type_name + "(precision, scale)");
        return;
      }
      if ((args.size() == 1 && provider != ir::Provider::Cockroachdb) || !all_u32()) {
        ctx.error(attr.span, "Expected two nonnegative integers, but found " + found() + ".",
                  "write " + type_name + "(precision, scale)");
        return;
      }
      break;
  }
  ir::NativeType nt;
  nt.name = type_name;
  for (const ast::Expr* a : args) nt.args.push_back(a->text);
  nt.span = attr.span;
  field.native_type = nt;

  bool compatible = false;
  for (ST t : spec->types) compatible = compatible || t == field.scalar;
  if (!compatible) {
    std::string expected;
    for (std::size_t i = 0; i < spec->types.size(); ++i)
      expected += std::string(i ? " or " : "") + ir::to_string(spec->types[i]);
    ctx.error(attr.span,
              "Native type " + type_name + " is not compatible with declared field type " + ir::to_string(field.scalar) +
                  ", expected field type " + expected + ".",
              "change the field type to " + expected + ", or pick a native type for " + ir::to_string(field.scalar));
    return;
  }
  if (provider != ir::Provider::Postgresql && provider != ir::Provider::Cockroachdb) return;
  std::string db = provider == ir::Provider::Postgresql ? "Postgres" : "CockroachDB";
  std::string shown = type_name;
  if (!values.empty()) {
    shown += "(";
    for (std::size_t i = 0; i < values.size(); ++i) (shown += i ? "," : "") += std::to_string(values[i]);
    shown += ")";
  }
  auto range = [&](const std::string& why) {
    ctx.error(attr.span, "Argument M is out of range for native type `" + shown + "` of " + db + ": " + why,
              "use a smaller argument");
  };
  if (type_name == "Decimal" && values.size() == 2) {
    if (values[0] == 0 || values[0] > 1000)
      range("Precision must be positive with a maximum value of 1000.");
    else if (values[1] > values[0])
      ctx.error(attr.span,
                "The scale must not be larger than the precision for the " + shown + " native type in " + db + ".",
                "make the scale at most the precision");
  } else if ((type_name == "Timestamp" || type_name == "Timestamptz" || type_name == "Time" || type_name == "Timetz") &&
             !values.empty() && values[0] > 6) {
    range("M can range from 0 to 6.");
  } else if ((type_name == "Bit" || type_name == "VarBit") && !values.empty() && values[0] == 0) {
    range("M must be a positive integer.");
  }
}

}  // namespace prisma_cpp::schema::detail
