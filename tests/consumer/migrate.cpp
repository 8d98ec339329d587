// A service's start-up: apply the pending migrations (no Node, no CLI), then query. argv[1]: a
// SQLite file to create.
#include <prisma/migrate.hpp>
#include <shop/all.hpp>

#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::filesystem::remove(argv[1]);
  std::string url = std::string("file:") + argv[1];
  try {
    auto first = prisma::migrate_deploy(url, MIGRATIONS_DIR);
    auto second = prisma::migrate_deploy(url, MIGRATIONS_DIR);
    auto db = shop::Client::open(url);
    db.product.create({.sku = "SKU-1", .name = "Pen", .price = prisma::Decimal("1.50")});
    std::printf("applied %zu then %zu; products %lld\n", first.applied.size(), second.applied.size(),
                static_cast<long long>(db.product.count()));
    return first.applied.size() == 1 && second.applied.empty() && db.product.count() == 1 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer_migrate: %s\n", e.what());
    return 1;
  }
}
