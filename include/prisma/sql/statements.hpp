// The statement shapes, written once for both front ends: SELECT with its WHERE / ORDER BY /
// LIMIT, a query over a page of rows (count and aggregates with take/skip/cursor), GROUP BY, the
// rows after a cursor, INSERT, UPDATE and its assignments, DELETE, a column IN a subquery, and the
// m:n join table's link. Each shape is constexpr over "parts": callables that append a piece to
// the sink. The typed client passes parts rendered from its types and evaluates the shapes at
// compile time (its SQL stays a constant of the query's type); the run-time engine and the
// nested-write executor pass parts of run-time text (`Piece`) and evaluate them into a
// StringSink. So a keyword, a parenthesis or an order of clauses is in this file only.
#pragma once
#include <cstddef>
#include <string_view>

#include "prisma/sql/dialect.hpp"

namespace prisma::sql {

// A table as a statement names it: its schema (PostgreSQL's @@schema; empty for none) and name.
struct Table {
  std::string_view schema;
  std::string_view name;
};

template <class Sink>
constexpr void table(Sink& s, Dialect d, Table t) {
  qualified_name(s, d, t.schema, t.name);
}

// A part that appends a text built at run time.
struct Piece {
  std::string_view text;
  template <class Sink>
  constexpr void operator()(Sink& s) const { s.append(text); }
};

// A part that appends nothing (for a clause the statement does not have).
struct None {
  template <class Sink>
  constexpr void operator()(Sink&) const {}
};

// ---- reads ------------------------------------------------------------------------------------

namespace detail {
// ` <KEYWORD> <part>` when the statement has the clause.
template <class Sink, class Part>
constexpr void clause(Sink& s, bool present, std::string_view keyword, const Part& part) {
  if (!present) return;
  s.append(keyword);
  part(s);
}
// SELECT <list> FROM <from> [WHERE <where>]
template <class Sink, class List, class From, class Where>
constexpr void select_where(Sink& s, const List& list, const From& from, bool has_where, const Where& where) {
  s.append("SELECT ");
  list(s);
  clause(s, true, " FROM ", from);
  clause(s, has_where, " WHERE ", where);
}
}  // namespace detail

// Which optional clauses a SELECT has.
struct Clauses {
  bool where = false;
  bool order = false;
  bool take = false;   // LIMIT $p
  bool skip = false;   // OFFSET $p
  bool first = false;  // LIMIT 1, a constant (without take): the first row only
};

// SELECT <list> FROM <from> [WHERE <where>] [ORDER BY <order>] [LIMIT $p] [OFFSET $p+1]; take and
// skip are parameters numbered from p, which the parts may advance (a filter's own parameters).
template <class Sink, class List, class From, class Where, class Order>
constexpr void select(Sink& s, Dialect d, Clauses has, const List& list, const From& from, const Where& where,
                      const Order& order, std::size_t& p) {
  detail::select_where(s, list, from, has.where, where);
  detail::clause(s, has.order, " ORDER BY ", order);
  if (has.first && !has.take) s.append(" LIMIT 1");
  limit_offset(s, d, has.take, has.skip, p);
}

// The statement that checks a connection is alive.
inline constexpr std::string_view ping = "SELECT 1";

// (SELECT <list> <related rows>): one value over a relation's rows, as an ORDER BY term (the count
// of a to-many relation, a field of a to-one relation); related(s) appends sql::related_from.
template <class Sink, class List, class Related>
constexpr void related_value(Sink& s, const List& list, const Related& related) {
  s.append("(SELECT ");
  list(s);
  related(s);
  s.append(')');
}

// SELECT <list> FROM (<page>) AS "sub": count and aggregates over the rows take / skip / cursor
// leave, as Prisma computes them.
template <class Sink, class List, class Page>
constexpr void select_over(Sink& s, const List& list, const Page& page) {
  s.append("SELECT ");
  list(s);
  s.append(" FROM (");
  page(s);
  s.append(") AS \"sub\"");
}

// (SELECT <list> FROM <from> WHERE <where>): one value of one row (a cursor row's column).
template <class Sink, class List, class From, class Where>
constexpr void scalar_subquery(Sink& s, const List& list, const From& from, const Where& where) {
  s.append('(');
  detail::select_where(s, list, from, true, where);
  s.append(')');
}

// <expr> [NOT] IN (SELECT <list> FROM <from> WHERE <where>): rows whose key is among another
// table's (an m:n relation's targets through its join table).
template <class Sink, class Expr, class List, class From, class Where>
constexpr void in_subquery(Sink& s, const Expr& expr, bool negated, const List& list, const From& from,
                           const Where& where) {
  expr(s);
  s.append(negated ? " NOT IN (" : " IN (");
  detail::select_where(s, list, from, true, where);
  s.append(')');
}

// (<keys>) IN (SELECT <keys> FROM <from> [WHERE <where>] LIMIT $p): at most $p of the rows a
// filter names, by their key (updateMany / deleteMany's `limit`, as Prisma renders it: neither
// SQLite's default build nor PostgreSQL takes a LIMIT on UPDATE or DELETE).
template <class Sink, class Keys, class From, class Where>
constexpr void limited(Sink& s, Dialect d, const Keys& keys, const From& from, bool has_where, const Where& where,
                       std::size_t p) {
  s.append('(');
  keys(s);
  s.append(") IN (");
  detail::select_where(s, [&](auto& o) { keys(o); }, from, has_where, where);
  s.append(" LIMIT ");
  placeholder(s, d, p);
  s.append(')');
}

// The rows after a cursor, in an order of n columns:
//   ((c1 > v1) OR (c1 = v1 AND c2 > v2) OR ... OR (c1 = v1 AND ... AND cn >= vn))
// column(s, i) appends the i-th ordered column, value(s, i) the cursor row's value of it,
// descending(i) whether the i-th column runs descending in the order the rows are read.
template <class Sink, class Column, class Value, class Descending>
constexpr void after_cursor(Sink& s, std::size_t n, const Column& column, const Value& value,
                            const Descending& descending) {
  s.append('(');
  for (std::size_t j = 0; j < n; ++j) {
    if (j) s.append(" OR ");
    s.append('(');
    for (std::size_t i = 0; i < j; ++i) {
      column(s, i);
      s.append(" = ");
      value(s, i);
      s.append(" AND ");
    }
    bool last = j + 1 == n;
    column(s, j);
    s.append(descending(j) ? (last ? " <= " : " < ") : (last ? " >= " : " > "));
    value(s, j);
    s.append(')');
  }
  s.append(')');
}

// Which optional clauses a GROUP BY has.
struct GroupClauses {
  bool where = false;
  bool having = false;
  bool order = false;
  bool take = false;
  bool skip = false;
};

// SELECT <list> FROM <from> [WHERE <where>] GROUP BY <by> [HAVING <having>] [ORDER BY <order>]
// [LIMIT $p] [OFFSET $p+1].
template <class Sink, class List, class From, class Where, class By, class Having, class Order>
constexpr void group_by(Sink& s, Dialect d, GroupClauses has, const List& list, const From& from, const Where& where,
                        const By& by, const Having& having, const Order& order, std::size_t& p) {
  detail::select_where(s, list, from, has.where, where);
  detail::clause(s, true, " GROUP BY ", by);
  detail::clause(s, has.having, " HAVING ", having);
  detail::clause(s, has.order, " ORDER BY ", order);
  limit_offset(s, d, has.take, has.skip, p);
}

// ---- writes -----------------------------------------------------------------------------------

// What a write statement ends with.
struct Ending {
  bool skip_duplicates = false;  // ON CONFLICT DO NOTHING (createMany's skipDuplicates, a link)
  std::string_view returning;    // RETURNING <this list>; empty for none
};

template <class Sink>
constexpr void ending(Sink& s, Ending e) {
  if (e.skip_duplicates) s.append(skip_duplicates);
  if (!e.returning.empty()) returning(s, e.returning);
}

// INSERT INTO <table> (<c0>, ...) VALUES (<row 0>), (<row 1>), ... [ending], or
// INSERT INTO <table> DEFAULT VALUES [ending] when no column is given. column(s, i) appends the
// i-th column's name, value(s, r, i) the value of column i in row r (a placeholder, or an
// expression of the engine's).
template <class Sink, class Column, class Value>
constexpr void insert(Sink& s, Dialect d, Table t, std::size_t columns, const Column& column, std::size_t rows,
                      const Value& value, Ending e = {}) {
  s.append("INSERT INTO ");
  table(s, d, t);
  if (columns == 0) {
    s.append(" DEFAULT VALUES");
  } else {
    s.append(" (");
    for (std::size_t i = 0; i < columns; ++i) {
      if (i) s.append(", ");
      column(s, i);
    }
    s.append(") VALUES ");
    for (std::size_t r = 0; r < rows; ++r) {
      s.append(r ? ", (" : "(");
      for (std::size_t i = 0; i < columns; ++i) {
        if (i) s.append(", ");
        value(s, r, i);
      }
      s.append(')');
    }
  }
  ending(s, e);
}

// The operations of an UPDATE's assignment (the typed client's and the executor's shape codes).
enum class Assign : char { Set = '=', Add = '+', Subtract = '-', Multiply = '*', Divide = '/', Push = 'p' };

// One assignment: "c" = v; "c" = "c" + v (and - * /); "c" = "c" || v (a list's push).
template <class Sink, class Value>
constexpr void assignment(Sink& s, std::string_view column, Assign op, const Value& value) {
  quote_ident(s, column);
  s.append(" = ");
  if (op == Assign::Push) {
    quote_ident(s, column);
    s.append(" || ");
  } else if (op != Assign::Set) {
    quote_ident(s, column);
    s.append(' ');
    s.append(static_cast<char>(op));
    s.append(' ');
  }
  value(s);
}

// The assignment of an update that changes nothing ("c" = "c"): still one statement that
// matches and returns the row.
template <class Sink>
constexpr void unchanged(Sink& s, std::string_view column) {
  assignment(s, column, Assign::Set, [column](auto& o) { quote_ident(o, column); });
}

// UPDATE <table> SET <sets> [WHERE <where>] [ending]; sets(s) appends the assignments.
template <class Sink, class Sets, class Where>
constexpr void update(Sink& s, Dialect d, Table t, const Sets& sets, bool has_where, const Where& where, Ending e = {}) {
  s.append("UPDATE ");
  table(s, d, t);
  detail::clause(s, true, " SET ", sets);
  detail::clause(s, has_where, " WHERE ", where);
  ending(s, e);
}

// DELETE FROM <table> [WHERE <where>] [ending].
template <class Sink, class Where>
constexpr void delete_from(Sink& s, Dialect d, Table t, bool has_where, const Where& where, Ending e = {}) {
  s.append("DELETE FROM ");
  table(s, d, t);
  detail::clause(s, has_where, " WHERE ", where);
  ending(s, e);
}

// "a" = <v0> AND "b" = <v1> ...: n columns equal to values (a key, a relation's columns);
// column(s, i) and value(s, i) append the i-th pair.
template <class Sink, class Column, class Value>
constexpr void equal(Sink& s, std::size_t n, const Column& column, const Value& value) {
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s.append(" AND ");
    column(s, i);
    s.append(" = ");
    value(s, i);
  }
}

// "a" = <value>: one column equal to a value.
template <class Sink, class Value>
constexpr void equal(Sink& s, std::string_view column, const Value& value) {
  equal(s, 1, [column](auto& o, std::size_t) { quote_ident(o, column); }, [&value](auto& o, std::size_t) { value(o); });
}

// <p0> AND <p1> ... with each part in parentheses when `parenthesized` (parts that are whole
// filters), bare otherwise (comparisons).
template <class Sink, class Part>
constexpr void all_of(Sink& s, std::size_t n, bool parenthesized, const Part& part) {
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s.append(" AND ");
    if (parenthesized) s.append('(');
    part(s, i);
    if (parenthesized) s.append(')');
  }
}

// A relation as its subqueries reach the related rows: the target's table and, for m:n, the
// join table with its two columns.
struct Related {
  Table target;
  Table join;                    // the m:n join table; an empty name for a relation without one
  std::string_view join_remote;  // the join table's column that points at the target
  std::string_view join_local;   // ... and the one that points at the outer row
};

// The part every relation subquery shares, the rows related to the outer row:
//   FROM <target> AS <t> WHERE <t>."r0" = <outer>."l0" AND ...                        (1:1, 1:n)
//   FROM <join> AS <j> JOIN <target> AS <t> ON <t>."r0" = <j>."B" WHERE <j>."A" = <outer>."l0"  (m:n)
// alias / join_alias / outer append how the statement names the target, the join table and the
// outer row's table; remote(i) / local(i) are the names of the i-th key column pair (of `keys`).
template <class Sink, class Alias, class JoinAlias, class Outer, class Remote, class Local>
constexpr void related_from(Sink& s, Dialect d, const Related& r, const Alias& alias, const JoinAlias& join_alias,
                            const Outer& outer, std::size_t keys, const Remote& remote, const Local& local) {
  auto column = [&s](const auto& scope, std::string_view name) {
    scope(s);
    s.append('.');
    quote_ident(s, name);
  };
  s.append(" FROM ");
  if (!r.join.name.empty()) {
    table(s, d, r.join);
    s.append(" AS ");
    join_alias(s);
    s.append(" JOIN ");
    table(s, d, r.target);
    s.append(" AS ");
    alias(s);
    s.append(" ON ");
    column(alias, remote(0));
    s.append(" = ");
    column(join_alias, r.join_remote);
    s.append(" WHERE ");
    column(join_alias, r.join_local);
    s.append(" = ");
    column(outer, local(0));
    return;
  }
  table(s, d, r.target);
  s.append(" AS ");
  alias(s);
  s.append(" WHERE ");
  for (std::size_t i = 0; i < keys; ++i) {
    if (i) s.append(" AND ");
    column(alias, remote(i));
    s.append(" = ");
    column(outer, local(i));
  }
}

// The target rows of a relation for a batch of outer rows (an include's load, its counts), to be
// keyed by the outer rows' key: the FROM list <target> [AS <t>] [JOIN <join> AS <j> ON <j>."B" = <t>."r0"].
// With `aliased`, alias(s) names the target; else its table does.
template <class Sink, class Alias, class JoinAlias>
constexpr void keyed_from(Sink& s, Dialect d, const Related& r, bool aliased, const Alias& alias,
                          const JoinAlias& join_alias, std::string_view remote0) {
  table(s, d, r.target);
  if (aliased) {
    s.append(" AS ");
    alias(s);
  }
  if (r.join.name.empty()) return;
  s.append(" JOIN ");
  table(s, d, r.join);
  s.append(" AS ");
  join_alias(s);
  s.append(" ON ");
  join_alias(s);
  s.append('.');
  quote_ident(s, r.join_remote);
  s.append(" = ");
  if (aliased) alias(s);
  else table(s, d, r.target);
  s.append('.');
  quote_ident(s, remote0);
}

// [NOT] EXISTS (SELECT 1 <related rows> [AND <filter>]): a relation filter (some / every / none /
// is / isNot); `filter_negated` puts the filter in NOT (...) (every: no related row fails it).
template <class Sink, class Related, class Filter>
constexpr void exists(Sink& s, bool negated, const Related& related, bool has_filter, bool filter_negated,
                      const Filter& filter) {
  s.append(negated ? "NOT EXISTS (SELECT 1" : "EXISTS (SELECT 1");
  related(s);
  if (has_filter) {
    s.append(filter_negated ? " AND NOT (" : " AND (");
    filter(s);
    s.append(')');
  }
  s.append(')');
}

// The m:n join table's link of a pair (a pair linked already stays one row):
// INSERT INTO <join> ("A", "B") VALUES ($p, $p+1) ON CONFLICT DO NOTHING.
template <class Sink>
constexpr void link(Sink& s, Dialect d, Table join, std::string_view a, std::string_view b, std::size_t p) {
  std::string_view names[2] = {a, b};
  insert(s, d, join, 2, [&](auto& o, std::size_t i) { quote_ident(o, names[i]); }, 1,
         [&](auto& o, std::size_t, std::size_t i) { placeholder(o, d, p + i); }, Ending{true, {}});
}

}  // namespace prisma::sql
