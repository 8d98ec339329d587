// The runtime's exceptions: everything derives from prisma::Error and carries Prisma's code.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace prisma {

class Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message)
      : std::runtime_error(code.empty() ? message : code + ": " + message),
        code_(std::move(code)), message_(message) {}
  // Prisma's error code ("P2002", ...) or empty for errors Prisma has no code for.
  const std::string& code() const noexcept { return code_; }
  // The message without the code (what() is "<code>: <message>"), as Prisma words it.
  const std::string& message() const noexcept { return message_; }

 private:
  std::string code_, message_;
};

// A value that does not fit its type (a malformed DateTime or Decimal text, an unknown enum name).
class ValueError : public Error {
 public:
  explicit ValueError(const std::string& message) : Error("P2007", message) {}
};

}  // namespace prisma

namespace prisma {

// P2002: a unique constraint failed; fields() names the columns of the constraint.
class UniqueConstraintViolation : public Error {
 public:
  UniqueConstraintViolation(const std::string& message, std::vector<std::string> fields)
      : Error("P2002", message), fields_(std::move(fields)) {}
  const std::vector<std::string>& fields() const noexcept { return fields_; }

 private:
  std::vector<std::string> fields_;
};

// P2003: a foreign key constraint failed.
class ForeignKeyViolation : public Error {
 public:
  explicit ForeignKeyViolation(const std::string& message, std::string field = {})
      : Error("P2003", message), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

// P2011: a NOT NULL constraint failed.
class NullConstraintViolation : public Error {
 public:
  NullConstraintViolation(const std::string& message, std::string field)
      : Error("P2011", message), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

// P2000: a value is too long for its column.
class ValueTooLong : public Error {
 public:
  explicit ValueTooLong(const std::string& message) : Error("P2000", message) {}
};

// P2025: the record an operation needs does not exist.
class RecordNotFound : public Error {
 public:
  explicit RecordNotFound(const std::string& message) : Error("P2025", message) {}
};

// Bad input that Prisma reports as a validation error (no database involved): a required
// relation left out of a create, two ways of writing one relation at once, a nested write where
// it does not apply.
class ValidationError : public Error {
 public:
  explicit ValidationError(const std::string& message) : Error("P2009", message) {}
};

// P2014: the change would leave a record without its required relation.
// Its meta, as Prisma's: the relation's name and its two models (the one holding the foreign
// key first), when known.
class RelationViolation : public Error {
 public:
  explicit RelationViolation(const std::string& message, std::string relation = {}, std::string model_a = {},
                             std::string model_b = {})
      : Error("P2014", message), relation_(std::move(relation)), model_a_(std::move(model_a)), model_b_(std::move(model_b)) {}
  const std::string& relation() const noexcept { return relation_; }
  const std::string& model_a() const noexcept { return model_a_; }
  const std::string& model_b() const noexcept { return model_b_; }

 private:
  std::string relation_, model_a_, model_b_;
};

class StaleVersion : public RecordNotFound {
 public:
  explicit StaleVersion(const std::string& message) : RecordNotFound(message) {}
};

// P2034: a write conflict or deadlock; the transaction may be retried. SQLite's SQLITE_BUSY and
// SQLITE_LOCKED (the database is locked by another connection past busy_timeout) land here too.
class TransactionConflict : public Error {
 public:
  explicit TransactionConflict(const std::string& message) : Error("P2034", message) {}
};

// P2028: a transaction used after it ended (its callable returned), or one that ran past its
// timeout (rolled back).
class TransactionClosed : public Error {
 public:
  explicit TransactionClosed(const std::string& message) : Error("P2028", message) {}
};

// P2025 for an optimistic-locking update whose record exists but no longer carries the expected
// version: another writer got there first. A RecordNotFound, as Prisma reports the same
// `update({where: {id, version}})`, but a type of its own to catch.
class StaleVersion;

// P1001 / P1017 / P1003: the database cannot be reached, closed the connection or does not exist.
class ConnectionError : public Error {
 public:
  ConnectionError(std::string code, const std::string& message) : Error(std::move(code), message) {}
};

// Any other database error, with the driver's own message.
class DatabaseError : public Error {
 public:
  explicit DatabaseError(const std::string& message, std::string code = {})
      : Error(std::move(code), message) {}
};

namespace detail {

// The names of a database's ", "-separated column list in an error message, each passed
// through `clean` (drop a table prefix, quotes ...). Shared by the drivers' error mapping.
template <class Clean>
std::vector<std::string> split_names(std::string_view list, Clean clean) {
  std::vector<std::string> out;
  while (!list.empty()) {
    auto comma = list.find(", ");
    out.emplace_back(clean(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 2);
  }
  return out;
}

}  // namespace detail

}  // namespace prisma
