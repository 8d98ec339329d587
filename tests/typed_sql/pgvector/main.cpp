// pgvector through TypedSQL, built as a user builds it (an installed prisma-cpp, prisma_generate
// with SQL_DIR and SQL_URL): nearest neighbours by cosine distance with the HNSW index.
#include <vec/all.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <type_traits>

// the parameter and column types the server described
static_assert(std::is_same_v<decltype(vec::sql::NearestRow::distance), std::optional<double>>);
static_assert(std::is_same_v<decltype(vec::sql::EmbeddingOfRow::embedding), std::optional<prisma::Vector>>);
template <class D> constexpr bool takes_floats = requires(D& d) { d.sql.nearest(std::vector<float>{1, 0, 0}, 2); };
template <class D> constexpr bool takes_span = requires(D& d, std::span<const float> s) { d.sql.nearest(s, 2); };
template <class D> constexpr bool takes_text = requires(D& d) { d.sql.nearest(std::string("[1,0,0]"), 2); };
static_assert(takes_floats<vec::Client> && takes_span<vec::Client> && !takes_text<vec::Client>);

int failures = 0;
#define VCHECK(e)                                                  \
  do {                                                            \
    if (!(e)) {                                                   \
      std::fprintf(stderr, "FAILED line %d: %s\n", __LINE__, #e); \
      ++failures;                                                 \
    }                                                             \
  } while (0)

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  try {
    auto db = vec::Client::open(argv[1]);
    db.execute_raw_unsafe("DELETE FROM \"Item\"");
    auto x = db.item.create({.title = "x"});
    auto y = db.item.create({.title = "y"});
    auto xy = db.item.create({.title = "xy"});
    db.item.create({.title = "none"});
    VCHECK(db.sql.setEmbedding(std::vector<float>{1, 0, 0}, x.id) == 1);
    VCHECK(db.sql.setEmbedding(std::vector<float>{0, 1, 0}, y.id) == 1);
    std::array<float, 3> diagonal{0.7f, 0.7f, 0};
    VCHECK(db.sql.setEmbedding(std::span<const float>(diagonal), xy.id) == 1);

    auto stored = db.sql.embeddingOf(xy.id);
    VCHECK(stored.size() == 1 && stored[0].embedding && (stored[0].embedding->values == std::vector<float>{0.7f, 0.7f, 0}));

    auto near = db.sql.nearest(std::vector<float>{0.9f, 0.1f, 0}, 2);
    VCHECK(near.size() == 2);
    VCHECK(near[0].title == "x");
    VCHECK(near[1].title == "xy");
    VCHECK(near[0].distance && std::abs(*near[0].distance - (1 - 0.9 / std::sqrt(0.82))) < 1e-6);
    auto all = db.sql.nearest(std::vector<float>{0, 1, 0}, 10);
    VCHECK(all.size() == 3);  // the item without an embedding is left out
    VCHECK(all[0].title == "y" && all[0].distance && std::abs(*all[0].distance) < 1e-6);

    // the HNSW index answers the query when the planner may not scan the table
    db.transaction([&](auto& tx) {
      tx.execute_raw_unsafe("SET LOCAL enable_seqscan = off");
      auto plan = tx.template query_raw_unsafe<std::tuple<std::string>>(
          "EXPLAIN SELECT id FROM \"Item\" ORDER BY embedding <=> '[1,0,0]'::vector LIMIT 2");
      bool uses_index = false;
      for (const auto& [line] : plan) uses_index = uses_index || line.find("Item_embedding_idx") != std::string::npos;
      VCHECK(uses_index);
      auto in_tx = tx.sql.nearest(std::vector<float>{0, 1, 0}, 1);
      VCHECK(in_tx.size() == 1 && in_tx[0].title == "y");
    });
    if (failures) return 1;
    std::printf("pgvector_typed_sql: every case passed\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pgvector_typed_sql: %s\n", e.what());
    return 1;
  }
}
