// PostgreSQL index types and operator classes (@@index([a(ops: X)], type: Gin)): which class
// goes with which index type, Prisma type and native type, with Prisma's messages.
#include <algorithm>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

using ST = ir::ScalarType;

// Prisma prints UuidMinMaxMultiOps as BitMinMaxOps; keep its words so messages compare equal.
std::string display(const std::string& op) { return op == "UuidMinMaxMultiOps" ? "BitMinMaxOps" : op; }

bool supports_algo(const std::string& op, const std::string& algo) {
  if (op == "InetOps") return algo == "Gist" || algo == "SpGist";
  if (op == "JsonbOps" || op == "JsonbPathOps" || op == "ArrayOps") return algo == "Gin";
  if (op == "TextOps") return algo == "SpGist";
  return algo == "Brin";
}

bool supports_field_type(const std::string& algo, const ir::Field& f) {
  if (f.kind == ir::FieldKind::Unsupported) return true;
  bool scalar = f.kind == ir::FieldKind::Scalar;
  auto is = [&](ST t) { return scalar && f.scalar == t; };
  if (algo == "Gist" || algo == "SpGist") return is(ST::String);
  if (algo == "Gin") return is(ST::Json) || f.list;
  if (algo == "Brin")
    return is(ST::String) || is(ST::Bytes) || is(ST::DateTime) || is(ST::Float) || is(ST::Int) || is(ST::BigInt) ||
           is(ST::Decimal);
  return true;
}

// BRIN: for each native type, the operator classes it accepts (an empty string: no class given).
const std::map<std::string, std::vector<std::string>>& brin_by_native() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"Bit", {"", "BitMinMaxOps"}},
      {"VarBit", {"", "VarBitMinMaxOps"}},
      {"Char", {"", "BpcharBloomOps", "BpcharMinMaxOps"}},
      {"Date", {"", "DateBloomOps", "DateMinMaxOps", "DateMinMaxMultiOps"}},
      {"Real", {"", "Float4BloomOps", "Float4MinMaxOps", "Float4MinMaxMultiOps"}},
      {"DoublePrecision", {"", "Float8BloomOps", "Float8MinMaxOps", "Float8MinMaxMultiOps"}},
      {"Inet", {"", "InetInclusionOps", "InetBloomOps", "InetMinMaxOps", "InetMinMaxMultiOps"}},
      {"SmallInt", {"", "Int2BloomOps", "Int2MinMaxOps", "Int2MinMaxMultiOps"}},
      {"Integer", {"", "Int4BloomOps", "Int4MinMaxOps", "Int4MinMaxMultiOps"}},
      {"BigInt", {"", "Int8BloomOps", "Int8MinMaxOps", "Int8MinMaxMultiOps"}},
      {"Decimal", {"", "NumericBloomOps", "NumericMinMaxOps", "NumericMinMaxMultiOps"}},
      {"Oid", {"", "OidBloomOps", "OidMinMaxOps", "OidMinMaxMultiOps"}},
      {"ByteA", {"", "ByteaBloomOps", "ByteaMinMaxOps"}},
      {"Text", {"", "TextBloomOps", "TextMinMaxOps"}},
      {"VarChar", {"", "TextBloomOps", "TextMinMaxOps"}},
      {"Timestamp", {"", "TimestampBloomOps", "TimestampMinMaxOps", "TimestampMinMaxMultiOps"}},
      {"Timestamptz", {"", "TimestampTzBloomOps", "TimestampTzMinMaxOps", "TimestampTzMinMaxMultiOps"}},
      {"Time", {"", "TimeBloomOps", "TimeMinMaxOps", "TimeMinMaxMultiOps"}},
      {"Timetz", {"", "TimeTzBloomOps", "TimeTzMinMaxOps", "TimeTzMinMaxMultiOps"}},
      {"Uuid", {"", "UuidBloomOps", "UuidMinMaxOps", "UuidMinMaxMultiOps"}}};
  return m;
}

// BRIN classes usable without a native type, and the Prisma type they need.
const std::vector<std::pair<std::vector<std::string>, ST>>& brin_by_prisma_type() {
  static const std::vector<std::pair<std::vector<std::string>, ST>> v = {
      {{"Float8BloomOps", "Float8MinMaxOps", "Float8MinMaxMultiOps"}, ST::Float},
      {{"Int4BloomOps", "Int4MinMaxOps", "Int4MinMaxMultiOps"}, ST::Int},
      {{"Int8BloomOps", "Int8MinMaxOps", "Int8MinMaxMultiOps"}, ST::BigInt},
      {{"NumericBloomOps", "NumericMinMaxOps", "NumericMinMaxMultiOps"}, ST::Decimal},
      {{"ByteaBloomOps", "ByteaMinMaxOps"}, ST::Bytes},
      {{"TextBloomOps", "TextMinMaxOps"}, ST::String},
      {{"TimestampBloomOps", "TimestampMinMaxOps", "TimestampMinMaxMultiOps"}, ST::DateTime}};
  return v;
}

}  // namespace

void validate_index_operator_classes(Context& ctx, std::size_t mi, std::size_t index) {
  const ir::Model& m = ctx.schema.models[mi];
  const ir::Index& idx = m.indexes[index];
  const ast::Attribute& attr = *ctx.models[mi].index_attributes[index];
  std::string an = attribute_display_name(attr);
  std::string algo = idx.algorithm.value_or("BTree");
  auto error = [&](const std::string& msg, const std::string& hint) {
    ctx.error(attr.span, "Error parsing attribute \"" + an + "\": " + msg, hint);
  };
  if (algo == "SpGist" && idx.fields.size() > 1)
    error("SpGist does not support multi-column indices.", "index a single column with SpGist");
  for (const auto& ifield : idx.fields) {
    if (ifield.operator_class && ifield.operator_class->rfind("raw(", 0) == 0) continue;
    const ir::Field& f = m.fields[ifield.field];
    std::string name = f.name;
    std::optional<std::string> native = f.native_type ? std::optional<std::string>(f.native_type->name) : std::nullopt;
    const std::optional<std::string>& op = ifield.operator_class;
    if (op && !supports_algo(*op, algo)) {
      error("The given operator class `" + display(*op) + "` is not supported with the `" + algo + "` index type.",
            "use an operator class made for " + algo + " indexes");
      continue;
    }
    auto is = [&](ST t) { return f.kind == ir::FieldKind::Scalar && f.scalar == t; };
    auto err_f = [&] {
      if (native && op)
        error("The given operator class `" + display(*op) + "` does not support native type `" + *native + "` of field `" +
                  name + "`.",
              "pick the operator class of the field's native type");
      else if (native)
        error("The " + algo + " index field type `" + *native + "` has no default operator class.",
              "give an operator class with ops:");
      else if (op)
        error("The given operator class `" + display(*op) + "` expects the field `" + name +
                  "` to define a valid native type.",
              "add a native type (@db.X) to `" + name + "`");
      else if (!supports_field_type(algo, f))
        error("The " + algo + " index type does not support the type of the field `" + name + "`.",
              "use another index type for this field");
    };
    auto not_of = [&](const std::string& type) {
      error("The given operator class `" + display(*op) + "` points to the field `" + name + "` that is not of " + type + " type.",
            "use a " + type + " field or another operator class");
    };
    if (algo == "Gist") {
      if (!(native == "Inet" && op == "InetOps")) err_f();
    } else if (algo == "Gin") {
      if (!native && !op && is(ST::Json)) continue;
      if (!op && f.list) continue;
      if (native == "JsonB" && (!op || op == "JsonbOps" || op == "JsonbPathOps")) continue;
      if (!native && (op == "JsonbOps" || op == "JsonbPathOps")) {
        if (!is(ST::Json)) not_of("Json");
        continue;
      }
      if (op == "ArrayOps") {
        if (!f.list)
          error("The given operator class `ArrayOps` expects the type of field `" + name + "` to be an array.",
                "index a list field with ArrayOps");
        continue;
      }
      err_f();
    } else if (algo == "SpGist") {
      if (native == "Inet" && (!op || op == "InetOps")) continue;
      if (!native && !op && is(ST::String)) continue;
      if (!native && op == "TextOps") {
        if (!is(ST::String)) not_of("String");
        continue;
      }
      if ((native == "Text" || native == "VarChar" || native == "Char") && (!op || op == "TextOps")) continue;
      err_f();
    } else if (algo == "Brin") {
      if (native) {
        auto it = brin_by_native().find(*native);
        if (it != brin_by_native().end() &&
            std::find(it->second.begin(), it->second.end(), op.value_or("")) != it->second.end())
          continue;
        err_f();
        continue;
      }
      bool handled = false;
      for (const auto& [ops, type] : brin_by_prisma_type()) {
        if (!op && is(type)) handled = true;
        else if (op && std::find(ops.begin(), ops.end(), *op) != ops.end()) {
          if (!is(type)) not_of(ir::to_string(type));
          handled = true;
        }
        if (handled) break;
      }
      if (!handled) err_f();
    }
  }
}

}  // namespace prisma_cpp::schema::detail
