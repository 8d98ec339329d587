// Diagnostics collected by every stage: nothing stops at the first error.
#pragma once
#include <string>
#include <vector>

#include "psl/source.hpp"

namespace prisma_cpp::psl {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string message;  // what is wrong, in the words of `prisma validate` where it has them
  std::string hint;     // how to fix it (may be empty)
  Span span;
};

class Diagnostics {
 public:
  void error(Span span, std::string message, std::string hint = {});
  void warning(Span span, std::string message, std::string hint = {});
  bool has_errors() const;
  const std::vector<Diagnostic>& all() const { return items_; }
  std::vector<Diagnostic>& all() { return items_; }
  void sort_by_position();

 private:
  std::vector<Diagnostic> items_;
};

// `file:line:col: error: message` then `  hint: ...` (one diagnostic per entry, in order).
std::string format_plain(const SourceSet& sources, const std::vector<Diagnostic>& diags);

// The pretty form of `prisma validate` (psl/diagnostics/src/pretty_print.rs), with ANSI colours
// when `colour` is set; file name shown as `file_name` when not empty.
std::string format_pretty(const SourceSet& sources, const Diagnostic& d, bool colour,
                          const std::string& file_name = {});

}  // namespace prisma_cpp::psl
