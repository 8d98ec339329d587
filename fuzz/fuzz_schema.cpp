// libFuzzer entry: any bytes through parse, resolve, format and every emitter; only a crash,
// a sanitizer report, a hang or an escaping exception counts as a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "emit/cpp_header.hpp"
#include "emit/ddl.hpp"
#include "emit/json.hpp"
#include "psl/format.hpp"
#include "psl/parser.hpp"
#include "schema/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace prisma_cpp;
  std::string text(reinterpret_cast<const char*>(data), size);
  schema::Loaded l = schema::load_text(text);
  psl::Diagnostics parse_diags;
  auto file = psl::parse(l.sources[0], 0, parse_diags);
  if (!parse_diags.has_errors()) psl::format_files(l.sources, {file});
  for (const auto& d : l.diagnostics.all()) psl::format_pretty(l.sources, d, true);
  if (l.ok()) {
    emit::ddl(l.schema, emit::Dialect::Sqlite);
    emit::ddl(l.schema, emit::Dialect::Postgresql);
    emit::ir_json(l.schema);
    emit::dmmf_json(l.schema);
    emit::cpp_header(l.schema, {});
  }
  return 0;
}
