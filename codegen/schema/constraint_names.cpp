// Prisma's default constraint names (`User_pkey`, `User_email_key`, `Post_a_b_idx`,
// `Post_authorId_fkey`), truncated to the provider's identifier limit exactly as Prisma does.
#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {
namespace {

// Never cut a UTF-8 sequence in half (Rust's floor_char_boundary).
std::size_t floor_char_boundary(const std::string& s, std::size_t index) {
  if (index >= s.size()) return s.size();
  while (index > 0 && (static_cast<unsigned char>(s[index]) & 0xC0) == 0x80) --index;
  return index;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "_" : "") + v[i];
  return s;
}

std::string with_suffix(std::string base, const std::string& suffix, ir::Provider p) {
  std::size_t limit = max_identifier_length(p);
  if (base.size() >= limit - suffix.size()) base.resize(floor_char_boundary(base, limit - suffix.size()));
  return base + suffix;
}

}  // namespace


std::string primary_key_name(const std::string& table, ir::Provider p) {
  return with_suffix(table, "_pkey", p);
}

std::string unique_index_name(const std::string& table, const std::vector<std::string>& columns, ir::Provider p) {
  return with_suffix(table + "_" + join(columns), "_key", p);
}

std::string normal_index_name(const std::string& table, const std::vector<std::string>& columns, ir::Provider p) {
  return with_suffix(table + "_" + join(columns), "_idx", p);
}

std::string foreign_key_name(const std::string& table, const std::vector<std::string>& columns, ir::Provider p) {
  return with_suffix(table + "_" + join(columns), "_fkey", p);
}

void compute_constraint_names(Context& ctx) {
  ir::Provider p = ctx.provider();
  for (auto& m : ctx.schema.models) {
    if (m.primary_key && m.primary_key->db_name.empty()) m.primary_key->db_name = primary_key_name(m.db_name, p);
    for (auto& idx : m.indexes) {
      if (!idx.db_name.empty()) continue;
      std::vector<std::string> columns;
      for (const auto& f : idx.fields)
        if (f.field < m.fields.size()) columns.push_back(m.fields[f.field].db_name);
      idx.db_name = idx.type == ir::Index::Type::Unique ? unique_index_name(m.db_name, columns, p)
                                                        : normal_index_name(m.db_name, columns, p);
    }
  }
}

}  // namespace prisma_cpp::schema::detail
