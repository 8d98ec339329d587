// Code written once for both databases: a repository over "a client that has authUser", as a
// concept and a template. It compiles against core::Client (SQLite) and gym::Client (PostgreSQL);
// a client without an authUser delegate does not satisfy the concept, with a readable error.
#pragma once
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace shared {

// A generated client whose schema has the shared AuthUser model.
template <class Db>
concept HasAuthUsers = requires(Db& db) {
  db.authUser;
  typename std::remove_cvref_t<decltype(db.authUser)>::model;
};

template <HasAuthUsers Db>
class AuthRepository {
 public:
  using AuthUser = typename std::remove_cvref_t<decltype(std::declval<Db&>().authUser)>::model;

  explicit AuthRepository(Db& db) : db_(db) {}

  // Signs a user up, or returns the one with that email (one statement: upsert by the unique email).
  AuthUser sign_up(const std::string& email, const std::optional<std::string>& name) {
    auto& users = db_.authUser;
    using M = AuthUser;
    using Create = typename prisma::meta::write_types<M>::create;
    using Update = typename prisma::meta::write_types<M>::update;
    Create create{.email = email};
    create.name = name;
    return users.upsert(email_column() == email, create, Update{});
  }

  std::optional<AuthUser> by_email(const std::string& email) { return db_.authUser.find_unique(email_column() == email); }

  std::vector<std::string> emails() {
    std::vector<std::string> out;
    for (const auto& u : db_.authUser.find_many(prisma::order_by(email_column().asc()))) out.push_back(u.email);
    return out;
  }

  std::int64_t count() { return db_.authUser.count(); }

 private:
  // The column named `email` of whichever schema's AuthUser this is (found by name at compile time).
  static constexpr auto email_column() {
    using Cols = typename prisma::meta::model_traits<AuthUser>::columns;
    constexpr std::size_t i = [] {
      std::size_t found = std::tuple_size_v<Cols>;
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((std::tuple_element_t<I, Cols>::name == std::string_view("email") ? (found = I, 0) : 0), ...);
      }(std::make_index_sequence<std::tuple_size_v<Cols>>{});
      return found;
    }();
    static_assert(i < std::tuple_size_v<Cols>, "AuthRepository: the AuthUser model needs an `email` field");
    return std::tuple_element_t<i, Cols>{};
  }
  Db& db_;
};

}  // namespace shared
