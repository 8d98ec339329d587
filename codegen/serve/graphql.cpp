#include "serve/graphql.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "serve/values.hpp"

namespace prisma_cpp::serve::graphql {

using values::QueryError;

namespace {

// ---- the lexer and parser ------------------------------------------------------------------

class Parser {
 public:
  Parser(std::string_view text, const json::object& variables) : s_(text), vars_(variables) {}

  Operation document() {
    Operation op;
    skip();
    if (peek() != '{') {
      std::string kind = name("`query` or `mutation`");
      if (kind == "mutation") op.mutation = true;
      else if (kind != "query") fail("expected `query` or `mutation`, found `" + kind + "`");
      skip();
      if (is_name_start(peek())) name("an operation name");
      skip();
      if (peek() == '(') variable_definitions();
    }
    expect('{');
    skip();
    std::string first = name("the field to run");
    skip();
    if (peek() == ':') {
      ++i_;
      skip();
      op.alias = first;
      op.field = name("the field after its alias");
    } else {
      op.alias = op.field = first;
    }
    skip();
    if (peek() == '(') op.arguments = arguments();
    skip();
    if (peek() == '{') op.selection = selection_set();
    skip();
    if (peek() != '}') fail("Prisma's engine runs one field per operation");
    ++i_;
    skip();
    if (i_ != s_.size()) fail("unexpected text after the operation");
    return op;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    std::size_t line = 1, col = 1;
    for (std::size_t k = 0; k < i_ && k < s_.size(); ++k) {
      if (s_[k] == '\n') ++line, col = 1;
      else ++col;
    }
    throw QueryError("P2009", "Failed to parse the query: " + what + " at line " + std::to_string(line) + ", column " +
                                  std::to_string(col));
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  static bool is_name_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
  static bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

  // Whitespace, commas (insignificant in GraphQL), comments and a byte-order mark.
  void skip() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') ++i_;
      else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (s_.compare(i_, 3, "\xEF\xBB\xBF") == 0) i_ += 3;
      else break;
    }
  }
  void expect(char c) {
    skip();
    if (peek() != c) fail(std::string("expected `") + c + "`");
    ++i_;
  }
  std::string name(const char* what) {
    skip();
    if (!is_name_start(peek())) fail(std::string("expected ") + what);
    std::size_t start = i_;
    while (i_ < s_.size() && is_name_char(s_[i_])) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }

  // ($id: Int!, $name: String = "x"): the names are looked up in `variables` when used.
  void variable_definitions() {
    ++i_;
    int depth = 1;
    while (depth > 0) {
      if (i_ >= s_.size()) fail("unterminated variable definitions");
      char c = s_[i_];
      if (c == '"') {
        string_value();
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')') --depth;
      ++i_;
    }
  }

  json::object arguments() {
    expect('(');
    return fields(')', "an argument name");
  }

  // `name: value` pairs up to `close` (an argument list's `)`, an object's `}`), which is consumed.
  json::object fields(char close, const char* what) {
    json::object out;
    for (;;) {
      skip();
      if (peek() == close) {
        ++i_;
        return out;
      }
      if (i_ >= s_.size()) fail(std::string("expected `") + close + "`");
      std::string key = name(what);
      expect(':');
      out[key] = value();
    }
  }

  // Nesting deeper than Prisma's queries ever go is refused, not recursed into (a request of
  // "[[[[..." would otherwise take the thread's stack).
  static constexpr int kMaxDepth = 100;
  struct Deeper {
    explicit Deeper(Parser& p) : p_(p) {
      if (++p_.depth_ > kMaxDepth) p_.fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    ~Deeper() { --p_.depth_; }
    Parser& p_;
  };

  json::value value() {
    Deeper deeper(*this);
    skip();
    char c = peek();
    if (c == '"') return string_value();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    if (c == '[') {
      ++i_;
      json::array list;
      for (;;) {
        skip();
        if (peek() == ']') {
          ++i_;
          return list;
        }
        if (i_ >= s_.size()) fail("unterminated list");
        list.push_back(value());
      }
    }
    if (c == '{') {
      ++i_;
      return fields('}', "a field name in an object");
    }
    if (c == '$') {
      ++i_;
      std::string var = name("a variable name");
      auto* v = vars_.if_contains(var);
      if (!v) fail("the variable `$" + var + "` is not given in `variables`");
      return *v;
    }
    if (is_name_start(c)) {
      std::string word = name("a value");
      if (word == "true") return true;
      if (word == "false") return false;
      if (word == "null") return nullptr;
      return json::value(word);  // an enum value (e.g. `asc`, `insensitive`, an enum of the schema)
    }
    fail("expected a value");
  }

  // A GraphQL string: the escapes are JSON's ("\"", "\\", "\/", "\b", "\f", "\n", "\r", "\t",
  // "\uXXXX"), so Boost.JSON decodes it; a block string ("""...""") is taken as written.
  json::value string_value() {
    if (s_.compare(i_, 3, "\"\"\"") == 0) {
      std::size_t end = s_.find("\"\"\"", i_ + 3);
      if (end == std::string_view::npos) fail("unterminated block string");
      std::string text(s_.substr(i_ + 3, end - i_ - 3));
      i_ = end + 3;
      return json::value(text);
    }
    std::size_t start = i_++;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\n') fail("a line break inside a string");
      i_ += s_[i_] == '\\' ? 2 : 1;
    }
    if (i_ >= s_.size()) fail("unterminated string");
    ++i_;
    boost::system::error_code ec;
    json::value v = json::parse(s_.substr(start, i_ - start), ec);
    if (ec || !v.is_string()) {
      i_ = start;
      fail("a malformed string (" + ec.message() + ")");
    }
    return v;
  }

  json::value number() {
    std::size_t start = i_;
    if (peek() == '-') ++i_;
    while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E' ||
                              ((s_[i_] == '+' || s_[i_] == '-') && (s_[i_ - 1] == 'e' || s_[i_ - 1] == 'E'))))
      ++i_;
    boost::system::error_code ec;
    json::value v = json::parse(s_.substr(start, i_ - start), ec);
    if (ec || !v.is_number()) {
      i_ = start;
      fail("a malformed number");
    }
    return v;
  }

  // { a b rel(args) { ... } _count { posts } }: scalars as `true`, the rest as {arguments, selection}.
  json::object selection_set() {
    Deeper deeper(*this);
    expect('{');
    json::object out;
    for (;;) {
      skip();
      if (peek() == '}') {
        ++i_;
        return out;
      }
      if (s_.compare(i_, 3, "...") == 0) fail("fragments are not part of Prisma's protocol");
      std::string key = name("a field to select");
      skip();
      if (peek() == ':') fail("aliases inside a selection are not part of Prisma's protocol");
      json::object sub;
      bool nested = false;
      if (peek() == '(') {
        sub["arguments"] = arguments();
        nested = true;
        skip();
      }
      if (peek() == '{') {
        sub["selection"] = selection_set();
        nested = true;
      }
      if (nested) out[key] = std::move(sub);
      else out[key] = true;
    }
  }

  std::string_view s_;
  const json::object& vars_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

// ---- the translation -------------------------------------------------------------------------

// The JSON protocol's actions, longest first so that `createManyAndReturn` wins over `createMany`.
constexpr std::array<std::string_view, 14> kActions = {
    "createManyAndReturn", "findUnique", "createMany", "updateMany", "deleteMany", "findFirst", "createOne",
    "updateOne", "upsertOne", "deleteOne", "aggregate", "findMany", "groupBy", "findRaw"};

bool has_model(const ir::Schema& s, std::string_view name) {
  return std::any_of(s.models.begin(), s.models.end(), [&](const ir::Model& m) { return m.name == name && !m.is_ignored; });
}

// A selection for the JSON protocol: the arguments of a relation stay, a selection-less relation
// (`posts { }` never happens; `posts` alone would) selects its scalars.
json::value selection_of(const json::object& sel) {
  json::object out;
  for (const auto& [key, v] : sel) {
    if (v.is_object()) {
      json::object sub;
      const auto& o = v.as_object();
      if (auto* a = o.if_contains("arguments")) sub["arguments"] = *a;
      if (auto* s = o.if_contains("selection")) sub["selection"] = selection_of(s->as_object());
      else sub["selection"] = json::object{{"$scalars", true}};
      out[key] = std::move(sub);
    } else {
      out[key] = v;
    }
  }
  return out;
}

json::value answer_of(json::value v, const std::string& alias) {
  untag(v);
  return json::object{{"data", json::object{{alias, std::move(v)}}}};
}

// The JSON protocol answer of one query, {"data": {"<action><Model>": v}}, as the GraphQL answer.
json::value translate_answer(json::value answer, const std::string& alias) {
  if (!answer.is_object()) return answer;
  auto& o = answer.as_object();
  if (auto* d = o.if_contains("data"); d && d->is_object() && d->as_object().size() == 1)
    return answer_of(std::move(d->as_object().begin()->value()), alias);
  return answer;  // {"errors": [...]} as it is
}

}  // namespace

Operation parse(std::string_view text, const json::object& variables) { return Parser(text, variables).document(); }

json::object to_json_protocol(const ir::Schema& schema, const Operation& op) {
  json::object query;
  if (!op.arguments.empty()) query["arguments"] = op.arguments;
  if (op.field == "queryRaw" || op.field == "executeRaw")
    return json::object{{"action", op.field}, {"query", std::move(query)}};
  for (std::string_view action : kActions) {
    if (op.field.compare(0, action.size(), action) != 0) continue;
    std::string_view rest = std::string_view(op.field).substr(action.size());
    std::string act(action);
    if (!has_model(schema, rest) && (action == "findUnique" || action == "findFirst") && rest.size() > 7 &&
        rest.substr(rest.size() - 7) == "OrThrow" && has_model(schema, rest.substr(0, rest.size() - 7))) {
      rest.remove_suffix(7);
      act += "OrThrow";
    }
    if (!has_model(schema, rest)) continue;
    // createMany/updateMany/deleteMany select `count`: their answer is {count} whatever is selected
    bool counts = act == "createMany" || act == "updateMany" || act == "deleteMany";
    if (!counts)
      query["selection"] = op.selection.empty() ? json::value(json::object{{"$scalars", true}}) : selection_of(op.selection);
    return json::object{{"modelName", std::string(rest)}, {"action", act}, {"query", std::move(query)}};
  }
  throw QueryError("P2009", "Failed to validate the query: `" + op.field +
                                "` is not an action of this schema (<action><Model>: findUnique, findFirst, findMany, "
                                "createOne, createMany, updateOne, updateMany, upsertOne, deleteOne, deleteMany, "
                                "aggregate, groupBy; or queryRaw, executeRaw)",
                   json::object{{"kind", "UnknownSelectionField"}});
}

void untag(json::value& v) {
  if (v.is_array()) {
    for (auto& x : v.as_array()) untag(x);
  } else if (v.is_object()) {
    auto& o = v.as_object();
    if (o.size() == 2 && o.contains("$type") && o.contains("value")) {
      json::value inner = std::move(o["value"]);
      v = std::move(inner);
      return;
    }
    for (auto& [k, x] : o) untag(x);
  }
}

bool is_graphql(const json::value& request) {
  if (!request.is_object()) return false;
  const auto& o = request.as_object();
  if (auto* q = o.if_contains("query")) return q->is_string();
  if (auto* b = o.if_contains("batch"); b && b->is_array() && !b->as_array().empty()) {
    const auto& first = b->as_array()[0];
    return first.is_object() && first.as_object().contains("query") && first.as_object().at("query").is_string();
  }
  return false;
}

json::value execute(Engine& engine, const json::value& request, const std::string& tx_id) {
  auto error = [](const QueryError& e) {
    json::object ufe{{"is_panic", false}, {"message", e.what()}, {"meta", e.meta}, {"error_code", e.code}};
    return json::value(json::object{{"errors", json::array{json::object{{"error", e.what()}, {"user_facing_error", ufe}}}}});
  };
  auto variables_of = [](const json::object& o) {
    if (auto* v = o.if_contains("variables"); v && v->is_object()) return v->as_object();
    return json::object{};
  };
  values::JsonAsText json_text;  // a Json field's value is its JSON text in this protocol
  const auto& r = request.as_object();
  const json::value* b = r.if_contains("batch");
  if (r.contains("query")) b = nullptr;  // one operation: a `batch` key beside its query is not read
  if (b && b->is_array()) {
    std::vector<std::string> aliases;
    json::array batch;
    std::size_t i = 0;
    try {
      for (const auto& item : b->as_array()) {
        if (!item.is_object() || !item.as_object().contains("query") || !item.as_object().at("query").is_string())
          throw QueryError("P2009", "Failed to validate the query: each item of a batch is {\"query\", \"variables\"}");
        Operation op = parse(item.as_object().at("query").as_string(), variables_of(item.as_object()));
        aliases.push_back(op.alias);
        batch.push_back(to_json_protocol(engine.schema(), op));
        ++i;
      }
    } catch (const QueryError& e) {
      json::value out = error(e);
      out.as_object()["errors"].as_array()[0].as_object()["user_facing_error"].as_object()["meta"].as_object()["batch_request_idx"] = i;
      return out;
    }
    json::object jp{{"batch", std::move(batch)}};
    if (auto* t = r.if_contains("transaction"); t && !(t->is_bool() && !t->as_bool())) {
      json::object options;
      if (auto* iso = r.if_contains("isolationLevel")) options["isolationLevel"] = *iso;
      jp["transaction"] = std::move(options);
    }
    json::value answer = engine.execute(jp, tx_id);
    if (auto* results = answer.as_object().if_contains("batchResult"); results && results->is_array()) {
      json::array out;
      std::size_t k = 0;
      for (auto& item : results->as_array()) out.push_back(translate_answer(std::move(item), aliases[k++]));
      return json::object{{"batchResult", std::move(out)}};
    }
    return answer;
  }
  try {
    Operation op = parse(r.at("query").as_string(), variables_of(r));
    return translate_answer(engine.execute(to_json_protocol(engine.schema(), op), tx_id), op.alias);
  } catch (const QueryError& e) {
    return error(e);
  }
}

}  // namespace prisma_cpp::serve::graphql
