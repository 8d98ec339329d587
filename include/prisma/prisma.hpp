// The runtime without a backend: models, the query layer, delegates, transactions,
// repositories, raw SQL and observability. A generated client.hpp adds its backend's Client base
// (prisma/sqlite.hpp or prisma/postgres.hpp), so a PostgreSQL build never includes sqlite3.h
// and a SQLite build never includes libpqxx.
#pragma once
#include "prisma/core/fixed_string.hpp"
#include "prisma/core/ids.hpp"
#include "prisma/model.hpp"
#include "prisma/client/client_base.hpp"
