// The compile benchmark's query translation unit: ten ordinary queries (find, create, update,
// with includes, filters, a relation filter and a nested create) over three models of a schema
// written by gen_schema.py. It includes the Client and the headers of the models it uses; with a
// client generated before per-model headers existed, client.hpp alone held every model.
#include <app/client.hpp>
#if __has_include(<app/models/M000.hpp>)
#include <app/models/M000.hpp>
#include <app/models/M001.hpp>
#include <app/models/M002.hpp>
#endif

#include <cstdio>

using namespace prisma;
using namespace app;

int main() {
  auto db = Client::open("file::memory:");
  db.push_schema();
  auto parent = db.m000.create({.code = "p", .title = "parent",
                                .children1 = {.create = {{.code = "c1", .title = "child"}}}});
  auto child = db.m001.create({.code = "c2", .title = "t", .parentId = parent.id});
  auto found = db.m001.find_unique(m001::code == "c2");
  db.m001.update(m001::id == child.id, {.title = "renamed", .ratio = 2.5});
  auto with_children = db.m000.find_many(where(m000::title.contains("par") && m000::active == true),
                                         include(m000::children1), take(10));
  auto latest = db.m002.find_first(where(m002::ratio > 0.5), order_by(m002::createdAt.desc()));
  auto notes = db.m002.count(where(m002::note.is_null()));
  db.m000.update_many(m000::active == false, {.active = true});
  auto of_parent = db.m001.find_many(where(m001::parent.is(m000::code == "p")), include(m001::parent));
  auto gone = db.m002.delete_many(m002::title.starts_with("tmp"));
  std::printf("%zu %zu %d %lld %zu %lld\n", with_children.size(), of_parent.size(), found ? 1 : 0,
              static_cast<long long>(notes), latest ? std::size_t{1} : std::size_t{0},
              static_cast<long long>(gone));
  return 0;
}
