// Typed access to Json fields (prisma/json_nlohmann.hpp, through nlohmann/json): a C++ struct
// written as a Json value and read back, values at Prisma paths, on every backend.
#include <prisma/json_nlohmann.hpp>

#include "suite.hpp"

using namespace prisma_suite;

namespace {
struct Pet {
  std::string name;
  int age = 0;
  std::vector<std::string> tags;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Pet, name, age, tags)
}  // namespace

TEST_CASE("typed Json access: a struct written and read back at Prisma paths", "[json]") {
  auto db = fresh();
  db.sample.create({.label = "a", .data = json_of(Pet{"Rex", 3, {"good", "dog"}})});
  auto row = db.sample.find_unique(sample::label == "a");
  REQUIRE(row);
  REQUIRE(row->data);
  CHECK(json_get<std::string>(*row->data, {"name"}) == "Rex");
  CHECK(json_get<int>(*row->data, {"age"}) == 3);
  CHECK(json_get<std::string>(*row->data, {"tags", "1"}) == "dog");
  CHECK_FALSE(json_get<int>(*row->data, {"missing"}).has_value());
  CHECK_FALSE(json_get<int>(*row->data, {"tags", "9"}).has_value());
  CHECK_FALSE(json_get<int>(*row->data, {"age", "x"}).has_value());  // through a scalar
  CHECK_THROWS_AS(json_get<int>(*row->data, {"name"}), ValueError);  // a string is no int
  Pet pet = json_as<Pet>(*row->data);
  CHECK(pet.name == "Rex");
  CHECK(pet.tags == std::vector<std::string>{"good", "dog"});
  // the database's path filter and the C++ access read the same value
  CHECK(db.sample.count(where(sample::data.path({"name"}).equals(json_of("Rex")))) == 1);
  CHECK(db.sample.count(where(sample::data.path({"age"}).gt(json_of(2)))) == 1);
  CHECK_THROWS_AS(json_as<Pet>(Json("not json")), ValueError);
}
