// The shapes of filters, written once for both front ends: comparisons, LOWER() for
// mode: insensitive, IS [NOT] NULL, the scalar-list operators (PostgreSQL), AND / OR / NOT, the
// constant conditions, and IN over items. Like sql/statements.hpp, constexpr over parts: the typed
// client's filter nodes (query/filter.hpp) render through them at compile time, the engine's
// filters (serve/engine_sql.cpp) at run time. LIKE and IN-one-list are the dialect's
// (sql/dialect.hpp: like, in_list).
#pragma once
#include <cstddef>
#include <string_view>

#include "prisma/sql/dialect.hpp"

namespace prisma::sql {

enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };

constexpr std::string_view cmp_text(Cmp op) {
  switch (op) {
    case Cmp::Eq: return " = ";
    case Cmp::Ne: return " <> ";
    case Cmp::Lt: return " < ";
    case Cmp::Le: return " <= ";
    case Cmp::Gt: return " > ";
    case Cmp::Ge: return " >= ";
  }
  return " = ";
}

// <expr> <op> <value>
template <class Sink, class Expr, class Value>
constexpr void compare(Sink& s, const Expr& expr, Cmp op, const Value& value) {
  expr(s);
  s.append(cmp_text(op));
  value(s);
}

// LOWER(<x>): both sides of a comparison in mode: insensitive, as Prisma renders it.
template <class Sink, class X>
constexpr void lower(Sink& s, const X& x) {
  s.append("LOWER(");
  x(s);
  s.append(')');
}

// <expr> IS NULL / IS NOT NULL
template <class Sink, class Expr>
constexpr void null_test(Sink& s, const Expr& expr, bool is_null) {
  expr(s);
  s.append(is_null ? " IS NULL" : " IS NOT NULL");
}

// A condition that is always true (1 = 1: an empty AND, a filter of nothing) or false (1 = 0: an
// empty OR, `in: []`).
template <class Sink>
constexpr void constant(Sink& s, bool value) {
  s.append(value ? "1 = 1" : "1 = 0");
}

// ---- scalar lists (PostgreSQL arrays) --------------------------------------------------------

// has: <value> = ANY(<list>)
template <class Sink, class List, class Value>
constexpr void list_has(Sink& s, const List& list, const Value& value) {
  value(s);
  s.append(" = ANY(");
  list(s);
  s.append(')');
}

// isEmpty: cardinality(<list>) = 0
template <class Sink, class List>
constexpr void list_is_empty(Sink& s, const List& list) {
  s.append("cardinality(");
  list(s);
  s.append(") = 0");
}

enum class ListCmp { HasSome, HasEvery, Equals };

// hasSome: <list> && <value>; hasEvery: <list> @> <value>; equals: <list> = <value>
template <class Sink, class List, class Value>
constexpr void list_compare(Sink& s, const List& list, ListCmp op, const Value& value) {
  list(s);
  s.append(op == ListCmp::HasSome ? " && " : op == ListCmp::HasEvery ? " @> " : " = ");
  value(s);
}

// ---- combining -------------------------------------------------------------------------------

// (<p0> AND <p1> ...) or (<p0> OR <p1> ...), each part in parentheses too when `parenthesized`.
template <class Sink, class Part>
constexpr void junction(Sink& s, bool is_and, std::size_t n, bool parenthesized, const Part& part) {
  s.append('(');
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s.append(is_and ? " AND " : " OR ");
    if (parenthesized) s.append('(');
    part(s, i);
    if (parenthesized) s.append(')');
  }
  s.append(')');
}

// NOT (<inner>)
template <class Sink, class Inner>
constexpr void negation(Sink& s, const Inner& inner) {
  s.append("NOT (");
  inner(s);
  s.append(')');
}

// <first> AND (<second>): a condition narrowed by a filter (an include's key list and its where).
template <class Sink, class First, class Second>
constexpr void narrowed(Sink& s, const First& first, const Second& second) {
  first(s);
  s.append(" AND (");
  second(s);
  s.append(')');
}

// <expr> [NOT] IN (<v0>, <v1>, ...): a list bound item by item (where one list parameter cannot
// be: LOWER() items, Bytes and Json).
template <class Sink, class Expr, class Value>
constexpr void in_items(Sink& s, const Expr& expr, bool negated, std::size_t n, const Value& value) {
  expr(s);
  s.append(negated ? " NOT IN (" : " IN (");
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s.append(", ");
    value(s, i);
  }
  s.append(')');
}

// ---- Json filters (Prisma's `path`, string_*, array_*, equals / not, the nulls) ---------------
// `path(s)` appends a bound path: PostgreSQL binds a text[] (`#>`), SQLite a JSON path
// (`$.pet.name`). The path of a filter without one is the root (`{}`, `$`). Each shape binds the
// path again where it uses it twice (SQLite's `?` are not numbered): the parts number them.

// The JSON at the path: PostgreSQL `("c"#>$p::text[])::jsonb`, SQLite `("c"->?)` (JSON text).
template <class Sink, class Col, class Path>
constexpr void json_at(Sink& s, Dialect d, const Col& col, const Path& path) {
  s.append('(');
  col(s);
  s.append(d == Dialect::Postgresql ? "#>" : "->");
  path(s);
  s.append(d == Dialect::Postgresql ? "::text[])::jsonb" : ")");
}
// Its text, a string unquoted: PostgreSQL `("c"#>>$p::text[])`, SQLite `("c"->>?)`.
template <class Sink, class Col, class Path>
constexpr void json_text_at(Sink& s, Dialect d, const Col& col, const Path& path) {
  s.append('(');
  col(s);
  s.append(d == Dialect::Postgresql ? "#>>" : "->>");
  path(s);
  s.append(d == Dialect::Postgresql ? "::text[])" : ")");
}

enum class JsonKind { String, Array, Number };

// The JSON at the path is a string / an array / a number (Prisma's type guard of string_* and
// array_* filters).
template <class Sink, class Col, class Path>
constexpr void json_kind_is(Sink& s, Dialect d, const Col& col, const Path& path, JsonKind k) {
  if (d == Dialect::Postgresql) {
    s.append("jsonb_typeof(");
    json_at(s, d, col, path);
    s.append(k == JsonKind::String ? ") = 'string'" : k == JsonKind::Array ? ") = 'array'" : ") = 'number'");
  } else {
    s.append("json_type(");
    col(s);
    s.append(", ");
    path(s);
    s.append(k == JsonKind::String ? ") = 'text'" : k == JsonKind::Array ? ") = 'array'" : ") IN ('integer', 'real')");
  }
}

// A bound JSON value: PostgreSQL `$v::jsonb`, SQLite `json(?)` (its text minified, as `->` gives).
template <class Sink, class Value>
constexpr void json_value(Sink& s, Dialect d, const Value& value) {
  if (d == Dialect::Sqlite) s.append("json(");
  value(s);
  s.append(d == Dialect::Postgresql ? "::jsonb" : ")");
}

// equals / not / lt ... at the path. Ordering compares numbers (and requires one); equality
// compares JSON values (PostgreSQL: jsonb equality; SQLite: the minified text).
//   path(s) the first use of the path, value(s), path2(s) its second use (ordering only).
template <class Sink, class Col, class Path, class Value, class Path2>
constexpr void json_compare(Sink& s, Dialect d, const Col& col, const Path& path, Cmp op, const Value& value,
                            const Path2& path2) {
  if (op == Cmp::Eq || op == Cmp::Ne) {
    json_at(s, d, col, path);
    s.append(cmp_text(op));
    json_value(s, d, value);
    return;
  }
  s.append('(');
  if (d == Dialect::Postgresql) {
    json_at(s, d, col, path);
    s.append(cmp_text(op));
    json_value(s, d, value);
  } else {
    json_text_at(s, d, col, path);
    s.append(cmp_text(op));
    s.append("json_extract(");
    value(s);
    s.append(", '$')");
  }
  s.append(" AND ");
  json_kind_is(s, d, col, path2, JsonKind::Number);
  s.append(')');
}

// The path holds SQL NULL (DbNull: the column is NULL, or the path leads nowhere), the JSON null
// (JsonNull), either (AnyNull); negated: not that. path2: AnyNull's second use.
enum class JsonNullKind { Db, Json, Any };
template <class Sink, class Col, class Path, class Path2>
constexpr void json_null(Sink& s, Dialect d, const Col& col, const Path& path, JsonNullKind k, bool negated,
                         const Path2& path2) {
  auto json_null_value = [&](auto& o) {
    json_at(o, d, col, path);
    o.append(negated ? " <> " : " = ");
    o.append(d == Dialect::Postgresql ? "'null'::jsonb" : "'null'");
  };
  if (k == JsonNullKind::Json) return json_null_value(s);
  if (k == JsonNullKind::Db) {
    json_at(s, d, col, path);
    s.append(negated ? " IS NOT NULL" : " IS NULL");
    return;
  }
  s.append('(');
  json_null_value(s);
  s.append(negated ? " AND " : " OR ");
  json_at(s, d, col, path2);
  s.append(negated ? " IS NOT NULL)" : " IS NULL)");
}

// string_contains / _starts_with / _ends_with: the string at the path LIKE (ILIKE with
// insensitive, on PostgreSQL) the pattern, and a string there.
template <class Sink, class Col, class Path, class Pattern, class Path2>
constexpr void json_like(Sink& s, Dialect d, const Col& col, const Path& path, bool insensitive, const Pattern& pattern,
                         const Path2& path2) {
  s.append('(');
  json_text_at(s, d, col, path);
  s.append(insensitive && d == Dialect::Postgresql ? " ILIKE " : " LIKE ");
  pattern(s);
  s.append(" ESCAPE '\\' AND ");
  json_kind_is(s, d, col, path2, JsonKind::String);
  s.append(')');
}

// array_contains (PostgreSQL): the array at the path contains the value (jsonb `@>`: every
// element of an array value, or the one scalar).
template <class Sink, class Col, class Path, class Value, class Path2>
constexpr void json_array_contains(Sink& s, Dialect d, const Col& col, const Path& path, const Value& value,
                                   const Path2& path2) {
  s.append('(');
  json_at(s, d, col, path);
  s.append(" @> ");
  json_value(s, d, value);
  s.append(" AND ");
  json_kind_is(s, d, col, path2, JsonKind::Array);
  s.append(')');
}

// array_starts_with / array_ends_with: the array's first / last element equals the value.
template <class Sink, class Col, class Path, class Value, class Path2>
constexpr void json_array_edge(Sink& s, Dialect d, const Col& col, const Path& path, bool last, const Value& value,
                               const Path2& path2) {
  s.append("((");
  json_at(s, d, col, path);
  if (d == Dialect::Postgresql) s.append(last ? "->-1) = " : "->0) = ");
  else s.append(last ? "->'$[#-1]') = " : "->'$[0]') = ");
  json_value(s, d, value);
  s.append(" AND ");
  json_kind_is(s, d, col, path2, JsonKind::Array);
  s.append(')');
}

// ---- full-text search (PostgreSQL; Prisma's `search` and `_relevance`) --------------------------
// to_tsvector(concat_ws(' ', <columns>)) @@ to_tsquery(<query>), as Prisma renders it (the
// server's default_text_search_config); column(s, i) appends the i-th column.
template <class Sink, class Column, class Query>
constexpr void text_vector(Sink& s, std::size_t n, const Column& column) {
  s.append("to_tsvector(concat_ws(' ', ");
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s.append(", ");
    column(s, i);
  }
  s.append("))");
}
template <class Sink, class Column, class Query>
constexpr void text_search(Sink& s, std::size_t n, const Column& column, const Query& query) {
  text_vector<Sink, Column, Query>(s, n, column);
  s.append(" @@ to_tsquery(");
  query(s);
  s.append(')');
}
// ts_rank(<vector>, to_tsquery(<query>)): ordering by `_relevance`.
template <class Sink, class Column, class Query>
constexpr void text_rank(Sink& s, std::size_t n, const Column& column, const Query& query) {
  s.append("ts_rank(");
  text_vector<Sink, Column, Query>(s, n, column);
  s.append(", to_tsquery(");
  query(s);
  s.append("))");
}

}  // namespace prisma::sql
