#include "psl/diagnostics.hpp"

#include <algorithm>
#include <cstdio>

namespace prisma_cpp::psl {

void Diagnostics::error(Span span, std::string message, std::string hint) {
  items_.push_back({Severity::Error, std::move(message), std::move(hint), span});
}

void Diagnostics::warning(Span span, std::string message, std::string hint) {
  items_.push_back({Severity::Warning, std::move(message), std::move(hint), span});
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

void Diagnostics::sort_by_position() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.span.file != b.span.file) return a.span.file < b.span.file;
    return a.span.start < b.span.start;
  });
}

std::string format_plain(const SourceSet& sources, const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) {
    const SourceFile* f = d.span.file < sources.files.size() ? &sources[d.span.file] : nullptr;
    LineCol lc = f ? f->line_col(d.span.start) : LineCol{};
    out += (f ? f->path() : std::string("schema.prisma")) + ":" + std::to_string(lc.line) + ":" +
           std::to_string(lc.col) + ": " +
           (d.severity == Severity::Error ? "error: " : "warning: ") + d.message + "\n";
    if (!d.hint.empty()) out += "  hint: " + d.hint + "\n";
  }
  return out;
}

namespace {
std::string gutter(std::uint32_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%2u | ", n);
  return buf;
}
}  // namespace

std::string format_pretty(const SourceSet& sources, const Diagnostic& d, bool colour,
                          const std::string& file_name) {
  auto c = [&](const char* code) { return colour ? std::string(code) : std::string(); };
  const std::string reset = c("\x1b[0m");
  const SourceFile& f = sources[d.span.file];
  const std::string& text = f.text();
  LineCol start = f.line_col(d.span.start);
  LineCol end = f.line_col(d.span.end);
  std::string out;
  bool err = d.severity == Severity::Error;
  out += c(err ? "\x1b[1;91m" : "\x1b[1;93m") + (err ? "error" : "warning") + reset + ": " +
         c("\x1b[1m") + d.message + reset + "\n";
  out += "  " + c("\x1b[1;94m") + "-->" + reset + "  " + c("\x1b[4m") +
         (file_name.empty() ? f.path() : file_name) + ":" + std::to_string(start.line) + reset +
         "\n";
  std::string blank = c("\x1b[1;94m") + "   | " + reset;
  out += blank + "\n";
  if (start.line > 1)
    out += c("\x1b[1;94m") + gutter(start.line - 1) + reset +
           std::string(f.line_text(start.line - 1)) + "\n";
  std::string_view line = f.line_text(start.line);
  std::size_t col0 = start.col - 1;
  std::size_t span_len = std::min<std::size_t>(d.span.end, text.size()) - d.span.start;
  std::size_t on_line = std::min(span_len, line.size() > col0 ? line.size() - col0 : 0);
  out += c("\x1b[1;94m") + gutter(start.line) + reset + std::string(line.substr(0, col0)) +
         c(err ? "\x1b[1;91m" : "\x1b[1;93m") + std::string(line.substr(col0, on_line)) + reset +
         std::string(line.substr(std::min(line.size(), col0 + on_line))) + "\n";
  if (span_len == 0)
    out += blank + std::string(col0, ' ') + c("\x1b[1;91m") + "^ Unexpected token." + reset + "\n";
  if (end.line > start.line)
    for (std::uint32_t l = start.line + 1; l <= end.line + 1 && l <= f.line_count(); ++l)
      out += c("\x1b[1;94m") + gutter(l) + reset + std::string(f.line_text(l)) + "\n";
  out += blank + "\n";
  return out;
}

}  // namespace prisma_cpp::psl
