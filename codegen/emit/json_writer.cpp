// The JSON value and printer behind ir_json and dmmf_json; see json_writer.hpp.
#include "emit/json_writer.hpp"

#include <cstdio>

namespace prisma_cpp::emit::detail {

Json Json::boolean(bool v) {
  Json j;
  j.type_ = Type::Bool;
  j.bool_ = v;
  return j;
}

Json Json::number(std::string text) {
  Json j;
  j.type_ = Type::Number;
  j.text_ = std::move(text);
  return j;
}

Json Json::string(std::string v) {
  Json j;
  j.type_ = Type::String;
  j.text_ = std::move(v);
  return j;
}

Json Json::array() {
  Json j;
  j.type_ = Type::Array;
  return j;
}

Json Json::object() {
  Json j;
  j.type_ = Type::Object;
  return j;
}

Json Json::strings(const std::vector<std::string>& v) {
  Json j = array();
  for (const auto& s : v) j.push(string(s));
  return j;
}

Json& Json::set(std::string key, Json value) {
  members_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Json& Json::push(Json value) {
  items_.push_back(std::move(value));
  return *this;
}

std::string Json::dump() const {
  std::string out;
  write(out, 0);
  return out;
}

void append_json_string(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(ch);  // UTF-8 passes through unchanged
        }
    }
  }
  out.push_back('"');
}

void Json::write(std::string& out, int indent) const {
  const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
  const std::string outer(static_cast<std::size_t>(indent), ' ');
  switch (type_) {
    case Type::Null: out += "null"; return;
    case Type::Bool: out += bool_ ? "true" : "false"; return;
    case Type::Number: out += text_; return;
    case Type::String: append_json_string(out, text_); return;
    case Type::Array:
      if (items_.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (std::size_t i = 0; i < items_.size(); ++i) {
        out += inner;
        items_[i].write(out, indent + 2);
        out += i + 1 < items_.size() ? ",\n" : "\n";
      }
      out += outer + "]";
      return;
    case Type::Object:
      if (members_.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      for (std::size_t i = 0; i < members_.size(); ++i) {
        out += inner;
        append_json_string(out, members_[i].first);
        out += ": ";
        members_[i].second.write(out, indent + 2);
        out += i + 1 < members_.size() ? ",\n" : "\n";
      }
      out += outer + "}";
      return;
  }
}

}  // namespace prisma_cpp::emit::detail
