// What every backend's Client base shares: the runtime above the drivers (delegates,
// transactions, repositories, raw SQL, observability), the URL choice, and the ClientBase
// template each backend specialises (client.hpp: SQLite, client_postgres.hpp: PostgreSQL).
// No driver header here: the generated client.hpp includes its backend's.
#pragma once
#include <cstdlib>
#include <string>
#include <string_view>

#include "prisma/client/delegate.hpp"
#include "prisma/client/extension.hpp"
#include "prisma/client/raw.hpp"
#include "prisma/client/repository.hpp"
#include "prisma/client/transaction.hpp"
#include "prisma/core/errors.hpp"
#include "prisma/core/observe.hpp"
#include "prisma/meta/model.hpp"

namespace prisma {

namespace detail {

// An explicit URL wins; then the schema's env("X"), then DATABASE_URL, then the schema's literal
// url (a Prisma 6 schema); without any, ConnectionError P1012.
template <class Schema>
inline std::string choose_url(std::string_view url) {
  if (!url.empty()) return std::string(url);
  auto env = [](std::string_view name) -> std::string {
    if (name.empty()) return {};
    const char* v = std::getenv(std::string(name).c_str());
    return v ? std::string(v) : std::string();
  };
  if (auto v = env(Schema::url_env); !v.empty()) return v;
  if (auto v = env("DATABASE_URL"); !v.empty()) return v;
  if (!Schema::url.empty()) return std::string(Schema::url);
  throw ConnectionError("P1012", std::string("No database URL: pass one to Client::open, or set ") +
                                     (Schema::url_env.empty() ? "DATABASE_URL"
                                                              : std::string(Schema::url_env)));
}

}  // namespace detail

// The generated Client's base, one per provider (client.hpp: SQLite; client_postgres.hpp:
// PostgreSQL).
template <class Schema, meta::Provider P = Schema::provider>
class ClientBase;

}  // namespace prisma
