// The names Prisma gives what the schema does not name (`User_pkey`, `User_email_key`,
// `Post_a_b_idx`, `Post_authorId_fkey`, truncated to the provider's identifier limit as Prisma
// does) and the operator classes the schema language names (`JsonbPathOps`): used by the schema's
// resolution and by db pull, which writes `map:` / `ops:` only where they differ from these.
#pragma once
#include <string>
#include <vector>

#include "schema/ir.hpp"

namespace prisma_cpp::schema::detail {

std::string primary_key_name(const std::string& table, ir::Provider p);
std::string unique_index_name(const std::string& table, const std::vector<std::string>& columns, ir::Provider p);
std::string normal_index_name(const std::string& table, const std::vector<std::string>& columns, ir::Provider p);
std::string foreign_key_name(const std::string& table, const std::vector<std::string>& columns, ir::Provider p);

// `JsonbPathOps`, `Int4MinMaxOps`...: an operator class the schema names without raw("...").
bool known_operator_class(const std::string& name);

}  // namespace prisma_cpp::schema::detail
