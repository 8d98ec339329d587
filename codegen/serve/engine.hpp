// The query engine at run time: a schema loaded by the codegen's own parser, queries given as data
// in Prisma's JSON protocol (the one the binary query engine spoke), executed through the runtime's
// drivers with every value bound and every identifier taken from the schema.
//
// First part (issue 14): single-model actions on scalar fields (findMany, findFirst(OrThrow),
// findUnique(OrThrow), createOne, updateOne, updateMany, deleteOne, deleteMany, aggregate with
// _count), where filters on scalars (equals, not, in, notIn, lt/lte/gt/gte, contains/startsWith/
// endsWith, AND/OR/NOT), orderBy, take, skip, selection of scalars, batches in one transaction.
// Relations in selections and filters, nested writes, groupBy and raw queries answer with a clear
// P2009 error naming what is not served yet.
#pragma once
#include <boost/json.hpp>

#include <memory>
#include <mutex>
#include <string>

#include "schema/ir.hpp"

namespace prisma_cpp::serve {

class Engine {
 public:
  // `url`: file:/sqlite: or postgresql:// (relative file: paths against `base_dir`).
  Engine(ir::Schema schema, const std::string& url, const std::string& base_dir);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // One request of the protocol: a query `{"modelName", "action", "query"}` or a batch
  // `{"batch": [...], "transaction": {...}}`. Returns `{"data": ...}` or `{"errors": [...]}`.
  boost::json::value execute(const boost::json::value& request);
  // SELECT 1 on the database: for /health/status.
  bool reachable();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace prisma_cpp::serve
