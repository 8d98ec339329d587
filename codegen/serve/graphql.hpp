// Prisma's GraphQL protocol: what Prisma's binary query engine spoke before its JSON protocol, and
// what Prisma Client Python (0.15) still speaks. A request is translated into the JSON protocol and
// run by the same Engine (one query layer); its answer is translated back.
//
//   {"query": "mutation { result: createOneUser(data: {email: \"a@b.c\"}) { id email } }",
//    "variables": {}}                                  -> {"data": {"result": {"id": 1, ...}}}
//   {"batch": [{"query": ..., "variables": {}}, ...], "transaction": true}
//                                                      -> {"batchResult": [{"data": {"result": ...}}, ...]}
//
// The language is the part of GraphQL that Prisma's engine took: one operation (`query`, `mutation`
// or the `{...}` shorthand) selecting one field, `<alias>: <action><Model>(<arguments>)
// { <selection> }`, arguments as GraphQL values (strings, numbers, booleans, null, enum names,
// lists and objects; commas are whitespace, so the client's `[, {...}, ]` is a list of one object),
// `$variables` from the request, and selections of scalars, relations with arguments and nested
// selections, `_count { ... }` and the aggregates. No parser from Debian's packages covers this
// (Debian 12 packages no C++ GraphQL parser), and the subset is small: it is written here.
//
// Values differ from the JSON protocol's in one place the engine must know: a Json field's value is
// the JSON text itself (the client writes `json.dumps(data)`), not a JSON value. Answers are
// untagged: a DateTime, Decimal, BigInt or Bytes is its text, a Json field its JSON text (what the
// client's pydantic models parse).
#pragma once
#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "schema/ir.hpp"
#include "serve/engine.hpp"

namespace prisma_cpp::serve::graphql {

namespace json = boost::json;

// One parsed operation: `alias: field(arguments) { selection }`, the selection already in the JSON
// protocol's form (`{"id": true, "posts": {"arguments": {...}, "selection": {...}}}`).
struct Operation {
  bool mutation = false;
  std::string alias;  // the answer's key ("result"); the field's name without an alias
  std::string field;  // e.g. findUniqueUser, findFirstUserOrThrow, queryRaw
  json::object arguments;
  json::object selection;
};

// Parses one GraphQL document; a syntax error is a P2009 QueryError naming line and column.
Operation parse(std::string_view text, const json::object& variables = {});

// The JSON protocol's query for an operation: {"modelName", "action", "query": {"arguments", "selection"}}.
// An unknown action or model is a P2009 QueryError.
json::object to_json_protocol(const ir::Schema& schema, const Operation& op);

// Replaces every `{"$type": ..., "value": v}` by v (the JSON protocol's tagged output).
void untag(json::value& v);

// Whether a request body is of the GraphQL protocol: {"query": "<text>"} or a batch of those.
bool is_graphql(const json::value& request);

// Runs a GraphQL request (one query or a batch) on the engine, inside transaction `tx_id` if given.
json::value execute(Engine& engine, const json::value& request, const std::string& tx_id = {});

}  // namespace prisma_cpp::serve::graphql
