// A small JSON value with keys kept in insertion order, printed like JSON.stringify(v, null, 2):
// the emitters build one of these so key order is stable and every string is escaped one way.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace prisma_cpp::emit::detail {

class Json {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };

  Json() = default;
  static Json null() { return Json(); }
  static Json boolean(bool v);
  static Json number(std::string text);  // already valid JSON number text
  static Json number(long long v) { return number(std::to_string(v)); }
  static Json string(std::string v);
  static Json optional_string(const std::optional<std::string>& v) { return v ? string(*v) : null(); }
  static Json array();
  static Json object();
  static Json strings(const std::vector<std::string>& v);

  Json& set(std::string key, Json value);  // objects: appends (keys are not checked for repeats)
  Json& push(Json value);                  // arrays
  Type type() const { return type_; }
  bool empty() const { return items_.empty() && members_.empty(); }

  std::string dump() const;  // pretty-printed, two-space indentation, no trailing newline

 private:
  void write(std::string& out, int indent) const;

  Type type_ = Type::Null;
  bool bool_ = false;
  std::string text_;  // Number or String
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

void append_json_string(std::string& out, const std::string& s);

}  // namespace prisma_cpp::emit::detail
