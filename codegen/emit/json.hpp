// JSON views of the IR: our own dump (`prisma-cpp validate --json`) and Prisma's DMMF datamodel.
#pragma once
#include <string>

#include "schema/ir.hpp"

namespace prisma_cpp::emit {

std::string ir_json(const ir::Schema& schema);     // everything the IR knows, pretty-printed
std::string dmmf_json(const ir::Schema& schema);   // Prisma's DMMF `datamodel` object

}  // namespace prisma_cpp::emit
