// The installed package at work: a generated client, a write and a read on a SQLite file.
#include <shop/all.hpp>

#include <cstdio>
#include <filesystem>

int main() {
  // an absolute path: a relative file: URL is relative to the schema's folder, as in Prisma
  auto file = std::filesystem::current_path() / "test_package.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  auto db = shop::Client::open("file:" + file.string());
  db.push_schema();
  db.item.create({.name = "pen", .price = 3});
  auto pen = db.item.find_unique(shop::item::name == "pen");
  std::printf("prisma-cpp package: %s costs %d\n", pen ? pen->name.c_str() : "(none)", pen ? pen->price : -1);
  return pen && pen->price == 3 ? 0 : 1;
}
