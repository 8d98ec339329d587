// prisma::Repository<Model, Db>: the repository pattern over a model's delegate. `Db` is the
// generated Client or a transaction's `tx` (a repository built on `tx` runs inside the
// transaction). The generated `<Model>Repository<Db>` adds find_by_<field> for every @unique
// field; derive from either for your own query methods (`this->delegate()` is the model's
// delegate, `this->db()` the client).
#pragma once
#include <cstdint>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "prisma/core/errors.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/query/clauses.hpp"
#include "prisma/query/column.hpp"
#include "prisma/query/write.hpp"

namespace prisma {

// A page of find_many: skip, then take.
struct Page {
  std::int64_t skip = 0;
  std::int64_t take = 20;
};

namespace detail {

template <class Model>
using columns_of = typename meta::model_traits<Model>::columns;

template <class Model, std::size_t I>
using column_at = std::tuple_element_t<I, columns_of<Model>>;

template <class Model>
constexpr bool has_version() {
  return meta::model_traits<Model>::version_column != static_cast<std::size_t>(-1);
}

// `pk1 == k1 && pk2 == k2 ...` for the model's primary key.
template <class Model, class... K>
auto primary_key_filter(const K&... key) {
  using PK = typename meta::model_traits<Model>::primary_key;
  static_assert(!std::is_void_v<PK>, "prisma: this model has no @id / @@id");
  static_assert(sizeof...(K) == PK::columns.size(), "prisma: give one value per field of the model's @id / @@id");
  auto keys = std::forward_as_tuple(key...);
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return ((column_at<Model, PK::columns[I]>{} == std::get<I>(keys)) && ...);
  }(std::make_index_sequence<sizeof...(K)>{});
}

template <class Model>
auto primary_key_filter_of(const Model& m) {
  using PK = typename meta::model_traits<Model>::primary_key;
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return primary_key_filter<Model>(m.*column_at<Model, PK::columns[I]>::descriptor::member...);
  }(std::make_index_sequence<PK::columns.size()>{});
}

template <class Model, std::size_t I>
constexpr bool in_primary_key() {
  using PK = typename meta::model_traits<Model>::primary_key;
  if constexpr (std::is_void_v<PK>) {
    return false;
  } else {
    for (auto c : PK::columns)
      if (c == I) return true;
    return false;
  }
}

// Whether a create may leave column I to its default when the struct holds the value-initialised
// value: generated keys and timestamps (autoincrement, uuid(), now(), ...), never a literal default.
template <class Model, std::size_t I>
constexpr bool generated_default() {
  using D = typename column_at<Model, I>::descriptor;
  using K = meta::DefaultKind;
  return D::default_kind == K::Autoincrement || D::default_kind == K::Sequence || D::default_kind == K::DbGenerated ||
         meta::client_generated(D::default_kind) || (D::flags & meta::flags::updated_at) != 0;
}

// The create input of a whole model struct.
template <class Model>
auto create_input_of(const Model& m) {
  using Create = typename meta::write_types<Model>::create;
  using IT = meta::input_traits<Create>;
  constexpr std::size_t N = std::tuple_size_v<columns_of<Model>>;
  constexpr std::size_t R = decltype(IT::relations)::size;
  auto member = [&]<std::size_t I>(std::integral_constant<std::size_t, I>) {
    using Target = std::remove_cvref_t<decltype(std::declval<Create&>().*meta::get<I>(IT::members))>;
    const auto& v = m.*column_at<Model, I>::descriptor::member;
    if constexpr (!std::is_same_v<Target, Required<std::remove_cvref_t<decltype(v)>>>) {
      if constexpr (generated_default<Model, I>()) {
        using V = std::remove_cvref_t<decltype(v)>;
        if (v == V{}) return Target{};
      }
      return Target(v);
    } else {
      return Target(v);
    }
  };
  return [&]<std::size_t... I, std::size_t... J>(std::index_sequence<I...>, std::index_sequence<J...>) {
    return Create{member(std::integral_constant<std::size_t, I>{})...,
                  std::remove_cvref_t<decltype(std::declval<Create&>().*meta::get<J>(IT::relations))>{}...};
  }(std::make_index_sequence<N>{}, std::make_index_sequence<R>{});
}

// The update input that writes every column of a model struct but its key, its version and
// @updatedAt (which the update sets itself).
template <class Model>
auto update_input_of(const Model& m) {
  using Update = typename meta::write_types<Model>::update;
  using IT = meta::input_traits<Update>;
  Update u{};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          using D = typename column_at<Model, I>::descriptor;
          if constexpr (!in_primary_key<Model, I>() && I != meta::model_traits<Model>::version_column &&
                        (D::flags & meta::flags::updated_at) == 0)
            u.*meta::get<I>(IT::members) = m.*D::member;
        }(),
        ...);
  }(std::make_index_sequence<std::tuple_size_v<columns_of<Model>>>{});
  return u;
}

}  // namespace detail

template <class Model, class Db>
class Repository {
 public:
  using create_input = typename meta::write_types<Model>::create;
  using update_input = typename meta::write_types<Model>::update;

  explicit Repository(Db& db) : db_(&db) {}

  Db& db() { return *db_; }
  auto& delegate() { return db_->template of<Model>(); }

  // By primary key (one value per @id / @@id field).
  template <class... K>
  std::optional<Model> find_by_id(const K&... key) {
    return delegate().find_unique(detail::primary_key_filter<Model>(key...));
  }

  // A page of rows, with any further clauses (where, order_by; the primary key orders by default).
  template <class... Clauses>
  std::vector<Model> find_many(Page page, const Clauses&... clauses) {
    if constexpr (sizeof...(Clauses) == 0) {
      using PK = typename meta::model_traits<Model>::primary_key;
      return delegate().find_many(skip(page.skip), take(page.take),
                                  order_by(detail::column_at<Model, PK::columns[0]>{}.asc()));
    } else {
      return delegate().find_many(clauses..., skip(page.skip), take(page.take));
    }
  }

  Model create(const create_input& data) { return delegate().create(data); }

  // Updates the row with this primary key; RecordNotFound (P2025) when there is none.
  template <class K>
  Model update(const K& id, const update_input& data) {
    return delegate().update(detail::primary_key_filter<Model>(id), data);
  }

  // Inserts the record, or writes every field of it over the stored one. With a version field
  // (optimistic locking) the write happens only if the stored version is m's, and bumps it;
  // otherwise it throws StaleVersion. A record whose generated key is unset (0, "") is inserted.
  Model save(const Model& m) {
    using PK = typename meta::model_traits<Model>::primary_key;
    bool key_unset = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return ((detail::generated_default<Model, PK::columns[I]>() &&
               m.*detail::column_at<Model, PK::columns[I]>::descriptor::member ==
                   std::remove_cvref_t<decltype(m.*detail::column_at<Model, PK::columns[I]>::descriptor::member)>{}) ||
              ...);
    }(std::make_index_sequence<PK::columns.size()>{});
    if (key_unset) return delegate().create(detail::create_input_of(m));
    if constexpr (detail::has_version<Model>()) {
      constexpr std::size_t V = meta::model_traits<Model>::version_column;
      try {
        return delegate().update_versioned(detail::primary_key_filter_of(m),
                                           m.*detail::column_at<Model, V>::descriptor::member, detail::update_input_of(m));
      } catch (const StaleVersion&) {
        throw;
      } catch (const RecordNotFound&) {
        return delegate().create(detail::create_input_of(m));
      }
    } else {
      return delegate().upsert(detail::primary_key_filter_of(m), detail::create_input_of(m), detail::update_input_of(m));
    }
  }

  // Deletes the row with this primary key and returns it; RecordNotFound (P2025) when none.
  template <class... K>
  Model remove(const K&... key) {
    return delegate().delete_(detail::primary_key_filter<Model>(key...));
  }

  std::int64_t count() { return delegate().count(); }

 private:
  Db* db_;
};

}  // namespace prisma
