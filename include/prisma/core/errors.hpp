// The runtime's exceptions: everything derives from prisma::Error and carries Prisma's code.
#pragma once
#include <stdexcept>
#include <string>

namespace prisma {

class Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message)
      : std::runtime_error(code.empty() ? message : code + ": " + message),
        code_(std::move(code)) {}
  // Prisma's error code ("P2002", ...) or empty for errors Prisma has no code for.
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

// A value that does not fit its type (a malformed DateTime or Decimal text, an unknown enum name).
class ValueError : public Error {
 public:
  explicit ValueError(const std::string& message) : Error("P2007", message) {}
};

}  // namespace prisma
