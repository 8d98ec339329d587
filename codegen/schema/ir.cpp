// Small lookups on the Schema IR and the names of its enumerations.
#include "schema/ir.hpp"

#include <algorithm>

namespace prisma_cpp::ir {

std::size_t Model::field_index(const std::string& field_name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == field_name) return i;
  return npos;
}

std::size_t Schema::model_index(const std::string& model_name) const {
  for (std::size_t i = 0; i < models.size(); ++i)
    if (models[i].name == model_name) return i;
  return npos;
}

std::size_t Schema::enum_index(const std::string& enum_name) const {
  for (std::size_t i = 0; i < enums.size(); ++i)
    if (enums[i].name == enum_name) return i;
  return npos;
}

bool Schema::has_preview_feature(const std::string& feature) const {
  return std::any_of(generators.begin(), generators.end(), [&](const Generator& g) {
    return std::find(g.preview_features.begin(), g.preview_features.end(), feature) !=
           g.preview_features.end();
  });
}

const char* to_string(ScalarType t) {
  switch (t) {
    case ScalarType::String: return "String";
    case ScalarType::Boolean: return "Boolean";
    case ScalarType::Int: return "Int";
    case ScalarType::BigInt: return "BigInt";
    case ScalarType::Float: return "Float";
    case ScalarType::Decimal: return "Decimal";
    case ScalarType::DateTime: return "DateTime";
    case ScalarType::Json: return "Json";
    case ScalarType::Bytes: return "Bytes";
  }
  return "?";
}

const char* to_string(ReferentialAction a) {
  switch (a) {
    case ReferentialAction::Cascade: return "Cascade";
    case ReferentialAction::Restrict: return "Restrict";
    case ReferentialAction::NoAction: return "NoAction";
    case ReferentialAction::SetNull: return "SetNull";
    case ReferentialAction::SetDefault: return "SetDefault";
  }
  return "?";
}

const char* to_string(Provider p) {
  switch (p) {
    case Provider::None: return "none";
    case Provider::Sqlite: return "sqlite";
    case Provider::Postgresql: return "postgresql";
    case Provider::Cockroachdb: return "cockroachdb";
    case Provider::Mysql: return "mysql";
    case Provider::Sqlserver: return "sqlserver";
    case Provider::Mongodb: return "mongodb";
  }
  return "?";
}

std::size_t max_identifier_length(Provider p) {
  switch (p) {
    case Provider::Postgresql:
    case Provider::Cockroachdb: return 63;
    case Provider::Mysql: return 64;
    case Provider::Sqlserver: return 128;
    case Provider::Mongodb: return 127;
    case Provider::Sqlite:
    case Provider::None: return 10000;
  }
  return 10000;
}

std::vector<std::size_t> prisma_index_order(const Model& m) {
  std::vector<std::size_t> order(m.indexes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto rank = [&](std::size_t i) {
    const Index& idx = m.indexes[i];
    if (idx.defined_on_field) return 0;
    return idx.type == Index::Type::Normal ? 1 : idx.type == Index::Type::Unique ? 2 : 3;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  return order;
}

}  // namespace prisma_cpp::ir
