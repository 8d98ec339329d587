// Comparing two Catalogs: the differences in words (migrate diff without --script, drift reports)
// and the changes that would lose data (migrate dev, db push).
#include "migrate/differ.hpp"

#include <string>
#include <vector>

namespace prisma_cpp::migrate {

std::vector<std::string> describe_differences(const Catalog& from, const Catalog& to) {
  std::vector<std::string> out;
  for (const auto& e : from.enums)
    if (!to.enum_(e.name)) out.push_back("removed enum `" + display_name(e.name) + "`");
  for (const auto& e : to.enums) {
    const Enum* old = from.enum_(e.name);
    if (!old) out.push_back("added enum `" + display_name(e.name) + "`");
    else if (!(*old == e)) out.push_back("changed enum `" + display_name(e.name) + "`");
  }
  for (const auto& t : from.tables)
    if (!to.table(t.name)) out.push_back("removed table `" + display_name(t.name) + "`");
  for (const auto& t : to.tables) {
    const Table* old = from.table(t.name);
    if (!old) {
      out.push_back("added table `" + display_name(t.name) + "`");
      continue;
    }
    for (const auto& c : old->columns)
      if (!t.column(c.name)) out.push_back("removed column `" + display_name(t.name) + "." + c.name + "`");
    for (const auto& c : t.columns) {
      const Column* oc = old->column(c.name);
      if (!oc) out.push_back("added column `" + display_name(t.name) + "." + c.name + "`");
      else if (!(*oc == c)) out.push_back("changed column `" + display_name(t.name) + "." + c.name + "`");
    }
    if (old->primary_key != t.primary_key) out.push_back("changed the primary key of `" + display_name(t.name) + "`");
    for (const auto& i : old->indexes)
      if (!t.index(i.name)) out.push_back("removed index `" + i.name + "`");
    for (const auto& i : t.indexes) {
      const Index* oi = old->index(i.name);
      if (!oi) out.push_back("added index `" + i.name + "`");
      else if (!(*oi == i)) out.push_back("changed index `" + i.name + "`");
    }
    if (!same_foreign_keys(old->foreign_keys, t.foreign_keys)) out.push_back("changed the foreign keys of `" + display_name(t.name) + "`");
  }
  return out;
}

std::vector<Warning> data_loss_warnings(const Catalog& from, const Catalog& to) {
  std::vector<Warning> out;
  for (const auto& t : from.tables) {
    const Table* nt = to.table(t.name);
    if (!nt) {
      out.push_back({t.name, "", "You are about to drop the `" + display_name(t.name) + "` table. All the data in the table will be lost."});
      continue;
    }
    for (const auto& c : t.columns) {
      const Column* nc = nt->column(c.name);
      if (!nc)
        out.push_back({t.name, c.name, "You are about to drop the column `" + c.name + "` on the `" + display_name(t.name) +
                                           "` table. All the data in the column will be lost."});
      else if (nc->type != c.type)
        out.push_back({t.name, c.name, "The column `" + c.name + "` on the `" + display_name(t.name) + "` table changes type from `" +
                                           c.type + "` to `" + nc->type + "`: existing values may not convert."});
      else if (nc->not_null && !c.not_null && !nc->default_sql)
        out.push_back({t.name, c.name, "Made the column `" + c.name + "` on table `" + display_name(t.name) +
                                           "` required, but there may be rows with NULL in it."});
    }
    for (const auto& c : nt->columns)
      if (!t.column(c.name) && c.not_null && !c.default_sql && !c.autoincrement)
        out.push_back({t.name, c.name, "Added the required column `" + c.name + "` to the `" + display_name(t.name) +
                                           "` table without a default value. This is not possible if the table is not empty."});
  }
  return out;
}

}  // namespace prisma_cpp::migrate
