// The quickstart: what `prisma-cpp generate` made of schema.prisma. Until the query API lands
// (issue 3) it shows the generated types and their metadata, all known at compile time.
#include <blog/client.hpp>

#include <cstdio>
#include <string>
#include <tuple>
#include <utility>

namespace {

const char* kind_name(prisma::meta::ScalarKind k) {
  using K = prisma::meta::ScalarKind;
  switch (k) {
    case K::String: return "String";
    case K::Boolean: return "Boolean";
    case K::Int: return "Int";
    case K::BigInt: return "BigInt";
    case K::Float: return "Float";
    case K::Decimal: return "Decimal";
    case K::DateTime: return "DateTime";
    case K::Json: return "Json";
    case K::Bytes: return "Bytes";
    case K::Enum: return "enum";
  }
  return "?";
}

template <class Column>
void print_column() {
  using D = typename Column::descriptor;
  std::printf("    %-10s %-9s column \"%s\"%s%s%s%s\n", std::string(Column::name).c_str(),
              kind_name(D::kind), std::string(Column::db_name).c_str(),
              Column::is_optional ? ", optional" : "", Column::is_id ? ", id" : "",
              Column::is_unique ? ", unique" : "",
              D::default_kind != prisma::meta::DefaultKind::None ? ", has a default" : "");
}

template <class Relation>
void print_relation() {
  using D = typename Relation::descriptor;
  std::printf("    %-10s -> %s%s (relation %s)\n", std::string(Relation::name).c_str(),
              std::string(prisma::meta::model_traits<typename D::target>::name).c_str(),
              Relation::is_list ? "[]" : "", std::string(D::relation_name).c_str());
}

template <class Model>
void print_model() {
  using T = prisma::meta::model_traits<Model>;
  std::printf("  model %s (table \"%s\", %zu columns)\n", std::string(T::name).c_str(),
              std::string(T::db_name).c_str(), std::tuple_size_v<typename T::columns>);
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (print_column<std::tuple_element_t<I, typename T::columns>>(), ...);
  }(std::make_index_sequence<std::tuple_size_v<typename T::columns>>{});
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (print_relation<std::tuple_element_t<I, typename T::relations>>(), ...);
  }(std::make_index_sequence<std::tuple_size_v<typename T::relations>>{});
}

}  // namespace

int main() {
  using namespace blog;
  std::printf("prisma-cpp quickstart: the types generated from schema.prisma\n\n");
  std::apply([](auto... m) { (print_model<decltype(m)>(), ...); }, prisma_schema::models{});

  // The structs are plain aggregates with the schema's own field names.
  User alice{.id = 1, .email = "alice@prisma.io", .name = "Alice", .role = Role::ADMIN,
             .age = 36, .createdAt = prisma::DateTime::parse("2024-05-06T07:08:09.123Z")};
  Post post{.id = 1, .title = "Hello", .content = std::nullopt, .published = true, .views = 0,
            .authorId = alice.id, .updatedAt = prisma::DateTime::now()};
  std::printf("\n  User{email=%s, role=%s (stored as '%s'), createdAt=%s}\n", alice.email.c_str(),
              std::string(to_string(alice.role)).c_str(),
              std::string(prisma::enum_db_name(alice.role)).c_str(),
              alice.createdAt.to_iso().c_str());
  std::printf("  Post{title=%s, authorId=%d, published=%s}\n", post.title.c_str(), post.authorId,
              post.published ? "true" : "false");
  std::printf("\nSQLite DDL for an empty database:\n\n%s",
              std::string(prisma_schema::ddl_sqlite).c_str());
  return 0;
}
