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

}  // namespace prisma::sql
