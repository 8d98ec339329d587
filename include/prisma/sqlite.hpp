// The runtime with the SQLite backend (what the generated client.hpp of a sqlite schema includes).
#pragma once
#include "prisma/prisma.hpp"
#include "prisma/client/client.hpp"
