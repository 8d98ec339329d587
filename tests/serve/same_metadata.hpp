// The nested-write executor's metadata of a schema, as the generated library defines it and as
// the run-time engine builds it: one check per model, shared by the replay tests.
#pragma once
#include <prisma/meta/model.hpp>
#include <prisma/meta/write_info.hpp>

#include <algorithm>
#include <catch2/catch.hpp>
#include <tuple>
#include <type_traits>

#include "serve/engine_impl.hpp"

// ---- the nested-write executor's metadata: the generated library's and the engine's ---------------

namespace prisma_replay {

// One model's write::ModelInfo as the generated library defines it (model_traits<M>::write_info)
// against the one the engine builds from the same schema (WriteSchema), and each of its
// relations' write::RelationInfo: the two front ends run one executor over these.
template <class M>
inline void same_metadata(const prisma_cpp::serve::WriteSchema& ws, const prisma_cpp::ir::Schema& s) {
  const prisma::write::ModelInfo& typed = *prisma::meta::model_traits<M>::write_info;
  INFO("model " << typed.name);
  std::size_t mi = 0;
  while (mi < s.models.size() && s.models[mi].name != typed.name) ++mi;
  REQUIRE(mi < s.models.size());
  const prisma::write::ModelInfo& engine = ws.models[mi];
  CHECK(engine.db_name == typed.db_name);
  CHECK(engine.schema == typed.schema);
  CHECK(engine.column_list == typed.column_list);
  CHECK(std::ranges::equal(engine.key, typed.key));
  REQUIRE(engine.columns.size() == typed.columns.size());
  // the flags the engine sets (the generated ones also mark id, unique and relation scalars)
  constexpr std::uint32_t shared = prisma::meta::flags::optional | prisma::meta::flags::list |
                                   prisma::meta::flags::has_default | prisma::meta::flags::updated_at;
  for (std::size_t i = 0; i < typed.columns.size(); ++i) {
    const auto &e = engine.columns[i], &t = typed.columns[i];
    INFO("column " << t.name);
    CHECK(e.name == t.name);
    CHECK(e.db_name == t.db_name);
    CHECK(e.kind == t.kind);
    CHECK((e.flags & shared) == (t.flags & shared));
    CHECK(e.default_kind == t.default_kind);
    if (t.default_kind == prisma::meta::DefaultKind::Nanoid) CHECK(e.default_literal == t.default_literal);
  }
  REQUIRE(engine.required.size() == typed.required.size());
  for (std::size_t i = 0; i < typed.required.size(); ++i) {
    CHECK(engine.required[i].name == typed.required[i].name);
    CHECK(std::ranges::equal(engine.required[i].local, typed.required[i].local));
  }
  [&]<class... R>(std::type_identity<std::tuple<R...>>) {
    (
        [&] {
          const prisma::write::RelationInfo& t = *R::descriptor::write_info;
          INFO("relation " << t.name);
          const prisma_cpp::ir::Field* field = nullptr;
          for (const auto& f : s.models[mi].fields)
            if (f.name == t.name) field = &f;
          REQUIRE(field != nullptr);
          REQUIRE(ws.relations.count(field) == 1);
          const prisma::write::RelationInfo& e = ws.relations.at(field);
          CHECK(e.relation_name == t.relation_name);
          CHECK(e.model->name == t.model->name);
          CHECK(e.target->name == t.target->name);
          CHECK(e.kind == t.kind);
          CHECK(e.is_list == t.is_list);
          CHECK(e.owns_foreign_key == t.owns_foreign_key);
          CHECK(e.can_disconnect == t.can_disconnect);
          CHECK(e.foreign_key_optional == t.foreign_key_optional);
          CHECK(std::ranges::equal(e.local, t.local));
          CHECK(std::ranges::equal(e.remote, t.remote));
          CHECK(e.join_schema == t.join_schema);
          CHECK(e.join_table == t.join_table);
          CHECK(e.join_local == t.join_local);
          CHECK(e.join_remote == t.join_remote);
        }(),
        ...);
  }(std::type_identity<typename prisma::meta::model_traits<M>::relations>{});
}

}  // namespace prisma_replay

