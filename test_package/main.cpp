// The installed package at work: a generated client, a write and a read on a SQLite file.
#include <shop/all.hpp>

#include <cstdio>

int main() {
  std::remove("test_package.db");
  auto db = shop::Client::open("file:./test_package.db");
  db.push_schema();
  db.item.create({.name = "pen", .price = 3});
  auto pen = db.item.find_unique(shop::item::name == "pen");
  std::printf("prisma-cpp package: %s costs %d\n", pen ? pen->name.c_str() : "(none)", pen ? pen->price : -1);
  return pen && pen->price == 3 ? 0 : 1;
}
