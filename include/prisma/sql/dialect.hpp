// What differs between SQLite and PostgreSQL, in one place. The dialect is a value: the typed
// client calls these with a constant (its SQL stays a constant of the query's type, rendered at
// compile time) and the run-time engine with the dialect of its database (a StringSink), so the
// two front ends render one set of rules.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

#include "prisma/core/transaction_options.hpp"  // IsolationLevel
#include "prisma/sql/text.hpp"

namespace prisma::sql {

// The n-th (1-based) bind placeholder: `?` on SQLite, `$n` on PostgreSQL.
template <class Sink>
constexpr void placeholder(Sink& s, Dialect d, std::size_t n) {
  if (d == Dialect::Sqlite) {
    s.append('?');
  } else {
    s.append('$');
    append_number(s, n);
  }
}

// `<expr>` [NOT] IN the list bound as parameter n (one parameter for the whole list, so the text
// never depends on the list's length): SQLite reads a JSON array, PostgreSQL an array.
template <class Sink>
constexpr void in_list(Sink& s, Dialect d, bool negated, std::size_t n) {
  if (d == Dialect::Sqlite) {
    s.append(negated ? " NOT IN (SELECT value FROM json_each(" : " IN (SELECT value FROM json_each(");
    placeholder(s, d, n);
    s.append("))");
  } else {
    s.append(negated ? " <> ALL(" : " = ANY(");
    placeholder(s, d, n);
    s.append(')');
  }
}

// contains / startsWith / endsWith: `<expr> LIKE|ILIKE $n ESCAPE '\'` (the pattern's own % and _
// escaped by detail::like_pattern). Case-insensitive is ILIKE on PostgreSQL; SQLite's LIKE
// ignores ASCII case already.
template <class Sink>
constexpr void like(Sink& s, Dialect d, bool insensitive, std::size_t n) {
  s.append(insensitive && d == Dialect::Postgresql ? " ILIKE " : " LIKE ");
  placeholder(s, d, n);
  s.append(" ESCAPE '\\'");
}

// One ORDER BY term: `<expr> ASC|DESC` with NULLS FIRST/LAST (nulls: 0 default, 1 first, 2 last);
// `expr(s)` appends the ordered expression. SQLite 3.30+ knows NULLS FIRST/LAST too; it is spelled
// out there for older system libraries.
template <class Sink, class Expr>
constexpr void order_term(Sink& s, Dialect d, const Expr& expr, bool descending, int nulls) {
  if (d == Dialect::Sqlite && nulls != 0) {
    s.append('(');
    expr(s);
    s.append(nulls == 1 ? " IS NULL) DESC, " : " IS NULL) ASC, ");
  }
  expr(s);
  s.append(descending ? " DESC" : " ASC");
  if (d == Dialect::Postgresql && nulls == 1) s.append(" NULLS FIRST");
  if (d == Dialect::Postgresql && nulls == 2) s.append(" NULLS LAST");
}

// The same over a column of the statement's table.
template <class Sink>
constexpr void order_column(Sink& s, Dialect d, std::string_view column, bool descending, int nulls) {
  order_term(s, d, [column](auto& o) { quote_ident(o, column); }, descending, nulls);
}

// ` LIMIT $p OFFSET $p+1` after a query: take and skip are parameters numbered from p (advanced
// past them). SQLite's OFFSET needs a LIMIT: -1 (none) when only skip is given.
template <class Sink>
constexpr void limit_offset(Sink& s, Dialect d, bool take, bool skip, std::size_t& p) {
  if (take) {
    s.append(" LIMIT ");
    placeholder(s, d, p++);
  } else if (skip && d == Dialect::Sqlite) {
    s.append(" LIMIT -1");
  }
  if (skip) {
    s.append(" OFFSET ");
    placeholder(s, d, p++);
  }
}

// createMany's skipDuplicates and the link of an m:n pair that may exist: the same on both
// (SQLite 3.24+), not SQLite's INSERT OR IGNORE, which would also swallow NOT NULL and CHECK errors.
inline constexpr std::string_view skip_duplicates = " ON CONFLICT DO NOTHING";

// ` RETURNING <columns>` (both dialects; SQLite 3.35+): a write and its rows in one round trip.
template <class Sink>
constexpr void returning(Sink& s, std::string_view column_list) {
  s.append(" RETURNING ");
  s.append(column_list);
}

// "schema"."table" on PostgreSQL when the model (or join table) has a schema, else "table".
template <class Sink>
constexpr void qualified_name(Sink& s, Dialect d, std::string_view schema, std::string_view name) {
  if (d == Dialect::Postgresql && !schema.empty()) {
    quote_ident(s, schema);
    s.append('.');
  }
  quote_ident(s, name);
}

// The statement that begins a transaction at `level`; empty when the dialect has no such level
// (SQLite: Serializable only, and BEGIN IMMEDIATE takes the write lock up front).
constexpr std::string_view begin(Dialect d, IsolationLevel level) {
  if (d == Dialect::Sqlite)
    return level == IsolationLevel::Default || level == IsolationLevel::Serializable ? "BEGIN IMMEDIATE" : "";
  switch (level) {
    case IsolationLevel::Default: return "BEGIN";
    case IsolationLevel::ReadUncommitted: return "BEGIN ISOLATION LEVEL READ UNCOMMITTED";
    case IsolationLevel::ReadCommitted: return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case IsolationLevel::RepeatableRead: return "BEGIN ISOLATION LEVEL REPEATABLE READ";
    case IsolationLevel::Serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE";
  }
  return "";
}

// The most parameters one statement may bind (SQLITE_MAX_VARIABLE_NUMBER since 3.32; the
// PostgreSQL protocol's 16-bit count).
constexpr std::size_t max_binds(Dialect d) { return d == Dialect::Sqlite ? 32766 : 65535; }

// The dialect of a Prisma database URL (`file:` or `sqlite:` for SQLite, `postgresql://` or
// `postgres://` for PostgreSQL), or nothing for any other URL.
constexpr std::optional<Dialect> dialect_of_url(std::string_view url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return Dialect::Postgresql;
  if (url.starts_with("file:") || url.starts_with("sqlite:")) return Dialect::Sqlite;
  return std::nullopt;
}

}  // namespace prisma::sql
