// A small JSON reader for tests: parse text into a value and compare values as JSON does (object
// key order ignored, numbers by value), with a path to the first difference for messages.
#pragma once
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace prisma_test {

struct JsonValue {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  std::map<std::string, JsonValue> object;
  std::vector<std::string> key_order;  // objects: keys as they came

  const JsonValue& at(const std::string& key) const { return object.at(key); }
  bool has(const std::string& key) const { return object.count(key) != 0; }
};

namespace json_detail {

class Reader {
 public:
  explicit Reader(const std::string& text) : s_(text) {}

  JsonValue document() {
    JsonValue v = value();
    space();
    if (p_ != s_.size()) fail("text after the value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(p_));
  }
  void space() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t')) ++p_;
  }
  bool eat(char c) {
    space();
    if (p_ < s_.size() && s_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'");
  }
  bool word(const char* w) {
    std::string t(w);
    if (s_.compare(p_, t.size(), t) != 0) return false;
    p_ += t.size();
    return true;
  }

  JsonValue value() {
    space();
    if (p_ >= s_.size()) fail("unexpected end");
    JsonValue v;
    char c = s_[p_];
    if (c == '{') {
      ++p_;
      v.type = JsonValue::Type::Object;
      if (eat('}')) return v;
      do {
        space();
        std::string key = string();
        expect(':');
        if (v.object.count(key)) fail("repeated key " + key);
        v.key_order.push_back(key);
        v.object.emplace(key, value());
      } while (eat(','));
      expect('}');
    } else if (c == '[') {
      ++p_;
      v.type = JsonValue::Type::Array;
      if (eat(']')) return v;
      do v.array.push_back(value());
      while (eat(','));
      expect(']');
    } else if (c == '"') {
      v.type = JsonValue::Type::String;
      v.string = string();
    } else if (word("true")) {
      v.type = JsonValue::Type::Bool;
      v.boolean = true;
    } else if (word("false")) {
      v.type = JsonValue::Type::Bool;
    } else if (word("null")) {
      v.type = JsonValue::Type::Null;
    } else {
      v.type = JsonValue::Type::Number;
      const char* begin = s_.c_str() + p_;
      char* end = nullptr;
      v.number = std::strtod(begin, &end);
      if (end == begin) fail("unexpected character");
      p_ += static_cast<std::size_t>(end - begin);
    }
    return v;
  }

  void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  unsigned hex4() {
    if (p_ + 4 > s_.size()) fail("short \\u escape");
    unsigned v = static_cast<unsigned>(std::stoul(s_.substr(p_, 4), nullptr, 16));
    p_ += 4;
    return v;
  }

  std::string string() {
    if (p_ >= s_.size() || s_[p_] != '"') fail("expected a string");
    ++p_;
    std::string out;
    while (true) {
      if (p_ >= s_.size()) fail("unterminated string");
      char c = s_[p_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("raw control character in a string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (p_ >= s_.size()) fail("unterminated escape");
      char e = s_[p_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && word("\\u")) cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
          utf8(out, cp);
          break;
        }
        default: fail("unknown escape");
      }
    }
  }

  const std::string& s_;
  std::size_t p_ = 0;
};

}  // namespace json_detail

inline JsonValue parse_json(const std::string& text) { return json_detail::Reader(text).document(); }

// "" when equal, else the path of the first difference and what differs there.
inline std::string json_difference(const JsonValue& want, const JsonValue& got, const std::string& path = "$") {
  if (want.type != got.type) return path + ": different types";
  switch (want.type) {
    case JsonValue::Type::Null: return "";
    case JsonValue::Type::Bool: return want.boolean == got.boolean ? "" : path + ": " + (want.boolean ? "true" : "false") + " expected";
    case JsonValue::Type::Number:
      return want.number == got.number ? "" : path + ": " + std::to_string(want.number) + " expected, got " + std::to_string(got.number);
    case JsonValue::Type::String: return want.string == got.string ? "" : path + ": \"" + want.string + "\" expected, got \"" + got.string + "\"";
    case JsonValue::Type::Array:
      for (std::size_t i = 0; i < want.array.size() && i < got.array.size(); ++i)
        if (auto d = json_difference(want.array[i], got.array[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
      return want.array.size() == got.array.size()
                 ? ""
                 : path + ": " + std::to_string(want.array.size()) + " items expected, got " + std::to_string(got.array.size());
    case JsonValue::Type::Object:
      for (const auto& [k, v] : want.object) {
        auto it = got.object.find(k);
        if (it == got.object.end()) return path + "." + k + ": missing";
        if (auto d = json_difference(v, it->second, path + "." + k); !d.empty()) return d;
      }
      for (const auto& [k, v] : got.object)
        if (!want.object.count(k)) return path + "." + k + ": not expected";
      return "";
  }
  return "";
}

}  // namespace prisma_test
