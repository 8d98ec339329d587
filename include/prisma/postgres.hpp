// The runtime with the PostgreSQL backend through libpqxx (what the generated client.hpp of a
// postgresql schema includes).
#pragma once
#include "prisma/prisma.hpp"
#include "prisma/client/client_postgres.hpp"
