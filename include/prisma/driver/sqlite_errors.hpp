// SQLite's result codes as Prisma's errors (P2002 with the constraint's columns, P2003, P2011,
// P2034, P1003, ...), for the SQLite driver.
#pragma once
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

#include "prisma/core/errors.hpp"

namespace prisma::driver::sqlite {

namespace detail {

// "UNIQUE constraint failed: User.email, User.name" -> {"email", "name"}
inline std::vector<std::string> constraint_columns(std::string_view msg) {
  auto colon = msg.find(": ");
  if (colon == msg.npos) return {};
  return prisma::detail::split_names(msg.substr(colon + 2), [](std::string_view item) {
    auto dot = item.rfind('.');
    return dot == item.npos ? item : item.substr(dot + 1);
  });
}

}  // namespace detail

// Throws the prisma::Error that matches an SQLite result code.
[[noreturn]] inline void throw_error(sqlite3* db, int rc, std::string_view context = {}) {
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!context.empty()) msg += std::string(" (") + std::string(context) + ")";
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw UniqueConstraintViolation("Unique constraint failed: " + msg,
                                      detail::constraint_columns(sqlite3_errmsg(db)));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw ForeignKeyViolation("Foreign key constraint violated: " + msg);
    case SQLITE_CONSTRAINT_NOTNULL: {
      auto cols = detail::constraint_columns(sqlite3_errmsg(db));
      throw NullConstraintViolation("Null constraint violation: " + msg,
                                    cols.empty() ? std::string() : cols.front());
    }
    default: break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:  // ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER
      if (msg.find("FOREIGN KEY") != std::string::npos)
        throw ForeignKeyViolation("Foreign key constraint violated: " + msg);
      throw DatabaseError(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw TransactionConflict("The database is locked by another connection: " + msg);
    case SQLITE_CANTOPEN:
      throw ConnectionError("P1003", "Cannot open the SQLite database: " + msg);
    case SQLITE_TOOBIG:
      throw ValueTooLong("The value is too long: " + msg);
    default:
      throw DatabaseError(msg);
  }
}

}  // namespace prisma::driver::sqlite
