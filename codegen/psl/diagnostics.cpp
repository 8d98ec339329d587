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
// Line numbers as Prisma prints them: right-aligned in two columns, or a blank gutter for 0.
std::string gutter(std::size_t n) {
  if (n == 0) return "   | ";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%2zu | ", n);
  return buf;
}
}  // namespace

// Follows psl/diagnostics/src/pretty_print.rs line for line: the line before the span, the
// span's first line with the span highlighted, every further line the span touches plus one.
std::string format_pretty(const SourceSet& sources, const Diagnostic& d, bool colour,
                          const std::string& file_name) {
  auto c = [&](const char* code, const std::string& s) {
    return colour ? std::string(code) + s + "\x1b[0m" : s;
  };
  const bool err = d.severity == Severity::Error;
  const char* primary = err ? "\x1b[1;91m" : "\x1b[1;93m";
  const SourceFile& f = sources[d.span.file];
  const std::string& text = f.text();
  std::size_t start = std::min<std::size_t>(d.span.start, text.size());
  std::size_t end = std::min<std::size_t>(std::max(d.span.end, d.span.start), text.size());

  std::vector<std::string_view> lines;  // text.split('\n'), '\r' kept as Rust does
  for (std::size_t b = 0;;) {
    std::size_t nl = text.find('\n', b);
    if (nl == std::string::npos) {
      lines.push_back(std::string_view(text).substr(b));
      break;
    }
    lines.push_back(std::string_view(text).substr(b, nl - b));
    b = nl + 1;
  }
  auto count_nl = [&](std::size_t upto) {
    return static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(upto), '\n'));
  };
  std::size_t start_line = count_nl(start), end_line = count_nl(end);
  std::size_t line_begin = 0;
  for (std::size_t i = 0; i < start_line; ++i) line_begin += lines[i].size() + 1;
  std::string_view line = lines[start_line];
  std::size_t start_in_line = start - line_begin;
  std::size_t end_in_line = std::min(start_in_line + (end - start), line.size());

  auto numbered = [&](std::size_t n) {  // format_line_number_with_line
    std::string g = c("\x1b[1;94m", gutter(n));
    if (n > 0 && n <= lines.size()) g += std::string(lines[n - 1]);
    return g;
  };
  std::string out;
  out += c(primary, err ? "error" : "warning") + ": " + c("\x1b[1m", d.message) + "\n";
  out += "  " + c("\x1b[1;94m", "-->") + "  " +
         c("\x1b[4m", (file_name.empty() ? f.path() : file_name) + ":" + std::to_string(start_line + 1)) + "\n";
  out += c("\x1b[1;94m", gutter(0)) + "\n";
  out += numbered(start_line) + "\n";
  std::string offending(line.substr(start_in_line, end_in_line - start_in_line));
  out += c("\x1b[1;94m", gutter(start_line + 1)) + std::string(line.substr(0, start_in_line)) +
         c(primary, offending) + std::string(line.substr(end_in_line)) + "\n";
  if (offending.empty())
    out += c("\x1b[1;94m", gutter(0)) + std::string(start_in_line, ' ') + c(primary, "^ Unexpected token.") + "\n";
  for (std::size_t n = start_line + 2; n < end_line + 2; ++n) out += numbered(n) + "\n";
  out += c("\x1b[1;94m", gutter(0)) + "\n";
  return out;
}

}  // namespace prisma_cpp::psl
