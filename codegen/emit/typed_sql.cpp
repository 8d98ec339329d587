// TypedSQL files: Prisma's annotation grammar and messages (its sql_doc_parser, checked through
// `prisma generate --sql` 7.10), the file-name rule, and the generated `<ns>/sql.hpp`.
#include "emit/typed_sql.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "emit/cpp_ident.hpp"

namespace prisma_cpp::typed_sql {

namespace fs = std::filesystem;

namespace {

const char* const kTypes[] = {"Int", "BigInt", "Float", "Boolean", "String", "DateTime", "Json", "Bytes", "Decimal"};

std::string accepted() {
  std::string out = "accepted types are: ";
  for (std::size_t i = 0; i < std::size(kTypes); ++i) out += std::string(i ? ", " : "") + "'" + kTypes[i] + "'";
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool parse_param(std::string_view line, Query& q, std::string& error) {
  auto fail = [&](const std::string& what, std::string_view at) {
    error = "SQL documentation parsing: " + what + " at '" + std::string(at) + "'.";
    return false;
  };
  std::string_view whole = line;                    // "@param ..."
  std::string_view rest = line.substr(6);            // after "@param"
  Param p;
  if (auto open = rest.find('{'); open != std::string_view::npos) {
    auto close = rest.find('}', open);
    if (close == std::string_view::npos) return fail("missing closing bracket", trim(rest));
    std::string_view name = trim(rest.substr(open + 1, close - open - 1));
    if (name.empty()) return fail("missing type (" + accepted() + ")", trim(rest));
    bool known = std::find(std::begin(kTypes), std::end(kTypes), name) != std::end(kTypes);
    if (!known) return fail("invalid type: '" + std::string(name) + "' (" + accepted() + ")", trim(rest));
    p.annotated = Type{std::string(name)};
    rest = rest.substr(close + 1);
  }
  std::string_view after = rest;
  rest = trim(rest);
  bool has_position = false;
  if (!rest.empty() && rest.front() == '$') {
    std::size_t end = 1;
    while (end < rest.size() && rest[end] != ':' && !std::isspace(static_cast<unsigned char>(rest[end]))) ++end;
    std::string_view digits = rest.substr(1, end - 1);
    bool ok = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!ok) return fail("invalid position. Expected a number found: " + std::string(digits), after);
    p.position = static_cast<std::size_t>(std::stoul(std::string(digits)));
    has_position = true;
    rest = rest.substr(end);
  }
  if (!rest.empty() && rest.front() == ':') {
    std::size_t end = 1;
    while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end]))) ++end;
    std::string alias(rest.substr(1, end - 1));
    if (!alias.empty() && alias.back() == '?') {
      p.nullable = true;
      alias.pop_back();
    }
    p.alias = alias;
    rest = rest.substr(end);
  }
  if (!has_position && p.alias.empty()) {
    if (!p.annotated && trim(rest).empty()) return fail("invalid parameter: could not parse any information", whole);
    return fail("missing position or alias (eg: $1:alias)", whole);
  }
  p.doc = std::string(trim(rest));
  for (const auto& other : q.params)
    if ((has_position && other.position == p.position) || other.alias == p.alias)
      return fail("duplicate parameter (position or alias is already used)", whole);
  q.params.push_back(std::move(p));
  return true;
}

// An identifier C++ takes as a function name (ASCII: letters, digits, _; not a keyword).
bool cpp_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && c != '_') return false;
  return emit::cpp_ident(s) == s;  // a keyword gets a trailing _ there
}

}  // namespace

bool parse_annotations(const std::string& sql, Query& q, std::string& error) {
  std::istringstream in(sql);
  std::string raw;
  while (std::getline(in, raw)) {
    std::string_view line = trim(raw);
    if (line.substr(0, 2) != "--") continue;
    line = trim(line.substr(2));
    if (line.substr(0, 12) == "@description") {
      q.description = std::string(trim(line.substr(12)));
    } else if (line.substr(0, 6) == "@param") {
      if (!parse_param(line, q, error)) return false;
    }
  }
  return true;
}

std::vector<Query> load_dir(const fs::path& dir, std::vector<Problem>& problems) {
  std::vector<Query> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems.push_back({dir, "no such directory: the TypedSQL folder " + dir.string() + " (SQL_DIR) does not exist"});
    return out;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".sql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    Query q;
    q.name = f.stem().string();
    q.file = f;
    if (!q.name.empty() && q.name[0] == '$') {
      problems.push_back({f, f.string() + " can not be used as a typed sql query: name must not start with $"});
      continue;
    }
    if (!cpp_identifier(q.name)) {
      problems.push_back({f, f.string() + " can not be used as a typed sql query: name must be a valid C++ identifier "
                                          "(letters, digits and _, not a keyword): it names the function db.sql." + q.name});
      continue;
    }
    std::ifstream in(f, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    q.sql = text.str();
    while (!q.sql.empty() && (q.sql.back() == '\n' || q.sql.back() == '\r' || q.sql.back() == ' ' || q.sql.back() == ';'))
      q.sql.pop_back();
    std::string error;
    if (!parse_annotations(q.sql, q, error)) {
      problems.push_back({f, error});
      continue;
    }
    if (trim(q.sql).empty()) {
      problems.push_back({f, "the file has no SQL"});
      continue;
    }
    out.push_back(std::move(q));
  }
  return out;
}

std::string cpp_type(const Type& t, const std::string& ns) {
  std::string base;
  if (t.is_enum) base = ns + "::" + emit::cpp_ident(t.name);
  else if (t.name == "Int") base = "std::int32_t";
  else if (t.name == "BigInt") base = "std::int64_t";
  else if (t.name == "Float") base = "double";
  else if (t.name == "Boolean") base = "bool";
  else if (t.name == "String") base = "std::string";
  else if (t.name == "DateTime") base = "prisma::DateTime";
  else if (t.name == "Json") base = "prisma::Json";
  else if (t.name == "Bytes") base = "prisma::Bytes";
  else if (t.name == "Decimal") base = "prisma::Decimal";
  else if (t.name == "vector") base = "prisma::Vector";
  else base = "prisma::SqlValue";
  return t.list ? "std::vector<" + base + ">" : base;
}

namespace {

std::string pascal(const std::string& s) {
  std::string out = s;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// The SQL as a C++ raw string literal (a delimiter the text does not contain).
std::string raw_literal(const std::string& sql) {
  std::string delim = "sql";
  while (sql.find(")" + delim + "\"") != std::string::npos) delim += "_";
  return "R\"" + delim + "(" + sql + ")" + delim + "\"";
}

}  // namespace

std::string emit_header(const std::string& ns, const std::vector<Query>& queries, ir::Provider provider) {
  std::ostringstream o;
  o << "// Generated by prisma-cpp from the TypedSQL files (prisma/sql/*.sql). Do not edit: change\n"
    << "// the SQL and build again. Parameter and column types were read from the "
    << (provider == ir::Provider::Postgresql ? "PostgreSQL server (the statements described by it)"
                                             : "schema's SQLite database (the prepared statements' declared types)")
    << ".\n#pragma once\n\n#include <cstdint>\n#include <optional>\n#include <string>\n#include <vector>\n\n"
    << "#include <prisma/client/typed_sql.hpp>\n\n#include \"enums.hpp\"\n\n"
    << "namespace " << ns << " {\nnamespace sql {\n\n";
  for (const auto& q : queries) {
    if (q.columns.empty()) continue;
    o << "// A row of " << q.name << ".sql.\nstruct " << pascal(q.name) << "Row {\n";
    for (const auto& c : q.columns) {
      std::string t = cpp_type(c.type, ns);
      if (c.nullable) t = "std::optional<" + t + ">";
      o << "  " << t << " " << emit::cpp_ident(c.name) << "{};\n";
    }
    o << "};\n\n";
  }
  o << "}  // namespace sql\n\n"
    << "// `db.sql.<name>(args...)`: one member function per TypedSQL file, on the client and in\n"
    << "// transactions (`tx.sql.<name>(...)`). An argument of another type than the parameter's does\n"
    << "// not compile (no narrowing); a nullable parameter (`:alias?`) takes std::nullopt.\n"
    << "template <class Src>\nclass Sql {\n public:\n  explicit Sql(Src* src) : src_(src) {}\n\n";
  for (const auto& q : queries) {
    o << "  // " << q.file.filename().string();
    if (!q.description.empty()) o << ": " << q.description;
    o << "\n";
    for (const auto& p : q.params)
      if (!p.doc.empty()) o << "  //   " << p.alias << ": " << p.doc << "\n";
    std::string ret = q.columns.empty() ? "std::int64_t" : "std::vector<sql::" + pascal(q.name) + "Row>";
    if (!q.params.empty()) {
      o << "  template <";
      for (std::size_t i = 0; i < q.params.size(); ++i) o << (i ? ", " : "") << "class A" << i + 1;
      o << ">\n    requires(";
      for (std::size_t i = 0; i < q.params.size(); ++i) {
        std::string t = cpp_type(q.params[i].type, ns);
        if (q.params[i].nullable) t = "std::optional<" + t + ">";
        if (q.params[i].type.name == "Unknown")  // SQLite knows no parameter types: any bindable value
          o << (i ? " && " : "") << "prisma::typed_sql_any<A" << i + 1 << ">";
        else
          o << (i ? " && " : "") << "prisma::typed_sql_arg<A" << i + 1 << ", " << t << ">";
      }
      o << ")\n";
    }
    o << "  " << ret << " " << q.name << "(";
    for (std::size_t i = 0; i < q.params.size(); ++i)
      o << (i ? ", " : "") << "const A" << i + 1 << "& " << emit::cpp_ident(q.params[i].alias);
    o << ") {\n    static constexpr std::string_view prisma_statement_ = " << raw_literal(q.sql) << ";\n";
    std::string args;
    for (std::size_t i = 0; i < q.params.size(); ++i) {
      std::string t = cpp_type(q.params[i].type, ns);
      if (q.params[i].nullable) t = "std::optional<" + t + ">";
      if (q.params[i].type.name == "Unknown") args += ", " + emit::cpp_ident(q.params[i].alias);
      else args += ", " + t + "(" + emit::cpp_ident(q.params[i].alias) + ")";
    }
    if (q.columns.empty())
      o << "    return prisma::detail::run_typed_sql_write(*src_, prisma_statement_" << args << ");\n  }\n\n";
    else
      o << "    return prisma::detail::run_typed_sql<sql::" << pascal(q.name) << "Row>(*src_, \"" << q.name << "\", prisma_statement_"
        << args << ");\n  }\n\n";
  }
  o << " private:\n  Src* src_;\n};\n\n}  // namespace " << ns << "\n";
  return o.str();
}

}  // namespace prisma_cpp::typed_sql
