// Typed access to Json fields through nlohmann/json (Debian's nlohmann-json3-dev, header-only),
// optional: include this header where you want it; the rest of prisma-cpp does not need it.
//
//   struct Pet { std::string name; int age; };
//   NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Pet, name, age)
//   db.doc.create({.meta = prisma::json_of(Pet{"Rex", 3})});
//   std::optional<int> age = prisma::json_get<int>(*row.meta, {"age"});   // Prisma's path: keys, array positions as digits
//   Pet pet = prisma::json_as<Pet>(*row.meta);
//
// A path that leads nowhere (a missing key, a position past the end, through a scalar) or to JSON
// null gives std::nullopt; a value of another type than T, or text that is not JSON, ValueError.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "prisma/core/errors.hpp"
#include "prisma/core/json.hpp"

namespace prisma {

// The document as nlohmann::json.
inline nlohmann::json to_nlohmann(const Json& j) {
  try {
    return nlohmann::json::parse(j.text());
  } catch (const nlohmann::json::exception& e) {
    throw ValueError(std::string("the Json value is not JSON: ") + e.what());
  }
}

// A Json holding `v` (numbers, strings, bools, containers, nlohmann::json, and your types with
// to_json / NLOHMANN_DEFINE_TYPE_*).
template <class T>
Json json_of(const T& v) {
  return Json(nlohmann::json(v).dump());
}

// The whole document as T.
template <class T>
T json_as(const Json& j) {
  try {
    return to_nlohmann(j).template get<T>();
  } catch (const nlohmann::json::exception& e) {
    throw ValueError(std::string("the Json value does not convert: ") + e.what());
  }
}

// The value at `path` as T, or std::nullopt where the path leads nowhere or to null.
template <class T>
std::optional<T> json_get(const Json& j, const std::vector<std::string>& path = {}) {
  nlohmann::json doc = to_nlohmann(j);
  const nlohmann::json* at = &doc;
  for (const auto& seg : path) {
    if (at->is_object()) {
      auto it = at->find(seg);
      if (it == at->end()) return std::nullopt;
      at = &*it;
    } else if (at->is_array()) {
      std::size_t i = 0;
      bool digits = !seg.empty();
      for (char c : seg) {
        digits = digits && c >= '0' && c <= '9';
        if (digits) i = i * 10 + static_cast<std::size_t>(c - '0');
      }
      if (!digits || i >= at->size()) return std::nullopt;
      at = &(*at)[i];
    } else {
      return std::nullopt;
    }
  }
  if (at->is_null()) return std::nullopt;
  try {
    return at->template get<T>();
  } catch (const nlohmann::json::exception& e) {
    throw ValueError(std::string("the Json value at the path does not convert: ") + e.what());
  }
}

}  // namespace prisma
